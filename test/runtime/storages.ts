// In-memory AppMetadataStorage / AppSourceStorage / AppLogStorage (RC keeps them in MongoDB / GridFS).
import { AppLogStorage } from '@rocket.chat/apps-engine/server/storage/AppLogStorage';
import { AppMetadataStorage } from '@rocket.chat/apps-engine/server/storage/AppMetadataStorage';
import { AppSourceStorage } from '@rocket.chat/apps-engine/server/storage/AppSourceStorage';
import type { IAppStorageItem } from '@rocket.chat/apps-engine/server/storage/IAppStorageItem';
import { randomId } from './state';

export class MemoryMetadataStorage extends AppMetadataStorage {
	readonly items = new Map<string, IAppStorageItem>();
	constructor() {
		super('memory');
	}
	private touch(id: string, patch: Partial<IAppStorageItem>): boolean {
		const item = [...this.items.values()].find((i) => i._id === id || i.id === id);
		if (!item) return false;
		Object.assign(item, patch, { updatedAt: new Date() });
		return true;
	}
	async create(item: IAppStorageItem): Promise<IAppStorageItem> {
		if (this.items.has(item.id)) throw new Error('App already exists.');
		Object.assign(item, { _id: item._id ?? randomId(), createdAt: new Date(), updatedAt: new Date() });
		this.items.set(item.id, item);
		return item;
	}
	async retrieveOne(id: string): Promise<IAppStorageItem | null> {
		return this.items.get(id) ?? null;
	}
	async retrieveAll(): Promise<Map<string, IAppStorageItem>> {
		return new Map(this.items);
	}
	async retrieveAllPrivate(): Promise<Map<string, IAppStorageItem>> {
		return new Map([...this.items].filter(([, i]) => i.installationSource === 'private'));
	}
	async remove(id: string): Promise<{ success: boolean }> {
		return { success: this.items.delete(id) };
	}
	/** engines before 1.57 store a whole changed item (status, settings, info) through update() */
	async update(item: IAppStorageItem): Promise<IAppStorageItem> {
		if (!this.touch(item._id ?? item.id, item)) throw new Error(`No app ${item.id} to update`);
		return this.items.get(item.id)!;
	}
	async updatePartialAndReturnDocument(item: Partial<IAppStorageItem>): Promise<IAppStorageItem> {
		this.touch(item._id ?? item.id!, item);
		return [...this.items.values()].find((i) => i._id === item._id || i.id === item.id)!;
	}
	async updateStatus(_id: string, status: any): Promise<boolean> {
		return this.touch(_id, { status });
	}
	async updateSetting(_id: string, setting: any): Promise<boolean> {
		const item = [...this.items.values()].find((i) => i._id === _id);
		if (item) item.settings = { ...item.settings, [setting.id]: setting };
		return !!item;
	}
	async updateAppInfo(_id: string, info: any): Promise<boolean> {
		return this.touch(_id, { info });
	}
	async updateMarketplaceInfo(_id: string, marketplaceInfo: any): Promise<boolean> {
		return this.touch(_id, { marketplaceInfo });
	}
}

export class MemorySourceStorage extends AppSourceStorage {
	readonly zips = new Map<string, Buffer>();
	async store(item: IAppStorageItem, zip: Buffer): Promise<string> {
		this.zips.set(item.id, zip);
		return `memory://apps/${item.id}`;
	}
	async fetch(item: IAppStorageItem): Promise<Buffer> {
		const zip = this.zips.get(item.id);
		if (!zip) throw new Error(`No source stored for app ${item.id}`);
		return zip;
	}
	async update(item: IAppStorageItem, zip: Buffer): Promise<string> {
		return this.store(item, zip);
	}
	async remove(item: IAppStorageItem): Promise<void> {
		this.zips.delete(item.id);
	}
}

export class MemoryLogStorage extends AppLogStorage {
	readonly entries: any[] = [];
	constructor() {
		super('memory');
	}
	async findPaginated(query: Record<string, any>, options: { skip?: number; limit?: number } = {}): Promise<{ logs: any[]; total: number }> {
		const hit = this.entries.filter((e) => Object.entries(query).every(([k, v]) => typeof v !== 'object' && e[k] === v));
		const skip = options.skip ?? 0;
		return { logs: hit.slice(skip, options.limit ? skip + options.limit : undefined), total: hit.length };
	}
	/** the pre-1.57 name of findPaginated (only the page) */
	async find(query: Record<string, any>, options: { skip?: number; limit?: number } = {}): Promise<any[]> {
		return (await this.findPaginated(query, options)).logs;
	}
	async storeEntries(entry: any): Promise<any> {
		const stored = { _id: randomId(), _createdAt: new Date(), ...entry };
		this.entries.push(stored);
		return stored;
	}
	async getEntriesFor(appId: string): Promise<any[]> {
		return this.entries.filter((e) => e.appId === appId);
	}
	async removeEntriesFor(appId: string): Promise<void> {
		for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i].appId === appId) this.entries.splice(i, 1);
	}
}
