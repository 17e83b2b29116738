// Fake WhatsApp Cloud API servers for tests, on the shared FakeProviderServer (Node built-ins only):
//   FakeGraphApi   — Meta's Graph API: `{apiUrl}/{version}/{phone_number_id}/messages|media`, `/{version}/{media id}`,
//                    `/{version}/{phone_number_id}?fields=…`, `/{version}/{waba}/message_templates|subscribed_apps`;
//                    `Authorization: Bearer <token>`.
//   FakeDialog360  — 360dialog v2: `{apiUrl}/messages|media`, `/{media id}`, `/health_status`, `/v1/configs/webhook|templates`;
//                    `D360-API-KEY: <key>` (one key = one number).
// Both serve media at `{apiUrl}/whatsapp_business/attachments/?mid=…` behind the same credentials (the real
// hosts do), check paths, auth and bodies like the real APIs (unknown template → 132001, parameter counts →
// 132000, free-form outside the 24 h window → 131047, bad media → 131053, bad token → 190) and build webhook
// bodies the way Meta writes and signs them.
//
// The customer-service window: every webhook message built with `webhook()` (or `customerWrote()`) opens
// it for that customer; `clock` decides when it closes.
//
// Customers' identities (reference §13–14): a customer registered with `person()` is named in webhooks the
// 2026 way — `contacts[]` with `wa_id` (absent for a username-only customer), `user_id` (BSUID),
// `parent_user_id`, `profile.username`, messages with `from_user_id`, statuses with `recipient_id` and
// `recipient_user_id`. A send answers `contacts[0].wa_id` as WhatsApp does, which for a Brazilian mobile
// number written with the 9th digit is the wa_id without it (accounts registered before the 9th digit keep
// the 8-digit wa_id; the fake treats every such number that way). `request_contact_info` interactive sends
// are checked; `shareContact()` and `userIdChanged()` build the customer's answer and the system message.

import { createHash, createHmac, randomBytes } from 'crypto';
import * as http from 'http';
import { FakeProviderServer, Failure, isObject, mimeOf, ok, RecordedRequestBase, Reply, Route, ServeOptions } from './FakeProviderServer';
import { MultipartError, MultipartPart, multipartBoundary, parseMultipart } from './multipart';

export type { Failure, FailureSpec, ServeOptions } from './FakeProviderServer';

/**
 * The Graph API versions the fake models: those Meta's version table (developers.facebook.com/docs/graph-api/
 * changelog/versions, December 2026) lists as working — v20.0 stopped on 2026-09-24 — up to the newest,
 * v26.0. The payloads the fake serves do not differ between them. A call to any other version is refused
 * as Graph refuses an unknown one.
 */
export const FAKE_GRAPH_VERSIONS: readonly string[] = ['v21.0', 'v22.0', 'v23.0', 'v24.0', 'v25.0', 'v26.0'];
/** The newest version the fake models. */
export const FAKE_GRAPH_VERSION = FAKE_GRAPH_VERSIONS[FAKE_GRAPH_VERSIONS.length - 1];

export interface CloudRecordedRequest extends RecordedRequestBase {
	/** The number the request spoke for ('' when unknown). */
	phoneNumberId: string;
}

export interface FakeNumber {
	phoneNumberId: string;
	/** Digits. */
	display: string;
	wabaId: string;
	/** Graph: the bearer token; 360dialog: the API key. */
	secret: string;
	verifiedName: string;
	quality: string;
	status: string;
	canSend: string;
	/**
	 * Also used in the WhatsApp Business app (coexistence, onboarded through Embedded Signup): the business
	 * types on its phone (`businessTypes`), history and address-book webhooks exist, and sends are capped
	 * at Meta's fixed 20 msg/s for such numbers.
	 */
	coexistence?: boolean;
}

/** Meta's fixed throughput of a coexistence number (Business app + Cloud API). */
export const COEXISTENCE_SENDS_PER_SECOND = 20;

/** A message the business typed in the WhatsApp Business app, as an `smb_message_echoes` entry carries it. */
export interface EchoSpec {
	/** The customer: a phone (wa_id) or a BSUID. */
	to: string;
	/** The customer's BSUID beside a phone `to` (sources show `to_user_id`). */
	toUserId?: string;
	text?: string;
	/** The business edited (`edit`) or deleted (`revoke`) one of its app messages. */
	edit?: { id: string; text: string };
	revoke?: { id: string };
	id?: string;
	at?: number;
}

/** One message of a history thread: `fromBusiness` ones have the business number as `from` and `from_me`. */
export interface HistorySpec {
	fromBusiness: boolean;
	text: string;
	at: number;
	id?: string;
	status?: string;
}

export interface CloudSent {
	phoneNumberId: string;
	id: string;
	/** `to` or `recipient`. */
	to: string;
	type: string;
	body: Record<string, any>;
	at: number;
	requestSeq: number;
	/** What Meta's sent / delivered statuses will say it costs (per-message pricing, decided when it was accepted). */
	pricing: CloudPricing;
}

/** A customer as WhatsApp knows them (any id may be absent except one of wa_id / BSUID). */
export interface FakePerson {
	waId?: string;
	userId?: string;
	parentUserId?: string;
	username?: string;
	name?: string;
}

/** The wa_id WhatsApp answers for a number as sent: a Brazilian mobile written with the 9th digit has it without. */
export function waIdFor(to: string): string {
	const m = /^55(\d{2})9(\d{8})$/.exec(to);
	return m ? `55${m[1]}${m[2]}` : to;
}

/** A status's `pricing` as Meta writes it (per-message pricing since 2025-07; `billable` deprecated but still sent). */
export interface CloudPricing {
	billable: boolean;
	pricing_model: 'PMP' | 'CBP';
	type: 'regular' | 'free_customer_service' | 'free_entry_point';
	category: string;
}

/** Meta's detail for 131050 (a marketing template to a customer who stopped marketing messages). */
export const MARKETING_STOPPED_DETAILS = 'Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.';

export interface SignedWebhook {
	/** The body as Meta writes it (non-ASCII escaped, `\/`). */
	raw: string;
	/** The same, parsed (what Rocket.Chat hands the app). */
	content: Record<string, unknown>;
	headers: Record<string, string>;
}

class GraphFailure extends Error {
	constructor(readonly status: number, readonly code: number, message: string, readonly details?: string) {
		super(message);
	}
}

const DAY = 24 * 60 * 60_000;
const MEDIA_MIME = new Set(['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'video/3gpp', 'audio/aac', 'audio/amr', 'audio/mpeg', 'audio/mp4', 'audio/ogg', 'text/plain', 'application/pdf',
	'application/msword', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'application/vnd.ms-powerpoint', 'application/vnd.openxmlformats-officedocument.presentationml.presentation']);
/** What a media header takes (Meta's template pages: documents are PDF). */
const HEADER_MEDIA: Record<string, string[]> = { image: ['image/jpeg', 'image/png'], video: ['video/mp4', 'video/3gpp'], document: ['application/pdf'] };
const MB = 1024 * 1024;
/** Meta's per-type media limits (Cloud API "Supported media types"): images 5 MB, audio and video 16 MB, documents
 *  100 MB, stickers 500 KB. */
