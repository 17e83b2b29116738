import { ContactRecord, LINK_WINDOW, MessageLink } from './ports/records';

export function newContact(instanceId: string, chatId: string, name: string, phone?: string, people?: string[]): ContactRecord {
	return { instanceId, chatId, name, phone, ...(people?.length ? { people } : {}), dedupe: { ids: [] }, links: [] };
}

/** The newest link matching a WhatsApp or a Rocket.Chat message id. */
export function findLink(contact: ContactRecord | undefined, by: { wa?: string; rc?: string }): MessageLink | undefined {
	if (!contact) return undefined;
	for (let i = contact.links.length - 1; i >= 0; i--) {
		const l = contact.links[i];
		if ((by.wa && l.wa === by.wa) || (by.rc && l.rc === by.rc)) return l;
	}
	return undefined;
}

/** Messages of one chat are handled in order under this key (locks, queues). */
export function chatKeyOf(instanceId: string, chatId: string): string {
	return `${instanceId}:${chatId}`;
}

/** Records a WhatsApp ↔ Rocket.Chat id pair (the id map keeps the newest LINK_WINDOW). */
export function addLink(contact: ContactRecord, link: MessageLink): void {
	contact.links.push(link);
	if (contact.links.length > LINK_WINDOW) contact.links.splice(0, contact.links.length - LINK_WINDOW);
}
