// What the core needs from Rocket.Chat (implemented in src/rocketchat/RocketChatAdapter.ts): visitors,
// rooms, messages, uploads, notices, settings. Nothing here knows about WhatsApp providers.

export interface VisitorRef {
	id?: string;
	token: string;
	name: string;
	username?: string;
	/** The department the room opens in: Rocket.Chat takes it from the visitor object passed, with no lookup. */
	department?: string;
}

export interface RoomMetadata {
	/** Shown as the conversation's channel, e.g. "WhatsApp". */
	label: string;
	/** The business number customers wrote to, shown as destination. */
	destination?: string;
	/** Stored on room.customFields (lets the app recognise its rooms). */
	customFields: Record<string, string>;
}

/** Who wrote a room message, and when. */
export interface RoomMessageHead {
	id: string;
	senderId: string;
	createdAt: number;
}

/** What an agent message carries (read off Rocket.Chat's message by src/rocketchat/agentMessages.ts). */
export interface AgentMessage {
	id: string;
	roomId: string;
	text: string;
	/** When it was written (ms). */
	createdAt?: number;
	file?: { id: string; name: string; type: string };
	/** RC id of the quoted message, from the quote attachment's link. */
	quotedRcId?: string;
}

/** A button under a note, for the room's agents: the app's UI decides what it opens. */
export interface NoticeAction {
	kind: 'open-template-picker';
	label: string;
}

/** The app settings the core reads (see src/settings.ts for their definitions). */
export interface CoreSettings {
	defaultDepartment: string;
	groupChats: 'ignore' | 'bridge';
	deliveryStatus: 'failures' | 'all' | 'none';
	maxAttempts: number;
	giveUpAfterMinutes: number;
	closeMessageEnabled: boolean;
	closeMessageText: string;
	/** Hosts an admin allowed media from, besides the provider's own (host patterns, see core/mediaPolicy.ts). */
	mediaExtraHosts: string[];
	/** Department menu: invalid answers before the default applies, minutes until it expires, the keyword that ends a conversation, the admin's own menu text (empty: the translated one). */
	menuMaxTries: number;
	menuTimeoutMinutes: number;
	menuExitKeyword: string;
	menuText: string;
	/** Mark the customer's messages read on WhatsApp when an agent answers. */
	readReceipts: boolean;
	/** Coexistence numbers: past messages younger than this many days are brought into the customer's room (0: none). */
	historyDays: number;
}

export interface RocketChatPort {
	settings(): Promise<CoreSettings>;
	siteUrl(): Promise<string>;
	/** Upload limit in bytes; <= 0 or absent = no limit of Rocket.Chat's own. */
	maxUploadBytes(): Promise<number | undefined>;
	/** The largest file one call into Rocket.Chat carries on this engine (core/budget.ts transferLimitBytes). */
	transferLimitBytes(): number;
	/** A department's id by id or name, when it exists. */
	findDepartment(idOrName: string): Promise<string | undefined>;
	/** Rocket.Chat upserts by token, then phone: always keep the visitor (and token) it returns. */
	ensureVisitor(p: { token: string; name: string; phone?: string; departmentId?: string }): Promise<VisitorRef>;
	/** An open room of this visitor whose custom fields include `match`. */
	findOpenRoom(visitor: VisitorRef, match: Record<string, string>): Promise<string | undefined>;
	/**
	 * Opens a livechat room routed by Rocket.Chat (to `agentId` when given); rejects with `NoAgentOnline`
	 * when RC refuses to queue.
	 */
	openRoom(visitor: VisitorRef, meta: RoomMetadata, agentId?: string): Promise<string>;
	/** The user id of an Omnichannel agent, by username. */
	findAgent(username: string): Promise<string | undefined>;
	/**
	 * Closes a livechat room as its visitor (the customer ended the conversation): true when it was open and is
	 * closed now, false when Rocket.Chat has it closed or no longer has it. Rejects when Rocket.Chat refuses.
	 */
	closeRoom(roomId: string, comment: string): Promise<boolean>;
	postAsVisitor(roomId: string, visitor: VisitorRef, text: string): Promise<string>;
	/** A message written by a Rocket.Chat user (an agent starting a conversation); Rocket.Chat checks they may post there. */
	postAsUser(roomId: string, userId: string, text: string): Promise<string>;
	uploadAsVisitor(roomId: string, visitorToken: string, fileName: string, bytes: Buffer): Promise<string>;
	/** A note from the app user in the room (visible to agents; never sent to WhatsApp), with an optional button. */
	postNotice(roomId: string, text: string, action?: NoticeAction): Promise<string>;
	/**
	 * A template the app sends, shown in the room as `senderId`'s message (the app user's without one) and
	 * marked, so that the app's own agent-message hook never sends it to WhatsApp a second time. Rejects
	 * when Rocket.Chat does not let `senderId` write in the room.
	 */
	postSentTemplate(roomId: string, text: string, p: { senderId?: string; label: string }): Promise<string>;
	/** Replaces a message's text; false when Rocket.Chat refused. */
	updateMessageText(messageId: string, text: string): Promise<boolean>;
	/** Adds the app user's reaction where the engine offers it; false otherwise. */
	react(messageId: string, emoji: string): Promise<boolean>;
	/**
	 * A note for admins: in the alert room picked in the settings, else as a direct message from the app
	 * user to `fallbackUserIds`. False when it reached nobody.
	 */
	alertAdmins(text: string, fallbackUserIds: string[]): Promise<boolean>;
	/** A private answer only `userId` sees, in `roomId` (an image by data URL when given). */
	notifyUser(userId: string, roomId: string, text: string, image?: { url: string; title: string }): Promise<boolean>;
	/** An image file posted into a room by the app user. */
	uploadImage(roomId: string, fileName: string, bytes: Buffer): Promise<void>;
	/** The bytes of a file an agent attached; FileTooLarge (before any byte moves) when it is over `maxBytes`. */
	readUpload(fileId: string, maxBytes?: number): Promise<Buffer>;
	/** The app's own user (its notes), when Rocket.Chat has created it. */
	appUserId(): Promise<string | undefined>;
	/** The room's newest messages, newest first (cheap: no lookups per message). */
	recentMessages(roomId: string, limit: number): Promise<RoomMessageHead[]>;
	/** The message as the outbound path takes it, when it is an agent's message for WhatsApp. */
	agentMessage(messageId: string): Promise<AgentMessage | undefined>;
}

/** Rocket.Chat refused to open a room because no agent is online (and it does not queue): retry later. */
export class NoAgentOnline extends Error {}

/** The room no longer exists (a visitor's data was removed): open a new one. */
export class RoomGone extends Error {}

/** A file larger than what may be moved (its size and the limit, in bytes). */
export class FileTooLarge extends Error {
	constructor(readonly size: number, readonly max: number) {
		super(`file too large (${size} bytes, limit ${max})`);
	}
}

/** Omnichannel is switched off in the workspace: nothing can be posted until an admin switches it on. */
export class OmnichannelOff extends Error {}

/** Rocket.Chat 7+: an agent blocked this contact's channel; its messages are refused. */
export class ContactBlocked extends Error {}
