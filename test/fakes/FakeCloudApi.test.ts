// The fake Graph API and fake 360dialog refuse what the real ones refuse (checked through the adapters
// over real loopback HTTP), so integration tests cannot pass against a fake that accepts anything.
import { InstanceRecord } from '../../src/core/ports/records';
import { CloudProvider } from '../../src/providers/cloud/CloudProvider';
import { templateInfo } from '../../src/providers/cloud/templates';
import { dialog360InstanceId, Dialog360Provider } from '../../src/providers/dialog360/Dialog360Provider';
import { authTemplate, CLOUD, cloudInstance, template } from '../fixtures/cloud';
import { NodeHttp } from '../providers/nodeHttp';
import { FAKE_GRAPH_VERSION, FAKE_GRAPH_VERSIONS, FakeDialog360, FakeGraphApi, metaBytes, waIdFor } from './FakeCloudApi';
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

	describe('customers\' identities (BSUIDs, usernames, answered wa_ids)', () => {
		const valueOf = (hook: { content: Record<string, any> }) => hook.content.entry[0].changes[0].value;
		const ana = { waId: '4915799990001', userId: 'DE.11112222333344445555', parentUserId: 'DE.ENT.99998888777766665555', username: '@ana.k', name: 'Ana' };

		it('names a registered customer by every id: contacts[] fields, from_user_id, and both recipient ids of a status (or one, as asked)', () => {
			fake.person(ana);
			const v = valueOf(fake.webhook(CLOUD.phoneNumberId, { messages: [{ from: ana.waId, id: 'wamid.A', timestamp: '1', type: 'text', text: { body: 'x' } }] }));
			expect(v.contacts).toEqual([{ profile: { name: 'Ana', username: '@ana.k' }, wa_id: ana.waId, user_id: ana.userId, parent_user_id: ana.parentUserId }]);
			expect(v.messages[0].from_user_id).toBe(ana.userId);
			// Writing under the BSUID, a username customer withholds the number.
			expect(valueOf(fake.webhook(CLOUD.phoneNumberId, { messages: [{ from: ana.userId, id: 'wamid.B', timestamp: '1', type: 'text', text: { body: 'x' } }] })).contacts[0].wa_id).toBeUndefined();
			const status = (naming?: 'both' | 'phone' | 'user-id') => valueOf(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: 'wamid.O', status: 'read', to: ana.waId, naming }])).statuses[0];
			expect(status()).toMatchObject({ recipient_id: ana.waId, recipient_user_id: ana.userId, recipient_parent_user_id: ana.parentUserId });
			expect(status('user-id').recipient_id).toBeUndefined();
			expect(status('phone').recipient_user_id).toBeUndefined();
			// Writing under any of her ids opens the window for all of them.
			expect(fake.windowOpen(CLOUD.phoneNumberId, ana.waId)).toBe(true);
			expect(fake.windowOpen(CLOUD.phoneNumberId, ana.userId)).toBe(true);
		});

		it('answers the wa_id WhatsApp knows: a Brazilian mobile sent with the 9th digit answers without it; a BSUID answers user_id', async () => {
			expect(waIdFor('5511987654321')).toBe('551187654321');
			expect(waIdFor('551187654321')).toBe('551187654321');
			expect(waIdFor('4915112345678')).toBe('4915112345678');
			fake.customerWrote(CLOUD.phoneNumberId, '551187654321');
			const sent = await cloud.session(http, instance).sendText({ chatId: '5511987654321', text: 'oi' });
			expect(sent).toMatchObject({ ok: true, recipient: { chatId: '551187654321', people: expect.arrayContaining([{ kind: 'phone', value: '+551187654321' }]) } });
			fake.customerWrote(CLOUD.phoneNumberId, CLOUD.bsuid);
			expect(await cloud.session(http, instance).sendText({ chatId: CLOUD.bsuid, text: 'hi' })).toMatchObject({ ok: true });
		});

		it('checks request_contact_info sends (body text, action name) and builds the customer\'s shared number and a changed BSUID', async () => {
			fake.person({ userId: CLOUD.bsuid, username: '@sheena', name: 'Sheena' });
			fake.customerWrote(CLOUD.phoneNumberId, CLOUD.bsuid);
			expect(await cloud.session(http, instance).requestContactInfo!({ chatId: CLOUD.bsuid, text: 'Your number, please?' })).toMatchObject({ ok: true });
			expect(fake.sent[0].body.interactive).toEqual({ type: 'request_contact_info', body: { text: 'Your number, please?' }, action: { name: 'request_contact_info' } });
			const post = (interactive: unknown) => http.request({ method: 'POST', url: `${fake.apiUrl}/${FAKE_GRAPH_VERSION}/${CLOUD.phoneNumberId}/messages`, headers: { Authorization: `Bearer ${CLOUD.accessToken}` }, json: { messaging_product: 'whatsapp', recipient: CLOUD.bsuid, type: 'interactive', interactive } });
			expect((await post({ type: 'request_contact_info', body: { text: '' }, action: { name: 'request_contact_info' } })).status).toBe(400);
			expect((await post({ type: 'request_contact_info', body: { text: 'x' }, action: { name: 'send_location' } })).status).toBe(400);
			const shared = valueOf(fake.shareContact(CLOUD.phoneNumberId, CLOUD.bsuid, '16505550123')).messages[0];
			expect(shared).toMatchObject({ from: CLOUD.bsuid, from_user_id: CLOUD.bsuid, type: 'contacts', contacts: [{ origin: 'contact_request', phones: [{ wa_id: '16505550123' }] }] });
			const changed = fake.userIdChanged(CLOUD.phoneNumberId, CLOUD.bsuid, 'US.99990000111122223333');
			expect(valueOf(changed).contacts).toBeUndefined();
			expect(valueOf(changed).messages[0]).toMatchObject({ from: '16505550123', from_user_id: CLOUD.bsuid, type: 'system', system: { type: 'user_changed_user_id', user_id: 'US.99990000111122223333' } });
			// From now on the customer is named by the new BSUID.
			expect(valueOf(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: 'wamid.S', status: 'sent', to: '16505550123' }])).statuses[0].recipient_user_id).toBe('US.99990000111122223333');
		});
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

	describe('templates with media headers, buttons and one-time codes', () => {
		const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		const raw = (name: string, components: unknown[]) =>
			cloud.client(http, instance).sendMessage({ messaging_product: 'whatsapp', to: CLOUD.customer, type: 'template', template: { name, language: { code: 'en_US' }, components } });
		const body = (...texts: string[]) => ({ type: 'body', parameters: texts.map((text) => ({ type: 'text', text })) });
		const upload = async (bytes: Buffer | string, mime: string, name: string) => {
			const r = await cloud.client(http, instance).upload(Buffer.from(bytes), mime, name);
			if (!r.ok) throw new Error(r.reason);
			return r.data;
		};
		beforeEach(() => {
			fake.addTemplate(CLOUD.wabaId, template({
				name: 'spring_sale', category: 'MARKETING', header: { format: 'IMAGE', example: { header_handle: ['https://x.test/h.png'] } }, body: 'Hi {{1}}, our sale starts today.', footer: 'Reply STOP to opt out',
				buttons: [{ type: 'URL', text: 'Shop', url: 'https://shop.test/s/{{1}}' }, { type: 'QUICK_REPLY', text: 'Not now' }, { type: 'REQUEST_CONTACT_INFO', text: 'Share my number' }],
			}));
			fake.addTemplate(CLOUD.wabaId, template({ name: 'invoice', header: { format: 'DOCUMENT' }, body: 'Your invoice {{1}}.' }));
			fake.addTemplate(CLOUD.wabaId, template({ name: 'titled', header: { format: 'TEXT', text: 'Order {{1}}' }, body: 'Thanks {{1}}.' }));
			fake.addTemplate(CLOUD.wabaId, authTemplate({ name: 'login_code' }));
			fake.addTemplate(CLOUD.wabaId, authTemplate({ name: 'login_code_v1', listedAs: 'URL' }));
		});

		it('lists media headers, every button kind and authentication templates as Meta does, and the adapter reads them', async () => {
			const list = await cloud.session(http, instance).templates!.list();
			if (!list.ok) throw new Error(list.reason);
			const byName = (name: string) => list.templates.find((x) => x.name === name)!;
			expect(byName('spring_sale')).toMatchObject({ category: 'MARKETING', header: { format: 'image', parameters: ['link'] }, footer: 'Reply STOP to opt out' });
			expect(byName('spring_sale').buttons).toEqual([
				{ type: 'URL', text: 'Shop', parameters: ['1'], url: 'https://shop.test/s/{{1}}' },
				{ type: 'QUICK_REPLY', text: 'Not now', parameters: [] },
				{ type: 'REQUEST_CONTACT_INFO', text: 'Share my number', parameters: [] },
			]);
			for (const name of ['login_code', 'login_code_v1']) {
				expect(byName(name)).toMatchObject({ category: 'AUTHENTICATION', bodyParameters: ['1'], buttons: [{ type: 'OTP', text: 'Copy code', parameters: ['code'] }] });
			}
		});

		it('accepts a media header by an id uploaded for the number, refuses one of another kind (132012) or never uploaded (131053)', async () => {
			const image = await upload(PNG, 'image/png', 'sale.png');
			const pdf = await upload('%PDF-1.4 x', 'application/pdf', 'inv.pdf');
			const header = (p: Record<string, unknown>) => ({ type: 'header', parameters: [p] });
			const shop = { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A1' }] };
			expect(await raw('spring_sale', [header({ type: 'image', image: { id: image } }), body('Ann'), shop])).toMatchObject({ ok: true });
			expect(await raw('spring_sale', [header({ type: 'image', image: { id: pdf } }), body('Ann'), shop])).toMatchObject({ ok: false, retryable: false, code: 'cloud_132012' });
			expect(await raw('spring_sale', [header({ type: 'document', document: { id: pdf } }), body('Ann'), shop])).toMatchObject({ ok: false, code: 'cloud_132012' });
			expect(await raw('spring_sale', [header({ type: 'image', image: { id: '4242' } }), body('Ann'), shop])).toMatchObject({ ok: false, code: 'cloud_131053' });
			expect(await raw('invoice', [header({ type: 'document', document: { id: pdf, filename: 'inv.pdf' } }), body('INV-1')])).toMatchObject({ ok: true });
			expect(await raw('invoice', [header({ type: 'document', document: { id: image } }), body('INV-1')])).toMatchObject({ ok: false, code: 'cloud_132012' });
			const sent = fake.sent.filter((x) => x.type === 'template').map((x) => x.body.template.components[0].parameters[0]);
			expect(sent).toEqual([{ type: 'image', image: { id: image } }, { type: 'document', document: { id: pdf, filename: 'inv.pdf' } }]);
		});

		it('checks buttons: a URL suffix is required (132000), a button that takes nothing gets nothing (132000), kinds must match (132012)', async () => {
			const image = await upload(PNG, 'image/jpeg', 'a.jpg');
			const start = [{ type: 'header', parameters: [{ type: 'image', image: { id: image } }] }, body('Ann')];
			const url = { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A1' }] };
			expect(await raw('spring_sale', start)).toMatchObject({ ok: false, code: 'cloud_132000' });
			expect(await raw('spring_sale', [...start, url, { type: 'button', sub_type: 'quick_reply', index: '2', parameters: [{ type: 'payload', payload: 'x' }] }])).toMatchObject({ ok: false, code: 'cloud_132000' });
			expect(await raw('spring_sale', [...start, { ...url, sub_type: 'quick_reply' }])).toMatchObject({ ok: false, code: 'cloud_132012' });
			expect(await raw('spring_sale', [...start, url, { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'later' }] }])).toMatchObject({ ok: true });
		});

		it('refuses filled text over Meta\'s limits with 132005: header 60, body parameter 1024 when the template has more than a body', async () => {
			expect(await raw('titled', [{ type: 'header', parameters: [{ type: 'text', text: 'x'.repeat(54) }] }, body('Ann')])).toMatchObject({ ok: true }); // "Order " + 54 = 60
			expect(await raw('titled', [{ type: 'header', parameters: [{ type: 'text', text: 'x'.repeat(55) }] }, body('Ann')])).toMatchObject({ ok: false, code: 'cloud_132005' });
			expect(await raw('titled', [{ type: 'header', parameters: [{ type: 'text', text: 'A1' }] }, body('y'.repeat(1025))])).toMatchObject({ ok: false, code: 'cloud_132005' });
			expect(await raw('order_update', [body('y'.repeat(5000), 'A1')])).toMatchObject({ ok: true }); // body only: 32,768
		});

		it('authentication: the code in the body and as the copy-code button\'s url parameter, at most 15 characters, one code', async () => {
			const otp = (code: string, button = code) => [body(code), { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: button }] }];
			expect(await raw('login_code', otp('482910'))).toMatchObject({ ok: true });
			expect(await raw('login_code_v1', otp('482910'))).toMatchObject({ ok: true });
			expect(await raw('login_code', [body('482910')])).toMatchObject({ ok: false, code: 'cloud_132000' });
			expect(await raw('login_code', otp('1234567890123456'))).toMatchObject({ ok: false, code: 'cloud_131009' });
			expect(await raw('login_code', otp('482910', '111111'))).toMatchObject({ ok: false, code: 'cloud_131009' });
			expect(await raw('login_code', [body('482910'), { type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: '482910' }] }])).toMatchObject({ ok: false, code: 'cloud_132012' });
		});
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

