// Fake GREEN-API server for integration tests (Node built-ins only), on the shared FakeProviderServer.
//
// Three HTTP servers on 127.0.0.1, each on its own random port (the real API uses distinct hosts):
//   apiUrl   — `{apiUrl}/waInstance{id}/{method}/{token}` for every non-media method
//   mediaUrl — `{mediaUrl}/waInstance{id}/{sendFileByUpload|uploadFile}/{token}` only
//   filesUrl — `{filesUrl}/files/<name>`: files registered with serveFile()/serveMissing()/serveSlow()
//              and the files uploaded through sendFileByUpload/uploadFile (their `urlFile`)
// Media methods on the api host and api methods on the media host answer 404.
//
// Request pipeline (API and media hosts):
//   record → route shape / method exists on this host (404) → HTTP verb (405) → idInstance (403)
//   → token (401) → rate limit (429) → injected failure → body validation (400) → instance state (400)
//   → handler.
// Every request is appended to `requests` before anything else, with the answered status filled in later.

import * as http from 'http';
import { randomBytes } from 'crypto';
import { FakeProviderServer, FailureMode as BaseFailureMode, FailureSpec, Failure, isObject, mimeOf, ok, RecordedRequestBase, Reply, Route } from './FakeProviderServer';
import { MultipartError, MultipartPart, multipartBoundary, parseMultipart } from './multipart';

export type { MultipartPart, BuildPart } from './multipart';
export { parseMultipart, buildMultipart, MultipartError } from './multipart';
export type { Failure, FailureSpec, FileDownload, ServeOptions } from './FakeProviderServer';

// ───────────────────────────── public types ─────────────────────────────

export type Host = 'api' | 'media';

export interface RecordedRequest extends RecordedRequestBase {
	host: Host;
	/** From the path (`waInstance{idInstance}`), even when unknown; '' if the path has no such segment. */
	idInstance: string;
	/** Method segment of the path ('' when absent). */
	method: string;
	/** Token segment of the path ('' when absent). */
	token: string;
	/** Path segments after the token (deleteNotification's receiptId). */
	extra: string[];
}

export interface SentFile {
	/** Exact uploaded bytes (sendFileByUpload; sendFileByUrl when fetchUrlFiles is on and the fetch worked). */
	bytes?: Buffer;
	size?: number;
	/** Part Content-Type (upload) or response Content-Type (fetched URL). */
	mimeType?: string;
	/** `filename` parameter of the multipart file part. */
	partFileName?: string;
	/** sendFileByUrl with fetchUrlFiles: why the fetch failed. */
	fetchError?: string;
}

export interface SentMessage {
	idInstance: string;
	method: 'sendMessage' | 'sendFileByUrl' | 'sendFileByUpload' | 'sendLocation' | 'sendContact' | 'forwardMessages' | 'sendInteractiveButtonsReply';
	chatId: string;
	idMessage: string;
	/** sendMessage text. */
	text?: string;
	quotedMessageId?: string;
	caption?: string;
	/** Effective file name (`fileName` field, else the file part's filename). */
	fileName?: string;
	/** sendFileByUrl: the URL given; sendFileByUpload: the URL answered. */
	urlFile?: string;
	file?: SentFile;
	/** Whole JSON body (JSON methods) or the multipart fields as strings (upload). */
	fields: Record<string, unknown>;
	at: number;
	/** `seq` of the RecordedRequest. */
	requestSeq: number;
}

/** An entry of lastIncomingMessages / lastOutgoingMessages; `timestamp` is in Unix seconds. */
export type JournalEntry = Record<string, unknown> & {
	type?: 'incoming' | 'outgoing';
	idMessage?: string;
	timestamp?: number;
	typeMessage?: string;
	chatId?: string;
};

export type FailureMode = BaseFailureMode<RecordedRequest>;

export interface AddInstanceOptions {
	idInstance: string;
	apiTokenInstance: string;
	/** Business number `digits@c.us`; default derived from idInstance. */
	wid?: string;
	/** Default 'authorized'. null = still being created (getStateInstance answers null). */
	state?: string | null;
	/** The beta interactive buttons are on for this instance (default off: the methods answer 403, as GREEN-API answers methods not offered). */
	interactiveButtons?: boolean;
}

/** Ready-made failures matching what the real API answers. */
export const GreenApiFailures = {
	serverError: { status: 500, body: 'Internal Server Error' } as FailureSpec,
	badGateway: { status: 502, body: 'Bad Gateway' } as FailureSpec,
	clientClosed: { status: 499, body: 'Client Closed Request' } as FailureSpec,
	tooManyRequests: (retryAfterSec = 1): FailureSpec => ({ status: 429, body: 'Too Many Requests', retryAfterSec }),
	starting: { status: 400, body: 'instance in starting process try later' } as FailureSpec,
	notAuthorized: { status: 400, body: 'instance account not authorized' } as FailureSpec,
	quotaExceeded: (method = 'sendMessage'): FailureSpec => ({
		status: 466,
		body: {
			invokeStatus: {
				method,
				used: 3,
				total: 3,
				status: 'QUOTE_ALLOWED',
				description: 'Monthly quota has been exceeded. You can only send messages to 3 correspondents per month.',
			},
			correspondentsStatus: {
				used: 3,
				total: 3,
				status: 'CORRESPONDENTS_QUOTE_EXCEEDED',
				description: 'Monthly quota of correspondents has been exceeded.',
			},
		},
	}),
};

// ───────────────────────────── constants ─────────────────────────────

