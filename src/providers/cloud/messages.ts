// Cloud API message objects (`value.messages[i]`, also `message_echoes[i]` and an edit's new message)
// → provider-neutral InboundContent: one converter per `type`, quote (context) and forwarded applied once
// after it. Never throws: malformed data yields `unsupported`.

import { InboundContent, MediaKind, OrderItem, QuotedMessage } from '../../core/ports/events';
import { arr, Json, nonEmpty, num, obj, str } from '../shared/json';
import { cloudErrors } from './errors';
import { own } from '../../core/ports/lookup';

export interface ParsedMessage {
	content: InboundContent;
	quoted?: QuotedMessage;
	forwarded?: boolean;
}

type Converter = (m: Json, type: string) => InboundContent | undefined;

/** The `type`s that carry no customer content (`request_welcome`: the customer opened the chat). */
const NO_CONTENT = new Set(['request_welcome']);

const MEDIA: Record<string, MediaKind> = { image: 'image', video: 'video', audio: 'audio', document: 'document', sticker: 'sticker' };

const CONVERTERS: Record<string, Converter> = {
	text: (m) => ({ kind: 'text', text: str(obj(m.text)?.body) ?? '' }),
	image: media,
	video: media,
	audio: media,
	document: media,
	sticker: media,
	location: (m, type) => {
		const l = obj(m.location);
		const latitude = num(l?.latitude);
		const longitude = num(l?.longitude);
		if (!l || latitude === undefined || longitude === undefined) return unsupported(type);
		const c: InboundContent = { kind: 'location', latitude, longitude };
		const name = nonEmpty(l.name);
		const address = nonEmpty(l.address);
		if (name) c.name = name;
		if (address) c.address = address;
		return c;
	},
	contacts: (m, type) => {
		const contacts = arr(m.contacts).map(obj).filter((x): x is Json => !!x).map(sharedContact);
		return contacts.length ? { kind: 'contacts', contacts } : unsupported(type);
	},
	interactive: (m, type) => {
		const i = obj(m.interactive);
		const kind = nonEmpty(i?.type);
		const reply = obj(own(i, kind));
		if (kind === 'nfm_reply') {
			// A WhatsApp Flow the customer completed: its summary text (the form data stays in response_json).
			return choice(m, nonEmpty(reply?.body) ?? nonEmpty(reply?.name) ?? 'flow', undefined) ?? unsupported(type);
		}
		if (kind !== 'button_reply' && kind !== 'list_reply') return unsupported(kind ? `${type}.${kind}` : type);
		const c = choice(m, nonEmpty(reply?.title), nonEmpty(reply?.id));
		if (!c) return unsupported(`${type}.${kind}`);
		const description = nonEmpty(reply?.description);
		if (description && c.kind === 'choice') c.description = description;
		return c;
	},
	// A template's quick-reply button: the text the customer saw, the payload as its id.
	button: (m, type) => {
		const b = obj(m.button);
		return choice(m, nonEmpty(b?.text), nonEmpty(b?.payload)) ?? unsupported(type);
	},
	reaction: (m, type) => {
		const r = obj(m.reaction);
		const target = nonEmpty(r?.message_id);
		// No emoji (or an empty one) = the reaction was removed.
		return target ? { kind: 'reaction', targetMessageId: target, emoji: str(r?.emoji) ?? '' } : unsupported(type);
	},
	order: (m, type) => {
		const o = obj(m.order);
		if (!o) return unsupported(type);
		const items: OrderItem[] = arr(o.product_items)
			.map(obj)
			.filter((x): x is Json => !!x && nonEmpty(x.product_retailer_id) !== undefined)
			.map((x) => {
				const item: OrderItem = { productId: nonEmpty(x.product_retailer_id) as string, quantity: num(x.quantity) ?? 1 };
				const price = num(x.item_price);
				const currency = nonEmpty(x.currency);
				if (price !== undefined) item.price = price;
				if (currency) item.currency = currency;
				return item;
			});
		const c: InboundContent = { kind: 'order', items };
		const catalogId = nonEmpty(o.catalog_id);
		const text = nonEmpty(o.text);
		if (catalogId) c.catalogId = catalogId;
		if (text) c.text = text;
		return c;
	},
	system: (m) => {
		const s = obj(m.system) || {};
		const kind = nonEmpty(s.type);
		const text = nonEmpty(s.body) ?? kind ?? 'system';
		if (kind === 'user_changed_number') {
			const c: InboundContent = { kind: 'system', event: 'number-changed', text };
			const newId = nonEmpty(s.wa_id) ?? nonEmpty(s.new_wa_id);
			if (newId) c.newId = newId;
			return c;
		}
		if (kind === 'user_changed_user_id') {
			const c: InboundContent = { kind: 'system', event: 'user-id-changed', text };
			const newId = nonEmpty(s.user_id) ?? nonEmpty(s.new_user_id);
			if (newId) c.newId = newId;
			return c;
		}
		return { kind: 'system', event: 'other', text };
	},
	// Coexistence numbers (Business app + API) only: the customer edited (≤ 15 min) or deleted (≤ 2 days).
	edit: (m, type) => {
		const e = obj(m.edit);
		const target = nonEmpty(e?.original_message_id);
		if (!e || !target) return unsupported(type);
		const inner = obj(e.message);
		const innerType = nonEmpty(inner?.type);
		const text = str(obj(inner?.text)?.body) ?? str(obj(own(inner, innerType))?.caption) ?? '';
		return { kind: 'edit', targetMessageId: target, text };
	},
	revoke: (m, type) => {
		const target = nonEmpty(obj(m.revoke)?.original_message_id);
		return target ? { kind: 'delete', targetMessageId: target } : unsupported(type);
	},
	unsupported: (m, type) => unsupported(nonEmpty(obj(m.unsupported)?.type) ?? type, m),
};

