import { withChatLock } from './ChatLock';
import { chatKeyOf } from './contacts';
import { CoreDeps } from './Core';
import { findCustomerByAnyId } from './customers';
import { ContactNameEvent } from './ports/events';
import { InstanceRecord } from './ports/records';
import { RoomOpener } from './RoomOpener';

/**
 * The WhatsApp Business app's address book (coexistence numbers): the name the business gave a phone
 * names its visitor — a known customer is renamed now, a new one is created with it (RoomOpener reads
 * the book). A removed entry is forgotten; the visitor keeps the name it has.
 */
export class ContactNames {
	constructor(private readonly deps: CoreDeps) {}

	public async received(instance: InstanceRecord, e: ContactNameEvent): Promise<'renamed' | 'noted'> {
		await this.deps.businessApp.setContactName(instance.id, e.chatId, e.name);
		if (!e.name) return 'noted';
		const known = await findCustomerByAnyId(this.deps, instance.id, [e.chatId]);
		if (!known) return 'noted';
		const name = e.name;
		return withChatLock(chatKeyOf(instance.id, known.chatId), async () => {
			const contact = await this.deps.contacts.get(instance.id, known.chatId);
			if (!contact || !(await new RoomOpener(this.deps).rename(contact, name))) return 'noted';
			await this.deps.contacts.save(contact);
			return 'renamed';
		});
	}
}
