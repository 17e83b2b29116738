import { withChatLock } from '../../src/core/ChatLock';

describe('withChatLock', () => {
	it('runs work of one chat one at a time, in call order, and tells later work it waited', async () => {
		const log: string[] = [];
		const slow = (name: string, ms: number) => async (waited: boolean) => {
			log.push(`start ${name} ${waited}`);
			await new Promise((r) => setTimeout(r, ms));
			log.push(`end ${name}`);
			return name;
		};
		const results = await Promise.all([withChatLock('c1', slow('a', 20)), withChatLock('c1', slow('b', 1)), withChatLock('c2', slow('x', 5))]);
		expect(results).toEqual(['a', 'b', 'x']);
		expect(log.indexOf('end a')).toBeLessThan(log.indexOf('start b true'));
		expect(log.indexOf('start x false')).toBeLessThan(log.indexOf('end a'));
	});

	it('keeps going after a failure', async () => {
		const failed = withChatLock('c3', async () => {
			throw new Error('boom');
		});
		const next = withChatLock('c3', async (waited) => waited);
		await expect(failed).rejects.toThrow('boom');
		await expect(next).resolves.toBe(true);
	});
});
