// A provider that exists only in tests: it proves the core, the endpoint and the registry work for a
// provider the core has never heard of. Test builds stage it into the app (.tools/package-app.js
// --with-provider); src/core has no line for it. Its wire format is deliberately unlike GREEN-API's:
//
//   webhook  POST <app>/neutral?number=<id>, header `x-neutral-secret: <webhook secret>`,
//            body {"events":[{"kind":"text","chat":"c1","name":"Ann","id":"m1","text":"hi","ts":1700000000000},
//                            {"kind":"file","chat":"c1","id":"m2","ref":"f1","fileName":"a.png","caption":"x"},
//                            {"kind":"status","chat":"c1","id":"out1","state":"delivered"|"failed","reason":"…"}]}
//   API      Authorization: Bearer <token>; GET /me → {"number":"…"}; POST /webhook {"url","secret"};
//            POST /messages {"to","text"} → {"id"}; POST /files {"to","name","type","base64","caption"} → {"id"};
//            GET /media/<ref> → bytes

import { HttpClient, HttpResponse } from '../../../src/core/ports/http';
import { InboundEvent } from '../../../src/core/ports/events';
import {
	DownloadResult, OutboundFile, OutboundText, ProviderAdmin, ProviderCapabilities, ProviderWebhook, SendResult, WhatsAppProvider,
} from '../../../src/core/ports/provider';
import { InstanceRecord } from '../../../src/core/ports/records';
import { sameSecret } from '../../../src/core/tokens';

const asObject = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const asText = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

export class NeutralProvider implements WhatsAppProvider {
	readonly name = 'neutral';
	readonly label = 'Neutral test provider';
	readonly capabilities: ProviderCapabilities = {
		serviceWindowMs: 24 * 60 * 60_000,
		templates: false,
		journal: false,
		sendsPerSecond: 20,
		redeliveryMs: 60 * 60_000,
		maxTextLength: 1000,
		edit: false,
		delete: false,
		react: false,
		readReceipts: false,
		typing: false,
		qrLinking: false,
		media: { image: { maxBytes: 5 * 1024 * 1024 }, document: { maxBytes: 10 * 1024 * 1024 } },
	};

	readonly webhook: ProviderWebhook = {
		path: 'neutral',
		authenticate: async (req, instances) => {
			const id = asText(req.query.number);
			const instance = id ? await instances.get(id) : undefined;
			const secret = req.headers['x-neutral-secret'];
			if (!instance || instance.provider !== this.name || !secret || !sameSecret(secret, instance.webhookSecret)) return { ok: false, reason: 'neutral: unknown number or wrong secret' };
			return { ok: true, instances: [instance] };
		},
		parse: (req, instances) => {
			const events = asObject(req.content)?.events;
			if (!Array.isArray(events) || !instances[0]) return [{ type: 'ignored', reason: 'no events' }];
			return events.map((e) => this.event(instances[0].id, asObject(e)));
		},
	};

