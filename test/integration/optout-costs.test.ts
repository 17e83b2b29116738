// Marketing opt-outs and what messages cost, on the real engine against the fake Graph API (and 360dialog,
// which passes Meta's webhooks as they are): a customer stops marketing messages and the agent is told in
// the room; every way of sending a MARKETING template refuses it with the reason (the picker, the command,
// templateMessage, /whatsapp start says so up front); WhatsApp's own 131050 refusal records the opt-out the
// webhook never told; each sent / delivered status's pricing is recorded once per message, shown by
// /whatsapp info, and summed per number and month by /whatsapp costs.
import { CLOUD, msg, template } from '../fixtures/cloud';
import { FakeGraphApi } from '../fakes/FakeCloudApi';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';

const OMAR = '4915112345678'; // never wrote; stopped marketing messages before the business ever reached him
const LENA = '447700900123'; // stopped marketing messages, but the webhook that said so never arrived
const API_KEY = 'optout-integration-key-0123456789';
const month = () => new Date().toISOString().slice(0, 7);

describe('opt-outs and costs on a Cloud API number', () => {
	let w: CloudWorld;
	let fake: FakeGraphApi;
	let sheenaRoom: string;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: 'cloud', appSettings: { template_api_key: API_KEY } });
		fake = w.fake as FakeGraphApi;
		fake.addTemplate(CLOUD.wabaId, template({ name: 'spring_sale', body: 'Spring sale: 20% off everything!', category: 'MARKETING' }));
		fake.addTemplate(CLOUD.wabaId, template({ name: 'parcel_update', body: 'Your parcel is on its way.' }));
		await w.customerSends(msg.text('Hi, where is my parcel?'));
		await w.rc.settle();
		sheenaRoom = w.roomOf(CLOUD.customer);
		// The room is the agent's (routed to the department's only agent).
		await w.rc.waitFor(() => w.rc.rc.rooms.find((r) => r.id === sheenaRoom)?.servedBy?.id === w.agent.id);
	});
	afterAll(async () => {
		await w?.stop();
	});

	const notes = (roomId: string) => w.roomMessages(roomId).map((m: any) => m.text as string);
	const post = (hook: ReturnType<FakeGraphApi['statusWebhook']>) => w.post(hook);
	const templatesTo = (to: string) => fake.sentTo(to).filter((s) => s.type === 'template').map((s) => s.body.template.name);

	it('Sheena stops marketing messages: the agent reads it in her room once, however often Meta redelivers it; /whatsapp info says so', async () => {
		const stop = fake.userPreference(CLOUD.phoneNumberId, CLOUD.customer, 'stop', CLOUD.appSecret);
		expect(await w.post(stop)).toMatchObject({ status: 200, content: { ok: true, outcome: 'preference' } });
		expect(await w.post(stop)).toMatchObject({ status: 200, content: { ok: true, outcome: 'preference' } });
		const told = notes(sheenaRoom).filter((t) => t.includes('stopped marketing messages from this business'));
		expect(told).toEqual(['🔕 The customer stopped marketing messages from this business on WhatsApp: marketing templates will not be sent to them.']);
		const info = await w.answers(w.agent.id, 'info', sheenaRoom);
		expect(info).toMatch(/Marketing messages: stopped by the customer since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
	});

	it('the agent types /whatsapp template spring_sale: refused with the reason, nothing reaches WhatsApp; a utility template still goes', async () => {
		const refused = await w.answers(w.agent.id, 'template spring_sale', sheenaRoom);
		expect(refused).toContain('The template spring_sale was not sent:');
		expect(refused).toContain('spring_sale is a marketing template and the customer stopped marketing messages from this business');
		expect(templatesTo(CLOUD.customer)).toEqual([]);
		const sent = await w.answers(w.agent.id, 'template parcel_update', sheenaRoom);
		expect(sent).toContain('✅');
		expect(templatesTo(CLOUD.customer)).toEqual(['parcel_update']);
	});

	it('the picker names the opt-out at the top, and choosing the marketing template shows why it cannot go', async () => {
		const c = w.rc.webClient(w.agent.id);
		expect(await c.clickActionButton({ rid: sheenaRoom, actionId: 'gab-send-template' })).toMatchObject({ answer: 'modal.open', late: false });
		// The list was fetched by the commands above: the pick step opens at once.
		const view = c.modal!.view;
		expect(JSON.stringify(view.blocks[0])).toContain('stopped marketing messages since');
		c.setValue('tpl-pick', 'tpl-pick', JSON.stringify(['spring_sale', 'en_US']));
		expect(await c.submit()).toMatchObject({ answer: 'errors', late: false });
		expect(c.modal!.errors?.['tpl-pick']).toContain('spring_sale is a marketing template and the customer stopped marketing messages');
		c.setValue('tpl-pick', 'tpl-pick', JSON.stringify(['parcel_update', 'en_US']));
		expect(await c.submit()).toMatchObject({ answer: 'modal.update', late: false });
		expect(c.dropped).toEqual([]);
		expect(templatesTo(CLOUD.customer)).toEqual(['parcel_update']);
	});

	it('Omar stopped marketing messages before the business ever wrote: templateMessage refuses the campaign for him without opening a room, and still reaches others', async () => {
		expect((await w.post(fake.userPreference(CLOUD.phoneNumberId, OMAR, 'stop', CLOUD.appSecret))).status).toBe(200);
		const res = await w.rc.callEndpoint('templateMessage', {
			method: 'POST', headers: { 'x-api-key': API_KEY },
			content: { phoneNumbers: [`+${OMAR}`, '+4917099887766'], connectedWhatsAppNo: CLOUD.phoneNumberId, template: { name: 'spring_sale', language: { code: 'en_US' }, components: [] } },
		});
		expect(res.status).toBe(200);
		expect(res.content.results[0]).toEqual({ phoneNumber: `+${OMAR}`, success: false, status: 'failed', error: expect.stringContaining('spring_sale is a marketing template and the customer stopped marketing messages') });
		expect(res.content.results[1]).toMatchObject({ phoneNumber: '+4917099887766', success: true, status: 'sent', room: 'opened' });
		expect(templatesTo(OMAR)).toEqual([]);
		expect(w.rc.rc.rooms.filter((r) => r.customFields?.whatsappChat === OMAR)).toEqual([]);
		// /whatsapp start tells the agent up front (the window is closed: only a template could start it).
		const start = await w.answers(w.agent.id, `start +${OMAR}`);
		expect(start).toContain('This customer stopped marketing messages (since');
	});

	it('Lena\'s opt-out never reached the app: WhatsApp refuses the marketing template (131050), the agent reads why, and the next one is refused by the app itself', async () => {
		fake.userPreference(CLOUD.phoneNumberId, LENA, 'stop'); // the webhook is lost: only WhatsApp knows
		await w.customerSends(msg.text('Hello!', { from: LENA }));
		// The app answers the webhook before its contact record is written: wait until it is done.
		await w.rc.settle();
		const room = w.roomOf(LENA);
		await w.rc.waitFor(() => w.rc.rc.rooms.find((r) => r.id === room)?.servedBy?.id === w.agent.id);
		fake.webhooks.length = 0;
		expect(await w.answers(w.agent.id, 'template spring_sale', room)).toContain('spring_sale');
		await w.rc.waitFor(() => fake.webhooks.length === 1);
		expect((await w.post(fake.webhooks[0])).status).toBe(200);
		expect(notes(room).slice(-1)[0]).toContain('Not delivered to WhatsApp: the customer stopped marketing messages from this business, so WhatsApp does not deliver marketing templates to them (131050)');
		const again = await w.answers(w.agent.id, 'template spring_sale', room);
		expect(again).toContain('spring_sale is a marketing template and the customer stopped marketing messages');
		expect(templatesTo(LENA)).toEqual(['spring_sale']);
		expect(await w.answers(w.agent.id, 'info', room)).toContain('Marketing messages: stopped by the customer since');
	});

	it('Sheena resumes: the agent is told, and the marketing template goes again', async () => {
		expect((await w.post(fake.userPreference(CLOUD.phoneNumberId, CLOUD.customer, 'resume', CLOUD.appSecret))).status).toBe(200);
		expect(notes(sheenaRoom).slice(-1)[0]).toBe('🔔 The customer resumed marketing messages from this business on WhatsApp.');
		// A stop older than the resume (redelivered late) does not undo it.
		const late = fake.userPreference(CLOUD.phoneNumberId, CLOUD.customer, 'stop', CLOUD.appSecret, Date.now() - 3_600_000);
		expect((await w.post(late)).status).toBe(200);
		expect(await w.answers(w.agent.id, 'template spring_sale', sheenaRoom)).toContain('✅');
		expect(templatesTo(CLOUD.customer)).toEqual(['parcel_update', 'spring_sale']);
		expect(await w.answers(w.agent.id, 'info', sheenaRoom)).toMatch(/Marketing messages: received \(resumed /);
	});

	it('what WhatsApp says each message costs is recorded once per message; /whatsapp info shows the conversation by category and which were free', async () => {
		fake.customerWrote(CLOUD.phoneNumberId, CLOUD.customer);
		await w.rc.sendUserMessage({ roomId: sheenaRoom, userId: w.agent.id, text: 'It arrives tomorrow.' });
		await w.rc.waitFor(() => fake.sentTo(CLOUD.customer).some((s) => s.type === 'text'));
		const toSheena = fake.sentTo(CLOUD.customer);
		// Sent and delivered both carry the price; Meta redelivers; read carries none.
		const statuses = toSheena.flatMap((s) => [{ id: s.id, status: 'sent' }, { id: s.id, status: 'delivered' }]);
		expect((await post(fake.statusWebhook(CLOUD.phoneNumberId, statuses, CLOUD.appSecret))).status).toBe(200);
		expect((await post(fake.statusWebhook(CLOUD.phoneNumberId, statuses, CLOUD.appSecret))).status).toBe(200);
		expect((await post(fake.statusWebhook(CLOUD.phoneNumberId, toSheena.map((s) => ({ id: s.id, status: 'read' })), CLOUD.appSecret))).status).toBe(200);
		const info = await w.answers(w.agent.id, 'info', sheenaRoom);
		// parcel_update went while her window was open (free utility), spring_sale is charged, the reply is a free service message.
		expect(info).toContain('Messages by WhatsApp pricing category:\n• utility: 1 (0 billable, 1 free)\n• marketing: 1 (1 billable, 0 free)\n• service: 1 (0 billable, 1 free)');
	});

	it('/whatsapp costs sums the number\'s month by category from one record (redelivered statuses counted once); admins only; the app says it knows no prices', async () => {
		// Lena's refused template and the campaign's other recipient: their statuses come in too.
		const others = fake.sent.filter((s) => s.to !== CLOUD.customer && s.to !== LENA);
		expect((await post(fake.statusWebhook(CLOUD.phoneNumberId, others.map((s) => ({ id: s.id, status: 'delivered' })), CLOUD.appSecret))).status).toBe(200);
		const costs = await w.answers(w.admin.id, `costs ${w.instanceId}`);
		expect(costs).toBe([
			`WhatsApp messages of +${CLOUD.display} (${w.instanceId}) in ${month()} (UTC), as WhatsApp reported them:`,
			'• utility: 1 (0 billable, 1 free)',
			'• marketing: 2 (2 billable, 0 free)',
			'• service: 1 (0 billable, 1 free)',
			'Total: 4 messages, 2 billable, 2 free.',
			'The app counts WhatsApp pricing categories only and knows no prices: see WhatsApp Manager or your invoice for amounts.',
		].join('\n'));
		const usage = w.rc.rc.persistence.filter((p) => p.data?.month === month() && p.data?.instanceId === w.instanceId);
		expect(usage).toHaveLength(1);
		expect(await w.answers(w.admin.id, `costs ${w.instanceId} 2020-01`)).toContain('No priced message recorded.');
		expect(await w.answers(w.admin.id, `costs ${w.instanceId} January`)).toContain('Usage: `/whatsapp costs <instance> [YYYY-MM]`');
		expect(await w.answers(w.admin.id, 'costs nosuchnumber')).toContain('No connected instance nosuchnumber.');
		expect(await w.answers(w.agent.id, `costs ${w.instanceId}`)).not.toContain('WhatsApp messages of');
	});
});

