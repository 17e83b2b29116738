// Generated hostile webhook requests, by class. Every case says what it must leave behind:
// 'unchanged' (no credentials, a malformed envelope, a chat that is not a customer's, a wrong method) or
// 'may-change' (an authentic envelope of a customer's chat with hostile content: it may post, never garbage).
//
// Excluded on purpose: bodies with an own `__proto__` key (at any depth). `JSON.parse` and Express's body
// parser create such a property, and the engine's transport between Rocket.Chat and the app process hangs on
// it before any app code runs (test/runtime/proto-key.test.ts shows it). assertNoOwnProtoKey() keeps them out.
import * as fx from '../fixtures/greenapi';
import { Prng } from './prng';

export type Expectation = 'unchanged' | 'may-change';

export interface WebhookCase {
	cls: string;
	expect: Expectation;
	/** App endpoint path: the webhook ('greenapi') or another of the app's endpoints. */
	path: string;
	method: string;
	headers: Record<string, string>;
	/** As Express's query parser hands it over: strings, and arrays/objects for repeated or bracketed keys. */
	query: Record<string, unknown>;
	content: unknown;
	/** Media cases: the suite runs the due jobs after the batch, so the app tries to fetch. */
	fetches?: boolean;
}

export interface WebhookContext {
	instanceId: string;
	webhookToken: string;
	apiToken: string;
	wid: string;
	appId: string;
	siteUrl: string;
	/** The fake GREEN-API's file host (listed) and a 127.0.0.1 port nothing listens on. */
	filesUrl: string;
	closedPort: number;
}

/** Body size limit of Rocket.Chat's JSON body parser: every generated body stays under it. */
export const MAX_BODY_BYTES = 100_000;

/** Chats of real customers, for the 'may-change' classes (few, so rooms stay few). */
export const CUSTOMER_CHATS = ['79002000001@c.us', '79002000002@c.us', '79002000003@c.us', '79002000004@c.us', '79002000005@c.us', '79002000006@c.us', '79002000007@c.us', '79002000008@c.us', '123456789012345@lid', '987654321098765@lid'];

export const PROTOTYPE_NAMES = ['constructor', 'prototype', 'toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__'];

