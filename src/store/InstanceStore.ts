import { InstanceRecord } from './records';
import { keysOf, kindKey, primaryKey } from './keys';
import { Store } from './Store';

// Instances are read on every webhook: keep a short-lived per-process copy (module state is
// per Deno process only; a change made on another cluster node is seen within CACHE_MS).
const CACHE_MS = 30_000;
const cache = new Map<string, { record: InstanceRecord; at: number }>();

export class InstanceStore {
	constructor(private readonly store: Store) {}

	/** `fresh` skips the per-process cache (before a read-modify-write). */
	public async get(id: string, fresh = false): Promise<InstanceRecord | undefined> {
		const now = Date.now();
		const hit = cache.get(id);
		if (!fresh && hit && now - hit.at < CACHE_MS) return hit.record;
		const record = await this.store.get<InstanceRecord>(primaryKey('instance', id));
		if (record) cache.set(id, { record, at: now });
		else cache.delete(id);
		return record;
	}

	public async list(): Promise<InstanceRecord[]> {
		return this.store.list<InstanceRecord>(kindKey('instance'));
	}

	public async save(record: InstanceRecord): Promise<void> {
		await this.store.put(keysOf('instance', record.id), record);
		cache.set(record.id, { record, at: Date.now() });
	}

	public async remove(id: string): Promise<void> {
		await this.store.remove(primaryKey('instance', id));
		cache.delete(id);
	}
}

/** For tests of the cache itself. */
export function clearInstanceCache(): void {
	cache.clear();
}