/** 1×1 PNG, used as the QR image. */
const QR_PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

export const SEND_METHODS: ReadonlySet<string> = new Set([
	'sendMessage',
	'sendFileByUrl',
	'sendFileByUpload',
	'sendLocation',
	'sendContact',
	'sendPoll',
	'forwardMessages',
	'sendInteractiveButtonsReply',
]);

/** Per-instance, per-method, per-second limits listed in the reference (§10); enable with useRealRateLimits(). */
export const REAL_RATE_LIMITS: Readonly<Record<string, number>> = {
	sendMessage: 50,
	sendFileByUrl: 50,
	sendFileByUpload: 50,
	sendLocation: 50,
	sendContact: 50,
	forwardMessages: 50,
	receiveNotification: 100,
	deleteNotification: 100,
	downloadFile: 5,
	lastIncomingMessages: 1,
	lastOutgoingMessages: 1,
	readChat: 10,
	editMessage: 1,
	deleteMessage: 10,
	checkWhatsapp: 10,
	getSettings: 1,
	setSettings: 1,
	getStateInstance: 1,
	reboot: 1,
	logout: 1,
	qr: 3,
};

const FLAG_SETTINGS = [
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
	'deviceWebhook',
	'statusInstanceWebhook',
	'enableMessagesHistory',
] as const;
/** Accepted by setSettings but ignored (read-only / deprecated). */
const READ_ONLY_SETTINGS = new Set(['wid', 'countryInstance', 'typeAccount', 'sharedSession', 'statusInstanceChangedWebhook']);

const CHAT_ID_RE = /^(\d+@c\.us|\d+(-\d+)?@g\.us|\d+@lid)$/;
const MAX_MESSAGE_LENGTH = 20000;
// ───────────────────────────── internals ─────────────────────────────

type Verb = 'GET' | 'POST' | 'DELETE';
type BodyKind = 'json' | 'multipart' | 'raw' | 'none';
interface InstanceState {
	idInstance: string;
	token: string;
	wid: string;
	state: string | null;
	settings: Record<string, string | number>;
	incoming: JournalEntry[];
	outgoing: JournalEntry[];
	notifications: Array<{ receiptId: number; body: unknown }>;
	deviceId: string;
	interactiveButtons: boolean;
}

interface Ctx {
	inst: InstanceState;
	rec: RecordedRequest;
	json: Record<string, unknown>;
	parts: MultipartPart[];
}

interface MethodDef {
	verb: Verb;
	host: Host;
	body: BodyKind;
	/** Allowed while the instance is 'starting'. */
	whileStarting?: boolean;
	/** Refused (400 not authorized) while notAuthorized/blocked (when rejectSendsWhenNotAuthorized). */
	needsAuthorized?: boolean;
	/** Path takes one extra segment after the token. */
	extraSegment?: boolean;
	handler: (ctx: Ctx) => Reply | Promise<Reply>;
}

class BadRequest extends Error {}

function extFromMime(mime: string): string {
	const map: Record<string, string> = {
		'image/jpeg': 'jpg',
		'image/png': 'png',
		'image/gif': 'gif',
		'image/webp': 'webp',
		'video/mp4': 'mp4',
		'audio/ogg': 'ogg',
		'audio/mpeg': 'mp3',
		'application/pdf': 'pdf',
		'text/plain': 'txt',
	};
	return map[mimeOf(mime)] ?? 'bin';
}

function typeMessageForFile(fileName: string): string {
	const ext = (fileName.split('.').pop() ?? '').toLowerCase();
	if (['jpg', 'jpeg', 'png', 'gif', 'webp', 'bmp'].includes(ext)) return 'imageMessage';
	if (['mp4', 'mov', 'avi', '3gp', 'mkv'].includes(ext)) return 'videoMessage';
	if (['ogg', 'mp3', 'oga', 'opus', 'wav', 'm4a', 'aac'].includes(ext)) return 'audioMessage';
	return 'documentMessage';
}

function reqString(obj: Record<string, unknown>, key: string): string {
	const v = obj[key];
	if (v === undefined || v === null) throw new BadRequest(`${key} is required`);
	if (typeof v !== 'string') throw new BadRequest(`${key} must be a string`);
	if (v.trim() === '') throw new BadRequest(`${key} must not be empty`);
	return v;
}

function optString(obj: Record<string, unknown>, key: string, allowEmpty = true): string | undefined {
	const v = obj[key];
	if (v === undefined) return undefined;
	if (typeof v !== 'string') throw new BadRequest(`${key} must be a string`);
	if (!allowEmpty && v === '') throw new BadRequest(`${key} must not be empty`);
	return v;
}

function chatIdOf(obj: Record<string, unknown>, key = 'chatId'): string {
	const v = reqString(obj, key);
	if (!CHAT_ID_RE.test(v)) throw new BadRequest(`${key} is invalid: expected <digits>@c.us, <digits>[-<digits>]@g.us or <digits>@lid`);
	return v;
}

function quotedOf(obj: Record<string, unknown>): string | undefined {
	return optString(obj, 'quotedMessageId', false);
}

function isHttpUrl(s: string): boolean {
	try {
		const u = new URL(s);
		return u.protocol === 'http:' || u.protocol === 'https:';
	} catch {
		return false;
	}
}

// ───────────────────────────── the fake ─────────────────────────────

export class FakeGreenApi extends FakeProviderServer<RecordedRequest> {
	/** Base URL for every non-media method, no trailing slash. */
	apiUrl = '';
	/** Base URL for sendFileByUpload / uploadFile, no trailing slash. */
	mediaUrl = '';

