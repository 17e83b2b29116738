// GREEN-API webhooks: which instance a call claims to be, whether it is authentic, and what it says.

import { InboundEvent, IgnoredEvent, InboundMessage } from '../../core/ports/events';
import { sameSecret } from '../../core/tokens';
import { WebhookRequest } from '../../core/ports/provider';
import { InstanceRecord } from '../../core/ports/records';
import { asPayload, displayName, header, idString, Json, nonEmpty, num, obj, printable, str, toMillis } from '../shared/json';
import { buildInboundMessage } from './inbound';
import { deliveryStatus, instanceHealth, isDocumentedState } from './statuses';

/** Query `instance` / `idInstance` (set by us in webhookUrl), else the payload's `instanceData.idInstance`. */
export function webhookInstanceId(req: Pick<WebhookRequest, 'query' | 'content'> & Partial<WebhookRequest>): string | undefined {
	return queryInstanceId(req.query) ?? payloadInstanceId(req.content);
}

/**
 * `Authorization: Bearer <webhookUrlToken>` or the bare token, compared in constant time; the instance
 * ids named by the query and the payload, when present, must be this instance.
 */
export function verifyWebhook(req: Pick<WebhookRequest, 'headers' | 'query' | 'content'>, instance: Pick<InstanceRecord, 'id' | 'webhookSecret'>): boolean {
	const expected = instance.webhookSecret;
	const presented = header(req.headers, 'authorization');
	// Never accept an unset secret: an empty token would make every caller authentic.
	if (!expected || presented === undefined) return false;
	const token = presented.trim().replace(/^Bearer\s+/i, '');
	const tokenOk = sameSecret(token, expected);
	const q = queryInstanceId(req.query);
	const p = payloadInstanceId(req.content);
	const idOk = (q === undefined || q === instance.id) && (p === undefined || p === instance.id);
	return tokenOk && idOk;
}

function queryInstanceId(query: Record<string, string> | undefined): string | undefined {
	if (!query) return undefined;
	return nonEmpty(query.instance) ?? nonEmpty(query.idInstance);
}

function payloadInstanceId(content: unknown): string | undefined {
	return idString(obj(asPayload(content)?.instanceData)?.idInstance);
}

/** The message of an incoming/outgoing message notification (same envelope), `ignored` when its chat is not a customer's, or undefined when incomplete. */
function envelopeMessage(p: Record<string, unknown>, instanceId: string | undefined, instanceData: Record<string, unknown> | undefined): InboundMessage | IgnoredEvent | undefined {
	const senderData = obj(p.senderData);
	const chatId = nonEmpty(senderData?.chatId);
	const messageId = nonEmpty(p.idMessage);
	if (!instanceId || !senderData || !chatId || !messageId) return undefined;
	return buildInboundMessage({
		instanceId,
		ownWid: nonEmpty(instanceData?.wid),
		chatId,
		messageId,
		timestamp: p.timestamp,
		sender: senderData.sender,
		senderName: senderData.senderName,
		senderContactName: senderData.senderContactName,
		chatName: senderData.chatName,
		senderPhoneNumber: senderData.senderPhoneNumber,
		messageData: p.messageData,
	});
}

/** A chat id in a quota description (`10001234560@c.us, …`): private numbers, groups, hidden-number ids. */
const CHAT_IN_TEXT = /\b\d{5,20}(?:-\d{5,20})?@(?:c\.us|g\.us|lid)\b/g;

/**
 * `quotaData {method, used, total, status, description}`: the plan limit is used up (Developer plan: 3
 * chats a month). The description names the chats still allowed; they are listed for admins as numbers.
 */
function quotaNotice(instanceId: string, q: Json, timestamp: unknown): InboundEvent | undefined {
	const status = displayName(q.status, 60);
	const method = displayName(q.method, 60);
	if (!status && !method) return undefined;
	const count = (v: unknown) => (num(v) !== undefined ? String(num(v)) : '?');
	const description = displayName(q.description, 500) ?? '';
	const chats = Array.from(new Set(description.match(CHAT_IN_TEXT) ?? [])).map((c) => (c.endsWith('@c.us') ? `+${c.slice(0, -5)}` : c));
	const params: Record<string, string> = { limit: method ?? '?', used: count(q.used), total: count(q.total), status: status ?? '?' };
	if (chats.length) params.chats = chats.slice(0, 20).join(', ');
	else params.description = description;
	return { type: 'provider-notice', instanceId, code: chats.length ? 'quota_exceeded' : 'quota_exceeded_plain', params, timestamp: toMillis(timestamp) };
}

