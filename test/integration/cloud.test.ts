// WhatsApp Cloud API (Meta) ↔ Omnichannel on the real engine, against the fake Graph API: the number is
// added with `/whatsapp instance add cloud …`, customers write every message type, agents answer text and
// files, statuses come back with reasons, and a batch of many messages arrives in one POST.
import { CLOUD, cloudErrorObject, msg, template } from '../fixtures/cloud';
import { FAKE_GRAPH_VERSION, FakeGraphApi } from '../fakes/FakeCloudApi';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';
import { ENGINE, TestRocketChat } from '../runtime/TestRocketChat';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('a Cloud API number: customers write, agents answer', () => {
	let w: CloudWorld;
	let fake: FakeGraphApi;
	let roomId: string;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: 'cloud' });
		fake = w.fake as FakeGraphApi;
	});
	afterAll(async () => {
		await w?.stop();
	});

	const texts = () => w.roomMessages(roomId).map((m: any) => m.text as string);
	const lastText = () => texts().slice(-1)[0];

	it('instance add checks the token with a Graph call, subscribes the app and answers the URL and verify token privately', async () => {
		const calls = fake.requests.map((r) => `${r.httpMethod} ${r.path}`);
		// The pinned version is the newest the fake models.
		expect(calls).toEqual([`GET /${FAKE_GRAPH_VERSION}/${CLOUD.phoneNumberId}`, `POST /${FAKE_GRAPH_VERSION}/${CLOUD.wabaId}/subscribed_apps`]);
		expect(fake.requests[0].headers.authorization).toBe(`Bearer ${CLOUD.accessToken}`);
		expect(fake.subscribedWabas.has(CLOUD.wabaId)).toBe(true);
		expect(w.addAnswer).toContain(`Instance ${CLOUD.phoneNumberId} connected: number +${CLOUD.display}`);
		expect(w.query).toEqual({ instance: CLOUD.phoneNumberId, secret: expect.stringMatching(/^[0-9a-f]{48}$/) });
		expect(w.verifyToken).toMatch(/^[0-9a-f]{32}$/);
		expect(w.addAnswer).not.toContain(CLOUD.accessToken);
		expect(w.addAnswer).not.toContain(CLOUD.appSecret);
		const list = await w.answers(w.admin.id, 'instance list');
		expect(list).toContain(`****${CLOUD.accessToken.slice(-4)}`);
		expect(list).not.toContain(CLOUD.accessToken);
	});

	it('answers Meta\'s GET verification with the challenge, and 403 otherwise', async () => {
		const get = (q: Record<string, string>) => w.rc.callEndpoint('cloud', { method: 'GET', query: { ...w.query, ...q } });
		const ok = await get({ 'hub.mode': 'subscribe', 'hub.verify_token': w.verifyToken!, 'hub.challenge': '1158201444' });
		expect(ok).toMatchObject({ status: 200, content: '1158201444' });
		expect(ok.headers?.['content-type']).toContain('text/plain');
		expect((await get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' })).status).toBe(403);
	});

	it('opens a WhatsApp room for the first message, with the customer as visitor', async () => {
		const res = await w.customerSends(msg.text('Where is my order?'));
		expect(res).toMatchObject({ status: 200, content: { ok: true, outcome: 'posted' } });
		roomId = w.roomOf(CLOUD.customer);
		const room = w.rc.rc.rooms.find((r) => r.id === roomId)!;
		// Rocket.Chat 6.13 (Apps-Engine 1.46.0) has no room source `destination`
		expect(room.source).toMatchObject({ type: 'app', label: 'WhatsApp', ...(ENGINE.roomSourceHasDestination && { destination: `+${CLOUD.display}` }) });
		expect(room.departmentId).toBe(w.department.id);
		const visitor = w.rc.rc.visitors.find((v) => v.token === room.visitorToken)!;
		expect(visitor).toMatchObject({ name: 'Customer 1234', phone: [{ phoneNumber: `+${CLOUD.customer}` }] });
		expect(texts()).toEqual(['Where is my order?']);
	});

	it('refuses a wrong URL secret without any side effect, whatever the signature says', async () => {
		await w.rc.settle(); // the previous message's contact record is written just after its answer
		const before = w.rc.rc.effects.length;
		const genuine = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('x')] }, CLOUD.appSecret);
		expect((await w.post(genuine, { query: { instance: CLOUD.phoneNumberId, secret: 'f'.repeat(48) } })).status).toBe(401);
		expect((await w.post(genuine, { query: { instance: CLOUD.phoneNumberId } })).status).toBe(401);
		expect((await w.post(genuine, { query: { instance: '999', secret: w.query.secret } })).status).toBe(401);
		const after = w.rc.rc.effects.slice(before).filter((e: any) => !/read|get|find/i.test(e.kind));
		expect(after).toEqual([]);
	});

	it('refuses query keys that Rocket.Chat hands over as arrays or objects (repeated or bracketed), without side effects', async () => {
		await w.rc.drain(3000);
		const before = w.rc.rc.effects.length;
		const genuine = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('x')] }, CLOUD.appSecret);
		const { instance, secret } = w.query;
		const raw = (q: string) => w.post(genuine, { query: q });
		for (const q of [`instance=${instance}&instance=${instance}&secret=${secret}`, `instance=${instance}&secret=${secret}&secret=${secret}`, `instance[]=${instance}&secret=${secret}`, `instance=${instance}&secret[a]=${secret}`]) {
			expect({ q, status: (await raw(q)).status }).toEqual({ q, status: 401 });
		}
		const get = (q: string) => w.rc.callEndpoint('cloud', { method: 'GET', query: q });
		const base = `instance=${instance}&secret=${secret}&hub.mode=subscribe&hub.verify_token=${w.verifyToken}`;
		expect(await get(`${base}&hub.challenge=42`)).toMatchObject({ status: 200, content: '42' });
		expect(await get(`${base}&hub.challenge=42&hub.challenge=43`)).toMatchObject({ status: 403, content: 'Forbidden' });
		expect(await get(`${base}&hub.challenge[x]=42`)).toMatchObject({ status: 403, content: 'Forbidden' });
		const after = w.rc.rc.effects.slice(before).filter((e: any) => !/read|get|find/i.test(e.kind));
		expect(after).toEqual([]);
	});

	it('brings images, video, documents, audio, voice notes and stickers in as real files (fetched by id with the token, in a job)', async () => {
		const cases: Array<[Record<string, unknown>, string, string]> = [];
		const add = (bytes: Buffer | string, mime: string) => fake.addMedia(CLOUD.phoneNumberId, bytes, mime);
		const img = add(PNG, 'image/jpeg');
		cases.push([msg.image(img, 'damaged box'), img, 'damaged box']);
		const doc = add('%PDF-1.4 invoice', 'application/pdf');
		cases.push([msg.document(doc, 'INV-42.pdf', 'invoice'), doc, 'invoice']);
		const video = add('mp4 bytes', 'video/mp4');
		cases.push([msg.video(video), video, '']);
		const audio = add('ID3 mp3', 'audio/mpeg');
		cases.push([msg.audio(audio), audio, '']);
		const voice = add('OggS voice', 'audio/ogg');
		cases.push([msg.voice(voice), voice, '']);
		const sticker = add('RIFFwebp', 'image/webp');
		cases.push([msg.sticker(sticker), sticker, '']);
		for (const [m, id, caption] of cases) {
			const before = w.roomMessages(roomId).length;
			const res = await w.customerSends(m);
			expect(res).toMatchObject({ status: 200, content: { outcome: 'queued' } });
			await w.rc.runDueJobs();
			expect(fake.mediaDownloads(id)).toBe(1);
			const upload = w.rc.rc.uploads.slice(-1)[0];
			expect(Buffer.compare(upload.bytes, fake.mediaBytes(id)!)).toBe(0);
			const added = w.roomMessages(roomId).slice(before);
			expect(added.some((x: any) => x.file?._id === upload.id || (x.files || []).some((f: any) => f._id === upload.id))).toBe(true);
			if (caption) expect(added.slice(-1)[0].text).toBe(caption);
		}
		expect(w.rc.rc.uploads.slice(-6).map((u) => u.name)).toEqual(expect.arrayContaining(['INV-42.pdf', expect.stringMatching(/^voice-.*\.ogg$/), expect.stringMatching(/^sticker-.*\.webp$/)]));
		// Every download carried the token; the media info was read with it too.
		expect(fake.downloads.filter((d) => d.status !== undefined && d.status < 300).every((d) => d.headers.authorization === `Bearer ${CLOUD.accessToken}`)).toBe(true);
	});

	it('says clearly when a file cannot be fetched any more', async () => {
		const id = fake.addMedia(CLOUD.phoneNumberId, PNG, 'image/jpeg');
		fake.expireMedia(id);
		await w.customerSends(msg.image(id, 'my receipt'));
		await w.rc.runDueJobs();
		expect(lastText()).toMatch(/^⚠️ Image \(.*\) could not be fetched from WhatsApp: the file is no longer available/);
		expect(lastText()).toContain('my receipt');
	});

	it('turns locations, contacts, replies to buttons and lists, orders, system notices and unsupported types into readable text', async () => {
		await w.customerSends(msg.location(37.483, -122.148, 'Office', '1 Hacker Way'));
		expect(lastText()).toContain('Office, 1 Hacker Way');
		await w.customerSends(msg.contacts());
		expect(lastText()).toContain('• Jane Doe: +1 650-555-0100, +1 650-555-0199, jane@example.com, jd@home.example');
		await w.customerSends(msg.buttonReply('yes', 'Yes, resolved', 'wamid.UNKNOWN'));
		expect(lastText()).toContain('🔘 Selected: Yes, resolved');
		await w.customerSends(msg.listReply('exp', 'Express', '1-2 days', 'wamid.UNKNOWN2'));
		expect(lastText()).toContain('🔘 Selected: Express — 1-2 days');
		await w.customerSends(msg.templateButton('Stop promotions', 'STOP', 'wamid.UNKNOWN3'));
		expect(lastText()).toContain('🔘 Selected: Stop promotions');
		await w.customerSends(msg.order());
		expect(lastText()).toBe('🛒 Order (items: 2)\n• di9ozbzfi4 × 2 — 7.99 USD\n• b3kk1l × 1 — 12.5 USD\nTotal: 28.48 USD\nLove these!');
		await w.post(fake.webhook(CLOUD.phoneNumberId, { messages: [msg.system('12195555358')], contacts: null }, CLOUD.appSecret));
		expect(lastText()).toBe('ℹ️ The customer changed their WhatsApp number to +12195555358.');
		await w.customerSends(msg.unsupported('poll_creation'));
		expect(lastText()).toBe('⚠️ Unsupported WhatsApp message type "poll_creation": ask the customer to send it another way. (Message type is currently not supported. #131051)');
	});

	it('links replies, reactions, edits and revokes to the mapped messages; marks forwards; tells the ad once', async () => {
		const original = msg.text('Order 42 is late');
		await w.customerSends(original);
		const originalRc = w.roomMessages(roomId).slice(-1)[0];
		await w.customerSends(msg.withContext(msg.text('any news?'), original.id as string));
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${originalRc.id}) any news?`);
		await w.customerSends(msg.reaction(original.id as string, '👍'));
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${originalRc.id}) Reacted 👍 to this message`);
		await w.customerSends(msg.reaction(original.id as string));
		expect(lastText()).toContain('Removed a reaction');
		await w.customerSends(msg.edit(original.id as string, 'Order 43 is late'));
		expect(w.rc.rc.messages.find((m) => m.id === originalRc.id)!.text).toBe('Order 43 is late');
		await w.customerSends(msg.revoke(original.id as string));
		expect(w.rc.rc.messages.find((m) => m.id === originalRc.id)!.text).toContain('deleted');
		const before = texts().length;
		const res = await w.customerSends(msg.withReferral(msg.text('I want the shoes')));
		expect(res.status).toBe(200);
		expect(texts().slice(before)).toEqual(['📣 The customer came from an ad: Summer sale — 20% off all shoes\nhttps://fb.me/3cr4Wqqkv', 'I want the shoes']);
	});

	it('ignores a redelivered webhook (dedupe on the wamid)', async () => {
		const again = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('once only', { id: 'wamid.ONCE' })] }, CLOUD.appSecret);
		expect((await w.post(again)).content.outcome).toBe('posted');
		expect((await w.post(again)).content.outcome).toBe('duplicate');
		expect(texts().filter((t) => t === 'once only')).toHaveLength(1);
	});

	it('sends the agent\'s text (with a link preview) and quote to WhatsApp', async () => {
		const customerMsg = w.roomMessages(roomId).find((m: any) => m.text === 'once only')!;
		fake.reset();
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'It ships today: https://t.example/42', quoteOf: customerMsg.id });
		const [sent] = await fake.waitForSent(1);
		expect(sent).toMatchObject({ phoneNumberId: CLOUD.phoneNumberId, to: CLOUD.customer, type: 'text' });
		expect(sent.body).toEqual({
			messaging_product: 'whatsapp', recipient_type: 'individual', to: CLOUD.customer, context: { message_id: 'wamid.ONCE' },
			type: 'text', text: { preview_url: true, body: 'It ships today: https://t.example/42' },
		});
		expect(fake.requests[0].headers.authorization).toBe(`Bearer ${CLOUD.accessToken}`);
	});

	it('sends the agent\'s file: uploaded to /media, then sent by id with the caption', async () => {
		fake.reset();
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'the label', file: { name: 'label.png', type: 'image/png', bytes: PNG } });
		const [sent] = await fake.waitForSent(1);
		expect(fake.requests.map((r) => r.method)).toEqual(['media.upload', 'messages']);
		expect(sent.body).toMatchObject({ type: 'image', image: { id: expect.any(String), caption: 'the label' } });
		expect(Buffer.compare(fake.mediaBytes(sent.body.image.id)!, PNG)).toBe(0);
	});

	it('a file WhatsApp does not take is refused before upload, with a clear note', async () => {
		fake.reset();
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, file: { name: 'anim.gif', type: 'image/gif', bytes: Buffer.from('GIF89a') } });
		await w.rc.waitFor(() => /Not sent to WhatsApp: WhatsApp does not accept files of type image\/gif/.test(lastText() || ''));
		expect(fake.requests).toHaveLength(0);
	});

	it('shows failed statuses with the translated reason (an unknown code with its title); delivered and read are quiet', async () => {
		fake.reset();
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'first' });
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'second' });
		const [a, b] = await fake.waitForSent(2);
		const notes = () => texts().filter((t) => t.includes('Not delivered to WhatsApp'));
		const before = notes().length;
		expect((await w.post(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: a.id, status: 'sent' }, { id: a.id, status: 'delivered' }, { id: a.id, status: 'read' }], CLOUD.appSecret))).status).toBe(200);
		expect(notes()).toHaveLength(before);
		await w.post(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: b.id, status: 'failed', errors: [cloudErrorObject(131026, 'Message undeliverable')] }], CLOUD.appSecret));
		expect(notes().slice(-1)[0]).toContain('Not delivered to WhatsApp: the message could not be delivered: the number may not be on WhatsApp');
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'third' });
		const [, , c] = await fake.waitForSent(3);
		await w.post(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: c.id, status: 'failed', errors: [cloudErrorObject(131999, 'Brand new failure', 'odd')] }], CLOUD.appSecret));
		expect(notes().slice(-1)[0]).toContain('Not delivered to WhatsApp: WhatsApp Cloud API: Brand new failure (#131999): odd');
	});

	it('outside the 24-hour window WhatsApp answers 131047: the agent is told why and offered a template', async () => {
		fake.reset();
		const now = Date.now();
		fake.clock = () => now + 25 * 60 * 60_000;
		try {
			await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'are you still there?' });
			// The app's clock still sees the window open; WhatsApp's answer (131047) closes it for the core.
			await w.rc.waitFor(() => /only an approved template now/.test(lastText() || ''));
			// The customer wrote minutes ago by the app's clock: the note says what WhatsApp said, with no time
			// that would contradict it.
			expect(lastText()).toContain('Not sent to WhatsApp: WhatsApp answered that the customer-service window is closed, so it accepts only an approved template now.');
			expect(lastText()).not.toMatch(/UTC|hours ago/);
			expect(fake.sent).toHaveLength(0);
		} finally {
			fake.clock = () => Date.now();
		}
	});

	it('a customer known only by BSUID gets a room; a later message with the phone lands in the same room; replies go to the BSUID', async () => {
		const first = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('hi, username here', { from: CLOUD.bsuid })], contacts: [{ profile: { name: '', username: '@sheena' }, user_id: CLOUD.bsuid }] }, CLOUD.appSecret);
		expect((await w.post(first)).status).toBe(200);
		const bsuidRoom = w.roomOf(CLOUD.bsuid);
		expect(bsuidRoom).not.toBe(roomId);
		const later = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('now with my number', { from: '491511234567' })], contacts: [{ profile: { name: 'Sheena' }, wa_id: '491511234567', user_id: CLOUD.bsuid }] }, CLOUD.appSecret);
		expect((await w.post(later)).status).toBe(200);
		expect(w.roomMessages(bsuidRoom).map((m: any) => m.text)).toEqual(['hi, username here', 'now with my number']);
		expect(w.rc.rc.rooms.filter((r) => r.type === 'l')).toHaveLength(2);
		fake.reset();
		await w.rc.sendUserMessage({ roomId: bsuidRoom, userId: w.agent.id, text: 'hello Sheena' });
		const [sent] = await fake.waitForSent(1);
		expect(sent.body).toMatchObject({ recipient: CLOUD.bsuid, text: { body: 'hello Sheena' } });
	});

	it('takes a batch of 60 messages of 6 customers in one POST, each chat in order', async () => {
		const customers = Array.from({ length: 6 }, (_, i) => `4930${String(1000000 + i)}`);
		const messages = Array.from({ length: 60 }, (_, i) => msg.text(`batch ${i}`, { from: customers[i % 6] }));
		const res = await w.post(fake.webhook(CLOUD.phoneNumberId, { messages }, CLOUD.appSecret));
		expect(res.status).toBe(200);
		expect(res.content.outcome).toBe('batch');
		for (const [c, customer] of customers.entries()) {
			const got = w.roomMessages(w.roomOf(customer)).map((m: any) => m.text);
			expect(got).toEqual(Array.from({ length: 10 }, (_, k) => `batch ${c + 6 * k}`));
		}
	});

	it('acknowledges other fields and objects without doing anything', async () => {
		const before = w.rc.rc.messages.length;
		const template = fake.signed({ object: 'whatsapp_business_account', entry: [{ id: CLOUD.wabaId, changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED', message_template_name: 'x' } }] }] }, CLOUD.appSecret);
		// A template status update refreshes the template list; nothing is posted.
		expect(await w.post(template)).toMatchObject({ status: 200, content: { outcome: 'template' } });
		expect(await w.post(fake.signed({ object: 'page', entry: [] }, CLOUD.appSecret))).toMatchObject({ status: 200, content: { outcome: 'ignored' } });
		expect(w.rc.rc.messages.length).toBe(before);
	});

	it('when the app\'s own clock has the window closed too, the note tells when the customer last wrote', async () => {
		const customer = '16505550142';
		const dayAndAHourAgo = Math.floor((Date.now() - 25 * 60 * 60_000) / 1000);
		expect((await w.customerSends(msg.text('an old question', { from: customer, timestamp: String(dayAndAHourAgo) }))).status).toBe(200);
		const oldRoom = w.roomOf(customer);
		fake.reset();
		await w.rc.sendUserMessage({ roomId: oldRoom, userId: w.agent.id, text: 'sorry for the wait' });
		const last = () => w.roomMessages(oldRoom).slice(-1)[0]?.text as string | undefined;
		await w.rc.waitFor(() => /only an approved template now/.test(last() || ''));
		const when = new Date(dayAndAHourAgo * 1000).toISOString().replace('T', ' ').slice(0, 16);
		expect(last()).toContain(`Not sent to WhatsApp: the customer's last message was more than 24 hours ago (${when} UTC)`);
		expect(fake.sent).toHaveLength(0);
	});
});

(ENGINE.hasOutboundProviders ? describe : describe.skip)('templates through Rocket.Chat\'s outbound-message wizard (a Cloud API number)', () => {
	let w: CloudWorld;
	let fake: FakeGraphApi;
	/** Rocket.Chat after its restart: the app offered itself to the wizard there. */
	let node: TestRocketChat;

	beforeAll(async () => {
		// A Premium workspace with the outbound-messaging module; the admin switched the app's wizard setting on, which
		// applies when Rocket.Chat next starts the app (another engine over the same database and app storage).
		w = await startCloudWorld({ provider: 'cloud', outboundLicence: true });
		await w.rc.setAppSetting('outbound_wizard', true);
		node = await TestRocketChat.startSecondNode(w.rc);
		fake = w.fake as FakeGraphApi;
		fake.addTemplate(CLOUD.wabaId, template({ name: 'order_update', body: 'Hi {{1}}, order {{2}} ships today.', header: { format: 'TEXT', text: 'Order news' }, quality: 'GREEN' }));
		fake.addTemplate(CLOUD.wabaId, template({ name: 'reservation', named: true, body: 'Your table for {{guests}} on {{day}}.' }));
		fake.addTemplate(CLOUD.wabaId, template({ name: 'draft', body: 'not yet', status: 'PENDING' }));
	});
	afterAll(async () => {
		await node?.stop();
		await w?.stop();
	});

	it('lists the number\'s approved templates, read from the Graph API', async () => {
		const meta = await node.outboundProviderMetadata(w.rc.appId);
		expect(meta.supportsTemplates).toBe(true);
		expect(meta.templates[`+${CLOUD.display}`].map((t: any) => [t.name, t.language, t.components.find((c: any) => c.type === 'body').text])).toEqual([
			['order_update', 'en_US', 'Hi {{1}}, order {{2}} ships today.'],
			['reservation', 'en_US', 'Your table for {{guests}} on {{day}}.'],
		]);
		// WhatsApp's quality rating as the wizard reads it (GREEN | YELLOW | RED | UNKNOWN); none given → UNKNOWN
		expect(meta.templates[`+${CLOUD.display}`].map((t: any) => t.qualityScore)).toEqual([{ score: 'GREEN', reasons: null }, { score: 'UNKNOWN', reasons: null }]);
		expect(fake.requests.filter((r) => r.method === 'templates').every((r) => r.headers.authorization === `Bearer ${CLOUD.accessToken}`)).toBe(true);
	});

	it('sends a positional and a NAMED template to a new customer (no open window needed)', async () => {
		fake.reset();
		await node.sendOutboundMessage(w.rc.appId, {
			to: '+4915112345678', type: 'template', templateProviderPhoneNumber: `+${CLOUD.display}`,
			template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }, { type: 'text', text: 'A42' }] }] },
		});
		await node.sendOutboundMessage(w.rc.appId, {
			to: '+4915112345678', type: 'template', templateProviderPhoneNumber: `+${CLOUD.display}`,
			template: { name: 'reservation', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '4' }, { type: 'text', text: 'Friday' }] }] },
		});
		const [positional, named] = await fake.waitForSent(2);
		expect(positional.body).toEqual({
			messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', type: 'template',
			template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }, { type: 'text', text: 'A42' }] }] },
		});
		expect(named.body.template.components).toEqual([{ type: 'body', parameters: [{ type: 'text', parameter_name: 'guests', text: '4' }, { type: 'text', parameter_name: 'day', text: 'Friday' }] }]);
	});

	it('a template filled against its rules is refused with the reason before WhatsApp is asked anything', async () => {
		fake.reset();
		await expect(node.sendOutboundMessage(w.rc.appId, {
			to: '+4915112345678', type: 'template', templateProviderPhoneNumber: `+${CLOUD.display}`,
			template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }] }] },
		})).rejects.toMatchObject({ message: expect.stringContaining('{{2}} is missing') });
		await expect(node.sendOutboundMessage(w.rc.appId, {
			to: '+4915112345678', type: 'template', templateProviderPhoneNumber: `+${CLOUD.display}`,
			template: { name: 'reservation', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '4' }, { type: 'text', text: 'Friday' }] }, { type: 'button', parameters: [{ type: 'text', text: 'x' }] }] },
		})).rejects.toMatchObject({ message: expect.stringContaining('button 1') });
		// the list may be read (cached or not); no number is checked and nothing is sent
		expect(fake.requests.filter((r) => r.method !== 'templates').map((r) => r.method)).toEqual([]);
	});

	it('a template WhatsApp does not know is refused with the translated reason', async () => {
		await expect(node.sendOutboundMessage(w.rc.appId, {
			to: '+4915112345678', type: 'template', templateProviderPhoneNumber: `+${CLOUD.display}`, template: { name: 'draft', language: { code: 'en_US' }, components: [] },
		})).rejects.toMatchObject({ message: expect.stringContaining('this template does not exist in this language or is not approved (132001)') });
	});
});
