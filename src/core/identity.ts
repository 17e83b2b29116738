// One customer, one conversation, whatever WhatsApp names them by. A webhook may name the same person by a
// phone-based id, a business-scoped user id (and its parent), a username or GREEN-API's `@lid` alias, and
// which one varies between messages, statuses and providers' methods. Every id seen is linked to the contact
// (its `people`, and one person-index entry per id → the contact's chat), and every path that looks a customer
// up by an event's ids goes through `findContactByAnyPersonId`.

import { CoreDeps, providerOf, sessionOf } from './Core';
import { describeFailure } from './failures';
import { serviceWindow } from './serviceWindow';
import { PersonId } from './ports/events';
import { AnsweredRecipient } from './ports/provider';
import { ContactRecord } from './ports/records';
import { readdress, recordPeople } from './RoomOpener';
import { findChatOfAnyPersonId, findContactByAnyPersonId, personIdsOf, personKey } from './personIndex';

export { personIdsOf, personKey } from './personIndex';

export class Identity {
	constructor(private readonly deps: Pick<CoreDeps, 'contacts' | 'people'>) {}

	/**
	 * The one function for "find the contact of a person by any id": the contact any of `ids` is linked to
	 * (in the order given), else one stored under one of them as its key (records older than the index).
	 */
	public findContactByAnyPersonId(instanceId: string, ids: PersonId[]): Promise<ContactRecord | undefined> {
		return findContactByAnyPersonId(this.deps, instanceId, ids);
	}

	/**
	 * The chat (contact key) any of `ids` belongs to. An id linked a moment ago names its chat even before
	 * that chat's first message is saved: the caller then waits on that chat's lock instead of opening a
	 * second conversation.
	 */
	public findChatOfAnyPersonId(instanceId: string, ids: PersonId[], noContactAt?: string): Promise<string | undefined> {
		return findChatOfAnyPersonId(this.deps, instanceId, ids, noContactAt);
	}

	/**
	 * Links `ids` to the chat `chatId` (the contact's key): index entries for the ids not linked yet, and the
	 * contact's own list when there is a contact (saved by the caller). True when something was new.
	 */
	public async link(instanceId: string, chatId: string, contact: ContactRecord | undefined, ids: PersonId[]): Promise<boolean> {
		// The chat id itself needs no entry: the contact is stored under it.
		const fresh = ids.map(personKey).filter((k) => k !== `chat:${chatId}` && !contact?.people?.includes(k));
		if (!fresh.length) return false;
		for (const key of fresh) await this.deps.people.link(instanceId, key, chatId);
		if (contact) recordPeople(contact, fresh);
		return true;
	}

	/**
	 * How WhatsApp named the recipient of a send: its ids are the contact's, and its id is where the next
	 * messages go (a Brazilian number sent with the 9th digit answers the wa_id without it; the customer's
	 * replies come from that wa_id). Saved by the caller.
	 */
	public async answered(contact: ContactRecord, recipient: AnsweredRecipient | undefined): Promise<void> {
		if (!recipient || (recipient.chatId === addressOf(contact, contact.chatId) && recipient.people.every((id) => contact.people?.includes(personKey(id))))) return;
		await this.link(contact.instanceId, contact.chatId, contact, personIdsOf(recipient));
		readdress(contact, recipient.chatId, recipient.people.find((id) => id.kind === 'phone')?.value);
	}
}

/** Where a contact's messages go: the id WhatsApp answered or the customer changed to, else its chat. */
export function addressOf(contact: Pick<ContactRecord, 'chatId' | 'sendTo'> | undefined, chatId: string): string {
	return contact?.sendTo || chatId;
}

export type NumberRequestResult =
	| { ok: true }
	| { ok: false; why: 'not-whatsapp-room' | 'unsupported' | 'window-closed'; provider?: string }
	| { ok: false; why: 'failed'; detail: string };

/**
 * An agent asks the customer of a room to share their phone number (a username customer's is withheld):
 * WhatsApp shows `text` with its "Share contact info" button; the number the customer shares is linked to
 * the contact when their answer arrives (the provider names it among the answer's ids).
 */
export async function askForNumber(deps: CoreDeps, roomId: string, text: string): Promise<NumberRequestResult> {
	const contact = await deps.contacts.byRoom(roomId);
	const instance = contact ? await deps.instances.get(contact.instanceId) : undefined;
	if (!contact || !instance) return { ok: false, why: 'not-whatsapp-room' };
	const provider = providerOf(deps, instance);
	const session = sessionOf(deps, instance);
	if (!session.requestContactInfo) return { ok: false, why: 'unsupported', provider: provider.label };
	const window = serviceWindow(provider.capabilities, contact.lastInboundAt, Date.now());
	if (window.applies && !window.open) return { ok: false, why: 'window-closed' };
	const sent = await session.requestContactInfo({ chatId: addressOf(contact, contact.chatId), text });
	return sent.ok ? { ok: true } : { ok: false, why: 'failed', detail: describeFailure(sent) };
}
