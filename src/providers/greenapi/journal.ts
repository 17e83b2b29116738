// `lastIncomingMessages` journal → InboundMessage[], through the same conversion as webhooks.
// The journal is flat ({typeMessage, textMessage, downloadUrl, location, contact, …}) and less documented,
// so every entry is read defensively and one bad entry never loses the others.

import { DeliveryState, DeliveryStatusEvent, InboundMessage } from '../../core/events';
import { arr, nonEmpty, obj } from './fields';
import { buildInboundMessage } from './inbound';
import { flatToMessageData } from './messages';

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

const JOURNAL_STATES: ReadonlyArray<DeliveryState> = ['sent', 'delivered', 'read', 'failed', 'noAccount', 'notInGroup', 'yellowCard'];

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
		const status = nonEmpty(e?.statusMessage) as DeliveryState | undefined;
		if (!e || !chatId || !messageId || !status || !JOURNAL_STATES.includes(status)) continue;
		const ts = Number(e.timestamp);
		out.push({ type: 'status', instanceId: ctx.instanceId, chatId, messageId, status, timestamp: Number.isFinite(ts) ? ts * 1000 : 0 });
	}
	return out;
}
