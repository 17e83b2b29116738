// Removing a number: the provider stops calling the app, and every message of the number still waiting
// (an agent's answer waiting for a retry, a customer's file waiting to be fetched, a customer's
// message waiting for an agent) is told once, at removal, instead of failing later one by one.
import { CLOUD, msg } from '../fixtures/cloud';
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { FakeDialog360 } from '../fakes/FakeCloudApi';
import { startCloudWorld } from './support/cloudWorld';
import { startWorld, World } from './support/world';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const OTHER_CHAT = '79005556677@c.us';

describe('/whatsapp instance remove with messages still waiting', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
		w.rc.rc.shiftAppDates = true;
	});
	afterAll(async () => {
		await w?.stop();
	});

	const queued = (queue: 'gab:inbox' | 'gab:outbox') => w.rc.rc.persistence.filter((p) => p.associations.some((a: any) => a.id === queue));
	const texts = (roomId: string) => w.roomMessages(roomId).map((m: any) => String(m.text || ''));

	it('clears the GREEN-API webhook and tells each waiting message once, in its room', async () => {
		await w.customerSends(fx.textMessage('Here is the damage:'));
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		// A photo whose host fails: a placeholder stands in the room while it waits.
		const url = w.green.serveFile('late.png', PNG, 'image/png', { status: 503 });
		expect((await w.customerSends(fx.imageMessage(url, '', { fileName: 'late.png' }))).content.outcome).toBe('queued');
		await w.rc.runDueJobs();
		const placeholder = await w.rc.waitFor(() => w.roomMessages(room.id).find((m: any) => /could not be fetched yet/.test(m.text || '')));
		// The agent's answer waits for a retry: GREEN-API answers 500.
		w.green.failNext('sendMessage', 100, { status: 500, body: 'Internal Server Error' });
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'We will replace it' });
		await w.rc.waitFor(() => texts(room.id).some((t) => /⏳/.test(t)));
		await w.rc.waitFor(() => queued('gab:outbox').length === 1);
		// Another customer writes while no agent is online: parked, with no room yet.
		w.rc.setAgentStatus(w.agent.id, 'offline');
		expect((await w.customerSends(fx.textMessage('Anyone?'), { chatId: OTHER_CHAT, senderName: 'Bob' })).content.outcome).toBe('queued');
		expect(queued('gab:inbox')).toHaveLength(2);
		expect(w.green.webhookSettings(GA.idInstance).webhookUrl).not.toBe('');

		const before = w.rc.rc.notices.length;
		await w.rc.runCommand('whatsapp', ['instance', 'remove', GA.idInstance], { userId: w.admin.id });
		const reply = w.rc.rc.notices.slice(before).map((n: any) => n.text).join('\n');
		expect(reply).toContain(`Instance ${GA.idInstance} removed.`);
		expect(reply).toContain("GREEN-API no longer sends this number's webhooks here.");
		expect(reply).toContain('2 waiting message(s) of this number were cancelled; each room was told.');
		expect(reply).toContain('1 waiting customer message(s) of this number had no room to be told in and were dropped.');
		// GREEN-API stops calling: no webhook URL, no token of ours.
		expect(w.green.webhookSettings(GA.idInstance)).toMatchObject({ webhookUrl: '', webhookUrlToken: '' });
		const setSettings = w.green.requestsFor('setSettings', GA.idInstance).pop()!;
		expect(setSettings.body).toEqual({ webhookUrl: '', webhookUrlToken: '' });
		expect(queued('gab:inbox')).toEqual([]);
		expect(queued('gab:outbox')).toEqual([]);

		const told = () => texts(room.id).filter((t) => /was removed from Rocket\.Chat/.test(t));
		await w.rc.waitFor(() => /could not be shown: the WhatsApp number \+79990000000 was removed/.test(w.rc.rc.messages.find((m) => m.id === placeholder.id)!.text || ''));
		expect(told()).toEqual([
			`⚠️ A message from ${GA.name} could not be shown: the WhatsApp number +79990000000 was removed from Rocket.Chat before it got through.`,
			'⚠️ Not sent: the WhatsApp number +79990000000 was removed from Rocket.Chat (“We will replace it”).',
		]);

		// Nothing fails later, one by one: no retry, no second note, no admin alert.
		const sends = w.green.requestsFor('sendMessage').length;
		const messages = w.rc.rc.messages.length;
		for (let i = 0; i < 3; i++) {
			w.rc.advanceClock(30 * 60_000);
			await w.rc.runDueJobs();
		}
		expect(w.green.requestsFor('sendMessage')).toHaveLength(sends);
		expect(w.rc.rc.messages.length).toBe(messages);
		expect(told()).toHaveLength(2);
	});
});

describe('/whatsapp instance remove on the Cloud API providers', () => {
	it('360dialog: the number\'s webhook configuration is cleared, then its webhooks are refused', async () => {
		const w = await startCloudWorld({ provider: '360dialog' });
		try {
			const fake = w.fake as FakeDialog360;
			expect(fake.webhookConfigs.has(CLOUD.phoneNumberId)).toBe(true);
			const reply = await w.answers(w.admin.id, `instance remove ${w.instanceId}`);
			expect(reply).toContain(`Instance ${w.instanceId} removed.`);
			expect(reply).toContain("360dialog no longer sends this number's webhooks here.");
			expect(fake.webhookConfigs.has(CLOUD.phoneNumberId)).toBe(false);
			expect(fake.requests.slice(-1)[0]).toMatchObject({ httpMethod: 'POST', path: '/v1/configs/webhook', body: { url: '' } });
			expect((await w.customerSends(msg.text('after removal'))).status).toBe(401);
		} finally {
			await w.stop();
		}
	});

	it('Cloud API: the admin is told what to remove in the Meta app (the app cannot), and nothing is called', async () => {
		const w = await startCloudWorld({ provider: 'cloud' });
		try {
			const calls = w.fake.requests.length;
			const reply = await w.answers(w.admin.id, `instance remove ${w.instanceId}`);
			expect(reply).toContain(`Instance ${w.instanceId} removed.`);
			expect(reply).toContain('in the App Dashboard (WhatsApp → Configuration) remove the callback URL');
			expect(w.fake.requests).toHaveLength(calls);
			expect((await w.answers(w.admin.id, 'instance list'))).toContain('No WhatsApp');
		} finally {
			await w.stop();
		}
	});
});
