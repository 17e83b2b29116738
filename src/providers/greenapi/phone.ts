// WhatsApp ids ↔ E.164. Only `digits@c.us` ids carry a phone number: `@lid` ids are hidden-number
// aliases and `@g.us` are groups, so no phone is ever derived from them.

const CUS = /^(\d{5,20})@c\.us$/;

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