const mediaLimit = (mime: string): number => (mime === 'image/webp' ? 500 * 1024 : mime.startsWith('image/') ? 5 * MB : /^(audio|video)\//.test(mime) ? 16 * MB : 100 * MB);
const MESSAGE_TYPES = new Set(['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'reaction', 'interactive', 'template']);
const PHONE_FIELDS = new Set(['display_phone_number', 'verified_name', 'quality_rating', 'status', 'health_status', 'id', 'code_verification_status', 'throughput']);
const BSUID = /^[A-Z]{2}\.[A-Za-z0-9.]+$/;

/** Meta's bytes: every UTF-16 unit above U+007F as \uXXXX (lower-case hex), `/` as `\/` — written independently of the app's code. */
export function metaBytes(value: unknown): string {
	let out = '';
	for (const ch of JSON.stringify(value)) {
		for (let i = 0; i < ch.length; i++) {
			const code = ch.charCodeAt(i);
			out += code > 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : ch[i] === '/' ? '\\/' : ch[i];
		}
	}
	return out;
}

abstract class FakeCloudApi extends FakeProviderServer<CloudRecordedRequest> {
	/** Base URL of the API, no trailing slash. */
	apiUrl = '';
	/** Accepted messages (texts, media, templates, reactions), in arrival order. */
	readonly sent: CloudSent[] = [];
	/** Read receipts: [phone number id, message id, with typing]. */
	readonly reads: Array<{ phoneNumberId: string; messageId: string; typing: boolean }> = [];
	/** Sends per second per number (the Cloud API's default 80). */
	sendsPerSecondLimit = 80;
	/** 'sync': a free-form send outside the window is refused at once; 'status': accepted, then a failed status is queued in `webhooks`. */
	windowFailure: 'sync' | 'status' = 'sync';
	/** Status webhooks produced by the fake (window failures in 'status' mode), for the test to deliver. */
	readonly webhooks: SignedWebhook[] = [];
	/**
	 * A MARKETING template to a customer who stopped marketing messages: 'status' (as Meta usually does):
	 * accepted, then a failed status with 131050 is queued in `webhooks`; 'sync': refused at once with 131050.
	 */
	marketingFailure: 'sync' | 'status' = 'status';
	clock: () => number = () => Date.now();

	protected readonly numbers = new Map<string, FakeNumber>();
	protected readonly templates = new Map<string, Array<Record<string, any>>>();
	private readonly lastInbound = new Map<string, number>();
	/** Customers by each of their ids (wa_id, BSUID): what webhooks name them by. */
	private readonly people = new Map<string, FakePerson>();
	private readonly media = new Map<string, { phoneNumberId: string; mimeType: string; name: string }>();
	private readonly expired = new Set<string>();
	/** `phoneNumberId:customer` of customers who stopped the business's marketing messages. */
	private readonly marketingStopped = new Set<string>();
	private ids = 0;

	protected abstract readonly host: string;
	/** The number a request's credentials speak for (undefined: refused). */
	protected abstract numberFor(rec: CloudRecordedRequest): FakeNumber | undefined;
	protected abstract routeApi(rec: CloudRecordedRequest, truncated: boolean): Reply | Route;

	protected instanceOf(rec: CloudRecordedRequest): string {
		return rec.phoneNumberId;
	}

	protected async listenApi(): Promise<void> {
		const spec = {
			bodyLimit: () => 110 * 1024 * 1024,
			record: (_url: URL, base: RecordedRequestBase): CloudRecordedRequest => ({ ...base, phoneNumberId: '' }),
			route: (rec: CloudRecordedRequest, truncated: boolean) => this.routeApi(rec, truncated),
		};
		const port = await this.listen((req, res) => {
			// Media downloads stream bytes (with ServeOptions) outside the JSON pipeline.
			if ((req.url || '').startsWith('/whatsapp_business/attachments/')) return void this.download(req, res);
			this.handle(this.host, spec, req, res);
		});
		this.apiUrl = `http://127.0.0.1:${port}`;
		await this.listenFiles();
	}

	// ───────── world ─────────

	addNumber(n: Partial<FakeNumber> & { phoneNumberId: string; secret: string }): FakeNumber {
		const full: FakeNumber = { display: '15550783881', wabaId: '102290129340398', verifiedName: 'Acme Support', quality: 'GREEN', status: 'CONNECTED', canSend: 'AVAILABLE', ...n };
		this.numbers.set(full.phoneNumberId, full);
		return full;
	}

	number(phoneNumberId: string): FakeNumber {
		const n = this.numbers.get(phoneNumberId);
		if (!n) throw new Error(`fake: unknown number ${phoneNumberId}`);
		return n;
	}

	/** An approved (or other status) template of a WhatsApp Business Account. */
	addTemplate(wabaId: string, template: Record<string, any>): void {
		this.templates.set(wabaId, [...(this.templates.get(wabaId) || []), template]);
	}

	/** The customer wrote now (opens the 24 h window). */
	customerWrote(phoneNumberId: string, customer: string, at = this.clock()): void {
		for (const id of this.idsOf(customer)) this.lastInbound.set(`${phoneNumberId}:${id}`, at);
	}

	windowOpen(phoneNumberId: string, customer: string): boolean {
		const at = this.lastInbound.get(`${phoneNumberId}:${waIdFor(customer)}`);
		return at !== undefined && this.clock() - at < DAY;
	}

	/** Registers (or completes) a customer: webhooks name them by all their ids from now on. */
	person(p: FakePerson): FakePerson {
		const known = [p.waId, p.userId].map((id) => (id ? this.people.get(id) : undefined)).find(Boolean);
		const merged: FakePerson = { ...(known || {}), ...p };
		for (const id of [merged.waId, merged.userId]) if (id) this.people.set(id, merged);
		return merged;
	}

	/** A customer's ids (the one given when unknown). */
	private idsOf(customer: string): string[] {
		const p = this.people.get(customer);
		return p ? [p.waId, p.userId].filter((x): x is string => !!x) : [customer];
	}

	/**
	 * The customer's BSUID changed (`user_changed_user_id`, a system message without `contacts`): the
	 * message names them by their old ids; `system.user_id` is the new BSUID. Meta's page documents the
	 * trigger but not the field holding the new id: `user_id` is read (and `new_user_id` accepted) by the app.
	 */
	userIdChanged(phoneNumberId: string, oldUserId: string, newUserId: string, appSecret = ''): SignedWebhook {
		const p = this.people.get(oldUserId) || { userId: oldUserId };
		const message = {
			...(p.waId ? { from: p.waId } : { from: oldUserId }),
			from_user_id: oldUserId,
			id: this.newMessageId(),
			timestamp: String(Math.floor(this.clock() / 1000)),
			type: 'system',
			system: { body: `User ${p.name ?? ''} changed their user id`.replace('  ', ' '), type: 'user_changed_user_id', user_id: newUserId },
		};
		this.people.delete(oldUserId);
		this.person({ ...p, userId: newUserId });
		return this.webhook(phoneNumberId, { messages: [message], contacts: null }, appSecret);
	}

	/**
	 * The customer tapped "Share contact info" on a `request_contact_info` message: a `contacts` message
	 * whose card (`origin: contact_request`) carries their own number; the person is known by it from now on.
	 */
	shareContact(phoneNumberId: string, userId: string, waId: string, appSecret = ''): SignedWebhook {
		const p = this.person({ userId, waId });
		const message = {
			from: userId,
			from_user_id: userId,
			id: this.newMessageId(),
			timestamp: String(Math.floor(this.clock() / 1000)),
			type: 'contacts',
			contacts: [{ origin: 'contact_request', name: { formatted_name: p.name ?? `+${waId}` }, phones: [{ phone: `+${waId}`, wa_id: waId, type: 'CELL' }] }],
		};
		return this.webhook(phoneNumberId, { messages: [message], contacts: [this.contactEntry(userId, true)] }, appSecret);
	}

	/** A file the customer sent: its media id (downloadable with the number's credentials). */
	addMedia(phoneNumberId: string, bytes: Buffer | string, mimeType: string, opts: ServeOptions = {}): string {
		const id = String(1_000_000_000_000 + ++this.ids * 7919);
		const name = `media/${id}`;
		this.files.set(name, { bytes: Buffer.from(bytes as Buffer), mimeType, opts });
		this.media.set(id, { phoneNumberId, mimeType, name });
		return id;
	}

	/** The id no longer resolves (media ids live 7 days). */
	expireMedia(id: string): void {
		this.expired.add(id);
	}

	/** An uploaded or added media file: its bytes and MIME type. */
	mediaFile(id: string): { bytes: Buffer; mimeType: string } | undefined {
		const m = this.media.get(id);
		const bytes = m && this.files.get(m.name)?.bytes;
		return m && bytes ? { bytes, mimeType: m.mimeType } : undefined;
	}

	mediaBytes(id: string): Buffer | undefined {
		const m = this.media.get(id);
		return m ? this.files.get(m.name)?.bytes : undefined;
	}

	/** Successful downloads of a media id. */
	mediaDownloads(id: string): number {
		return this.downloadCount(`media/${id}`);
	}

	sentTo(to: string): CloudSent[] {
		return this.sent.filter((s) => s.to === to);
	}

	async waitForSent(n: number, timeoutMs = 20_000): Promise<CloudSent[]> {
		await this.waitFor(() => this.sent.length >= n, timeoutMs, `${n} messages sent`);
		return this.sent;
	}

	/** The next `count` requests to `method` ('*' = any: messages, media.upload, media.info, phone, templates, …) fail. */
	failNext(method: string, count: number, failure: Failure, opts: { phoneNumberId?: string } = {}): void {
		this.addFailRule(method, count, failure, opts.phoneNumberId);
	}

	/** An error answer shaped like the Graph API's. */
	static error(status: number, code: number, message: string, details?: string): Failure {
		return { status, body: errorBody(code, message, details) };
	}

	reset(): void {
		this.resetRecords();
		this.sent.length = 0;
		this.reads.length = 0;
		this.webhooks.length = 0;
	}

	// ───────── webhooks ─────────

	/**
	 * A `messages` webhook for a number, as Meta writes and signs it (`appSecret`: the Meta app's; for
	 * 360dialog bodies the signature is irrelevant). Messages open the window of their sender.
	 */
	webhook(phoneNumberId: string, v: { messages?: unknown[]; statuses?: unknown[]; errors?: unknown[]; contacts?: unknown[] | null }, appSecret = ''): SignedWebhook {
		const n = this.number(phoneNumberId);
		const value: Record<string, unknown> = { messaging_product: 'whatsapp', metadata: { display_phone_number: n.display, phone_number_id: n.phoneNumberId } };
		if (v.contacts !== null) value.contacts = v.contacts ?? this.contactsOf(v.messages || []);
		// Since 2026 a message names its sender's BSUID too.
		if (v.messages) value.messages = v.messages.map((m) => (isObject(m) && typeof m.from === 'string' && m.from_user_id === undefined && this.people.get(m.from)?.userId ? { ...m, from_user_id: this.people.get(m.from)!.userId } : m));
		if (v.statuses) value.statuses = v.statuses;
		if (v.errors) value.errors = v.errors;
		for (const m of v.messages || []) {
			const from = isObject(m) ? String(m.from ?? '') : '';
			if (from) this.customerWrote(phoneNumberId, from);
		}
		return this.signed({ object: 'whatsapp_business_account', entry: [{ id: n.wabaId, changes: [{ value, field: 'messages' }] }] }, appSecret);
	}

	/**
	 * The customer stops or resumes the business's marketing messages (WhatsApp's "Offers and announcements"
	 * setting): from now on a MARKETING template to them fails with 131050 (or goes again), and Meta's
	 * `user_preferences` webhook says so (shape of Meta's user_preferences webhook reference).
	 */
	userPreference(phoneNumberId: string, customer: string, value: 'stop' | 'resume', appSecret = '', at = this.clock()): SignedWebhook {
		const n = this.number(phoneNumberId);
		if (value === 'stop') this.marketingStopped.add(`${phoneNumberId}:${customer}`);
		else this.marketingStopped.delete(`${phoneNumberId}:${customer}`);
		const id = BSUID.test(customer) ? { user_id: customer } : { wa_id: customer };
		return this.signed({
			object: 'whatsapp_business_account',
			entry: [{
				id: n.wabaId,
				changes: [{
					field: 'user_preferences',
					value: {
						messaging_product: 'whatsapp',
						metadata: { display_phone_number: n.display, phone_number_id: n.phoneNumberId },
						contacts: [{ profile: { name: `Customer ${customer.slice(-4)}` }, ...id }],
						user_preferences: [{ ...id, detail: `User requested to ${value} marketing messages`, category: 'marketing_messages', value, timestamp: Math.floor(at / 1000) }],
					},
				}],
			}],
		}, appSecret);
	}

	marketingStoppedBy(phoneNumberId: string, customer: string): boolean {
		return this.marketingStopped.has(`${phoneNumberId}:${customer}`);
	}

	/** Any body, written the Meta way and signed with `appSecret`. */
	signed(content: Record<string, unknown>, appSecret: string): SignedWebhook {
		const raw = metaBytes(content);
		const headers: Record<string, string> = { 'content-type': 'application/json' };
		if (appSecret) headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', appSecret).update(raw, 'utf8').digest('hex')}`;
		return { raw, content: JSON.parse(raw), headers };
	}

	/**
	 * Statuses (sent, delivered, read, failed with errors) of sent messages, as a webhook. A registered
	 * customer is named by `recipient_id` and `recipient_user_id` (`naming`: only one of them). Sent and
	 * delivered statuses of a message the fake accepted carry its `pricing`, as Meta's do; `pricing`
	 * overrides it (`null`: none, as older webhooks and read statuses).
	 */
	statusWebhook(phoneNumberId: string, statuses: Array<{ id: string; status: string; to?: string; errors?: unknown[]; naming?: 'both' | 'phone' | 'user-id'; pricing?: Record<string, unknown> | null }>, appSecret = ''): SignedWebhook {
		const now = String(Math.floor(this.clock() / 1000));
		return this.webhook(phoneNumberId, {
			contacts: null,
			statuses: statuses.map((s) => {
				const sent = this.sent.find((x) => x.id === s.id);
				const to = s.to ?? sent?.to ?? '';
				const p = this.people.get(to) || this.people.get(waIdFor(to));
				const waId = p ? p.waId : BSUID.test(to) ? undefined : waIdFor(to);
				const userId = p ? p.userId : BSUID.test(to) ? to : undefined;
				const naming = s.naming ?? 'both';
				const recipient = {
					...(waId && naming !== 'user-id' && { recipient_id: waId }),
					...(userId && naming !== 'phone' && { recipient_user_id: userId }),
					...(p?.parentUserId && naming !== 'phone' && { recipient_parent_user_id: p.parentUserId }),
				};
				const pricing = s.pricing !== undefined ? s.pricing : (s.status === 'sent' || s.status === 'delivered') && sent ? sent.pricing : null;
				return { id: s.id, status: s.status, timestamp: now, ...recipient, ...(pricing && { pricing }), ...(s.errors && { errors: s.errors }) };
			}),
		}, appSecret);
	}

	// ───────── coexistence numbers (WhatsApp Business app + Cloud API) ─────────

	private coexistenceNumber(phoneNumberId: string): FakeNumber {
		const n = this.number(phoneNumberId);
		if (!n.coexistence) throw new Error(`fake: number ${phoneNumberId} is not a coexistence number (addNumber({ coexistence: true }))`);
		return n;
	}

	/** A change of a coexistence field, in Meta's envelope (value with the number's metadata). */
	private coexistenceWebhook(n: FakeNumber, field: string, value: Record<string, unknown>, appSecret: string): SignedWebhook {
		const full = { messaging_product: 'whatsapp', metadata: { display_phone_number: n.display, phone_number_id: n.phoneNumberId }, ...value };
		return this.signed({ object: 'whatsapp_business_account', entry: [{ id: n.wabaId, changes: [{ value: full, field }] }] }, appSecret);
	}

	/**
	 * `smb_message_echoes`: what the business typed in the Business app (Meta's reference; dualhook's
	 * field page shows edits and revokes of the business's own messages in the same field). The ids of the
	 * new messages are returned in order.
	 */
	echoWebhook(phoneNumberId: string, echoes: EchoSpec[], appSecret = ''): { webhook: SignedWebhook; ids: string[] } {
		const n = this.coexistenceNumber(phoneNumberId);
		const ids: string[] = [];
		const message_echoes = echoes.map((e) => {
			const id = e.id ?? this.newMessageId();
			ids.push(id);
			const m: Record<string, unknown> = { from: n.display, to: e.to, id, timestamp: String(Math.floor((e.at ?? this.clock()) / 1000)) };
			if (e.toUserId) m.to_user_id = e.toUserId;
			if (e.edit) Object.assign(m, { type: 'edit', edit: { original_message_id: e.edit.id, message: { type: 'text', text: { body: e.edit.text } } } });
			else if (e.revoke) Object.assign(m, { type: 'revoke', revoke: { original_message_id: e.revoke.id } });
			else Object.assign(m, { type: 'text', text: { body: e.text ?? '' } });
			return m;
		});
		return { webhook: this.coexistenceWebhook(n, 'smb_message_echoes', { message_echoes }, appSecret), ids };
	}

	/** The business types one text to a customer on its phone. */
	businessTypes(phoneNumberId: string, to: string, text: string, o: { toUserId?: string; appSecret?: string } = {}): { webhook: SignedWebhook; id: string } {
		const { webhook, ids } = this.echoWebhook(phoneNumberId, [{ to, text, toUserId: o.toUserId }], o.appSecret);
		return { webhook, id: ids[0] };
	}

	/**
	 * One `history` chunk (Meta's history webhook reference): `phase` 0–2 (day 0–1, 1–90, 90–180),
	 * `chunk_order`, overall `progress` 0–100; one thread per customer (`id`: their phone), messages from
	 * either side, newest first as the samples show, each with `history_context`.
	 */
	historyWebhook(phoneNumberId: string, chunk: { phase: number; chunkOrder: number; progress: number; threads: Array<{ customer: string; messages: HistorySpec[] }> }, appSecret = ''): { webhook: SignedWebhook; ids: string[][] } {
		const n = this.coexistenceNumber(phoneNumberId);
		const ids: string[][] = [];
		const threads = chunk.threads.map((th) => {
			const threadIds: string[] = [];
			const messages = [...th.messages].sort((a, b) => b.at - a.at).map((m) => {
				const id = m.id ?? this.newMessageId();
				threadIds.push(id);
				const context: Record<string, unknown> = { status: m.status ?? (m.fromBusiness ? 'read' : 'pending') };
				if (m.fromBusiness) context.from_me = true;
				return { from: m.fromBusiness ? n.display : th.customer, id, timestamp: String(Math.floor(m.at / 1000)), type: 'text', text: { body: m.text }, history_context: context };
			});
			ids.push(threadIds);
			return { id: th.customer, messages };
		});
		const metadata = { phase: chunk.phase, chunk_order: chunk.chunkOrder, progress: chunk.progress };
		return { webhook: this.coexistenceWebhook(n, 'history', { history: [{ metadata, threads }] }, appSecret), ids };
	}

	/** The business declined to share its history: `history[].errors` (code 2593109 in the samples). */
	historyDeclinedWebhook(phoneNumberId: string, appSecret = ''): SignedWebhook {
		const n = this.coexistenceNumber(phoneNumberId);
		const error = { code: 2593109, title: 'History sync is turned off by the business', message: 'History sync is turned off by the business', error_data: { details: 'The business declined to share chat history.' } };
		return this.coexistenceWebhook(n, 'history', { history: [{ errors: [error] }] }, appSecret);
	}

	/** `smb_app_state_sync`: the Business app's address book (`add` = added or edited, `remove` without names). */
	stateSyncWebhook(phoneNumberId: string, entries: Array<{ phone: string; action: 'add' | 'remove'; fullName?: string; firstName?: string }>, appSecret = ''): SignedWebhook {
		const n = this.coexistenceNumber(phoneNumberId);
		const timestamp = String(Math.floor(this.clock() / 1000));
		const state_sync = entries.map((e) => ({
			type: 'contact',
			contact: e.action === 'remove' ? { phone_number: e.phone } : { full_name: e.fullName, first_name: e.firstName ?? e.fullName?.split(' ')[0], phone_number: e.phone },
			action: e.action,
			metadata: { timestamp },
		}));
		return this.coexistenceWebhook(n, 'smb_app_state_sync', { state_sync }, appSecret);
	}

	private contactsOf(messages: unknown[]): unknown[] {
		const froms = [...new Set(messages.map((m) => (isObject(m) ? String(m.from ?? '') : '')).filter(Boolean))];
		return froms.map((from) => this.contactEntry(from));
	}

	/** `contacts[i]` for a sender: every id WhatsApp gives for them (a username customer's wa_id only once shared). */
	private contactEntry(from: string, shared = false): Record<string, unknown> {
		const p = this.people.get(from);
		if (!p) return BSUID.test(from) ? { profile: { name: `Customer ${from.slice(-4)}` }, user_id: from } : { profile: { name: `Customer ${from.slice(-4)}` }, wa_id: from };
		// A username customer who writes under their BSUID withholds the number (until they share it).
		const hidden = !!p.username && from !== p.waId && !shared;
		return {
			profile: { name: p.name ?? '', ...(p.username && { username: p.username }) },
			...(p.waId && !hidden && { wa_id: p.waId }),
			...(p.userId && { user_id: p.userId }),
			...(p.parentUserId && { parent_user_id: p.parentUserId }),
		};
	}

	// ───────── shared handlers ─────────

	protected newMessageId(): string {
		return `wamid.HBgL${randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, 'A')}`;
	}

	/** Runs a handler; a GraphFailure becomes the Graph API's error answer. */
	protected graph(fn: () => Reply): Reply {
		try {
			return fn();
		} catch (e) {
			if (e instanceof GraphFailure) return { status: e.status, json: errorBody(e.code, e.message, e.details) };
			throw e;
		}
	}

	protected route(rec: CloudRecordedRequest, method: string, limit: number | undefined, handle: (n: FakeNumber) => Reply): Reply | Route {
		rec.method = method;
		const n = this.numberFor(rec);
		if (!n) return { status: 401, json: errorBody(190, 'Invalid OAuth access token - Cannot parse access token') };
		rec.phoneNumberId = n.phoneNumberId;
		// A coexistence number's sends are capped lower, whatever the account's tier.
		if (limit && method === 'messages' && n.coexistence) limit = Math.min(limit, COEXISTENCE_SENDS_PER_SECOND);
		return {
			rate: limit ? { instance: n.phoneNumberId, method, limit, reply: { status: 429, json: errorBody(130429, 'Rate limit hit', 'Cloud API message throughput has been reached.') } } : undefined,
			handle: () => this.graph(() => handle(n)),
		};
	}

	protected sendMessage(n: FakeNumber, rec: CloudRecordedRequest): Reply {
		const b = jsonBody(rec);
		if (b.messaging_product !== 'whatsapp') throw bad(100, 'The parameter messaging_product is required.');
		if (b.status === 'read') {
			if (typeof b.message_id !== 'string' || !b.message_id) throw bad(100, 'The parameter message_id is required.');
			if (b.typing_indicator !== undefined && (!isObject(b.typing_indicator) || b.typing_indicator.type !== 'text')) throw bad(100, 'Invalid typing_indicator');
			this.reads.push({ phoneNumberId: n.phoneNumberId, messageId: b.message_id, typing: b.typing_indicator !== undefined });
			return ok({ success: true });
		}
		if (b.recipient_type !== undefined && b.recipient_type !== 'individual') throw bad(100, 'recipient_type must be individual');
		const to = typeof b.to === 'string' && /^\d{6,15}$/.test(b.to) ? b.to : typeof b.recipient === 'string' && BSUID.test(b.recipient) ? b.recipient : undefined;
		if (!to) throw bad(100, 'The parameter to is required (or recipient for a business-scoped user id).');
		const type = String(b.type ?? 'text');
		if (!MESSAGE_TYPES.has(type)) throw bad(100, `Invalid message type ${type}`);
		if (b.context !== undefined && (!isObject(b.context) || typeof b.context.message_id !== 'string')) throw bad(100, 'context.message_id must be a string');
		this.validateContent(n, type, b);
		if (type === 'template' && this.templateCategory(n, b.template) === 'MARKETING' && this.marketingStopped.has(`${n.phoneNumberId}:${to}`)) {
			if (this.marketingFailure === 'sync') throw new GraphFailure(400, 131050, 'Unable to deliver message', MARKETING_STOPPED_DETAILS);
			const id = this.record(n, rec, to, type, b);
			this.webhooks.push(this.statusWebhook(n.phoneNumberId, [{ id, status: 'failed', to, errors: [{ code: 131050, title: 'Unable to deliver message', message: 'Unable to deliver message', error_data: { details: MARKETING_STOPPED_DETAILS } }] }]));
			return this.accepted(to, id);
		}
		if (type !== 'template' && !this.windowOpen(n.phoneNumberId, to)) {
			if (this.windowFailure === 'sync') throw new GraphFailure(400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.');
			const id = this.record(n, rec, to, type, b);
			this.webhooks.push(this.statusWebhook(n.phoneNumberId, [{ id, status: 'failed', to, errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } }] }]));
			return this.accepted(to, id);
		}
		return this.accepted(to, this.record(n, rec, to, type, b));
	}

	private record(n: FakeNumber, rec: CloudRecordedRequest, to: string, type: string, body: Record<string, any>): string {
		const id = this.newMessageId();
		this.sent.push({ phoneNumberId: n.phoneNumberId, id, to, type, body, at: rec.at, requestSeq: rec.seq, pricing: this.pricingOf(n, to, type, body) });
		return id;
	}

	/** The approved template a send names: its category (MARKETING, UTILITY, AUTHENTICATION). */
	private templateCategory(n: FakeNumber, t: Record<string, any>): string | undefined {
		const code = isObject(t?.language) ? t.language.code : undefined;
		return (this.templates.get(n.wabaId) || []).find((x) => x.name === t?.name && x.language === code)?.category;
	}

	/**
	 * Per-message pricing as Meta applies it since 2025-07: free-form replies (only possible inside the
	 * window) are free service messages; utility templates are free inside the window; marketing and
	 * authentication templates are always charged.
	 */
	private pricingOf(n: FakeNumber, to: string, type: string, body: Record<string, any>): CloudPricing {
		if (type !== 'template') return { billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' };
		const category = String(this.templateCategory(n, body.template) || 'UTILITY').toLowerCase();
		const free = category === 'utility' && this.windowOpen(n.phoneNumberId, to);
		return { billable: !free, pricing_model: 'PMP', type: free ? 'free_customer_service' : 'regular', category };
	}

	/** WhatsApp's answer names the recipient as it knows them: the wa_id (maybe not the number sent), or the BSUID. */
	private accepted(to: string, id: string): Reply {
		const contact = BSUID.test(to) ? { input: to, user_id: to } : { input: to, wa_id: waIdFor(to) };
		return ok({ messaging_product: 'whatsapp', contacts: [contact], messages: [{ id }] });
	}

	private validateContent(n: FakeNumber, type: string, b: Record<string, any>): void {
		const c = b[type];
		if (!isObject(c)) throw bad(100, `The parameter ${type} is required.`);
		switch (type) {
			case 'text':
				if (typeof c.body !== 'string' || !c.body.trim()) throw bad(100, 'The parameter text.body is required.');
				if (c.body.length > 4096) throw bad(100, 'Param text.body must be at most 4096 characters long.');
				if (c.preview_url !== undefined && typeof c.preview_url !== 'boolean') throw bad(100, 'preview_url must be a boolean');
				return;
			case 'image':
			case 'video':
			case 'audio':
			case 'document':
			case 'sticker': {
				if (typeof c.id === 'string') {
					const m = this.media.get(c.id);
					if (!m || m.phoneNumberId !== n.phoneNumberId) throw new GraphFailure(400, 131053, 'Media upload error', `Media id ${c.id} was not uploaded for this number.`);
				} else if (typeof c.link !== 'string' || !/^https:\/\//.test(c.link)) throw bad(100, `${type}.id or an https ${type}.link is required.`);
				if (c.caption !== undefined && (type === 'audio' || type === 'sticker')) throw bad(100, `${type} does not take a caption`);
				if (typeof c.caption === 'string' && c.caption.length > 1024) throw bad(100, 'caption must be at most 1024 characters');
				return;
			}
			case 'reaction':
				if (typeof c.message_id !== 'string' || typeof c.emoji !== 'string') throw bad(100, 'reaction.message_id and reaction.emoji are required.');
				return;
			case 'template':
				return this.validateTemplate(n, c);
			case 'interactive':
				// Asking for the customer's number: WhatsApp owns the button; only the body text is the business's.
				if (c.type === 'request_contact_info') {
					if (!isObject(c.body) || typeof c.body.text !== 'string' || !c.body.text.trim()) throw bad(100, 'interactive.body.text is required.');
					if (c.body.text.length > 1024) throw bad(100, 'interactive.body.text must be at most 1024 characters long.');
					if (!isObject(c.action) || c.action.name !== 'request_contact_info') throw bad(100, 'interactive.action.name must be request_contact_info.');
					return;
				}
				return validateInteractive(c);
			default:
		}
	}

	/**
	 * A template send as Meta checks it against the approved definition: unknown → 132001; parameter counts
	 * (body, header, each button that takes one, none for one that takes none) → 132000; a header or button
	 * of the wrong kind, or a media id whose file is not the header's kind → 132012; filled text over Meta's
	 * limits (header 60, body parameters 1024 — 32,768 when the body is the only component) → 132005; a
	 * one-time or coupon code over 15 characters → 131009; a media id never uploaded for the number → 131053.
	 */
	private validateTemplate(n: FakeNumber, t: Record<string, any>): void {
		const code = isObject(t.language) ? t.language.code : undefined;
		const def = (this.templates.get(n.wabaId) || []).find((x) => x.name === t.name && x.language === code && x.status === 'APPROVED');
		if (!def) throw new GraphFailure(404, 132001, 'Template name does not exist in the translation', `template name (${t.name}) does not exist in ${code}`);
		const comps: Array<Record<string, any>> = Array.isArray(t.components) ? t.components : [];
		const find = (type: string) => comps.filter((c) => c.type === type);
		const defComps = def.components as Array<Record<string, any>>;
		const defComp = (type: string) => defComps.find((c) => c.type === type);
		const names = (text: string | undefined) => [...new Set([...(text || '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))];
		const named = def.parameter_format === 'NAMED';
		const mismatch = (details: string) => new GraphFailure(400, 132012, 'Parameter format does not match format in the created template', details);
		const tooLong = (details: string) => new GraphFailure(400, 132005, 'Translated text too long', details);
		const check = (what: string, want: string[], given: Array<Record<string, any>>) => {
			if (given.length !== want.length) throw new GraphFailure(400, 132000, 'Number of parameters does not match the expected number of params', `${what}: expected number of params (${want.length}) does not match received number of params (${given.length})`);
			if (named && given.some((p, i) => p.parameter_name !== want[i] && !want.includes(p.parameter_name))) throw new GraphFailure(400, 132000, 'Number of parameters does not match the expected number of params', `${what}: unknown parameter names`);
			if (given.some((p) => p.type === 'text' && (typeof p.text !== 'string' || !p.text))) throw bad(100, `${what}: text parameters need a text`);
		};
		const body = defComp('BODY');
		const bodyGiven = find('body')[0]?.parameters || [];
		check('body', names(body?.text), bodyGiven);
		const bodyMax = defComps.length === 1 ? 32_768 : 1024;
		if (bodyGiven.some((p: Record<string, any>) => typeof p.text === 'string' && p.text.length > bodyMax)) throw tooLong(`body: a parameter is longer than ${bodyMax} characters`);
		const header = defComp('HEADER');
		const headerGiven = find('header')[0]?.parameters || [];
		if (header && header.format && header.format !== 'TEXT') {
			const f = String(header.format).toLowerCase();
			if (headerGiven.length !== 1 || headerGiven[0].type !== f || !isObject(headerGiven[0][f])) throw mismatch(`header: a ${f} parameter is required`);
			const media = headerGiven[0][f];
			if (typeof media.id === 'string') {
				const m = this.media.get(media.id);
				if (!m || m.phoneNumberId !== n.phoneNumberId) throw new GraphFailure(400, 131053, 'Media upload error', `Media id ${media.id} was not uploaded for this number.`);
				if (!(HEADER_MEDIA[f] || []).includes(m.mimeType)) throw mismatch(`header: a ${f} header cannot take ${m.mimeType}`);
			} else if (typeof media.link !== 'string' || !/^https:\/\//.test(media.link)) throw bad(100, `header: ${f}.id or an https ${f}.link is required.`);
		} else {
			check('header', names(header?.text), headerGiven);
			const filled = headerGiven.length ? String(header?.text || '').replace(/\{\{\s*\w+\s*\}\}/, headerGiven[0].text) : '';
			if (filled.length > 60) throw tooLong('header: longer than 60 characters');
		}
		const buttons: Array<Record<string, any>> = defComp('BUTTONS')?.buttons || [];
		const authentication = String(def.category).toUpperCase() === 'AUTHENTICATION';
		const givenButtons = find('button');
		for (const b of givenButtons) if (!buttons[Number(b.index)]) throw bad(100, `button index ${b.index} does not exist`);
		buttons.forEach((d, i) => {
			const type = String(d.type).toUpperCase();
			const given = givenButtons.filter((b) => Number(b.index) === i);
			// An authentication template's code button (created as OTP, listed as OTP or URL) takes the code as a url parameter.
			const otp = type === 'OTP' || (authentication && type === 'URL');
			const takes = otp || type === 'COPY_CODE' || (type === 'URL' && names(d.url).length > 0) ? 1 : 0;
			const optional = type === 'QUICK_REPLY';
			if (given.length > 1 || (!optional && given.length !== takes)) throw new GraphFailure(400, 132000, 'Number of parameters does not match the expected number of params', `button ${i}: expected ${takes} component(s), received ${given.length}`);
			if (!given.length) return;
			const b = given[0];
			const sub = otp ? 'url' : ({ URL: 'url', QUICK_REPLY: 'quick_reply', COPY_CODE: 'copy_code' } as Record<string, string>)[type];
			if (!sub || b.sub_type !== sub) throw mismatch(`button ${b.index} is ${def.type ?? type}`);
			const params: Array<Record<string, any>> = Array.isArray(b.parameters) ? b.parameters : [];
			if (params.length !== 1) throw new GraphFailure(400, 132000, 'Number of parameters does not match the expected number of params', `button ${i}: expected 1 parameter`);
			const p = params[0];
			if (sub === 'url') {
				if (p.type !== 'text' || typeof p.text !== 'string' || !p.text) throw mismatch(`button ${i}: a text parameter is required`);
				if (otp && p.text.length > 15) throw bad(131009, `button ${i}: the one-time password is longer than 15 characters`);
				if (!otp && /\s/.test(p.text)) throw bad(131009, `button ${i}: invalid URL suffix`);
			} else if (sub === 'copy_code') {
				if (p.type !== 'coupon_code' || typeof p.coupon_code !== 'string') throw mismatch(`button ${i}: a coupon_code parameter is required`);
				if (p.coupon_code.length > 15) throw bad(131009, `button ${i}: the coupon code is longer than 15 characters`);
			} else if (p.type !== 'payload' || typeof p.payload !== 'string') throw mismatch(`button ${i}: a payload parameter is required`);
		});
		if (authentication) {
			// The code in the body and on the button is one code.
			const otpButton = givenButtons.find((b) => Number(b.index) === buttons.findIndex((d) => ['OTP', 'URL'].includes(String(d.type).toUpperCase())));
			if (otpButton && bodyGiven[0]?.text !== otpButton.parameters?.[0]?.text) throw bad(131009, 'authentication: the body and the button carry different codes');
		}
	}

	protected upload(n: FakeNumber, rec: CloudRecordedRequest, truncated: boolean): Reply {
		if (truncated) throw new GraphFailure(400, 131053, 'Media upload error', 'File is too big (max 100 MB).');
		const ct = rec.headers['content-type'];
		if (multipartBoundary(ct) === undefined) throw bad(100, 'multipart/form-data is required');
		let parts: MultipartPart[];
		try {
			parts = parseMultipart(rec.rawBody, ct);
		} catch (e) {
			if (e instanceof MultipartError) throw bad(100, `invalid multipart body: ${e.message}`);
			throw e;
		}
		const field = (name: string) => parts.find((p) => p.name === name && p.filename === undefined)?.value;
		const file = parts.find((p) => p.name === 'file' && p.filename !== undefined);
		if (field('messaging_product') !== 'whatsapp') throw bad(100, 'The parameter messaging_product is required.');
		if (!file) throw bad(100, 'The parameter file is required.');
		const mime = mimeOf(field('type') || file.contentType);
		if (!MEDIA_MIME.has(mime) || file.data.length === 0) throw new GraphFailure(400, 131053, 'Media upload error', `Unsupported file type ${mime || 'unknown'} or empty file.`);
		if (file.data.length > mediaLimit(mime)) throw new GraphFailure(400, 131053, 'Media upload error', `File is too big: ${file.data.length} bytes, at most ${mediaLimit(mime)} for ${mime}.`);
		return ok({ id: this.addMedia(n.phoneNumberId, file.data, mime) });
	}

	protected mediaInfo(n: FakeNumber, id: string): Reply {
		const m = this.media.get(id);
		if (!m || this.expired.has(id) || m.phoneNumberId !== n.phoneNumberId) throw bad(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`);
		const bytes = this.files.get(m.name)!.bytes;
		const hash = createHash('sha256').update(bytes).digest('hex');
		// Meta's lookaside URL shape, on this host.
		const url = `${this.mediaBaseUrl()}/whatsapp_business/attachments/?mid=${id}&ext=${Math.floor(this.clock() / 1000)}&hash=${hash.slice(0, 16)}`;
		return ok({ messaging_product: 'whatsapp', url, mime_type: m.mimeType, sha256: hash, file_size: String(bytes.length), id });
	}

	/** Where media info points (Graph: this host; 360dialog: Meta's lookaside host, which 360dialog serves too). */
	protected mediaBaseUrl(): string {
		return this.apiUrl;
	}

	protected phone(n: FakeNumber, fields: string[], alwaysHealth: boolean): Reply {
		const unknown = fields.filter((f) => !PHONE_FIELDS.has(f));
		if (unknown.length) throw bad(100, `Tried accessing nonexisting field (${unknown[0]}) on node type (WhatsAppBusinessPhoneNumber)`);
		const all: Record<string, unknown> = {
			display_phone_number: `+${n.display.slice(0, 1)} ${n.display.slice(1, 4)}-${n.display.slice(4, 7)}-${n.display.slice(7)}`,
			verified_name: n.verifiedName,
			quality_rating: n.quality,
			status: n.status,
			health_status: { can_send_message: n.canSend, entities: [{ entity_type: 'PHONE_NUMBER', id: n.phoneNumberId, can_send_message: n.canSend }, { entity_type: 'WABA', id: n.wabaId, can_send_message: n.canSend }] },
		};
		const out: Record<string, unknown> = { id: n.phoneNumberId };
		for (const f of alwaysHealth ? [...fields, 'health_status'] : fields) if (f in all) out[f] = all[f];
		return ok(out);
	}

	protected templatesOf(n: FakeNumber): Array<Record<string, any>> {
		return this.templates.get(n.wabaId) || [];
	}

	private download(req: http.IncomingMessage, res: http.ServerResponse): void {
		const url = new URL(req.url || '/', 'http://fake.local');
		const id = url.searchParams.get('mid') || '';
		const m = this.media.get(id);
		const n = m ? this.numbers.get(m.phoneNumberId) : undefined;
		// The real hosts refuse a download without the number's credentials.
		if (!m || !n || !this.downloadAuthorized(req, n) || this.expired.has(id)) {
			this.downloads.push({ name: `media/${id}`, httpMethod: req.method || 'GET', headers: req.headers, at: Date.now(), status: 404 });
			res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': '9' });
			res.end('Not Found');
			this.notify();
			return;
		}
		this.serveStored(m.name, req, res).catch(() => res.destroy());
	}

	protected abstract downloadAuthorized(req: http.IncomingMessage, n: FakeNumber): boolean;
}

export class FakeGraphApi extends FakeCloudApi {
	protected readonly label = 'FakeGraphApi';
	protected readonly host = 'graph';
	/** WABA ids an app subscribed (`POST /{waba}/subscribed_apps`). */
	readonly subscribedWabas = new Set<string>();

	static async start(): Promise<FakeGraphApi> {
		const fake = new FakeGraphApi();
		await fake.listenApi();
		return fake;
	}

	/** Rotates the access token (the old one then answers 190). */
	setToken(phoneNumberId: string, token: string): void {
		this.number(phoneNumberId).secret = token;
	}

	private bearer(headers: http.IncomingHttpHeaders): string {
		return /^Bearer (.+)$/.exec(String(headers.authorization || ''))?.[1] || '';
	}

	protected numberFor(rec: CloudRecordedRequest): FakeNumber | undefined {
		const token = this.bearer(rec.headers);
		const segs = rec.path.split('/').slice(2);
		// A token belongs to the numbers it was issued for: the path's number (or media's / account's).
		const byPath = this.numbers.get(segs[0] ?? '') || this.numbers.get(rec.query.phone_number_id ?? '') || [...this.numbers.values()].find((n) => n.wabaId === segs[0]);
		if (byPath) return byPath.secret === token ? byPath : undefined;
		return [...this.numbers.values()].find((n) => n.secret === token);
	}

	protected downloadAuthorized(req: http.IncomingMessage, n: FakeNumber): boolean {
		return this.bearer(req.headers) === n.secret;
	}

	protected routeApi(rec: CloudRecordedRequest, truncated: boolean): Reply | Route {
		const segs = rec.path.split('/').slice(1);
		const version = segs[0];
		if (!FAKE_GRAPH_VERSIONS.includes(version)) return { status: 400, json: errorBody(2635, `Unknown API version ${version}`) };
		const [id, edge, ...rest] = segs.slice(1);
		if (!id || rest.length) return { status: 404, json: errorBody(100, 'Unknown path components') };
		const verb = rec.httpMethod;
		if (edge === 'messages' && verb === 'POST') return this.route(rec, 'messages', this.sendsPerSecondLimit, (n) => this.sendMessage(n, rec));
		if (edge === 'media' && verb === 'POST') return this.route(rec, 'media.upload', undefined, (n) => this.upload(n, rec, truncated));
		if (edge === 'subscribed_apps' && verb === 'POST') {
			return this.route(rec, 'subscribed_apps', undefined, (n) => {
				if (n.wabaId !== id) throw bad(100, `Unsupported post request. Object with ID '${id}' does not exist`);
				this.subscribedWabas.add(id);
				return ok({ success: true });
			});
		}
		if (edge === 'message_templates' && verb === 'GET') {
			return this.route(rec, 'templates', undefined, (n) => {
				if (n.wabaId !== id) throw bad(100, `Unsupported get request. Object with ID '${id}' does not exist`);
				const limit = Math.max(1, Math.min(Number(rec.query.limit) || 25, 100));
				const start = rec.query.after ? Number(Buffer.from(rec.query.after, 'base64').toString()) : 0;
				const all = this.templatesOf(n);
				const page = all.slice(start, start + limit);
				const cursor = (i: number) => Buffer.from(String(i)).toString('base64');
				const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + page.length) } };
				if (start + page.length < all.length) paging.next = `${this.apiUrl}/${version}/${id}/message_templates?limit=${limit}&after=${cursor(start + page.length)}`;
				return ok({ data: page, paging });
			});
		}
		if (!edge && verb === 'GET') {
			if (this.numbers.has(id)) return this.route(rec, 'phone', undefined, (n) => this.phone(n, (rec.query.fields || '').split(',').filter(Boolean), false));
			return this.route(rec, 'media.info', undefined, (n) => this.mediaInfo(n, id));
		}
		return { status: 400, json: errorBody(100, `Unsupported ${verb.toLowerCase()} request.`) };
	}
}

export class FakeDialog360 extends FakeCloudApi {
	protected readonly label = 'FakeDialog360';
	protected readonly host = '360dialog';
	/** What `POST /v1/configs/webhook` set, per number. */
	readonly webhookConfigs = new Map<string, { url: string; headers: Record<string, string> }>();

	static async start(): Promise<FakeDialog360> {
		const fake = new FakeDialog360();
		await fake.listenApi();
		return fake;
	}

	protected numberFor(rec: CloudRecordedRequest): FakeNumber | undefined {
		const key = String(rec.headers['d360-api-key'] || '');
		return key ? [...this.numbers.values()].find((n) => n.secret === key) : undefined;
	}

	protected downloadAuthorized(req: http.IncomingMessage, n: FakeNumber): boolean {
		return String(req.headers['d360-api-key'] || '') === n.secret;
	}

	/** The real media info names Meta's lookaside host; the client must fetch the same path from 360dialog. */
	protected mediaBaseUrl(): string {
		return 'https://lookaside.fbsbx.com';
	}

	protected routeApi(rec: CloudRecordedRequest, truncated: boolean): Reply | Route {
		const p = rec.path;
		const verb = rec.httpMethod;
		const unauthorized: Reply = { status: 401, json: { meta: { success: false, http_code: 401, developer_message: 'Invalid api key' } } };
		const routed = (method: string, limit: number | undefined, handle: (n: FakeNumber) => Reply): Reply | Route => {
			const r = this.route(rec, method, limit, handle);
			return 'handle' in r ? r : unauthorized;
		};
		if (p === '/messages' && verb === 'POST') return routed('messages', this.sendsPerSecondLimit, (n) => this.sendMessage(n, rec));
		if (p === '/media' && verb === 'POST') return routed('media.upload', undefined, (n) => this.upload(n, rec, truncated));
		if (p === '/health_status' && verb === 'GET') return routed('health_status', undefined, (n) => this.phone(n, (rec.query.fields || '').split(',').filter(Boolean), true));
		if (p === '/v1/configs/webhook') {
			return routed('configs.webhook', undefined, (n) => {
				if (verb === 'GET') return ok(this.webhookConfigs.get(n.phoneNumberId) || {});
				if (verb !== 'POST') throw bad(100, `Unsupported ${verb.toLowerCase()} request.`);
				const b = jsonBody(rec);
				if (typeof b.url !== 'string') throw bad(100, 'url must be a string');
				// An empty URL clears the number's webhook (what the app sends when a number is removed; 360dialog
				// documents only setting and reading it, so this is the fake's assumption).
				if (b.url === '') {
					if (b.headers !== undefined) throw bad(100, 'headers need a url');
					this.webhookConfigs.delete(n.phoneNumberId);
					return ok({ url: '' });
				}
				let url: URL;
				try {
					url = new URL(String(b.url));
				} catch {
					throw bad(100, 'url must be a valid URL');
				}
				// 360dialog's rules for webhook hosts.
				if (url.hostname.includes('_') || url.port) throw bad(100, 'The webhook hostname may not contain underscores or a port');
				if (b.headers !== undefined && (!isObject(b.headers) || Object.values(b.headers).some((v) => typeof v !== 'string'))) throw bad(100, 'headers must be an object of strings');
				this.webhookConfigs.set(n.phoneNumberId, { url: url.href, headers: (b.headers as Record<string, string>) || {} });
				return ok({ url: url.href });
			});
		}
		if (p === '/v1/configs/templates' && verb === 'GET') {
			return routed('templates', undefined, (n) => {
				const limit = Math.max(1, Math.min(Number(rec.query.limit) || 50, 1000));
				const offset = Math.max(0, Number(rec.query.offset) || 0);
				const all = this.templatesOf(n);
				const page = all.slice(offset, offset + limit);
				return ok({ count: page.length, filters: {}, limit, offset, sort: ['id'], total: all.length, waba_templates: page });
			});
		}
		const media = /^\/([0-9]+)$/.exec(p);
		if (media && verb === 'GET') return routed('media.info', undefined, (n) => this.mediaInfo(n, media[1]));
		return { status: 404, json: { meta: { success: false, http_code: 404, developer_message: 'Not found' } } };
	}
}

/**
 * Reply buttons and lists as the Graph API checks them: limits from Meta's interactive-message references
 * (reply buttons: 1–3, title ≤ 20, id ≤ 256, body ≤ 1024; lists: button ≤ 20, ≤ 10 sections, 1–10 rows in
 * all, row title ≤ 24, description ≤ 72, id ≤ 200, section title ≤ 24 and required with several sections;
 * header and footer ≤ 60). Meta answers a broken limit with 131009 "Parameter value is not valid" and the
 * limit in `error_data.details`; the button wordings are Meta's as peers quote them, the others follow
 * their pattern (their exact wording is not confirmed). A list's body is 4096 in Meta's list page.
 */
function validateInteractive(i: Record<string, any>): void {
	const invalid = (details: string) => new GraphFailure(400, 131009, 'Parameter value is not valid', details);
	const len = (v: unknown) => Array.from(String(v)).length;
	const text = (v: unknown, what: string, max: number, required = true) => {
		if (v === undefined && !required) return;
		if (typeof v !== 'string' || (required && !v.trim())) throw bad(100, `${what} is required.`);
		if (len(v) < 1 || len(v) > max) throw invalid(`${what} length invalid. Min length: 1, Max length: ${max}`);
	};
	if (i.type !== 'button' && i.type !== 'list') throw bad(100, `Invalid interactive type ${String(i.type)}`);
	if (!isObject(i.body)) throw bad(100, 'The parameter interactive.body is required.');
	text(i.body.text, 'Body text', i.type === 'list' ? 4096 : 1024);
	if (i.header !== undefined) {
		if (!isObject(i.header) || i.header.type !== 'text') throw bad(100, 'interactive.header must be a text header here');
		text(i.header.text, 'Header text', 60);
	}
	if (i.footer !== undefined) text(isObject(i.footer) ? i.footer.text : undefined, 'Footer text', 60);
	const action = i.action;
	if (!isObject(action)) throw bad(100, 'The parameter interactive.action is required.');
	const unique = (values: string[], what: string) => {
		if (new Set(values).size !== values.length) throw invalid(`${what} must be unique`);
	};
	if (i.type === 'button') {
		const buttons = Array.isArray(action.buttons) ? action.buttons : [];
		if (buttons.length < 1 || buttons.length > 3) throw invalid('Invalid buttons count. Min allowed buttons: 1, Max allowed buttons: 3');
		for (const b of buttons) {
			if (!isObject(b) || b.type !== 'reply' || !isObject(b.reply)) throw bad(100, 'Each button needs type reply and a reply object');
			text(b.reply.title, 'Button title', 20);
			text(b.reply.id, 'Button id', 256);
		}
		unique(buttons.map((b: any) => b.reply.title), 'Button titles');
		unique(buttons.map((b: any) => b.reply.id), 'Button ids');
		return;
	}
	text(action.button, 'Button text', 20);
	const sections = Array.isArray(action.sections) ? action.sections : [];
	if (sections.length < 1 || sections.length > 10) throw invalid('Invalid sections count. Min allowed sections: 1, Max allowed sections: 10');
	const rows: any[] = [];
	for (const sec of sections) {
		if (!isObject(sec) || !Array.isArray(sec.rows)) throw bad(100, 'Each section needs rows');
		text(sec.title, 'Section title', 24, sections.length > 1);
		for (const r of sec.rows) {
			if (!isObject(r)) throw bad(100, 'Each row must be an object');
			text(r.title, 'Row title', 24);
			text(r.id, 'Row id', 200);
			text(r.description, 'Row description', 72, false);
			rows.push(r);
		}
	}
	if (rows.length < 1 || rows.length > 10) throw invalid('Invalid rows count. Min allowed rows: 1, Max allowed rows: 10');
	unique(rows.map((r) => r.id), 'Row ids');
}

function errorBody(code: number, message: string, details?: string): Record<string, unknown> {
	return { error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, ...(details && { error_data: { messaging_product: 'whatsapp', details } }), fbtrace_id: randomBytes(8).toString('hex') } };
}

function bad(code: number, message: string): GraphFailure {
	return new GraphFailure(400, code, message);
}

function jsonBody(rec: CloudRecordedRequest): Record<string, any> {
	if (mimeOf(rec.headers['content-type']) !== 'application/json') throw bad(100, 'Content-Type must be application/json');
	if (rec.bodyKind !== 'json' || !isObject(rec.body)) throw bad(100, 'The request body must be a JSON object');
	return rec.body as Record<string, any>;
}
