// Cloud API webhook bodies → neutral events. One POST may batch several entries, changes, messages,
// statuses and errors: every one becomes an event (or an `ignored` one saying why), in body order.
//
// Customer identity. Since 2026 a contact carries a business-scoped user id (BSUID, `contacts[].user_id`,
// e.g. `US.13491208655302741918`, and `parent_user_id`), maybe a `profile.username`, and, for users who
// adopted a username, may come without a phone (`wa_id`). The chat id is the wa_id when the payload has
// one (customers known before usernames stay where they are), else the BSUID; every id is passed on as the
// event's `people`, and the core keeps them on one contact (core/identity.ts), so a username customer who
// later shows their number stays in their conversation. Replies to a BSUID go in `recipient` (outbound.ts).
//
// Shapes are held to what Meta documents (ids.ts): a body, entry or message that is not is answered
// `ignored` with the reason and changes nothing, each on its own — a bad entry of a batch never drops
// the good ones beside it.

import { DeliveryState, InboundEvent, InboundMessage, MessagePricing, PersonId } from '../../core/ports/events';
import { InstanceHealth } from '../../core/ports/provider';
import { InstanceRecord } from '../../core/ports/records';
import { arr, asPayload, displayName, Json, nonEmpty, obj, printable, toMillis } from '../shared/json';
import { cloudErrors, errorFailure } from './errors';
import { asBsuid, asWaId, isCustomerId, isGraphId, isMessageId } from './ids';
import { contentProblem, parseMessage, referralOf } from './messages';
import { chatIdOf, CloudIds, cloudPeople, idsOfContact } from './people';
import { own } from '../../core/ports/lookup';
import { parseCoexistenceChange } from './coexistence';

export { isBsuid } from './ids';

export interface WebhookContext {
	/** Shown in failure reasons. */
	label: string;
	/**
	 * The instance a change speaks for, among the authenticated ones: by `metadata.phone_number_id`, or
	 * (a host that does not tell the number's id) by the display number the payload names.
	 */
	instanceFor(phoneNumberId: string, displayNumber: string | undefined): InstanceRecord | undefined;
	/** Instances of a WhatsApp Business Account (entry.id of account-level fields). */
	instancesOfAccount(wabaId: string | undefined): InstanceRecord[];
}

const STATUSES: Record<string, DeliveryState> = { sent: 'sent', delivered: 'delivered', read: 'read', played: 'played', failed: 'failed' };

/** Phone-number quality events that change what the number can do. */
const QUALITY_HEALTH: Record<string, InstanceHealth> = { FLAGGED: 'restricted', UNFLAGGED: 'connected' };

/** How far ahead of our clock a message may be dated (clock skew): later ones are not WhatsApp's. */
const MAX_FUTURE_MS = 24 * 60 * 60_000;

/** Every `metadata.phone_number_id` a body names. */
export function phoneNumberIds(content: unknown): string[] {
	const ids = new Set<string>();
	for (const entry of arr(asPayload(content)?.entry)) {
		for (const change of arr(obj(entry)?.changes)) {
			const id = obj(obj(obj(change)?.value)?.metadata)?.phone_number_id;
			if (isGraphId(id)) ids.add(id);
		}
	}
	return [...ids];
}

/** Never throws: odd input becomes `ignored` events. */
export function parseCloudWebhook(content: unknown, ctx: WebhookContext): InboundEvent[] {
	try {
		return parseBody(content, ctx);
	} catch {
		return [{ type: 'ignored', reason: 'unparseable payload' }];
	}
}

function parseBody(content: unknown, ctx: WebhookContext): InboundEvent[] {
	const p = asPayload(content);
	if (!p) return [{ type: 'ignored', reason: 'payload is not a JSON object' }];
	if (p.object !== 'whatsapp_business_account') return [{ type: 'ignored', reason: `object ${named(p.object)}` }];
	const events: InboundEvent[] = [];
	const entries = arr(p.entry);
	if (!entries.length) return [{ type: 'ignored', reason: 'no entry' }];
	for (const e of entries) {
		const entry = obj(e);
		const changes = arr(entry?.changes);
		if (!changes.length) events.push({ type: 'ignored', reason: 'entry without changes' });
		// entry.id is the WhatsApp Business Account: a Graph id, or the entry names no account.
		const accountId = isGraphId(entry?.id) ? entry?.id : undefined;
		for (const c of changes) events.push(...parseChange(obj(c), accountId, ctx));
	}
	return events;
}

