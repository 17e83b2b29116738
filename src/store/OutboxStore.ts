import { keysOf, kindKey, primaryKey } from './keys';
import { Store } from './Store';

/** An agent message recorded before it is sent, kept until WhatsApp accepted it or it was given up. */
export interface OutboxItem {
	/** The Rocket.Chat message id. */
	key: string;
	chatKey: string;
	instanceId: string;
	chatId: string;
	roomId: string;
	text: string;
	file?: { id: string; name: string; type: string };
	quotedMessageId?: string;
	attempts: number;
	firstAt: number;
	nextAt: number;
	lastError?: string;
}

export class OutboxStore {
	constructor(private readonly store: Store) {}

	public async all(): Promise<OutboxItem[]> {
		return sortByAge(await this.store.list<OutboxItem>(kindKey('outbox')));
	}

	public async forChat(chatKey: string): Promise<OutboxItem[]> {
		return sortByAge(await this.store.list<OutboxItem>(primaryKey('outbox', chatKey)));
	}

	public async save(item: OutboxItem): Promise<void> {
		await this.store.put(keysOf('outbox', item.chatKey, `gab:outbox-item:${item.key}`), item);
	}

	public async remove(item: OutboxItem): Promise<void> {
		await this.store.remove([keysOf('outbox', item.chatKey, `gab:outbox-item:${item.key}`)[2]]);
	}
}

function sortByAge(items: OutboxItem[]): OutboxItem[] {
	return items.sort((a, b) => a.firstAt - b.firstAt || a.key.localeCompare(b.key));
}
