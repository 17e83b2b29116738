import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { Keys } from './keys';

/**
 * The small persistence layer every record goes through. Rocket.Chat persistence: reads match
 * associations with `$all` and return data only; `update(id)` throws; `updateByAssociations` replaces
 * `data` of the record whose associations array is exactly `keys`.
 */
export class Store {
	constructor(private readonly reader: IPersistenceRead, private readonly writer?: IPersistence) {}

	public async list<T>(keys: Keys): Promise<T[]> {
		return ((await this.reader.readByAssociations(keys)) || []) as T[];
	}

	public async get<T>(keys: Keys): Promise<T | undefined> {
		const found = await this.list<T>(keys);
		return found[0];
	}

	/** Create or replace the record stored under exactly these keys. */
	public async put(keys: Keys, data: object): Promise<void> {
		await this.write().updateByAssociations(keys, data, true);
	}

	public async remove(keys: Keys): Promise<void> {
		await this.write().removeByAssociations(keys);
	}

	private write(): IPersistence {
		if (!this.writer) throw new Error('Store opened read-only');
		return this.writer;
	}
}
