// GREEN-API `messageData` (one per typeMessage) → provider-neutral InboundContent.
// Shared by webhooks, journal entries and quoted messages: the journal and `quotedMessage` use a flat
// shape, which flatToMessageData() lifts into the webhook shape so there is one conversion only.

import { InboundContent, MediaKind, MessageButton, ProviderMarker, QuotedMessage } from '../../core/ports/events';
import { arr, displayName, Json, nonEmpty, num, obj, str } from '../shared/json';
import { parseVCard } from './vcard';

export interface ParsedMessageData {
	content: InboundContent;
	quoted?: QuotedMessage;
	forwarded?: boolean;
}

// A Map, not an object literal: `typeMessage` is untrusted, and `constructor` or `toString` must not
// find Object.prototype's members.
const MEDIA_TYPES = new Map<string, MediaKind>([
	['imageMessage', 'image'],
	['videoMessage', 'video'],
	['documentMessage', 'document'],
	['audioMessage', 'audio'],
	['stickerMessage', 'sticker'],
]);

/** A type name we may show in a room: a plain identifier (a payload's type can be any string). */
const TYPE_NAME = /^[A-Za-z][A-Za-z0-9]{0,63}$/;

const MARKERS: Array<[string, ProviderMarker]> = [
	['{{SWE001}}', 'empty-first-message'],
	['{{SWE002}}', 'file-too-large'],
	['{{SWE003}}', 'decryption-failed'],
	['{{SWE004}}', 'group-too-large'],
];

/**
 * `ownWid` is the business number (instanceData.wid); it tells whether a quoted message was ours.
 * Never throws: malformed data yields `unsupported`.
 */
export function parseMessageData(messageData: unknown, ownWid?: string): ParsedMessageData {
	const md = obj(messageData);
	if (!md) return { content: unreadable('messageData') };
	const type = str(md.typeMessage) ?? '';
	const content = TYPE_NAME.test(type) ? contentOf(md, type) : unreadable('typeMessage');
	const result: ParsedMessageData = { content };
	// A reaction's quotedMessage is its target, not a reply; everything else may quote.
	if (type !== 'reactionMessage') {
		const quoted = quotedOf(md, type, ownWid);
		if (quoted) result.quoted = quoted;
	}
	if (isForwarded(md)) result.forwarded = true;
	return result;
}

export function contentOf(md: Json, type: string): InboundContent {
	const marker = findMarker(md);
	if (marker) return markerContent(md, type, marker);

	const media = MEDIA_TYPES.get(type);
	if (media) return mediaContent(md, type, media);

	const convert = CONVERTERS.get(type);
	return convert ? convert(md, type) : unsupported(type);
}

/** One message family's data → neutral content (`type` as GREEN-API named it, for "unsupported"). */
type Converter = (md: Json, type: string) => InboundContent;

function textContent(md: Json, type: string): InboundContent {
	const text = readable(obj(md.textMessageData)?.textMessage);
	return text === undefined ? unreadable(type) : { kind: 'text', text };
}

function extendedTextContent(md: Json, type: string): InboundContent {
	const ext = obj(md.extendedTextMessageData);
	const text = readable(ext?.text);
	if (!ext || text === undefined) return unreadable(type);
	const c: InboundContent = { kind: 'text', text };
	const title = nonEmpty(ext.title);
	const description = nonEmpty(ext.description);
	if (title) c.linkTitle = title;
	if (description) c.linkDescription = description;
	return c;
}

function quotedTextContent(md: Json, type: string): InboundContent {
	// Deprecated reply form: the reply text sits in extendedTextMessageData, the quote beside it.
	const text = readable(obj(md.extendedTextMessageData)?.text) ?? readable(obj(md.textMessageData)?.textMessage);
	return text === undefined ? unreadable(type) : { kind: 'text', text };
}

function contactContent(md: Json, type: string): InboundContent {
	const c = obj(md.contactMessageData);
	if (!c) return unsupported(type);
	return { kind: 'contacts', contacts: [parseVCard(str(c.vcard), str(c.displayName))] };
}