function parseChange(change: Json | undefined, accountId: string | undefined, ctx: WebhookContext): InboundEvent[] {
	const field = typeof change?.field === 'string' ? change.field : '?';
	const value = obj(change?.value);
	if (!value) return [{ type: 'ignored', reason: `${named(field)} without value` }];
	switch (field) {
		case 'messages':
			return messagesChange(value, ctx);
		case 'smb_message_echoes':
		case 'history':
		case 'smb_app_state_sync': {
			// Coexistence numbers (Business app + API): parsed in coexistence.ts.
			const instance = numberOf(value, ctx);
			if (typeof instance === 'string') return [{ type: 'ignored', reason: `${field}: ${instance}` }];
			return parseCoexistenceChange(field, value, instance);
		}
		case 'user_preferences':
			return preferencesChange(value, ctx);
		case 'message_template_status_update': {
			// The core refreshes its template cache on this, for every number of the account.
			const name = nonEmpty(value.message_template_name);
			const status = nonEmpty(value.event);
			const instances = ctx.instancesOfAccount(accountId);
			if (!accountId || !name || !status || !instances.length) return [{ type: 'ignored', reason: 'message_template_status_update without template, status or known account' }];
			const language = nonEmpty(value.message_template_language);
			return instances.map((i) => ({ type: 'template-status' as const, instanceId: i.id, name, status: status.toUpperCase(), timestamp: Date.now(), ...(language && { language }) }));
		}
		case 'phone_number_quality_update': {
			const event = nonEmpty(value.event) ?? '';
			const health = own(QUALITY_HEALTH, event);
			const number = (nonEmpty(value.display_phone_number) ?? '').replace(/\D/g, '');
			const instance = ctx.instancesOfAccount(accountId).find((i) => i.number === number);
			if (!health || !instance) return [{ type: 'ignored', instanceId: instance?.id, reason: `phone_number_quality_update ${named(event)}` }];
			return [{ type: 'state', instanceId: instance.id, health, detail: `quality ${event}`, timestamp: Date.now() }];
		}
		default:
			return [{ type: 'ignored', reason: named(field) }];
	}
}

