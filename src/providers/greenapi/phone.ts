// WhatsApp ids ↔ E.164. Only `digits@c.us` ids carry a phone number: `@lid` ids are hidden-number
// aliases and `@g.us` are groups, so no phone is ever derived from them.

const CUS = /^(\d{5,20})@c\.us$/;

// The chat ids GREEN-API documents, and nothing else: a customer's number (full international form: no
// `+`, no leading zero), a hidden-number alias, or a group (old `<creator>-<time>` or new all-digit form).
// ASCII digits only: `\d` never matches full-width or Arabic-Indic digits. Anything else (`@newsletter`,
// `@broadcast`, `status@broadcast`, control characters, HTML, a bare suffix, `null`…) is not a customer's
// conversation and opens nothing.
const PRIVATE_CHAT = /^[1-9]\d{4,19}@c\.us$/;
const HIDDEN_CHAT = /^\d{1,25}@lid$/;
const GROUP_CHAT = /^(?:[1-9]\d{4,19}-\d{5,20}|\d{5,25})@g\.us$/;

export type ChatKind = 'private' | 'hidden' | 'group';

/** What kind of documented chat id this is, or undefined when it is none (or not a string). */
export function chatKind(id: unknown): ChatKind | undefined {
	if (typeof id !== 'string' || id.length > 64) return undefined;
	if (PRIVATE_CHAT.test(id)) return 'private';
	if (HIDDEN_CHAT.test(id)) return 'hidden';
	if (GROUP_CHAT.test(id)) return 'group';
	return undefined;
}

/** '79001234567@c.us' → '+79001234567'; anything else → undefined. */
export function phoneFromChatId(id: string | undefined): string | undefined {
	if (!id) return undefined;
	const m = CUS.exec(id.trim());
	return m ? `+${m[1]}` : undefined;
}

/** '+7 (900) 123-45-67' / '0079001234567' → '79001234567@c.us'. Undefined when too short to be a number. */
export function chatIdFromPhone(phone: string): string | undefined {
	// Leading zeros are an international dialling prefix ('00…') or noise; chat ids never start with 0.
	const digits = phone.replace(/\D/g, '').replace(/^0+/, '');
	return digits.length >= 7 && digits.length <= 15 ? `${digits}@c.us` : undefined;
}

export function isGroupChatId(id: string): boolean {
	return id.endsWith('@g.us');
}
