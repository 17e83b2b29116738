import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { ChatHistory } from './ChatHistory';
import { formatUtc } from './clock';
import { addLink, chatKeyOf, findLink } from './contacts';
import { CoreDeps } from './Core';
import { findCustomerByAnyId } from './customers';
import { Dedupe } from './Dedupe';
import { BusinessMessageEvent } from './ports/events';
import { InboundOutcome } from './outcomes';
import { noticeInRoom } from './notices';
import { ContactRecord, InstanceRecord } from './ports/records';
import { renderContent } from './render';

/**
 * A message the business typed on its phone (the WhatsApp Business app of a coexistence number, or the
 * phone a GREEN-API instance is linked to): a note by the app in the customer's room, marked as the
 * business phone's, so agents see the whole conversation. It is never the customer's message and never
 * goes back to WhatsApp (the app's own notes are not agent messages). The customer is found by any id
 * the payload names; without an open room the note waits for the customer's next room (numbers of the
 * WhatsApp Business app). The business
 * editing or deleting such a message on its phone rewrites the note, told as the business's doing.
 */
export class BusinessPhoneNotes {
	constructor(private readonly deps: CoreDeps) {}

	public async post(instance: InstanceRecord, e: BusinessMessageEvent): Promise<InboundOutcome> {
		const known = await findCustomerByAnyId(this.deps, instance.id, [e.chatId, ...(e.customerIds || [])]);
		const chatId = known?.chatId ?? e.chatId;
		return withChatLock(chatKeyOf(instance.id, chatId), async () => {
			const contact = await this.deps.contacts.get(instance.id, chatId);
			const dedupe = new Dedupe(this.deps);
			if ((await dedupe.seen(instance, contact, e.messageId, e.timestamp)) || findLink(contact, { wa: e.messageId })) return 'duplicate';
			const c = e.content;
			if (c.kind === 'edit' || c.kind === 'delete') return this.amend(instance, chatId, contact, e, c.kind === 'edit' ? { text: c.text } : { deleted: true }, c.targetMessageId);
			const text = renderContent(c);
			if (!contact?.roomId) {
				// A phone linked to the app (GREEN-API) writes to personal chats too: only a number known to be
				// used in the WhatsApp Business app keeps such messages for the customer's next room.
				if (!instance.businessApp) return 'ignored';
				const kept = await new ChatHistory(this.deps).keep(instance, chatId, contact, [{ messageId: e.messageId, timestamp: e.timestamp, fromBusiness: true, origin: 'phone', text }]);
				return kept ? 'queued' : 'duplicate';
			}
			const rc = await noticeInRoom(this.deps, contact.roomId, `📱 ${t('business_phone_message')}: ${text}`);
			if (!rc) return 'ignored';
			await dedupe.mark(instance, contact, e.messageId);
			addLink(contact, { wa: e.messageId, rc, dir: 'out', state: 'sent', businessApp: true });
			await this.deps.contacts.save(contact);
			return 'posted';
		});
	}

	/**
	 * The business edited or deleted one of its messages on the phone. The app's note of it is rewritten;
	 * a message the note is not the app's (an agent's, sent through the app) gets a new note instead, so
	 * nothing an agent wrote is changed (and no edit goes to WhatsApp).
	 */
	private async amend(instance: InstanceRecord, chatId: string, contact: ContactRecord | undefined, e: BusinessMessageEvent, change: { text?: string; deleted?: boolean }, targetId: string): Promise<InboundOutcome> {
		const link = findLink(contact, { wa: targetId });
		const line = change.deleted ? `📱 ${t('business_phone_message_deleted')}` : `📱 ${t('business_phone_message_edited')}: ${change.text ?? ''}`;
		if (!contact?.roomId || !link) {
			// Not in a room yet: the waiting note changes (or nothing is known of it).
			return (await new ChatHistory(this.deps).amend(instance, chatId, targetId, change)) ? 'queued' : 'ignored';
		}
		const dedupe = new Dedupe(this.deps);
		if (link.businessApp && (await this.deps.rc.updateMessageText(link.rc, line))) {
			await dedupe.mark(instance, contact, e.messageId);
			await this.deps.contacts.save(contact);
			return 'posted';
		}
		const note = await noticeInRoom(this.deps, contact.roomId, `${line} (${formatUtc(e.timestamp)})`);
		if (!note) return 'ignored';
		await dedupe.mark(instance, contact, e.messageId);
		await this.deps.contacts.save(contact);
		return 'posted';
	}
}
