import { OpenRoom, OpenRoomRepository } from '../core/ports/records';
import { keysOf, kindKey, primaryKey } from './keys';
import { Store } from './Store';

/** One small record per open WhatsApp room (written when it opens, removed when it closes). */
export class OpenRoomStore implements OpenRoomRepository {
	constructor(private readonly store: Store) {}

	public async add(room: OpenRoom): Promise<void> {
		await this.store.put(keysOf('openroom', room.roomId), room);
	}

	public async remove(roomId: string): Promise<void> {
		await this.store.remove(primaryKey('openroom', roomId));
	}

	public list(): Promise<OpenRoom[]> {
		return this.store.list<OpenRoom>(kindKey('openroom'));
	}
}
