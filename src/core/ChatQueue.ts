// One durable queue per direction, the same mechanics for both: per-chat order, parking, retry with
// backoff on a scheduler job per chat, a safety-net sweep, and giving up. What an attempt *is*
// (post into Rocket.Chat, send to WhatsApp) and what its outcome changes belong to the handler.
// Everything enters through `submit`, so the chat's order and its "waiting" marker have one owner.

import { withChatLock } from './ChatLock';
import { chatKeyOf } from './contacts';
import { ContactRecord, ContactRepository, QueueItem, QueueRepository, QueueSection } from './ports/records';
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

/** Per-drain state of a chat: at least its contact record, which carries the queue's waiting marker. */
export interface QueueState {
	contact?: ContactRecord;
}

/**
 * Where a queue keeps, on the contact record (read anyway, so the check costs nothing), the keys of the
 * chat's items still waiting, in order: a new item goes behind them.
 */
export interface WaitingMarker<T extends QueueItem> {
	field: keyof QueueSection;
	keyOf(item: T): string;
}

/** The keys of a chat's items still waiting in one direction, oldest first (read-only for other modules). */
export function waitingKeys(contact: ContactRecord | undefined, direction: keyof QueueSection): readonly string[] {
	return contact?.queues?.[direction] || [];
}

/** Takes `key` off the chat's marker (the item was removed from the queue by other means, e.g. an agent deleted it). */
export function leaveQueue(contact: ContactRecord, direction: keyof QueueSection, key: string): void {
	setKeys(contact, direction, waitingKeys(contact, direction).filter((k) => k !== key));
}

/** A record stored before the sections: its queue markers. */
export function upgradeQueues(stored: { pending?: string[]; outPending?: string[] }): QueueSection | undefined {
	if (!stored.pending?.length && !stored.outPending?.length) return undefined;
	return { ...(stored.pending?.length ? { in: stored.pending } : {}), ...(stored.outPending?.length ? { out: stored.outPending } : {}) };
}

function setKeys(contact: ContactRecord, direction: keyof QueueSection, keys: string[]): void {
	contact.queues = { ...contact.queues, [direction]: keys };
}

/** done: tried now and settled; behind: recorded after the chat's waiting items; waiting: recorded, its retry job due. */
export type Submitted = 'done' | 'behind' | 'waiting';

export interface SubmitOptions {
	/** The caller already holds the chat's lock. */
	locked?: boolean;
	/** Try it now when nothing of the chat waits; otherwise it is parked, its chat's retry job due at `item.nextAt`. */
	tryNow: boolean;
	/** The caller writes the contact record right after (it holds the lock and writes it anyway): saves a write. */
	callerSaves?: boolean;
}

export interface QueueHandler<T extends QueueItem, S extends QueueState> {
	/** Per-drain state read once for the chat (its contact record…), passed to every call below. */
	open(items: T[]): Promise<S>;
	/** One try of one item, under the chat lock. */
	attempt(item: T, state: S): Promise<AttemptResult>;
	/** The item left the queue (already removed, its key off the marker): done, failed for good, or given up after retries. The queue writes the contact record after. */
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

export class ChatQueue<T extends QueueItem, S extends QueueState> {
	constructor(
		private readonly direction: RetryDirection,
		private readonly repo: QueueRepository<T>,
		private readonly scheduler: RetryScheduler,
		private readonly handler: QueueHandler<T, S>,
		private readonly contacts: Pick<ContactRepository, 'save'>,
		private readonly marker: WaitingMarker<T>,
	) {}

	/**
	 * The one way in. Records `item` behind the chat's waiting items, or tries it now (`tryNow`), or
	 * parks it with its chat's retry job. `state` may be a loader, called under the lock (`waited`: another
	 * task of the chat ran first, so what was read before may be stale).
	 */
	public submit(item: T, state: S | ((waited: boolean) => Promise<S>), how: SubmitOptions): Promise<Submitted> {
		const go = async (waited: boolean) => this.submitLocked(item, typeof state === 'function' ? await state(waited) : state, how);
		return how.locked ? go(false) : withChatLock(item.chatKey, go);
	}

	/** Whether `key` already waits in this chat's queue (a redelivery of a parked item). */
	public isWaiting(contact: ContactRecord | undefined, key: string): boolean {
		return waitingKeys(contact, this.marker.field).includes(key);
	}

	/**
	 * Whether earlier items of the chat still wait. Only keys still in the queue count (a crash can leave
	 * a stale one behind): the queue is read only when the marker is not empty.
	 */
	public async hasWaiting(contact: ContactRecord | undefined): Promise<boolean> {
		const keys = waitingKeys(contact, this.marker.field);
		if (!contact || !keys.length) return false;
		const queued = new Set((await this.repo.forChat(chatKeyOfContact(contact))).map((i) => this.marker.keyOf(i)));
		setKeys(contact, this.marker.field, keys.filter((k) => queued.has(k)));
		return waitingKeys(contact, this.marker.field).length > 0;
	}

	private async submitLocked(item: T, state: S, how: SubmitOptions): Promise<Submitted> {
		const contact = state.contact;
		const key = this.marker.keyOf(item);
		// A parked item trusts the marker (its keys were just written); one to try now checks it first.
		const behind = how.tryNow ? await this.hasWaiting(contact) : waitingKeys(contact, this.marker.field).length > 0;
		await this.repo.save(item);
		if (!behind && how.tryNow) return (await this.run(item, state, item.firstAt)) === 'settled' ? 'done' : 'waiting';
		if (contact) {
			setKeys(contact, this.marker.field, [...waitingKeys(contact, this.marker.field).filter((k) => k !== key), key]);
			if (!how.callerSaves) await this.contacts.save(contact);
		}
		if (behind) return 'behind';
		await this.scheduler.scheduleRetry(this.direction, item.chatKey, item.nextAt);
		return 'waiting';
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
		const key = this.marker.keyOf(item);
		if (!result.ok && result.retryable) {
			const first = item.attempts === 0;
			item.attempts += 1;
			item.lastError = result.reason;
			const gaveUp = policy !== undefined && (item.attempts >= policy.maxAttempts || now - item.firstAt >= policy.maxAgeMs);
			if (!gaveUp) {
				item.nextAt = now + Math.max(result.retryAfterMs || 0, backoffMs(item.attempts - 1));
				await this.repo.save(item);
				await this.scheduler.scheduleRetry(this.direction, item.chatKey, item.nextAt);
				// A detached item waits aside: the chat's later items do not queue behind it.
				if (this.setWaiting(state.contact, key, !result.detached)) await this.contacts.save(state.contact!);
				await this.handler.waiting(item, result, first, state);
				return result.detached ? 'detached' : 'waiting';
			}
		}
		await this.repo.remove(item);
		this.setWaiting(state.contact, key, false);
		await this.handler.settled(item, result, !result.ok && result.retryable, state);
		if (state.contact) await this.contacts.save(state.contact);
		return 'settled';
	}

	/** Puts `key` on the contact's marker or takes it off; says whether that changed anything. */
	private setWaiting(contact: ContactRecord | undefined, key: string, waiting: boolean): boolean {
		if (!contact) return false;
		const keys = waitingKeys(contact, this.marker.field);
		if (keys.includes(key) === waiting) return false;
		setKeys(contact, this.marker.field, waiting ? [...keys, key] : keys.filter((k) => k !== key));
		return true;
	}
}

function chatKeyOfContact(contact: ContactRecord): string {
	return chatKeyOf(contact.instanceId, contact.chatId);
}