/** One GREEN-API notification → one neutral event. Never throws: odd input becomes `ignored`. */
export function parseWebhook(content: unknown): InboundEvent {
	try {
		return parse(content);
	} catch {
		return { type: 'ignored', reason: 'unparseable payload' };
	}
}

function parse(content: unknown): InboundEvent {
	const p = asPayload(content);
	if (!p) return { type: 'ignored', reason: 'payload is not a JSON object' };
	const typeWebhook = nonEmpty(p.typeWebhook);
	const instanceData = obj(p.instanceData);
	const instanceId = idString(instanceData?.idInstance);
	const ignored = (reason: string): IgnoredEvent => (instanceId ? { type: 'ignored', instanceId, reason } : { type: 'ignored', reason });
	if (!typeWebhook) return ignored('missing typeWebhook');
	if (!instanceId && (typeWebhook === 'incomingMessageReceived' || typeWebhook === 'outgoingMessageStatus' || typeWebhook === 'stateInstanceChanged' || typeWebhook === 'quotaExceeded')) {
		return ignored(`${typeWebhook} without instanceData.idInstance`);
	}

	switch (typeWebhook) {
		case 'outgoingMessageReceived': {
			// Typed on the business phone: the envelope of an incoming message, senderData describes the chat.
			const msg = envelopeMessage(p, instanceId, instanceData);
			if (!msg) return ignored('outgoingMessageReceived without instance, senderData.chatId or idMessage');
			if (msg.type === 'ignored') return msg;
			return { type: 'business-message', instanceId: msg.instanceId, chatId: msg.chatId, messageId: msg.messageId, timestamp: msg.timestamp, content: msg.content, ...(msg.people && { people: msg.people }) };
		}
		case 'incomingMessageReceived':
			return envelopeMessage(p, instanceId, instanceData) ?? ignored('incomingMessageReceived without senderData.chatId or idMessage');
		case 'outgoingMessageStatus': {
			// The older format has no chatId: the message id is enough, the core asks for its chat.
			const chatId = nonEmpty(p.chatId);
			const messageId = nonEmpty(p.idMessage);
			if (!messageId) return ignored('outgoingMessageStatus without idMessage');
			const neutral = deliveryStatus(str(p.status), nonEmpty(p.description));
			if (!neutral) return ignored(`outgoingMessageStatus: unknown status ${JSON.stringify(String(p.status)).slice(0, 40)}`);
			const event: InboundEvent = { type: 'status', instanceId: instanceId as string, messageId, status: neutral.status, timestamp: toMillis(p.timestamp) };
			if (chatId) event.chatId = chatId;
			if (neutral.failure) event.failure = neutral.failure;
			return event;
		}
		case 'quotaExceeded':
		case 'incomingBlock': {
			// One documentation example carries quotaData under `incomingBlock`; without quotaData that type is a block-list change.
			const quota = obj(p.quotaData);
			if (!quota) return ignored(typeWebhook);
			return quotaNotice(instanceId as string, quota, p.timestamp) ?? ignored(`${typeWebhook} without quotaData.status or method`);
		}
		case 'stateInstanceChanged': {
			const state = nonEmpty(p.stateInstance);
			if (!state) return ignored('stateInstanceChanged without stateInstance');
			// Only the documented states are recorded (anything else would be stored and shown to admins).
			if (!isDocumentedState(state)) return ignored(`stateInstanceChanged: unknown state ${printable(state)}`);
			return { type: 'state', instanceId: instanceId as string, health: instanceHealth(state), detail: state, timestamp: toMillis(p.timestamp) };
		}
		default:
			// outgoingAPIMessageReceived (our own sends), incomingCall, deprecated types…
			// The reason is the bare type so the core can decide later (e.g. mirroring phone replies).
			return ignored(typeWebhook.slice(0, 80));
	}
}
