import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ILivechatRoom, IVisitor } from '@rocket.chat/apps-engine/definition/livechat';
import { IRoom, RoomType } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { transferLimitBytes } from '../core/budget';
import { errorText } from '../core/failures';
import {
	AgentMessage, ContactBlocked, FileTooLarge, CoreSettings, NoAgentOnline, NoticeAction, OmnichannelOff, RocketChatPort, RoomGone, RoomMessageHead, RoomMetadata, VisitorRef,
} from '../core/ports/rocketchat';
import { messageAuthor, toAgentMessage } from './agentMessages';
import { bytesOf, millisOf } from './boundary';
import { callBudgetMs } from './engineBudget';
import { readBotMessages, readSettings, Setting } from './settings';
import { ROOM_ICON } from './roomIcon';
import { serverSetting } from './serverSettings';
import { buttonElement, contextBlock, OPEN_TEMPLATE_PICKER, sectionBlock, SENT_TEMPLATE_BLOCK } from './uikitIds';

/** The accessors Rocket.Chat hands an endpoint, job, command or event handler. */
export interface Accessors {
	read: IRead;
	modify: IModify;
	http: IHttp;
	persis: IPersistence;
}

/** The Rocket.Chat side of a conversation, for the core: visitors, rooms, messages, uploads, notices. */
export class RocketChatAdapter implements RocketChatPort {
	constructor(private readonly read: IRead, private readonly modify: IModify) {}

	public async settings(): Promise<CoreSettings> {
		return readSettings(this.read);
	}

	public async siteUrl(): Promise<string> {
		return String((await serverSetting(this.read, 'Site_Url')) || '');
	}

	public transferLimitBytes(): number {
		return transferLimitBytes(callBudgetMs(this.modify));
	}

	public async maxUploadBytes(): Promise<number | undefined> {
		const n = Number(await serverSetting(this.read, 'FileUpload_MaxFileSize'));
		return Number.isFinite(n) && n !== 0 ? n : undefined;
	}

	public async findDepartment(idOrName: string): Promise<string | undefined> {
		return (await this.read.getLivechatReader().getLivechatDepartmentByIdOrName(idOrName))?.id;
	}

	public async ensureVisitor(p: { token: string; name: string; phone?: string; departmentId?: string }): Promise<VisitorRef> {
		const visitor = {
			token: p.token,
			name: p.name,
			username: `wa-${p.token.slice(-12)}`,
			department: p.departmentId || undefined,
			phone: p.phone ? [{ phoneNumber: p.phone }] : undefined,
		} as IVisitor;
		const created = await this.modify.getCreator().getLivechatCreator().createAndReturnVisitor(visitor);
		if (!created || !created.token) throw new Error('Rocket.Chat did not return the visitor');
		return { id: created.id, token: created.token, name: created.name, username: created.username, department: created.department };
	}

	public async findOpenRoom(visitor: VisitorRef, match: Record<string, string>): Promise<string | undefined> {
		const rooms = await this.read.getLivechatReader().getLivechatRooms(visitor as IVisitor);
		const room = rooms.find((r) => r.isOpen !== false && Object.entries(match).every(([k, v]) => r.customFields?.[k] === v));
		return room?.id;
	}

	public async openRoom(visitor: VisitorRef, meta: RoomMetadata, agentId?: string): Promise<string> {
		// The icon is the one the app serves at `get-sidebar-icon`.
		const source = { type: 'app', label: meta.label, sidebarIcon: ROOM_ICON, defaultIcon: ROOM_ICON, destination: meta.destination };
		// Rocket.Chat's bridge takes the agent's id and username.
		const agent = agentId ? await this.read.getUserReader().getById(agentId) : undefined;
		try {
			// The agent is optional in practice: without one Rocket.Chat routes or queues the chat.
			const room = await this.modify.getCreator().getLivechatCreator().createRoom(visitor as IVisitor, agent as IUser, {
				source: source as unknown as ILivechatRoom['source'],
				customFields: meta.customFields,
			} as never);
			return room.id;
		} catch (e) {
			if (/no-agent-online/.test(errorText(e))) throw new NoAgentOnline('no-agent-online');
			throw await this.refusal(e);
		}
	}

