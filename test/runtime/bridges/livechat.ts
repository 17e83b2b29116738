// LivechatBridge plus RC's Omnichannel logic behind it: registerGuest, routing (Auto_Selection: available agents,
// fallback departments, bots), room creation, closing, the visitor sendMessage that silently opens a new room when the
// target one is closed, Omnichannel switched off, and (RC 7+) blocked contact channels and contact verification.
import { LivechatBridge } from '@rocket.chat/apps-engine/server/bridges/LivechatBridge';
import { clone, meteorError, notImplemented, randomId, RcState, RoomSource, StoredMessage, StoredRoom, StoredUser, StoredVisitor } from '../state';
import { applyEdit, insertMessage, messageFields } from './messages';

export interface GuestData { id?: string; token: string; username?: string; name?: string; phone?: string; email?: string; department?: string }

/**
 * RC's Visitors.registerGuest (livechat/server/lib/Visitors.ts): upsert by token, else by phone (keeps the existing
 * token), else by email, else create. The department is re-validated on EVERY call that passes one: RC reads the
 * visitor by token with a projection of `_id` only, so `livechatVisitor.department !== department` always holds, and a
 * deleted department id (or name) throws error-invalid-department even for a visitor already in it.
 */
export function registerGuest(rc: RcState, g: GuestData): StoredVisitor {
	if (typeof g.token !== 'string' || !g.token) throw new Error(`Match error: Expected string, got ${JSON.stringify(g.token)}`);
	const update: Partial<StoredVisitor> = { ...(g.phone && { phone: [{ phoneNumber: g.phone }] }), ...(g.name && { name: g.name }) };
	const email = g.email?.trim().toLowerCase();
	if (email) update.visitorEmails = [{ address: email }];
	const byToken = rc.visitorByToken(g.token);
	if (g.department) {
		const dep = rc.department(g.department);
		if (!dep) throw meteorError('error-invalid-department', 'The provided department is invalid');
		update.department = dep.id;
	}
	const byPhone = !byToken && g.phone ? rc.visitors.find((v) => !v.disabled && v.phone?.[0]?.phoneNumber === g.phone) : undefined;
	const byEmail = !byToken && !byPhone && email ? rc.visitors.find((v) => !v.disabled && v.visitorEmails?.some((e) => e.address === email)) : undefined;
	const existing = byToken ?? byPhone ?? byEmail;
	const now = rc.now();
	if (existing) {
		Object.assign(existing, update, { token: byPhone ? byPhone.token : g.token, status: 'online', updatedAt: now });
		rc.effect('visitor.updated', { visitorId: existing.id, token: existing.token, matchedBy: byToken ? 'token' : byPhone ? 'phone' : 'email' });
		return existing;
	}
	const v: StoredVisitor = { id: g.id || randomId(), token: g.token, username: g.username || rc.nextGuestUsername(), status: 'online', ...update, createdAt: now, updatedAt: now };
	rc.visitors.push(v);
	rc.effect('visitor.created', { visitorId: v.id, token: v.token, phone: v.phone?.[0]?.phoneNumber });
	return v;
}

const openChats = (rc: RcState, agentId: string) => rc.rooms.filter((r) => r.type === 'l' && r.isOpen && r.servedBy?.id === agentId).length;
const isHumanAgent = (u: StoredUser) => !u.roles.includes('bot');
/**
 * Users.findOnlineAgents: agents whose status is not offline (idle ones only with Livechat_enabled_when_agent_idle)
 * AND whose statusLivechat is 'available', in the department if one is given; least busy first (Auto_Selection).
 */
