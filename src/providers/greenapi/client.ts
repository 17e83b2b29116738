// GREEN-API HTTP client over the provider-neutral HttpClient port.
// Every URL comes from methodUrl(): `{host}/waInstance{id}/{method}/{token}`. The token is in the path,
// so every error text leaving this module goes through redact().

import { Failure } from '../../core/ports/failure';
import { DownloadResult, OutboundFile, OutboundText, SendResult } from '../../core/ports/provider';
import { HttpClient, HttpRequest, HttpResponse } from '../../core/ports/http';
import { classifyHttpFailure, classifySendResponse, classifyTransportError, permanent, responseJson, SendFailure } from './errors';
import { fetchMedia } from '../shared/download';
import { Json, nonEmpty, obj, str } from '../shared/json';
import { buildMultipart, MultipartPart } from '../shared/multipart';
import { splitText } from './textSplit';

/** Universal hosts, used only when an instance has no console-provided host stored. */
export const DEFAULT_API_URL = 'https://api.greenapi.com';
export const DEFAULT_MEDIA_URL = 'https://media.greenapi.com';
/** sendFileByUpload limit (reference §7). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export interface GreenApiCredentials {
	id: string;
	apiToken: string;
	apiUrl: string;
	mediaUrl: string;
}

export type ApiResult<T> = { ok: true; data: T } | ({ ok: false; retryable: boolean; status?: number } & Failure);

export interface GreenApiClientOptions {
	/** JSON calls (sends, state, settings). */
	timeoutMs?: number;
	/** sendFileByUpload: up to 100 MB has to travel. */
	uploadTimeoutMs?: number;
}

export type YesNo = 'yes' | 'no';

/** Writable instance settings (setSettings takes any subset; flags are the strings "yes"/"no"). */
export interface GreenApiSettingsUpdate {
	webhookUrl?: string;
	webhookUrlToken?: string;
	delaySendMessagesMilliseconds?: number;
	markIncomingMessagesReaded?: YesNo;
	markIncomingMessagesReadedOnReply?: YesNo;
	outgoingWebhook?: YesNo;
	outgoingMessageWebhook?: YesNo;
	outgoingAPIMessageWebhook?: YesNo;
	incomingWebhook?: YesNo;
	stateWebhook?: YesNo;
	pollMessageWebhook?: YesNo;
	incomingCallWebhook?: YesNo;
	editedMessageWebhook?: YesNo;
	deletedMessageWebhook?: YesNo;
	keepOnlineStatus?: YesNo;
	incomingBlockWebhook?: YesNo;
}

/** getSettings: the writable settings plus read-only ones (wid, countryInstance, typeAccount, …). */
export interface GreenApiSettings extends GreenApiSettingsUpdate {
	wid?: string;
	countryInstance?: string;
	typeAccount?: string;
	[key: string]: unknown;
}

export interface WaSettings {
	avatar?: string;
	/** Business number, digits only. */
	phone?: string;
	stateInstance?: string;
	deviceId?: string;
}

export interface QrResult {
	/** 'qrCode' (message = base64 PNG), 'alreadyLogged', 'error' (message = text). */
	type: string;
	message: string;
}

const SETTING_KEYS: ReadonlyArray<keyof GreenApiSettingsUpdate> = [
	'webhookUrl',
	'webhookUrlToken',
	'delaySendMessagesMilliseconds',
	'markIncomingMessagesReaded',
	'markIncomingMessagesReadedOnReply',
	'outgoingWebhook',
	'outgoingMessageWebhook',
	'outgoingAPIMessageWebhook',
	'incomingWebhook',
	'stateWebhook',
	'pollMessageWebhook',
	'incomingCallWebhook',
	'editedMessageWebhook',
	'deletedMessageWebhook',
	'keepOnlineStatus',
	'incomingBlockWebhook',
];

