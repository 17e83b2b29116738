// PersistenceBridge with rocketchat_apps_persistence semantics: reads/removes by associations are `$all` subset
// matches returning `data` only; updateByAssociations matches the exact associations array (order included).
import { PersistenceBridge } from '@rocket.chat/apps-engine/server/bridges/PersistenceBridge';
import { clone, PersistenceRecord, randomId, RcState } from '../state';

type Assoc = { model: string; id: string };
/** BSON equality of embedded documents compares fields in order: {model, id} !== {id, model}. */
const key = (a: unknown) => JSON.stringify(a);
const assocs = (list: any[]): Assoc[] => (list || []).map((a) => clone(a));
/**
 * The keys of a record's associations, computed once per associations array (records get a new array when written;
 * nothing changes one in place): a read scans every record of the app, as an unindexed query would, without
 * re-serialising each record's associations on every read (Rocket.Chat's collection is indexed, the scan is ours).
 */
const keySets = new WeakMap<Assoc[], Set<string>>();
function keySet(list: Assoc[]): Set<string> {
	let set = keySets.get(list);
	if (!set) keySets.set(list, (set = new Set(list.map(key))));
	return set;
}

export class TestPersistenceBridge extends PersistenceBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	private mine(appId: string): PersistenceRecord[] {
		return this.rc.persistence.filter((r) => r.appId === appId);
	}
	private matchAll(appId: string, wanted: Assoc[]): PersistenceRecord[] {
		const w = wanted.map(key);
		return this.mine(appId).filter((r) => {
			const have = keySet(r.associations);
			return w.every((k) => have.has(k));
		});
	}
	private insert(appId: string, data: object, associations: Assoc[]): string {
		const rec: PersistenceRecord = { _id: randomId(), appId, associations, data: clone(data) };
		this.rc.persistence.push(rec);
		this.rc.effect('persistence.create', { recordId: rec._id, associations });
		return rec._id;
	}
	public async purge(appId: string): Promise<void> {
		const n = this.mine(appId).length;
		this.rc.persistence = this.rc.persistence.filter((r) => r.appId !== appId);
		this.rc.effect('persistence.purge', { appId, removed: n });
	}
	public async create(data: object, appId: string): Promise<string> {
		return this.insert(appId, data, []);
	}
	public async createWithAssociations(data: object, associations: any[], appId: string): Promise<string> {
		return this.insert(appId, data, assocs(associations));
	}
	public async readById(id: string, appId: string): Promise<object> {
		return clone(this.mine(appId).find((r) => r._id === id)?.data);
	}
	public async readByAssociations(associations: any[], appId: string): Promise<object[]> {
		return this.matchAll(appId, assocs(associations)).map((r) => clone(r.data));
	}
	public async remove(id: string, appId: string): Promise<object | undefined> {
		const rec = this.mine(appId).find((r) => r._id === id);
		if (!rec) return undefined;
		this.rc.persistence = this.rc.persistence.filter((r) => r !== rec);
		this.rc.effect('persistence.remove', { recordIds: [rec._id] });
		return rec.data;
	}
	public async removeByAssociations(associations: any[], appId: string): Promise<object[] | undefined> {
		const hit = this.matchAll(appId, assocs(associations));
		if (!hit.length) return undefined;
		this.rc.persistence = this.rc.persistence.filter((r) => !hit.includes(r));
		this.rc.effect('persistence.remove', { recordIds: hit.map((r) => r._id), associations: assocs(associations) });
		return hit.map((r) => r.data);
	}
	public async update(_id: string, _data: object, _upsert: boolean, _appId?: string): Promise<string> {
		throw new Error('Not implemented.');
	}
	/** updateOne({appId, associations}, {$set: {data}}, {upsert}): exact array match, first record only. */
	public async updateByAssociations(associations: any[], data: object, upsert: boolean, appId: string): Promise<string> {
		const a = assocs(associations);
		const exact = key(a);
		const rec = this.mine(appId).find((r) => r.associations.length === a.length && key(r.associations) === exact);
		if (rec) {
			rec.data = clone(data);
			this.rc.effect('persistence.update', { recordId: rec._id, associations: a });
			return rec._id;
		}
		return upsert ? this.insert(appId, data, a) : '';
	}
}
