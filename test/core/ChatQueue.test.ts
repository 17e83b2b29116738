// The one queue both directions use: order per chat, backoff with the provider's wait, give-up, and
// the handler told what happened — with in-memory repositories (no engine needed for the mechanics).
import { AttemptResult, ChatQueue, QueueHandler, TICK_GRACE_MS } from '../../src/core/ChatQueue';
import { ContactRecord, QueueItem, QueueRepository } from '../../src/core/ports/records';
import { RetryDirection } from '../../src/core/ports/scheduler';

class MemoryQueue implements QueueRepository<QueueItem> {
	items = new Map<string, QueueItem>();
	async all() { return [...this.items.values()].sort((a, b) => a.firstAt - b.firstAt); }
	async forChat(chatKey: string) { return (await this.all()).filter((i) => i.chatKey === chatKey); }
	async save(item: QueueItem) { this.items.set(item.key, { ...item }); }
	async remove(item: QueueItem) { this.items.delete(item.key); }
}

function setup(results: Record<string, AttemptResult[]>) {
	const repo = new MemoryQueue();
	const jobs: Array<{ direction: RetryDirection; chatKey: string; at: number }> = [];
	const log: string[] = [];
	const handler: QueueHandler<QueueItem, { opened: number; contact?: ContactRecord }> = {
		open: async () => ({ opened: 1 }),
		attempt: async (item) => {
			log.push(`try ${item.key}`);
			return results[item.key].shift() ?? { ok: true };
		},
		settled: async (item, result, gaveUp) => { log.push(`${result.ok ? 'done' : gaveUp ? 'gave up' : 'failed'} ${item.key}`); },
		waiting: async (item, result, first) => { log.push(`${result.detached ? 'aside' : 'wait'} ${item.key} (${result.reason})${first ? ' first' : ''}`); },
	};
	const queue = new ChatQueue('out', repo, { scheduleRetry: async (direction, chatKey, at) => { jobs.push({ direction, chatKey, at }); }, scheduleWindowCheck: async () => undefined }, handler, { save: async () => undefined }, { field: 'out', keyOf: (i) => i.key });
	const item = (key: string, firstAt: number, chatKey = 'i:c1'): QueueItem => ({ key, chatKey, attempts: 0, firstAt, nextAt: firstAt });
	return { repo, jobs, log, queue, item };
}

const retry = (reason = '503', retryAfterMs?: number) => ({ ok: false as const, retryable: true, reason, retryAfterMs });

