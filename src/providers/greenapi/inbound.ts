// Envelope of an inbound message (who, where, when), shared by webhook and journal parsing.

import { InboundMessage } from '../../core/events';
import { nonEmpty, toMillis } from '../shared/json';
import { parseMessageData } from './messages';
import { isGroupChatId, phoneFromChatId } from './phone';

export interface RawInbound {
	instanceId: string;
	/** Business number (`…@c.us`), to tell whether a quoted message was ours. */
	ownWid?: string;
	chatId: string;
	messageId: string;
	timestamp: unknown;
	/** Author id; differs from chatId in groups. */
	sender?: unknown;
	senderName?: unknown;
	senderContactName?: unknown;
	chatName?: unknown;
	messageData: unknown;
}

export function buildInboundMessage(raw: RawInbound): InboundMessage {
	const isGroup = isGroupChatId(raw.chatId);
	const author = nonEmpty(raw.sender);
	const chatName = nonEmpty(raw.chatName);
	// The address-book name is what the business chose; the push-name is what the customer chose.
	const personName = nonEmpty(raw.senderContactName) ?? nonEmpty(raw.senderName);

	let sender: InboundMessage['sender'];
	if (isGroup) {
		const id = author ?? raw.chatId;
		const phone = phoneFromChatId(id);
		// chatName is the group's name here, never the member's.
		sender = { id, name: personName ?? phone ?? id };
		if (phone) sender.phone = phone;
	} else {
		// An `@lid` chat may still name a `@c.us` author; that is the only phone we can trust.
		const phone = phoneFromChatId(raw.chatId) ?? phoneFromChatId(author);
		sender = { id: raw.chatId, name: personName ?? chatName ?? phone ?? raw.chatId };
		if (phone) sender.phone = phone;
	}

	const parsed = parseMessageData(raw.messageData, raw.ownWid);
	const msg: InboundMessage = {
		type: 'message',
		instanceId: raw.instanceId,
		chatId: raw.chatId,
		messageId: raw.messageId,
		timestamp: toMillis(raw.timestamp),
		sender,
		isGroup,
		content: parsed.content,
	};
	if (isGroup && chatName) msg.groupName = chatName;
	if (parsed.quoted) msg.quoted = parsed.quoted;
	if (parsed.forwarded) msg.forwarded = true;
	return msg;
}