function contactsArrayContent(md: Json, type: string): InboundContent {
	// The nested key is literally `messageData`; accept a few plausible alternatives too.
	const holder = obj(md.messageData) || obj(md.contactsArrayMessageData) || md;
	const contacts = arr(holder.contacts)
		.map((x) => obj(x))
		.filter((x): x is Json => !!x)
		.map((x) => parseVCard(str(x.vcard), str(x.displayName)));
	return contacts.length ? { kind: 'contacts', contacts } : unsupported(type);
}

function pollContent(md: Json, type: string): InboundContent {
	const p = obj(md.pollMessageData);
	if (!p) return unreadable(type);
	const options = arr(p.options)
		.map((o) => readable(obj(o)?.optionName))
		.filter((o): o is string => o !== undefined);
	const question = readable(p.name);
	if (question === undefined && options.length === 0) return unreadable(type);
	return { kind: 'poll', question: question ?? '', options, multipleAnswers: p.multipleAnswers === true };
}

function pollUpdateContent(md: Json, type: string): InboundContent {
	const p = obj(md.pollMessageData);
	const pollMessageId = nonEmpty(p?.stanzaId);
	if (!p || !pollMessageId) return unsupported(type);
	return {
		kind: 'poll-update',
		pollMessageId,
		question: str(p.name) ?? '',
		votes: arr(p.votes)
			.map((v) => obj(v))
			.filter((v): v is Json => !!v && str(v.optionName) !== undefined)
			.map((v) => ({
				option: str(v.optionName) as string,
				voters: arr(v.optionVoters).filter((x): x is string => typeof x === 'string'),
			})),
	};
}

function editContent(md: Json, type: string): InboundContent {
	const e = obj(md.editedMessageData);
	const target = nonEmpty(e?.stanzaId);
	if (!e || !target) return unsupported(type);
	return { kind: 'edit', targetMessageId: target, text: str(e.textMessage) ?? str(e.caption) ?? str(e.text) ?? '' };
}

function deleteContent(md: Json, type: string): InboundContent {
	const target = nonEmpty(obj(md.deletedMessageData)?.stanzaId);
	return target ? { kind: 'delete', targetMessageId: target } : unsupported(type);
}

function reactionContent(md: Json, type: string): InboundContent {
	const ext = obj(md.extendedTextMessageData);
	const target = nonEmpty(obj(md.quotedMessage)?.stanzaId) ?? nonEmpty(ext?.stanzaId);
	if (!target) return unsupported(type);
	return { kind: 'reaction', targetMessageId: target, emoji: str(ext?.text) ?? '' };
}

function buttonsResponseContent(md: Json, type: string): InboundContent {
	const b = obj(md.buttonsResponseMessage);
	return choice(md, type, b, str(b?.selectedButtonText), nonEmpty(b?.selectedButtonId));
}

function listResponseContent(md: Json, type: string): InboundContent {
	const l = obj(md.listResponseMessage);
	// singleSelectReply is a row id string in the docs; older payloads nest {selectedRowId}.
	const rowId = nonEmpty(l?.singleSelectReply) ?? nonEmpty(obj(l?.singleSelectReply)?.selectedRowId) ?? nonEmpty(l?.selectedRowId);
	return choice(md, type, l, nonEmpty(l?.title) ?? nonEmpty(l?.description), rowId);
}

function templateButtonReplyContent(md: Json, type: string): InboundContent {
	const t = obj(md.templateButtonReplyMessage) || obj(md.templateButtonsReplyMessage);
	const id = nonEmpty(t?.selectedId) ?? (num(t?.selectedIndex) !== undefined ? String(num(t?.selectedIndex)) : undefined);
	return choice(md, type, t, str(t?.selectedDisplayText), id);
}

/**
 * Beta interactive buttons. A message with buttons (a business or a bot sent it) is
 * `interactiveButtons`; one with reply buttons is documented as `interactiveButtonsReply`, with the
 * type also spelt `interactiveButtonReply`. A tap carries a selection instead of buttons (documented
 * as `interactiveButtonsResponse`). Every spelling is read either way, by what the data holds.
 */
function interactiveButtonsContent(md: Json, type: string): InboundContent {
	const i = obj(md.interactiveButtons) || obj(md.interactiveButtonsReply) || obj(md.interactiveButtonReply) || obj(md.interactiveButtonsResponse);
	if (!i) return unreadable(type);
	if (isButtonsMessage(i)) return buttonsContent(i, type);
	return choice(md, type, i, str(i?.selectedDisplayText) ?? str(i?.buttonText), nonEmpty(i?.selectedId) ?? nonEmpty(i?.buttonId));
}

