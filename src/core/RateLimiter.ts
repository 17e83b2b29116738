// GREEN-API allows 50 sends per second per instance; stay under it inside this process rather than
// collecting 429s. (Across a cluster each node keeps its own window; 429s are still retried.)
export class RateLimiter {
	private readonly windows = new Map<string, number[]>();

	constructor(private readonly perSecond: number, private readonly sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {}

	/** Waits until one more call for `key` fits in the last second, then counts it. */
	public async take(key: string): Promise<void> {
		for (;;) {
			const now = Date.now();
			const recent = (this.windows.get(key) || []).filter((t) => now - t < 1000);
			if (recent.length < this.perSecond) {
				recent.push(now);
				this.windows.set(key, recent);
				return;
			}
			this.windows.set(key, recent);
			await this.sleep(1000 - (now - recent[0]) + 1);
		}
	}
}

/** Sends per second per instance, a little under GREEN-API's 50. */
export const sendRate = new RateLimiter(45);
