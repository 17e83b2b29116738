// Serialises work per chat inside this app process: concurrent webhooks for one customer must not
// create two visitors/rooms, and messages must land in order. Persistence has no locks or unique
// indexes, so across a Rocket.Chat cluster this is best-effort (see README, Reliability).
// Cache: the tail of each chat's chain of running work; a new process has no running work to order, and a
// chain's entry goes when its last work ends.
const tails = new Map<string, Promise<unknown>>();

/** `waited` tells the work whether another task ran first (so state read before may be stale). */
export function withChatLock<T>(key: string, work: (waited: boolean) => Promise<T>): Promise<T> {
	const previous = tails.get(key);
	const run = previous ? previous.then(() => work(true)) : work(false);
	const tail = run.then(() => undefined, () => undefined);
	tails.set(key, tail);
	void tail.then(() => {
		if (tails.get(key) === tail) tails.delete(key);
	});
	return run;
}
