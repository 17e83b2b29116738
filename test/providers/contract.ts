// The provider contract: what the core relies on, checked for every adapter (GREEN-API, Cloud API,
// 360dialog, and the neutral test provider). Each adapter's test file calls providerContract() with a
// kit that knows how to speak that provider's wire format; the expectations here are shared.
import { HttpResponse } from '../../src/core/ports/http';
import { InstanceLookup, WebhookRequest, WhatsAppProvider } from '../../src/core/ports/provider';
import { InstanceRecord } from '../../src/core/ports/records';
import { hasKey } from '../../src/i18n/translate';
import { FakeHttp } from './fakeHttp';

export interface ContractKit {
	provider: WhatsAppProvider;
	/** A connected instance of this provider, as the app stores it. */
	instance: InstanceRecord;
	/** Valid arguments after `instance add <provider>`, naming `instance.id`. */
	addArguments: string[];
	/** A genuine webhook carrying one customer text `text` with provider message id `messageId`. */
	inboundText(text: string, messageId: string): WebhookRequest;
	/** The same request with the provider's credential (secret, token, signature) wrong. */
	forged(req: WebhookRequest): WebhookRequest;
	/** A genuine webhook saying the agent message `messageId` was delivered. */
	delivered(messageId: string): WebhookRequest;
	/** The answer of a successful send, carrying `messageId`. */
	sendAccepted(messageId: string): HttpResponse;
	/** The answers of a media download of `bytes` (several for providers that resolve an id first). */
	mediaAnswers(bytes: Buffer, mimeType: string): HttpResponse[];
	/** A media reference as the provider puts it into an inbound file event. */
	mediaRef: string;
	/** Hosts of `mediaRef`'s download (what an admin would have to allow, if anything). */
	mediaHosts: string[];
	/** False for the test-only provider, whose texts are not in the app's catalogs. */
	shipped?: boolean;
}

const error = (status: number): HttpResponse => ({ status, headers: { 'content-type': 'application/json' }, json: { error: { message: `HTTP ${status}`, code: status } }, body: `{"error":{"message":"HTTP ${status}"}}` });

const HOSTILE_BODIES: unknown[] = [undefined, null, 0, '', 'text', [], [1, 2], {}, { entry: 'x' }, { typeWebhook: 42 }, { events: {} }, { a: { b: { c: [null, {}] } } }, '{"unterminated', Object.create(null)];