/** The one URL builder: `{host}/waInstance{id}/{method}/{token}[?query]`. */
export function methodUrl(host: string, idInstance: string, method: string, token: string, query?: Record<string, string | number>): string {
	const base = host.trim().replace(/\/+$/, '');
	let url = `${base}/waInstance${encodeURIComponent(idInstance)}/${method}/${encodeURIComponent(token)}`;
	if (query) {
		const q = Object.keys(query)
			.map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(query[k]))}`)
			.join('&');
		if (q) url += `?${q}`;
	}
	return url;
}

export class GreenApiClient {
	private readonly timeoutMs: number;
	private readonly uploadTimeoutMs: number;

	constructor(
		private readonly http: HttpClient,
		private readonly instance: GreenApiCredentials,
		options: GreenApiClientOptions = {},
	) {
		this.timeoutMs = options.timeoutMs ?? 30000;
		this.uploadTimeoutMs = options.uploadTimeoutMs ?? 180000;
	}

	/** URL of a method on the API host, or on the media host for uploads. */
	url(method: string, query?: Record<string, string | number>, host: 'api' | 'media' = 'api'): string {
		const base = host === 'media' ? this.instance.mediaUrl || DEFAULT_MEDIA_URL : this.instance.apiUrl || DEFAULT_API_URL;
		return methodUrl(base, this.instance.id, method, this.instance.apiToken, query);
	}

	/**
	 * Texts over 20000 characters are split (see textSplit.ts) and sent in order; the result carries the
	 * id of the last part. The quote goes on the first part only. If a later part fails, the failure is
	 * made permanent: retrying would send the already-delivered parts again.
	 */
	async sendMessage(msg: OutboundText): Promise<SendResult> {
		if (!msg.text.trim()) return permanent('empty_text', 'empty text message');
		const parts = splitText(msg.text);
		let last: SendResult = { ok: false, retryable: false, reason: 'nothing sent' };
		for (let i = 0; i < parts.length; i++) {
			const body: Json = { chatId: msg.chatId, message: parts[i] };
			if (i === 0 && msg.quotedMessageId) body.quotedMessageId = msg.quotedMessageId;
			const r = await this.send({ method: 'POST', url: this.url('sendMessage'), json: body, timeoutMs: this.timeoutMs });
			if (!r.ok) return i === 0 ? r : { ...permanent('parts_failed', `sent ${i} of ${parts.length} parts, then: ${r.reason}`, { sent: i, total: parts.length }), status: r.status };
			last = r;
		}
		return last;
	}

	/** sendFileByUpload on the media host, multipart: chatId, fileName, caption?, quotedMessageId?, file. */
	async sendFileByUpload(msg: OutboundFile): Promise<SendResult> {
		if (msg.bytes.length > MAX_UPLOAD_BYTES) {
			return permanent('upload_too_large', `file too large for WhatsApp via GREEN-API (${msg.bytes.length} bytes, max 100 MB)`, { size: msg.bytes.length });
		}
		const parts: MultipartPart[] = [
			{ name: 'chatId', value: msg.chatId },
			{ name: 'fileName', value: msg.fileName },
		];
		if (msg.caption) parts.push({ name: 'caption', value: msg.caption });
		if (msg.quotedMessageId) parts.push({ name: 'quotedMessageId', value: msg.quotedMessageId });
		parts.push({ name: 'file', fileName: msg.fileName, contentType: msg.mimeType || 'application/octet-stream', data: msg.bytes });
		const mp = buildMultipart(parts);
		return this.send({
			method: 'POST',
			url: this.url('sendFileByUpload', undefined, 'media'),
			headers: { 'Content-Type': mp.contentType },
			body: mp.body,
			timeoutMs: this.uploadTimeoutMs,
		});
	}

	/** sendReaction: `reaction` '' takes the reaction back (WhatsApp's rule: one reaction per sender, empty = none). */
	sendReaction(msg: { chatId: string; messageId: string; emoji: string }): Promise<SendResult> {
		return this.send({ method: 'POST', url: this.url('sendReaction'), json: { chatId: msg.chatId, idMessage: msg.messageId, reaction: msg.emoji }, timeoutMs: this.timeoutMs });
	}

	/**
	 * editMessage: text of a message this instance sent through the API, within WhatsApp's 15 minutes
	 * (later edits still answer 200 and fail on the phone, so the caller checks the window first).
	 */
	editMessage(msg: { chatId: string; messageId: string; text: string }): Promise<SendResult> {
		if (!msg.text.trim()) return Promise.resolve(permanent('empty_text', 'empty text message'));
		return this.send({ method: 'POST', url: this.url('editMessage'), json: { chatId: msg.chatId, idMessage: msg.messageId, message: msg.text }, timeoutMs: this.timeoutMs }, msg.messageId);
	}

	/** deleteMessage: deleted for everyone; the answer body is empty. */
	deleteMessage(msg: { chatId: string; messageId: string }): Promise<SendResult> {
		return this.send({ method: 'POST', url: this.url('deleteMessage'), json: { chatId: msg.chatId, idMessage: msg.messageId }, timeoutMs: this.timeoutMs }, msg.messageId);
	}

	/** readChat: the chat's messages up to `messageId` read (the customer sees blue ticks). */
	readChat(msg: { chatId: string; messageId?: string }): Promise<ApiResult<boolean>> {
		const body: Json = { chatId: msg.chatId };
		if (msg.messageId) body.idMessage = msg.messageId;
		return this.call({ method: 'POST', url: this.url('readChat'), json: body }, 'readChat', (j) => {
			const v = obj(j)?.setRead;
			return typeof v === 'boolean' ? v : undefined;
		});
	}

	/** checkWhatsapp: does this phone number (digits) have a WhatsApp account? */
	checkWhatsapp(phoneDigits: string): Promise<ApiResult<boolean>> {
		return this.call({ method: 'POST', url: this.url('checkWhatsapp'), json: { phoneNumber: Number(phoneDigits) } }, 'checkWhatsapp', (j) => {
			const v = obj(j)?.existsWhatsapp;
			return typeof v === 'boolean' ? v : undefined;
		});
	}

	/** `{"stateInstance": null}` while the instance is still being created: reported as 'starting'. */
	getStateInstance(): Promise<ApiResult<string>> {
		return this.call({ method: 'GET', url: this.url('getStateInstance') }, 'getStateInstance', (j) => {
			const o = obj(j);
			if (!o || !('stateInstance' in o)) return undefined;
			return o.stateInstance === null ? 'starting' : nonEmpty(o.stateInstance);
		});
	}

	/** Raw journal entries; parse with parseJournal(). */
	lastIncomingMessages(minutes: number): Promise<ApiResult<unknown[]>> {
		const m = Math.max(1, Math.ceil(Number.isFinite(minutes) ? minutes : 1440));
		return this.call({ method: 'GET', url: this.url('lastIncomingMessages', { minutes: m }) }, 'lastIncomingMessages', (j) =>
			Array.isArray(j) ? j : undefined,
		);
	}

	/** Raw outgoing journal entries (with `statusMessage`); parse with parseOutgoingJournal(). */
	lastOutgoingMessages(minutes: number): Promise<ApiResult<unknown[]>> {
		const m = Math.max(1, Math.ceil(Number.isFinite(minutes) ? minutes : 1440));
		return this.call({ method: 'GET', url: this.url('lastOutgoingMessages', { minutes: m }) }, 'lastOutgoingMessages', (j) =>
			Array.isArray(j) ? j : undefined,
		);
	}

	getWaSettings(): Promise<ApiResult<WaSettings>> {
		return this.call({ method: 'GET', url: this.url('getWaSettings') }, 'getWaSettings', (j) => {
			const o = obj(j);
			if (!o) return undefined;
			const out: WaSettings = {};
			for (const k of ['avatar', 'phone', 'stateInstance', 'deviceId'] as const) {
				const v = typeof o[k] === 'number' ? String(o[k]) : str(o[k]);
				if (v !== undefined) out[k] = v;
			}
			return out;
		});
	}

	getSettings(): Promise<ApiResult<GreenApiSettings>> {
		return this.call({ method: 'GET', url: this.url('getSettings') }, 'getSettings', (j) => obj(j) as GreenApiSettings | undefined);
	}

	/** Any subset; GREEN-API reboots the instance to apply it (up to ~5 min). Resolves to `saveSettings`. */
	async setSettings(update: GreenApiSettingsUpdate): Promise<ApiResult<boolean>> {
		const body: Json = {};
		for (const k of SETTING_KEYS) if (update[k] !== undefined) body[k] = update[k];
		const delay = update.delaySendMessagesMilliseconds;
		if (delay !== undefined && !(Number.isInteger(delay) && delay >= 500 && delay <= 600000)) {
			return permanent('invalid_delay', 'delaySendMessagesMilliseconds must be an integer from 500 to 600000');
		}
		if (!Object.keys(body).length) return permanent('no_settings', 'no settings to change');
		return this.call({ method: 'POST', url: this.url('setSettings'), json: body }, 'setSettings', (j) => {
			const v = obj(j)?.saveSettings;
			return typeof v === 'boolean' ? v : undefined;
		}, [update.webhookUrlToken]);
	}

	qr(): Promise<ApiResult<QrResult>> {
		return this.call({ method: 'GET', url: this.url('qr') }, 'qr', (j) => {
			const o = obj(j);
			const type = nonEmpty(o?.type);
			return o && type ? { type, message: str(o.message) ?? '' } : undefined;
		});
	}

	reboot(): Promise<ApiResult<boolean>> {
		return this.call({ method: 'GET', url: this.url('reboot') }, 'reboot', (j) => {
			const v = obj(j)?.isReboot;
			return typeof v === 'boolean' ? v : undefined;
		});
	}

	private get secrets(): string[] {
		return [this.instance.apiToken];
	}

	/** `sameId`: methods acting on an existing message (edit, delete) answer without a new idMessage. */
	private async send(req: HttpRequest, sameId?: string): Promise<SendResult> {
		let res: HttpResponse;
		try {
			res = await this.http.request(req);
		} catch (e) {
			return classifyTransportError(e, this.secrets);
		}
		if (sameId && res.status >= 200 && res.status < 300) return { ok: true, messageId: nonEmpty(obj(responseJson(res))?.idMessage) ?? sameId };
		return classifySendResponse(res, this.secrets);
	}

	private async call<T>(req: HttpRequest, what: string, parse: (json: unknown) => T | undefined, extraSecrets: Array<string | undefined> = []): Promise<ApiResult<T>> {
		const secrets = [...this.secrets, ...extraSecrets];
		let res: HttpResponse;
		try {
			res = await this.http.request({ timeoutMs: this.timeoutMs, ...req });
		} catch (e) {
			return apiFailure(classifyTransportError(e, secrets));
		}
		if (res.status < 200 || res.status >= 300) return apiFailure(classifyHttpFailure(res, secrets));
		const data = parse(responseJson(res));
		if (data === undefined) return { ...permanent('unexpected_answer', `unexpected ${what} response from GREEN-API`, { method: what }), status: res.status };
		return { ok: true, data };
	}
}

function apiFailure(f: SendFailure): ApiResult<never> {
	const out: ApiResult<never> = { ok: false, retryable: f.retryable, reason: f.reason, code: f.code, params: f.params };
	if (f.status !== undefined) out.status = f.status;
	return out;
}

/** GET a webhook `downloadUrl` as bytes (see shared/download.ts); a `{{SWE002}}` marker was never fetched. */
export async function downloadMedia(http: HttpClient, url: string, maxBytes: number, timeoutMs = 120000): Promise<DownloadResult> {
	if (!url || !/^https?:\/\//i.test(url)) return permanent('media_invalid_url', 'invalid media URL');
	if (url.includes('{{SWE002}}')) return permanent('media_not_fetched', 'file too large: GREEN-API did not fetch it');
	return fetchMedia(http, url, { maxBytes, timeoutMs });
}