describe('opt-outs on a 360dialog number (Meta\'s webhooks passed as they are)', () => {
	let w: CloudWorld;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: '360dialog' });
		w.fake.addTemplate(CLOUD.wabaId, template({ name: 'spring_sale', body: 'Spring sale: 20% off everything!', category: 'MARKETING' }));
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('a stop is told in the customer\'s room and the marketing template is refused; delivered statuses\' pricing is counted', async () => {
		await w.customerSends(msg.text('Hi'));
		await w.rc.settle();
		const room = w.roomOf(CLOUD.customer);
		await w.rc.waitFor(() => w.rc.rc.rooms.find((r) => r.id === room)?.servedBy?.id === w.agent.id);
		expect(await w.post(w.fake.userPreference(CLOUD.phoneNumberId, CLOUD.customer, 'stop'))).toMatchObject({ status: 200, content: { outcome: 'preference' } });
		expect(w.roomMessages(room).map((m: any) => m.text).slice(-1)[0]).toContain('stopped marketing messages from this business');
		expect(await w.answers(w.agent.id, 'template spring_sale', room)).toContain('spring_sale is a marketing template and the customer stopped marketing messages');
		await w.rc.sendUserMessage({ roomId: room, userId: w.agent.id, text: 'How can I help?' });
		const [reply] = await w.fake.waitForSent(1);
		expect((await w.post(w.fake.statusWebhook(CLOUD.phoneNumberId, [{ id: reply.id, status: 'delivered' }]))).status).toBe(200);
		expect(await w.answers(w.admin.id, `costs ${w.instanceId}`)).toContain('• service: 1 (0 billable, 1 free)');
	});
});
