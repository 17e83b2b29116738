// The webhook fields of a coexistence number (one number used in the WhatsApp Business app and through
// the Cloud API): `smb_message_echoes` (what the business typed in the app, with its edits and
// deletions), `history` (past chats, in chunks after onboarding) and `smb_app_state_sync` (the app's
// address book). Shapes as Meta's webhook references describe them (and 360dialog relays them).
//
// The customer of an echo or a history thread is named by `to` / `id` (a phone or, since 2026, a
// BSUID) and possibly `to_user_id`: every id is passed on, the chat id follows the rule of customers'
// own messages (the BSUID when there is one, else the phone), so the core finds the customer by any.

import { BusinessMessageEvent, ChatHistoryEvent, ContactNameEvent, HistoryMessage, InboundEvent } from '../../core/ports/events';
import { InstanceRecord } from '../../core/ports/records';
import { arr, displayName, Json, nonEmpty, obj, printable, toMillis } from '../shared/json';
import { asBsuid, asWaId, isMessageId } from './ids';
import { contentProblem, parseMessage } from './messages';

/** The coexistence fields this module reads. */
export const COEXISTENCE_FIELDS: readonly string[] = ['smb_message_echoes', 'history', 'smb_app_state_sync'];

/** A change of one of COEXISTENCE_FIELDS for `instance` (the number the payload names, already matched). */
export function parseCoexistenceChange(field: string, value: Json, instance: InstanceRecord): InboundEvent[] {
	switch (field) {
		case 'smb_message_echoes':
			return parseEchoes(value, instance);
		case 'history':
			return parseHistory(value, instance);
		case 'smb_app_state_sync':
			return parseStateSync(value, instance);
		default:
			return [{ type: 'ignored', instanceId: instance.id, reason: `coexistence field ${printable(field)}` }];
	}
}

/** The customer a business-side message names: chat id (BSUID first) and every id given. */
function customerIds(ids: unknown[], ownNumber: string | undefined): { chatId: string; others: string[] } | undefined {
	const bsuids = ids.map(asBsuid).filter((x): x is string => !!x);
	const phones = ids.map(asWaId).filter((x): x is string => !!x && x !== ownNumber);
	const all = [...new Set([...bsuids, ...phones])];
	if (!all.length) return undefined;
	return { chatId: all[0], others: all.slice(1) };
}

/** Messages typed in the WhatsApp Business app: shown to agents as the business's, never sent. */
export function parseEchoes(value: Json, instance: InstanceRecord): InboundEvent[] {
	const events: InboundEvent[] = [];
	const ignored = (reason: string): InboundEvent => ({ type: 'ignored', instanceId: instance.id, reason });
	for (const raw of arr(value.message_echoes)) {
		const m = obj(raw);
		const id = m?.id;
		if (!m || !isMessageId(id)) {
			events.push(ignored(`message echo without an id: ${printable(m?.id)}`));
			continue;
		}
		// The business writes *to* a customer; an echo "to" the business number itself names nobody.
		const who = customerIds([m.to_user_id, m.to], instance.number);
		if (!who) {
			events.push(ignored(`${id}: message echo without a customer recipient: ${printable(m.to)}`));
			continue;
		}
		const problem = contentProblem(m);
		const parsed = problem ? undefined : parseMessage(m, instance.number);
		if (!parsed) {
			events.push(ignored(`${id}: message echo ${problem ?? `of type ${printable(m.type)}`}`));
			continue;
		}
		const event: BusinessMessageEvent = { type: 'business-message', instanceId: instance.id, chatId: who.chatId, messageId: id, timestamp: toMillis(m.timestamp), content: parsed.content };
		if (who.others.length) event.customerIds = who.others;
		events.push(event);
	}
	return events.length ? events : [ignored('smb_message_echoes without echoes')];
}

