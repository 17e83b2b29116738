// Envelope of an inbound message (who, where, when), shared by webhook and journal parsing.

import { IgnoredEvent, InboundMessage, PersonId } from '../../core/ports/events';
import { displayName, nonEmpty, printable, toMillis } from '../shared/json';
import { parseMessageData } from './messages';
import { chatIdFromPhone, chatKind, phoneFromChatId } from './phone';

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
	/** `senderData.senderPhoneNumber` where GREEN-API gives it (digits, a number or a string). */
	senderPhoneNumber?: unknown;
	messageData: unknown;
}

/**
 * The ids a private chat's envelope names the customer by. GREEN-API may name one person by a phone-based
 * `…@c.us` id or a hidden-number `…@lid` alias, and different methods (and the chat and the author fields
 * of one webhook) may use either: both are the same customer. The chat id itself is left out.
 */
function peopleOf(raw: RawInbound, author: string | undefined): PersonId[] {
	const people: PersonId[] = [];
	const add = (id: string | undefined) => {
		const kind = chatKind(id);
		// The business's own number (an echo's author) is never the customer's.
		if (!id || id === raw.ownWid || (kind !== 'private' && kind !== 'hidden')) return;
		if (id !== raw.chatId) people.push({ kind: 'chat', value: id });
		if (kind === 'hidden') people.push({ kind: 'lid', value: id });
		const phone = phoneFromChatId(id);
		if (phone) people.push({ kind: 'phone', value: phone });
	};
	add(raw.chatId);
	add(author);
	const shared = typeof raw.senderPhoneNumber === 'number' && Number.isSafeInteger(raw.senderPhoneNumber) ? String(raw.senderPhoneNumber) : typeof raw.senderPhoneNumber === 'string' && /^\d{7,15}$/.test(raw.senderPhoneNumber) ? raw.senderPhoneNumber : undefined;
	add(shared ? chatIdFromPhone(shared) : undefined);
	const seen = new Set<string>();
	return people.filter((p) => !seen.has(`${p.kind}:${p.value}`) && !!seen.add(`${p.kind}:${p.value}`));
}

/**
 * The message, or `ignored` (with the reason, the id quoted safely) when the chat is not a customer's
 * conversation: an id of a form GREEN-API does not document, the business number itself, or a group
 * message whose author id is not a person's.
 */
export function buildInboundMessage(raw: RawInbound): InboundMessage | IgnoredEvent {
	const ignored = (reason: string): IgnoredEvent => ({ type: 'ignored', instanceId: raw.instanceId, reason });
	const kind = chatKind(raw.chatId);
	if (!kind) return ignored(`not a customer chat id: ${printable(raw.chatId)}`);
	if (raw.ownWid && raw.chatId === raw.ownWid) return ignored('chat with the business number itself');
	const isGroup = kind === 'group';
	const author = nonEmpty(raw.sender);
	if (isGroup && author !== undefined && chatKind(author) !== 'private' && chatKind(author) !== 'hidden') {
		return ignored(`group message from an invalid author id: ${printable(author)}`);
	}
	const chatName = displayName(raw.chatName);
	// The address-book name is what the business chose; the push-name is what the customer chose.
	const personName = displayName(raw.senderContactName) ?? displayName(raw.senderName);

	let sender: InboundMessage['sender'];
	let people: PersonId[] = [];
	if (isGroup) {
		const id = author ?? raw.chatId;
		const phone = phoneFromChatId(id);
		// chatName is the group's name here, never the member's.
		sender = { id, name: personName ?? phone ?? id };
		if (phone) sender.phone = phone;
	} else {
		// An `@lid` chat may still name a `@c.us` author (or the sender's number): the only phones we can trust.
		people = peopleOf(raw, author);
		const phone = phoneFromChatId(raw.chatId) ?? people.find((p) => p.kind === 'phone')?.value;
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
	// The sender's phone is the event's own field.
	const others = people.filter((p) => !(p.kind === 'phone' && p.value === sender.phone));
	if (others.length) msg.people = others;
	if (parsed.quoted) msg.quoted = parsed.quoted;
	if (parsed.forwarded) msg.forwarded = true;
	return msg;
}
