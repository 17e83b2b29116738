import { MEDIA_TRANSFER_MS, PROVIDER_CALL_MS } from '../core/budget';
import { WhatsAppProvider } from '../core/ports/provider';
import { CloudProvider } from './cloud/CloudProvider';
import { Dialog360Provider } from './dialog360/Dialog360Provider';
import { GreenApiProvider } from './greenapi/GreenApiProvider';

/**
 * The providers this build carries, in the order `instance add` offers them (the first is the default).
 * Their timeouts come from the app's call budget (core/budget.ts).
 */
const BUDGET = { timeoutMs: PROVIDER_CALL_MS, uploadTimeoutMs: MEDIA_TRANSFER_MS, downloadTimeoutMs: MEDIA_TRANSFER_MS };

export function availableProviders(): WhatsAppProvider[] {
	return [
		new GreenApiProvider(BUDGET),
		new CloudProvider(BUDGET),
		new Dialog360Provider(BUDGET),
		// (test builds append providers here: .tools/package-app.js --with-provider)
	];
}
