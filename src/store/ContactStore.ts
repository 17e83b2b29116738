import { upgradeQueues } from '../core/ChatQueue';
import { upgradeDedupe } from '../core/Dedupe';
import { ContactRecord, ContactRepository, LINK_WINDOW } from '../core/ports/records';
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

	public async get(instanceId: string, chatId: string): Promise<ContactRecord | undefined> {
		return upgradeContact(await this.store.get<StoredContact>(primaryKey('contact', contactId(instanceId, chatId))));
	}

	public async byRoom(roomId: string): Promise<ContactRecord | undefined> {
		return upgradeContact(await this.store.get<StoredContact>(secondaryKey(roomKey(roomId))));
	}

	/**
	 * Writes the record. `stored` says under which room it is stored now (`{ roomId: undefined }` when
	 * without room), or `undefined` when it was never stored: associations are matched exactly, so a
	 * room change means remove + create.
	 */
	public async save(contact: ContactRecord, stored: { roomId?: string } | undefined = { roomId: contact.roomId }): Promise<void> {
		if (stored && stored.roomId !== contact.roomId) {
			await this.store.remove(primaryKey('contact', contactId(contact.instanceId, contact.chatId)));
		}
		await this.store.put(contactKeys(contact), contact);
	}

}

/** A contact record as earlier versions stored it: dedupe and queue markers as loose fields. */
export type StoredContact = Omit<ContactRecord, 'dedupe'> & {
	dedupe?: ContactRecord['dedupe'];
	seen?: string[];
	seenTimes?: number[];
	archivedUntil?: number;
	pending?: string[];
	outPending?: string[];
};

/**
 * Records stored before the contact record had sections are upgraded on read (and written in the
 * new shape by the next save). May go once no installation runs a version older than 0.2.0.
 */
export function upgradeContact(stored: StoredContact | undefined): ContactRecord | undefined {
	if (!stored) return undefined;
	if (stored.dedupe && !('seen' in stored) && !('pending' in stored) && !('outPending' in stored)) return stored as ContactRecord;
	const { seen, seenTimes, archivedUntil, pending, outPending, dedupe, queues, links, ...rest } = stored;
	const upgradedQueues = queues || upgradeQueues({ pending, outPending });
	return {
		...rest,
		dedupe: dedupe || upgradeDedupe({ seen, seenTimes, archivedUntil }),
		...(upgradedQueues ? { queues: upgradedQueues } : {}),
		links: (links || []).slice(-LINK_WINDOW),
	};
}
