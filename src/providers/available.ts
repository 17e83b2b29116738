import { MEDIA_TRANSFER_MS, PROVIDER_CALL_MS } from '../core/budget';
import { WhatsAppProvider } from '../core/ports/provider';
import { GreenApiProvider } from './greenapi/GreenApiProvider';

/**
 * The providers this build carries, in the order `instance add` offers them (the first is the default).
 * Their timeouts come from the app's call budget (core/budget.ts).
 */
export function availableProviders(): WhatsAppProvider[] {
	return [
		new GreenApiProvider({ timeoutMs: PROVIDER_CALL_MS, uploadTimeoutMs: MEDIA_TRANSFER_MS, downloadTimeoutMs: MEDIA_TRANSFER_MS }),
		// (test builds append providers here: .tools/package-app.js --with-provider)
	];
}
