import { RateLimiter } from '../../src/core/RateLimiter';

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
