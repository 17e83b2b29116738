import { OutboxItem } from '../core/ports/records';
import { QueueStore } from './QueueStore';
import { Store } from './Store';

/** Agent messages waiting to be sent, in the order they were written. */
export class OutboxStore extends QueueStore<OutboxItem> {
	constructor(store: Store) {
		super(store, 'outbox', (a, b) => a.firstAt - b.firstAt || a.key.localeCompare(b.key));
	}
}
