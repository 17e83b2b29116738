// A provider the core has never heard of, through the real endpoint, registry and core, on the real
// engine: the test build of the app carries test/fakes/neutral/NeutralProvider.ts (src/core has no line
// for it). A batch webhook, auth, a file, an agent's answer and a failed delivery, as for GREEN-API.
import * as path from 'path';
import { FakeNeutralApi } from '../fakes/neutral/FakeNeutralApi';
import { ENGINE, TestRocketChat } from '../runtime/TestRocketChat';

const ROOT = path.resolve(__dirname, '../..');
// the test build with the neutral provider, packaged before jest runs (test/runtime/variant-zips.js)
const ZIP = path.join(ROOT, 'dist/test/neutral/green-api-whatsapp-bridge_0.1.0.zip');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('a provider unknown to the core (test-only "neutral") carries a conversation', () => {
	let rc: TestRocketChat;
	let api: FakeNeutralApi;
	let agent: { id: string };
	const T0 = Date.now();
	const webhook = (events: Array<Record<string, unknown>>, secret = api.webhook!.secret) => {
		// The customers' messages pass through the provider (which opens its 24-hour window for them).
		for (const e of events) if (e.kind === 'text' || e.kind === 'file') api.customerWrote(String(e.chat));
		return rc.callEndpoint('neutral', { method: 'POST', headers: { 'content-type': 'application/json', 'x-neutral-secret': secret }, query: { number: '555' }, content: { events } });
	};
	const roomOf = (chat: string) => rc.rc.rooms.find((r) => r.customFields?.whatsappChat === chat);
	const textsIn = (roomId: string) => rc.rc.messages.filter((m) => m.rid === roomId).map((m) => m.text);

	beforeAll(async () => {
		api = await FakeNeutralApi.start('neutral-token-123', '15550001111');
		rc = await TestRocketChat.start({ zipPath: ZIP, acceptChatsWithNoAgents: false });
		const dep = rc.addDepartment({ name: 'Support' });
		const admin = rc.addUser({ username: 'admin', roles: ['admin', 'user'], status: 'online' });
		agent = rc.addUser({ username: 'agent', roles: ['livechat-agent', 'user'], status: 'online', departmentIds: [dep.id] });
		await rc.runCommand('whatsapp', ['instance', 'add', 'neutral', '555', 'neutral-token-123', api.url, 'Support'], { userId: admin.id });
	});
	afterAll(async () => {
		await rc?.stop();
		await api?.stop();
	});

	it('is added by /whatsapp instance add neutral …, which configures its webhook with a generated secret', () => {
		expect(api.webhook?.url).toMatch(/\/api\/apps\/public\/[^/]+\/neutral\?number=555$/);
		expect(api.webhook?.secret.length).toBeGreaterThanOrEqual(32);
		expect(rc.rc.notices.slice(-1)[0].text).toContain('+15550001111');
	});

	it('takes a batch of events for two customers in one POST, in order per customer', async () => {
		const res = await webhook([
			{ kind: 'text', chat: 'c1', name: 'Ann', id: 'm1', text: 'first from Ann', ts: T0 + 1 },
			{ kind: 'text', chat: 'c2', name: 'Bob', id: 'm2', text: 'hello from Bob', ts: T0 + 2 },
			{ kind: 'text', chat: 'c1', name: 'Ann', id: 'm3', text: 'second from Ann', ts: T0 + 3 },
			{ kind: 'teleport', chat: 'c1', id: 'm4' },
		]);
		expect(res.status).toBe(200);
		expect(res.content.outcomes).toEqual(['posted', 'posted', 'posted', 'ignored']);
		expect(textsIn(roomOf('c1')!.id)).toEqual(['first from Ann', 'second from Ann']);
		expect(textsIn(roomOf('c2')!.id)).toEqual(['hello from Bob']);
		// Rocket.Chat 6.13 (Apps-Engine 1.46.0) has no room source `destination`
		expect(roomOf('c1')!.source).toMatchObject({ type: 'app', label: 'WhatsApp', ...(ENGINE.roomSourceHasDestination && { destination: '+15550001111' }) });
	});

	it('refuses a wrong secret with 401 and changes nothing; a redelivered batch is a duplicate', async () => {
		const before = rc.rc.messages.length;
		expect((await webhook([{ kind: 'text', chat: 'c1', id: 'm9', text: 'forged' }], 'guessed-secret')).status).toBe(401);
		const again = await webhook([{ kind: 'text', chat: 'c1', name: 'Ann', id: 'm1', text: 'first from Ann', ts: T0 + 1 }]);
		expect(again.content.outcomes).toEqual(['duplicate']);
		expect(rc.rc.messages.length).toBe(before);
	});

	it('fetches a file through the provider (by reference, with its token) in a job', async () => {
		api.serveMedia('f1', PNG, 'image/png');
		const res = await webhook([{ kind: 'file', chat: 'c1', id: 'm5', ref: 'f1', fileName: 'photo.png', caption: 'the box' }]);
		expect(res.content.outcomes).toEqual(['queued']);
		rc.advanceClock(60_000);
		await rc.runDueJobs();
		const upload = await rc.waitFor(() => rc.rc.uploads.find((u) => u.name === 'photo.png' && u.rid === roomOf('c1')!.id));
		expect(upload.bytes.equals(PNG)).toBe(true);
		expect(textsIn(roomOf('c1')!.id).slice(-1)[0]).toBe('the box');
	});

	it("sends the agent's answer through the provider, and shows a failed delivery with its reason", async () => {
		const room = roomOf('c2')!;
		await rc.sendUserMessage({ roomId: room.id, userId: agent.id, text: 'Hi Bob, how can I help?' });
		const sent = await rc.waitFor(() => api.sent.find((s) => s.body.text === 'Hi Bob, how can I help?'));
		expect(sent.body.to).toBe('c2');
		const res = await webhook([{ kind: 'status', chat: 'c2', id: sent.id, state: 'failed', reason: 'recipient unreachable' }]);
		expect(res.content.outcomes).toEqual(['status']);
		await rc.waitFor(() => textsIn(room.id).find((t) => /recipient unreachable/.test(t || '')));
	});
});