describe('FakeGraphApi interactive messages', () => {
	let fake: FakeGraphApi;
	let instance: InstanceRecord;
	const cloud = new CloudProvider();
	type Interactive = Parameters<NonNullable<ReturnType<CloudProvider['session']>['interactive']>['send']>[0];
	const interactive = () => cloud.session(http, instance).interactive!;
	const buttons = (titles: string[], body = 'Solved?') => ({ kind: 'buttons' as const, body, buttons: titles.map((title, i) => ({ id: `b${i + 1}`, title })) });
	const list = (rows: Array<{ title: string; description?: string }>, o: { button?: string; sections?: number } = {}) => ({
		kind: 'list' as const,
		body: 'Pick one',
		button: o.button ?? 'Options',
		sections: Array.from({ length: o.sections ?? 1 }, (_, s) => ({ ...(o.sections ? { title: `S${s}` } : {}), rows: rows.map((r, i) => ({ id: `r${s}-${i}`, ...r })) })),
	});

	beforeEach(async () => {
		fake = await FakeGraphApi.start();
		fake.addNumber({ phoneNumberId: CLOUD.phoneNumberId, display: CLOUD.display, wabaId: CLOUD.wabaId, secret: CLOUD.accessToken });
		instance = cloudInstance({ credentials: { ...cloudInstance().credentials, graphUrl: fake.apiUrl } });
		fake.customerWrote(CLOUD.phoneNumberId, CLOUD.customer);
	});
	afterEach(async () => {
		await fake.stop();
	});

	it('accepts reply buttons and lists inside the window, as type interactive', async () => {
		expect(await interactive().send({ ...buttons(['Yes', 'No']), chatId: CLOUD.customer })).toMatchObject({ ok: true });
		expect(await interactive().send({ ...list([{ title: 'Express', description: '1-2 days' }, { title: 'Standard' }]), chatId: CLOUD.customer })).toMatchObject({ ok: true });
		expect(fake.sent.map((s) => [s.type, s.body.interactive.type])).toEqual([['interactive', 'button'], ['interactive', 'list']]);
		expect(fake.sent[0].body.interactive.action.buttons).toEqual([{ type: 'reply', reply: { id: 'b1', title: 'Yes' } }, { type: 'reply', reply: { id: 'b2', title: 'No' } }]);
		expect(fake.sent[1].body.interactive.action).toEqual({ button: 'Options', sections: [{ rows: [{ id: 'r0-0', title: 'Express', description: '1-2 days' }, { id: 'r0-1', title: 'Standard' }] }] });
	});

	it("refuses what Meta refuses with 131009 and the limit in the details; outside the window 131047", async () => {
		const send = (m: Interactive) => interactive().send(m);
		const refused = async (m: Interactive, details: RegExp) => {
			const r = await send(m);
			// The adapter's reason carries Meta's details: the agent reads which limit was broken.
			expect(r).toMatchObject({ ok: false, retryable: false, params: { code: 131009 } });
			expect(!r.ok && r.reason).toMatch(details);
			expect(fake.requests[fake.requests.length - 1].status).toBe(400);
		};
		const to = { chatId: CLOUD.customer };
		await refused({ ...buttons(['a', 'b', 'c', 'd']), ...to }, /Max allowed buttons: 3/);
		await refused({ ...buttons(['x'.repeat(21)]), ...to }, /Button title length invalid. Min length: 1, Max length: 20/);
		await refused({ ...buttons(['Same', 'Same']), ...to }, /unique/);
		await refused({ ...buttons(['ok'], 'q'.repeat(1025)), ...to }, /Max length: 1024/);
		await refused({ ...list([{ title: 'x'.repeat(25) }]), ...to }, /Row title length invalid.*24/);
		await refused({ ...list([{ title: 'ok', description: 'd'.repeat(73) }]), ...to }, /Row description length invalid.*72/);
		await refused({ ...list(Array.from({ length: 11 }, (_, i) => ({ title: `row ${i}` }))), ...to }, /Max allowed rows: 10/);
		await refused({ ...list([{ title: 'ok' }], { button: 'b'.repeat(21) }), ...to }, /Button text length invalid.*20/);
		expect(await send({ ...buttons(['x'.repeat(20)]), ...to })).toMatchObject({ ok: true });
		expect(await send({ ...list([{ title: 'x'.repeat(24), description: 'd'.repeat(72) }]), ...to })).toMatchObject({ ok: true });
		fake.clock = () => Date.now() + 24 * 60 * 60_000 + 1;
		expect(await send({ ...buttons(['Yes']), ...to })).toMatchObject({ ok: false, code: 'cloud_131047' });
		expect(fake.sent).toHaveLength(2);
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
