// MessageBridge (+ the notifier) and the message insert every other path shares (RC's sendMessage + afterSaveMessage).
import { MessageBridge } from '@rocket.chat/apps-engine/server/bridges/MessageBridge';
import { clone, meteorError, randomId, RcState, StoredMessage, StoredRoom, StoredUser } from '../state';
import { setReaction } from './userActions';

type NewMessage = Partial<StoredMessage> & Pick<StoredMessage, 'rid' | 'sender' | 'origin'>;

/** Inserts a message, bumps the room, logs the effect and (like RC's afterSaveMessage) fires IPostMessageSent
 *  (IPostSystemMessageSent for system messages) at the app asynchronously, also for messages the app created. */
export function insertMessage(rc: RcState, p: NewMessage): StoredMessage {
	// BeforeSaveCheckMAC (Message.beforeSave): in an omnichannel room, every message that is not a visitor's (token),
	// not a system message and not an edit needs the contact within the licence's monthly-active-contacts cap.
	if (rc.macLimitReached && rc.room(p.rid)?.type === 'l' && !p.token && !p.type) throw meteorError('error-mac-limit-reached');
	const now = rc.now();
	const m = { text: '', ...clone(p), id: p.id ?? randomId(), createdAt: now, updatedAt: now } as StoredMessage;
	rc.messages.push(m);
	const room = rc.room(m.rid);
	if (room) Object.assign(room, { messageCount: room.messageCount + 1, lastMessageAt: now, updatedAt: now });
	rc.effect('message.created', { messageId: m.id, roomId: m.rid, senderId: m.sender.id, senderType: m.sender.type, origin: m.origin, ...(m.type && { system: m.type }) });
	rc.fire(m.type ? 'IPostSystemMessageSent' : 'IPostMessageSent', rc.toAppMessage(m), { messageId: m.id });
	return m;
}

export const userSender = (u: StoredUser) => ({ id: u.id, username: u.username, name: u.name, type: u.type });

/** RC's canSendMessage: app users skip the check; in livechat rooms only the serving agent (or managers/admins,
 *  who hold view-livechat-rooms) may post; elsewhere the user must be a member. */
export function assertCanPost(rc: RcState, user: StoredUser, room: StoredRoom): void {
	if (user.type === 'app') return;
	const privileged = user.roles.some((r) => ['admin', 'livechat-manager', 'livechat-monitor'].includes(r));
	const ok = room.type === 'l' ? room.servedBy?.id === user.id || privileged : room.memberIds.includes(user.id) || user.roles.includes('admin');
	if (!ok) throw meteorError('error-not-allowed', 'Not allowed');
}

/**
 * executeSendMessage (lib/server/methods/sendMessage.ts), the path of app-user messages (MessageBridge.create →
 * Message.sendMessage) and of users writing from the client: `message.msg.length > Message_MaxAllowedSize` (default
 * 5,000) throws — JavaScript's length, UTF-16 code units (an emoji outside the BMP counts 2), `:shortcodes:` counted
 * as written. Visitor messages (livechat sendMessage) skip it.
 */
export function assertMessageSize(rc: RcState, text: unknown): void {
	if (typeof text !== 'string' || !text) return;
	const max = Number(rc.serverSetting('Message_MaxAllowedSize')?.value ?? 0);
	if (text.length > max) throw meteorError('error-message-size-exceeded', 'Message size exceeds Message_MaxAllowedSize');
}

/** Fields an app-built IMessage may carry into the stored message. */
export function messageFields(msg: any): Partial<StoredMessage> {
	const out: any = {};
	for (const k of ['text', 'alias', 'emoji', 'avatarUrl', 'groupable', 'parseUrls', 'attachments', 'blocks', 'customFields', 'threadId']) {
		if (msg[k] !== undefined) out[k] = clone(msg[k]);
	}
	return out;
}

