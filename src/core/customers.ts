import { CoreDeps } from './Core';
import { ContactRecord } from './ports/records';

/**
 * The known customer among every id a payload names for one person (a BSUID, a phone…), tried in the
 * order given: the chat id the customer's own messages are keyed by comes first. The one place the
 * business-app paths (echoes, history, address-book names) find a customer, so a richer identity
 * lookup replaces it here only.
 */
export async function findCustomerByAnyId(deps: Pick<CoreDeps, 'contacts'>, instanceId: string, ids: string[]): Promise<ContactRecord | undefined> {
	const tried = new Set<string>();
	for (const id of ids) {
		for (const form of idForms(id)) {
			if (tried.has(form)) continue;
			tried.add(form);
			const contact = await deps.contacts.get(instanceId, form);
			if (contact) return contact;
		}
	}
	return undefined;
}

/** A phone is a chat id as digits (Cloud API wa_id) or as GREEN-API writes it (`digits@c.us`). */
function idForms(id: string): string[] {
	const digits = /^\+?(\d{7,15})(@c\.us)?$/.exec(id)?.[1];
	return digits ? [id, digits, `${digits}@c.us`] : [id];
}

/** The customer's phone as digits: their phone, else a chat id that is one (Cloud API wa_id, GREEN-API `…@c.us`). */
export function phoneDigits(contact: Pick<ContactRecord, 'phone' | 'chatId'>): string | undefined {
	return contact.phone?.replace(/\D/g, '') || /^(\d{7,15})(@c\.us)?$/.exec(contact.chatId)?.[1];
}