	/** Accepted sends per idInstance, in arrival order (filled for every added instance). */
	readonly sent: Record<string, SentMessage[]> = {};

	/** Limit for SEND_METHODS, per instance, per method, per sliding second. */
	sendsPerSecondLimit = 50;
	/** Per-method overrides (any method). E.g. `fake.rateLimits.lastIncomingMessages = 1`. */
	rateLimits: Record<string, number> = {};
	/** Highest number of send attempts (incl. 429'd ones) seen for one instance+method within any 1000 ms. */
	maxObservedSendRatePerSecond = 0;
	/** sendMessage & co. answer 400 'instance account not authorized' while notAuthorized/blocked. */
	rejectSendsWhenNotAuthorized = true;
	/** sendFileByUrl downloads `urlFile` (recorded in sent[].file) before answering. */
	fetchUrlFiles = false;
	/** Upload size limit (bytes) for sendFileByUpload/uploadFile; larger bodies get 500. */
	maxUploadBytes = 100 * 1024 * 1024;
	/** When > 0, `reboot` puts the instance in 'starting' for this long. */
	rebootStartingMs = 0;
	/** Clock used for journals and default journal timestamps (ms). */
	clock: () => number = () => Date.now();
	/** Phone numbers (digits) checkWhatsapp answers `existsWhatsapp: false` for; every other valid number has WhatsApp. */
	readonly numbersWithoutWhatsapp = new Set<string>();

	protected readonly label = 'FakeGreenApi';
	private instances = new Map<string, InstanceState>();
	private usedIds = new Set<string>();
	private receiptSeq = 0;
	private readonly methods: Record<string, MethodDef>;

	private constructor() {
		super();
		this.defaultFailure = GreenApiFailures.serverError;
		this.statusTexts[466] = 'Quota exceeded';
		this.methods = this.buildMethods();
	}

	static async start(): Promise<FakeGreenApi> {
		const fake = new FakeGreenApi();
		const api = await fake.listen((req, res) => fake.handle('api', fake.incoming('api'), req, res));
		const media = await fake.listen((req, res) => fake.handle('media', fake.incoming('media'), req, res));
		await fake.listenFiles();
		fake.apiUrl = `http://127.0.0.1:${api}`;
		fake.mediaUrl = `http://127.0.0.1:${media}`;
		return fake;
	}

	// ───────── instances ─────────

	addInstance(opts: AddInstanceOptions): void {
		const id = opts.idInstance;
		this.instances.set(id, {
			idInstance: id,
			token: opts.apiTokenInstance,
			wid: opts.wid ?? `7${id.replace(/\D/g, '').padStart(10, '0').slice(-10)}@c.us`,
			state: opts.state === undefined ? 'authorized' : opts.state,
			settings: FakeGreenApi.defaultSettings(),
			incoming: [],
			outgoing: [],
			notifications: [],
			deviceId: randomBytes(8).toString('hex'),
			interactiveButtons: opts.interactiveButtons ?? false,
		});
		if (!this.sent[id]) this.sent[id] = [];
	}

	/** Switches the beta interactive buttons on or off for an instance. */
	setInteractiveButtons(idInstance: string, on: boolean): void {
		this.inst(idInstance).interactiveButtons = on;
	}

	removeInstance(idInstance: string): void {
		this.instances.delete(idInstance);
	}

	setState(idInstance: string, state: string | null): void {
		this.inst(idInstance).state = state;
	}

	getState(idInstance: string): string | null {
		return this.inst(idInstance).state;
	}

	/** Rotates the token (the old one then answers 401). */
	setToken(idInstance: string, apiTokenInstance: string): void {
		this.inst(idInstance).token = apiTokenInstance;
	}

	/** Current settings (what setSettings stored, over the defaults). */
	webhookSettings(idInstance: string): Record<string, string | number> {
		return { ...this.inst(idInstance).settings };
	}

	/** All accepted sends across instances, in arrival order. */
	allSent(): SentMessage[] {
		return Object.values(this.sent)
			.flat()
			.sort((a, b) => a.requestSeq - b.requestSeq);
	}

	/** Requests filtered by method (and instance). */
	requestsFor(method: string, idInstance?: string): RecordedRequest[] {
		return this.requests.filter((r) => r.method === method && (idInstance === undefined || r.idInstance === idInstance));
	}

	// ───────── journals & notification queue ─────────

	/** Seeds lastIncomingMessages. Missing fields get defaults (type 'incoming', idMessage, timestamp = now in s, typeMessage 'textMessage'). */
	addJournalEntry(idInstance: string, entry: JournalEntry): JournalEntry {
		const full = this.fillEntry(entry, 'incoming');
		this.inst(idInstance).incoming.push(full);
		return full;
	}

	/** Seeds lastOutgoingMessages (sends are added automatically too). */
	addOutgoingJournalEntry(idInstance: string, entry: JournalEntry): JournalEntry {
		const full = this.fillEntry(entry, 'outgoing');
		this.inst(idInstance).outgoing.push(full);
		return full;
	}

	/** Queues a notification for receiveNotification polling; returns its receiptId. */
	queueNotification(idInstance: string, body: unknown): number {
		const receiptId = ++this.receiptSeq;
		this.inst(idInstance).notifications.push({ receiptId, body });
		return receiptId;
	}

	pendingNotifications(idInstance: string): number {
		return this.inst(idInstance).notifications.length;
	}

	// ───────── rate limits ─────────

