// The recurring tick recovers what webhooks missed: customer messages from GREEN-API's journal,
// delivery states from the outgoing journal, and instance states admins must hear about.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

/** Runs the recurring tick (it is due every 60 s; the first one after start also recovers). */
async function tick(w: World): Promise<void> {
	w.rc.advanceClock(61_000);
	await w.rc.runDueJobs();
}

describe('recovery from the journals on the first tick', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('posts journal messages the webhook never brought, once, and reconciles a missed failure status', async () => {
		// One message came by webhook, and an agent answered it.
		const first = await w.customerSends(fx.textMessage('Hello?'));
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		const reply = await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'Hi Anna' });
		const [sent] = await w.green.waitForSent(GA.idInstance, 1);
		await w.rc.waitFor(() => w.rc.rc.persistence.some((p) => (p.data?.links || []).some((l: any) => l.wa === sent.idMessage)));
		// The journal has that message plus two the webhook missed; the status webhook for the reply was lost.
		const nowSec = Math.floor(Date.now() / 1000);
		w.green.addJournalEntry(GA.idInstance, fx.journalOf(first.payload) as never);
		for (const [id, text] of [['MISSED1', 'Are you there?'], ['MISSED2', 'Order 42']]) {
			w.green.addJournalEntry(GA.idInstance, fx.journalOf(fx.incoming(fx.textMessage(text), { idMessage: id, timestamp: nowSec })) as never);
		}
		w.green.addOutgoingJournalEntry(GA.idInstance, { idMessage: sent.idMessage, chatId: GA.chatId, statusMessage: 'noAccount', timestamp: nowSec } as never);
		await tick(w);
		const texts = w.roomMessages(room.id).filter((m) => m.token).map((m) => m.text);
		expect(texts).toEqual(['Hello?', 'Are you there?', 'Order 42']);
		expect(w.roomMessages(room.id).slice(-1)[0].text).toBe(`[ ](http://rc.test/live/${room.id}?msg=${reply.id}) ⚠️ Not delivered to WhatsApp: this number has no WhatsApp account`);
		expect(w.green.requestsFor('lastIncomingMessages')).toHaveLength(1);
		expect(w.green.requestsFor('getStateInstance')).toHaveLength(1);
	});

	it('does not poll again within five minutes (an idle tick only reads the queues)', async () => {
		const m = await w.rc.measureCalls(() => tick(w));
		expect(m.byMethod).toEqual({ 'Persistence.doReadByAssociations': 2 });
		expect(w.green.requestsFor('lastIncomingMessages')).toHaveLength(1);
	});
});

describe('instance health on the tick', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('tells the alert room when polling finds the number blocked, even without a state webhook', async () => {
		const alerts = w.rc.addRoom({ name: 'wa-alerts', type: 'c', memberIds: [w.admin.id] });
		await w.rc.setAppSetting('alert_room', alerts.id);
		w.green.setState(GA.idInstance, 'blocked');
		await tick(w);
		const texts = w.roomMessages(alerts.id).map((m) => m.text);
		expect(texts).toHaveLength(1);
		expect(texts[0]).toContain('is blocked');
		// Not polled for the journal while blocked.
		expect(w.green.requestsFor('lastIncomingMessages')).toHaveLength(0);
	});
});