function messagesChange(value: Json, ctx: WebhookContext): InboundEvent[] {
	const instance = numberOf(value, ctx);
	if (typeof instance === 'string') return [{ type: 'ignored', reason: instance }];
	const events: InboundEvent[] = [];
	const contacts = arr(value.contacts).map(obj).filter((c): c is Json => !!c);
	const ignored = (reason: string): InboundEvent => ({ type: 'ignored', instanceId: instance.id, reason });

	for (const raw of arr(value.messages)) {
		const m = obj(raw);
		if (!m) {
			events.push(ignored('message is not an object'));
			continue;
		}
		const id = m.id;
		if (!isMessageId(id)) {
			events.push(ignored(`message id of another shape: ${printable(id)}`));
			continue;
		}
		const who = customerOf(m, contacts, instance.number);
		if (typeof who === 'string') {
			events.push(ignored(`${id}: ${who}`));
			continue;
		}
		const timestamp = messageTime(m.timestamp);
		if (timestamp === undefined) {
			// The core's dedupe keys a redelivery on the message's own time: without it, none could be told.
			events.push(ignored(`${id}: timestamp is not a Unix time: ${printable(m.timestamp)}`));
			continue;
		}
		const problem = contentProblem(m);
		if (problem) {
			events.push(ignored(`${id}: ${problem}`));
			continue;
		}
		const parsed = parseMessage(m, instance.number);
		if (!parsed) {
			events.push(ignored(`message type ${named(m.type)}`));
			continue;
		}
		const base = { type: 'message' as const, instanceId: instance.id, chatId: who.chatId, timestamp, sender: who.sender, isGroup: false, ...(who.people.length && { people: who.people }) };
		// The ad the customer came from is told once, just before their message, as its own entry.
		const referral = referralOf(m);
		if (referral) events.push({ ...base, messageId: `${id}#referral`, content: referral });
		const msg: InboundMessage = { ...base, messageId: id, content: parsed.content };
		if (parsed.quoted) msg.quoted = parsed.quoted;
		if (parsed.forwarded) msg.forwarded = true;
		events.push(msg);
	}

	for (const raw of arr(value.statuses)) {
		const s = obj(raw);
		const messageId = nonEmpty(s?.id);
		const ids: CloudIds = {};
		const waId = asWaId(s?.recipient_id);
		const userId = asBsuid(s?.recipient_user_id);
		const parentUserId = asBsuid(s?.recipient_parent_user_id);
		if (waId) ids.waId = waId;
		if (userId) ids.userId = userId;
		if (parentUserId) ids.parentUserId = parentUserId;
		const chatId = chatIdOf(ids);
		const shown = s?.recipient_id ?? s?.recipient_user_id;
		if (!s || !messageId || !chatId || (s.recipient_id !== undefined && !waId) || (s.recipient_user_id !== undefined && !userId)) {
			events.push(ignored(`status without id or customer recipient: ${printable(shown)}`));
			continue;
		}
		// A phone-based chat id says the phone.
		const people = cloudPeople(ids).filter((id) => !(id.kind === 'chat' && id.value === chatId) && !(id.kind === 'phone' && id.value === `+${chatId}`));
		const status = own(STATUSES, s.status);
		if (!status) {
			events.push(ignored(`status ${named(s.status)}`));
			continue;
		}
		const event: InboundEvent = { type: 'status', instanceId: instance.id, chatId, messageId, status, timestamp: toMillis(s.timestamp), ...(people.length && { people }) };
		const error = cloudErrors(s.errors)[0];
		if (error && status === 'failed') event.failure = errorFailure(error, ctx.label);
		const pricing = pricingOf(s.pricing);
		if (pricing) event.pricing = pricing;
		events.push(event);
	}

	// Out-of-band errors of the number (not tied to a message): reported, nothing to post.
	for (const e of cloudErrors(value.errors)) events.push(ignored(`error ${e.code ?? '?'}: ${e.title ?? ''}`.trim()));

	if (!events.length) events.push(ignored('messages change without messages, statuses or errors'));
	return events;
}

/**
 * The connected number a change speaks for: `metadata.phone_number_id` from the payload (a Graph id),
 * matched among the numbers the request was authenticated for; else why not.
 */
function numberOf(value: Json, ctx: WebhookContext): InstanceRecord | string {
	const metadata = obj(value.metadata);
	const phoneNumberId = metadata?.phone_number_id;
	if (value.messaging_product !== undefined && value.messaging_product !== 'whatsapp') return `messaging_product ${printable(value.messaging_product)}`;
	const display = typeof metadata?.display_phone_number === 'string' ? metadata.display_phone_number.replace(/\D/g, '') || undefined : undefined;
	const instance = isGraphId(phoneNumberId) ? ctx.instanceFor(phoneNumberId, display) : undefined;
	return instance ?? `unknown phone_number_id ${isGraphId(phoneNumberId) ? phoneNumberId : printable(phoneNumberId, 24)}`;
}

/** Pricing categories and types as Meta names them: lower-case words (new ones are kept as they come). */
const PRICING_NAME = /^[a-z][a-z_]{0,39}$/;

/**
 * A status's `pricing` (sent and delivered statuses since per-message pricing, 2025-07): `category`
 * (marketing, utility, authentication, authentication_international, service, marketing_lite,
 * referral_conversion…), `type` (regular, free_customer_service, free_entry_point), `pricing_model`
 * (PMP; CBP for older free entry points) and the deprecated `billable`. Free is read from `type` when
 * it is there (`free_…`), else from `billable: false`; with neither, the message counts as billable
 * (the reading that never hides a charge). No category, or one of another shape: no pricing.
 */