describe('ChatQueue', () => {
	it('sends a chat in order and stops at the first that must wait, keeping the rest', async () => {
		const { repo, jobs, log, queue, item } = setup({ a: [], b: [retry()], c: [] });
		for (const [k, at] of [['a', 1], ['b', 2], ['c', 3]] as const) await repo.save(item(k, at));
		expect(await queue.retryChat('i:c1', 10_000, { maxAttempts: 5, maxAgeMs: 1e9 })).toBe(2);
		expect(log).toEqual(['try a', 'done a', 'try b', 'wait b (503) first']);
		expect([...repo.items.keys()]).toEqual(['b', 'c']);
		expect(repo.items.get('b')).toMatchObject({ attempts: 1, lastError: '503' });
		expect(jobs).toEqual([{ direction: 'out', chatKey: 'i:c1', at: repo.items.get('b')!.nextAt }]);
	});

	it('waits at least what the provider asked (Retry-After), else 30 s ± 20 % for the first retry', async () => {
		const { repo, queue, item } = setup({ a: [retry('429', 120_000)], b: [retry()] });
		await repo.save(item('a', 1));
		await repo.save(item('b', 1, 'i:c2'));
		await queue.retryChat('i:c1', 1000, { maxAttempts: 5, maxAgeMs: 1e9 });
		await queue.retryChat('i:c2', 1000, { maxAttempts: 5, maxAgeMs: 1e9 });
		expect(repo.items.get('a')!.nextAt).toBe(121_000);
		const wait = repo.items.get('b')!.nextAt - 1000;
		expect(wait).toBeGreaterThanOrEqual(24_000);
		expect(wait).toBeLessThanOrEqual(36_000);
	});

	it('gives up after maxAttempts or maxAge, tells the handler, and goes on with the next item', async () => {
		const { repo, log, queue, item } = setup({ a: [retry()], b: [retry()] });
		await repo.save({ ...item('a', 1), attempts: 2 });
		await repo.save(item('b', 2));
		expect(await queue.retryChat('i:c1', 10, { maxAttempts: 3, maxAgeMs: 1e9 })).toBe(1);
		expect(log.slice(0, 2)).toEqual(['try a', 'gave up a']);
		const aged = setup({ x: [retry()] });
		await aged.repo.save(aged.item('x', 0));
		expect(await aged.queue.retryChat('i:c1', 5000, { maxAttempts: 99, maxAgeMs: 5000 })).toBe(0);
		expect(aged.log).toEqual(['try x', 'gave up x']);
	});

	it('never gives up on a first try without a policy, and removes a permanent failure at once', async () => {
		const { repo, log, queue, item } = setup({ a: [retry()], b: [{ ok: false, retryable: false, reason: '400' }] });
		const a = item('a', 1);
		await repo.save(a);
		expect(await queue.run(a, { opened: 1 }, 10)).toBe('waiting');
		const b = item('b', 2, 'i:c2');
		await repo.save(b);
		expect(await queue.run(b, { opened: 1 }, 10)).toBe('settled');
		expect(log).toEqual(['try a', 'wait a (503) first', 'try b', 'failed b']);
		expect([...repo.items.keys()]).toEqual(['a']);
	});

	it('an item that stands aside (detached) is retried later without holding back the next ones', async () => {
		const { repo, log, queue, item, jobs } = setup({ a: [{ ...retry(), detached: true }], b: [] });
		await repo.save(item('a', 1));
		await repo.save(item('b', 2));
		expect(await queue.retryChat('i:c1', 10, { maxAttempts: 5, maxAgeMs: 1e9 })).toBe(1);
		expect(log).toEqual(['try a', 'aside a (503) first', 'try b', 'done b']);
		expect([...repo.items.keys()]).toEqual(['a']);
		expect(jobs).toHaveLength(1);
	});

	it('the safety net only takes over chats whose own retry job is overdue by the grace period', async () => {
		const { repo, log, queue, item } = setup({ a: [], b: [] });
		await repo.save({ ...item('a', 1), nextAt: 1000 });
		await repo.save({ ...item('b', 1, 'i:c2'), nextAt: 1000 + TICK_GRACE_MS });
		expect(await queue.retryDue(1000 + TICK_GRACE_MS, { maxAttempts: 5, maxAgeMs: 1e9 })).toBe(1);
		expect(log).toEqual(['try a', 'done a']);
	});

	describe('submit, the one way in', () => {
		const contact = (): ContactRecord => ({ instanceId: 'i', chatId: 'c1', name: 'Ann', dedupe: { ids: [] }, links: [] });

		it('tries an item now when nothing of the chat waits, and says done or waiting; the marker follows', async () => {
			const { queue, item, log } = setup({ a: [retry()], b: [] });
			const c = contact();
			expect(await queue.submit(item('a', 1), { opened: 1, contact: c }, { tryNow: true })).toBe('waiting');
			expect(c.queues?.out).toEqual(['a']);
			const other = contact();
			expect(await queue.submit(item('b', 2, 'i:c2'), { opened: 1, contact: other }, { tryNow: true })).toBe('done');
			expect(other.queues?.out ?? []).toEqual([]);
			expect(log).toEqual(['try a', 'wait a (503) first', 'try b', 'done b']);
		});

		it('records an item behind the chat\'s waiting ones without trying it, and keeps their order on the retry', async () => {
			const { repo, queue, item, log } = setup({ a: [retry()], b: [] });
			const c = contact();
			await queue.submit(item('a', 1), { opened: 1, contact: c }, { tryNow: true });
			expect(await queue.submit(item('b', 2), { opened: 1, contact: c }, { tryNow: true })).toBe('behind');
			expect(c.queues?.out).toEqual(['a', 'b']);
			expect(log).toEqual(['try a', 'wait a (503) first']);
			await queue.retryChat('i:c1', 1e9, { maxAttempts: 5, maxAgeMs: 1e12 });
			expect(log.slice(2)).toEqual(['try a', 'done a', 'try b', 'done b']);
			expect(repo.items.size).toBe(0);
		});

		it('ignores a stale key on the marker (left by a crash) when the queue no longer has it', async () => {
			const { queue, item } = setup({ a: [] });
			const c = { ...contact(), queues: { out: ['lost'] } };
			expect(await queue.submit(item('a', 1), { opened: 1, contact: c }, { tryNow: true })).toBe('done');
			expect(c.queues?.out).toEqual([]);
		});

		it('parks an item with its chat\'s retry job, once per chain', async () => {
			const { queue, item, jobs, log } = setup({});
			const c = contact();
			expect(await queue.submit({ ...item('a', 1), nextAt: 500 }, { opened: 1, contact: c }, { tryNow: false })).toBe('waiting');
			expect(await queue.submit(item('b', 2), { opened: 1, contact: c }, { tryNow: false })).toBe('behind');
			expect(jobs).toEqual([{ direction: 'out', chatKey: 'i:c1', at: 500 }]);
			expect(c.queues?.out).toEqual(['a', 'b']);
			expect(log).toEqual([]);
		});
	});
});
