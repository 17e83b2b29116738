// Cloud API webhook bodies → neutral events. One POST may batch several entries, changes, messages,
// statuses and errors: every one becomes an event (or an `ignored` one saying why), in body order.
//
// Customer identity. Since 2026 a contact carries a business-scoped user id (BSUID, `contacts[].user_id`,
// e.g. `US.13491208655302741918`) and, for users who adopted a username, may come without a phone
// (`wa_id`). The chat id is the BSUID when the message has one, else the wa_id: a customer first seen
// with a BSUID and no phone keeps the same chat when a later message also carries the phone (which is
// kept as sender.phone). Replies go to a BSUID through the `recipient` field (outbound.ts).

import { DeliveryState, InboundEvent, InboundMessage } from '../../core/ports/events';
import { InstanceHealth } from '../../core/ports/provider';
import { InstanceRecord } from '../../core/ports/records';
import { arr, asPayload, Json, nonEmpty, obj, toMillis } from '../shared/json';
import { cloudErrors, errorFailure } from './errors';
import { parseMessage, referralOf } from './messages';
import { own } from '../../core/ports/lookup';

export interface WebhookContext {
	/** Shown in failure reasons. */
	label: string;
	/** The instance a change speaks for (by `metadata.phone_number_id`), among the authenticated ones. */
	instanceFor(phoneNumberId: string | undefined): InstanceRecord | undefined;
	/** Instances of a WhatsApp Business Account (entry.id of account-level fields). */
	instancesOfAccount(wabaId: string | undefined): InstanceRecord[];
}

const STATUSES: Record<string, DeliveryState> = { sent: 'sent', delivered: 'delivered', read: 'read', played: 'played', failed: 'failed' };

/** Phone-number quality events that change what the number can do. */
const QUALITY_HEALTH: Record<string, InstanceHealth> = { FLAGGED: 'restricted', UNFLAGGED: 'connected' };

/** A BSUID (`CC.` + alphanumerics, `CC.ENT.…` for a parent id); wa_ids are digits. */
export function isBsuid(id: string): boolean {
	return /^[A-Z]{2}\.[A-Za-z0-9.]+$/.test(id);
}

