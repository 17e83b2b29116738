import { ProviderCapabilities } from './ports/provider';
import { InstanceRecord } from './ports/records';

// Providers cap sends per second per number (GREEN-API 50, Cloud API 80): stay under the cap inside
// this process rather than collecting 429s. (Across a cluster each node keeps its own window; 429s are still retried.)
export class RateLimiter {
	private readonly windows = new Map<string, number[]>();

	constructor(private readonly perSecond: number, private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {}

	/** Waits until one more call for `key` fits in the last second, then counts it. */
	public async take(key: string, perSecond = this.perSecond): Promise<void> {
		for (;;) {
			const now = Date.now();
			const recent = (this.windows.get(key) || []).filter((t) => now - t < 1000);
			if (recent.length < perSecond) {
				recent.push(now);
				this.windows.set(key, recent);
				return;
			}
			this.windows.set(key, recent);
			await this.sleep(1000 - (now - recent[0]) + 1);
		}
	}
}

/**
 * The cap one number's sends keep under: an admin's override, else the provider's rate for numbers also
 * used in the WhatsApp Business app when this one is, else the provider's.
 */
export function sendsPerSecondOf(instance: Pick<InstanceRecord, 'sendsPerSecond' | 'businessApp'>, caps: Pick<ProviderCapabilities, 'sendsPerSecond' | 'businessAppSendsPerSecond'>): number {
	return instance.sendsPerSecond || (instance.businessApp && caps.businessAppSendsPerSecond) || caps.sendsPerSecond;
}

/** Sends per second per instance; each send passes its provider's (or number's) own cap. */
// Cache: the last second's sends per number; a new process starts with an empty window, at most one
// second's sends more than the cap (the provider's own limit answers 429, which is retried).
export const sendRate = new RateLimiter(45);
