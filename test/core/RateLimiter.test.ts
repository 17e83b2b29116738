import { RateLimiter, sendsPerSecondOf } from '../../src/core/RateLimiter';
import { cloudCapabilities } from '../../src/providers/cloud/CloudApiAdapter';

describe('RateLimiter', () => {
	it('lets N calls per second through per key and makes the next one wait', async () => {
		const waits: number[] = [];
		const limiter = new RateLimiter(3, async (ms) => {
			waits.push(ms);
			await new Promise((r) => setTimeout(r, ms));
		});
		const started = Date.now();
		for (let i = 0; i < 3; i++) await limiter.take('a');
		await limiter.take('b');
		expect(waits).toEqual([]);
		await limiter.take('a');
		expect(waits.length).toBe(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(990);
	});
});

describe('sendsPerSecondOf', () => {
	const cloud = cloudCapabilities(7 * 24 * 60 * 60_000);

	it('a Cloud API number also used in the WhatsApp Business app keeps Meta\'s fixed 20/s without configuration', () => {
		expect(sendsPerSecondOf({}, cloud)).toBe(80);
		expect(sendsPerSecondOf({ businessApp: true }, cloud)).toBe(20);
	});

	it('an admin\'s per-number override wins; a provider without such numbers keeps its own rate', () => {
		expect(sendsPerSecondOf({ businessApp: true, sendsPerSecond: 5 }, cloud)).toBe(5);
		expect(sendsPerSecondOf({ businessApp: true }, { sendsPerSecond: 45 })).toBe(45);
	});
});