	public async postAsVisitor(roomId: string, visitor: VisitorRef, text: string): Promise<string> {
		return this.inRoom(roomId, () => {
			const builder = this.modify.getCreator().startLivechatMessage().setRoom(roomRef(roomId)).setVisitor(visitor as IVisitor).setText(text);
			return this.modify.getCreator().finish(builder);
		});
	}

	public async closeRoom(roomId: string, comment: string): Promise<boolean> {
		// Rocket.Chat closes the room object it is given, converted as is: it must be the reader's current one
		// (isOpen, and the visitor, who becomes the closer when no user is passed). A bare {id, type} converts
		// to a room that is not open; a stale copy of a room closed meanwhile fails further in.
		const room = (await this.read.getRoomReader().getById(roomId)) as ILivechatRoom | undefined;
		if (!room || room.type !== RoomType.LIVE_CHAT || !room.isOpen) return false;
		await this.modify.getUpdater().getLivechatUpdater().closeRoom(room, comment);
		return true;
	}

	public async postAsUser(roomId: string, userId: string, text: string): Promise<string> {
		const user = await this.read.getUserReader().getById(userId);
		if (!user) throw new Error(`unknown user ${userId}`);
		return this.modify.getCreator().finish(this.modify.getCreator().startMessage().setRoom(roomRef(roomId)).setSender(user).setText(text));
	}

	public async uploadAsVisitor(roomId: string, visitorToken: string, fileName: string, bytes: Buffer): Promise<string> {
		return this.inRoom(roomId, async () => (await this.modify.getCreator().getUploadCreator().uploadBuffer(bytes, { filename: fileName, room: roomRef(roomId), visitorToken })).id);
	}

	public async findAgent(username: string): Promise<string | undefined> {
		const user = await this.read.getUserReader().getByUsername(username);
		return user && (user.roles || []).includes('livechat-agent') ? user.id : undefined;
	}

	public async postNotice(roomId: string, text: string, action?: NoticeAction): Promise<string> {
		const fitted = await this.fitted(text);
		if (!action) return postNotice(this.read, this.modify, roomId, fitted);
		// With blocks, clients show the blocks instead of the text: the note's text goes into a section.
		const blocks = [sectionBlock(withoutQuoteMarkup(fitted)), { type: 'actions', elements: [buttonElement(actionIdOf(action), action.label, roomId)] }];
		return postNotice(this.read, this.modify, roomId, fitted, blocks);
	}

	public async postSentTemplate(roomId: string, text: string, p: { senderId?: string; label: string }): Promise<string> {
		const sender = p.senderId ? await this.read.getUserReader().getById(p.senderId) : await this.read.getUserReader().getAppUser();
		if (!sender) throw new Error(`user ${p.senderId || 'of the app'} not found`);
		const fitted = await this.fitted(text);
		const blocks = [sectionBlock(fitted), contextBlock(p.label, SENT_TEMPLATE_BLOCK)];
		const builder = this.modify.getCreator().startMessage().setRoom(roomRef(roomId)).setSender(sender).setText(fitted).setGroupable(false).setBlocks(blocks as never);
		return this.inRoom(roomId, () => this.modify.getCreator().finish(builder));
	}

	/**
	 * Rocket.Chat refuses a message into a room that no longer exists ("Invalid room provided on the
	 * message."; older engines only say "[object Object]"). Only when writing failed is the room looked
	 * up, so the normal path costs nothing extra.
	 */
	private async inRoom<T>(roomId: string, write: () => Promise<T>): Promise<T> {
		try {
			return await write();
		} catch (e) {
			const room = await this.read.getRoomReader().getById(roomId).catch(() => undefined);
			if (!room) throw new RoomGone(`room ${roomId} no longer exists`);
			throw await this.refusal(e);
		}
	}

