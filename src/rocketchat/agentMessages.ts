import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AgentMessage } from '../core/ports/rocketchat';

/** Cheap, no bridge calls: is this an agent's message in a livechat room this app opened? */
export function isAgentMessageForUs(message: IMessage, appId: string): boolean {
	const room = message.room as IMessage['room'] & { source?: { type?: string; id?: string } };
	if (!isAgentMessage(message)) return false;
	return !room.source || room.source.type !== 'app' || !room.source.id || room.source.id === appId;
}

/** An agent's own message in a livechat room: not the visitor's, not a system message, not an app's note. */
export function isAgentMessage(message: IMessage): boolean {
	if (!message.room || message.room.type !== 'l' || !message.id) return false;
	if ((message as { token?: string }).token) return false; // visitor messages (including ours)
	if ((message as { type?: string }).type) return false; // system messages
	if (message.editedAt) return false;
	const senderType = String(message.sender?.type || '');
	return senderType !== 'app' && senderType !== 'unknown';
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