	/** Applies the reference's per-method limits (journals 1/s, settings 1/s, …) on top of the send limit. */
	useRealRateLimits(): void {
		for (const [m, n] of Object.entries(REAL_RATE_LIMITS)) if (!SEND_METHODS.has(m)) this.rateLimits[m] = n;
	}

	rateLimitFor(method: string): number {
		if (this.rateLimits[method] !== undefined) return this.rateLimits[method];
		return SEND_METHODS.has(method) ? this.sendsPerSecondLimit : Infinity;
	}

	/** Highest attempts-per-1000ms seen for one instance+method (any method; all instances when idInstance omitted). */
	maxObservedRate(method: string, idInstance?: string): number {
		return super.maxObservedRate(method, idInstance);
	}

	// ───────── failure injection ─────────

	/** The next `count` requests to `method` ('*' = any) fail as described. */
	failNext(method: string, count: number, failure: Failure, opts: { idInstance?: string } = {}): void {
		this.addFailRule(method, count, failure, opts.idInstance);
	}

	// ───────── hidden numbers (`@lid`) ─────────

	/** Customers WhatsApp also names by a hidden-number alias: `…@c.us` ↔ `…@lid`. */
	private readonly lids = new Map<string, string>();

	/**
	 * A customer's hidden-number alias (reference §15: chats may be `…@lid` instead of `…@c.us`, and
	 * different methods may return either form for one person). Sends to either id reach them.
	 */
	hideNumber(phoneChatId: string, lidChatId: string): void {
		if (!/^\d+@c\.us$/.test(phoneChatId) || !/^\d+@lid$/.test(lidChatId)) throw new Error(`fake: hideNumber(${phoneChatId}, ${lidChatId}): not a @c.us and a @lid id`);
		this.lids.set(phoneChatId, lidChatId);
		this.lids.set(lidChatId, phoneChatId);
	}

	/** The same person's other id (`@lid` ↔ `@c.us`), when known. */
	otherIdOf(chatId: string): string | undefined {
		return this.lids.get(chatId);
	}

	/**
	 * `senderData` ids of a private chat as GREEN-API writes them for a customer with an alias:
	 * `c.us` — the phone-based id only; `lid` — the chat is the alias and the sender the phone id (with
	 * `senderPhoneNumber`); `lid-only` — the alias alone (the number is hidden).
	 */
	senderIds(phoneChatId: string, form: 'c.us' | 'lid' | 'lid-only'): { chatId: string; sender: string; senderPhoneNumber?: number } {
		const lid = this.lids.get(phoneChatId);
		if (form === 'c.us' || !lid) return { chatId: phoneChatId, sender: phoneChatId };
		if (form === 'lid-only') return { chatId: lid, sender: lid };
		return { chatId: lid, sender: phoneChatId, senderPhoneNumber: Number(phoneChatId.replace(/@c\.us$/, '')) };
	}

	/** Accepted sends to a person under either of their ids. */
	sentToPerson(idInstance: string, chatId: string): SentMessage[] {
		const ids = [chatId, this.lids.get(chatId)].filter(Boolean);
		return (this.sent[idInstance] || []).filter((m) => ids.includes(m.chatId));
	}

	// ───────── waiting & reset ─────────

	/** Waits until `idInstance` has at least `n` accepted sends; returns them. */
	async waitForSent(idInstance: string, n: number, timeoutMs = 20_000): Promise<SentMessage[]> {
		await this.waitFor(() => (this.sent[idInstance]?.length ?? 0) >= n, timeoutMs, `${n} sends on ${idInstance}`);
		return this.sent[idInstance];
	}

	/** Waits until `n` answered requests to `method` exist; returns them. */
	async waitForRequests(method: string, n: number, timeoutMs = 20_000): Promise<RecordedRequest[]> {
		const answered = (): RecordedRequest[] => this.requestsFor(method).filter((r) => r.outcome !== undefined);
		await this.waitFor(() => answered().length >= n, timeoutMs, `${n} ${method} requests`);
		return answered();
	}

	/** Forgets requests, sends, downloads, journals, failures and rate windows; keeps instances (settings reset to defaults) and files. */
	reset(): void {
		this.resetRecords();
		for (const k of Object.keys(this.sent)) this.sent[k] = [];
		for (const i of this.instances.values()) {
			i.incoming = [];
			i.outgoing = [];
			i.notifications = [];
			i.settings = FakeGreenApi.defaultSettings();
		}
		this.maxObservedSendRatePerSecond = 0;
	}

	static defaultSettings(): Record<string, string | number> {
		const s: Record<string, string | number> = {
			webhookUrl: '',
			webhookUrlToken: '',
			delaySendMessagesMilliseconds: 5000,
		};
		for (const f of FLAG_SETTINGS) s[f] = 'no';
		return s;
	}

	// ───────────────────────────── plumbing ─────────────────────────────

	protected instanceOf(rec: RecordedRequest): string {
		return rec.idInstance;
	}

	protected observedRate(_instance: string, method: string, observed: number): void {
		if (SEND_METHODS.has(method) && observed > this.maxObservedSendRatePerSecond) this.maxObservedSendRatePerSecond = observed;
	}

	private inst(idInstance: string): InstanceState {
		const i = this.instances.get(idInstance);
		if (!i) throw new Error(`FakeGreenApi: unknown instance ${idInstance}`);
		return i;
	}

	private newIdMessage(): string {
		for (;;) {
			const id = 'BAE5' + randomBytes(6).toString('hex').toUpperCase();
			if (!this.usedIds.has(id)) {
				this.usedIds.add(id);
				return id;
			}
		}
	}

