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
		const newest = Math.max(...entries.map((e) => e.at), ...(record?.entries || []).map((e) => e.at));
		const kept = [...(record?.entries || []), ...entries].filter((e) => e.at >= newest - horizonMs).slice(-MAX_ENTRIES);
		await this.store.put(keysOf('seen', key), { entries: kept });
	}
}