/** typeMessage → its family's converter (a Map: a type name from the payload never reaches a prototype). */
const CONVERTERS = new Map<string, Converter>([
	['textMessage', textContent],
	['extendedTextMessage', extendedTextContent],
	['quotedMessage', quotedTextContent],
	['locationMessage', (md, type) => locationContent(obj(md.locationMessageData), type)],
	['contactMessage', contactContent],
	['contactsArrayMessage', contactsArrayContent],
	['pollMessage', pollContent],
	['pollUpdateMessage', pollUpdateContent],
	['editedMessage', editContent],
	['deletedMessage', deleteContent],
	['reactionMessage', reactionContent],
	['buttonsResponseMessage', buttonsResponseContent],
	['listResponseMessage', listResponseContent],
	// Both spellings occur in GREEN-API's own docs (type name and data key disagree).
	['templateButtonsReplyMessage', templateButtonReplyContent],
	['templateButtonReplyMessage', templateButtonReplyContent],
	['interactiveButtons', interactiveButtonsContent],
	['interactiveButtonsReply', interactiveButtonsContent],
	['interactiveButtonReply', interactiveButtonsContent],
	['interactiveButtonsResponse', interactiveButtonsContent],
]);

function unsupported(type: string): InboundContent {
	return { kind: 'unsupported', type };
}

/** A message of a known type whose fields are missing or of the wrong type: never an empty message. */
function unreadable(type: string): InboundContent {
	return { kind: 'unsupported', type, reason: 'unreadable' };
}

// Controls, zero-width, bidi and other format characters, spaces: a text of only these says nothing.
const BLANK = /^[\s\u0000-\u001f\u007f-\u009f\u00ad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]*$/;

/** A text field that says something, or undefined (absent, not a string, or only blanks). */
function readable(v: unknown): string | undefined {
	return typeof v === 'string' && !BLANK.test(v) ? v : undefined;
}

function choice(md: Json, type: string, data: Json | undefined, text: string | undefined, choiceId: string | undefined): InboundContent {
	if (!data || (!text && !choiceId)) return unsupported(type);
	const c: InboundContent = { kind: 'choice', text: text || choiceId || '' };
	if (choiceId) c.choiceId = choiceId;
	const inReplyTo = nonEmpty(data.stanzaId) ?? nonEmpty(obj(md.quotedMessage)?.stanzaId);
	if (inReplyTo) c.inReplyTo = inReplyTo;
	return c;
}

/** Buttons, or a body / header of its own: a message with buttons, not a tap on one. */
function isButtonsMessage(i: Json): boolean {
	return Array.isArray(i.buttons) || [i.contentText, i.body, i.titleText, i.header].some((v) => readable(v) !== undefined);
}

/** Incoming webhooks name the parts titleText / contentText / footerText; the send method (and outgoing echoes) header / body / footer. */
function buttonsContent(i: Json, type: string): InboundContent {
	const header = readable(i.titleText) ?? readable(i.header) ?? readable(i.title);
	const body = readable(i.contentText) ?? readable(i.body) ?? readable(i.text);
	const footer = readable(i.footerText) ?? readable(i.footer);
	const buttons = arr(i.buttons)
		.map((b) => messageButton(obj(b)))
		.filter((b): b is MessageButton => !!b)
		.slice(0, MAX_BUTTONS);
	if (body === undefined && header === undefined && buttons.length === 0) return unreadable(type);
	const c: InboundContent = { kind: 'buttons', body: body ?? '', buttons };
	if (header !== undefined) c.header = header;
	if (footer !== undefined) c.footer = footer;
	return c;
}

/** WhatsApp shows at most 3 buttons (10 in some list forms); more in a payload is noise. */
const MAX_BUTTONS = 10;

const BUTTON_ACTIONS = new Map<string, MessageButton['action']>([
	['reply', 'reply'], ['quick_reply', 'reply'],
	['copy', 'copy'], ['cta_copy', 'copy'],
	['call', 'call'], ['cta_call', 'call'],
	['url', 'url'], ['cta_url', 'url'],
]);

