import { ContactRecord, MessageLink } from './ports/records';

export function newContact(instanceId: string, chatId: string, name: string, phone?: string): ContactRecord {
	return { instanceId, chatId, name, phone, seen: [], links: [] };
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