export function pricingOf(v: unknown): MessagePricing | undefined {
	const p = obj(v);
	const category = p?.category;
	if (!p || typeof category !== 'string' || !PRICING_NAME.test(category)) return undefined;
	const type = typeof p.type === 'string' && PRICING_NAME.test(p.type) ? p.type : undefined;
	const free = type !== undefined ? type.startsWith('free_') : p.billable === false;
	const pricing: MessagePricing = { category, free };
	if (type) pricing.type = type;
	if (typeof p.pricing_model === 'string' && /^[A-Z]{2,8}$/.test(p.pricing_model)) pricing.model = p.pricing_model;
	return pricing;
}

/**
 * A customer stopped or resumed the business's marketing messages (`user_preferences`: `wa_id`,
 * `detail`, `category` "marketing_messages", `value` "stop" | "resume", `timestamp`). Meta's pages show
 * the timestamp as an integer, older ones next to string times elsewhere: both are read; a missing one
 * is taken as now (an opt-out is never dropped for it), one of another shape makes the entry ignored.
 * The customer is named like a message's sender: the BSUID where the entry or its contact gives one.
 */
function preferencesChange(value: Json, ctx: WebhookContext): InboundEvent[] {
	const instance = numberOf(value, ctx);
	if (typeof instance === 'string') return [{ type: 'ignored', reason: `user_preferences: ${instance}` }];
	const contacts = arr(value.contacts).map(obj).filter((c): c is Json => !!c);
	const ignored = (reason: string): InboundEvent => ({ type: 'ignored', instanceId: instance.id, reason: `user_preferences: ${reason}` });
	const events: InboundEvent[] = [];
	for (const raw of arr(value.user_preferences)) {
		const p = obj(raw);
		if (!p) {
			events.push(ignored('entry is not an object'));
			continue;
		}
		if (p.category !== 'marketing_messages') {
			events.push(ignored(`category ${named(p.category)}`));
			continue;
		}
		const preference = p.value === 'stop' ? 'stopped' : p.value === 'resume' ? 'resumed' : undefined;
		if (!preference) {
			events.push(ignored(`value ${named(p.value)}`));
			continue;
		}
		const waId = asWaId(p.wa_id);
		const contact = contacts.find((c) => (waId !== undefined && c.wa_id === waId) || (p.user_id !== undefined && c.user_id === p.user_id));
		const userId = asBsuid(p.user_id) ?? asBsuid(contact?.user_id);
		const chatId = userId ?? waId;
		if (!chatId || (waId !== undefined && waId === instance.number)) {
			events.push(ignored(`no customer: ${printable(p.wa_id ?? p.user_id)}`));
			continue;
		}
		const timestamp = p.timestamp === undefined ? Date.now() : messageTime(p.timestamp);
		if (timestamp === undefined) {
			events.push(ignored(`timestamp is not a Unix time: ${printable(p.timestamp)}`));
			continue;
		}
		const event: InboundEvent = { type: 'marketing-preference', instanceId: instance.id, chatId, preference, timestamp };
		if (waId) event.phone = `+${waId}`;
		const name = displayName(obj(contact?.profile)?.name);
		if (name) event.name = name;
		events.push(event);
	}
	return events.length ? events : [ignored('no entries')];
}

interface Customer {
	chatId: string;
	sender: InboundMessage['sender'];
	/** The customer's other ids (core/identity.ts links them to one contact). */
	people: PersonId[];
}

/**
 * Who wrote: `from` (a wa_id or a BSUID) and/or `from_user_id` (a BSUID), with the matching entry of
 * `contacts` for the name and the other ids. A message naming no customer (no sender, an id of another
 * shape, the business number itself) is a reason, never a chat.
 */