	/**
	 * Why Rocket.Chat refused a livechat write, when it is a workspace condition the app must tell apart:
	 * Omnichannel switched off (checked on the setting, as older engines only say "[object Object]"), or
	 * a blocked contact channel (Rocket.Chat 7+).
	 */
	private async refusal(e: unknown): Promise<unknown> {
		const text = errorText(e);
		if (/error-contact-channel-blocked/.test(text)) return new ContactBlocked('the contact\'s channel is blocked in Rocket.Chat');
		if (/error-omnichannel-is-disabled/.test(text) || (await serverSetting(this.read, 'Livechat_enabled')) === false) return new OmnichannelOff('Omnichannel is switched off');
		return e;
	}

	/**
	 * App-user messages obey Message_MaxAllowedSize (visitor messages do not), which Rocket.Chat compares with
	 * the text's length in UTF-16 units, shortcodes as written: cut notes to fit, never inside a surrogate pair.
	 */
	private async fitted(text: string): Promise<string> {
		const max = Number(await serverSetting(this.read, 'Message_MaxAllowedSize')) || DEFAULT_MAX_MESSAGE_SIZE;
		if (text.length <= max) return text;
		let cut = Math.max(1, max - 1);
		if (/[\uD800-\uDBFF]/.test(text[cut - 1] ?? '')) cut -= 1;
		return `${text.slice(0, cut)}…`;
	}

	public async updateMessageText(messageId: string, text: string): Promise<boolean> {
		try {
			const appUser = await this.read.getUserReader().getAppUser();
			if (!appUser) return false;
			const builder = await this.modify.getUpdater().message(messageId, appUser);
			builder.setEditor(appUser).setText(await this.fitted(text));
			await this.modify.getUpdater().finish(builder);
			return true;
		} catch {
			return false; // RC may refuse edits of visitor messages: the caller posts the change instead
		}
	}

	public async react(messageId: string, emoji: string): Promise<boolean> {
		try {
			const appUser = await this.read.getUserReader().getAppUser();
			const updater = (this.modify.getUpdater() as unknown as { getMessageUpdater?: () => { addReaction(id: string, uid: string, r: string): Promise<void> } }).getMessageUpdater;
			if (!appUser || !updater) return false;
			await updater.call(this.modify.getUpdater()).addReaction(messageId, appUser.id, emoji);
			return true;
		} catch {
			// Reactions are a courtesy (older servers lack the API); the state is stored either way.
			return false;
		}
	}

	public async alertAdmins(text: string, fallbackUserIds: string[]): Promise<boolean> {
		const roomId = (await this.read.getEnvironmentReader().getSettings().getById(Setting.AlertRoom))?.value;
		if (typeof roomId === 'string' && roomId) {
			await this.postNotice(roomId, text);
			return true;
		}
		const appUser = await this.read.getUserReader().getAppUser();
		if (!appUser) return false;
		let told = false;
		for (const userId of fallbackUserIds) {
			const user = await this.read.getUserReader().getById(userId);
			if (!user) continue;
			await this.postNotice(await this.directRoom(appUser, user), text);
			told = true;
		}
		return told;
	}

	/** The app user's direct conversation with `user` (created the first time). */
	private async directRoom(appUser: IUser, user: IUser): Promise<string> {
		const existing = await this.read.getRoomReader().getDirectByUsernames([appUser.username, user.username]);
		if (existing) return existing.id;
		const builder = this.modify.getCreator().startRoom().setType(RoomType.DIRECT_MESSAGE).setCreator(appUser).setMembersToBeAddedByUsernames([appUser.username, user.username]);
		return this.modify.getCreator().finish(builder);
	}