export function providerContract(name: string, makeKit: () => ContractKit): void {
	describe(`provider contract: ${name}`, () => {
		const kit = makeKit();
		const { provider, instance } = kit;
		const lookup: InstanceLookup = { get: async (id) => (id === instance.id ? instance : undefined), list: async () => [instance] };
		const secrets = () => provider.admin.secrets(instance);
		const leaks = (value: unknown) => secrets().filter((s) => s.length >= 6 && JSON.stringify(value).includes(s));

		it('declares its capabilities as consistent data', () => {
			const c = provider.capabilities;
			expect(c.sendsPerSecond).toBeGreaterThan(0);
			expect(c.redeliveryMs).toBeGreaterThan(0);
			expect(c.maxTextLength).toBeGreaterThan(0);
			if (c.serviceWindowMs !== undefined) expect(c.serviceWindowMs).toBeGreaterThan(0);
			// Capabilities are data: no flag repeats whether a member exists (the core checks the member).
			const http = new FakeHttp();
			const session = provider.session(http, instance);
			const members = [...Object.keys(session), ...Object.keys(session.admin), ...Object.keys(session.recovery || {}), ...Object.keys(session.templates || {})];
			expect(Object.keys(c).filter((k) => members.includes(k) || typeof (c as unknown as Record<string, unknown>)[k] === 'function')).toEqual([]);
			for (const flag of ['templates', 'journal', 'qrLinking', 'recovery', 'qr', 'actions']) expect(c).not.toHaveProperty(flag);
			// An optional feature is a member that exists or not: when there, it is callable.
			for (const [name, member] of Object.entries(session)) if (!['templates', 'recovery', 'admin'].includes(name)) expect([name, typeof member]).toEqual([name, 'function']);
			for (const part of [session.admin, session.recovery, session.templates]) for (const [name, member] of Object.entries(part || {})) expect([name, typeof member]).toEqual([name, 'function']);
			// What templates need without a number is there exactly when the session sends templates.
			expect(provider.templates !== undefined).toBe(session.templates !== undefined);
			// Making a session calls nobody: it only binds the number and the HTTP client.
			expect(http.requests).toEqual([]);
			for (const limit of Object.values(c.media)) expect(limit!.maxBytes).toBeGreaterThan(0);
			// "Window closed" failure codes are failure codes like any other: shown with their own text.
			for (const code of c.windowClosedCodes || []) {
				expect(code).toMatch(/^[a-z0-9_]+$/);
				if (kit.shipped !== false) expect([code, hasKey(`reason_${code}`)]).toEqual([code, true]);
			}
			// Templates start conversations from a phone number.
			if (provider.templates) expect(provider.templates.chatIdFor('15550001111')).toMatch(/^\S+$/);
		});

		it('names itself, its webhook path and its usage text', () => {
			expect(provider.name).toMatch(/^[a-z0-9]+$/);
			expect(provider.label.length).toBeGreaterThan(0);
			expect(provider.webhook.path).toMatch(/^[a-z0-9-]+$/);
			if (kit.shipped !== false) expect(hasKey(`instance_add_usage_${provider.name}`)).toBe(true);
		});

		it('authenticates a genuine webhook as its instance, and refuses a forged one or an unknown instance', async () => {
			const req = kit.inboundText('hello', 'C1');
			expect(await provider.webhook.authenticate(req, lookup)).toEqual({ ok: true, instances: [instance] });
			expect(await provider.webhook.authenticate(kit.forged(req), lookup)).toMatchObject({ ok: false });
			const nobody: InstanceLookup = { get: async () => undefined, list: async () => [] };
			expect(await provider.webhook.authenticate(req, nobody)).toMatchObject({ ok: false });
		});

		it('refuses an instance of another provider presenting the same secret', async () => {
			const other = { ...instance, provider: `${provider.name}x` };
			const lookupOther: InstanceLookup = { get: async (id) => (id === other.id ? other : undefined), list: async () => [other] };
			expect(await provider.webhook.authenticate(kit.inboundText('hello', 'C1'), lookupOther)).toMatchObject({ ok: false });
		});

		it('parses a customer text into one neutral message event of that instance', () => {
			const events = provider.webhook.parse(kit.inboundText('hello there', 'C2'), [instance]);
			const messages = events.filter((e) => e.type === 'message');
			expect(messages).toHaveLength(1);
			expect(messages[0]).toMatchObject({ type: 'message', instanceId: instance.id, messageId: 'C2', content: { kind: 'text', text: 'hello there' } });
			const m = messages[0] as Extract<typeof messages[0], { type: 'message' }>;
			expect(m.chatId.length).toBeGreaterThan(0);
			expect(m.timestamp).toBeGreaterThan(0);
		});

		it('parses a delivery status into a neutral state', () => {
			const events = provider.webhook.parse(kit.delivered('OUT1'), [instance]);
			expect(events.filter((e) => e.type === 'status')).toEqual([expect.objectContaining({ type: 'status', instanceId: instance.id, messageId: 'OUT1', status: 'delivered' })]);
		});

		it('never throws on hostile bodies, and returns only ignored events for them', () => {
			for (const content of HOSTILE_BODIES) {
				const req = { ...kit.inboundText('x', 'H1'), content };
				const events = provider.webhook.parse(req, [instance]);
				expect(Array.isArray(events)).toBe(true);
				expect(events.filter((e) => e.type !== 'ignored')).toEqual([]);
			}
		});

		it('sends a text: accepted → its message id; 5xx → retryable; 401 → permanent; no secret in any reason', async () => {
			const to = (provider.webhook.parse(kit.inboundText('hi', 'C3'), [instance]).find((e) => e.type === 'message') as { chatId: string }).chatId;
			const http = new FakeHttp().reply(kit.sendAccepted('OUT2'), error(503), error(401), new Error('ECONNRESET'));
			const session = provider.session(http, instance);
			expect(await session.sendText({ chatId: to, text: 'answer' })).toEqual({ ok: true, messageId: 'OUT2' });
			const unavailable = await session.sendText({ chatId: to, text: 'answer' });
			expect(unavailable).toMatchObject({ ok: false, retryable: true });
			const refused = await session.sendText({ chatId: to, text: 'answer' });
			expect(refused).toMatchObject({ ok: false, retryable: false });
			const network = await session.sendText({ chatId: to, text: 'answer' });
			expect(network).toMatchObject({ ok: false, retryable: true });
			expect(leaks([unavailable, refused, network])).toEqual([]);
			// Every request went to the provider, none elsewhere.
			expect(http.requests.length).toBe(4);
		});

		it('downloads media by its reference with the instance credentials; 404 is final, 5xx retried', async () => {
			const bytes = Buffer.from('picture bytes');
			const policy = { maxBytes: 1024, extraHosts: kit.mediaHosts };
			const download = (http: FakeHttp) => provider.session(http, instance).downloadMedia(kit.mediaRef, policy);
			const ok = await download(new FakeHttp().reply(...kit.mediaAnswers(bytes, 'image/jpeg')));
			expect(ok).toMatchObject({ ok: true });
			expect((ok as { bytes: Buffer }).bytes.equals(bytes)).toBe(true);
			const gone = await download(new FakeHttp(() => error(404)));
			expect(gone).toMatchObject({ ok: false, retryable: false });
			const flaky = await download(new FakeHttp(() => error(502)));
			expect(flaky).toMatchObject({ ok: false, retryable: true });
			const big = await download(new FakeHttp().reply(...kit.mediaAnswers(Buffer.alloc(2048), 'image/jpeg')));
			expect(big).toMatchObject({ ok: false, retryable: false });
			expect(leaks([gone, flaky, big])).toEqual([]);
		});

		it('parses its own `instance add` arguments and refuses garbage', () => {
			expect(provider.admin.parseAdd(kit.addArguments)).toMatchObject({ ok: true, id: instance.id });
			for (const bad of [[], ['x'], ['constructor', '__proto__'], ['', '', '']]) expect(provider.admin.parseAdd(bad)).toEqual({ ok: false });
		});

		it('masks what it must: the primary secret is among the secrets, and the webhook query names the instance', () => {
			expect(secrets()).toContain(provider.admin.primarySecret(instance));
			expect(Object.keys(provider.admin.webhookQuery(instance)).length).toBeGreaterThan(0);
		});
	});
}
