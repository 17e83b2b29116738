// 360dialog ↔ Omnichannel on the real engine, against the fake 360dialog: `/whatsapp instance add 360dialog …`
// configures the webhook itself (URL secret + header secret), customers write, agents answer text and files,
// statuses come back with reasons.
import { body, CLOUD, cloudErrorObject, msg, value } from '../fixtures/cloud';
import { FakeDialog360 } from '../fakes/FakeCloudApi';
import { CloudWorld, D360_KEY, startCloudWorld } from './support/cloudWorld';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('a 360dialog number: customers write, agents answer', () => {
	let w: CloudWorld;
	let fake: FakeDialog360;
	let roomId: string;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: '360dialog' });
		fake = w.fake as FakeDialog360;
	});
	afterAll(async () => {
		await w?.stop();
	});

	const lastText = () => w.roomMessages(roomId).slice(-1)[0]?.text as string;

	it('instance add checks the key, learns the number and points 360dialog\'s webhook at the app with a secret header', async () => {
		expect(fake.requests.map((r) => `${r.httpMethod} ${r.path}`)).toEqual(['GET /health_status', 'POST /v1/configs/webhook']);
		expect(fake.requests.every((r) => r.headers['d360-api-key'] === D360_KEY)).toBe(true);
		const config = fake.webhookConfigs.get(CLOUD.phoneNumberId)!;
		expect(config.url).toBe(`http://rc.test/api/apps/public/${w.rc.appId}/360dialog?instance=${w.instanceId}&secret=${w.query.secret}`);
		expect(Object.keys(config.headers)).toEqual(['X-Webhook-Secret']);
		expect(config.headers['X-Webhook-Secret']).toMatch(/^[0-9a-f]{48}$/);
		expect(config.headers['X-Webhook-Secret']).not.toBe(w.query.secret);
		expect(w.instanceId).toMatch(/^d360-[0-9a-f]{12}$/);
		expect(w.addAnswer).toContain(`number +${CLOUD.display}`);
		expect(w.addAnswer).not.toContain(D360_KEY);
		expect(w.addAnswer).not.toContain('verify token');
		// The app gave 360dialog the URL itself: the answer shows it with the secret masked, as the secret beside it.
		expect(w.addAnswer).not.toContain(w.query.secret);
		expect(w.addAnswer).toContain(`360dialog?instance=${w.instanceId}&secret=****${w.query.secret.slice(-4)}`);
		expect(w.addAnswer).toContain(`(secret ****${w.query.secret.slice(-4)})`);
	});

	it('learned the number\'s phone number id at connect: a webhook naming another number, or none, changes nothing', async () => {
		const before = { rooms: w.rc.rc.rooms.length, messages: w.rc.rc.messages.length, visitors: w.rc.rc.visitors.length };
		for (const phoneNumberId of ['106540352242999', null, '', 'constructor']) {
			const v = value({ messages: [msg.text('not for this number')] });
			(v.metadata as Record<string, unknown>).phone_number_id = phoneNumberId;
			const res = await w.post(fake.signed(body(v), ''));
			expect(res).toMatchObject({ status: 200, content: { outcome: 'ignored' } });
		}
		expect({ rooms: w.rc.rc.rooms.length, messages: w.rc.rc.messages.length, visitors: w.rc.rc.visitors.length }).toEqual(before);
	});

	it('posts the customer\'s text into a new WhatsApp room', async () => {
		expect(await w.customerSends(msg.text('¿Dónde está mi pedido? 📦'))).toMatchObject({ status: 200, content: { outcome: 'posted' } });
		roomId = w.roomOf(CLOUD.customer);
		expect(lastText()).toBe('¿Dónde está mi pedido? 📦');
	});

	it('refuses a webhook without the header secret or with a wrong URL secret, without side effects', async () => {
		await w.rc.settle(); // the previous message's contact record is written just after its answer
		const before = w.rc.rc.effects.length;
		const body = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('forged')] });
		expect((await w.post(body, { headers: { 'x-webhook-secret': 'nope' } })).status).toBe(401);
		expect((await w.post(body, { query: { ...w.query, secret: 'nope' } })).status).toBe(401);
		expect(w.rc.rc.effects.slice(before).filter((e: any) => !/read|get|find/i.test(e.kind))).toEqual([]);
		expect((await w.rc.callEndpoint('360dialog', { method: 'GET', query: w.query })).status).toBe(405);
	});

	it('fetches media from 360dialog\'s host with the key (the lookaside path, not Meta\'s host)', async () => {
		const id = fake.addMedia(CLOUD.phoneNumberId, PNG, 'image/jpeg');
		expect((await w.customerSends(msg.image(id, 'scratch on the lid'))).content.outcome).toBe('queued');
		await w.rc.runDueJobs();
		expect(fake.mediaDownloads(id)).toBe(1);
		expect(Buffer.compare(w.rc.rc.uploads.slice(-1)[0].bytes, PNG)).toBe(0);
		expect(lastText()).toBe('scratch on the lid');
		const info = fake.requests.find((r) => r.method === 'media.info')!;
		expect(info.path).toBe(`/${id}`);
	});

	it('sends the agent\'s text and file through /messages and /media with the key', async () => {
		fake.reset();
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'Llega mañana' });
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'la factura', file: { name: 'factura.pdf', type: 'application/pdf', bytes: Buffer.from('%PDF-1.4 f') } });
		const [text, file] = await fake.waitForSent(2);
		expect(text.body).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CLOUD.customer, type: 'text', text: { preview_url: false, body: 'Llega mañana' } });
		expect(file.body).toMatchObject({ type: 'document', document: { caption: 'la factura', filename: 'factura.pdf' } });
		expect(fake.requests.map((r) => `${r.method} ${r.headers['d360-api-key'] === D360_KEY}`)).toEqual(['messages true', 'media.upload true', 'messages true']);
	});

	it('shows a failed status with its reason', async () => {
		const sent = fake.sent[0];
		await w.post(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: sent.id, status: 'failed', errors: [cloudErrorObject(131047, 'Re-engagement message')] }]));
		// 131047 in a status is the window closing: the agent is offered a template. The customer wrote minutes
		// ago by the app's clock, so the note says what WhatsApp said, without a time contradicting it.
		expect(lastText()).toContain('Not sent to WhatsApp: WhatsApp answered that the customer-service window is closed, so it accepts only an approved template now.');
		expect(lastText()).not.toMatch(/UTC|hours ago/);
	});
});
