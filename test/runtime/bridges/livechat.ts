// LivechatBridge plus RC's Omnichannel logic behind it: registerGuest, routing (Auto_Selection), room creation,
// closing, and the visitor sendMessage that silently opens a new room when the target one is closed.
import { LivechatBridge } from '@rocket.chat/apps-engine/server/bridges/LivechatBridge';
import { clone, meteorError, notImplemented, randomId, RcState, RoomSource, StoredMessage, StoredRoom, StoredUser, StoredVisitor } from '../state';
import { applyEdit, insertMessage, messageFields } from './messages';

export interface GuestData { id?: string; token: string; username?: string; name?: string; phone?: string; email?: string; department?: string }

/** RC's Visitors.registerGuest: upsert by token, else by phone (keeps the existing token), else by email, else create. */
export function registerGuest(rc: RcState, g: GuestData): StoredVisitor {
	if (typeof g.token !== 'string' || !g.token) throw new Error(`Match error: Expected string, got ${JSON.stringify(g.token)}`);
	const update: Partial<StoredVisitor> = { ...(g.phone && { phone: [{ phoneNumber: g.phone }] }), ...(g.name && { name: g.name }) };
	const email = g.email?.trim().toLowerCase();
	if (email) update.visitorEmails = [{ address: email }];
	const byToken = rc.visitorByToken(g.token);
	if (g.department && byToken?.department !== g.department) {
		const dep = rc.department(g.department);
		if (!dep) throw meteorError('error-invalid-department', 'The provided department is invalid');
		update.department = dep.id;
	}
	const byPhone = !byToken && g.phone ? rc.visitors.find((v) => v.phone?.[0]?.phoneNumber === g.phone) : undefined;
	const byEmail = !byToken && !byPhone && email ? rc.visitors.find((v) => v.visitorEmails?.some((e) => e.address === email)) : undefined;
	const existing = byToken ?? byPhone ?? byEmail;
	const now = rc.now();
	if (existing) {
		Object.assign(existing, update, { token: byPhone ? byPhone.token : g.token, updatedAt: now });
		rc.effect('visitor.updated', { visitorId: existing.id, token: existing.token, matchedBy: byToken ? 'token' : byPhone ? 'phone' : 'email' });
		return existing;
	}
	const v: StoredVisitor = { id: g.id || randomId(), token: g.token, username: g.username || rc.nextGuestUsername(), status: 'online', ...update, createdAt: now, updatedAt: now };
	rc.visitors.push(v);
	rc.effect('visitor.created', { visitorId: v.id, token: v.token, phone: v.phone?.[0]?.phoneNumber });
	return v;
}

const openChats = (rc: RcState, agentId: string) => rc.rooms.filter((r) => r.type === 'l' && r.isOpen && r.servedBy?.id === agentId).length;
export function onlineAgents(rc: RcState, departmentId?: string): StoredUser[] {
	return rc.users
		.filter((u) => rc.isAgent(u) && u.active && u.status === 'online' && (!departmentId || u.departmentIds.includes(departmentId)))
		.sort((a, b) => openChats(rc, a.id) - openChats(rc, b.id) || a.username.localeCompare(b.username));
}
/** RC's online(department): true when "accept chats with no agents" is on, else whether an agent is online. */
export const isOnline = (rc: RcState, departmentId?: string) => rc.acceptChatsWithNoAgents || onlineAgents(rc, departmentId).length > 0;

/** QueueManager.requestRoom with Auto_Selection routing. */
export function createLivechatRoom(rc: RcState, guest: StoredVisitor, o: { agent?: StoredUser; departmentId?: string; source: RoomSource; customFields?: Record<string, unknown> }): StoredRoom {
	const departmentId = o.departmentId ?? guest.department;
	let agent = o.agent;
	if (agent && agent.status !== 'online' && !rc.acceptChatsWithNoAgents) throw meteorError('no-agent-online', 'Sorry, no online agents');
	if (!agent) {
		agent = onlineAgents(rc, departmentId)[0];
		if (!agent && !rc.acceptChatsWithNoAgents) throw meteorError('no-agent-online', 'Sorry, no online agents');
	}
	const now = rc.now();
	const room: StoredRoom = {
		id: randomId(), type: 'l', displayName: guest.name || guest.username, memberIds: agent ? [agent.id] : [], isOpen: true,
		visitorId: guest.id, visitorToken: guest.token, departmentId, servedBy: agent && { id: agent.id, username: agent.username }, queued: !agent, source: clone(o.source),
		customFields: clone(o.customFields), messageCount: 0, createdAt: now, updatedAt: now,
	};
	rc.rooms.push(room);
	rc.effect('room.created', { roomId: room.id, visitorToken: guest.token, servedById: agent?.id, departmentId, queued: room.queued, sourceType: o.source.type });
	rc.fire('IPostLivechatRoomStarted', rc.toAppRoom(room), { roomId: room.id });
	if (agent) rc.fire('IPostLivechatAgentAssigned', { agent: rc.toAppUser(agent), room: rc.toAppRoom(room) }, { roomId: room.id });
	return room;
}

