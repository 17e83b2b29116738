// RoomBridge, InternalBridge (room usernames, workspace key) and ThreadBridge.
import { InternalBridge } from '@rocket.chat/apps-engine/server/bridges/InternalBridge';
import { RoomBridge } from '@rocket.chat/apps-engine/server/bridges/RoomBridge';
import { ThreadBridge } from '@rocket.chat/apps-engine/server/bridges/ThreadBridge';
import { clone, meteorError, notImplemented, randomId, RcState, StoredMessage, StoredRoom } from '../state';
import { federationKeys } from './platform';

export function addRoom(rc: RcState, p: { name?: string; type?: 'c' | 'p' | 'd'; memberIds?: string[]; creatorId?: string }, builtin = false): StoredRoom {
	const now = rc.now();
	const room: StoredRoom = {
		id: randomId(), type: p.type ?? 'c', name: p.name, displayName: p.name, memberIds: [...(p.memberIds ?? [])], creatorId: p.creatorId,
		messageCount: 0, createdAt: now, updatedAt: now,
	};
	if (room.type !== 'd' && [...rc.rooms, ...rc.builtinRooms].some((r) => r.name && r.name === p.name)) throw meteorError('error-duplicate-channel-name', `A channel with name '${p.name}' exists`);
	(builtin ? rc.builtinRooms : rc.rooms).push(room);
	if (!builtin) rc.effect('room.created', { roomId: room.id, roomType: room.type, name: room.name });
	return room;
}

const usernamesOf = (rc: RcState, roomId: string) => (rc.room(roomId)?.memberIds ?? []).map((id) => rc.user(id)?.username).filter((u): u is string => !!u);

/** IMessageRaw as RoomRead.getMessages returns it: AppMessagesConverter.convertMessageRaw
 *  (apps/meteor/app/apps/server/converters/messages) maps `file`, and `files` in the versions that map them for
 *  convertMessage too (platform.messageFiles). */
function toRaw(rc: RcState, m: StoredMessage): any {
	const { rid: roomId, id, sender, text, createdAt, updatedAt, threadId, editedAt, emoji, avatarUrl, alias, file, attachments, groupable, parseUrls, customFields, blocks } = m;
	return clone({
		id, roomId, sender: { _id: sender.id, username: sender.username, name: sender.name }, text, createdAt, updatedAt, threadId, editedAt,
		editor: m.editor && { _id: m.editor.id, username: m.editor.username }, emoji, avatarUrl, alias, file, attachments, groupable, parseUrls, customFields, blocks,
		...(rc.platform.messageFiles && { files: m.files }),
	});
}

