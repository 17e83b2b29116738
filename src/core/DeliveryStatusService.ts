import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { chatKeyOf, findLink } from './contacts';
import { CoreDeps } from './Core';
import { DeliveryState, DeliveryStatusEvent } from './ports/events';
import { noticeInRoom } from './notices';
import { InstanceRecord } from './ports/records';
import { describeFailure } from './reasons';
import { quoteLink } from './render';

// Statuses arrive out of order: a state only ever moves forward. A failure is final. States stored by
// 0.1.0 (GREEN-API names such as `noAccount`) rank as failures.
const DELIVERY_RANK: Record<DeliveryState, number> = { pending: 0, sent: 1, delivered: 2, read: 3, played: 3.5, failed: 4 };
const rank = (s: string | undefined) => DELIVERY_RANK[(s || 'pending') as DeliveryState] ?? DELIVERY_RANK.failed;

/** Delivery states of agent messages, told to the agent in the room when they fail. */
export class DeliveryStatusService {
	constructor(private readonly deps: CoreDeps) {}

	/** Statuses of one chat (a status webhook, or the outgoing journal): one read and at most one write. */
	public async apply(instance: InstanceRecord, chatId: string, events: DeliveryStatusEvent[]): Promise<void> {
		await withChatLock(chatKeyOf(instance.id, chatId), async () => {
			const contact = await this.deps.contacts.get(instance.id, chatId);
			if (!contact) return;
			const changed: Array<{ e: DeliveryStatusEvent; rc: string }> = [];
			for (const e of events) {
				const link = findLink(contact, { wa: e.messageId });
				// Only messages the business sent have a delivery state (a status naming a customer's
				// message is not ours to show).
				if (!link || link.dir !== 'out' || link.state === e.status || rank(e.status) < rank(link.state)) continue;
				link.state = e.status;
				changed.push({ e, rc: link.rc });
			}
			if (changed.length === 0) return;
			await this.deps.contacts.save(contact);
			const mode = contact.roomId ? (await this.deps.rc.settings()).deliveryStatus : 'none';
			for (const { e, rc } of changed) {
				if (!contact.roomId || mode === 'none') break;
				if (e.status === 'failed') {
					const reason = e.failure ? describeFailure(e.failure) : t('reason_delivery_failed');
					// The note quotes the agent's message (a link Rocket.Chat renders as a quote).
					await noticeInRoom(this.deps, contact.roomId, `${quoteLink(await this.deps.rc.siteUrl(), contact.roomId, rc)}⚠️ ${t('notice_delivery_failed', { reason })}`);
				} else if (mode === 'all' && (e.status === 'delivered' || e.status === 'read')) {
					await this.deps.rc.react(rc, e.status === 'read' ? ':eyes:' : ':white_check_mark:');
				}
			}
		});
	}
}
