import { WhatsAppProvider } from '../core/ports/provider';
import { CloudProvider } from './cloud/CloudProvider';
import { Dialog360Provider } from './dialog360/Dialog360Provider';
import { GreenApiProvider } from './greenapi/GreenApiProvider';

/**
 * The providers this build carries, in the order `instance add` offers them (the first is the default).
 * Every call into the app has 30 s in all on recent engines (APPS_ENGINE_RUNTIME_TIMEOUT): provider
 * calls must end well before.
 */
export function availableProviders(): WhatsAppProvider[] {
	return [
		new GreenApiProvider({ timeoutMs: 10_000, uploadTimeoutMs: 25_000, downloadTimeoutMs: 25_000 }),
		new CloudProvider({ timeoutMs: 10_000, uploadTimeoutMs: 25_000, downloadTimeoutMs: 25_000 }),
		new Dialog360Provider({ timeoutMs: 10_000, uploadTimeoutMs: 25_000, downloadTimeoutMs: 25_000 }),
		// (test builds append providers here: .tools/package-app.js --with-provider)
	];
}
