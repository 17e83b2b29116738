import { InstanceRecord, InstanceRepository } from '../core/ports/records';
import { keysOf, kindKey, primaryKey } from './keys';
import { Store } from './Store';

// Instances are read on every webhook: keep a short-lived per-process copy (module state is
// per Deno process only; a change made on another cluster node is seen within CACHE_MS).
const CACHE_MS = 30_000;
// Cache: instance records for CACHE_MS; losing it costs one persistence read per instance.
const cache = new Map<string, { record: InstanceRecord; at: number }>();

export class InstanceStore implements InstanceRepository {
	constructor(private readonly store: Store) {}

	/** `fresh` skips the per-process cache (before a read-modify-write). */
	public async get(id: string, fresh = false): Promise<InstanceRecord | undefined> {
		const now = Date.now();
		const hit = cache.get(id);
		if (!fresh && hit && now - hit.at < CACHE_MS) return hit.record;
		const stored = await this.store.get<StoredInstance>(primaryKey('instance', id));
		const record = stored && upgradeInstance(stored);
		if (record) cache.set(id, { record, at: now });
		else cache.delete(id);
		return record;
	}

	public async list(): Promise<InstanceRecord[]> {
		return (await this.store.list<StoredInstance>(kindKey('instance'))).map(upgradeInstance);
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

/** What version 0.1.0 stored: the GREEN-API credential set at the top level, `wid`, `webhookToken`. */
type StoredInstance = InstanceRecord | (Omit<InstanceRecord, 'credentials' | 'webhookSecret' | 'number'> & Record<string, unknown>);

const NEUTRAL_FIELDS: ReadonlyArray<string> = [
	'id', 'provider', 'number', 'webhookSecret', 'credentials', 'departmentId', 'state', 'health', 'stateChangedAt',
	'lastHeardAt', 'lastError', 'alertedState', 'recoveredUntil', 'sendsPerSecond', 'createdAt',
];

/**
 * Records of 0.1.0 keep working: `webhookToken` is the webhook secret (it also keys the visitor tokens,
 * so it must not change), `wid` (`digits@c.us`) the number, and every other field the provider's
 * credentials. Written back in the new shape on the next save — which a quiet number may never get, so
 * this may go only when upgrading straight from 0.1.0 is no longer supported (said in the release notes).
 */
export function upgradeInstance(raw: StoredInstance): InstanceRecord {
	if ('credentials' in raw && raw.credentials && typeof raw.credentials === 'object') return raw as InstanceRecord;
	const legacy = raw as Record<string, unknown>;
	const credentials: Record<string, string> = {};
	const record: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(legacy)) {
		if (key === 'webhookToken' || key === 'wid') continue;
		if (NEUTRAL_FIELDS.includes(key)) record[key] = value;
		else if (typeof value === 'string') credentials[key] = value;
	}
	record.webhookSecret = String(legacy.webhookToken ?? '');
	record.credentials = credentials;
	const wid = typeof legacy.wid === 'string' ? legacy.wid : '';
	if (wid) record.number = wid.split('@')[0];
	return record as unknown as InstanceRecord;
}