export class TestRoomBridge extends RoomBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async create(room: any, members: string[], _appId?: string): Promise<string> {
		if (room.type === 'l') notImplemented('RoomBridge', 'create (livechat rooms: use the livechat creator)');
		const ids = members.map((u) => this.rc.userByUsername(u)?.id).filter((x): x is string => !!x);
		const creatorId = room.creator?.id;
		return addRoom(this.rc, { name: room.slugifiedName, type: room.type, memberIds: [...new Set([creatorId, ...ids].filter(Boolean))], creatorId }).id;
	}
	public async getById(roomId: string, _appId?: string): Promise<any> {
		return this.rc.toAppRoom(this.rc.room(roomId));
	}
	public async getByName(roomName: string, _appId?: string): Promise<any> {
		return this.rc.toAppRoom([...this.rc.rooms, ...this.rc.builtinRooms].find((r) => r.name === roomName));
	}
	public async getCreatorById(roomId: string): Promise<any> {
		return this.rc.toAppUser(this.rc.user(this.rc.room(roomId)?.creatorId));
	}
	public async getCreatorByName(roomName: string): Promise<any> {
		return this.rc.toAppUser(this.rc.user([...this.rc.rooms, ...this.rc.builtinRooms].find((r) => r.name === roomName)?.creatorId));
	}
	public async getDirectByUsernames(usernames: string[]): Promise<any> {
		const ids = usernames.map((u) => this.rc.userByUsername(u)?.id);
		const r = this.rc.rooms.find((x) => x.type === 'd' && x.memberIds.length === ids.length && ids.every((id) => id && x.memberIds.includes(id)));
		return this.rc.toAppRoom(r);
	}
	public async getMembers(roomId: string, _appId?: string): Promise<any[]> {
		return (this.rc.room(roomId)?.memberIds ?? []).map((id) => this.rc.toAppUser(this.rc.user(id))).filter(Boolean);
	}
	protected async getAllRooms(): Promise<any[]> {
		return notImplemented('RoomBridge', 'getAllRooms');
	}
	public async update(room: any, members: string[] = []): Promise<void> {
		const r = this.rc.room(room?.id);
		if (!r) throw new Error('A room must exist to update.');
		for (const u of members) {
			const id = this.rc.userByUsername(u)?.id;
			if (id && !r.memberIds.includes(id)) r.memberIds.push(id);
		}
		if (room.customFields !== undefined) r.customFields = clone(room.customFields);
		if (room.displayName !== undefined) r.displayName = room.displayName;
		r.updatedAt = this.rc.now();
		this.rc.effect('room.updated', { roomId: r.id });
	}
	protected async createDiscussion(): Promise<string> {
		return notImplemented('RoomBridge', 'createDiscussion');
	}
	public async delete(roomId: string): Promise<void> {
		this.rc.rooms = this.rc.rooms.filter((r) => r.id !== roomId);
		this.rc.messages = this.rc.messages.filter((m) => m.rid !== roomId);
		this.rc.effect('room.deleted', { roomId });
	}
	protected async getModerators(): Promise<any[]> {
		return notImplemented('RoomBridge', 'getModerators');
	}
	protected async getOwners(): Promise<any[]> {
		return notImplemented('RoomBridge', 'getOwners');
	}
	protected async getLeaders(): Promise<any[]> {
		return notImplemented('RoomBridge', 'getLeaders');
	}
	/** AppRoomBridge.getMessages: `Messages.find({ rid, _hidden: { $ne: true }, t: { $exists: false }, ... })` — no
	 *  system messages (`t` set), no hidden ones; thread replies only with showThreadMessages. */
	public async getMessages(roomId: string, options: any, _appId?: string): Promise<any[]> {
		const { limit = 100, skip = 0, sort = { createdAt: 'asc' }, showThreadMessages = true } = options ?? {};
		const [field, dir] = Object.entries(sort)[0] ?? ['createdAt', 'asc'];
		const sign = dir === 'desc' ? -1 : 1;
		return this.rc.messages
			.filter((m) => m.rid === roomId && !m.type && !m.hidden && (showThreadMessages || !m.threadId))
			.sort((a: any, b: any) => sign * (a[field] < b[field] ? -1 : a[field] > b[field] ? 1 : 0))
			.slice(skip, skip + Math.min(limit, 100))
			.map((m) => toRaw(this.rc, m));
	}
	protected async removeUsers(): Promise<void> {
		notImplemented('RoomBridge', 'removeUsers');
	}
	protected async getUnreadByUser(): Promise<any[]> {
		return notImplemented('RoomBridge', 'getUnreadByUser');
	}
	protected async getUserUnreadMessageCount(): Promise<number> {
		return notImplemented('RoomBridge', 'getUserUnreadMessageCount');
	}
}

export class TestInternalBridge extends InternalBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async getUsernamesOfRoomById(roomId: string): Promise<string[]> {
		return usernamesOf(this.rc, roomId);
	}
	public getUsernamesOfRoomByIdSync(roomId: string): string[] {
		return usernamesOf(this.rc, roomId);
	}
	public async getWorkspacePublicKey(): Promise<any> {
		return { id: 'Cloud_Workspace_PublicKey', value: federationKeys().publicKey, packageValue: '', type: 'string', required: false, public: false, i18nLabel: '' };
	}
}

export class TestThreadBridge extends ThreadBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async getById(messageId: string): Promise<any[]> {
		return this.rc.messages.filter((m) => m.id === messageId || m.threadId === messageId).map((m) => this.rc.toAppMessage(m));
	}
}