export function onlineAgents(rc: RcState, departmentId?: string): StoredUser[] {
	const idleOk = rc.serverSetting('Livechat_enabled_when_agent_idle')?.value !== false;
	return rc.users
		.filter((u) => rc.isAgent(u) && isHumanAgent(u) && u.active && u.status !== 'offline' && (idleOk || u.status !== 'away') && u.statusLivechat === 'available')
		.filter((u) => !departmentId || u.departmentIds.includes(departmentId))
		.sort((a, b) => openChats(rc, a.id) - openChats(rc, b.id) || a.username.localeCompare(b.username));
}
/** Users.getNextBotAgent / LivechatDepartmentAgents.getNextBotForDepartment: users with roles bot + livechat-agent. */
function nextBotAgent(rc: RcState, departmentId?: string): StoredUser | undefined {
	return rc.users
		.filter((u) => rc.isAgent(u) && !isHumanAgent(u) && u.active && (!departmentId || u.departmentIds.includes(departmentId)))
		.sort((a, b) => openChats(rc, a.id) - openChats(rc, b.id) || a.username.localeCompare(b.username))[0];
}
/** QueueManager's getDepartment: the department if it has an available agent, else its fallbackForwardDepartment, recursively. */
function routableDepartment(rc: RcState, departmentId: string, seen = new Set<string>()): string | undefined {
	if (seen.has(departmentId)) return undefined;
	seen.add(departmentId);
	if (onlineAgents(rc, departmentId).length) return departmentId;
	const fallback = rc.departments.find((d) => d.id === departmentId)?.fallbackForwardDepartment;
	return fallback ? routableDepartment(rc, fallback, seen) : undefined;
}
/** Livechat.online(department): accepting chats with no agents, a bot to assign, or an available agent (of the
 *  department or, through fallbackForwardDepartment, of its fallback). */
export function isOnline(rc: RcState, departmentId?: string): boolean {
	if (rc.acceptChatsWithNoAgents) return true;
	if (rc.serverSetting('Livechat_assign_new_conversation_to_bot')?.value === true && nextBotAgent(rc, departmentId)) return true;
	return departmentId ? routableDepartment(rc, departmentId) !== undefined : onlineAgents(rc).length > 0;
}
/** getRoom / createRoom (livechat/server/lib/rooms.ts): Omnichannel switched off. */
export function assertOmnichannelEnabled(rc: RcState): void {
	if (rc.serverSetting('Livechat_enabled')?.value !== true) throw meteorError('error-omnichannel-is-disabled');
}
/** RC 7+: LivechatContacts.isChannelBlocked(visitor + source) in getRoom / createRoom (plain Error, no Meteor code). */
function assertChannelNotBlocked(rc: RcState, visitorId: string | undefined): void {
	if (rc.platform.contacts && visitorId && rc.blockedContacts.has(visitorId)) throw new Error('error-contact-channel-blocked');
}

/** The visitor as RC's converters build it from the IVisitor the app passes (converters/visitors.ts): no lookup. */
export interface Guest { id: string; token: string; username: string; name?: string; department?: string }

/**
 * createRoom (livechat/server/lib/rooms.ts) + QueueManager.requestRoom with Auto_Selection routing:
 * - Omnichannel off: error-omnichannel-is-disabled; RC 7+: a blocked contact channel throws error-contact-channel-blocked;
 * - no agent and no department: getRequiredDepartment() (first enabled department shown on registration with an
 *   available agent) becomes the visitor's department for this room;
 * - the department is replaced by its fallbackForwardDepartment chain when it has no available agent;
 * - Livechat_assign_new_conversation_to_bot: a bot agent takes the room when no agent was asked for;
 * - without "accept chats with no agents": no-agent-online when the department (after fallbacks) or, with no
 *   department, the workspace has no available agent — thrown before the room exists;
 * - RC 7+ contact verification required: the room is created but not queued (no agent can take it).
 */