/**
 * Past chats: `history[].threads[]`, one per customer, with messages from either side (`from` the
 * business number, or `history_context.from_me`, or a `to` — only echoes carry one). A declined
 * sharing (`history[].errors`) changes nothing. Phase and progress only say how far the sync is.
 */
export function parseHistory(value: Json, instance: InstanceRecord): InboundEvent[] {
	const events: InboundEvent[] = [];
	const ignored = (reason: string): InboundEvent => ({ type: 'ignored', instanceId: instance.id, reason });
	for (const rawChunk of arr(value.history)) {
		const chunk = obj(rawChunk);
		if (!chunk) continue;
		const errors = arr(chunk.errors);
		const code = obj(errors[0])?.code;
		if (errors.length) events.push(ignored(`history not shared: ${Number.isSafeInteger(code) ? code : printable(code)}`));
		for (const rawThread of arr(chunk.threads)) {
			const thread = obj(rawThread);
			const who = customerIds([thread?.user_id, thread?.id], instance.number);
			if (!thread || !who) {
				events.push(ignored(`history thread without a customer: ${printable(thread?.id)}`));
				continue;
			}
			const messages: HistoryMessage[] = [];
			for (const rawMessage of arr(thread.messages)) {
				const m = obj(rawMessage);
				const past = m && historyMessage(m, instance.number);
				if (past) messages.push(past);
			}
			if (!messages.length) {
				events.push(ignored(`history thread of ${who.chatId} without readable messages`));
				continue;
			}
			const event: ChatHistoryEvent = { type: 'chat-history', instanceId: instance.id, chatId: who.chatId, messages };
			if (who.others.length) event.customerIds = who.others;
			events.push(event);
		}
	}
	return events.length ? events : [ignored('history without threads')];
}

function historyMessage(m: Json, ownNumber: string | undefined): HistoryMessage | undefined {
	if (!isMessageId(m.id) || contentProblem(m)) return undefined;
	const stamp = typeof m.timestamp === 'string' || typeof m.timestamp === 'number' ? String(m.timestamp) : '';
	if (!/^\d{1,13}$/.test(stamp) || Number(stamp) <= 0) return undefined;
	const parsed = parseMessage(m, ownNumber);
	if (!parsed) return undefined;
	const context = obj(m.history_context);
	const from = nonEmpty(m.from)?.replace(/\D/g, '');
	const fromBusiness = context?.from_me === true || (!!ownNumber && from === ownNumber) || m.to !== undefined;
	return { messageId: m.id, timestamp: toMillis(stamp), fromBusiness, content: parsed.content };
}

/** The business app's address book: `add` (added or edited) gives a name, `remove` takes it back. */
export function parseStateSync(value: Json, instance: InstanceRecord): InboundEvent[] {
	const events: InboundEvent[] = [];
	const ignored = (reason: string): InboundEvent => ({ type: 'ignored', instanceId: instance.id, reason });
	for (const raw of arr(value.state_sync)) {
		const s = obj(raw);
		const contact = obj(s?.contact);
		const phone = asWaId(nonEmpty(contact?.phone_number)?.replace(/^\+/, ''));
		if (!s || s.type !== 'contact' || !contact || !phone || phone === instance.number) {
			events.push(ignored(`state sync entry that is not a customer contact: ${printable(s?.type)}`));
			continue;
		}
		const timestamp = toMillis(obj(s.metadata)?.timestamp);
		if (s.action === 'remove') {
			events.push({ type: 'contact-name', instanceId: instance.id, chatId: phone, timestamp });
			continue;
		}
		const name = displayName(contact.full_name) ?? displayName(contact.first_name);
		if (s.action !== 'add' || !name) {
			events.push(ignored(`state sync ${printable(s.action)} of ${phone} without a name`));
			continue;
		}
		const event: ContactNameEvent = { type: 'contact-name', instanceId: instance.id, chatId: phone, name, timestamp };
		events.push(event);
	}
	return events.length ? events : [ignored('smb_app_state_sync without entries')];
}
