import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AgentMessage } from '../core/ports/rocketchat';

/**
 * Cheap, no bridge calls: is this an agent's message in a livechat room this app opened? (Edited ones
 * too: edits arrive through IPostMessageUpdated, which sends them as edits.)
 */
export function isAgentMessageForUs(message: IMessage, appId: string): boolean {
	return isAgentMessage(message) && isOurRoom(message.room, appId);
}

/** A person's own message in a livechat room: not the visitor's, not a system message, not an app's note. */
export function isAgentMessage(message: IMessage): boolean {
	if (!message.id || !message.room || message.room.type !== 'l') return false;
	if ((message as { token?: string }).token) return false; // visitor messages (including ours)
	if ((message as { type?: string }).type) return false; // system messages
	return isPerson(message.sender);
}

/** A new agent message to send: IPostMessageSent (an edited one would be sent twice; the update hook edits it). */
export function isNewAgentMessageForUs(message: IMessage, appId: string): boolean {
	return isAgentMessageForUs(message, appId) && !message.editedAt;
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
		createdAt: message.createdAt ? new Date(message.createdAt).getTime() : undefined,
		file: file ? { id: file._id, name: file.name, type: file.type } : undefined,
		quotedRcId,
	};
}
