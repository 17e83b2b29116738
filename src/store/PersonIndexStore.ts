import { PersonIndex } from '../core/ports/records';
import { keysOf, primaryKey } from './keys';
import { Store } from './Store';

interface PersonRecord {
	chatId: string;
}

/** One small record per (number, person id) naming the contact's chat: one read finds a customer by any id. */
export class PersonIndexStore implements PersonIndex {
	constructor(private readonly store: Store) {}

	public async chatOf(instanceId: string, personKey: string): Promise<string | undefined> {
		return (await this.store.get<PersonRecord>(primaryKey('person', `${instanceId}:${personKey}`)))?.chatId;
	}

	public async link(instanceId: string, personKey: string, chatId: string): Promise<void> {
		await this.store.put(keysOf('person', `${instanceId}:${personKey}`), { chatId });
	}
}
