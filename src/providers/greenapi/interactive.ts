// Reply buttons on GREEN-API: `sendInteractiveButtonsReply` (beta; ≤ 3 buttons, button text ≤ 25).
// GREEN-API has no working list method (sendListMessage answers 403), so lists go as numbered text.
// Where the beta is not switched on for an instance the method is refused (403 as GREEN-API answers
// disabled methods, or 404): the core then sends the numbered text, and the number is not asked again
// for an hour.

import { HttpClient, HttpResponse } from '../../core/ports/http';
import { OutboundInteractive } from '../../core/ports/interactive';
import { InstanceRecord } from '../../core/ports/records';
import { InteractiveUnavailable, SendResult, SessionInteractive } from '../../core/ports/provider';
import { Json } from '../shared/json';
import { GreenApiClient } from './client';
import { classifySendResponse, classifyTransportError } from './errors';

const RECHECK_MS = 60 * 60_000;

export function interactiveButtonsBody(msg: OutboundInteractive): Json {
	if (msg.kind !== 'buttons') throw new Error('GREEN-API sends reply buttons only');
	const body: Json = { chatId: msg.chatId, body: msg.body, buttons: msg.buttons.map((b) => ({ buttonId: b.id, buttonText: b.title })) };
	if (msg.header) body.header = msg.header;
	if (msg.footer) body.footer = msg.footer;
	return body;
}

/**
 * The session's reply buttons. `refusedAt`: instances whose buttons were refused, and when (kept by the
 * provider; losing it only means asking GREEN-API once more).
 */
export function greenApiInteractive(http: HttpClient, client: GreenApiClient, instance: InstanceRecord, secrets: string[], refusedAt: Map<string, number>): SessionInteractive {
	return {
		kinds: ['buttons'],
		send: async (msg): Promise<SendResult | InteractiveUnavailable> => {
			const since = refusedAt.get(instance.id);
			if (since !== undefined && Date.now() - since < RECHECK_MS) return { ok: false, unavailable: true, reason: 'interactive buttons refused for this instance within the last hour' };
			let res: HttpResponse;
			try {
				res = await http.request({ method: 'POST', url: client.url('sendInteractiveButtonsReply'), json: interactiveButtonsBody(msg), timeoutMs: 30_000 });
			} catch (e) {
				return classifyTransportError(e, secrets);
			}
			if (res.status === 403 || res.status === 404) {
				refusedAt.set(instance.id, Date.now());
				return { ok: false, unavailable: true, reason: `sendInteractiveButtonsReply answered HTTP ${res.status}` };
			}
			refusedAt.delete(instance.id);
			return classifySendResponse(res, secrets);
		},
	};
}
