import { InboundMessage } from '../core/events';
import { QueueItem, QueueStore } from './QueueStore';
import { Store } from './Store';

/** An inbound message acknowledged to the provider but not yet in Rocket.Chat (no agent online, media…). */
export interface InboxItem extends QueueItem {
	event: InboundMessage;
}

/** Parked inbound messages, in WhatsApp order. */
export class InboxStore extends QueueStore<InboxItem> {
	constructor(store: Store) {
		super(store, 'inbox', (a, b) => a.event.timestamp - b.event.timestamp || a.firstAt - b.firstAt);
	}
}
