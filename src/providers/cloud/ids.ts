// The identifiers a Cloud API webhook may carry, as documented, and nothing else: an authentic body
// with an id of another shape (10,000 digits, `status@broadcast`, a prototype name) opens nothing.

/** A wa_id: the customer's number in international form, digits only (E.164: at most 15; 7 at least). */
const WA_ID = /^[1-9]\d{6,14}$/;

/**
 * A business-scoped user id (`contacts[].user_id`, `from_user_id`, `recipient_user_id`): an ISO 3166
 * two-letter country code, a period, then alphanumerics; a parent id (`parent_user_id`, managed
 * portfolios) has `ENT.` after the country (`US.ENT.11815799212886844830`).
 * Sources disagree on the length: the reference summary gives "up to 128 characters" for the whole id,
 * 360dialog's and Microsoft's pages "up to 128 alphanumeric characters" after the period. The reading
 * that refuses no id either source calls valid is taken (128 after the prefix); anything longer, any
 * other character or a lower-case country is refused.
 */
const BSUID = /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/;

/**
 * A message id. WhatsApp's are `wamid.` + base64; the prefix is not required (nothing depends on it),
 * the characters and the length are (ids are stored for dedupe and shown in links).
 */
const MESSAGE_ID = /^[A-Za-z0-9+/=_.:-]{1,256}$/;

/** Phone-number ids and account ids are Graph object ids: digits. */
const GRAPH_ID = /^\d{1,25}$/;

export function isBsuid(id: unknown): boolean {
	return typeof id === 'string' && BSUID.test(id);
}

/** The value when it is a wa_id. */
export function asWaId(v: unknown): string | undefined {
	return typeof v === 'string' && WA_ID.test(v) ? v : undefined;
}

/** The value when it is a BSUID. */
export function asBsuid(v: unknown): string | undefined {
	return typeof v === 'string' && BSUID.test(v) ? v : undefined;
}

/** A customer as WhatsApp names one: a wa_id or a BSUID. */
export function isCustomerId(id: unknown): id is string {
	return asWaId(id) !== undefined || asBsuid(id) !== undefined;
}

export function isMessageId(id: unknown): id is string {
	return typeof id === 'string' && MESSAGE_ID.test(id);
}

export function isGraphId(id: unknown): id is string {
	return typeof id === 'string' && GRAPH_ID.test(id);
}
