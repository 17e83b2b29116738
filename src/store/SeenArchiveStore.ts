import { SeenArchive } from '../core/ports/records';
import { keysOf, primaryKey } from './keys';
import { Store } from './Store';

/** Past the redelivery horizon an id cannot come back; the count bound protects against floods. */
const MAX_ENTRIES = 5000;

interface ArchiveRecord {
	entries: Array<{ id: string; at: number }>;
}

/** One record per chat holding its archived inbound ids (written once per batch, read only when needed). */
export class SeenArchiveStore implements SeenArchive {
	constructor(private readonly store: Store) {}

	public async has(instanceId: string, chatId: string, messageId: string): Promise<boolean> {
		const record = await this.store.get<ArchiveRecord>(primaryKey('seen', `${instanceId}:${chatId}`));
		return !!record?.entries.some((e) => e.id === messageId);
	}

	public async add(instanceId: string, chatId: string, entries: Array<{ id: string; at: number }>, horizonMs: number): Promise<void> {
		const key = `${instanceId}:${chatId}`;
		const record = await this.store.get<ArchiveRecord>(primaryKey('seen', key));
		// The newest batch's receipt time is now: entries stored with a later (payload) time by earlier
		// versions count as received now, so they cannot push everything else past the horizon.
		const newest = Math.max(...entries.map((e) => e.at));
		const earlier = (record?.entries || []).map((e) => (e.at > newest ? { id: e.id, at: newest } : e));
		const kept = [...earlier, ...entries].filter((e) => e.at >= newest - horizonMs).slice(-MAX_ENTRIES);
		await this.store.put(keysOf('seen', key), { entries: kept });
	}
}