/** `undefined`: a message type without content (ignore it). `ownNumber`: the business's digits. */
export function parseMessage(m: Json, ownNumber?: string): ParsedMessage | undefined {
	const type = nonEmpty(m.type) ?? 'unknown';
	if (NO_CONTENT.has(type)) return undefined;
	const convert = own(CONVERTERS, type);
	const content = convert ? convert(m, type) ?? unsupported(type, m) : unsupported(type, m);
	const result: ParsedMessage = { content };
	const context = obj(m.context);
	// A reaction names its target itself; an edit's context belongs to the original message.
	if (context && type !== 'reaction' && type !== 'edit' && type !== 'revoke') {
		const id = nonEmpty(context.id);
		if (id) {
			const quoted: QuotedMessage = { messageId: id };
			const from = nonEmpty(context.from);
			if (from && ownNumber) quoted.fromBusiness = digits(from) === digits(ownNumber);
			result.quoted = quoted;
		}
		if (context.forwarded === true || context.frequently_forwarded === true) result.forwarded = true;
	}
	return result;
}

/**
 * Why a message is not of its documented shape, so it is ignored rather than shown (a placeholder is
 * for types WhatsApp could not show, not for a body nobody sends): no `type`, or a text without text.
 */
export function contentProblem(m: Json): string | undefined {
	if (typeof m.type !== 'string' || !m.type.trim()) return 'message without a type';
	if (m.type === 'text') {
		const body = obj(m.text)?.body;
		if (typeof body !== 'string' || !body.trim()) return 'text message without a text body';
	}
	return undefined;
}

/** The Click-to-WhatsApp ad (or post) a message came from, when it says so. */
export function referralOf(m: Json): Extract<InboundContent, { kind: 'referral' }> | undefined {
	const r = obj(m.referral);
	if (!r) return undefined;
	const c: Extract<InboundContent, { kind: 'referral' }> = { kind: 'referral' };
	const fields: Array<[keyof typeof c, unknown]> = [
		['sourceType', r.source_type],
		['sourceUrl', r.source_url],
		['sourceId', r.source_id],
		['headline', r.headline],
		['body', r.body],
	];
	for (const [k, v] of fields) {
		const s = nonEmpty(v);
		if (s) (c as Record<string, string>)[k] = s;
	}
	return Object.keys(c).length > 1 ? c : undefined;
}

function media(m: Json, type: string): InboundContent | undefined {
	const f = obj(own(m, type));
	const id = nonEmpty(f?.id);
	if (!f || !id) return undefined;
	const mimeType = nonEmpty(f.mime_type);
	const kind: MediaKind = type === 'audio' && f.voice === true ? 'voice' : own(MEDIA, type) ?? 'document';
	const c: InboundContent = { kind: 'media', media: kind, ref: id, fileName: nonEmpty(f.filename) ?? `${kind}-${id.slice(-12)}.${extension(mimeType, kind)}` };
	if (mimeType) c.mimeType = mimeType;
	const caption = nonEmpty(f.caption);
	if (caption) c.caption = caption;
	return c;
}

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'video/mp4': 'mp4',
	'video/3gpp': '3gp',
	'audio/ogg': 'ogg',
	'audio/mpeg': 'mp3',
	'audio/mp4': 'm4a',
	'audio/aac': 'aac',
	'audio/amr': 'amr',
	'application/pdf': 'pdf',
	'text/plain': 'txt',
};

function extension(mimeType: string | undefined, kind: MediaKind): string {
	const bare = (mimeType || '').split(';')[0].trim().toLowerCase();
	return own(EXTENSIONS, bare) ?? (kind === 'voice' ? 'ogg' : 'bin');
}

function sharedContact(x: Json): { name: string; phones: string[]; emails?: string[] } {
	const n = obj(x.name);
	const name =
		nonEmpty(n?.formatted_name) ??
		([nonEmpty(n?.first_name), nonEmpty(n?.last_name)].filter(Boolean).join(' ') || undefined) ??
		nonEmpty(obj(x.org)?.company) ??
		'?';
	const phones = arr(x.phones)
		.map(obj)
		.map((p) => nonEmpty(p?.phone) ?? (nonEmpty(p?.wa_id) ? `+${nonEmpty(p?.wa_id)}` : undefined))
		.filter((p): p is string => !!p);
	const emails = arr(x.emails)
		.map((e) => nonEmpty(obj(e)?.email))
		.filter((e): e is string => !!e);
	return emails.length ? { name, phones, emails } : { name, phones };
}

function choice(m: Json, text: string | undefined, choiceId: string | undefined): InboundContent | undefined {
	if (!text && !choiceId) return undefined;
	const c: InboundContent = { kind: 'choice', text: text || choiceId || '' };
	if (choiceId) c.choiceId = choiceId;
	const inReplyTo = nonEmpty(obj(m.context)?.id);
	if (inReplyTo) c.inReplyTo = inReplyTo;
	return c;
}

/** `errors[]` say what WhatsApp could not show (e.g. 131051 "Message type is currently not supported"). */
function unsupported(type: string, m?: Json): InboundContent {
	const c: InboundContent = { kind: 'unsupported', type };
	const e = m ? cloudErrors(m.errors)[0] : undefined;
	const detail = e ? [e.details ?? e.title, e.code !== undefined ? `#${e.code}` : undefined].filter(Boolean).join(' ') : undefined;
	if (detail) c.detail = detail;
	return c;
}

function digits(s: string): string {
	return s.replace(/\D/g, '');
}
