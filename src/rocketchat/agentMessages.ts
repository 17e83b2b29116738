import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { AgentMessage } from '../core/OutboundService';
import { SENT_TEMPLATE_BLOCK } from './uikitIds';

/** Cheap, no bridge calls: is this an agent's message in a livechat room this app opened? */
export function isAgentMessageForUs(message: IMessage, appId: string): boolean {
	const room = message.room as IMessage['room'] & { source?: { type?: string; id?: string } };
	if (!room || room.type !== 'l' || !message.id) return false;
	if ((message as { token?: string }).token) return false; // visitor messages (including ours)
	if ((message as { type?: string }).type) return false; // system messages
	if (message.editedAt) return false;
	if (isSentTemplate(message, appId)) return false; // the app posted it and queued it itself
	const senderType = String(message.sender?.type || '');
	if (senderType === 'app' || senderType === 'unknown') return false;
	return !room.source || room.source.type !== 'app' || !room.source.id || room.source.id === appId;
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
		file: file ? { id: file._id, name: file.name, type: file.type } : undefined,
		quotedRcId,
	};
}

/** A message the app posted to show a template it sends (marked by a block only apps can add). */
export function isSentTemplate(message: IMessage, appId: string): boolean {
	const blocks = (message as { blocks?: Array<{ blockId?: string; appId?: string }> }).blocks || [];
	return blocks.some((b) => b.blockId === SENT_TEMPLATE_BLOCK && (!b.appId || b.appId === appId));
}
