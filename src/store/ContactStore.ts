import { ContactRecord, ContactRepository, LINK_WINDOW, SEEN_WINDOW } from '../core/ports/records';
import { keysOf, primaryKey, secondaryKey } from './keys';
import { Store } from './Store';

const contactId = (instanceId: string, chatId: string) => `${instanceId}:${chatId}`;
const roomKey = (roomId: string) => `gab:room:${roomId}`;

/** A contact's associations: its key, plus the open room so an agent message finds it in one read. */
function contactKeys(c: Pick<ContactRecord, 'instanceId' | 'chatId' | 'roomId'>) {
	return keysOf('contact', contactId(c.instanceId, c.chatId), ...(c.roomId ? [roomKey(c.roomId)] : []));
}

export class ContactStore implements ContactRepository {
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
		// The core archives older ids in batches (core/Dedupe.ts); this only bounds a record that missed it.
		if (contact.seen.length > 2 * SEEN_WINDOW) {
			contact.seen = contact.seen.slice(-SEEN_WINDOW);
			if (contact.seenTimes) contact.seenTimes = contact.seenTimes.slice(-SEEN_WINDOW);
		}
		contact.links = contact.links.slice(-LINK_WINDOW);
		if (stored && stored.roomId !== contact.roomId) {
			await this.store.remove(primaryKey('contact', contactId(contact.instanceId, contact.chatId)));
		}
		await this.store.put(contactKeys(contact), contact);
	}

}