	private fillEntry(entry: JournalEntry, type: 'incoming' | 'outgoing'): JournalEntry {
		return {
			type,
			idMessage: this.newIdMessage(),
			timestamp: Math.floor(this.clock() / 1000),
			typeMessage: 'textMessage',
			...entry,
		};
	}

	// ───────────────────────────── API / media hosts ─────────────────────────────

	/** `waInstance{id}/{method}/{token}[/extra]`: route (404) → verb (405) → instance (403) → token (401) → rate → body → state → handler. */
	private incoming(host: Host) {
		return {
			bodyLimit: (url: URL): number => {
				const def0 = this.methods[url.pathname.split('/')[2] ?? ''];
				return def0 && (def0.body === 'multipart' || def0.body === 'raw') ? this.maxUploadBytes : 20 * 1024 * 1024;
			},
			record: (url: URL, base: RecordedRequestBase): RecordedRequest => {
				const segs = url.pathname.split('/').slice(1);
				const idMatch = /^waInstance(.*)$/.exec(segs[0] ?? '');
				return {
					...base,
					host,
					idInstance: idMatch ? decodeURIComponent(idMatch[1]) : '',
					method: idMatch ? segs[1] ?? '' : '',
					token: idMatch ? segs[2] ?? '' : '',
					extra: idMatch ? segs.slice(3) : [],
				};
			},
			route: (rec: RecordedRequest, truncated: boolean): Reply | Route => {
				const def = rec.path.startsWith('/waInstance') ? this.methods[rec.method] : undefined;
				if (!def || def.host !== host || rec.token === '' || rec.extra.length !== (def.extraSegment ? 1 : 0) || rec.extra.some((s) => s === '')) {
					return { status: 404, text: 'Not Found' };
				}
				if (rec.httpMethod !== def.verb) return { status: 405, text: 'Method Not Allowed', headers: { Allow: def.verb } };
				const inst = this.instances.get(rec.idInstance);
				if (!inst) return { status: 403, text: 'Forbidden' };
				if (inst.token !== rec.token) return { status: 401, text: 'Unauthorized' };
				return {
					rate: { instance: inst.idInstance, method: rec.method, limit: this.rateLimitFor(rec.method), reply: { status: 429, text: 'Too Many Requests', headers: { 'Retry-After': '1' } } },
					handle: async (): Promise<Reply> => {
						if (truncated) return { status: 500, text: `file exceeded max upload size (${this.maxUploadBytes} bytes)` };
						try {
							const ctx = this.validateBody(def, rec, inst);
							return this.stateGate(def, inst) ?? (await def.handler(ctx));
						} catch (e) {
							if (e instanceof BadRequest) return { status: 400, text: e.message };
							throw e;
						}
					},
				};
			},
		};
	}

	private validateBody(def: MethodDef, rec: RecordedRequest, inst: InstanceState): Ctx {
		const ctx: Ctx = { inst, rec, json: {}, parts: [] };
		const ct = rec.headers['content-type'];
		if (def.body === 'json') {
			if (mimeOf(ct) !== 'application/json') throw new BadRequest(`Content-Type must be application/json (got ${ct ?? 'none'})`);
			if (rec.rawBody.length === 0) throw new BadRequest('request body is empty: a JSON object is required');
			let parsed: unknown;
			try {
				parsed = JSON.parse(rec.rawBody.toString('utf8'));
			} catch (e) {
				throw new BadRequest(`request body is not valid JSON: ${(e as Error).message}`);
			}
			if (!isObject(parsed)) throw new BadRequest('request body must be a JSON object');
			ctx.json = parsed;
		} else if (def.body === 'multipart') {
			if (multipartBoundary(ct) === undefined) throw new BadRequest(`Content-Type must be multipart/form-data with a boundary (got ${ct ?? 'none'})`);
			try {
				ctx.parts = parseMultipart(rec.rawBody, ct);
			} catch (e) {
				if (e instanceof MultipartError) throw new BadRequest(`invalid multipart body: ${e.message}`);
				throw e;
			}
		}
		return ctx;
	}

	private stateGate(def: MethodDef, inst: InstanceState): Reply | undefined {
		if (inst.state === 'starting' && !def.whileStarting) return { status: 400, text: 'instance in starting process try later' };
		if (def.needsAuthorized && this.rejectSendsWhenNotAuthorized && (inst.state === 'notAuthorized' || inst.state === 'blocked' || inst.state === null)) {
			return { status: 400, text: 'instance account not authorized' };
		}
		return undefined;
	}

	// ───────────────────────────── methods ─────────────────────────────

	private recordSend(ctx: Ctx, m: Omit<SentMessage, 'idInstance' | 'idMessage' | 'at' | 'requestSeq'>, journal: JournalEntry): SentMessage {
		const sentMsg: SentMessage = {
			...m,
			idInstance: ctx.inst.idInstance,
			idMessage: this.newIdMessage(),
			at: ctx.rec.at,
			requestSeq: ctx.rec.seq,
		};
		this.sent[ctx.inst.idInstance].push(sentMsg);
		ctx.inst.outgoing.push({
			type: 'outgoing',
			idMessage: sentMsg.idMessage,
			timestamp: Math.floor(this.clock() / 1000),
			chatId: m.chatId,
			statusMessage: 'sent',
			sendByApi: true,
			...journal,
		});
		return sentMsg;
	}

