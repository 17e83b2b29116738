import { ContactRecord, LINK_WINDOW, MessageLink, SEEN_WINDOW } from './records';
import { keysOf, primaryKey, secondaryKey } from './keys';
import { Store } from './Store';

const contactId = (instanceId: string, chatId: string) => `${instanceId}:${chatId}`;
const roomKey = (roomId: string) => `gab:room:${roomId}`;

/** A contact's associations: its key, plus the open room so an agent message finds it in one read. */
function contactKeys(c: Pick<ContactRecord, 'instanceId' | 'chatId' | 'roomId'>) {
	return keysOf('contact', contactId(c.instanceId, c.chatId), ...(c.roomId ? [roomKey(c.roomId)] : []));
}

export class ContactStore {
	constructor(private readonly store: Store) {}

	public get(instanceId: string, chatId: string): Promise<ContactRecord | undefined> {
		return this.store.get<ContactRecord>(primaryKey('contact', contactId(instanceId, chatId)));
	}

	public byRoom(roomId: string): Promise<ContactRecord | undefined> {
		return this.store.get<ContactRecord>(secondaryKey(roomKey(roomId)));
	}

	/**
	 * Writes the record. `stored` says under which room it is stored now (`{ roomId: undefined }` when
	 * without room), or `undefined` when it was never stored: associations are matched exactly, so a
	 * room change means remove + create.
	 */
	public async save(contact: ContactRecord, stored: { roomId?: string } | undefined = { roomId: contact.roomId }): Promise<void> {
		contact.seen = contact.seen.slice(-SEEN_WINDOW);
		contact.links = contact.links.slice(-LINK_WINDOW);
		if (stored && stored.roomId !== contact.roomId) {
			await this.store.remove(primaryKey('contact', contactId(contact.instanceId, contact.chatId)));
		}
		await this.store.put(contactKeys(contact), contact);
	}

	public async removeAllOf(instanceId: string, chatId: string): Promise<void> {
		await this.store.remove(primaryKey('contact', contactId(instanceId, chatId)));
	}
}

export function newContact(instanceId: string, chatId: string, name: string, phone?: string): ContactRecord {
	return { instanceId, chatId, name, phone, seen: [], links: [] };
}

export function findLink(contact: ContactRecord | undefined, by: { wa?: string; rc?: string }): MessageLink | undefined {
	if (!contact) return undefined;
	for (let i = contact.links.length - 1; i >= 0; i--) {
		const l = contact.links[i];
		if ((by.wa && l.wa === by.wa) || (by.rc && l.rc === by.rc)) return l;
	}
	return undefined;
}
