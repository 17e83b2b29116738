// Time budgets, in one place. Rocket.Chat gives every call into the app (webhook, job, event) a fixed
// time: 10 s on the oldest engine we claim (Apps-Engine 1.46, Rocket.Chat 6.13), 30 s from 1.48. The
// app cannot ask the engine for it: provider calls plan for the shortest, and file sizes follow the
// budget the Rocket.Chat side detects (rocketchat/engineBudget.ts). A call that overruns is failed by
// the engine (a webhook answers 500 and is redelivered; a job counts as failed) although the app's work
// goes on, so every provider call is bounded to leave room for the bridge calls around it.

/** One provider API call (a send, a state read, settings). Two fit in the shortest call (10 s), with room for the rest. */
export const PROVIDER_CALL_MS = 4_000;

/** One media download or upload (inside a job, never inside a webhook call). */
export const MEDIA_TRANSFER_MS = 7_000;

/**
 * The largest file WhatsApp carries in either direction (a document, Cloud API and GREEN-API alike); each kind has
 * its own limit in the provider's capabilities, and Rocket.Chat's upload limit bounds it further.
 */
export const MAX_MEDIA_BYTES = 100 * 1024 * 1024;

/**
 * The largest file one accessor call carries (an upload into a room, an agent's file read from Rocket.Chat), by the
 * engine's budget per call. The engine moves each call's data as one message over the app process's pipe, and its
 * decoder copies everything received so far on every read: the cost grows with the square of the size (measured,
 * `npm run bench` and test/integration/big-media.test.ts on a busy 2-core machine: decoding a 16 MB message takes
 * about a second, 32 MB up to 15 s, 64 MB up to a minute; a 32 MB document took 50–70 s from webhook to room, a
 * 100 MB upload got the app process killed). A crossing that outlasts the engine's pings (4 missed, 10 s apart) gets
 * the process killed, and a job over its budget is failed: a file larger than a third or so of what the budget
 * carries on a calm server gets a note naming its size instead.
 */
export function transferLimitBytes(callBudgetMs: number): number {
	return callBudgetMs >= 30_000 ? 16 * 1024 * 1024 : 8 * 1024 * 1024;
}