	private storeUpload(bytes: Buffer, mimeType: string, fileName: string): string {
		const safe = fileName.replace(/[^\w.\-]+/g, '_') || 'file';
		const name = `${randomBytes(8).toString('hex')}-${safe}`;
		this.files.set(name, { bytes, mimeType, opts: {} });
		return this.fileUrl(name);
	}

	private async fetchUrl(url: string): Promise<SentFile> {
		return new Promise<SentFile>((resolve) => {
			let settled = false;
			const finish = (f: SentFile): void => {
				if (settled) return;
				settled = true;
				resolve(f);
			};
			try {
				const req = http.get(url, { agent: false, timeout: 10000 }, (res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						const bytes = Buffer.concat(chunks);
						if ((res.statusCode ?? 0) >= 300) finish({ fetchError: `HTTP ${res.statusCode}` });
						else finish({ bytes, size: bytes.length, mimeType: res.headers['content-type'] });
					});
					res.on('error', (e) => finish({ fetchError: e.message }));
				});
				req.on('timeout', () => req.destroy(new Error('timeout')));
				req.on('error', (e) => finish({ fetchError: e.message }));
			} catch (e) {
				finish({ fetchError: (e as Error).message });
			}
		});
	}

	private buildMethods(): Record<string, MethodDef> {
		const send = (handler: MethodDef['handler'], extra: Partial<MethodDef> = {}): MethodDef => ({
			verb: 'POST',
			host: 'api',
			body: 'json',
			needsAuthorized: true,
			handler,
			...extra,
		});
		const get = (handler: MethodDef['handler'], extra: Partial<MethodDef> = {}): MethodDef => ({ verb: 'GET', host: 'api', body: 'none', handler, ...extra });
		const journal = (kind: 'incoming' | 'outgoing') =>
			get((ctx) => {
				const raw = ctx.rec.query.minutes;
				let minutes = 1440;
				if (raw !== undefined) {
					if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new BadRequest('minutes must be a positive integer');
					minutes = Number(raw);
				}
				const since = this.clock() / 1000 - minutes * 60;
				const list = kind === 'incoming' ? ctx.inst.incoming : ctx.inst.outgoing;
				return ok(
					list
						.filter((e) => (e.timestamp ?? 0) >= since)
						.sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))
						.map((e) => ({ ...e })),
				);
			});

		return {
			// ── sending ──
			sendMessage: send((ctx) => {
				const b = ctx.json;
				const chatId = chatIdOf(b);
				const message = b.message;
				if (message === undefined || message === null) throw new BadRequest('message is required');
				if (typeof message !== 'string') throw new BadRequest('message must be a string');
				if (message.trim() === '') throw new BadRequest('message must not be empty');
				if (message.length > MAX_MESSAGE_LENGTH) throw new BadRequest(`message must be at most ${MAX_MESSAGE_LENGTH} characters (got ${message.length})`);
				const quotedMessageId = quotedOf(b);
				if (b.linkPreview !== undefined && typeof b.linkPreview !== 'boolean') throw new BadRequest('linkPreview must be a boolean');
				if (b.typePreview !== undefined && b.typePreview !== 'large' && b.typePreview !== 'small') throw new BadRequest('typePreview must be "large" or "small"');
				if (b.customPreview !== undefined && !isObject(b.customPreview)) throw new BadRequest('customPreview must be an object');
				const s = this.recordSend(ctx, { method: 'sendMessage', chatId, text: message, quotedMessageId, fields: { ...b } }, { typeMessage: 'textMessage', textMessage: message });
				return ok({ idMessage: s.idMessage });
			}),
			sendFileByUrl: send(async (ctx) => {
				const b = ctx.json;
				const chatId = chatIdOf(b);
				const urlFile = reqString(b, 'urlFile');
				if (!isHttpUrl(urlFile)) throw new BadRequest('urlFile must be an http(s) URL');
				const fileName = reqString(b, 'fileName');
				const caption = optString(b, 'caption');
				const quotedMessageId = quotedOf(b);
				const file = this.fetchUrlFiles ? await this.fetchUrl(urlFile) : undefined;
				const s = this.recordSend(
					ctx,
					{ method: 'sendFileByUrl', chatId, urlFile, fileName, caption, quotedMessageId, file, fields: { ...b } },
					{ typeMessage: typeMessageForFile(fileName), downloadUrl: urlFile, fileName, caption: caption ?? '' },
				);
				return ok({ idMessage: s.idMessage });
			}),
			sendFileByUpload: send(
				(ctx) => {
					const fields: Record<string, string> = {};
					let filePart: MultipartPart | undefined;
					for (const p of ctx.parts) {
						if (p.name === 'file') {
							if (filePart) throw new BadRequest('only one file per call');
							filePart = p;
						} else fields[p.name] = p.value;
					}
					const chatId = chatIdOf(fields);
					if (!filePart) throw new BadRequest('file is required');
					if (filePart.filename === undefined) throw new BadRequest('file must be a file part (Content-Disposition filename=...)');
					if (filePart.data.length === 0) throw new BadRequest('file is empty');
					const fileName = fields.fileName !== undefined && fields.fileName !== '' ? fields.fileName : filePart.filename;
					if (!fileName) throw new BadRequest('fileName is required when the file part has no filename');
					const caption = fields.caption;
					const quotedMessageId = quotedOf(fields);
					const mimeType = filePart.contentType ?? 'application/octet-stream';
					const urlFile = this.storeUpload(filePart.data, mimeType, fileName);
					const s = this.recordSend(
						ctx,
						{
							method: 'sendFileByUpload',
							chatId,
							fileName,
							caption,
							quotedMessageId,
							urlFile,
							file: { bytes: filePart.data, size: filePart.data.length, mimeType: filePart.contentType, partFileName: filePart.filename },
							fields,
						},
						{ typeMessage: typeMessageForFile(fileName), downloadUrl: urlFile, fileName, caption: caption ?? '' },
					);
					return ok({ idMessage: s.idMessage, urlFile });
				},
				{ host: 'media', body: 'multipart' },
			),
			uploadFile: {
				verb: 'POST',
				host: 'media',
				body: 'raw',
				handler: (ctx) => {
					const bytes = ctx.rec.rawBody;
					const ct = ctx.rec.headers['content-type'];
					const gaName = ctx.rec.headers['ga-filename'];
					const gaFileName = Array.isArray(gaName) ? gaName[0] : gaName;
					if (!ct && !gaFileName) throw new BadRequest('Content-Type (file MIME type) or GA-Filename header is required');
					if (bytes.length === 0) throw new BadRequest('file is empty');
					const mimeType = ct ?? 'application/octet-stream';
					const name = gaFileName ?? `file.${extFromMime(mimeType)}`;
					return ok({ urlFile: this.storeUpload(Buffer.from(bytes), mimeType, name) });
				},
			},
			// Beta (reference §7, §13; green-api.com SendInteractiveButtonsReply): ≤ 3 reply buttons, button text ≤ 25
			// characters, body required; refused with 403 where the beta is not on for the instance.
			sendInteractiveButtonsReply: send((ctx) => {
				if (!ctx.inst.interactiveButtons) return { status: 403, text: 'Forbidden' };
				const b = ctx.json;
				const chatId = chatIdOf(b);
				const body = reqString(b, 'body');
				if (body.length > MAX_MESSAGE_LENGTH) throw new BadRequest(`body must be at most ${MAX_MESSAGE_LENGTH} characters`);
				optString(b, 'header');
				optString(b, 'footer');
				if (!Array.isArray(b.buttons) || b.buttons.length < 1 || b.buttons.length > 3) throw new BadRequest('buttons must be an array of 1 to 3 buttons');
				const ids = new Set<string>();
				for (const button of b.buttons as unknown[]) {
					if (!isObject(button)) throw new BadRequest('each button must be an object');
					const id = reqString(button, 'buttonId');
					const text = reqString(button, 'buttonText');
					if (Array.from(text).length > 25) throw new BadRequest('buttonText must be at most 25 characters');
					if (ids.has(id)) throw new BadRequest('buttonId must be unique');
					ids.add(id);
				}
				const s = this.recordSend(ctx, { method: 'sendInteractiveButtonsReply', chatId, text: body, fields: { ...b } }, { typeMessage: 'interactiveButtonsReply', interactiveButtons: { ...b } });
				return ok({ idMessage: s.idMessage });
			}),
			sendLocation: send((ctx) => {
				const b = ctx.json;
				const chatId = chatIdOf(b);
				if (typeof b.latitude !== 'number' || typeof b.longitude !== 'number') throw new BadRequest('latitude and longitude must be numbers');
				const quotedMessageId = quotedOf(b);
				const s = this.recordSend(ctx, { method: 'sendLocation', chatId, quotedMessageId, fields: { ...b } }, { typeMessage: 'locationMessage', location: { ...b } });
				return ok({ idMessage: s.idMessage });
			}),
			sendContact: send((ctx) => {
				const b = ctx.json;
				const chatId = chatIdOf(b);
				if (!isObject(b.contact) || typeof b.contact.phoneContact !== 'number') throw new BadRequest('contact.phoneContact must be a number');
				const quotedMessageId = quotedOf(b);
				const s = this.recordSend(ctx, { method: 'sendContact', chatId, quotedMessageId, fields: { ...b } }, { typeMessage: 'contactMessage', contact: b.contact });
				return ok({ idMessage: s.idMessage });
			}),
			forwardMessages: send((ctx) => {
				const b = ctx.json;
				const chatId = chatIdOf(b);
				chatIdOf(b, 'chatIdFrom');
				if (!Array.isArray(b.messages) || b.messages.length === 0 || !b.messages.every((m) => typeof m === 'string' && m !== '')) {
					throw new BadRequest('messages must be a non-empty array of message ids');
				}
				const ids = (b.messages as string[]).map(() => this.recordSend(ctx, { method: 'forwardMessages', chatId, fields: { ...b } }, { typeMessage: 'extendedTextMessage' }).idMessage);
				return ok({ messages: ids });
			}),
			readChat: send(
				(ctx) => {
					chatIdOf(ctx.json);
					optString(ctx.json, 'idMessage', false);
					return ok({ setRead: true });
				},
				{ needsAuthorized: false },
			),
			sendReaction: send((ctx) => {
				chatIdOf(ctx.json);
				reqString(ctx.json, 'idMessage');
				// WhatsApp takes a reaction back with an empty one.
				optString(ctx.json, 'reaction');
				if (ctx.json.reaction === undefined) throw new BadRequest('reaction is required');
				return ok({ idMessage: this.newIdMessage() });
			}),
			checkWhatsapp: send((ctx) => {
				const n = ctx.json.phoneNumber;
				if (n === undefined || n === null) throw new BadRequest('phoneNumber is required');
				if (typeof n !== 'number' || !Number.isInteger(n)) throw new BadRequest("Validation failed. Details: Wrong format. 'phoneNumber' must contain only digits");
				const digits = String(n);
				if (digits.length < 11 || digits.length > 16) throw new BadRequest('bad phone number, valid from 11 to 16 digits');
				return ok({ existsWhatsapp: !this.numbersWithoutWhatsapp.has(digits) });
			}),
			editMessage: send((ctx) => {
				chatIdOf(ctx.json);
				reqString(ctx.json, 'idMessage');
				const message = reqString(ctx.json, 'message');
				if (message.length > MAX_MESSAGE_LENGTH) throw new BadRequest(`message must be at most ${MAX_MESSAGE_LENGTH} characters`);
				return ok({ idMessage: ctx.json.idMessage });
			}),
			deleteMessage: send((ctx) => {
				chatIdOf(ctx.json);
				reqString(ctx.json, 'idMessage');
				if (ctx.json.onlySenderDelete !== undefined && typeof ctx.json.onlySenderDelete !== 'boolean') throw new BadRequest('onlySenderDelete must be a boolean');
				return { status: 200 };
			}),

			// ── settings & account ──
			getSettings: get((ctx) =>
				ok({ wid: ctx.inst.state === 'authorized' ? ctx.inst.wid : '', countryInstance: '', typeAccount: 'trial', ...ctx.inst.settings }),
			),
			setSettings: {
				verb: 'POST',
				host: 'api',
				body: 'json',
				handler: (ctx) => {
					const updates: Record<string, string | number> = {};
					for (const [k, v] of Object.entries(ctx.json)) {
						if (READ_ONLY_SETTINGS.has(k)) continue;
						if ((FLAG_SETTINGS as readonly string[]).includes(k)) {
							if (v !== 'yes' && v !== 'no') throw new BadRequest(`${k} must be "yes" or "no"`);
							updates[k] = v;
						} else if (k === 'webhookUrl') {
							if (typeof v !== 'string') throw new BadRequest('webhookUrl must be a string');
							if (v !== '' && !isHttpUrl(v)) throw new BadRequest('webhookUrl must be an http(s) URL or empty');
							updates[k] = v;
						} else if (k === 'webhookUrlToken') {
							if (typeof v !== 'string') throw new BadRequest('webhookUrlToken must be a string');
							updates[k] = v;
						} else if (k === 'delaySendMessagesMilliseconds') {
							if (typeof v !== 'number' || !Number.isInteger(v) || v < 500 || v > 600000) {
								throw new BadRequest('delaySendMessagesMilliseconds must be an integer 500..600000');
							}
							updates[k] = v;
						} else {
							throw new BadRequest(`unknown setting ${k}`);
						}
					}
					Object.assign(ctx.inst.settings, updates);
					return ok({ saveSettings: true });
				},
			},
			getWaSettings: get(
				(ctx) =>
					ok({
						avatar: '',
						phone: ctx.inst.state === 'authorized' ? ctx.inst.wid.replace(/@.*$/, '') : '',
						stateInstance: ctx.inst.state,
						deviceId: ctx.inst.deviceId,
					}),
				{ whileStarting: true },
			),
			getStateInstance: get((ctx) => ok({ stateInstance: ctx.inst.state }), { whileStarting: true }),
			qr: get(
				(ctx) => {
					const s = ctx.inst.state;
					if (s === 'authorized' || s === 'yellowCard' || s === 'sleepMode') return ok({ type: 'alreadyLogged', message: 'instance account already authorized' });
					if (s === 'notAuthorized') return ok({ type: 'qrCode', message: QR_PNG_BASE64 });
					return ok({ type: 'error', message: `instance is ${s ?? 'not ready'}` });
				},
				{ whileStarting: true },
			),
			reboot: get(
				(ctx) => {
					if (this.rebootStartingMs > 0) {
						const before = ctx.inst.state;
						ctx.inst.state = 'starting';
						this.sleep(this.rebootStartingMs).then(() => {
							if (ctx.inst.state === 'starting') ctx.inst.state = before;
						});
					}
					return ok({ isReboot: true });
				},
				{ whileStarting: true },
			),
			logout: get((ctx) => {
				ctx.inst.state = 'notAuthorized';
				return ok({ isLogout: true });
			}),
			updateApiToken: get((ctx) => {
				ctx.inst.token = randomBytes(25).toString('hex');
				return ok({ apiTokenInstance: ctx.inst.token });
			}),

			// ── journals ──
			lastIncomingMessages: journal('incoming'),
			lastOutgoingMessages: journal('outgoing'),

			// ── notification queue (HTTP API polling) ──
			receiveNotification: get((ctx) => {
				const t = ctx.rec.query.receiveTimeout;
				if (t !== undefined && (!/^\d+$/.test(t) || Number(t) < 5 || Number(t) > 60)) throw new BadRequest('receiveTimeout must be 5..60');
				const head = ctx.inst.notifications[0];
				return ok(head ? { receiptId: head.receiptId, body: head.body } : null);
			}),
			deleteNotification: {
				verb: 'DELETE',
				host: 'api',
				body: 'none',
				extraSegment: true,
				handler: (ctx) => {
					const id = Number(ctx.rec.extra[0]);
					const idx = ctx.inst.notifications.findIndex((n) => n.receiptId === id);
					if (idx >= 0) ctx.inst.notifications.splice(idx, 1);
					return ok({ result: idx >= 0 });
				},
			},
			getWebhooksCount: get((ctx) => ok({ count: ctx.inst.notifications.length })),
			clearWebhooksQueue: {
				verb: 'DELETE',
				host: 'api',
				body: 'none',
				handler: (ctx) => {
					ctx.inst.notifications = [];
					return ok({ isCleared: true, reason: '' });
				},
			},
		};
	}}
