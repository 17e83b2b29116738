import { BusinessAppRecords, PendingHistoryEntry } from '../core/ports/records';
import { keysOf, primaryKey } from './keys';
import { Store } from './Store';

/** One record per named phone (read once when a room opens) and one per chat with waiting history. */
export class BusinessAppStore implements BusinessAppRecords {
	constructor(private readonly store: Store) {}

	public async contactName(instanceId: string, phone: string): Promise<string | undefined> {
		return (await this.store.get<{ name: string }>(primaryKey('bizname', `${instanceId}:${phone}`)))?.name;
	}

	public async setContactName(instanceId: string, phone: string, name: string | undefined): Promise<void> {
		const key = `${instanceId}:${phone}`;
		if (name === undefined) return this.store.remove(primaryKey('bizname', key));
		await this.store.put(keysOf('bizname', key), { name });
	}

	public async pendingHistory(instanceId: string, chatId: string): Promise<PendingHistoryEntry[]> {
		return (await this.store.get<{ entries: PendingHistoryEntry[] }>(primaryKey('history', `${instanceId}:${chatId}`)))?.entries || [];
	}

	public async savePendingHistory(instanceId: string, chatId: string, entries: PendingHistoryEntry[]): Promise<void> {
		const key = `${instanceId}:${chatId}`;
		if (!entries.length) return this.store.remove(primaryKey('history', key));
		await this.store.put(keysOf('history', key), { entries });
	}
}
