// Dedupe holds for the provider's whole redelivery time (GREEN-API: 24 h), not for a count of
// messages; statuses and edits naming messages the app never sent or received change nothing.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

describe('redeliveries and notifications about messages the app does not have', () => {
	let w: World;
	let roomId: string;
	const first: any[] = [];
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('a notification redelivered after 300 newer messages of the same chat is still a duplicate', async () => {
		const t0 = GA.timestamp;
		for (let i = 0; i < 300; i++) {
			const res = await w.customerSends(fx.textMessage(`message ${i}`), { timestamp: t0 + i });
			expect(res.status).toBe(200);
			if (i < 3) first.push(res.payload);
		}
		roomId = w.rc.rc.rooms.find((r) => r.type === 'l')!.id;
		expect(w.roomMessages(roomId)).toHaveLength(300);
		for (const payload of first) {
			const again = await w.webhook(payload);
			expect(again.content.outcome).toBe('duplicate');
		}
		expect(w.roomMessages(roomId)).toHaveLength(300);
		// A message as old that was never seen is still posted (the archive is not a time cut-off).
		const unseen = await w.customerSends(fx.textMessage('late from the journal'), { timestamp: t0 + 1 });
		expect(unseen.content.outcome).toBe('posted');
	});

	it('one message dated 2100 does not make the archive forget the earlier ones: their redelivery is a duplicate', async () => {
		// The archive keeps ids by when the app received them, not by the date the payload claims.
		const chatId = '79990002100@c.us';
		const t0 = GA.timestamp;
		const early: any[] = [];
		for (let i = 0; i < 260; i++) {
			const res = await w.customerSends(fx.textMessage(`dated ${i}`), { chatId, timestamp: i === 5 ? 4102444800 : t0 + i });
			expect(res.content.outcome).toBe('posted');
			if (i < 3) early.push(res.payload);
		}
		const room = w.rc.rc.rooms.find((r) => r.type === 'l' && r.id !== roomId)!.id;
		expect(w.roomMessages(room)).toHaveLength(260);
		for (const payload of early) expect((await w.webhook(payload)).content.outcome).toBe('duplicate');
		expect(w.roomMessages(room)).toHaveLength(260);
	}, 120_000);

	it("a failed status naming the customer's own message posts no delivery note", async () => {
		const before = w.roomMessages(roomId).length;
		const res = await w.webhook(fx.status(first[0].idMessage, 'failed', { description: 'nope' }));
		expect(res.status).toBe(200);
		expect(w.roomMessages(roomId)).toHaveLength(before);
	});

	it('an edit or deletion of a message the app never had is ignored, not posted', async () => {
		const before = w.roomMessages(roomId).length;
		expect((await w.customerSends(fx.editedMessage('NEVER-SEEN-1', 'changed text'))).content.outcome).toBe('ignored');
		expect((await w.customerSends(fx.deletedMessage('NEVER-SEEN-2'))).content.outcome).toBe('ignored');
		expect(w.roomMessages(roomId)).toHaveLength(before);
	});
});
