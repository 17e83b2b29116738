// One durable queue per direction, the same mechanics for both: per-chat order, parking, retry with
// backoff on a scheduler job per chat, a safety-net sweep, and giving up. What an attempt *is*
// (post into Rocket.Chat, send to WhatsApp) and what its outcome changes belong to the handler.

import { withChatLock } from './ChatLock';
import { QueueItem, QueueRepository } from './ports/records';
import { RetryDirection, RetryScheduler } from './ports/scheduler';

/** When a queued item is given up: after this many attempts, or this long after it was recorded. */
export interface GiveUp {
	maxAttempts: number;
	maxAgeMs: number;
}

export type AttemptResult =
	| { ok: true }
	| {
			ok: false;
			retryable: boolean;
			reason: string;
			retryAfterMs?: number;
			/** Retry this item later without holding back the chat's next ones (it stood aside, e.g. behind a placeholder). */
			detached?: boolean;
	  };

export interface QueueHandler<T extends QueueItem, S> {
	/** Per-drain state read once for the chat (its contact record…), passed to every call below. */
	open(items: T[]): Promise<S>;
	/** One try of one item, under the chat lock. */
	attempt(item: T, state: S): Promise<AttemptResult>;
	/** The item left the queue (already removed): done, failed for good, or given up after retries. */
	settled(item: T, result: AttemptResult, gaveUp: boolean, state: S): Promise<void>;
	/** The item stays queued for a retry; `first` = its first failure. */
	waiting(item: T, result: Extract<AttemptResult, { ok: false }>, first: boolean, state: S): Promise<void>;
}

/**
 * The tick only takes over items whose own retry job is overdue by this much: on a cluster, the job
 * and the tick may run on different nodes, and they should not drain the same chat at once.
 */
export const TICK_GRACE_MS = 2 * 60_000;

/** 30 s, 1, 2, 4 … minutes, capped at 30 minutes, with ±20 % jitter. */
export function backoffMs(attempts: number, random = Math.random): number {
	const base = Math.min(30 * 60_000, 30_000 * 2 ** attempts);
	return Math.round(base * (0.8 + 0.4 * random()));
}

export class ChatQueue<T extends QueueItem, S> {
	constructor(
		private readonly direction: RetryDirection,
		private readonly repo: QueueRepository<T>,
		private readonly scheduler: RetryScheduler,
		private readonly handler: QueueHandler<T, S>,
	) {}

	/** Records `item` and starts its chat's retry chain when it is the first one waiting. */
	public async park(item: T, startChain: boolean): Promise<void> {
		await this.repo.save(item);
		if (startChain) await this.scheduler.scheduleRetry(this.direction, item.chatKey, item.nextAt);
	}

	public forChat(chatKey: string): Promise<T[]> {
		return this.repo.forChat(chatKey);
	}

	/** Safety net (recurring tick): chats whose retry job is overdue. Returns how many items still wait. */
	public async retryDue(now: number, policy: GiveUp): Promise<number> {
		const items = await this.repo.all();
		let left = 0;
		for (const chatKey of [...new Set(items.map((i) => i.chatKey))]) {
			const queue = items.filter((i) => i.chatKey === chatKey);
			left += queue[0].nextAt + TICK_GRACE_MS > now ? queue.length : await this.retryChat(chatKey, now, policy);
		}
		return left;
	}

	/** Tries one chat's items in order, now (its retry job fired). Returns how many still wait. */
	public retryChat(chatKey: string, now: number, policy: GiveUp): Promise<number> {
		return withChatLock(chatKey, async () => {
			const items = await this.repo.forChat(chatKey);
			if (items.length === 0) return 0;
			const state = await this.handler.open(items);
			let detached = 0;
			for (let i = 0; i < items.length; i++) {
				const outcome = await this.run(items[i], state, now, policy);
				if (outcome === 'waiting') return items.length - i + detached;
				if (outcome === 'detached') detached += 1;
			}
			return detached;
		});
	}

	/**
	 * One try of a recorded item (the caller holds the chat lock). Success, a permanent failure or a
	 * give-up remove it; a retryable failure keeps it and schedules the chat's next try. Without a
	 * `policy` (an item's first try) nothing is given up.
	 */
	public async run(item: T, state: S, now: number, policy?: GiveUp): Promise<'settled' | 'waiting' | 'detached'> {
		const result = await this.handler.attempt(item, state);
		if (!result.ok && result.retryable) {
			const first = item.attempts === 0;
			item.attempts += 1;
			item.lastError = result.reason;
			const gaveUp = policy !== undefined && (item.attempts >= policy.maxAttempts || now - item.firstAt >= policy.maxAgeMs);
			if (!gaveUp) {
				item.nextAt = now + Math.max(result.retryAfterMs || 0, backoffMs(item.attempts - 1));
				await this.repo.save(item);
				await this.scheduler.scheduleRetry(this.direction, item.chatKey, item.nextAt);
				await this.handler.waiting(item, result, first, state);
				return result.detached ? 'detached' : 'waiting';
			}
			await this.repo.remove(item);
			await this.handler.settled(item, result, true, state);
			return 'settled';
		}
		await this.repo.remove(item);
		await this.handler.settled(item, result, false, state);
		return 'settled';
	}
}
