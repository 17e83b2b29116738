// Cloud API calls of one instance over the provider-neutral HttpClient, through a transport (Graph API
// or 360dialog). Every failure is classified once (errors.ts); secrets never leave in a reason.

import { Failure } from '../../core/ports/failure';
import { HttpClient, HttpRequest, HttpResponse } from '../../core/ports/http';
import { SendResult } from '../../core/ports/provider';
import { InstanceRecord } from '../../core/ports/records';
import { arr, Json, nonEmpty, num, obj } from '../shared/json';
import { buildMultipart } from '../shared/multipart';
import { permanent, responseJson } from '../shared/results';
import { classifyHttpFailure, classifyTransportError } from './errors';
import { CloudTransport } from './transport';
import { answeredRecipient } from './people';

export interface CloudClientOptions {
	/** JSON calls (sends, reads, settings). */
	timeoutMs?: number;
	/** Media uploads (up to 100 MB). */
	uploadTimeoutMs?: number;
	/** Media downloads. */
	downloadTimeoutMs?: number;
}

export type ApiResult<T> = { ok: true; data: T } | ({ ok: false; retryable: boolean; status?: number } & Failure);

export interface MediaInfo {
	url: string;
	mimeType?: string;
	fileSize?: number;
}

/** At most this many template pages are read (100 each; a verified account may hold 6,000). */
const MAX_TEMPLATE_PAGES = 100;

export class CloudClient {
	readonly timeoutMs: number;
	readonly uploadTimeoutMs: number;
	readonly downloadTimeoutMs: number;

	constructor(
		private readonly http: HttpClient,
		readonly transport: CloudTransport,
		readonly instance: InstanceRecord,
		options: CloudClientOptions = {},
	) {
		this.timeoutMs = options.timeoutMs ?? 30_000;
		this.uploadTimeoutMs = options.uploadTimeoutMs ?? 180_000;
		this.downloadTimeoutMs = options.downloadTimeoutMs ?? 120_000;
	}

	get secrets(): string[] {
		return this.transport.secrets(this.instance);
	}

	get authHeaders(): Record<string, string> {
		return this.transport.authHeaders(this.instance);
	}

	/** POST /messages; the answer's `messages[0].id` is the message id. */
	async sendMessage(body: Json): Promise<SendResult> {
		const r = await this.call({ method: 'POST', url: this.transport.messagesUrl(this.instance), json: body }, (j) => {
			const id = nonEmpty(obj(arr(obj(j)?.messages)[0])?.id);
			return id ? { id, recipient: answeredRecipient(obj(arr(obj(j)?.contacts)[0])) } : undefined;
		});
		// The recipient as WhatsApp answered, told when it is not who the message was addressed to: its wa_id
		// may differ from the number sent to (Brazil's 9th digit).
		if (r.ok && r.data.recipient && r.data.recipient.chatId === (body.to ?? body.recipient)) r.data.recipient = undefined;
		if (r.ok) return { ok: true, messageId: r.data.id, ...(r.data.recipient && { recipient: r.data.recipient }) };
		return r.code === 'cloud_unexpected'
			? // Not retried: the message may have been accepted, and a retry could send it twice.
				{ ...permanent('cloud_no_id', `${this.transport.label} accepted the message but returned no id`, { provider: this.transport.label }), status: r.status }
			: r;
	}

	/** POST /messages for a read receipt (`{"success": true}`). */
	async markRead(messageId: string, typing: boolean): Promise<ApiResult<true>> {
		const body: Json = { messaging_product: 'whatsapp', status: 'read', message_id: messageId };
		if (typing) body.typing_indicator = { type: 'text' };
		return this.call({ method: 'POST', url: this.transport.messagesUrl(this.instance), json: body }, (j) => (obj(j)?.success === true ? (true as const) : undefined));
	}

	/** POST /media (multipart: messaging_product, type, file) → the media id. */
	upload(bytes: Buffer, mimeType: string, fileName: string): Promise<ApiResult<string>> {
		const mp = buildMultipart([
			{ name: 'messaging_product', value: 'whatsapp' },
			{ name: 'type', value: mimeType },
			{ name: 'file', fileName, contentType: mimeType, data: bytes },
		]);
		return this.call(
			{ method: 'POST', url: this.transport.mediaUploadUrl(this.instance), headers: { 'Content-Type': mp.contentType }, body: mp.body, timeoutMs: this.uploadTimeoutMs },
			(j) => nonEmpty(obj(j)?.id),
		);
	}

	/** GET /{media id} → where the file is (the URL lives 5 minutes). */
	mediaInfo(mediaId: string): Promise<ApiResult<MediaInfo>> {
		return this.call({ method: 'GET', url: this.transport.mediaInfoUrl(this.instance, mediaId) }, (j) => {
			const o = obj(j);
			const url = nonEmpty(o?.url);
			if (!o || !url) return undefined;
			const info: MediaInfo = { url };
			const mime = nonEmpty(o.mime_type);
			if (mime) info.mimeType = mime;
			const size = num(o.file_size);
			if (size !== undefined) info.fileSize = size;
			return info;
		});
	}

	/** The business number's fields. */
	phoneNumber(fields: string[]): Promise<ApiResult<Json>> {
		return this.call({ method: 'GET', url: this.transport.phoneNumberUrl(this.instance, fields) }, (j) => obj(j));
	}

	/** Every template of the account, page after page. */
	async templates(): Promise<ApiResult<unknown[]>> {
		const all: unknown[] = [];
		let page: string | undefined;
		for (let i = 0; i < MAX_TEMPLATE_PAGES; i++) {
			const r = await this.call({ method: 'GET', url: this.transport.templatesUrl(this.instance, page) }, (j) => (obj(j) ? this.transport.templatesPage(j) : undefined));
			if (!r.ok) return r;
			all.push(...r.data.items);
			if (!r.data.next || r.data.next === page) break;
			page = r.data.next;
		}
		return { ok: true, data: all };
	}

	/** Any JSON call; `parse` undefined → an unexpected answer. */
	async call<T>(req: HttpRequest, parse: (json: unknown) => T | undefined): Promise<ApiResult<T>> {
		let res: HttpResponse;
		try {
			res = await this.http.request({ timeoutMs: this.timeoutMs, ...req, headers: { ...this.authHeaders, ...(req.headers || {}) } });
		} catch (e) {
			return classifyTransportError(e, this.transport.label, this.secrets);
		}
		if (res.status < 200 || res.status >= 300) return classifyHttpFailure(res, this.transport.label, this.secrets);
		const data = parse(responseJson(res));
		if (data === undefined) {
			return { ...permanent('cloud_unexpected', `unexpected answer from ${this.transport.label}`, { provider: this.transport.label }), status: res.status };
		}
		return { ok: true, data };
	}
}
