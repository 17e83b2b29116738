import { InboxItem } from '../core/ports/records';
import { QueueStore } from './QueueStore';
import { Store } from './Store';

/** Parked inbound messages, in WhatsApp order. */
export class InboxStore extends QueueStore<InboxItem> {
	constructor(store: Store) {
		super(store, 'inbox', (a, b) => a.event.timestamp - b.event.timestamp || a.firstAt - b.firstAt);
	}
}