export function createLivechatRoom(rc: RcState, guest: Guest, o: { agent?: StoredUser; source: RoomSource; customFields?: Record<string, unknown> }): StoredRoom {
	assertOmnichannelEnabled(rc);
	assertChannelNotBlocked(rc, guest.id);
	let agent = o.agent;
	if (agent && (agent.status === 'offline' || agent.statusLivechat !== 'available') && !rc.acceptChatsWithNoAgents) throw meteorError('no-agent-online', 'Sorry, no online agents');
	let visitorDepartment = guest.department;
	if (!agent && !visitorDepartment) {
		visitorDepartment = rc.departments.find((d) => d.enabled && (d.showOnRegistration ?? true) && onlineAgents(rc, d.id).length > 0)?.id;
	}
	const department = visitorDepartment ? routableDepartment(rc, visitorDepartment) : undefined;
	if (!agent && rc.serverSetting('Livechat_assign_new_conversation_to_bot')?.value === true) agent = nextBotAgent(rc, department ?? visitorDepartment);
	if (!rc.acceptChatsWithNoAgents && !agent) {
		if (visitorDepartment && !department) throw meteorError('no-agent-online', 'Sorry, no online agents');
		if (!visitorDepartment && onlineAgents(rc).length === 0) throw meteorError('no-agent-online', 'Sorry, no online agents');
	}
	const departmentId = department ?? visitorDepartment;
	const verificationPending = rc.platform.contacts && rc.requireContactVerification;
	if (!agent && !verificationPending) agent = onlineAgents(rc, departmentId)[0];
	if (verificationPending) agent = undefined;
	const now = rc.now();
	const room: StoredRoom = {
		id: randomId(), type: 'l', displayName: guest.name || guest.username, memberIds: agent ? [agent.id] : [], isOpen: true,
		visitorId: guest.id, visitorToken: guest.token, departmentId, servedBy: agent && { id: agent.id, username: agent.username }, queued: !agent && !verificationPending,
		source: clone(o.source), customFields: clone(o.customFields), messageCount: 0, createdAt: now, updatedAt: now,
		...(verificationPending && { contactVerificationPending: true }),
	};
	rc.rooms.push(room);
	rc.effect('room.created', { roomId: room.id, visitorToken: guest.token, servedById: agent?.id, departmentId, queued: room.queued, sourceType: o.source.type, ...(verificationPending && { contactVerificationPending: true }) });
	rc.fire('IPostLivechatRoomStarted', rc.toAppRoom(room), { roomId: room.id });
	if (agent) rc.fire('IPostLivechatAgentAssigned', { agent: rc.toAppUser(agent), room: rc.toAppRoom(room) }, { roomId: room.id });
	return room;
}

/** The room document closeRoom works on: what RC's rooms converter builds from an app's room, or the stored room. */
export interface RoomDoc { _id?: string; t?: string; open?: boolean; v?: { _id: string; username: string; token: string }; departmentId?: string }
/** A closing user or visitor as RC passes it (`{_id, username}`, the visitor with its token). */
export interface Closer { _id: string; username?: string; token?: string }

/**
 * converters/rooms.ts convertAppRoom, the fields closeRoom reads. Everything comes from the object the app passed;
 * nothing is read from the stored room but the visitor record (LivechatVisitors.findOneEnabledById):
 * - `open` only when the app's room has `isOpen` (`typeof room.isOpen !== 'undefined' && { open: !!room.isOpen }`);
 *   `{id, type}` gives `open: undefined`;
 * - `type` → `t` only when given; a `visitor` needs the `visitorChannelInfo` the reader's convertRoom adds
 *   (`const { lastMessageTs, phone } = room.visitorChannelInfo` throws without it).
 */
export function convertAppRoom(rc: RcState, room: any): RoomDoc | undefined {
	if (!room) return undefined;
	let v: RoomDoc['v'];
	if (room.visitor) {
		const visitor = rc.visitors.find((x) => x.id === room.visitor.id && !x.disabled);
		if (room.visitorChannelInfo === undefined || room.visitorChannelInfo === null) {
			throw new TypeError(`Cannot destructure property 'lastMessageTs' of 'room.visitorChannelInfo' as it is ${room.visitorChannelInfo}.`);
		}
		if (visitor) v = { _id: visitor.id, username: visitor.username, token: visitor.token };
	}
	const departmentId = room.department?.id && rc.departments.some((d) => d.id === room.department.id) ? room.department.id : undefined;
	return {
		...(room.id && { _id: room.id }),
		...(typeof room.type !== 'undefined' && { t: room.type }),
		...(v && { v }),
		...(departmentId && { departmentId }),
		...(typeof room.isOpen !== 'undefined' && { open: !!room.isOpen }),
	};
}

