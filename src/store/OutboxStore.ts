import { QueueItem, QueueStore } from './QueueStore';
import { Store } from './Store';

/** An agent message recorded before it is sent, kept until WhatsApp accepted it or it was given up. */
export interface OutboxItem extends QueueItem {
	instanceId: string;
	chatId: string;
	roomId: string;
	text: string;
	file?: { id: string; name: string; type: string };
	quotedMessageId?: string;
}

/** Agent messages waiting to be sent, in the order they were written. */
export class OutboxStore extends QueueStore<OutboxItem> {
	constructor(store: Store) {
		super(store, 'outbox', (a, b) => a.firstAt - b.firstAt || a.key.localeCompare(b.key));
	}
}
