import { QueueItem, QueueRepository } from '../core/ports/records';
import { keysOf, kindKey, primaryKey } from './keys';
import { Store } from './Store';

/**
 * A durable queue in persistence: one record per item, readable all at once (small: items are removed
 * once done) or per chat. Associations: [kind, kind:chatKey, kind-item:key].
 */
export class QueueStore<T extends QueueItem> implements QueueRepository<T> {
	constructor(private readonly store: Store, private readonly kind: 'inbox' | 'outbox', private readonly order: (a: T, b: T) => number) {}

	public async all(): Promise<T[]> {
		return (await this.store.list<T>(kindKey(this.kind))).sort(this.order);
	}

	public async forChat(chatKey: string): Promise<T[]> {
		return (await this.store.list<T>(primaryKey(this.kind, chatKey))).sort(this.order);
	}

	public async save(item: T): Promise<void> {
		await this.store.put(this.keys(item), item);
	}

	public async remove(item: T): Promise<void> {
		await this.store.remove([this.keys(item)[2]]);
	}

	private keys(item: T) {
		return keysOf(this.kind, item.chatKey, `gab:${this.kind}-item:${item.key}`);
	}
}
