// `lastIncomingMessages` journal → InboundMessage[], through the same conversion as webhooks.
// The journal is flat ({typeMessage, textMessage, downloadUrl, location, contact, …}) and less documented,
// so every entry is read defensively and one bad entry never loses the others.

import { DeliveryStatusEvent, InboundMessage } from '../../core/ports/events';
import { arr, nonEmpty, obj } from '../shared/json';
import { buildInboundMessage } from './inbound';
import { flatToMessageData } from './messages';
import { deliveryStatus } from './statuses';

export interface JournalContext {
	instanceId: string;
	/** Business number (`…@c.us`), when known, to mark quotes of our own messages. */
	wid?: string;
}

export function parseJournal(entries: unknown, ctx: JournalContext): InboundMessage[] {
	const out: InboundMessage[] = [];
	for (const item of arr(entries)) {
		const e = obj(item);
		if (!e) continue;
		// Older doc revisions omit `type`; this journal only lists incoming messages, so absent = incoming.
		const kind = nonEmpty(e.type);
		if (kind !== undefined && kind !== 'incoming') continue;
		const chatId = nonEmpty(e.chatId);
		const messageId = nonEmpty(e.idMessage);
		if (!chatId || !messageId) continue;
		try {
			const msg = buildInboundMessage({
				instanceId: ctx.instanceId,
				ownWid: ctx.wid,
				chatId,
				messageId,
				timestamp: e.timestamp,
				sender: e.senderId ?? e.sender,
				senderName: e.senderName,
				senderContactName: e.senderContactName,
				chatName: e.chatName,
				messageData: flatToMessageData(e),
			});
			// Entries of chats that are not a customer's are skipped, as their webhooks are.
			if (msg.type === 'message') out.push(msg);
		} catch {
			// Defensive only: the conversion is written not to throw.
		}
	}
	return out;
}

/**
 * `lastOutgoingMessages` → the delivery state of each message the API sent, to reconcile statuses
 * whose webhook was missed. Entries without a known `statusMessage` (pending) are skipped.
 */
export function parseOutgoingJournal(entries: unknown, ctx: JournalContext): DeliveryStatusEvent[] {
	const out: DeliveryStatusEvent[] = [];
	for (const item of arr(entries)) {
		const e = obj(item);
		const chatId = nonEmpty(e?.chatId);
		const messageId = nonEmpty(e?.idMessage);
		const neutral = deliveryStatus(nonEmpty(e?.statusMessage));
		if (!e || !chatId || !messageId || !neutral || neutral.status === 'pending') continue;
		const ts = Number(e.timestamp);
		const event: DeliveryStatusEvent = { type: 'status', instanceId: ctx.instanceId, chatId, messageId, status: neutral.status, timestamp: Number.isFinite(ts) ? ts * 1000 : 0 };
		if (neutral.failure) event.failure = neutral.failure;
		out.push(event);
	}
	return out;
}