/** Invisible, reordering and terminal-control characters. */
export const CONTROL_CHARS = ['\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u001b[31m', '\u007f', '\u0085', '\u00ad', '\u200b', '\u200d', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2066', '\u2069', '\ufeff', '\ufffd', '\ud800'];

/** Values of every JSON type but string (and some strings no field expects). */
export const WRONG_TYPES: unknown[] = [null, true, false, 0, -1, 1.5, 1e21, [], ['x'], {}, { a: 1 }, nested(30)];

function nested(depth: number): unknown {
	let v: unknown = 'deep';
	for (let i = 0; i < depth; i++) v = { d: v };
	return v;
}

export class WebhookInputs {
	private seq = 0;

	constructor(private readonly rng: Prng, private readonly ctx: WebhookContext) {}

	/** All classes, each a list of cases. */
	all(): Array<{ cls: string; cases: WebhookCase[] }> {
		const classes = [
			['no-credentials', this.noCredentials(260)],
			['instance-mismatch', this.instanceMismatch()],
			['header-variants', this.headerVariants()],
			['methods', this.methods()],
			['malformed-envelope', this.malformedEnvelopes()],
			['unknown-state', this.unknownStates()],
			['status-unknown-message', this.statusesForUnknownMessages()],
			['chat-ids', this.chatIds(110)],
			['prototype-keys', this.prototypeKeys()],
			['control-chars', this.controlChars(90)],
			['huge-strings', this.hugeStrings()],
			['wrong-types', this.wrongTypes()],
			['media-urls', this.mediaUrls(40)],
		] as const;
		return classes.map(([cls, cases]) => {
			for (const c of cases) {
				assertNoOwnProtoKey(c.content, cls);
				assertWithinBodyLimit(c.content, cls);
				assertNoSecret(c.content, [this.ctx.webhookToken, this.ctx.apiToken], cls);
			}
			return { cls, cases: cases.map((c) => ({ ...c, cls })) };
		});
	}

	// ───────── building blocks ─────────

	private id(): string {
		this.seq += 1;
		return `BAE5${this.rng.hex(8)}${this.seq.toString(16).toUpperCase().padStart(4, '0')}`;
	}

	private customerChat(): string {
		return this.rng.pick(CUSTOMER_CHATS);
	}

	/** An authentic request (the headers GREEN-API sends) for `content`. */
	private authentic(content: unknown, expect: Expectation, extra: Partial<WebhookCase> = {}): WebhookCase {
		return {
			cls: '',
			expect,
			path: 'greenapi',
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${this.ctx.webhookToken}` },
			query: { instance: this.ctx.instanceId },
			content,
			...extra,
		};
	}

	private text(text: string, opts: fx.EnvelopeOptions = {}) {
		return fx.incoming(fx.textMessage(text), { chatId: this.customerChat(), idMessage: this.id(), ...opts });
	}

	private fileUrl(): string {
		return `${this.ctx.filesUrl}/files/photo-${this.rng.hex(6)}.jpg`;
	}

	/** Any plausible body: what an attacker without the token would replay or invent. */
	private anyBody(): unknown {
		const chatId = this.customerChat();
		const idMessage = this.id();
		switch (this.rng.int(0, 7)) {
			case 0: return fx.incoming(fx.textMessage('hello'), { chatId, idMessage });
			case 1: return fx.incoming(fx.imageMessage(`http://127.0.0.1:${this.ctx.closedPort}/x.jpg`), { chatId, idMessage });
			case 2: return fx.stateChanged(this.rng.pick(['notAuthorized', 'blocked', 'authorized']));
			case 3: return fx.status(idMessage, this.rng.pick(['failed', 'read', 'delivered']), { chatId, description: 'x' });
			case 4: return fx.outgoing(fx.textMessage('typed on the phone'), { chatId, idMessage });
			case 5: return fx.incoming(fx.editedMessage(idMessage, 'edited'), { chatId, idMessage: this.id() });
			case 6: return { typeWebhook: 'incomingMessageReceived' };
			default: return fx.incoming(fx.documentMessage(this.fileUrl(), 'a.pdf'), { chatId, idMessage });
		}
	}

	// ───────── classes ─────────

	/** Wrong, absent or mangled credentials, on every kind of body: nothing may change. */
	private noCredentials(n: number): WebhookCase[] {
		const t = this.ctx.webhookToken;
		const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
		const authorizations: Array<string | undefined> = [
			undefined, '', ' ', 'Bearer', 'Bearer ', 'Bearer  ', `Bearer ${flip(t, 0)}`, `Bearer ${flip(t, t.length - 1)}`, `Bearer ${flip(t, t.length >> 1)}`,
			`Bearer ${t.slice(0, -1)}`, `Bearer ${t}x`, `Bearer ${t.toUpperCase()}`, `Bearer ${t}\u0000`, `Bearer \u0000${t}`, `Bearer ${t.slice(0, 16)}`,
			`Basic ${Buffer.from(`user:${t}`).toString('base64')}`, `Basic ${t}`, `Token ${t}`, `Bearer Bearer ${t}`, `Bearer ${t} ${t}`, `${t},${t}`,
			`Bearer ${'a'.repeat(t.length)}`, `Bearer ${'0'.repeat(8000)}`, `Bearer ${this.ctx.apiToken}`, 'null', 'undefined', `Bearer ${t.split('').reverse().join('')}`,
		];
		const queries: Array<Record<string, unknown>> = [
			{ instance: this.ctx.instanceId }, {}, { instance: '9999999' }, { idInstance: this.ctx.instanceId }, { instance: `${this.ctx.instanceId}\u0000` },
			{ instance: [this.ctx.instanceId, this.ctx.instanceId] }, { instance: { a: this.ctx.instanceId } }, { instance: 'constructor' }, { instance: '' }, { instance: 'x'.repeat(5000) },
		];
		const out: WebhookCase[] = [];
		for (let i = 0; i < n; i++) {
			const authorization = authorizations[i % authorizations.length];
			const headers: Record<string, string> = { 'content-type': 'application/json' };
			// Credentials under names that are not the Authorization header do not count either.
			if (authorization !== undefined) headers[i % 5 === 0 ? 'x-authorization' : 'authorization'] = authorization;
			if (i % 7 === 0 && authorization === undefined) headers['x-webhook-token'] = t;
			out.push({ cls: '', expect: 'unchanged', path: 'greenapi', method: 'POST', headers, query: this.rng.pick(queries), content: this.anyBody() });
		}
		return out;
	}

	/** The right token, but the query or the payload names another instance: refused. */
	private instanceMismatch(): WebhookCase[] {
		const out: WebhookCase[] = [];
		for (const other of ['1101000002', '9999999', '0', '-1', '1101000001.5', '11010000010']) {
			out.push(this.authentic(this.text('hi'), 'unchanged', { query: { instance: other } }));
			out.push(this.authentic(fx.incoming(fx.textMessage('hi'), { chatId: this.customerChat(), idMessage: this.id(), idInstance: other }), 'unchanged'));
			out.push(this.authentic(fx.stateChanged('notAuthorized', { idInstance: other }), 'unchanged'));
		}
		return out;
	}

	/** Accepted spellings of the credentials and odd but harmless headers: a normal message each. */
	private headerVariants(): WebhookCase[] {
		const t = this.ctx.webhookToken;
		const spellings = [t, `bearer ${t}`, `BEARER ${t}`, `Bearer    ${t}`, `  Bearer ${t}  `, `Bearer ${t}\t`];
		const out: WebhookCase[] = [];
		for (const authorization of spellings) {
			out.push(this.authentic(this.text('header variant'), 'may-change', { headers: { 'content-type': 'application/json', authorization } }));
		}
		const junk: Array<Record<string, string>> = [
			{ 'x-forwarded-for': '127.0.0.1' },
			{ 'x-forwarded-host': '169.254.169.254' },
			{ 'x-junk': 'y'.repeat(8000) },
			{ 'x-ctl': 'a\u0000b\u202ec' },
			{ 'content-type': 'application/json; charset=utf-16' },
			{ 'content-type': 'application/x-www-form-urlencoded' },
			{ cookie: 'rc_token=x; rc_uid=y' },
			{ 'x-user-id': 'app.installer', 'x-auth-token': 'x' },
			{ host: '169.254.169.254' },
			{ 'transfer-encoding': 'chunked' },
		];
		for (const h of junk) {
			out.push(this.authentic(this.text('junk header'), 'may-change', { headers: { 'content-type': 'application/json', authorization: `Bearer ${t}`, ...h } }));
		}
		return out;
	}

	/** Methods without a handler on the webhook, health and the room icon: a clear 4xx, nothing changed. */
	private methods(): WebhookCase[] {
		const out: WebhookCase[] = [];
		for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']) {
			for (let i = 0; i < 8; i++) out.push(this.authentic(i % 2 ? this.text('wrong method') : this.anyBody(), 'unchanged', { method }));
		}
		for (const path of ['health', 'get-sidebar-icon']) {
			for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
				out.push({ cls: '', expect: 'unchanged', path, method, headers: { 'content-type': 'application/json' }, query: {}, content: this.text('x') });
				out.push({ cls: '', expect: 'unchanged', path, method, headers: {}, query: { instance: this.ctx.instanceId }, content: undefined });
			}
		}
		return out;
	}

	/** Authentic, but not an envelope the app can use: nothing may change. */
	private malformedEnvelopes(): WebhookCase[] {
		const inst = { idInstance: Number(this.ctx.instanceId), wid: this.ctx.wid, typeInstance: 'whatsapp' };
		const full = () => this.text('x') as Record<string, any>;
		const without = (key: string) => {
			const p = full();
			delete p[key];
			return p;
		};
		const withoutSender = (key: string) => {
			const p = full();
			delete p.senderData[key];
			return p;
		};
		const bodies: unknown[] = [
			[], [full()], [1, 2, 3], 42, 0, true, false, null, '"plain text"', '42', 'null', '[]',
			{}, { typeWebhook: '' }, { typeWebhook: ' ' }, { typeWebhook: 42 }, { typeWebhook: null }, { typeWebhook: ['incomingMessageReceived'] }, { typeWebhook: { a: 1 } },
			{ typeWebhook: 'incomingMessageReceived' }, { typeWebhook: 'incomingMessageReceived', instanceData: inst },
			without('typeWebhook'), without('instanceData'), without('senderData'), without('idMessage'),
			withoutSender('chatId'), { ...full(), idMessage: '' }, { ...full(), idMessage: '   ' }, { ...full(), senderData: 'x' }, { ...full(), senderData: [] }, { ...full(), instanceData: 'x' },
			{ ...full(), instanceData: { ...inst, idInstance: 'x' } }, { ...full(), instanceData: { ...inst, idInstance: null } },
			{ typeWebhook: 'outgoingMessageStatus', instanceData: inst }, { typeWebhook: 'outgoingMessageStatus', instanceData: inst, chatId: this.customerChat() },
			{ ...fx.status(this.id(), 'read', { chatId: this.customerChat() }), status: 'exploded' }, { ...fx.status(this.id(), 'read', { chatId: this.customerChat() }), status: 'constructor' },
			{ ...fx.status(this.id(), 'read', { chatId: this.customerChat() }), status: 42 }, { ...fx.status(this.id(), 'read'), chatId: null },
			{ typeWebhook: 'stateInstanceChanged', instanceData: inst }, { typeWebhook: 'stateInstanceChanged', instanceData: inst, stateInstance: '' },
			{ typeWebhook: 'stateInstanceChanged', stateInstance: 'notAuthorized' },
			// A quotaExceeded with quotaData is acted on (an admin alert, remembered on the instance): only broken ones here.
			fx.incomingCall(), { ...fx.quotaExceeded(), quotaData: undefined }, { ...fx.quotaExceeded(), quotaData: 'x' }, fx.quotaExceeded({ quotaData: { used: 3 } }), fx.outgoingApi(fx.textMessage('echo of our own send'), { chatId: this.customerChat(), idMessage: this.id() }),
			{ typeWebhook: 'deviceInfo', instanceData: inst }, { typeWebhook: 'incomingBlock', instanceData: inst }, { typeWebhook: 'statusInstanceChanged', instanceData: inst, statusInstance: 'online' },
			...PROTOTYPE_NAMES.map((name) => ({ ...full(), typeWebhook: name })),
			{ ...full(), typeWebhook: '__proto__' },
			{ ...full(), typeWebhook: 'incomingmessagereceived' }, { ...full(), typeWebhook: 'IncomingMessageReceived' }, { ...full(), typeWebhook: 'incomingMessageReceived\u0000' },
		];
		const out = bodies.map((content) => this.authentic(content, 'unchanged'));
		// Bodies that are not JSON: Rocket.Chat's body parser reads only JSON (and urlencoded) bodies, the rest arrives as {}.
		for (const text of ['{"typeWebhook":"incomingMessageReceived"', '<xml/>', 'typeWebhook=incomingMessageReceived', '\u0000\u0001']) {
			out.push(this.authentic(text, 'unchanged', { headers: { 'content-type': 'text/plain', authorization: `Bearer ${this.ctx.webhookToken}` } }));
		}
		return out;
	}

	/** stateInstanceChanged naming a state GREEN-API does not have (or of another type): recorded nowhere. */
	private unknownStates(): WebhookCase[] {
		const states: unknown[] = ['constructor', 'toString', '__proto__', 'exploded', '<b>authorized</b>', 'authorized\u0000', `x${'y'.repeat(50_000)}`, 42, null, {}, ['authorized'], true];
		return states.map((stateInstance) => this.authentic({ ...fx.stateChanged('authorized'), stateInstance }, 'unchanged'));
	}

	/**
	 * Delivery statuses naming messages the app never sent — unknown ids, and the customer's own inbound messages
	 * (sent first, in the same class) — and edits/deletions of messages the app never saw: nothing may change.
	 */
	private statusesForUnknownMessages(): WebhookCase[] {
		const inbound = CUSTOMER_CHATS.slice(0, 4).map((chatId) => ({ chatId, idMessage: this.id() }));
		const out: WebhookCase[] = inbound.map((m) => this.authentic(fx.incoming(fx.textMessage('my own message'), m), 'may-change'));
		for (const status of ['sent', 'delivered', 'read', 'failed', 'noAccount', 'notInGroup', 'yellowCard', 'pending']) {
			for (let i = 0; i < 2; i++) out.push(this.authentic(fx.status(this.id(), status, { chatId: this.customerChat(), description: i ? 'Not delivered: <b>x</b>' : undefined }), 'unchanged'));
		}
		for (const m of inbound) {
			for (const status of ['failed', 'noAccount', 'read']) out.push(this.authentic(fx.status(m.idMessage, status, { chatId: m.chatId, description: 'x' }), 'unchanged'));
		}
		for (let i = 0; i < 6; i++) {
			const md = i % 2 ? fx.deletedMessage(`NEVER${this.rng.hex(10)}`) : fx.editedMessage(`NEVER${this.rng.hex(10)}`, 'edited text');
			out.push(this.authentic(fx.incoming(md, { chatId: this.customerChat(), idMessage: this.id() }), 'unchanged'));
		}
		return out;
	}

	/** Chat ids that are not a customer's conversation, fixed and mutated: nothing may open. */
	private chatIds(randomCount: number): WebhookCase[] {
		const fixed = [
			'120363025945123456@newsletter', '79001234567@broadcast', 'status@broadcast', this.ctx.wid, '7900\u00001234567@c.us', '\u202e79001234567@c.us',
			'79001234567\u200b@c.us', '<b>79001234567</b>@c.us', '<script>alert(1)</script>@c.us', '７９００１２３４５６７@c.us', '٧٩٠٠١٢٣٤٥٦٧@c.us', '+79001234567@c.us',
			'079001234567@c.us', '7900 1234567@c.us', 'null', 'undefined', '@c.us', '@lid', '@g.us', '-@g.us', '123-@g.us', '79001234567', '79001234567@C.US',
			'79001234567@c.us.evil.com', '79001234567@s.whatsapp.net', '79001234567@c.us@c.us', '1234@c.us', `${'9'.repeat(21)}@c.us`, `${'9'.repeat(45_000)}@c.us`,
			'constructor', '__proto__', 'toString@c.us', '../79001234567@c.us', '79001234567@c.us/../x', '%37%39@c.us', '0x1F@c.us', '1e10@c.us', 'NaN@c.us',
		];
		const out: WebhookCase[] = [];
		for (const chatId of fixed) {
			out.push(this.authentic(fx.incoming(fx.textMessage('hello'), { chatId, idMessage: this.id() }), 'unchanged'));
			out.push(this.authentic(fx.incoming(fx.imageMessage(this.fileUrl()), { chatId, idMessage: this.id() }), 'unchanged', { fetches: true }));
			out.push(this.authentic(fx.outgoing(fx.textMessage('from the phone'), { chatId, idMessage: this.id() }), 'unchanged'));
		}
		// Mutations of real ids: a character that does not belong, in a random place.
		const pieces = [...CONTROL_CHARS, '+', ' ', '<', '>', '"', "'", '&', '/', '\\', '@', '.', '-', '%', '٣', '３', 'e', 'x', '😀'];
		for (let i = 0; i < randomCount; i++) {
			const base = this.rng.pick(['79001234567@c.us', '123456789012345@lid']);
			const digitsEnd = base.indexOf('@');
			const piece = this.rng.pick(pieces);
			// Insert inside the digits or the suffix (never where it would leave a documented id).
			let chatId = this.rng.chance(0.6) ? base.slice(0, 1) + this.rng.insert(base.slice(1, digitsEnd), piece) + base.slice(digitsEnd) : base.slice(0, digitsEnd + 1) + this.rng.insert(base.slice(digitsEnd + 1), piece);
			// The envelope reader trims the id (surrounding whitespace names the same chat): keep the piece inside.
			if (chatId.trim() !== chatId) chatId = `${chatId.trim()}x`;
			out.push(this.authentic(fx.incoming(fx.textMessage('mutated'), { chatId, idMessage: this.id() }), 'unchanged'));
		}
		// Groups while group chats are not bridged (the default), and a group message whose author is no person.
		out.push(this.authentic(fx.groupIncoming(fx.textMessage('group'), { idMessage: this.id() }), 'unchanged'));
		out.push(this.authentic(fx.groupIncoming(fx.textMessage('group'), { idMessage: this.id(), member: 'status@broadcast' }), 'unchanged'));
		return out;
	}

	/** Keys and values naming Object.prototype members, at every level of the envelope. */
	private prototypeKeys(): WebhookCase[] {
		const out: WebhookCase[] = [];
		const value = () => this.rng.pick<unknown>(['x', 1, null, {}, [], true, { polluted: true }]);
		for (const name of PROTOTYPE_NAMES) {
			const p = this.text('proto keys') as Record<string, any>;
			p[name] = value();
			p.senderData[name] = value();
			p.instanceData[name] = value();
			p.messageData[name] = value();
			p.messageData.textMessageData[name] = value();
			out.push(this.authentic(p, 'may-change'));
			// As the type of the message, with file data beside it (must not become a file of kind "function").
			out.push(this.authentic(fx.incoming({ typeMessage: name, fileMessageData: { downloadUrl: this.fileUrl(), fileName: 'x.jpg' } }, { chatId: this.customerChat(), idMessage: this.id() }), 'may-change', { fetches: true }));
			// As the message id, the sender name and the text.
			out.push(this.authentic(fx.incoming(fx.textMessage(name), { chatId: this.customerChat(), idMessage: name, senderName: name }), 'may-change'));
			// As the quoted message's type and the file's mime type.
			out.push(this.authentic(fx.incoming(fx.withQuote(fx.textMessage('reply'), { stanzaId: name, typeMessage: name, participant: name }), { chatId: this.customerChat(), idMessage: this.id() }), 'may-change'));
			out.push(this.authentic(fx.incoming(fx.documentMessage(this.fileUrl(), name, name), { chatId: this.customerChat(), idMessage: this.id() }), 'may-change', { fetches: true }));
			// As the edited / deleted / reacted-to message id.
			out.push(this.authentic(fx.incoming(this.rng.pick([fx.editedMessage(name, 'edit'), fx.deletedMessage(name), fx.reactionMessage('👍', name)]), { chatId: this.customerChat(), idMessage: this.id() }), 'may-change'));
		}
		// Pollution payloads that do not use an own __proto__ key.
		for (const pollution of [{ constructor: { prototype: { polluted: true } } }, { prototype: { polluted: true } }, { hasOwnProperty: 'x' }]) {
			out.push(this.authentic({ ...(this.text('pollution') as object), ...pollution }, 'may-change'));
			out.push(this.authentic({ ...(fx.stateChanged('authorized') as object), ...pollution, stateInstance: 'authorized' }, 'may-change'));
		}
		return out;
	}

	/** Control, bidi and zero-width characters in every text field of an authentic message. */
	private controlChars(n: number): WebhookCase[] {
		const out: WebhookCase[] = [];
		const spice = (s: string) => withControlChars(this.rng, s);
		for (let i = 0; i < n; i++) {
			const chatId = this.customerChat();
			const idMessage = this.rng.chance(0.2) ? spice(this.id()) : this.id();
			switch (i % 6) {
				case 0: out.push(this.authentic(fx.incoming(fx.textMessage(spice('hello there')), { chatId, idMessage }), 'may-change')); break;
				case 1: out.push(this.authentic(fx.incoming(fx.textMessage('named'), { chatId, idMessage, senderName: spice('Mallory'), chatName: spice('Chat'), senderContactName: spice('') }), 'may-change')); break;
				case 2: out.push(this.authentic(fx.incoming(fx.imageMessage(this.fileUrl(), spice('caption'), { fileName: spice('a.jpg'), mimeType: spice('image/jpeg') }), { chatId, idMessage }), 'may-change', { fetches: true })); break;
				case 3: out.push(this.authentic(fx.incoming({ typeMessage: spice('textMessage'), textMessageData: { textMessage: 'x' } }, { chatId, idMessage }), 'may-change')); break;
				case 4: out.push(this.authentic(fx.incoming(fx.locationMessage(1, 2, { name: spice('Place'), address: spice('Street') }), { chatId, idMessage }), 'may-change')); break;
				default: out.push(this.authentic(fx.incoming(fx.contactMessage(spice('Alex'), spice('+7 234 567 8901')), { chatId, idMessage }), 'may-change'));
			}
		}
		return out;
	}

	/** Strings near the body limit in each field. */
	private hugeStrings(): WebhookCase[] {
		const big = (n = 90_000) => `${'Lorem ipsum '.repeat(Math.ceil(n / 12)).slice(0, n)}`;
		const c = () => this.customerChat();
		return [
			this.authentic(fx.incoming(fx.textMessage(big()), { chatId: c(), idMessage: this.id() }), 'may-change'),
			this.authentic(fx.incoming(fx.textMessage(`${'😀'.repeat(22_000)}`), { chatId: c(), idMessage: this.id() }), 'may-change'),
			this.authentic(fx.incoming(fx.textMessage('big name'), { chatId: c(), idMessage: this.id(), senderName: big(), chatName: big(5000) }), 'may-change'),
			this.authentic(fx.incoming(fx.textMessage('big id'), { chatId: c(), idMessage: `BAE5${this.rng.hex(60_000)}` }), 'may-change'),
			this.authentic(fx.incoming({ typeMessage: big(), textMessageData: { textMessage: 'x' } }, { chatId: c(), idMessage: this.id() }), 'may-change'),
			this.authentic(fx.incoming(fx.imageMessage(this.fileUrl(), big(30_000), { fileName: `${big(60_000)}.jpg` }), { chatId: c(), idMessage: this.id() }), 'may-change', { fetches: true }),
			// Its own chat: a fetch that keeps failing would hold a shared chat back.
			this.authentic(fx.incoming(fx.imageMessage(`https://sw-media.storage.yandexcloud.net/${big(90_000).replace(/ /g, 'a')}.jpg`), { chatId: '79003999999@c.us', idMessage: this.id() }), 'may-change', { fetches: true }),
			this.authentic(fx.incoming(fx.withQuote(fx.textMessage('reply'), fx.quoted('Q1', { text: big() })), { chatId: c(), idMessage: this.id() }), 'may-change'),
			this.authentic(fx.incoming(fx.contactMessage(big(25_000), '+7 900 000 0000'), { chatId: c(), idMessage: this.id() }), 'may-change'),
			this.authentic(fx.incoming(fx.pollMessage('q', Array.from({ length: 4000 }, (_, k) => `o${k}`)), { chatId: c(), idMessage: this.id() }), 'may-change'),
			this.authentic(fx.incoming(fx.locationMessage(1, 2, { name: big(45_000), address: big(45_000) }), { chatId: c(), idMessage: this.id() }), 'may-change'),
			this.authentic(fx.incoming(fx.editedMessage(this.id(), big()), { chatId: c(), idMessage: this.id() }), 'may-change'),
			this.authentic({ ...fx.status(this.id(), 'failed', { chatId: c() }), description: big() }, 'unchanged'),
			this.authentic(fx.incoming(fx.textMessage('hello'), { chatId: `${'7'.repeat(45_000)}@c.us`, idMessage: this.id() }), 'unchanged'),
			this.authentic({ typeWebhook: big(), instanceData: { idInstance: Number(this.ctx.instanceId) } }, 'unchanged'),
			this.authentic(this.text('big query'), 'may-change', { query: { instance: this.ctx.instanceId, junk: big(20_000) } }),
		];
	}

	/** Every field of the text, file, status and state envelopes, replaced by each wrong type. */
	private wrongTypes(): WebhookCase[] {
		const out: WebhookCase[] = [];
		// Fields whose loss leaves no usable envelope: nothing may change. The rest are content: a note, never garbage.
		const textPaths: Array<[string[], Expectation]> = [
			[['typeWebhook'], 'unchanged'], [['instanceData'], 'unchanged'], [['instanceData', 'idInstance'], 'unchanged'], [['senderData'], 'unchanged'],
			[['senderData', 'chatId'], 'unchanged'], [['idMessage'], 'unchanged'],
			[['instanceData', 'wid'], 'may-change'], [['instanceData', 'typeInstance'], 'may-change'], [['timestamp'], 'may-change'], [['senderData', 'sender'], 'may-change'],
			[['senderData', 'senderName'], 'may-change'], [['senderData', 'chatName'], 'may-change'], [['senderData', 'senderContactName'], 'may-change'],
			[['messageData'], 'may-change'], [['messageData', 'typeMessage'], 'may-change'], [['messageData', 'textMessageData'], 'may-change'], [['messageData', 'textMessageData', 'textMessage'], 'may-change'],
		];
		for (const [path, expect] of textPaths) for (const wrong of WRONG_TYPES) out.push(this.authentic(setPath(this.text('typed'), path, wrong), expect));
		const filePaths = ['downloadUrl', 'caption', 'fileName', 'mimeType', 'jpegThumbnail', 'isForwarded', 'forwardingScore'];
		for (const field of filePaths) {
			for (const wrong of WRONG_TYPES.slice(0, 8)) {
				out.push(this.authentic(setPath(fx.incoming(fx.imageMessage(this.fileUrl()), { chatId: this.customerChat(), idMessage: this.id() }), ['messageData', 'fileMessageData', field], wrong), 'may-change', { fetches: true }));
			}
		}
		for (const field of ['chatId', 'idMessage', 'status']) for (const wrong of WRONG_TYPES) out.push(this.authentic(setPath(fx.status(this.id(), 'failed', { chatId: this.customerChat() }), [field], wrong), 'unchanged'));
		for (const wrong of WRONG_TYPES) out.push(this.authentic(setPath(fx.stateChanged('notAuthorized'), ['stateInstance'], wrong), 'unchanged'));
		// Other message types with their data object replaced.
		const others = [fx.locationMessage(), fx.contactMessage(), fx.contactsArrayMessage(), fx.pollMessage(), fx.reactionMessage('👍', 'X1'), fx.editedMessage('X2', 't'), fx.deletedMessage('X3'), fx.buttonsResponseMessage(), fx.listResponseMessage(), fx.extendedTextMessage('e')];
		for (const md of others) {
			const key = Object.keys(md).find((k) => k !== 'typeMessage')!;
			for (const wrong of [null, 42, 'x', [], { a: 1 }]) out.push(this.authentic(fx.incoming({ ...md, [key]: wrong }, { chatId: this.customerChat(), idMessage: this.id() }), 'may-change'));
		}
		return out;
	}

	/** downloadUrl values that point anywhere but the provider's media hosts: never fetched. */
	private mediaUrls(randomCount: number): WebhookCase[] {
		const port = this.ctx.closedPort;
		const site = this.ctx.siteUrl.replace(/\/$/, '');
		const fixed = [
			`http://127.0.0.1:${port}/x.jpg`, `https://127.0.0.1:${port}/x.jpg`, `http://127.0.0.1:1/x.jpg`, `http://[::1]:${port}/x.jpg`, `http://0.0.0.0:${port}/x.jpg`,
			`http://[::ffff:127.0.0.1]:${port}/x.jpg`, `http://[::ffff:7f00:1]:${port}/x.jpg`, `http://localhost:${port}/x.jpg`, `http://2130706433:${port}/x.jpg`, `http://0x7f000001:${port}/x.jpg`,
			`http://0177.0.0.1:${port}/x.jpg`, `http://127.1:${port}/x.jpg`, `${site}/api/v1/info`, `${site}/api/apps/public/${this.ctx.appId}/health`, `${site}/api/v1/me`,
			'http://10.0.0.1/x.jpg', 'http://172.16.0.1/x.jpg', 'http://192.168.1.1/x.jpg', 'http://100.64.0.1/x.jpg', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
			'http://metadata.google.internal/computeMetadata/v1/', 'http://[fd00:ec2::254]/latest/meta-data/', 'http://100.100.100.200/latest/meta-data/',
			'https://user:pass@sw-media.storage.yandexcloud.net/1/a.jpg', `https://sw-media.storage.yandexcloud.net@127.0.0.1:${port}/a.jpg`, `http://127.0.0.1:${port}#@sw-media.storage.yandexcloud.net/a.jpg`,
			'https://sw-media.storage.yandexcloud.net.evil.example/a.jpg', 'https://evil.example/sw-media.storage.yandexcloud.net/a.jpg', 'https://sw-media.storage.yandexcloud.net\u0000.evil.example/a.jpg',
			`https://sw-media.storage.yandexcloud.net\\@127.0.0.1:${port}/a.jpg`, 'ftp://sw-media.storage.yandexcloud.net/a.jpg', 'file:///etc/passwd', 'gopher://127.0.0.1:6379/_INFO',
			'javascript:alert(1)', 'data:image/png;base64,iVBORw0KGgo=', '//127.0.0.1/x.jpg', '/api/v1/info', 'sw-media.storage.yandexcloud.net/a.jpg', 'http://example.com/a.jpg',
			`https://sw-media.storage.yandexcloud.net/${'a'.repeat(90_000)}.jpg`,
		];
		const out: WebhookCase[] = [];
		// One chat per URL: a file that cannot be fetched holds its chat's later messages back, so every URL
		// gets its own first attempt.
		let chat = 0;
		const ownChat = () => `790030${String(++chat).padStart(5, '0')}@c.us`;
		const make = (url: string) => this.rng.pick([fx.imageMessage(url), fx.documentMessage(url, 'a.pdf'), fx.voiceMessage(url), fx.videoMessage(url), fx.stickerMessage(url)]);
		for (const url of fixed) out.push(this.authentic(fx.incoming(make(url), { chatId: ownChat(), idMessage: this.id() }), 'may-change', { fetches: true }));
		const hosts = ['127.0.0.1', `127.0.0.1:${port}`, '[::1]', '0.0.0.0', '10.1.2.3', '192.168.0.10', '172.20.0.1', '169.254.169.254', 'localhost', 'rc.test', 'evil.example', '[::ffff:a9fe:a9fe]'];
		const schemes = ['http', 'https', 'HTTP', 'hTtPs'];
		const tricks = [(h: string) => h, (h: string) => `user@${h}`, (h: string) => `${h}.`, (h: string) => `${h}:443`, (h: string) => `${h}:80`];
		for (let i = 0; i < randomCount; i++) {
			const url = `${this.rng.pick(schemes)}://${this.rng.pick(tricks)(this.rng.pick(hosts))}/${this.rng.pick(['x.jpg', 'api/v1/info', '..%2f..%2fetc/passwd', '?a=1#b'])}`;
			out.push(this.authentic(fx.incoming(make(url), { chatId: ownChat(), idMessage: this.id() }), 'may-change', { fetches: true }));
		}
		// A file from the listed host still arrives (the fakes stand for the provider's hosts).
		out.push(this.authentic(fx.incoming(fx.imageMessage(`${this.ctx.filesUrl}/files/ok.jpg`), { chatId: ownChat(), idMessage: this.id() }), 'may-change', { fetches: true }));
		return out;
	}
}

