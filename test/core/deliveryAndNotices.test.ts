// Delivery statuses and provider notices (GREEN-API findings, feature detection) with the ports in memory: provider notices
// told once per change, statuses that name only their message, and delivered / read shown as a reaction or,
// where the app may not react, as one note per message.
import { DeliveryStatusService } from '../../src/core/DeliveryStatusService';
import { ProviderNotices } from '../../src/core/notices';
import { DeliveryStatusEvent, ProviderNoticeEvent } from '../../src/core/ports/events';
import { InstanceRecord } from '../../src/core/ports/records';
import { RocketChatPort } from '../../src/core/ports/rocketchat';
import { GreenApiProvider } from '../../src/providers/greenapi/GreenApiProvider';
import * as F from '../fixtures/greenapi';
import { FakeHttp, json } from '../providers/fakeHttp';
import { memoryDeps, stubProvider } from './support/memoryDeps';

const CHAT = '15557654321@c.us';

function withStoredInstances(m: ReturnType<typeof memoryDeps>) {
	let stored: InstanceRecord = { ...m.instance };
	const alerts: string[] = [];
	m.deps.instances = { get: async () => stored, list: async () => [stored], save: async (r) => void (stored = JSON.parse(JSON.stringify(r))), remove: async () => undefined };
	(m.deps.rc as Partial<RocketChatPort>).alertAdmins = async (text) => (alerts.push(text), true);
	return { alerts, stored: () => stored };
}

describe('provider notices (quotaExceeded)', () => {
	const notice = (chats: string): ProviderNoticeEvent => ({
		type: 'provider-notice', instanceId: '1', code: 'quota_exceeded', timestamp: 0,
		params: { limit: 'correspondents', used: '3', total: '3', status: 'CORRESPONDENTS_QUOTA_EXCEEDED', chats },
	});

	it('tells admins once per change: the limit and the chats still allowed; a redelivery or the same notice says nothing', async () => {
		const m = memoryDeps(stubProvider({}));
		const s = withStoredInstances(m);
		const notices = new ProviderNotices(m.deps);
		await notices.received(s.stored(), notice('+10001234560, +10001234561'));
		expect(s.alerts).toEqual([
			'⚠️ Number +15550001111 (instance 1) has used up its plan limit: correspondents 3 of 3 this month (CORRESPONDENTS_QUOTA_EXCEEDED). Only these chats can still send and receive messages: +10001234560, +10001234561. Messages of everyone else are refused until the plan is upgraded in the provider\'s console.',
		]);
		await notices.received(s.stored(), notice('+10001234560, +10001234561'));
		await notices.received(m.instance, notice('+10001234560, +10001234561')); // a stale cached record: the stored one decides
		expect(s.alerts).toHaveLength(1);
		await notices.received(s.stored(), notice('+10001234599'));
		expect(s.alerts).toHaveLength(2);
		expect(s.alerts[1]).toContain('+10001234599');
		expect(s.stored().providerNotices).toEqual({ quota_exceeded: expect.stringContaining('+10001234599') });
	});
});

describe('statuses that name only their message (GREEN-API\'s older format)', () => {
	const status = (over: Partial<DeliveryStatusEvent> = {}): DeliveryStatusEvent => ({ type: 'status', instanceId: '1', messageId: 'W-out', status: 'failed', failure: { reason: 'boom' }, timestamp: 1, ...over });

	function world(resolve: (id: string) => Promise<string | undefined>) {
		const asked: string[] = [];
		const provider = stubProvider({}, { recovery: { fetchMissed: async () => [], fetchStatuses: async () => [], chatOfSentMessage: async (id: string) => (asked.push(id), resolve(id)) } });
		const m = memoryDeps(provider);
		return { m, asked };
	}

	it('asks the provider for the chat and applies the status there', async () => {
		const { m, asked } = world(async () => CHAT);
		await m.deps.contacts.save(m.contact({ roomId: 'R1', links: [{ wa: 'W-out', rc: 'M-out', dir: 'out' }] }));
		await new DeliveryStatusService(m.deps).receive(m.instance, status());
		expect(asked).toEqual(['W-out']);
		expect((await m.deps.contacts.get('1', CHAT))!.links[0].state).toBe('failed');
		expect(m.notices.map((n) => n.text)).toEqual(['[ ](http://rc.test/live/R1?msg=M-out) ⚠️ Not delivered to WhatsApp: boom']);
	});

	it('never asks when the status names its chat (the normal path costs nothing more)', async () => {
		const { m, asked } = world(async () => CHAT);
		await m.deps.contacts.save(m.contact({ roomId: 'R1', links: [{ wa: 'W-out', rc: 'M-out', dir: 'out' }] }));
		await new DeliveryStatusService(m.deps).receive(m.instance, status({ chatId: CHAT, status: 'delivered', failure: undefined }));
		expect(asked).toEqual([]);
		expect((await m.deps.contacts.get('1', CHAT))!.links[0].state).toBe('delivered');
	});

	it('leaves an unknown message, or a provider that cannot answer now, to the journal reconciliation (no throw: the webhook is answered)', async () => {
		const unknown = world(async () => undefined);
		await expect(new DeliveryStatusService(unknown.m.deps).receive(unknown.m.instance, status())).resolves.toBeUndefined();
		const down = world(async () => { throw new Error('lastOutgoingMessages failed: 429'); });
		await expect(new DeliveryStatusService(down.m.deps).receive(down.m.instance, status())).resolves.toBeUndefined();
		expect(down.m.notices).toEqual([]);
		const none = memoryDeps(stubProvider({}));
		await expect(new DeliveryStatusService(none.deps).receive(none.instance, status())).resolves.toBeUndefined();
	});
});