export class TestMessageBridge extends MessageBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async create(message: any, _appId?: string): Promise<string> {
		const room = this.rc.room(message.room?.id);
		if (!room) throw new Error('Invalid room provided on the message.');
		const user = this.rc.user(message.sender?.id);
		if (!user) throw meteorError('error-invalid-user', 'Invalid user');
		if (message.customFields && Object.keys(message.customFields).length && !this.rc.serverSetting('Message_CustomFields_Enabled')?.value) {
			throw new Error('Custom fields not enabled');
		}
		assertMessageSize(this.rc, message.text);
		assertCanPost(this.rc, user, room);
		return insertMessage(this.rc, { ...messageFields(message), rid: room.id, sender: userSender(user), origin: 'app' }).id;
	}
	public async update(message: any, _appId?: string): Promise<void> {
		const editor = this.rc.user(message.editor?.id);
		if (!editor) throw new Error('Invalid editor assigned to the message for the update.');
		const stored = this.rc.message(message.id);
		if (!stored) throw new Error('A message must exist to update.');
		applyEdit(this.rc, stored, messageFields(message), { id: editor.id, username: editor.username });
	}
	public async notifyUser(user: any, message: any, _appId?: string): Promise<void> {
		this.notice('user', message, user?.id);
	}
	public async notifyRoom(room: any, message: any, _appId?: string): Promise<void> {
		if (!room?.id) return;
		this.notice('room', { ...message, room }, undefined);
	}
	private notice(kind: 'user' | 'room', message: any, userId?: string): void {
		if (!this.rc.room(message?.room?.id)) throw new Error('Invalid room provided on the message.');
		const n = { id: randomId(), kind, userId, roomId: message.room.id, text: message.text, attachments: clone(message.attachments), blocks: clone(message.blocks), message: clone({ ...message, room: { id: message.room.id } }), at: this.rc.now() };
		this.rc.notices.push(n);
		this.rc.effect('notice', { noticeId: n.id, noticeKind: kind, userId, roomId: n.roomId, text: n.text });
	}
	public async typing(options: any, _appId?: string): Promise<void> {
		this.rc.effect('typing', { roomId: options?.id, username: options?.username, isTyping: options?.isTyping });
	}
	public async getById(messageId: string, _appId?: string): Promise<any> {
		return this.rc.toAppMessage(this.rc.message(messageId));
	}
	/**
	 * AppMessageBridge.delete → Message.deleteMessage (lib/server/functions/deleteMessage.ts), no permission check: the
	 * message is removed (Message_KeepHistory off) and IPostMessageDeleted(deletedMsg, user) fires — at the app that
	 * deleted it too.
	 */
	public async delete(message: any, user: any, _appId?: string): Promise<void> {
		if (!message?.id) throw new Error('Invalid message id');
		const stored = this.rc.message(message.id);
		if (!stored) throw meteorError('error-invalid-message', 'Invalid message');
		const deleted = this.rc.toAppMessage(stored);
		this.rc.messages.splice(this.rc.messages.indexOf(stored), 1);
		const room = this.rc.room(stored.rid);
		if (room) room.messageCount = Math.max(0, room.messageCount - 1);
		this.rc.effect('message.deleted', { messageId: message.id, byUserId: user?.id });
		this.rc.fire('IPostMessageDeleted', { message: clone(deleted), user: this.rc.toAppUser(this.rc.user(user?.id)) }, { messageId: message.id });
	}
	/**
	 * RC's AppMessageBridge.addReaction / removeReaction (app/apps/server/bridges/messages.ts): the reaction must be
	 * written `:name:`, then executeSetReaction(userId, reaction, messageId, true|false) — which refuses a user who
	 * cannot access the room (`not-authorized`; the app user has no access to livechat rooms unless its roles give it)
	 * and fires IPostMessageReacted like a user's reaction.
	 */
	protected async addReaction(messageId: string, userId: string, reaction: string): Promise<void> {
		this.react(messageId, userId, reaction, true);
	}
	protected async removeReaction(messageId: string, userId: string, reaction: string): Promise<void> {
		this.react(messageId, userId, reaction, false);
	}
	private react(messageId: string, userId: string, reaction: string, shouldReact: boolean): void {
		if (typeof reaction !== 'string' || !reaction.startsWith(':') || !reaction.endsWith(':')) throw new Error('Invalid reaction');
		setReaction(this.rc, { messageId, userId, reaction, shouldReact });
	}
}

/** RC's updateMessage: replaces the editable fields, sets editedAt/editedBy, fires IPostMessageUpdated. */
export function applyEdit(rc: RcState, stored: StoredMessage, fields: Partial<StoredMessage>, editor: { id: string; username: string }): void {
	const now = rc.now();
	Object.assign(stored, fields, { editedAt: now, editor, updatedAt: now });
	rc.effect('message.updated', { messageId: stored.id, roomId: stored.rid, editorId: editor.id, text: stored.text });
	rc.fire('IPostMessageUpdated', rc.toAppMessage(stored), { messageId: stored.id });
}
