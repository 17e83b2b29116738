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

	it('hands what a task passes to the task already queued behind it, and to nobody else', async () => {
		let release!: () => void;
		const gate = new Promise<void>((r) => (release = r));
		const first = withChatLock('c4', async (_w, turn) => {
			await gate;
			turn.pass('record v1');
			return turn.handed;
		});
		const second = withChatLock('c4', async (_w, turn) => turn.handed); // queued while the first runs
		const third = withChatLock('c4', async (_w, turn) => turn.handed); // behind a task that passed nothing
		release();
		expect(await Promise.all([first, second, third])).toEqual([undefined, 'record v1', undefined]);
		// the lock was free again: what was passed last is gone
		await withChatLock('c4', async (_w, turn) => turn.pass('record v2'));
		expect(await withChatLock('c4', async (_w, turn) => turn.handed)).toBeUndefined();
	});

	it('hands nothing past a failed task', async () => {
		const failed = withChatLock('c5', async (_w, turn) => {
			turn.pass('half-done');
			throw new Error('boom');
		});
		const next = withChatLock('c5', async (_w, turn) => turn.handed);
		await expect(failed).rejects.toThrow('boom');
		await expect(next).resolves.toBe('half-done');
	});
});