	public async notifyUser(userId: string, roomId: string, text: string, image?: { url: string; title: string }): Promise<boolean> {
		const [user, room] = await Promise.all([this.read.getUserReader().getById(userId), this.read.getRoomReader().getById(roomId)]);
		if (!user || !room) return false;
		await notifyUser(this.read, this.modify, user, room, text, image && { imageUrl: image.url, title: { value: image.title } });
		return true;
	}

	public async uploadImage(roomId: string, fileName: string, bytes: Buffer): Promise<void> {
		const [room, appUser] = await Promise.all([this.read.getRoomReader().getById(roomId), this.read.getUserReader().getAppUser()]);
		if (!room) return;
		await this.modify.getCreator().getUploadCreator().uploadBuffer(bytes, { filename: fileName, room, user: appUser });
	}

	public async readUpload(fileId: string, maxBytes?: number): Promise<Buffer> {
		if (maxBytes !== undefined) {
			// The size first (a small call): a file over the limit never crosses into the app process.
			const size = Number((await this.read.getUploadReader().getById(fileId))?.size);
			if (Number.isFinite(size) && size > maxBytes) throw new FileTooLarge(size, maxBytes);
		}
		const bytes = bytesOf(await this.read.getUploadReader().getBufferById(fileId));
		if (!bytes) throw new Error(`upload ${fileId}: Rocket.Chat returned no file content`);
		return bytes;
	}

	public async appUserId(): Promise<string | undefined> {
		return (await this.read.getUserReader().getAppUser())?.id;
	}

	public async recentMessages(roomId: string, limit: number): Promise<RoomMessageHead[]> {
		const raw = await this.read.getRoomReader().getMessages(roomId, { limit, sort: { createdAt: 'desc' } } as never);
		// a message without a readable time cannot be placed in the catch-up window: left out
		return (raw || []).flatMap((m) => {
			const createdAt = millisOf(m.createdAt);
			const senderId = String((m.sender as { _id?: string; id?: string })?._id ?? (m.sender as { id?: string })?.id ?? '');
			return createdAt === undefined ? [] : [{ id: m.id, senderId, createdAt }];
		});
	}

	public async agentMessage(messageId: string): Promise<AgentMessage | undefined> {
		const message = await this.read.getMessageReader().getById(messageId);
		if (!message) return undefined;
		// This app's id tells its own user from other apps' users; it is looked up for an app user's message only
		// (unknown: the sender's own, so that such a message is never sent).
		const sender = message.sender as { type?: string; appId?: string } | undefined;
		const appId = sender?.type === 'app' ? (await this.read.getUserReader().getAppUser())?.appId ?? sender.appId ?? '' : '';
		const author = messageAuthor(message, appId);
		if (author === 'none' || (author === 'bot' && !(await readBotMessages(this.read)))) return undefined;
		return toAgentMessage(message);
	}
}

const ACTION_IDS: Record<NoticeAction['kind'], string> = { 'open-template-picker': OPEN_TEMPLATE_PICKER };
const actionIdOf = (action: NoticeAction) => ACTION_IDS[action.kind];

/** `[ ](permalink) ` quote prefixes: Rocket.Chat turns them into a quote of the text; in a block they are noise. */
const withoutQuoteMarkup = (text: string) => text.replace(/^(\[ \]\([^)]*\)\s*)+/, '');

/** Rocket.Chat's default for Message_MaxAllowedSize. */
const DEFAULT_MAX_MESSAGE_SIZE = 5000;

/** Enough of a room for the message builders: RC resolves the room by id on its side. */
export function roomRef(roomId: string): IRoom {
	return { id: roomId, type: RoomType.LIVE_CHAT } as IRoom;
}

/** A note from the app user in the room (visible to agents, kept in history; never sent to WhatsApp). */
export async function postNotice(read: IRead, modify: IModify, roomId: string, text: string, blocks?: object[]): Promise<string> {
	const appUser = await read.getUserReader().getAppUser();
	const builder = modify.getCreator().startMessage().setRoom(roomRef(roomId)).setText(text).setGroupable(false);
	if (blocks) builder.setBlocks(blocks as never);
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
