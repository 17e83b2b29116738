// `lastIncomingMessages` journal → InboundMessage[], through the same conversion as webhooks.
// The journal is flat ({typeMessage, textMessage, downloadUrl, location, contact, …}) and less documented,
// so every entry is read defensively and one bad entry never loses the others.

import { InboundMessage } from '../../core/events';
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
			out.push(
				buildInboundMessage({
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
				}),
			);
		} catch {
			// Defensive only: the conversion is written not to throw.
		}
	}
	return out;
}
