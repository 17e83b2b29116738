import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { chatKeyOf, findLink } from './contacts';
import { CoreDeps, providerOf, sessionOf } from './Core';
import { describeFailure, errorText } from './failures';
import { DeliveryState, DeliveryStatusEvent } from './ports/events';
import { noticeInRoom, windowClosedNotice } from './notices';
import { ContactRecord, InstanceRecord, MessageLink } from './ports/records';
import { quoteLink } from './render';
import { isWindowClosedFailure, windowHours } from './serviceWindow';
import { own } from './ports/lookup';
import { Identity, personIdsOf } from './identity';
import { isMarketingStoppedFailure, recordMarketingChoice } from './MarketingPreferences';
import { UsageLedger } from './UsageLedger';

// Statuses arrive out of order: a state only ever moves forward. A failure is final. States stored by
// 0.1.0 (GREEN-API names such as `noAccount`) rank as failures; a quiet chat keeps its old links, so that
// fallback may go only when upgrading straight from 0.1.0 is no longer supported.
const DELIVERY_RANK: Record<DeliveryState, number> = { pending: 0, sent: 1, delivered: 2, read: 3, played: 3.5, failed: 4 };
const rank = (s: string | undefined) => own(DELIVERY_RANK, s || 'pending') ?? DELIVERY_RANK.failed;

/** What "Delivery status shown to agents: all" shows for a state: the reaction, or the note where the app may not react. */
const PROGRESS: Partial<Record<DeliveryState, { reaction: string; note: string }>> = {
	delivered: { reaction: ':white_check_mark:', note: '✅' },
	read: { reaction: ':eyes:', note: '👀' },
};

/** Delivery states of agent messages, told to the agent in the room when they fail. */
export class DeliveryStatusService {
	constructor(private readonly deps: CoreDeps) {}

	/**
	 * A status webhook. One that names only the message (a provider's older format) is matched by its id:
	 * the provider says which chat it was sent to. That lookup is made for such statuses only; when the
	 * provider cannot be asked, the status is left to the journal's reconciliation rather than failing the webhook.
	 */
	public async receive(instance: InstanceRecord, event: DeliveryStatusEvent): Promise<void> {
		let chatId = event.chatId;
		if (!chatId) {
			const recovery = sessionOf(this.deps, instance).recovery;
			try {
				chatId = recovery?.chatOfSentMessage ? await recovery.chatOfSentMessage(event.messageId) : undefined;
			} catch (e) {
				this.deps.log?.info(`status of ${instance.id}:${event.messageId} without chat: ${errorText(e)}`);
				return;
			}
			if (!chatId) {
				this.deps.log?.info(`status of ${instance.id}:${event.messageId} without chat: the message is not one the business sent recently`);
				return;
			}
		}
		await this.apply(instance, chatId, [{ ...event, chatId }]);
	}

	/** Statuses of one chat (a status webhook, or the outgoing journal): one read and at most one write. */
	public async apply(instance: InstanceRecord, chatId: string, events: DeliveryStatusEvent[], redirected = false): Promise<void> {
		await withChatLock(chatKeyOf(instance.id, chatId), async () => {
			const contact = await this.deps.contacts.get(instance.id, chatId);
			if (!contact) {
				// A status may name the customer by another id than their chat's (a user id for a customer known by phone).
				const ids = redirected ? [] : personIdsOf({ chatId, people: events.flatMap((e) => e.people || []) });
				const known = ids.length ? await new Identity(this.deps).findChatOfAnyPersonId(instance.id, ids) : undefined;
				if (known && known !== chatId) await this.apply(instance, known, events.map((e) => ({ ...e, chatId: known })), true);
				return;
			}
			const changed: Array<{ e: DeliveryStatusEvent; link: MessageLink }> = [];
			const provider = providerOf(this.deps, instance);
			const caps = provider.capabilities;
			// Prices first told now: counted in the month's totals once the contact (which remembers them) is saved.
			const priced: DeliveryStatusEvent[] = [];
			let preferenceChanged = false;
			for (const e of events) {
				const link = findLink(contact, { wa: e.messageId });
				// Only messages the business sent have a delivery state (a status naming a customer's
				// message is not ours to show).
				if (!link || link.dir !== 'out') continue;
				// The price comes with sent and delivered alike, in any order: the first one that tells is kept.
				if (e.pricing && !link.pricing) {
					link.pricing = e.pricing;
					priced.push(e);
				}
				// WhatsApp refused a marketing template because the customer stopped marketing messages.
				if (e.status === 'failed' && isMarketingStoppedFailure(caps, e.failure)) {
					const before = JSON.stringify(contact.marketing ?? null);
					recordMarketingChoice(contact, true, e.timestamp, 'refusal');
					preferenceChanged = JSON.stringify(contact.marketing ?? null) !== before || preferenceChanged;
				}
				if (link.state === e.status || rank(e.status) < rank(link.state)) continue;
				link.state = e.status;
				changed.push({ e, link });
			}
			if (changed.length === 0 && priced.length === 0 && !preferenceChanged) return;
			await this.deps.contacts.save(contact);
			if (priced.length) await new UsageLedger(this.deps).count(instance.id, priced);
			if (changed.length === 0) return;
			const mode = contact.roomId ? (await this.deps.rc.settings()).deliveryStatus : 'none';
			let notesPosted = false;
			for (const [i, { e, link }] of changed.entries()) {
				if (!contact.roomId || mode === 'none') break;
				if (e.status === 'failed' && isWindowClosedFailure(caps, e.failure)) {
					// Accepted, then refused for the window (Cloud API reports 131047 this way): offer a template.
					await windowClosedNotice(this.deps, contact.roomId, { messageId: link.rc, lastInboundAt: contact.lastInboundAt, hours: windowHours(caps), templates: !!provider.templates });
				} else if (e.status === 'failed') {
					const reason = e.failure ? describeFailure(e.failure) : t('reason_delivery_failed');
					// The note quotes the agent's message (a link Rocket.Chat renders as a quote).
					await noticeInRoom(this.deps, contact.roomId, `${quoteLink(await this.deps.rc.siteUrl(), contact.roomId, link.rc)}⚠️ ${t('notice_delivery_failed', { reason })}`);
				} else if (mode === 'all' && own(PROGRESS, e.status) && !changed.slice(i + 1).some((later) => later.link === link)) {
					// Only a message's newest state of this batch is shown (a journal can bring delivered and read at once).
					notesPosted = (await this.showProgress(contact, link, e.status)) || notesPosted;
				}
			}
			if (notesPosted) await this.deps.contacts.save(contact);
		});
	}

	/**
	 * Delivered / read as the app user's reaction where the engine offers reactions and Rocket.Chat lets the
	 * app user react in the room; otherwise the short note the setting promises — one per message, edited
	 * from delivered to read, so the room stays readable. True when the note's id changed (to be saved).
	 */
	private async showProgress(contact: ContactRecord, link: MessageLink, state: DeliveryState): Promise<boolean> {
		const shown = PROGRESS[state]!;
		if (await this.deps.rc.react(link.rc, shown.reaction)) return false;
		const roomId = contact.roomId!;
		const text = `${quoteLink(await this.deps.rc.siteUrl(), roomId, link.rc)}${shown.note} ${t(`notice_status_${state}`)}`;
		if (link.stateNoteId && (await this.deps.rc.updateMessageText(link.stateNoteId, text))) return false;
		const noteId = await noticeInRoom(this.deps, roomId, text);
		if (!noteId) return false;
		link.stateNoteId = noteId;
		return true;
	}
}