/** A copy of `body` with `path` set to `value`. */
export function setPath(body: unknown, path: string[], value: unknown): unknown {
	const copy = JSON.parse(JSON.stringify(body));
	let o = copy;
	for (const k of path.slice(0, -1)) o = o[k];
	o[path[path.length - 1]] = value;
	return copy;
}

/** Bodies with an own `__proto__` key hang the engine's transport before any app code runs: never generated here. */
export function assertNoOwnProtoKey(v: unknown, where: string): void {
	if (v === null || typeof v !== 'object') return;
	if (Object.prototype.hasOwnProperty.call(v, '__proto__')) throw new Error(`hostile inputs (${where}): a body with an own __proto__ key slipped in`);
	for (const child of Object.values(v as object)) assertNoOwnProtoKey(child, where);
}

function assertWithinBodyLimit(v: unknown, where: string): void {
	const bytes = v === undefined ? 0 : Buffer.byteLength(typeof v === 'string' ? v : JSON.stringify(v));
	if (bytes > MAX_BODY_BYTES) throw new Error(`hostile inputs (${where}): a ${bytes}-byte body is over the ${MAX_BODY_BYTES}-byte limit`);
}

/** The suite looks for the secrets in what the app wrote, so the inputs must never carry them. */
function assertNoSecret(v: unknown, secrets: string[], where: string): void {
	const text = v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
	for (const s of secrets) if (text.includes(s)) throw new Error(`hostile inputs (${where}): a body carries a secret`);
}

