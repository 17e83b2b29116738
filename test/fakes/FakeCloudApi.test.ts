// The fake Graph API and fake 360dialog refuse what the real ones refuse (checked through the adapters
// over real loopback HTTP), so integration tests cannot pass against a fake that accepts anything.
import { InstanceRecord } from '../../src/core/ports/records';
import { CloudProvider } from '../../src/providers/cloud/CloudProvider';
import { templateInfo } from '../../src/providers/cloud/templates';
import { dialog360InstanceId, Dialog360Provider } from '../../src/providers/dialog360/Dialog360Provider';
import { CLOUD, cloudInstance, template } from '../fixtures/cloud';
import { NodeHttp } from '../providers/nodeHttp';
import { FAKE_GRAPH_VERSION, FAKE_GRAPH_VERSIONS, FakeDialog360, FakeGraphApi, metaBytes } from './FakeCloudApi';
import { GRAPH_API_VERSION } from '../../src/providers/cloud/graph';

const http = new NodeHttp();

describe('FakeGraphApi', () => {
	let fake: FakeGraphApi;
	let instance: InstanceRecord;
	const cloud = new CloudProvider();

	beforeEach(async () => {
		fake = await FakeGraphApi.start();
		fake.addNumber({ phoneNumberId: CLOUD.phoneNumberId, display: CLOUD.display, wabaId: CLOUD.wabaId, secret: CLOUD.accessToken });
		fake.addTemplate(CLOUD.wabaId, template({ name: 'order_update', body: 'Hi {{1}}, order {{2}} ships.' }));
		fake.addTemplate(CLOUD.wabaId, template({ name: 'greeting', named: true, body: 'Hello {{first_name}}' }));
		fake.addTemplate(CLOUD.wabaId, template({ name: 'paused_one', body: 'x', status: 'PAUSED' }));
		instance = cloudInstance({ credentials: { ...cloudInstance().credentials, graphUrl: fake.apiUrl } });
	});
	afterEach(async () => {
		await fake.stop();
	});

	it('serves the Graph API versions it models (the app pins the newest) and refuses others', async () => {
		expect(GRAPH_API_VERSION).toBe(FAKE_GRAPH_VERSION);
		const get = (version: string) => http.request({ method: 'GET', url: `${fake.apiUrl}/${version}/${CLOUD.phoneNumberId}?fields=display_phone_number`, headers: { Authorization: `Bearer ${CLOUD.accessToken}` } });
		for (const version of FAKE_GRAPH_VERSIONS) expect((await get(version)).status).toBe(200);
		for (const version of ['v20.0', 'v99.0', 'latest', '']) {
			const r = await get(version);
			expect(r.status).toBeGreaterThanOrEqual(400);
		}
	});

	it('free-form messages need an open window (131047); templates do not', async () => {
		expect(await cloud.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'hi' })).toMatchObject({ ok: false, retryable: false, code: 'cloud_131047' });
		fake.customerWrote(CLOUD.phoneNumberId, CLOUD.customer);
		expect(await cloud.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'hi' })).toMatchObject({ ok: true });
		fake.clock = () => Date.now() + 24 * 60 * 60_000 + 1;
		expect(await cloud.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'later' })).toMatchObject({ ok: false, code: 'cloud_131047' });
		const order = templateInfo(template({ name: 'order_update', body: 'Hi {{1}}, order {{2}} ships.' }))!;
		expect(await cloud.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'order_update', language: 'en_US', body: { 1: 'Anna', 2: 'A1' }, info: order })).toMatchObject({ ok: true });
		expect(fake.sent.map((s) => s.type)).toEqual(['text', 'template']);
	});

	it('in status mode a closed window is accepted, then a failed status with 131047 is queued as a webhook', async () => {
		fake.windowFailure = 'status';
		const r = await cloud.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'hi' });
		if (!r.ok) throw new Error(r.reason);
		const events = cloud.webhook.parse({ method: 'POST', headers: {}, query: {}, content: fake.webhooks[0].content }, [instance]);
		expect(events).toEqual([expect.objectContaining({ type: 'status', messageId: r.messageId, status: 'failed', failure: expect.objectContaining({ code: 'cloud_131047' }) })]);
	});

	it('unknown or unapproved templates → 132001, parameter counts or names → 132000', async () => {
		// Each as the core would pass it: the template as listed (or, for one the fake does not know, as the agent named it).
		const listed = async (name: string, bodyText: string) => templateInfo(template({ name, body: bodyText, named: name === 'greeting' }))!;
		const send = async (name: string, body: Record<string, string>) => cloud.session(http, instance).templates!.send({ chatId: CLOUD.customer, name, language: 'en_US', body, info: await listed(name, Object.keys(body).map((k) => `{{${k}}}`).join(' ') || 'x') });
		expect(await send('nope', { 1: 'x' })).toMatchObject({ ok: false, code: 'cloud_132001' });
		expect(await send('paused_one', {})).toMatchObject({ ok: false, code: 'cloud_132001' });
		// The adapter checks counts against the definitions it lists; the fake checks what reaches it.
		const raw = (components: unknown[]) => cloud.client(http, instance).sendMessage({ messaging_product: 'whatsapp', to: CLOUD.customer, type: 'template', template: { name: 'order_update', language: { code: 'en_US' }, components } });
		expect(await raw([{ type: 'body', parameters: [{ type: 'text', text: 'only one' }] }])).toMatchObject({ ok: false, retryable: false, code: 'cloud_132000' });
		const named = await cloud.client(http, instance).sendMessage({ messaging_product: 'whatsapp', to: CLOUD.customer, type: 'template', template: { name: 'greeting', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'last_name', text: 'x' }] }] } });
		expect(named).toMatchObject({ ok: false, code: 'cloud_132000' });
		expect(await send('greeting', { first_name: 'Anna' })).toMatchObject({ ok: true });
	});

	it('a customer stops marketing messages: Meta\'s user_preferences webhook, then MARKETING templates fail with 131050 (a failed status, or at once in sync mode); resume lets them go', async () => {
		fake.addTemplate(CLOUD.wabaId, template({ name: 'spring_sale', body: 'Spring sale!', category: 'MARKETING' }));
		const sale = templateInfo(template({ name: 'spring_sale', body: 'Spring sale!', category: 'MARKETING' }))!;
		const order = templateInfo(template({ name: 'order_update', body: 'Hi {{1}}, order {{2}} ships.' }))!;
		const parse = (content: unknown) => cloud.webhook.parse({ method: 'POST', headers: {}, query: {}, content }, [instance]);
		const stop = fake.userPreference(CLOUD.phoneNumberId, CLOUD.customer, 'stop', '', 1_739_321_024_000);
		const change = (stop.content.entry as any[])[0].changes[0];
		expect(change.field).toBe('user_preferences');
		expect(change.value.user_preferences).toEqual([{ wa_id: CLOUD.customer, detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: 1_739_321_024 }]);
		expect(parse(stop.content)).toEqual([{ type: 'marketing-preference', instanceId: CLOUD.phoneNumberId, chatId: CLOUD.customer, phone: `+${CLOUD.customer}`, name: 'Customer 1234', preference: 'stopped', timestamp: 1_739_321_024_000 }]);
		expect(fake.marketingStoppedBy(CLOUD.phoneNumberId, CLOUD.customer)).toBe(true);

		const saleSent = await cloud.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'spring_sale', language: 'en_US', body: {}, info: sale });
		if (!saleSent.ok) throw new Error(saleSent.reason);
		expect(parse(fake.webhooks[0].content)).toEqual([expect.objectContaining({ type: 'status', messageId: saleSent.messageId, status: 'failed', failure: expect.objectContaining({ code: 'cloud_131050' }) })]);
		// Utility templates still go to them.
		expect(await cloud.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'order_update', language: 'en_US', body: { 1: 'Anna', 2: 'A1' }, info: order })).toMatchObject({ ok: true });
		expect(fake.webhooks).toHaveLength(1);
		fake.marketingFailure = 'sync';
		expect(await cloud.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'spring_sale', language: 'en_US', body: {}, info: sale })).toMatchObject({ ok: false, retryable: false, code: 'cloud_131050' });

		expect(parse(fake.userPreference(CLOUD.phoneNumberId, CLOUD.customer, 'resume').content)).toEqual([expect.objectContaining({ type: 'marketing-preference', preference: 'resumed' })]);
		expect(await cloud.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'spring_sale', language: 'en_US', body: {}, info: sale })).toMatchObject({ ok: true });
	});

	it('sent and delivered statuses carry per-message pricing as Meta applies it: free service replies, utility free inside the window, marketing charged; read carries none', async () => {
		fake.addTemplate(CLOUD.wabaId, template({ name: 'spring_sale', body: 'Spring sale!', category: 'MARKETING' }));
		const sale = templateInfo(template({ name: 'spring_sale', body: 'Spring sale!', category: 'MARKETING' }))!;
		const order = templateInfo(template({ name: 'order_update', body: 'Hi {{1}}, order {{2}} ships.' }))!;
		const send = (name: string, info: typeof sale, body: Record<string, string>) => cloud.session(http, instance).templates!.send({ chatId: CLOUD.customer, name, language: 'en_US', body, info });
		const utilityOutside = await send('order_update', order, { 1: 'Anna', 2: 'A1' });
		fake.customerWrote(CLOUD.phoneNumberId, CLOUD.customer);
		const utilityInside = await send('order_update', order, { 1: 'Anna', 2: 'A2' });
		const marketing = await send('spring_sale', sale, {});
		const reply = await cloud.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'You are welcome' });
		const ids = [utilityOutside, utilityInside, marketing, reply].map((r) => (r.ok ? r.messageId : ''));
		const statuses = (fake.statusWebhook(CLOUD.phoneNumberId, [...ids.map((id) => ({ id, status: 'delivered' })), { id: ids[3], status: 'read' }]).content.entry as any[])[0].changes[0].value.statuses;
		expect(statuses.map((x: any) => x.pricing)).toEqual([
			{ billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
			{ billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'utility' },
			{ billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' },
			{ billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
			undefined,
		]);
		const events = cloud.webhook.parse({ method: 'POST', headers: {}, query: {}, content: fake.statusWebhook(CLOUD.phoneNumberId, [{ id: ids[2], status: 'sent' }]).content }, [instance]);
		expect(events).toEqual([expect.objectContaining({ type: 'status', status: 'sent', pricing: { category: 'marketing', free: false, type: 'regular', model: 'PMP' } })]);
	});

	it('media: ids of other numbers or never uploaded → 131053; downloads need the token; a bad token → 190', async () => {
		fake.customerWrote(CLOUD.phoneNumberId, CLOUD.customer);
		const bad = await cloud.client(http, instance).sendMessage({ messaging_product: 'whatsapp', to: CLOUD.customer, type: 'image', image: { id: '999' } });
		expect(bad).toMatchObject({ ok: false, code: 'cloud_131053' });
		const id = fake.addMedia(CLOUD.phoneNumberId, 'bytes', 'image/jpeg');
		const info = await cloud.client(http, instance).mediaInfo(id);
		if (!info.ok) throw new Error(info.reason);
		expect((await http.request({ method: 'GET', url: info.data.url })).status).toBe(404);
		expect(fake.mediaDownloads(id)).toBe(0);
		expect(await cloud.session(http, instance).downloadMedia(id, { maxBytes: 100, extraHosts: [new URL(fake.apiUrl).host] })).toMatchObject({ ok: true, bytes: Buffer.from('bytes') });
		const wrong = { ...instance, credentials: { ...instance.credentials, accessToken: 'EAAwrongwrongwrongwrongwrong' } };
		expect(await cloud.session(http, wrong).sendText({ chatId: CLOUD.customer, text: 'x' })).toMatchObject({ ok: false, retryable: false, code: 'cloud_190' });
		expect(await cloud.session(http, wrong).admin.connect()).toMatchObject({ ok: false, badCredentials: true });
	});

	it('checks bodies: messaging_product, recipient, type, text length; answers the throughput limit with 130429', async () => {
		fake.customerWrote(CLOUD.phoneNumberId, CLOUD.customer);
		const client = cloud.client(http, instance);
		expect(await client.sendMessage({ to: CLOUD.customer, type: 'text', text: { body: 'x' } })).toMatchObject({ ok: false, retryable: false });
		expect(await client.sendMessage({ messaging_product: 'whatsapp', to: 'not-a-number', type: 'text', text: { body: 'x' } })).toMatchObject({ ok: false, retryable: false });
		expect(await client.sendMessage({ messaging_product: 'whatsapp', to: CLOUD.customer, type: 'hologram', hologram: {} })).toMatchObject({ ok: false, retryable: false });
		expect(await client.sendMessage({ messaging_product: 'whatsapp', to: CLOUD.customer, type: 'text', text: { body: 'x'.repeat(4097) } })).toMatchObject({ ok: false, retryable: false });
		fake.reset(); // forget the window of the sends above
		fake.sendsPerSecondLimit = 2;
		const results = await Promise.all([1, 2, 3].map(() => cloud.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'burst' })));
		expect(results.filter((r) => !r.ok)).toEqual([expect.objectContaining({ retryable: true, code: 'cloud_130429' })]);
	});

	it('fails on demand, and builds webhooks the way Meta writes and signs them', async () => {
		fake.customerWrote(CLOUD.phoneNumberId, CLOUD.customer);
		fake.failNext('messages', 1, FakeGraphApi.error(400, 131057, 'Account in maintenance mode'));
		expect(await cloud.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'x' })).toMatchObject({ ok: false, retryable: true, code: 'cloud_131057' });
		fake.failNext('*', 1, 'timeout');
		expect(await new CloudProvider({ timeoutMs: 200 }).session(http, instance).sendText({ chatId: CLOUD.customer, text: 'x' })).toMatchObject({ ok: false, retryable: true, code: 'cloud_timeout' });
		const w = fake.webhook(CLOUD.phoneNumberId, { messages: [{ from: CLOUD.customer, id: 'wamid.X', timestamp: '1', type: 'text', text: { body: 'Olá 😀 a/b' } }] }, CLOUD.appSecret);
		expect(w.raw).toContain('Ol\\u00e1 \\ud83d\\ude00 a\\/b');
		expect(metaBytes({ a: 'é/' })).toBe('{"a":"\\u00e9\\/"}');
		expect(w.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
	});
});

