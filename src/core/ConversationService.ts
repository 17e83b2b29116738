import { WhatsAppProvider } from '../providers/Provider';
import { readSettings } from '../settings';
import { ContactStore } from '../store/ContactStore';
import { Store } from '../store/Store';
import { withChatLock } from './ChatLock';
import { Accessors } from './InboundService';
import { OutboundService } from './OutboundService';

/** Conversation lifecycle on the Rocket.Chat side (room closed by an agent). */
export class ConversationService {
	private readonly contacts: ContactStore;

	constructor(private readonly provider: WhatsAppProvider, private readonly a: Accessors) {
		this.contacts = new ContactStore(new Store(a.read.getPersistenceReader(), a.persis));
	}

	/** The next customer message opens a new room (same visitor); optionally say goodbye on WhatsApp. */
	public async roomClosed(roomId: string): Promise<void> {
		const contact = await this.contacts.byRoom(roomId);
		if (!contact) return;
		await withChatLock(`${contact.instanceId}:${contact.chatId}`, async () => {
			const current = (await this.contacts.get(contact.instanceId, contact.chatId)) || contact;
			if (current.roomId !== roomId) return;
			await this.contacts.save({ ...current, roomId: undefined }, { roomId });
		});
		const settings = await readSettings(this.a.read);
		if (settings.closeMessageEnabled && settings.closeMessageText.trim()) {
			await new OutboundService(this.provider, this.a).sendToContact(contact, `close:${roomId}`, roomId, settings.closeMessageText.trim());
		}
	}
}
