// The provider contract for the two Cloud API adapters: Meta's Graph API and 360dialog.
import { WebhookRequest } from '../../../src/core/ports/provider';
import { InstanceRecord } from '../../../src/core/ports/records';
import { CloudProvider } from '../../../src/providers/cloud/CloudProvider';
import { metaJson, sign } from '../../../src/providers/cloud/signature';
import { dialog360InstanceId, Dialog360Provider, headerSecretOf } from '../../../src/providers/dialog360/Dialog360Provider';
import { body, CLOUD, cloudInstance, msg, status, value } from '../../fixtures/cloud';
import { providerContract } from '../contract';
import { bytes, json } from '../fakeHttp';

const accepted = (messageId: string) => json(200, { messaging_product: 'whatsapp', contacts: [{ input: CLOUD.customer, wa_id: CLOUD.customer }], messages: [{ id: messageId }] });
const LOOKASIDE = 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=2754859441498128&ext=1&hash=ATs';
const mediaAnswers = (data: Buffer, mimeType: string) => [
	json(200, { messaging_product: 'whatsapp', url: LOOKASIDE, mime_type: mimeType, sha256: 'x', file_size: String(data.length), id: '2754859441498128' }),
	bytes(200, data, { 'content-type': mimeType }),
];

providerContract('cloud', () => {
	const instance = cloudInstance();
	const request = (content: Record<string, unknown>): WebhookRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(metaJson(content), CLOUD.appSecret) },
		query: { instance: instance.id, secret: instance.webhookSecret },
		content,
	});
	return {
		// The contract's forged request keeps the signature: the URL secret alone must refuse it.
		provider: new CloudProvider({ signaturePolicy: () => 'reject' }),
		instance,
		addArguments: [CLOUD.phoneNumberId, CLOUD.accessToken, CLOUD.wabaId, CLOUD.appSecret, 'Support'],
		inboundText: (text, messageId) => request(body(value({ messages: [msg.text(text, { id: messageId })] }))),
		forged: (req) => ({ ...req, query: { ...req.query, secret: 'not-the-secret' } }),
		delivered: (messageId) => request(body(value({ contacts: null, statuses: [status(messageId, 'delivered')] }))),
		sendAccepted: accepted,
		mediaAnswers,
		mediaRef: '2754859441498128',
		mediaHosts: [],
	};
});

providerContract('360dialog', () => {
	const key = 'D360keyForContract0123456789abcdef';
	const instance: InstanceRecord = { id: dialog360InstanceId(key), provider: '360dialog', number: CLOUD.display, webhookSecret: CLOUD.webhookSecret, credentials: { apiKey: key }, createdAt: 0 };
	const request = (content: Record<string, unknown>): WebhookRequest => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-webhook-secret': headerSecretOf(instance) },
		query: { instance: instance.id, secret: instance.webhookSecret },
		content,
	});
	return {
		provider: new Dialog360Provider(),
		instance,
		addArguments: [key, 'Support'],
		inboundText: (text, messageId) => request(body(value({ messages: [msg.text(text, { id: messageId })] }))),
		forged: (req) => ({ ...req, headers: { ...req.headers, 'x-webhook-secret': 'not-the-secret' } }),
		delivered: (messageId) => request(body(value({ contacts: null, statuses: [status(messageId, 'delivered')] }))),
		sendAccepted: accepted,
		mediaAnswers,
		mediaRef: '2754859441498128',
		mediaHosts: [],
	};
});