function messageButton(b: Json | undefined): MessageButton | undefined {
	if (!b) return undefined;
	const value = { copy: nonEmpty(b.copyCode), call: nonEmpty(b.phoneNumber), url: nonEmpty(b.url) };
	// The type is required by the docs; without one, the field that is present says what it does.
	const action = BUTTON_ACTIONS.get(str(b.type)?.toLowerCase() ?? '') ?? (value.url ? 'url' : value.call ? 'call' : value.copy ? 'copy' : 'reply');
	const text = readable(b.buttonText) ?? readable(b.displayText) ?? readable(b.text);
	const v = action === 'reply' ? undefined : value[action];
	if (text === undefined && v === undefined) return undefined;
	const button: MessageButton = { action, text: text ?? v ?? '' };
	const id = nonEmpty(b.buttonId) ?? nonEmpty(b.id);
	if (id) button.id = id;
	if (v) button.value = v;
	return button;
}

/** A marker in a file message (SWE002: over 100 MB, not fetched) keeps what is known of the file: its name and caption. */
function markerContent(md: Json, type: string, marker: ProviderMarker): InboundContent {
	const c: InboundContent = { kind: 'marker', marker, originalType: type };
	const f = MEDIA_TYPES.has(type) ? obj(md.fileMessageData) : undefined;
	if (!f) return c;
	const fileName = safeFileName(withoutMarkers(f.fileName));
	const caption = readable(withoutMarkers(f.caption));
	if (fileName) c.fileName = fileName;
	if (caption) c.caption = caption.trim();
	return c;
}

/** A field with the marker in it says nothing of the file. */
function withoutMarkers(v: unknown): unknown {
	return typeof v === 'string' && MARKERS.some(([code]) => v.includes(code)) ? undefined : v;
}

