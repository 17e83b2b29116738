import { CoreDeps, providerOf } from './Core';
import { ContactRecord, DedupeSection, InstanceRecord, SEEN_WINDOW } from './ports/records';

/** Ids moved out of the contact record at once, so the archive is written once per this many messages. */
export const SEEN_BATCH = 50;

/**
 * How far a provider's clock may run ahead of ours: a message stamped later than the newest archived
 * receipt by less than this may still be a redelivery of an archived one.
 */
export const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Inbound dedupe for the provider's whole redelivery time (GREEN-API 24 h, Cloud API 7 days) with
 * bounded storage: the newest SEEN_WINDOW ids live in the contact record (checked for free, it is read
 * anyway); older ones move in batches to the chat's archive, which is read only for a message that may
 * be older than the newest archived one — a redelivery or a journal entry of a busy chat.
 *
 * Times are when the app received each id, on its own clock: a payload's timestamp is the sender's
 * word, and one message dated in 2100 must not make the archive forget every earlier id.
 */
export class Dedupe {
	constructor(private readonly deps: CoreDeps) {}

	public async seen(instance: InstanceRecord, contact: ContactRecord | undefined, messageId: string, timestamp: number, now = Date.now()): Promise<boolean> {
		if (!contact) return false;
		const { ids, archivedUntil } = contact.dedupe;
		if (ids.includes(messageId)) return true;
		if (!archivedUntil) return false;
		// Stamped plausibly and after everything archived was received: it cannot be in the archive.
		if (timestamp > archivedUntil + CLOCK_SKEW_MS && timestamp <= now + CLOCK_SKEW_MS) return false;
		return this.deps.seenArchive.has(instance.id, contact.chatId, messageId);
	}

	/** Records `messageId` as handled, received now; archives the oldest batch once the window is full. */
	public async mark(instance: InstanceRecord, contact: ContactRecord, messageId: string, receivedAt = Date.now()): Promise<void> {
		const section = contact.dedupe;
		section.ids.push(messageId);
		const times = (section.times ||= []);
		while (times.length < section.ids.length - 1) times.unshift(0); // ids stored before times were kept
		times.push(receivedAt);
		if (section.ids.length <= SEEN_WINDOW + SEEN_BATCH) return;
		const count = section.ids.length - SEEN_WINDOW;
		const ids = section.ids.splice(0, count);
		// Records of earlier versions hold payload times: none counts as later than now.
		const at = times.splice(0, count).map((t) => Math.min(t || receivedAt, receivedAt));
		const entries = ids.map((id, i) => ({ id, at: at[i] }));
		const horizon = providerOf(this.deps, instance).capabilities.redeliveryMs;
		await this.deps.seenArchive.add(instance.id, contact.chatId, entries, horizon);
		section.archivedUntil = Math.max(Math.min(section.archivedUntil || 0, receivedAt), ...at);
	}
}

/** A record stored before the sections: its dedupe fields, bounded like a current one. */
export function upgradeDedupe(stored: { seen?: string[]; seenTimes?: number[]; archivedUntil?: number }): DedupeSection {
	const ids = (stored.seen || []).slice(-SEEN_WINDOW - SEEN_BATCH);
	const times = stored.seenTimes ? stored.seenTimes.slice(-ids.length) : undefined;
	return { ids, ...(times ? { times } : {}), ...(stored.archivedUntil ? { archivedUntil: stored.archivedUntil } : {}) };
}