// ───────── Cloud API and 360dialog ─────────

export interface CloudWebhookContext {
	provider: 'cloud' | '360dialog';
	/** The endpoint path and the query of the URL the admin was given (instance + URL secret). */
	path: string;
	query: Record<string, string>;
	/** Headers a genuine webhook carries (360dialog: the header secret). */
	headers: Record<string, string>;
	phoneNumberId: string;
	/** The business number's digits. */
	display: string;
	wabaId: string;
	/** Secrets the bodies must never carry. */
	secrets: string[];
}

/** Customers of the 'may-change' Cloud classes (few, so rooms stay few). */
export const CLOUD_CUSTOMERS = ['16505550001', '16505550002', '16505550003', '4915112340004', 'US.13491208655302741918'];

/**
 * Generated Cloud API / 360dialog webhook requests, by class. 'unchanged': no credentials, or an authentic
 * body that does not hold to the documented shapes (a sender that is no wa_id or BSUID, an ill-typed text, a
 * phone_number_id that is not a connected number, another object or field, an id or timestamp of another
 * shape) — answered 200 `ignored`, nothing changes. 'may-change': an authentic body of a customer's chat
 * with hostile content: it may post, never garbage.
 */
export class CloudWebhookInputs {
	private seq = 0;

	constructor(private readonly rng: Prng, private readonly ctx: CloudWebhookContext) {}

