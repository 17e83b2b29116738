// What an agent sends → Cloud API message bodies, and the per-kind file limits checked before any upload.

import { MediaKind } from '../../core/ports/events';
import { MediaLimit } from '../../core/ports/provider';
import { Json } from '../shared/json';
import { permanent, SendFailure } from '../shared/results';
import { isBsuid } from './webhook';

const MB = 1024 * 1024;

/** Outbound media limits (reference §6 / §13). Stickers: 100 KB static, 500 KB animated. */
export const CLOUD_MEDIA: Readonly<Partial<Record<MediaKind, MediaLimit>>> = {
	image: { maxBytes: 5 * MB, mimeTypes: ['image/jpeg', 'image/png'] },
	video: { maxBytes: 16 * MB, mimeTypes: ['video/mp4', 'video/3gpp'] },
	audio: { maxBytes: 16 * MB, mimeTypes: ['audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg'] },
	voice: { maxBytes: 16 * MB, mimeTypes: ['audio/ogg'] },
	document: {
		maxBytes: 100 * MB,
		mimeTypes: [
			'text/plain',
			'application/pdf',
			'application/msword',
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			'application/vnd.ms-excel',
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'application/vnd.ms-powerpoint',
			'application/vnd.openxmlformats-officedocument.presentationml.presentation',
		],
	},
	sticker: { maxBytes: 500 * 1024, mimeTypes: ['image/webp'] },
};

const STATIC_STICKER_BYTES = 100 * 1024;

/** Longest text body. */
export const MAX_TEXT_LENGTH = 4096;
/** Longest media caption. */
export const MAX_CAPTION_LENGTH = 1024;

/** The kinds an agent's file may go as, in the order tried. (`voice` is audio on the wire.) */
const SEND_ORDER: Array<'image' | 'sticker' | 'video' | 'audio' | 'document'> = ['image', 'sticker', 'video', 'audio', 'document'];

export type WireKind = (typeof SEND_ORDER)[number];

function bareMime(mimeType: string | undefined): string {
	return (mimeType || '').split(';')[0].trim().toLowerCase();
}

/** Which kind a file is sent as, or why it cannot be sent (permanent: the agent must send another file). */
export function fileKind(mimeType: string, bytes: Buffer): { ok: true; kind: WireKind } | SendFailure {
	const mime = bareMime(mimeType);
	const kind = SEND_ORDER.find((k) => CLOUD_MEDIA[k]?.mimeTypes?.includes(mime));
	if (!kind) return permanent('cloud_file_type', `WhatsApp does not accept files of type ${mime || 'unknown'}`, { type: mime || '?' });
	const max = kind === 'sticker' && !isAnimatedWebp(bytes) ? STATIC_STICKER_BYTES : (CLOUD_MEDIA[kind] as MediaLimit).maxBytes;
	if (bytes.length > max) return permanent('cloud_file_too_large', `the ${kind} is too large for WhatsApp (${bytes.length} bytes, at most ${max})`, { kind, size: bytes.length, max });
	if (bytes.length === 0) return permanent('media_empty', 'the file is empty');
	return { ok: true, kind };
}

/** An animated WebP has the VP8X "animation" flag and an ANIM chunk near the start. */
function isAnimatedWebp(bytes: Buffer): boolean {
	return bytes.length > 30 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 12, 16) === 'VP8X' && (bytes[20] & 0x02) !== 0;
}

/**
 * The recipient fields of every send, in one place: a phone number (wa_id) goes in `to`; a
 * business-scoped user id (a customer known only by username) in `recipient`.
 */
export function recipient(chatId: string): Json {
	return isBsuid(chatId) ? { recipient: chatId } : { to: chatId.replace(/^\+/, '') };
}

/** The envelope every message body starts with, with the quote when there is one. */
export function envelope(chatId: string, quotedMessageId?: string): Json {
	const body: Json = { messaging_product: 'whatsapp', recipient_type: 'individual', ...recipient(chatId) };
	if (quotedMessageId) body.context = { message_id: quotedMessageId };
	return body;
}

const LINK = /\bhttps?:\/\/[^\s]+/i;

export function textBody(chatId: string, text: string, quotedMessageId?: string): Json {
	// Link previews only where there is a link (WhatsApp shows the first one).
	return { ...envelope(chatId, quotedMessageId), type: 'text', text: { preview_url: LINK.test(text), body: text } };
}

export function mediaBody(chatId: string, kind: WireKind, mediaId: string, o: { caption?: string; fileName?: string; quotedMessageId?: string }): Json {
	const media: Json = { id: mediaId };
	if (o.caption && kind !== 'audio' && kind !== 'sticker') media.caption = o.caption;
	if (kind === 'document' && o.fileName) media.filename = o.fileName;
	return { ...envelope(chatId, o.quotedMessageId), type: kind, [kind]: media };
}

/** Audio and stickers carry no caption, and captions are capped: the text then follows as a message. */
export function captionFits(kind: WireKind, caption: string | undefined): boolean {
	return !caption || (kind !== 'audio' && kind !== 'sticker' && caption.length <= MAX_CAPTION_LENGTH);
}

export function reactionBody(chatId: string, messageId: string, emoji: string): Json {
	return { ...envelope(chatId), type: 'reaction', reaction: { message_id: messageId, emoji } };
}

/**
 * Asks the customer to share their phone number: WhatsApp shows the text with its own "Share contact info"
 * button (the label is WhatsApp's), and the answer comes back as a `contacts` message with
 * `origin: contact_request`. Only inside the customer-service window (a template button does it outside).
 */
export function contactRequestBody(chatId: string, text: string): Json {
	return { ...envelope(chatId), type: 'interactive', interactive: { type: 'request_contact_info', body: { text }, action: { name: 'request_contact_info' } } };
}
