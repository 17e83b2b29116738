// A crash between removing a queue item and updating the contact record leaves a stale "waiting" id on
// the contact. Later messages must not queue behind it forever.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from '../integration/support/world';

const dropQueueRecords = (w: World, kind: 'inbox' | 'outbox') => {
	const before = w.rc.rc.persistence.length;
	w.rc.rc.persistence = w.rc.rc.persistence.filter((p) => !p.associations.some((a) => a.id === `gab:${kind}`));
	return before - w.rc.rc.persistence.length;
};

describe('stale waiting marks on a contact heal themselves', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld({ agentOnline: false });
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('inbound: a parked id whose inbox record is gone does not hold back the next message', async () => {
		expect((await w.customerSends(fx.textMessage('parked'))).content.outcome).toBe('queued');
		expect(dropQueueRecords(w, 'inbox')).toBe(1);
		w.rc.setAgentStatus(w.agent.id, 'online');
		const next = await w.customerSends(fx.textMessage('next one'));
		expect(next.content.outcome).toBe('posted');
	});

	it('outbound: a queued key whose outbox record is gone does not hold back the next agent message', async () => {
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		w.green.failNext('sendMessage', 1, { status: 500 });
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'delayed' });
		await w.rc.waitFor(() => w.roomMessages(room.id).some((m) => /will be retried/.test(m.text)));
		expect(dropQueueRecords(w, 'outbox')).toBe(1);
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'goes straight out' });
		const sent = await w.green.waitForSent(GA.idInstance, 1);
		expect(sent[0].text).toBe('goes straight out');
	});
});
