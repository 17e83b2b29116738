import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom, IVisitor } from '@rocket.chat/apps-engine/definition/livechat';
import { IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';

// The Rocket.Chat side of a conversation: visitors, rooms, messages, uploads, notices.
// Nothing here knows about WhatsApp providers.

export interface VisitorRef {
	id?: string;
	token: string;
	name: string;
	username?: string;
}

export interface RoomMetadata {
	/** Shown as the conversation's channel, e.g. "WhatsApp". */
	label: string;
	/** Icon name Rocket.Chat asks the app's `get-sidebar-icon` endpoint for. */
	icon: string;
	/** The business number customers wrote to, shown as destination. */
	destination?: string;
	/** Stored on room.customFields (lets the app recognise its rooms). */
	customFields: Record<string, unknown>;
}

/** Errors from createRoom that mean "try again later" rather than "broken". */
export function isNoAgentOnline(e: unknown): boolean {
	return /no-agent-online/.test(errorText(e));
}

export function errorText(e: unknown): string {
	if (e instanceof Error) return e.message;
	if (typeof e === 'object' && e && 'message' in e) return String((e as { message: unknown }).message);
	return String(e);
}

/** Rocket.Chat upserts by token, then phone: always keep the visitor (and token) it returns. */
export async function ensureVisitor(modify: IModify, p: { token: string; name: string; phone?: string; departmentId?: string }): Promise<IVisitor> {
	const visitor = {
		token: p.token,
		name: p.name,
		username: `wa-${p.token.slice(-12)}`,
		department: p.departmentId || undefined,
		phone: p.phone ? [{ phoneNumber: p.phone }] : undefined,
	} as IVisitor;
	const created = await modify.getCreator().getLivechatCreator().createAndReturnVisitor(visitor);
	if (!created || !created.token) throw new Error('Rocket.Chat did not return the visitor');
	return created;
}

/** Opens a livechat room routed by Rocket.Chat (department or its routing); throws no-agent-online. */
export async function openRoom(modify: IModify, visitor: IVisitor, meta: RoomMetadata): Promise<ILivechatRoom> {
	const source = { type: 'app', label: meta.label, sidebarIcon: meta.icon, defaultIcon: meta.icon, destination: meta.destination };
	// The agent is optional in practice: without one Rocket.Chat routes or queues the chat.
	return modify.getCreator().getLivechatCreator().createRoom(visitor, undefined as unknown as IUser, {
		source: source as unknown as ILivechatRoom['source'],
		customFields: meta.customFields,
	} as never);
}

/** Enough of a room for the message builders: RC resolves the room by id on its side. */
export function roomRef(roomId: string): IRoom {
	return { id: roomId, type: RoomType.LIVE_CHAT } as IRoom;
}

export async function postAsVisitor(modify: IModify, roomId: string, visitor: VisitorRef, text: string): Promise<string> {
	const builder = modify.getCreator().startLivechatMessage()
		.setRoom(roomRef(roomId))
		.setVisitor(visitor as IVisitor)
		.setText(text);
	return modify.getCreator().finish(builder);
}

export async function uploadAsVisitor(modify: IModify, roomId: string, visitorToken: string, fileName: string, bytes: Buffer): Promise<string> {
	const upload = await modify.getCreator().getUploadCreator().uploadBuffer(bytes, { filename: fileName, room: roomRef(roomId), visitorToken });
	return upload.id;
}

/** A note from the app user in the room (visible to agents, kept in history; never sent to WhatsApp). */
export async function postNotice(read: IRead, modify: IModify, roomId: string, text: string): Promise<string> {
	const appUser = await read.getUserReader().getAppUser();
	const builder = modify.getCreator().startMessage().setRoom(roomRef(roomId)).setText(text).setGroupable(false);
	if (appUser) builder.setSender(appUser);
	return modify.getCreator().finish(builder);
}

/** Ephemeral answer only `user` sees (slash commands); never stored. */
export async function notifyUser(read: IRead, modify: IModify, user: IUser, room: IRoom, text: string, attachment?: object): Promise<void> {
	const appUser = await read.getUserReader().getAppUser();
	const builder = modify.getCreator().startMessage().setRoom(room).setText(text).setGroupable(false);
	if (attachment) builder.addAttachment(attachment as never);
	if (appUser) builder.setSender(appUser);
	await modify.getNotifier().notifyUser(user, builder.getMessage());
}

export async function updateMessageText(read: IRead, modify: IModify, messageId: string, text: string): Promise<boolean> {
	const appUser = await read.getUserReader().getAppUser();
	if (!appUser) return false;
	const builder = await modify.getUpdater().message(messageId, appUser);
	builder.setEditor(appUser).setText(text);
	await modify.getUpdater().finish(builder);
	return true;
}