/** RC's closeRoom: throws error-room-closed for rooms not open; records the closer; posts the livechat-close system message. */
export function closeLivechatRoom(rc: RcState, roomId: string, o: { comment?: string; userId?: string }): StoredRoom {
	const room = rc.room(roomId);
	if (!room || room.type !== 'l' || !room.isOpen) throw new Error('error-room-closed');
	const user = rc.user(o.userId);
	const now = rc.now();
	Object.assign(room, { isOpen: false, closedAt: now, updatedAt: now, closer: user ? 'user' : 'visitor', closedById: user ? user.id : room.visitorId, closeComment: o.comment });
	rc.effect('room.closed', { roomId, closer: room.closer, closedById: room.closedById, comment: o.comment });
	const v = rc.visitor(room.visitorId);
	const sender = user ? { id: user.id, username: user.username, name: user.name, type: user.type } : { id: v!.id, username: v!.username, name: v!.name, type: 'visitor' as const };
	insertMessage(rc, { rid: roomId, text: o.comment ?? '', sender, type: 'livechat-close', origin: 'system', ...(!user && { token: v!.token }) });
	rc.fire('IPostLivechatRoomClosed', rc.toAppRoom(room), { roomId });
	return room;
}

/** Livechat sendMessage for a visitor: a missing or closed room is replaced by a new one (routed like createRoom, but with
 *  only the bare app source); a room of another visitor throws cannot-access-room; alias = visitor name. */
export function sendVisitorMessage(rc: RcState, guest: StoredVisitor, roomId: string | undefined, fields: Partial<StoredMessage>, o: { source: RoomSource; origin: 'app' | 'harness' }): StoredMessage {
	let room = rc.room(roomId);
	if (!room || !room.isOpen) room = createLivechatRoom(rc, guest, { source: o.source });
	if (room.visitorToken !== guest.token) throw meteorError('cannot-access-room');
	const sender = { id: guest.id, username: guest.username, name: guest.name, type: 'visitor' as const };
	return insertMessage(rc, { ...fields, rid: room.id, sender, token: guest.token, ...(guest.name && { alias: guest.name }), origin: o.origin });
}

