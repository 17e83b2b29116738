import { CoreDeps } from './Core';
import { findContactByAnyPersonId } from './personIndex';
import { ContactRecord } from './ports/records';

/**
 * The known customer among every id a payload names for one person (a BSUID, a phone…), tried in the
 * order given: the chat id the customer's own messages are keyed by comes first. Each id is tried in its
 * chat-id forms through the person index, so an echo naming only the phone finds a customer whose room
 * was opened under their BSUID once a webhook has named both.
 */
export async function findCustomerByAnyId(deps: Pick<CoreDeps, 'contacts' | 'people'>, instanceId: string, ids: string[]): Promise<ContactRecord | undefined> {
	const forms = [...new Set(ids.flatMap(idForms))];
	return findContactByAnyPersonId(deps, instanceId, forms.map((value) => ({ kind: 'chat' as const, value })));
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
