// Serialises work per chat inside this app process: concurrent webhooks for one customer must not
// create two visitors/rooms, and messages must land in order. Persistence has no locks or unique
// indexes, so across a Rocket.Chat cluster this is best-effort (see README, Reliability).

/** One task's turn on a chat's lock. */
export interface LockTurn {
	/** What the task just before left for this one (see `pass`); undefined when the lock was free. */
	readonly handed?: unknown;
	/**
	 * Leaves `value` to the task already queued right behind this one (nobody else ever sees it): what this
	 * task just wrote, so the next need not read it back. Dropped when no task is waiting.
	 */
	pass(value: unknown): void;
}

interface Turn {
	done: Promise<void>;
	passed?: unknown;
}

// Cache: the tail of each chat's chain of running work; a new process has no running work to order, and a
// chain's entry goes when its last work ends.
const tails = new Map<string, Turn>();

/** `waited` tells the work whether another task ran first (so state read before may be stale). */
export function withChatLock<T>(key: string, work: (waited: boolean, turn: LockTurn) => Promise<T>): Promise<T> {
	const previous = tails.get(key);
	const mine: Turn = { done: Promise.resolve() };
	const turn = (handed: unknown): LockTurn => ({ handed, pass: (value) => void (mine.passed = value) });
	const run = previous
		? previous.done.then(() => {
				const handed = previous.passed;
				previous.passed = undefined;
				return work(true, turn(handed));
			})
		: work(false, turn(undefined));
	// The lock is released as soon as the work settles: nobody queued behind it means nobody gets what it passed.
	const release = () => {
		if (tails.get(key) !== mine) return;
		tails.delete(key);
		mine.passed = undefined;
	};
	mine.done = run.then(release, release);
	tails.set(key, mine);
	return run;
}