/** The stored room as RC's models return it (LivechatRooms.findOneById). */
export function roomDoc(rc: RcState, r: StoredRoom): RoomDoc {
	const v = rc.visitor(r.visitorId);
	return { _id: r.id, t: r.type, open: r.isOpen ? true : undefined, ...(v && { v: { _id: v.id, username: v.username, token: v.token } }), departmentId: r.departmentId };
}

/**
 * livechat/server/lib/closeRoom.ts closeRoom → doCloseRoom, with the room document it is given (not re-read):
 * - not an omnichannel room (`t !== 'l'`) or not `open` → `error-room-closed`;
 * - Livechat_request_comment_when_closing_conversation and a blank comment → `error-comment-is-required`;
 * - resolveChatTags: the room's department requests tags before closing and has no chatClosingTags →
 *   `error-tags-must-be-assigned-before-closing-chat` (an app passes no clientAction, so the department's tags count);
 * - a `user` closes as 'user', else a `visitor` as 'visitor', else "Error: Please provide details of the user or
 *   visitor who closed the room";
 * - the room's inquiry must be removed (deletedCount 1): a room already closed (its inquiry gone) or not in the
 *   database → `Error removing inquiry`;
 * - then the livechat-close system message (the visitor's token when the visitor closed) and IPostLivechatRoomClosed.
 */
export function closeRoom(rc: RcState, p: { room: RoomDoc | undefined; comment?: string; user?: Closer; visitor?: Closer }): StoredRoom {
	const { room, comment } = p;
	if (!room || room.t !== 'l' || !room.open) throw new Error('error-room-closed');
	if (rc.serverSetting('Livechat_request_comment_when_closing_conversation')?.value === true && !comment?.trim()) throw new Error('error-comment-is-required');
	let closer: 'user' | 'visitor';
	let closedBy: Closer;
	if (p.user) [closer, closedBy] = ['user', p.user];
	else if (p.visitor) [closer, closedBy] = ['visitor', p.visitor];
	else throw new Error('Error: Please provide details of the user or visitor who closed the room');
	const dep = room.departmentId ? rc.departments.find((d) => d.id === room.departmentId) : undefined;
	// resolveChatTags without clientAction (not the agent's close form): only the department's own tags can satisfy it
	if (dep?.requestTagBeforeClosingChat && !dep.chatClosingTags?.length) throw new Error('error-tags-must-be-assigned-before-closing-chat');
	const stored = rc.rooms.find((r) => r.id === room._id && r.type === 'l');
	if (!stored || !stored.isOpen) throw new Error('Error removing inquiry');
	const now = rc.now();
	Object.assign(stored, { isOpen: false, closedAt: now, updatedAt: now, closer, closedById: closedBy._id, closeComment: comment });
	rc.effect('room.closed', { roomId: stored.id, closer, closedById: closedBy._id, comment });
	const user = closer === 'user' ? rc.user(closedBy._id) : undefined;
	const sender = user
		? { id: user.id, username: user.username, name: user.name, type: user.type }
		: { id: closedBy._id, username: closedBy.username ?? '', name: rc.visitor(closedBy._id)?.name, type: (closer === 'user' ? 'user' : 'visitor') as 'user' | 'visitor' };
	insertMessage(rc, { rid: stored.id, text: comment ?? '', sender, type: 'livechat-close', origin: 'system', ...(closer === 'visitor' && { token: p.visitor!.token }) });
	rc.fire('IPostLivechatRoomClosed', rc.toAppRoom(stored), { roomId: stored.id });
	return stored;
}

