import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AgentMessage } from '../core/ports/rocketchat';
import { millisOf } from './boundary';
import { SENT_TEMPLATE_BLOCK } from './uikitIds';

/**
 * Cheap, no bridge calls: is this an agent's message in a livechat room this app opened? (Edited ones
 * too: edits arrive through IPostMessageUpdated, which sends them as edits.) `bots`: messages of bot users
 * and of other apps' users count too (the *bot messages* setting; the caller reads it only when
 * `messageAuthor` says `bot`).
 */
export function isAgentMessageForUs(message: IMessage, appId: string, bots = false): boolean {
	// A sent template: the app posted it and queued it itself.
	return isAgentMessage(message, appId, bots) && !isSentTemplate(message, appId) && isOurRoom(message.room, appId);
}

/**
 * Who wrote a message in a livechat room, as far as WhatsApp goes: a person (agent, manager), a bot (a
 * user of type `bot`, or the app user of ANOTHER app — a chatbot answering), or `none`: the visitor, a
 * system message, this app's own notes, anything that is not a livechat message.
 */
export type MessageAuthor = 'person' | 'bot' | 'none';

export function messageAuthor(message: IMessage, appId: string): MessageAuthor {
	if (!message.id || !message.room || message.room.type !== 'l') return 'none';
	if ((message as { token?: string }).token) return 'none'; // visitor messages (including ours)
	if ((message as { type?: string }).type) return 'none'; // system messages
	const sender = message.sender as { type?: unknown; appId?: unknown } | undefined;
	const type = String(sender?.type || '');
	// An app user that does not say which app it belongs to might be ours: never sent.
	if (type === 'app') return typeof sender?.appId === 'string' && sender.appId && sender.appId !== appId ? 'bot' : 'none';
	if (type === 'bot') return 'bot';
	return sender && type !== 'unknown' ? 'person' : 'none';
}

/** A message for WhatsApp in a livechat room: a person's, or (with `bots`) a bot's; never the visitor's, a system message or this app's note. */
function isAgentMessage(message: IMessage, appId: string, bots = false): boolean {
	const author = messageAuthor(message, appId);
	return author === 'person' || (bots && author === 'bot');
}

/** A new agent message to send: IPostMessageSent (an edited one would be sent twice; the update hook edits it). */
export function isNewAgentMessageForUs(message: IMessage, appId: string, bots = false): boolean {
	return isAgentMessageForUs(message, appId, bots) && !message.editedAt;
}

/** A livechat room this app opened (rooms without an app source are checked against the app's records later). */
export function isOurRoom(room: IMessage['room'] | undefined, appId: string): boolean {
	const r = room as (IMessage['room'] & { source?: { type?: string; id?: string } }) | undefined;
	if (!r || r.type !== 'l') return false;
	return !r.source || r.source.type !== 'app' || !r.source.id || r.source.id === appId;
}

/** A Rocket.Chat user (agent, manager, bot agent) — not an app user, not a visitor (`unknown`). */
export function isPerson(user: { type?: unknown } | undefined): boolean {
	if (!user) return false;
	const type = String(user.type || '');
	return type !== 'app' && type !== 'unknown';
}

/** What the core needs of an agent's message, read off the IMessage Rocket.Chat hands to IPostMessageSent. */
export function toAgentMessage(message: IMessage): AgentMessage {
	const files = (message as { files?: Array<{ _id: string; name: string; type: string; typeGroup?: string }> }).files;
	const file = files?.find((f) => f.typeGroup !== 'thumb') || message.file;
	const attachments = message.attachments || [];
	let quotedRcId: string | undefined;
	for (const a of attachments) {
		const m = /[?&]msg=([^&#\s)]+)/.exec(a.timestampLink || (a as { message_link?: string }).message_link || '');
		if (m) quotedRcId = m[1];
	}
	// RC prefixes a quoting message with `[ ](link) `: that is markup, not text for the customer.
	let text = (message.text || '').replace(/^(\[ \]\([^)]*\)\s*)+/, '').trim();
	if (file && !text) text = attachments.find((a) => a.description)?.description || '';
	return {
		id: message.id!,
		roomId: message.room.id,
		text,
		createdAt: millisOf(message.createdAt),
		file: file ? { id: file._id, name: file.name, type: file.type } : undefined,
		quotedRcId,
	};
}

/** A message the app posted to show a template it sends (marked by a block only apps can add). */
function isSentTemplate(message: IMessage, appId: string): boolean {
	const blocks = (message as { blocks?: Array<{ blockId?: string; appId?: string }> }).blocks || [];
	return blocks.some((b) => b.blockId === SENT_TEMPLATE_BLOCK && (!b.appId || b.appId === appId));
}