/** Every `metadata.phone_number_id` a body names. */
export function phoneNumberIds(content: unknown): string[] {
	const ids = new Set<string>();
	for (const entry of arr(asPayload(content)?.entry)) {
		for (const change of arr(obj(entry)?.changes)) {
			const id = nonEmpty(obj(obj(obj(change)?.value)?.metadata)?.phone_number_id);
			if (id) ids.add(id);
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
	const object = nonEmpty(p.object);
	if (object !== 'whatsapp_business_account') return [{ type: 'ignored', reason: `object ${String(object).slice(0, 40)}` }];
	const events: InboundEvent[] = [];
	const entries = arr(p.entry);
	if (!entries.length) return [{ type: 'ignored', reason: 'no entry' }];
	for (const e of entries) {
		const entry = obj(e);
		const changes = arr(entry?.changes);
		if (!changes.length) events.push({ type: 'ignored', reason: 'entry without changes' });
		for (const c of changes) events.push(...parseChange(obj(c), nonEmpty(entry?.id), ctx));
	}
	return events;
}

function parseChange(change: Json | undefined, accountId: string | undefined, ctx: WebhookContext): InboundEvent[] {
	const field = nonEmpty(change?.field) ?? '?';
	const value = obj(change?.value);
	if (!value) return [{ type: 'ignored', reason: `${field} without value` }];
	switch (field) {
		case 'messages':
			return messagesChange(value, ctx);
		case 'smb_message_echoes':
			return echoesChange(value, ctx);
		case 'message_template_status_update': {
			// The core refreshes its template cache on this, for every number of the account.
			const name = nonEmpty(value.message_template_name);
			const status = nonEmpty(value.event);
			const instances = ctx.instancesOfAccount(accountId);
			if (!name || !status || !instances.length) return [{ type: 'ignored', reason: 'message_template_status_update without template, status or known account' }];
			const language = nonEmpty(value.message_template_language);
			return instances.map((i) => ({ type: 'template-status' as const, instanceId: i.id, name, status: status.toUpperCase(), timestamp: Date.now(), ...(language && { language }) }));
		}
		case 'phone_number_quality_update': {
			const event = nonEmpty(value.event) ?? '';
			const health = own(QUALITY_HEALTH, event);
			const number = (nonEmpty(value.display_phone_number) ?? '').replace(/\D/g, '');
			const instance = ctx.instancesOfAccount(accountId).find((i) => i.number === number);
			if (!health || !instance) return [{ type: 'ignored', instanceId: instance?.id, reason: `phone_number_quality_update ${event}`.trim() }];
			return [{ type: 'state', instanceId: instance.id, health, detail: `quality ${event}`, timestamp: Date.now() }];
		}
		default:
			return [{ type: 'ignored', reason: field.slice(0, 60) }];
	}
}

function messagesChange(value: Json, ctx: WebhookContext): InboundEvent[] {
	const phoneNumberId = nonEmpty(obj(value.metadata)?.phone_number_id);
	const instance = ctx.instanceFor(phoneNumberId);
	if (!instance) return [{ type: 'ignored', reason: `unknown phone_number_id ${String(phoneNumberId).slice(0, 24)}` }];
	const events: InboundEvent[] = [];
	const contacts = arr(value.contacts).map(obj).filter((c): c is Json => !!c);
	const ignored = (reason: string): InboundEvent => ({ type: 'ignored', instanceId: instance.id, reason });

	for (const raw of arr(value.messages)) {
		const m = obj(raw);
		const id = nonEmpty(m?.id);
		const who = m && customerOf(m, contacts);
		if (!m || !id || !who) {
			events.push(ignored('message without id or sender'));
			continue;
		}
		const parsed = parseMessage(m, instance.number);
		if (!parsed) {
			events.push(ignored(`message type ${nonEmpty(m.type)}`));
			continue;
		}
		const base = { type: 'message' as const, instanceId: instance.id, chatId: who.chatId, timestamp: toMillis(m.timestamp), sender: who.sender, isGroup: false };
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
		const chatId = nonEmpty(s?.recipient_user_id) ?? nonEmpty(s?.recipient_id);
		const status = own(STATUSES, nonEmpty(s?.status));
		if (!s || !messageId || !chatId) {
			events.push(ignored('status without id or recipient'));
			continue;
		}
		if (!status) {
			events.push(ignored(`status ${String(s.status).slice(0, 20)}`));
			continue;
		}
		const event: InboundEvent = { type: 'status', instanceId: instance.id, chatId, messageId, status, timestamp: toMillis(s.timestamp) };
		const error = cloudErrors(s.errors)[0];
		if (error && status === 'failed') event.failure = errorFailure(error, ctx.label);
		events.push(event);
	}

	// Out-of-band errors of the number (not tied to a message): reported, nothing to post.
	for (const e of cloudErrors(value.errors)) events.push(ignored(`error ${e.code ?? '?'}: ${e.title ?? ''}`.trim()));

	if (!events.length) events.push(ignored('messages change without messages, statuses or errors'));
	return events;
}

/** Messages typed in the WhatsApp Business app of a coexistence number: shown to agents, never sent. */
function echoesChange(value: Json, ctx: WebhookContext): InboundEvent[] {
	const instance = ctx.instanceFor(nonEmpty(obj(value.metadata)?.phone_number_id));
	if (!instance) return [{ type: 'ignored', reason: 'smb_message_echoes for an unknown phone_number_id' }];
	const events: InboundEvent[] = [];
	for (const raw of arr(value.message_echoes)) {
		const m = obj(raw);
		const id = nonEmpty(m?.id);
		const chatId = nonEmpty(m?.to_user_id) ?? nonEmpty(m?.to);
		const parsed = m && parseMessage(m, instance.number);
		if (!m || !id || !chatId || !parsed) {
			events.push({ type: 'ignored', instanceId: instance.id, reason: 'message echo without id, recipient or content' });
			continue;
		}
		events.push({ type: 'business-message', instanceId: instance.id, chatId, messageId: id, timestamp: toMillis(m.timestamp), content: parsed.content });
	}
	return events.length ? events : [{ type: 'ignored', instanceId: instance.id, reason: 'smb_message_echoes without echoes' }];
}

interface Customer {
	chatId: string;
	sender: InboundMessage['sender'];
}

function customerOf(m: Json, contacts: Json[]): Customer | undefined {
	const from = nonEmpty(m.from);
	const fromUserId = nonEmpty(m.from_user_id);
	const contact =
		contacts.find((c) => (from !== undefined && (c.wa_id === from || c.user_id === from)) || (fromUserId !== undefined && c.user_id === fromUserId)) ??
		(contacts.length === 1 ? contacts[0] : undefined);
	const userId = fromUserId ?? nonEmpty(contact?.user_id) ?? (from && isBsuid(from) ? from : undefined);
	const waId = (from && !isBsuid(from) ? from : undefined) ?? nonEmpty(contact?.wa_id);
	const chatId = userId ?? waId;
	if (!chatId) return undefined;
	const digits = waId?.replace(/\D/g, '');
	const phone = digits ? `+${digits}` : undefined;
	const profile = obj(contact?.profile);
	const username = nonEmpty(profile?.username);
	const name = nonEmpty(profile?.name) ?? username ?? phone ?? chatId;
	const sender: InboundMessage['sender'] = { id: chatId, name };
	if (phone) sender.phone = phone;
	return { chatId, sender };
}