/** An agent closing from the client (livechat/server/lib/closeLivechatRoom.ts → closeRoom with the stored room and the
 *  user), or, without a user, the visitor closing from the widget (livechat:closeByVisitor with the visitor). */
export function closeLivechatRoom(rc: RcState, roomId: string, o: { comment?: string; userId?: string }): StoredRoom {
	const stored = rc.room(roomId);
	const user = rc.user(o.userId);
	const v = stored && rc.visitor(stored.visitorId);
	return closeRoom(rc, {
		room: stored && roomDoc(rc, stored), comment: o.comment,
		...(user ? { user: { _id: user.id, username: user.username } } : v && { visitor: { _id: v.id, username: v.username, token: v.token } }),
	});
}

/**
 * LivechatTyped.sendMessage -> getRoom (livechat/server/lib/rooms.ts) for a visitor: Omnichannel off throws; RC 7+: the
 * room's blocked contact channel throws; a missing or closed livechat room is replaced by a new one (routed like
 * createRoom, but with only the bare app source); a room of another visitor throws cannot-access-room. The author is
 * the guest passed (RC does not look the visitor up): its id, username and name, alias = its name, token = its token.
 * Visitor messages are exempt from Message_MaxAllowedSize and the MAC limit.
 */
export function sendVisitorMessage(rc: RcState, guest: Guest, roomId: string | undefined, fields: Partial<StoredMessage>, o: { source: RoomSource; origin: 'app' | 'harness' }): StoredMessage {
	assertOmnichannelEnabled(rc);
	let room = rc.rooms.find((r) => r.id === roomId && r.type === 'l');
	if (room) assertChannelNotBlocked(rc, room.visitorId);
	if (!room || !room.isOpen) room = createLivechatRoom(rc, guest, { source: o.source });
	if (room.visitorToken !== guest.token) throw meteorError('cannot-access-room');
	const sender = { id: guest.id, username: guest.username, name: guest.name, type: 'visitor' as const };
	return insertMessage(rc, { ...fields, rid: room.id, sender, token: guest.token, ...(guest.name && { alias: guest.name }), origin: o.origin });
}

/**
 * departmentsLib removeDepartment: the department goes, its agents leave it, fallbacks pointing at it are unset, rooms
 * lose it (bulkRemoveDepartmentAndUnitsFromRooms); visitors keep the id, so their next upsert with it fails.
 * IPostLivechatDepartmentRemoved follows.
 */
export function removeDepartment(rc: RcState, id: string): void {
	const d = rc.departments.find((x) => x.id === id);
	if (!d) throw new Error('error-department-not-found');
	rc.departments = rc.departments.filter((x) => x !== d);
	for (const u of rc.users) u.departmentIds = u.departmentIds.filter((x) => x !== id);
	for (const x of rc.departments) if (x.fallbackForwardDepartment === id) delete x.fallbackForwardDepartment;
	for (const r of rc.rooms) if (r.departmentId === id) delete r.departmentId;
	rc.effect('department.removed', { departmentId: id });
	rc.fire('IPostLivechatDepartmentRemoved', { department: rc.toAppDepartment(d) }, { departmentId: id });
}

/**
 * guests.ts removeGuest -> cleanGuestHistory + LivechatVisitors.disableById: every livechat room of the visitor's
 * token is deleted with its messages and files (no IPostLivechatRoomClosed), and the visitor record stays, disabled,
 * with token, name, phone, e-mails, department and custom fields unset.
 */
export function removeGuest(rc: RcState, visitorId: string): void {
	const v = rc.visitors.find((x) => x.id === visitorId && !x.disabled);
	if (!v) throw new Error('error-invalid-guest');
	const roomIds = new Set(rc.rooms.filter((r) => r.type === 'l' && r.visitorToken === v.token).map((r) => r.id));
	rc.messages = rc.messages.filter((m) => !roomIds.has(m.rid));
	rc.uploads = rc.uploads.filter((u) => !roomIds.has(u.rid));
	rc.rooms = rc.rooms.filter((r) => !roomIds.has(r.id));
	Object.assign(v, { disabled: true, token: '', status: 'offline', updatedAt: rc.now() });
	for (const k of ['name', 'phone', 'visitorEmails', 'department', 'livechatData'] as const) delete v[k];
	rc.effect('visitor.removed', { visitorId, roomIds: [...roomIds] });
}