	all(): Array<{ cls: string; cases: WebhookCase[] }> {
		const p = this.ctx.provider;
		const classes: Array<[string, WebhookCase[]]> = [
			[`${p}: no-credentials`, this.noCredentials()],
			[`${p}: senders`, this.senders(60)],
			[`${p}: text-shapes`, this.textShapes()],
			[`${p}: phone-number-ids`, this.phoneNumberIds()],
			[`${p}: objects-and-fields`, this.objectsAndFields()],
			[`${p}: ids-and-timestamps`, this.idsAndTimestamps()],
			[`${p}: statuses`, this.statuses()],
			[`${p}: user-preferences`, this.userPreferences()],
			[`${p}: wrong-types`, this.wrongTypes()],
			[`${p}: prototype-keys`, this.prototypeKeys()],
			[`${p}: control-chars`, this.controlChars(30)],
		];
		return classes.map(([cls, cases]) => {
			for (const c of cases) {
				assertNoOwnProtoKey(c.content, cls);
				assertWithinBodyLimit(c.content, cls);
				assertNoSecret(c.content, this.ctx.secrets, cls);
			}
			return { cls, cases: cases.map((c) => ({ ...c, cls })) };
		});
	}

	// ───────── building blocks ─────────

	wamid(): string {
		this.seq += 1;
		return `wamid.HBgL${this.rng.hex(16)}${this.seq.toString(16).toUpperCase().padStart(4, '0')}`;
	}