	readonly admin: ProviderAdmin = {
		parseAdd: (args) => {
			const [id, token, baseUrl, department] = args;
			if (!id || !/^\d{3,20}$/.test(id) || !token || token.length < 8 || !baseUrl || !/^https?:\/\//.test(baseUrl)) return { ok: false };
			return { ok: true, id, credentials: { token, baseUrl }, department };
		},
		connect: async (http, instance) => {
			const res = await this.call(http, instance, 'GET', '/me');
			if (res.status === 401) return { ok: false, badCredentials: true, failure: { reason: 'token refused' } };
			const number = asText(asObject(res.json)?.number);
			return number ? { ok: true, displayNumber: number, health: 'connected', detail: 'ready' } : { ok: false, badCredentials: false, failure: { reason: `HTTP ${res.status}` } };
		},
		webhookQuery: (instance) => ({ number: instance.id }),
		configureWebhook: async (http, instance, url) => {
			const res = await this.call(http, instance, 'POST', '/webhook', { url, secret: instance.webhookSecret });
			return res.status === 200 ? { ok: true } : { ok: false, reason: `HTTP ${res.status}` };
		},
		primarySecret: (instance) => instance.credentials.token,
		secrets: (instance) => [instance.credentials.token, instance.webhookSecret],
	};

	sendText(http: HttpClient, instance: InstanceRecord, msg: OutboundText): Promise<SendResult> {
		return this.send(http, instance, '/messages', { to: msg.chatId, text: msg.text, quote: msg.quotedMessageId });
	}

	sendFile(http: HttpClient, instance: InstanceRecord, msg: OutboundFile): Promise<SendResult> {
		return this.send(http, instance, '/files', { to: msg.chatId, name: msg.fileName, type: msg.mimeType, base64: msg.bytes.toString('base64'), caption: msg.caption });
	}

	async downloadMedia(http: HttpClient, instance: InstanceRecord, ref: string, policy: { maxBytes: number }): Promise<DownloadResult> {
		let res: HttpResponse;
		try {
			res = await http.request({ method: 'GET', url: `${instance.credentials.baseUrl}/media/${encodeURIComponent(ref)}`, headers: this.auth(instance), binary: true, timeoutMs: 10_000 });
		} catch {
			return { ok: false, retryable: true, reason: 'network error' };
		}
		if (res.status === 404) return { ok: false, retryable: false, reason: 'media gone' };
		if (res.status !== 200) return { ok: false, retryable: res.status >= 500, reason: `HTTP ${res.status}` };
		const bytes = Buffer.isBuffer(res.body) ? res.body : Buffer.from(res.body || '');
		if (bytes.length > policy.maxBytes) return { ok: false, retryable: false, reason: 'media too large' };
		return { ok: true, bytes, mimeType: res.headers['content-type'] };
	}

	private event(instanceId: string, e: Record<string, unknown> | undefined): InboundEvent {
		const chat = asText(e?.chat);
		const id = asText(e?.id);
		if (!e || !chat || !id) return { type: 'ignored', instanceId, reason: 'event without chat or id' };
		const timestamp = typeof e.ts === 'number' ? e.ts : Date.now();
		const sender = { id: chat, name: asText(e.name) || chat };
		switch (e.kind) {
			case 'text':
				return asText(e.text) ? { type: 'message', instanceId, chatId: chat, messageId: id, timestamp, sender, isGroup: false, content: { kind: 'text', text: String(e.text) } } : { type: 'ignored', instanceId, reason: 'empty text' };
			case 'file': {
				const ref = asText(e.ref);
				if (!ref) return { type: 'ignored', instanceId, reason: 'file without ref' };
				return { type: 'message', instanceId, chatId: chat, messageId: id, timestamp, sender, isGroup: false, content: { kind: 'media', media: 'image', ref, fileName: asText(e.fileName) || 'file', caption: asText(e.caption) } };
			}
			case 'status': {
				const state = e.state === 'failed' ? 'failed' : e.state === 'delivered' || e.state === 'read' || e.state === 'sent' ? e.state : undefined;
				if (!state) return { type: 'ignored', instanceId, reason: 'unknown state' };
				return { type: 'status', instanceId, chatId: chat, messageId: id, status: state, timestamp, ...(state === 'failed' ? { failure: { reason: asText(e.reason) || 'failed' } } : {}) };
			}
			default:
				return { type: 'ignored', instanceId, reason: `unknown kind ${String(e.kind).slice(0, 20)}` };
		}
	}

	private auth(instance: InstanceRecord): Record<string, string> {
		return { Authorization: `Bearer ${instance.credentials.token}` };
	}

	private async call(http: HttpClient, instance: InstanceRecord, method: 'GET' | 'POST', path: string, json?: unknown): Promise<HttpResponse> {
		try {
			return await http.request({ method, url: `${instance.credentials.baseUrl}${path}`, headers: this.auth(instance), json, timeoutMs: 10_000 });
		} catch {
			return { status: 599, headers: {} };
		}
	}

	private async send(http: HttpClient, instance: InstanceRecord, path: string, body: unknown): Promise<SendResult> {
		const res = await this.call(http, instance, 'POST', path, body);
		const id = asText(asObject(res.json)?.id);
		if (res.status === 200 && id) return { ok: true, messageId: id };
		return { ok: false, retryable: res.status >= 500 || res.status === 429, reason: `HTTP ${res.status}`, status: res.status };
	}
}
