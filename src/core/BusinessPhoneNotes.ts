import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { addLink, chatKeyOf, findLink } from './contacts';
import { CoreDeps } from './Core';
import { Dedupe } from './Dedupe';
import { BusinessMessageEvent } from './ports/events';
import { InboundOutcome } from './outcomes';
import { noticeInRoom } from './notices';
import { InstanceRecord } from './ports/records';
import { renderContent } from './render';

/**
 * A message the business typed on its phone: a note in the customer's open room, so agents see the
 * whole conversation (mapped like an agent message, for quotes and statuses). Without an open room
 * there is nobody to show it to.
 */
export class BusinessPhoneNotes {
	constructor(private readonly deps: CoreDeps) {}

	public post(instance: InstanceRecord, e: BusinessMessageEvent): Promise<InboundOutcome> {
		return withChatLock(chatKeyOf(instance.id, e.chatId), async () => {
			const contact = await this.deps.contacts.get(instance.id, e.chatId);
			if (!contact?.roomId) return 'ignored';
			const dedupe = new Dedupe(this.deps);
			if ((await dedupe.seen(instance, contact, e.messageId, e.timestamp)) || findLink(contact, { wa: e.messageId })) return 'duplicate';
			const rc = await noticeInRoom(this.deps, contact.roomId, `📱 ${t('business_phone_message')}: ${renderContent(e.content)}`);
			if (!rc) return 'ignored';
			await dedupe.mark(instance, contact, e.messageId);
			addLink(contact, { wa: e.messageId, rc, dir: 'out', state: 'sent' });
			await this.deps.contacts.save(contact);
			return 'posted';
		});
	}
}
