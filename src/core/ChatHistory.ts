import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { formatUtc } from './clock';
import { chatKeyOf, findLink } from './contacts';
import { CoreDeps } from './Core';
import { findCustomerByAnyId, phoneDigits } from './customers';
import { Dedupe } from './Dedupe';
import { errorText } from './failures';
import { noticeInRoom } from './notices';
import { InboundOutcome } from './outcomes';
import { ChatHistoryEvent } from './ports/events';
import { ContactRecord, InstanceRecord, PendingHistoryEntry } from './ports/records';
import { renderContent } from './render';

const DAY = 24 * 60 * 60_000;
/** At most this many past messages wait for (and go into) one customer's room: the newest are kept. */
export const MAX_HISTORY_PER_CHAT = 200;
/** A kept message's text is cut here (the record is read in full when the room opens). */
const MAX_KEPT_TEXT = 4096;

/**
 * What a coexistence number's customers said with the business before the app saw them: the history
 * sync after onboarding, and business-app messages written while the customer had no open room. They
 * go into the customer's room as marked notes (never as the customer, never to WhatsApp), oldest first,
 * within the admin's bound in days, each WhatsApp message id once (the dedupe live messages use).
 * A customer without an open room gets them when their next room opens.
 */
export class ChatHistory {
	constructor(private readonly deps: CoreDeps) {}

	/** One history thread: into the open room now, else kept for the customer's next room. */
	public async receive(instance: InstanceRecord, e: ChatHistoryEvent): Promise<InboundOutcome> {
		const { historyDays } = await this.deps.rc.settings();
		if (historyDays <= 0) return 'ignored';
		const since = Date.now() - historyDays * DAY;
		const messages = e.messages.filter((m) => m.timestamp >= since);
		if (!messages.length) return 'ignored';
		const known = await findCustomerByAnyId(this.deps, instance.id, [e.chatId, ...(e.customerIds || [])]);
		const chatId = known?.chatId ?? e.chatId;
		return withChatLock(chatKeyOf(instance.id, chatId), async () => {
			const contact = await this.deps.contacts.get(instance.id, chatId);
			const entries: PendingHistoryEntry[] = messages.map((m) => ({ messageId: m.messageId, timestamp: m.timestamp, fromBusiness: m.fromBusiness, origin: 'history', text: renderContent(m.content) }));
			if (contact?.roomId) {
				const posted = await this.post(instance, contact, entries, since);
				if (posted) await this.deps.contacts.save(contact);
				return posted ? 'posted' : 'duplicate';
			}
			return (await this.keep(instance, chatId, contact, entries)) ? 'queued' : 'duplicate';
		});
	}

	/** Adds entries to what waits for the chat's next room (by message id, oldest first, bounded). False: nothing new. */
	public async keep(instance: InstanceRecord, chatId: string, contact: ContactRecord | undefined, entries: PendingHistoryEntry[]): Promise<boolean> {
		const dedupe = new Dedupe(this.deps);
		const waiting = await this.deps.businessApp.pendingHistory(instance.id, chatId);
		const have = new Set(waiting.map((w) => w.messageId));
		const fresh: PendingHistoryEntry[] = [];
		for (const entry of entries) {
			if (have.has(entry.messageId) || findLink(contact, { wa: entry.messageId }) || (await dedupe.seen(instance, contact, entry.messageId, entry.timestamp))) continue;
			have.add(entry.messageId);
			fresh.push({ ...entry, text: entry.text.slice(0, MAX_KEPT_TEXT) });
		}
		if (!fresh.length) return false;
		await this.deps.businessApp.savePendingHistory(instance.id, chatId, chronological([...waiting, ...fresh]).slice(-MAX_HISTORY_PER_CHAT));
		return true;
	}

	/** Rewrites a waiting business-app message (edited or deleted on the phone). False: none waits under that id. */
	public async amend(instance: InstanceRecord, chatId: string, messageId: string, change: { text?: string; deleted?: boolean }): Promise<boolean> {
		const waiting = await this.deps.businessApp.pendingHistory(instance.id, chatId);
		const entry = waiting.find((w) => w.messageId === messageId);
		if (!entry) return false;
		if (change.deleted) entry.deleted = true;
		if (change.text !== undefined) {
			entry.text = change.text;
			entry.edited = true;
		}
		await this.deps.businessApp.savePendingHistory(instance.id, chatId, waiting);
		return true;
	}

	/**
	 * A room just opened for `contact` (the caller saves it): what waited is posted first. Never fails the
	 * opening: a note that cannot be posted is logged and the rest stays for the next room.
	 */
	public async flushInto(instance: InstanceRecord, contact: ContactRecord): Promise<void> {
		try {
			const keys = [...new Set([contact.chatId, phoneDigits(contact)].filter((k): k is string => !!k))];
			const lists = await Promise.all(keys.map((k) => this.deps.businessApp.pendingHistory(instance.id, k)));
			const entries = lists.flat();
			if (!entries.length) return;
			const { historyDays } = await this.deps.rc.settings();
			// Business-app messages written while no room was open are recent by nature; the bound is for the history sync.
			await this.post(instance, contact, entries, Date.now() - Math.max(0, historyDays) * DAY, (e) => e.origin === 'phone' || historyDays > 0);
			await Promise.all(keys.filter((_, i) => lists[i].length).map((k) => this.deps.businessApp.savePendingHistory(instance.id, k, [])));
		} catch (e) {
			this.deps.log?.error(`history of ${contact.chatId} not posted: ${errorText(e)}`);
		}
	}

	/** Posts entries (oldest first) not seen yet into the contact's room; marks them seen. How many were posted. */
	private async post(instance: InstanceRecord, contact: ContactRecord, entries: PendingHistoryEntry[], since: number, wanted: (e: PendingHistoryEntry) => boolean = () => true): Promise<number> {
		const roomId = contact.roomId;
		if (!roomId) return 0;
		const dedupe = new Dedupe(this.deps);
		let posted = 0;
		const chosen = chronological(entries).filter((e) => wanted(e) && (e.origin === 'phone' || e.timestamp >= since)).slice(-MAX_HISTORY_PER_CHAT);
		for (const entry of chosen) {
			if (findLink(contact, { wa: entry.messageId }) || (await dedupe.seen(instance, contact, entry.messageId, entry.timestamp))) continue;
			const id = await noticeInRoom(this.deps, roomId, historyLine(entry, contact.name));
			if (!id) continue;
			await dedupe.mark(instance, contact, entry.messageId);
			posted++;
		}
		return posted;
	}
}

function chronological(entries: PendingHistoryEntry[]): PendingHistoryEntry[] {
	return [...entries].sort((a, b) => a.timestamp - b.timestamp || a.messageId.localeCompare(b.messageId));
}

/** How a past message reads: marked as history (or as the business phone's), with its own time and side. */
export function historyLine(e: PendingHistoryEntry, customerName: string): string {
	const time = formatUtc(e.timestamp);
	if (e.origin === 'phone') {
		if (e.deleted) return `📱 ${t('business_phone_message_deleted')} (${time})`;
		return `📱 ${t(e.edited ? 'business_phone_message_edited' : 'business_phone_message')} (${time}): ${e.text}`;
	}
	const who = e.fromBusiness ? t('history_business') : customerName;
	return `🕘 ${t('history_message', { time, who })}: ${e.text}`;
}