describe('GREEN-API: the chat of a sent message from the outgoing journal', () => {
	it('reads lastOutgoingMessages once for a burst, and again for a miss once the journal may be asked', async () => {
		const entries = [F.journalEntry('textMessage', { textMessage: 'a' }, { idMessage: 'S1', chatId: CHAT }), F.journalEntry('textMessage', { textMessage: 'b' }, { idMessage: 'S2', chatId: '15550009999@c.us' })].map((e) => ({ ...e, type: 'outgoing' }));
		const http = new FakeHttp(() => json(200, entries));
		const provider = new GreenApiProvider();
		const instance = F.greenApiInstance();
		// A session per call, as the core makes them: the journal read is remembered by the provider.
		const resolve = (id: string) => provider.session(http, instance).recovery!.chatOfSentMessage!(id);
		expect(await resolve('S1')).toBe(CHAT);
		expect(await resolve('S2')).toBe('15550009999@c.us');
		expect(await resolve('nope')).toBeUndefined();
		expect(http.requests.map((r) => r.url)).toEqual([`${instance.credentials.apiUrl}/waInstance${instance.id}/lastOutgoingMessages/${instance.credentials.apiToken}?minutes=1440`]);
		const now = Date.now();
		const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 1500);
		try {
			expect(await resolve('S1')).toBe(CHAT); // a hit: still from the journal read
			expect(http.requests).toHaveLength(1);
			expect(await resolve('nope')).toBeUndefined(); // a miss: the journal may be asked again
			expect(http.requests).toHaveLength(2);
		} finally {
			clock.mockRestore();
		}
		const failing = new FakeHttp(() => json(429, {}));
		await expect(provider.session(failing, F.greenApiInstance({ id: '2202000002' })).recovery!.chatOfSentMessage!('S1')).rejects.toThrow('lastOutgoingMessages failed');
	});
});

describe('"Delivery status shown to agents: all" — a reaction, or the note where the app may not react', () => {
	function world(canReact: boolean) {
		const m = memoryDeps(stubProvider({}), { deliveryStatus: 'all' });
		const reactions: Array<[string, string]> = [];
		const edits: Array<[string, string]> = [];
		Object.assign(m.deps.rc, {
			react: async (id: string, emoji: string) => (canReact ? (reactions.push([id, emoji]), true) : false),
			updateMessageText: async (id: string, text: string) => (edits.push([id, text]), true),
		});
		return { m, reactions, edits };
	}
	const st = (status: 'delivered' | 'read', messageId = 'W-out'): DeliveryStatusEvent => ({ type: 'status', instanceId: '1', chatId: CHAT, messageId, status, timestamp: 1 });

	it('reacts where it may, and posts no note', async () => {
		const { m, reactions } = world(true);
		await m.deps.contacts.save(m.contact({ roomId: 'R1', links: [{ wa: 'W-out', rc: 'M-out', dir: 'out' }] }));
		const service = new DeliveryStatusService(m.deps);
		await service.apply(m.instance, CHAT, [st('delivered')]);
		await service.apply(m.instance, CHAT, [st('read')]);
		expect(reactions).toEqual([['M-out', ':white_check_mark:'], ['M-out', ':eyes:']]);
		expect(m.notices).toEqual([]);
	});

	it('otherwise one short note per message, edited from delivered to read; a redelivery adds nothing', async () => {
		const { m, edits } = world(false);
		await m.deps.contacts.save(m.contact({ roomId: 'R1', links: [{ wa: 'W-out', rc: 'M-out', dir: 'out' }] }));
		const service = new DeliveryStatusService(m.deps);
		await service.apply(m.instance, CHAT, [st('delivered')]);
		expect(m.notices.map((n) => n.text)).toEqual(['[ ](http://rc.test/live/R1?msg=M-out) ✅ Delivered on WhatsApp']);
		expect((await m.deps.contacts.get('1', CHAT))!.links[0]).toMatchObject({ state: 'delivered', stateNoteId: 'n1' });
		await service.apply(m.instance, CHAT, [st('delivered')]);
		await service.apply(m.instance, CHAT, [st('read')]);
		await service.apply(m.instance, CHAT, [st('read')]);
		expect(m.notices).toHaveLength(1);
		expect(edits).toEqual([['n1', '[ ](http://rc.test/live/R1?msg=M-out) 👀 Read on WhatsApp']]);
	});

	it('a journal bringing delivered and read at once shows the newest state only', async () => {
		const { m } = world(false);
		await m.deps.contacts.save(m.contact({ roomId: 'R1', links: [{ wa: 'W-out', rc: 'M-out', dir: 'out' }, { wa: 'W2', rc: 'M2', dir: 'out' }] }));
		await new DeliveryStatusService(m.deps).apply(m.instance, CHAT, [st('delivered'), st('delivered', 'W2'), st('read')]);
		expect(m.notices.map((n) => n.text)).toEqual(['[ ](http://rc.test/live/R1?msg=M2) ✅ Delivered on WhatsApp', '[ ](http://rc.test/live/R1?msg=M-out) 👀 Read on WhatsApp']);
	});
});
