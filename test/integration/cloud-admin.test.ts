// What admins get for a Cloud API number beyond messaging: the signature policy setting decides what a
// webhook signed wrongly does, `/whatsapp status` says how recent signatures fared, and an expired token
// (190) reaches admins once.
import { apiVersionWarning } from '../../src/commands/AdminCommands';
import { GRAPH_API_VERSION, graphVersionEnd } from '../../src/providers/cloud/graph';
import { CLOUD, msg } from '../fixtures/cloud';
import { FakeGraphApi } from '../fakes/FakeCloudApi';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';

describe('a Cloud API number, for admins', () => {
	let w: CloudWorld;
	let fake: FakeGraphApi;
	beforeAll(async () => {
		w = await startCloudWorld({ provider: 'cloud' });
		fake = w.fake as FakeGraphApi;
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('signatures: logged by default, refused under "reject", counted in /whatsapp status', async () => {
		const genuine = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('signed by Meta')] }, CLOUD.appSecret);
		const forged = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('signed with another secret')] }, 'not-the-app-secret');
		expect((await w.post(genuine)).status).toBe(200);
		// Default "log only": the URL secret admits it, the mismatch is counted.
		expect((await w.post(forged)).status).toBe(200);
		await w.rc.setAppSetting('cloud_signature_policy', 'reject');
		const forgedAgain = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('refused now')] }, 'not-the-app-secret');
		expect((await w.post(forgedAgain)).status).toBe(401);
		expect((await w.post(fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('still fine')] }, CLOUD.appSecret))).status).toBe(200);
		const status = await w.answers(w.admin.id, 'status');
		expect(status).toMatch(/webhook signatures: 2 matched, 2 did not, 0 missing/);
		// The pinned Graph API version, read against the table of end dates on the engine's clock (the
		// warning itself, with the clock moved, is in test/commands/AdminCommands.test.ts).
		const warning = apiVersionWarning('WhatsApp Cloud API', { version: GRAPH_API_VERSION, endsAt: graphVersionEnd(GRAPH_API_VERSION) }, Date.now());
		if (warning) expect(status).toContain(`⚠️ ${warning}`);
		else expect(status).not.toContain('Graph API');
		const room = w.roomOf(CLOUD.customer);
		expect(w.roomMessages(room).map((m: any) => m.text)).toEqual(['signed by Meta', 'signed with another secret', 'still fine']);
	});

	it('an expired token (190) is told to admins once; the agent sees why the message was not sent', async () => {
		const room = w.roomOf(CLOUD.customer);
		fake.failNext('messages', 2, FakeGraphApi.error(401, 190, 'Error validating access token: Session has expired'));
		await w.rc.sendUserMessage({ roomId: room, userId: w.agent.id, text: 'first answer' });
		await w.rc.sendUserMessage({ roomId: room, userId: w.agent.id, text: 'second answer' });
		const dm = await w.rc.waitFor(() => w.rc.rc.rooms.find((r) => r.type === 'd' && r.memberIds.includes(w.admin.id)));
		await w.rc.waitFor(() => w.roomMessages(room).filter((m: any) => /Not sent to WhatsApp/.test(m.text || '')).length === 2);
		const alerts = w.roomMessages(dm.id).map((m: any) => m.text as string).filter((t) => /refused to send/.test(t));
		expect(alerts).toHaveLength(1);
		expect(alerts[0]).toMatch(/token/i);
		expect(alerts[0]).not.toContain(CLOUD.accessToken);
	});
});
