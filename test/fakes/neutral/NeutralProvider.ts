// A provider that exists only in tests: it proves the core, the endpoint and the registry work for a
// provider the core has never heard of. Test builds stage it into the app (.tools/package-app.js
// --with-provider); src/core has no line for it. Its wire format is deliberately unlike GREEN-API's:
//
//   webhook  POST <app>/neutral?number=<id>, header `x-neutral-secret: <webhook secret>`,
//            body {"events":[{"kind":"text","chat":"c1","name":"Ann","id":"m1","text":"hi","ts":1700000000000},
//                            {"kind":"file","chat":"c1","id":"m2","ref":"f1","fileName":"a.png","caption":"x"},
//                            {"kind":"status","chat":"c1","id":"out1","state":"delivered"|"failed","reason":"…","code":"window_closed"?},
//                            {"kind":"template-status","name":"order_update","language":"en","status":"PAUSED"}]}
//   API      Authorization: Bearer <token>; GET /me → {"number":"…"}; POST /webhook {"url","secret"};
//            POST /messages {"to","text"} → {"id"}; POST /files {"to","name","type","base64","caption"} → {"id"};
//            GET /media/<ref> → bytes;
//            GET /templates → {"templates":[{"name","language","status","category","format":"positional"|"named",
//                              "body":"Hi {{1}}","header":{"format":"text"|"image"|…,"text"},"footer","buttons":[{"type","text","url"}]}]};
//            POST /templates/send {"to","name","language","body":{…},"header":{"text"|"link"},"buttons":{"0":…}} → {"id"}
//   errors   400 {"code":"window_closed"|"params"|"unknown_template","error":"…"}: like the Cloud API, a free-form
//            message to a customer who has not written for 24 hours is refused (window_closed)

import { HttpClient, HttpResponse } from '../../../src/core/ports/http';
import { InboundEvent } from '../../../src/core/ports/events';
import {
	DownloadResult, OutboundFile, OutboundText, ProviderAdmin, ProviderCapabilities, ProviderSession, ProviderTemplates, ProviderWebhook, SendResult, TemplateInfo, WhatsAppProvider,
} from '../../../src/core/ports/provider';
import { InstanceRecord } from '../../../src/core/ports/records';
import { templatePlaceholders } from '../../../src/core/templates';
import { sameSecret } from '../../../src/core/tokens';

const asObject = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const asText = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);

/** The failure code this provider declares in `windowClosedCodes`. */
const WINDOW_CLOSED = 'neutral_window_closed';

/** One template of GET /templates as the core's TemplateInfo. */
function templateInfo(t: Record<string, unknown>): TemplateInfo | undefined {
	const name = asText(t.name);
	const language = asText(t.language);
	const body = typeof t.body === 'string' ? t.body : '';
	if (!name || !language) return undefined;
	const header = asObject(t.header);
	const format = header && ['text', 'image', 'video', 'document', 'location'].includes(String(header.format)) ? (header.format as 'text') : undefined;
	const buttons = Array.isArray(t.buttons) ? t.buttons.map((b) => asObject(b) || {}) : [];
	return {
		name, language, status: asText(t.status) || 'UNKNOWN', category: asText(t.category),
		parameterFormat: t.format === 'named' ? 'named' : 'positional',
		body, bodyParameters: templatePlaceholders(body),
		...(format && { header: { format, text: asText(header!.text), parameters: format === 'text' ? templatePlaceholders(asText(header!.text)) : [] } }),
		footer: asText(t.footer),
		buttons: buttons.map((b) => ({ type: asText(b.type) || 'QUICK_REPLY', text: asText(b.text) || '', parameters: templatePlaceholders(asText(b.url)) })),
	};
}

export class NeutralProvider implements WhatsAppProvider {
	readonly name = 'neutral';
	readonly label = 'Neutral test provider';
	readonly capabilities: ProviderCapabilities = {
		serviceWindowMs: 24 * 60 * 60_000,
		windowClosedCodes: ['neutral_window_closed'],
		sendsPerSecond: 20,
		redeliveryMs: 60 * 60_000,
		maxTextLength: 1000,
		typing: false,
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
		webhookQuery: (instance) => ({ number: instance.id }),
		primarySecret: (instance) => instance.credentials.token,
		secrets: (instance) => [instance.credentials.token, instance.webhookSecret],
	};

	readonly templates: ProviderTemplates = { chatIdFor: (digits) => digits };

	session(http: HttpClient, instance: InstanceRecord): ProviderSession {
		return {
			sendText: (msg: OutboundText) => this.send(http, instance, '/messages', { to: msg.chatId, text: msg.text, quote: msg.quotedMessageId }),
			sendFile: (msg: OutboundFile) =>
				this.send(http, instance, '/files', { to: msg.chatId, name: msg.fileName, type: msg.mimeType, base64: msg.bytes.toString('base64'), caption: msg.caption }),
			downloadMedia: (ref, policy) => this.downloadMedia(http, instance, ref, policy),
			templates: {
				list: async () => {
					const res = await this.call(http, instance, 'GET', '/templates');
					const list = asObject(res.json)?.templates;
					if (res.status !== 200 || !Array.isArray(list)) return { ok: false, reason: `HTTP ${res.status}` };
					return { ok: true, templates: list.map((t) => templateInfo(asObject(t) || {})).filter((t): t is TemplateInfo => !!t) };
				},
				send: (msg) => this.send(http, instance, '/templates/send', { to: msg.chatId, name: msg.name, language: msg.language, body: msg.body, header: msg.header, buttons: msg.buttons }),
			},
			admin: {
				connect: async () => {
					const res = await this.call(http, instance, 'GET', '/me');
					if (res.status === 401) return { ok: false, badCredentials: true, failure: { reason: 'token refused' } };
					const number = asText(asObject(res.json)?.number);
					return number ? { ok: true, displayNumber: number, health: 'connected', detail: 'ready' } : { ok: false, badCredentials: false, failure: { reason: `HTTP ${res.status}` } };
				},
				configureWebhook: async (url) => {
					const res = await this.call(http, instance, 'POST', '/webhook', { url, secret: instance.webhookSecret });
					return res.status === 200 ? { ok: true } : { ok: false, reason: `HTTP ${res.status}` };
				},
			},
		};
	}

	private async downloadMedia(http: HttpClient, instance: InstanceRecord, ref: string, policy: { maxBytes: number }): Promise<DownloadResult> {
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
		if (e?.kind === 'template-status') {
			const name = asText(e.name);
			const status = asText(e.status);
			if (!name || !status) return { type: 'ignored', instanceId, reason: 'template status without name or status' };
			return { type: 'template-status', instanceId, name, language: asText(e.language), status, timestamp: Date.now() };
		}
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
				const failure = { reason: asText(e.reason) || 'failed', ...(e.code === 'window_closed' ? { code: WINDOW_CLOSED } : {}) };
				return { type: 'status', instanceId, chatId: chat, messageId: id, status: state, timestamp, ...(state === 'failed' ? { failure } : {}) };
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
		const answer = asObject(res.json);
		const id = asText(answer?.id);
		if (res.status === 200 && id) return { ok: true, messageId: id };
		const reason = `HTTP ${res.status}${asText(answer?.error) ? `: ${answer!.error}` : ''}`;
		if (answer?.code === 'window_closed') return { ok: false, retryable: false, reason, code: WINDOW_CLOSED, status: res.status };
		return { ok: false, retryable: res.status >= 500 || res.status === 429, reason, status: res.status };
	}
}