/** converters/visitors.ts convertAppVisitor: the IVisitor the app passes, as is (RC's requestRoom then needs _id and username). */
export function guestFromApp(v: any): Guest {
	if (!v) throw new TypeError("Cannot read properties of undefined (reading '_id')");
	for (const k of ['id', 'username'] as const) if (typeof v[k] !== 'string') throw new Error(`Match error: Expected string, got ${JSON.stringify(v[k])} in field ${k === 'id' ? '_id' : k}`);
	return { id: v.id, token: v.token, username: v.username, name: v.name, department: v.department };
}
/** A stored visitor as a guest (the harness acting as the widget, which sends the visitor's current record). */
export const guestOf = (v: StoredVisitor): Guest => ({ id: v.id, token: v.token, username: v.username, name: v.name, department: v.department });

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
	/**
	 * RC's AppLivechatBridge.createMessage: convertAppMessage first (a room id that does not exist throws "Invalid room
	 * provided on the message."; nothing re-creates it), then LivechatTyped.sendMessage with the visitor object the app
	 * passed, converted as is (converters/visitors.ts; no lookup), and the bare app source for a new room.
	 */
	public async createMessage(message: any, appId: string): Promise<string> {
		if (!message.token) throw new Error('Invalid token for livechat message');
		if (!message.room?.id || !this.rc.room(message.room.id)) throw new Error('Invalid room provided on the message.');
		const guest = guestFromApp(message.visitor);
		const source = { type: 'app', id: appId, alias: this.rc.appNameSlug };
		return sendVisitorMessage(this.rc, guest, message.room.id, messageFields(message), { source, origin: 'app' }).id;
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
	/** RC's AppLivechatBridge.createRoom -> getRoom/createRoom with the visitor the app passed (converted, no lookup: its
	 *  department decides the routing), the app source (destination only where the definition has it: not 1.46.0). */
	public async createRoom(visitor: any, agent: any, appId: string, extraParams: any = {}): Promise<any> {
		let agentUser: StoredUser | undefined;
		if (agent?.id) {
			agentUser = this.rc.user(agent.id);
			if (!agentUser || !this.rc.isAgent(agentUser)) throw new Error(`The agent with id "${agent.id}" was not found.`);
		}
		const guest = guestFromApp(visitor);
		const s = extraParams.source;
		const source: RoomSource = {
			type: 'app', id: appId, alias: this.rc.appName,
			...(s?.type === 'app' && { sidebarIcon: s.sidebarIcon, defaultIcon: s.defaultIcon, label: s.label, ...(this.rc.platform.roomSourceDestination && { destination: s.destination }) }),
		};
		return this.rc.toAppRoom(createLivechatRoom(this.rc, guest, { agent: agentUser, source, customFields: extraParams.customFields }));
	}
	/**
	 * RC's AppLivechatBridge.closeRoom (app/apps/server/bridges/livechat.ts): the closer through the users converter,
	 * the visitor through convertAppVisitor(room.visitor) (as passed, no lookup), the room through the rooms
	 * converter (convertAppRoom), then closeRoom with that converted room, never the stored one.
	 */
	public async closeRoom(room: any, comment: string, closer: any, _appId?: string): Promise<boolean> {
		const user = closer ? { _id: closer.id, username: closer.username } : undefined;
		const visitor = room?.visitor ? { _id: room.visitor.id, username: room.visitor.username, token: room.visitor.token } : undefined;
		closeRoom(this.rc, { room: convertAppRoom(this.rc, room), comment, ...(user && { user }), ...(visitor && { visitor }) });
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