function mediaContent(md: Json, type: string, kind: MediaKind): InboundContent {
	const f = obj(md.fileMessageData);
	const url = nonEmpty(f?.downloadUrl);
	if (!f || !url) return unreadable(type);
	const mimeType = nonEmpty(f.mimeType);
	let media = kind;
	// Voice notes are opus-in-ogg push-to-talk; the webhook has no explicit flag, so infer it.
	if (kind === 'audio' && (f.ptt === true || f.isPtt === true || (mimeType && /codecs\s*=\s*"?opus/i.test(mimeType)))) media = 'voice';
	const c: InboundContent = { kind: 'media', media, ref: url, fileName: safeFileName(f.fileName) ?? safeFileName(fileNameFromUrl(url)) ?? kind };
	if (mimeType) c.mimeType = mimeType;
	const caption = readable(f.caption);
	if (caption) c.caption = caption.trim();
	return c;
}

/** A file name fit for an upload: a display name without path separators, at most 120 characters (the extension kept). */
function safeFileName(v: unknown): string | undefined {
	const name = displayName(typeof v === 'string' ? v.replace(/[\\/]/g, '_') : v, Infinity);
	if (!name) return undefined;
	const chars = Array.from(name);
	if (chars.length <= 120) return name;
	const dot = name.lastIndexOf('.');
	const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
	return chars.slice(0, 120 - ext.length).join('') + ext;
}

function fileNameFromUrl(url: string): string | undefined {
	const path = url.split(/[?#]/)[0];
	const last = path.slice(path.lastIndexOf('/') + 1);
	try {
		return nonEmpty(decodeURIComponent(last));
	} catch {
		return nonEmpty(last);
	}
}

function locationContent(l: Json | undefined, type: string): InboundContent {
	const latitude = num(l?.latitude);
	const longitude = num(l?.longitude);
	if (!l || latitude === undefined || longitude === undefined) return unsupported(type);
	const c: InboundContent = { kind: 'location', latitude, longitude };
	const name = nonEmpty(l.nameLocation) ?? nonEmpty(l.name);
	const address = nonEmpty(l.address);
	if (name) c.name = name;
	if (address) c.address = address;
	return c;
}

/** Markers replace content in text or URL fields of the type's data object (one level deep). */
function findMarker(md: Json): ProviderMarker | undefined {
	const texts: string[] = [];
	for (const [k, v] of Object.entries(md)) {
		if (k === 'quotedMessage') continue;
		if (typeof v === 'string') texts.push(v);
		const o = obj(v);
		if (o) for (const inner of Object.values(o)) if (typeof inner === 'string') texts.push(inner);
	}
	for (const [code, marker] of MARKERS) if (texts.some((t) => t.includes(code))) return marker;
	return undefined;
}

function isForwarded(md: Json): boolean {
	const flagged = (o: Json) => o.isForwarded === true || (num(o.forwardingScore) ?? 0) > 0;
	if (flagged(md)) return true;
	for (const [k, v] of Object.entries(md)) {
		const o = obj(v);
		if (k !== 'quotedMessage' && o && flagged(o)) return true;
	}
	return false;
}

function quotedOf(md: Json, type: string, ownWid?: string): QuotedMessage | undefined {
	const q = obj(md.quotedMessage);
	const ext = obj(md.extendedTextMessageData);
	const messageId = nonEmpty(q?.stanzaId) ?? (type === 'quotedMessage' ? nonEmpty(ext?.stanzaId) : undefined);
	if (!messageId) return undefined;
	const quoted: QuotedMessage = { messageId };
	if (q && nonEmpty(q.typeMessage)) {
		const text = renderPlain(contentOf(flatToMessageData(q), str(q.typeMessage) as string));
		if (text) quoted.text = text;
	}
	const participant = nonEmpty(q?.participant);
	if (participant && ownWid) quoted.fromBusiness = participant === ownWid;
	return quoted;
}

/**
 * Lifts a flat message (journal entry, `quotedMessage`) into the webhook `messageData` shape.
 * Webhook-shaped `…Data` keys already present win, so either form parses.
 */
export function flatToMessageData(flat: Json): Json {
	const type = str(flat.typeMessage) ?? '';
	const md: Json = { ...flat, typeMessage: type };
	const ext = obj(flat.extendedTextMessage) ?? obj(flat.extendedTextMessageData);
	const text = str(flat.textMessage) ?? str(ext?.text) ?? str(flat.text);
	const setIfMissing = (key: string, value: unknown) => {
		if (!obj(md[key])) md[key] = value;
	};
	if (MEDIA_TYPES.has(type)) {
		// The flat entry carries downloadUrl/caption/fileName/mimeType under the same names.
		setIfMissing('fileMessageData', flat);
		return md;
	}
	switch (type) {
		case 'textMessage':
			setIfMissing('textMessageData', { textMessage: text });
			break;
		case 'extendedTextMessage':
		case 'quotedMessage':
		case 'reactionMessage':
			setIfMissing('extendedTextMessageData', { ...(ext || {}), text });
			break;
		case 'locationMessage':
			setIfMissing('locationMessageData', obj(flat.location) ?? flat);
			break;
		case 'contactMessage':
			setIfMissing('contactMessageData', obj(flat.contact) ?? flat);
			break;
		case 'contactsArrayMessage':
			setIfMissing('messageData', { contacts: arr(flat.contacts).length ? flat.contacts : arr(obj(flat.contactsArray)?.contacts) });
			break;
		case 'pollMessage':
		case 'pollUpdateMessage':
			setIfMissing('pollMessageData', obj(flat.pollMessage) ?? flat);
			break;
		case 'editedMessage':
			setIfMissing('editedMessageData', obj(flat.editedMessage) ?? flat);
			break;
		case 'deletedMessage':
			setIfMissing('deletedMessageData', obj(flat.deletedMessage) ?? flat);
			break;
		default:
			// Button replies use the same key in both shapes; fall back to the flat entry itself.
			if (type) setIfMissing(type, flat);
	}
	return md;
}

/** One-line plain rendering, for quoted-message previews. Undefined when there is nothing to show. */
export function renderPlain(c: InboundContent): string | undefined {
	switch (c.kind) {
		case 'text':
			return c.text || undefined;
		case 'media':
			return c.caption || (c.media === 'document' ? `[document: ${c.fileName}]` : `[${c.media}]`);
		case 'location': {
			const label = [c.name, c.address].filter((x) => x).join(', ');
			return `[location: ${label || `${c.latitude}, ${c.longitude}`}]`;
		}
		case 'contacts':
			return `[contact: ${c.contacts.map((x) => x.name).join(', ')}]`;
		case 'poll':
			return `[poll: ${c.question}]`;
		case 'choice':
			return c.text || undefined;
		case 'buttons':
			return c.body || c.header || undefined;
		case 'edit':
			return c.text || undefined;
		default:
			return undefined;
	}
}
