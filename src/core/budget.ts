// Time budgets, in one place. Rocket.Chat gives every call into the app (webhook, job, event) a fixed
// time: 10 s on the oldest engine we claim (Apps-Engine 1.46, Rocket.Chat 6.13), 30 s from 1.48. The
// app cannot ask the engine which it is, so it plans for the shortest: a call that overruns is failed by
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
