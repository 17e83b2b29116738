import { InboundMessage } from '../core/events';
import { keysOf, kindKey, primaryKey } from './keys';
import { Store } from './Store';

/** An inbound message acknowledged to the provider but not yet in Rocket.Chat (no agent online, media…). */
export interface InboxItem {
	key: string;
	chatKey: string;
	event: InboundMessage;
	attempts: number;
	firstAt: number;
	nextAt: number;
	lastError?: string;
}

export class InboxStore {
	constructor(private readonly store: Store) {}

	/** All pending items (the set stays small: items are removed once posted). */
	public async all(): Promise<InboxItem[]> {
		const items = await this.store.list<InboxItem>(kindKey('inbox'));
		return items.sort((a, b) => a.event.timestamp - b.event.timestamp || a.firstAt - b.firstAt);
	}

	public async forChat(chatKey: string): Promise<InboxItem[]> {
		const items = await this.store.list<InboxItem>(primaryKey('inbox', chatKey));
		return items.sort((a, b) => a.event.timestamp - b.event.timestamp || a.firstAt - b.firstAt);
	}

	public async save(item: InboxItem): Promise<void> {
		await this.store.put(keysOf('inbox', item.chatKey, `gab:inbox-item:${item.key}`), item);
	}

	public async remove(item: InboxItem): Promise<void> {
		await this.store.remove([keysOf('inbox', item.chatKey, `gab:inbox-item:${item.key}`)[2]]);
	}
}