export class TestLivechatBridge extends LivechatBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	private guestData(v: any): GuestData {
		return { id: v?.id, token: v?.token, username: v?.username, name: v?.name, phone: v?.phone?.[0]?.phoneNumber, email: v?.visitorEmails?.[0]?.address, department: v?.department };
	}
	public isOnline(departmentId?: string): boolean {
		return isOnline(this.rc, departmentId);
	}
	public async isOnlineAsync(departmentId?: string, _appId?: string): Promise<boolean> {
		return isOnline(this.rc, departmentId);
	}
	public async createMessage(message: any, appId: string): Promise<string> {
		const token = message.token ?? message.visitor?.token;
		if (!token) throw new Error('Invalid visitor sending the message');
		const guest = this.rc.visitorByToken(token);
		if (!guest) throw meteorError('error-invalid-token', 'Invalid token');
		const source = { type: 'app', id: appId, alias: this.rc.appNameSlug };
		return sendVisitorMessage(this.rc, guest, message.room?.id, messageFields(message), { source, origin: 'app' }).id;
	}
	public async getMessageById(messageId: string): Promise<any> {
		return this.rc.toAppMessage(this.rc.message(messageId));
	}
	public async updateMessage(message: any): Promise<void> {
		const stored = this.rc.message(message.id);
		if (!stored) throw meteorError('error-invalid-message', 'Invalid message');
		const guest = this.rc.visitorByToken(message.visitor?.token ?? message.token) ?? this.rc.visitor(stored.sender.id);
		applyEdit(this.rc, stored, messageFields(message), { id: guest?.id ?? stored.sender.id, username: guest?.username ?? stored.sender.username });
	}
	public async createVisitor(visitor: any): Promise<string> {
		return registerGuest(this.rc, this.guestData(visitor)).id;
	}
	public async createAndReturnVisitor(visitor: any, _appId?: string): Promise<any> {
		return this.rc.toAppVisitor(registerGuest(this.rc, this.guestData(visitor)));
	}
	protected async findVisitors(): Promise<any[]> {
		return notImplemented('LivechatBridge', 'findVisitors');
	}
	public async findVisitorById(id: string): Promise<any> {
		return this.rc.toAppVisitor(this.rc.visitor(id));
	}
	public async findVisitorByEmail(email: string): Promise<any> {
		const e = email.trim().toLowerCase();
		return this.rc.toAppVisitor(this.rc.visitors.find((v) => v.visitorEmails?.some((x) => x.address === e)));
	}
	public async findVisitorByToken(token: string, _appId?: string): Promise<any> {
		return this.rc.toAppVisitor(this.rc.visitorByToken(token));
	}
	public async findVisitorByPhoneNumber(phoneNumber: string, _appId?: string): Promise<any> {
		return this.rc.toAppVisitor(this.rc.visitors.find((v) => v.phone?.[0]?.phoneNumber === phoneNumber));
	}
	protected async resolveVisitor(): Promise<any> {
		return notImplemented('LivechatBridge', 'resolveVisitor');
	}
	protected async transferVisitor(): Promise<boolean> {
		return notImplemented('LivechatBridge', 'transferVisitor');
	}
	protected async updateVisitorExternalId(): Promise<any> {
		return notImplemented('LivechatBridge', 'updateVisitorExternalId');
	}
	public async createRoom(visitor: any, agent: any, appId: string, extraParams: any = {}): Promise<any> {
		let agentUser: StoredUser | undefined;
		if (agent?.id) {
			agentUser = this.rc.user(agent.id);
			if (!agentUser || !this.rc.isAgent(agentUser)) throw new Error(`The agent with id "${agent.id}" was not found.`);
		}
		const guest = this.rc.visitorByToken(visitor?.token) ?? this.rc.visitor(visitor?.id);
		if (!guest) throw meteorError('error-invalid-visitor', 'Invalid visitor');
		const s = extraParams.source;
		const source: RoomSource = {
			type: 'app', id: appId, alias: this.rc.appName,
			...(s?.type === 'app' && { sidebarIcon: s.sidebarIcon, defaultIcon: s.defaultIcon, label: s.label, destination: s.destination }),
		};
		const departmentId = visitor?.department ? this.rc.department(visitor.department)?.id : undefined;
		return this.rc.toAppRoom(createLivechatRoom(this.rc, guest, { agent: agentUser, departmentId, source, customFields: extraParams.customFields }));
	}
	public async closeRoom(room: any, comment: string, closer: any, _appId?: string): Promise<boolean> {
		closeLivechatRoom(this.rc, room?.id, { comment, userId: closer?.id });
		return true;
	}
	public async countOpenRoomsByAgentId(agentId: string): Promise<number> {
		if (!agentId) throw new Error('Invalid agentId');
		return openChats(this.rc, agentId);
	}
	public async findOpenRoomsByAgentId(agentId: string): Promise<any[]> {
		if (!agentId) throw new Error('Invalid agentId');
		return this.rc.rooms.filter((r) => r.type === 'l' && r.isOpen && r.servedBy?.id === agentId).map((r) => this.rc.toAppRoom(r));
	}
	public async findRooms(visitor: any, departmentId: string | null, _appId?: string): Promise<any[]> {
		if (!visitor) return [];
		return this.rc.rooms
			.filter((r) => r.type === 'l' && r.isOpen && r.visitorToken === visitor.token && (!departmentId || r.departmentId === departmentId))
			.map((r) => this.rc.toAppRoom(r));
	}
	public async findDepartmentByIdOrName(value: string): Promise<any> {
		return this.rc.toAppDepartment(this.rc.department(value));
	}
	public async findDepartmentsEnabledWithAgents(): Promise<any[]> {
		return this.rc.departments.map((d) => this.rc.toAppDepartment(d)).filter((d) => d.enabled && d.numberOfAgents > 0);
	}
	public async _fetchLivechatRoomMessages(_appId: string, roomId: string): Promise<any[]> {
		return this.rc.messages.filter((m) => m.rid === roomId).map((m) => this.rc.toAppMessage(m));
	}
	/** Only custom fields defined in Omnichannel > Custom Fields (rc.livechatCustomFields) can be set. */
	public async setCustomFields(data: { token: string; key: string; value: string; overwrite: boolean }): Promise<number> {
		const scope = this.rc.livechatCustomFields.get(data.key);
		if (!scope) throw meteorError('invalid-custom-field');
		const targets: Array<{ livechatData?: Record<string, unknown> }> =
			scope === 'visitor' ? [this.rc.visitorByToken(data.token)].filter((x): x is StoredVisitor => !!x) : this.rc.rooms.filter((r) => r.type === 'l' && r.isOpen && r.visitorToken === data.token);
		let n = 0;
		for (const t of targets) {
			if (!data.overwrite && t.livechatData?.[data.key] !== undefined) continue;
			t.livechatData = { ...t.livechatData, [data.key]: data.value };
			n++;
		}
		this.rc.effect('livechat.customField', { token: data.token, key: data.key, value: data.value, modified: n });
		return n;
	}
}