describe('FakeDialog360', () => {
	let fake: FakeDialog360;
	const d360 = new Dialog360Provider();
	const KEY = 'D360keyForFakeTests0123456789abc';
	let instance: InstanceRecord;

	beforeEach(async () => {
		fake = await FakeDialog360.start();
		fake.addNumber({ phoneNumberId: CLOUD.phoneNumberId, secret: KEY });
		instance = { id: dialog360InstanceId(KEY), provider: '360dialog', webhookSecret: 'w'.repeat(48), credentials: { apiKey: KEY, baseUrl: fake.apiUrl }, createdAt: 0 };
	});
	afterEach(async () => {
		await fake.stop();
	});

	it('refuses a wrong key, and webhook URLs with an underscore host or a port', async () => {
		const wrong = { ...instance, credentials: { ...instance.credentials, apiKey: 'D360wrongwrongwrongwrongwrong' } };
		expect(await d360.session(http, wrong).admin.connect()).toMatchObject({ ok: false, badCredentials: true });
		expect(await d360.session(http, instance).admin.configureWebhook('https://rc_1.example/hook')).toMatchObject({ ok: false });
		expect(await d360.session(http, instance).admin.configureWebhook('https://rc.example:8443/hook')).toMatchObject({ ok: false });
		expect(await d360.session(http, instance).admin.configureWebhook('https://rc.example/hook?instance=x')).toEqual({ ok: true });
		expect(fake.webhookConfigs.get(CLOUD.phoneNumberId)?.url).toBe('https://rc.example/hook?instance=x');
	});

	it('clears a number\'s webhook only with its key, and only with an empty URL and no headers', async () => {
		expect(await d360.session(http, instance).admin.configureWebhook('https://rc.example/hook')).toEqual({ ok: true });
		const wrong = { ...instance, credentials: { ...instance.credentials, apiKey: 'D360wrongwrongwrongwrongwrong' } };
		expect(await d360.session(http, wrong).admin.removeWebhook!()).toMatchObject({ ok: false });
		expect(fake.webhookConfigs.has(CLOUD.phoneNumberId)).toBe(true);
		const post = (json: unknown) => http.request({ method: 'POST', url: `${fake.apiUrl}/v1/configs/webhook`, headers: { 'D360-API-KEY': KEY }, json });
		expect((await post({ url: '', headers: { 'X-Webhook-Secret': 'x' } })).status).toBe(400);
		expect((await post({ url: null })).status).toBe(400);
		expect((await post({})).status).toBe(400);
		expect(fake.webhookConfigs.has(CLOUD.phoneNumberId)).toBe(true);
		expect(await d360.session(http, instance).admin.removeWebhook!()).toEqual({ ok: true });
		expect(fake.webhookConfigs.has(CLOUD.phoneNumberId)).toBe(false);
		const last = fake.requests.filter((r) => r.path === '/v1/configs/webhook').pop()!;
		expect(last).toMatchObject({ httpMethod: 'POST', body: { url: '' } });
	});

	it('lists templates by offset and serves media only with the key on its own host', async () => {
		for (let i = 0; i < 150; i++) fake.addTemplate('102290129340398', template({ name: `t${i}`, body: 'x' }));
		const list = await d360.session(http, instance).templates!.list();
		expect(list.ok && list.templates.length).toBe(150);
		const id = fake.addMedia(CLOUD.phoneNumberId, 'pic', 'image/png');
		expect(await d360.session(http, instance).downloadMedia(id, { maxBytes: 100, extraHosts: [new URL(fake.apiUrl).host] })).toMatchObject({ ok: true, bytes: Buffer.from('pic'), mimeType: 'image/png' });
	});
});
