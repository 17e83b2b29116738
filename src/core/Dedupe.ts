import { CoreDeps, providerOf } from './Core';
import { ContactRecord, InstanceRecord, SEEN_WINDOW } from './ports/records';

/** Ids moved out of the contact record at once, so the archive is written once per this many messages. */
export const SEEN_BATCH = 50;

/**
 * Inbound dedupe for the provider's whole redelivery time (GREEN-API 24 h, Cloud API 7 days) with
 * bounded storage: the newest SEEN_WINDOW ids live in the contact record (checked for free, it is read
 * anyway); older ones move in batches to the chat's archive, which is read only for a message that is
 * not newer than the newest archived one — a redelivery or a journal entry of a busy chat.
 */
export class Dedupe {
	constructor(private readonly deps: CoreDeps) {}

	public async seen(instance: InstanceRecord, contact: ContactRecord | undefined, messageId: string, timestamp: number): Promise<boolean> {
		if (!contact) return false;
		if (contact.seen.includes(messageId)) return true;
		if (!contact.archivedUntil || !(timestamp <= contact.archivedUntil)) return false;
		return this.deps.seenArchive.has(instance.id, contact.chatId, messageId);
	}

	/** Records `messageId` as handled; archives the oldest batch once the window is full. */
	public async mark(instance: InstanceRecord, contact: ContactRecord, messageId: string, timestamp: number): Promise<void> {
		contact.seen.push(messageId);
		const times = (contact.seenTimes ||= []);
		while (times.length < contact.seen.length - 1) times.unshift(0); // ids stored before times were kept
		times.push(timestamp);
		if (contact.seen.length <= SEEN_WINDOW + SEEN_BATCH) return;
		const count = contact.seen.length - SEEN_WINDOW;
		const ids = contact.seen.splice(0, count);
		const at = times.splice(0, count);
		const entries = ids.map((id, i) => ({ id, at: at[i] || Date.now() }));
		const horizon = providerOf(this.deps, instance).capabilities.redeliveryMs;
		await this.deps.seenArchive.add(instance.id, contact.chatId, entries, horizon);
		contact.archivedUntil = Math.max(contact.archivedUntil || 0, ...entries.map((e) => e.at));
	}
}
