import { MEDIA_TRANSFER_MS, PROVIDER_CALL_MS } from '../core/budget';
import { WhatsAppProvider } from '../core/ports/provider';
import { CloudProvider } from './cloud/CloudProvider';
import { signaturePolicy } from './cloud/signature';
import { Dialog360Provider } from './dialog360/Dialog360Provider';
import { GreenApiProvider } from './greenapi/GreenApiProvider';

/**
 * The providers this build carries, in the order `instance add` offers them (the first is the default).
 * Their timeouts come from the app's call budget (core/budget.ts).
 */
const BUDGET = { timeoutMs: PROVIDER_CALL_MS, uploadTimeoutMs: MEDIA_TRANSFER_MS, downloadTimeoutMs: MEDIA_TRANSFER_MS };

/**
 * The app's settings the providers read when they need them: the composition root binds each to the
 * app's setting (read in-process, no bridge call), so a changed setting is seen at once and nothing has
 * to be applied to a provider from outside.
 */
export interface ProviderSettings {
	/** What a Cloud API signature mismatch does (`reject`, `log`, `off`; anything else reads as `log`). */
	cloudSignaturePolicy(): Promise<unknown>;
}

export function availableProviders(settings: ProviderSettings): WhatsAppProvider[] {
	return [
		new GreenApiProvider(BUDGET),
		new CloudProvider({ ...BUDGET, signaturePolicy: async () => signaturePolicy(await settings.cloudSignaturePolicy()) }),
		new Dialog360Provider(BUDGET),
		// (test builds append providers here: .tools/package-app.js --with-provider)
	];
}
