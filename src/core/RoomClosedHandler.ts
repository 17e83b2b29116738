import { withChatLock } from './ChatLock';
import { chatKeyOf } from './contacts';
import { endRoom } from './RoomOpener';
import { CoreDeps } from './Core';
import { OutboundService } from './OutboundService';

/** A room closed in Rocket.Chat (by an agent): the chat forgets it, and the customer may be told goodbye. */
export class RoomClosedHandler {
	constructor(private readonly deps: CoreDeps) {}

	/** The next customer message opens a new room (same visitor); optionally say goodbye on WhatsApp. */
	public async roomClosed(roomId: string): Promise<void> {
		const contact = await this.deps.contacts.byRoom(roomId);
		if (!contact) return;
		await this.deps.openRooms.remove(roomId);
		await withChatLock(chatKeyOf(contact.instanceId, contact.chatId), async () => {
			const current = (await this.deps.contacts.get(contact.instanceId, contact.chatId)) || contact;
			if (current.roomId !== roomId) return;
			endRoom(current);
			await this.deps.contacts.save(current, { roomId });
		});
		const settings = await this.deps.rc.settings();
		if (settings.closeMessageEnabled && settings.closeMessageText.trim()) {
			await new OutboundService(this.deps).sendToContact(contact, `close:${roomId}`, roomId, settings.closeMessageText.trim());
		}
	}
}