	/** A customer's text message object (documented shape). */
	text(body: string, from: unknown = this.rng.pick(CLOUD_CUSTOMERS)): Record<string, unknown> {
		return { from, id: this.wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } };
	}

	/** The `value` of a `messages` change for the connected number, with the sender's contact. */
	value(messages: Array<Record<string, unknown>>, over: Record<string, unknown> = {}): Record<string, any> {
		const contacts = messages.map((m) => (typeof m.from === 'string' && /^[A-Z]{2}\./.test(m.from) ? { profile: { name: 'Username User' }, user_id: m.from } : { profile: { name: 'Hostile Customer' }, wa_id: m.from }));
		return { messaging_product: 'whatsapp', metadata: { display_phone_number: this.ctx.display, phone_number_id: this.ctx.phoneNumberId }, contacts, messages, ...over };
	}

	body(...values: Array<Record<string, unknown>>): Record<string, any> {
		return { object: 'whatsapp_business_account', entry: [{ id: this.ctx.wabaId, changes: values.map((value) => ({ value, field: 'messages' })) }] };
	}

	authentic(content: unknown, expect: Expectation, extra: Partial<WebhookCase> = {}): WebhookCase {
		return { cls: '', expect, path: this.ctx.path, method: 'POST', headers: { 'content-type': 'application/json', ...this.ctx.headers }, query: { ...this.ctx.query }, content, ...extra };
	}

	// ───────── classes ─────────

	private noCredentials(): WebhookCase[] {
		const good = () => this.body(this.value([this.text('no credentials')]));
		const s = this.ctx.query.secret;
		const flip = (v: string, i: number) => v.slice(0, i) + (v[i] === 'a' ? 'b' : 'a') + v.slice(i + 1);
		const queries: Array<Record<string, unknown>> = [
			{}, { instance: this.ctx.query.instance }, { secret: s }, { instance: this.ctx.query.instance, secret: '' }, { instance: this.ctx.query.instance, secret: flip(s, 0) },
			{ instance: this.ctx.query.instance, secret: flip(s, s.length - 1) }, { instance: this.ctx.query.instance, secret: s.slice(0, -1) }, { instance: this.ctx.query.instance, secret: `${s}x` },
			{ instance: this.ctx.query.instance, secret: s.toUpperCase() }, { instance: 'constructor', secret: s }, { instance: '__proto__', secret: s }, { instance: this.ctx.phoneNumberId === this.ctx.query.instance ? '999' : this.ctx.phoneNumberId, secret: s },
			// repeated keys: Express's query parser makes arrays of them (a single key stays a string)
			{ instance: [this.ctx.query.instance, this.ctx.query.instance], secret: [s, s] }, { instance: this.ctx.query.instance, secret: [s, s] },
			{ instance: this.ctx.query.instance, secret: { $ne: '' } },
		];
		const out = queries.map((query) => this.authentic(good(), 'unchanged', { query }));
		if (this.ctx.provider === '360dialog') {
			const variants: Array<Record<string, string>> = [{}, { 'x-webhook-secret': '' }, { 'x-webhook-secret': 'nope' }, { 'x-webhook-secret': `${this.ctx.headers['x-webhook-secret']}x` }];
			for (const headers of variants) {
				out.push(this.authentic(good(), 'unchanged', { headers: { 'content-type': 'application/json', ...headers } }));
			}
		}
		return out;
	}

	/** `from` values that are neither a wa_id nor a BSUID, the business number, no sender at all. */
	private senders(randomCount: number): WebhookCase[] {
		const fixed: unknown[] = [
			'1'.repeat(10_000), '9'.repeat(16), this.ctx.display, 'status@broadcast', '16505551234@c.us', '123456789012345@lid', '120363025246125486@g.us', '+16505551234', '0016505551234',
			'06505551234', '123', '', ' ', '\u0000', 'null', 'undefined', 'constructor', '__proto__', 'toString', 'us.13491208655302741918', 'US.', 'US..1', 'USA.1349', 'U.1349', 'US.1349-1',
			`US.${'a'.repeat(129)}`, 'US.13491208655302741918\n', '<script>', '1650555١٢٣٤', '１６５０５５５１２３４', 42, 16505551234, null, true, {}, [], ['16505551234'], { wa_id: '16505551234' },
		];
		const out: WebhookCase[] = [];
		for (const from of fixed) {
			const m = this.text('from nobody');
			m.from = from;
			out.push(this.authentic(this.body(this.value([m], { contacts: [{ profile: { name: 'Nobody' }, wa_id: from }] })), 'unchanged'));
		}
		// No sender at all, with and without a contact to borrow one from.
		for (const contacts of [[], [{ profile: { name: 'Borrowed' }, wa_id: '16505550001' }]]) {
			const m = this.text('no sender');
			delete m.from;
			out.push(this.authentic(this.body(this.value([m], { contacts })), 'unchanged'));
		}
		// from_user_id that is not a BSUID beside a valid from.
		for (const fromUserId of ['16505550001', 'us.1', '', null, 7, 'constructor']) out.push(this.authentic(this.body(this.value([{ ...this.text('x', '16505550001'), from_user_id: fromUserId }])), 'unchanged'));
		const pieces = [...CONTROL_CHARS, '+', ' ', '<', '"', "'", '/', '\\', '@', '.', '-', '%', '٣', '３', 'e', 'x', '😀'];
		for (let i = 0; i < randomCount; i++) {
			const base = this.rng.pick(['16505550001', 'US.13491208655302741918']);
			let from = this.rng.insert(base.slice(3), this.rng.pick(pieces));
			from = base.slice(0, 3) + from;
			if (/^[1-9]\d{6,14}$/.test(from) || /^[A-Z]{2}\.(?:ENT\.)?[A-Za-z0-9]{1,128}$/.test(from)) from = `${from}@`;
			out.push(this.authentic(this.body(this.value([this.text('mutated', from)])), 'unchanged'));
		}
		return out;
	}

	/** Ill-typed or blank text, and no type: never an empty visitor message. */
	private textShapes(): WebhookCase[] {
		const out: WebhookCase[] = [];
		for (const text of [{}, 0, 1, null, true, [], ['hi'], 'hi', { body: 0 }, { body: null }, { body: '' }, { body: ' ' }, { body: '\n\t ' }, { body: {} }, { body: ['hi'] }, { Body: 'hi' }]) {
			out.push(this.authentic(this.body(this.value([{ ...this.text('x'), text }])), 'unchanged'));
		}
		for (const type of [undefined, null, '', ' ', 0, {}, []]) out.push(this.authentic(this.body(this.value([{ ...this.text('x'), type }])), 'unchanged'));
		return out;
	}

	/** The number must come from the payload and be the connected one. */
	private phoneNumberIds(): WebhookCase[] {
		const out: WebhookCase[] = [];
		for (const id of [undefined, null, '', ' ', '   ', '999', '106540352242999', `${this.ctx.phoneNumberId} `, `${this.ctx.phoneNumberId}x`, ...PROTOTYPE_NAMES, '__proto__', 0, 106540352242922, {}, [], [this.ctx.phoneNumberId], true]) {
			const v = this.value([this.text('which number?')]);
			if (id === undefined) delete v.metadata.phone_number_id;
			else v.metadata.phone_number_id = id;
			// The display number says it is ours: only the id counts where it is known.
			out.push(this.authentic(this.body(v), 'unchanged'));
		}
		for (const metadata of [undefined, null, 'x', [], {}, { display_phone_number: this.ctx.display }]) {
			const v = this.value([this.text('no metadata')]);
			if (metadata === undefined) delete v.metadata;
			else v.metadata = metadata;
			out.push(this.authentic(this.body(v), 'unchanged'));
		}
		for (const product of ['instagram', 'WHATSAPP', '', null, 1]) out.push(this.authentic(this.body(this.value([this.text('x')], { messaging_product: product })), 'unchanged'));
		return out;
	}

	private objectsAndFields(): WebhookCase[] {
		const out: WebhookCase[] = [];
		for (const object of ['page', 'instagram', 'user', 'whatsapp_business_account ', 'WHATSAPP_BUSINESS_ACCOUNT', '', null, 7, {}, ['whatsapp_business_account'], ...PROTOTYPE_NAMES.slice(0, 4)]) {
			out.push(this.authentic({ ...this.body(this.value([this.text('x')])), object }, 'unchanged'));
		}
		const noObject = this.body(this.value([this.text('x')]));
		delete noObject.object;
		out.push(this.authentic(noObject, 'unchanged'));
		for (const field of ['message', 'Messages', 'messages ', 'calls', 'security', 'flows', '', null, 7, {}, ...PROTOTYPE_NAMES]) {
			out.push(this.authentic({ object: 'whatsapp_business_account', entry: [{ id: this.ctx.wabaId, changes: [{ field, value: this.value([this.text('x')]) }] }] }, 'unchanged'));
		}
		for (const entry of [undefined, null, 'x', {}, [], [null], [7], [{}], [{ changes: 'x' }], [{ changes: [null, 7, 'x', {}] }]]) {
			out.push(this.authentic({ object: 'whatsapp_business_account', entry }, 'unchanged'));
		}
		for (const content of ['', 'not json', '[]', '{}', 'null', '"x"', '{"object":', null, 7, []]) out.push(this.authentic(content, 'unchanged'));
		return out;
	}

	private idsAndTimestamps(): WebhookCase[] {
		const out: WebhookCase[] = [];
		for (const id of [undefined, null, '', ' ', 'wamid.with space', 'wamid.<b>', `wamid.${'A'.repeat(300)}`, 'wamid.\u0000', 7, {}, []]) {
			const m = this.text('odd id');
			if (id === undefined) delete m.id;
			else m.id = id;
			out.push(this.authentic(this.body(this.value([m])), 'unchanged'));
		}
		const future = String(Math.floor(Date.now() / 1000) + 3 * 24 * 3600);
		for (const timestamp of [undefined, null, '', 'now', '-1', '0', '1.7e9', '17393210241739321024', future, {}, [], true]) {
			const m = this.text('odd time');
			if (timestamp === undefined) delete m.timestamp;
			else m.timestamp = timestamp;
			out.push(this.authentic(this.body(this.value([m])), 'unchanged'));
		}
		return out;
	}

	/**
	 * Marketing preferences off Meta's documented shape (another category or value, no customer, the business
	 * itself, an odd time, another number, entries that are no objects): ignored, nothing recorded or posted.
	 */
	private userPreferences(): WebhookCase[] {
		const out: WebhookCase[] = [];
		const metadata = { display_phone_number: this.ctx.display, phone_number_id: this.ctx.phoneNumberId };
		const change = (value: Record<string, unknown>) => ({ object: 'whatsapp_business_account', entry: [{ id: this.ctx.wabaId, changes: [{ field: 'user_preferences', value }] }] });
		const entry = (over: Record<string, unknown>) => ({ wa_id: CLOUD_CUSTOMERS[0], detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: Math.floor(Date.now() / 1000), ...over });
		const future = Math.floor(Date.now() / 1000) + 3 * 24 * 3600;
		for (const over of [
			...['offers', 'MARKETING_MESSAGES', '', null, 7, {}, ...PROTOTYPE_NAMES.slice(0, 4)].map((category) => ({ category })),
			...['STOP', 'stopped', 'unsubscribe', '', null, 1, {}, [], ...PROTOTYPE_NAMES.slice(0, 4)].map((value) => ({ value })),
			...['status@broadcast', '1'.repeat(300), this.ctx.display, '0', '', null, 7, {}, ...PROTOTYPE_NAMES.slice(0, 4)].map((wa_id) => ({ wa_id })),
			...['now', '-1', '0', future, {}, [], true, null].map((timestamp) => ({ timestamp })),
		]) {
			out.push(this.authentic(change({ messaging_product: 'whatsapp', metadata, user_preferences: [entry(over)] }), 'unchanged'));
		}
		for (const list of ['x', 7, {}, null, [], [null], [7], ['stop']]) out.push(this.authentic(change({ messaging_product: 'whatsapp', metadata, user_preferences: list }), 'unchanged'));
		for (const id of ['999', null, '', 'constructor']) {
			out.push(this.authentic(change({ messaging_product: 'whatsapp', metadata: { ...metadata, phone_number_id: id }, user_preferences: [entry({})] }), 'unchanged'));
		}
		return out;
	}

	/** Statuses naming no customer, unknown states, messages the app never sent: nothing changes. */
	private statuses(): WebhookCase[] {
		const out: WebhookCase[] = [];
		const status = (over: Record<string, unknown>) => ({ id: this.wamid(), status: 'read', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: '16505550001', ...over });
		for (const over of [
			{}, { status: 'failed', errors: [{ code: 131047, title: 'Re-engagement message' }] }, { status: 'deleted' }, { status: 'constructor' }, { status: 'toString' }, { status: null },
			{ recipient_id: 'status@broadcast' }, { recipient_id: '1'.repeat(10_000) }, { recipient_id: null }, { recipient_id: 'constructor' }, { recipient_user_id: 'us.1' }, { id: null }, { id: 'constructor' },
			{ status: 'delivered', pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' } }, { status: 'sent', pricing: { category: 'constructor', type: 'toString' } },
			{ status: 'delivered', pricing: 'x' }, { status: 'delivered', pricing: { category: { a: 1 } } },
		]) {
			out.push(this.authentic(this.body({ ...this.value([]), contacts: undefined, messages: undefined, statuses: [status(over)] }), 'unchanged'));
		}
		return out;
	}

	/** Every field of the text envelope replaced by each wrong type. */
	private wrongTypes(): WebhookCase[] {
		const out: WebhookCase[] = [];
		const paths: Array<[string[], Expectation]> = [
			[['object'], 'unchanged'], [['entry'], 'unchanged'], [['entry', '0', 'changes'], 'unchanged'], [['entry', '0', 'changes', '0', 'field'], 'unchanged'],
			[['entry', '0', 'changes', '0', 'value'], 'unchanged'], [['entry', '0', 'changes', '0', 'value', 'metadata'], 'unchanged'],
			[['entry', '0', 'changes', '0', 'value', 'metadata', 'phone_number_id'], 'unchanged'], [['entry', '0', 'changes', '0', 'value', 'messages'], 'unchanged'],
			[['entry', '0', 'changes', '0', 'value', 'messages', '0'], 'unchanged'], [['entry', '0', 'changes', '0', 'value', 'messages', '0', 'from'], 'unchanged'],
			[['entry', '0', 'changes', '0', 'value', 'messages', '0', 'id'], 'unchanged'], [['entry', '0', 'changes', '0', 'value', 'messages', '0', 'timestamp'], 'unchanged'],
			[['entry', '0', 'changes', '0', 'value', 'messages', '0', 'type'], 'unchanged'], [['entry', '0', 'changes', '0', 'value', 'messages', '0', 'text'], 'unchanged'],
			[['entry', '0', 'changes', '0', 'value', 'messages', '0', 'text', 'body'], 'unchanged'],
			[['entry', '0', 'id'], 'may-change'], [['entry', '0', 'changes', '0', 'value', 'metadata', 'display_phone_number'], 'may-change'], [['entry', '0', 'changes', '0', 'value', 'contacts'], 'may-change'],
			[['entry', '0', 'changes', '0', 'value', 'contacts', '0', 'profile'], 'may-change'], [['entry', '0', 'changes', '0', 'value', 'contacts', '0', 'profile', 'name'], 'may-change'],
			[['entry', '0', 'changes', '0', 'value', 'messages', '0', 'context'], 'may-change'],
		];
		for (const [path, expect] of paths) {
			for (const wrong of WRONG_TYPES) {
				const from = expect === 'may-change' ? this.rng.pick(CLOUD_CUSTOMERS.slice(0, 4)) : undefined;
				out.push(this.authentic(setPath(this.body(this.value([this.text('typed', from)])), path, wrong), expect));
			}
		}
		// Other message types with their data object replaced: a note at most, never garbage.
		const others: Array<Record<string, unknown>> = [
			{ type: 'image', image: { id: '2754859441498128', mime_type: 'image/jpeg' } }, { type: 'location', location: { latitude: 1, longitude: 2 } }, { type: 'reaction', reaction: { message_id: 'wamid.X', emoji: '👍' } },
			{ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'a', title: 'A' } } }, { type: 'contacts', contacts: [{ name: { formatted_name: 'Jane' } }] }, { type: 'edit', edit: { original_message_id: 'wamid.X' } },
		];
		for (const o of others) {
			const key = Object.keys(o).find((k) => k !== 'type')!;
			for (const wrong of [null, 42, 'x', [], { a: 1 }]) {
				const m = { ...this.text('x', this.rng.pick(CLOUD_CUSTOMERS.slice(0, 4))), ...o, [key]: wrong };
				delete m.text;
				out.push(this.authentic(this.body(this.value([m])), 'may-change'));
			}
		}
		return out;
	}

	/** Object.prototype member names as keys and values at every level of an authentic message. */
	private prototypeKeys(): WebhookCase[] {
		const out: WebhookCase[] = [];
		const value = () => this.rng.pick<unknown>(['x', 1, null, {}, [], true, { polluted: true }]);
		for (const name of PROTOTYPE_NAMES) {
			const b = this.body(this.value([this.text('proto keys')]));
			b[name] = value();
			b.entry[0][name] = value();
			b.entry[0].changes[0][name] = value();
			b.entry[0].changes[0].value[name] = value();
			b.entry[0].changes[0].value.metadata[name] = value();
			b.entry[0].changes[0].value.messages[0][name] = value();
			b.entry[0].changes[0].value.messages[0].text[name] = value();
			out.push(this.authentic(b, 'may-change'));
			// As the type (shown as unsupported at most), the text, the name and a quoted id.
			out.push(this.authentic(this.body(this.value([{ ...this.text('x'), type: name, [name]: { body: 'x' } }])), 'may-change'));
			out.push(this.authentic(this.body(this.value([this.text(name)], { contacts: [{ profile: { name }, wa_id: '16505550002' }] })), 'may-change'));
			out.push(this.authentic(this.body(this.value([{ ...this.text('reply', '16505550003'), context: { id: name, from: name } }])), 'may-change'));
			out.push(this.authentic(this.body(this.value([{ ...this.text('x', '16505550001'), type: 'reaction', reaction: { message_id: name, emoji: name } }])), 'may-change'));
		}
		return out;
	}

	private controlChars(n: number): WebhookCase[] {
		const out: WebhookCase[] = [];
		const spice = (s: string) => withControlChars(this.rng, s);
		for (let i = 0; i < n; i++) {
			const from = this.rng.pick(CLOUD_CUSTOMERS.slice(0, 4));
			switch (i % 3) {
				case 0: out.push(this.authentic(this.body(this.value([this.text(spice('hello there'), from)])), 'may-change')); break;
				case 1: out.push(this.authentic(this.body(this.value([this.text('named', from)], { contacts: [{ profile: { name: spice('Mallory'), username: spice('@m') }, wa_id: from }] })), 'may-change')); break;
				default: out.push(this.authentic(this.body(this.value([{ ...this.text('x', from), type: 'location', location: { latitude: 1, longitude: 2, name: spice('Place'), address: spice('Street') } }])), 'may-change'));
			}
		}
		return out;
	}
}

/** `s` with one to four control, bidi or zero-width characters inserted at random places. */
function withControlChars(rng: Prng, s: string): string {
	let r = s;
	for (let k = rng.int(1, 4); k > 0; k--) r = rng.insert(r, rng.pick(CONTROL_CHARS));
	return r;
}