function customerOf(m: Json, contacts: Json[], ownNumber: string | undefined): Customer | string {
	const from = m.from;
	const fromUserId = m.from_user_id;
	if (from === undefined && fromUserId === undefined) return 'message without a sender';
	if (from !== undefined && !isCustomerId(from)) return `sender is not a wa_id or BSUID: ${printable(from)}`;
	if (fromUserId !== undefined && !asBsuid(fromUserId)) return `from_user_id is not a BSUID: ${printable(fromUserId)}`;
	const matches = (c: Json) => (from !== undefined && (c.wa_id === from || c.user_id === from)) || (fromUserId !== undefined && c.user_id === fromUserId);
	// A lone contact that names nobody else is the sender's (its ids may complete theirs).
	const contradicts = (c: Json) => (asWaId(from) !== undefined && c.wa_id !== undefined && c.wa_id !== from) || (fromUserId !== undefined && c.user_id !== undefined && c.user_id !== fromUserId);
	const contact = contacts.find(matches) ?? (contacts.length === 1 && !contradicts(contacts[0]) ? contacts[0] : undefined);
	const listed = idsOfContact(contact);
	const ids: CloudIds = { ...listed };
	const userId = asBsuid(fromUserId) ?? listed.userId ?? asBsuid(from);
	const waId = asWaId(from) ?? listed.waId ?? sharedOwnNumber(m);
	if (userId) ids.userId = userId;
	if (waId) ids.waId = waId;
	if (waId !== undefined && ownNumber !== undefined && waId === ownNumber) return 'message from the business number itself';
	const chatId = chatIdOf(ids);
	if (!chatId) return 'message without a sender';
	const phone = waId ? `+${waId}` : undefined;
	const profile = obj(contact?.profile);
	const name = displayName(profile?.name) ?? ids.username ?? phone ?? chatId;
	const sender: InboundMessage['sender'] = { id: chatId, name };
	if (phone) sender.phone = phone;
	// The system message telling of a changed id names the new one: it is the same person.
	const changed = systemChange(m);
	// The chat id and the sender's phone are the event's own fields; the rest are its `people`.
	const people = [...cloudPeople(ids), ...(changed ? cloudPeople(changed) : [])].filter((id) => !(id.kind === 'chat' && id.value === chatId) && !(id.kind === 'phone' && id.value === phone));
	return { chatId, sender, people };
}

/**
 * The number a username customer shared when asked (`request_contact_info`): a `contacts` message whose
 * card has `origin: contact_request` carries the sender's own wa_id. A card shared otherwise is someone else's.
 */
function sharedOwnNumber(m: Json): string | undefined {
	if (m.type !== 'contacts') return undefined;
	const card = arr(m.contacts).map(obj).find((c) => c?.origin === 'contact_request');
	return card ? arr(card.phones).map((p) => asWaId(obj(p)?.wa_id)).find((w) => w !== undefined) : undefined;
}

/** `system` `user_changed_number` / `user_changed_user_id`: the customer's new id. */
function systemChange(m: Json): CloudIds | undefined {
	if (m.type !== 'system') return undefined;
	const s = obj(m.system);
	if (s?.type === 'user_changed_number') {
		const waId = asWaId(s.wa_id) ?? asWaId(s.new_wa_id);
		return waId ? { waId } : undefined;
	}
	if (s?.type === 'user_changed_user_id') {
		const userId = asBsuid(s.user_id) ?? asBsuid(s.new_user_id);
		return userId ? { userId } : undefined;
	}
	return undefined;
}

/** A message's `timestamp`: Unix seconds (a digit string as Meta sends it, or a number), not far in the future. */
function messageTime(v: unknown, now: number = Date.now()): number | undefined {
	const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : typeof v === 'string' ? v : undefined;
	if (!text || !/^\d{1,13}$/.test(text) || Number(text) <= 0) return undefined;
	const ms = toMillis(text);
	return ms <= now + MAX_FUTURE_MS ? ms : undefined;
}

/** A table entry for an untrusted key: own properties only (never Object.prototype's). */
/** A field or object name for a reason: bare when it looks like one, else quoted safely. */
function named(v: unknown): string {
	return typeof v === 'string' && /^[A-Za-z_]{1,60}$/.test(v) ? v : printable(v);
}
