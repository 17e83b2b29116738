// What the app does when Rocket.Chat's own rules bite (test/runtime/rc-rules.test.ts pins each rule to
// Rocket.Chat's code): the customer is never cut off, nothing is lost, notes never block a chat, admins
// are told once.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from './support/world';
import { ENGINE } from '../runtime/TestRocketChat';

const alertsIn = (w: World) => {
	const dm = w.rc.rc.rooms.find((r) => r.type === 'd' && r.memberIds.includes(w.admin.id));
	return dm ? w.roomMessages(dm.id).map((m: any) => m.text as string) : [];
};
const openRoomOf = (w: World, chatId = GA.chatId) => w.rc.rc.rooms.find((r) => r.type === 'l' && r.isOpen && r.customFields?.whatsappChat === chatId);

describe("Rocket.Chat's rules, and what the app does about them", () => {
	let w: World;
	beforeEach(async () => {
		w = await startWorld();
		w.rc.rc.shiftAppDates = true;
	});
	afterEach(async () => {
		await w?.stop();
	});

	it("a room that vanished with the visitor's data (no room-closed event): the next message opens a new room", async () => {
		await w.customerSends(fx.textMessage('first'));
		const first = openRoomOf(w)!;
		w.rc.removeVisitorData(first.visitorId!);
		const res = await w.customerSends(fx.textMessage('still there?'));
		expect(res.status).toBe(200);
		expect(res.content.outcome).toBe('posted');
		const second = openRoomOf(w)!;
		expect(second.id).not.toBe(first.id);
		expect(w.roomMessages(second.id).map((m: any) => m.text)).toEqual(['still there?']);
	});

	it("a deleted department: new conversations fall back to Rocket.Chat's routing, admins are told once", async () => {
		w.rc.removeDepartment(w.department.id);
		expect((await w.customerSends(fx.textMessage('hello'))).content.outcome).toBe('posted');
		expect(openRoomOf(w)).toBeDefined();
		expect((await w.customerSends(fx.textMessage('hi'), { chatId: '79005550001@c.us', senderName: 'Bob' })).content.outcome).toBe('posted');
		const told = alertsIn(w).filter((t) => /no longer exists/.test(t));
		expect(told).toHaveLength(1);
		expect(told[0]).toContain(w.department.id);
	});

	it('notes are cut to Message_MaxAllowedSize; a long business-phone text does not block the chat', async () => {
		w.rc.setServerSetting('Message_MaxAllowedSize', 300);
		await w.customerSends(fx.textMessage('hello'));
		const room = openRoomOf(w)!;
		const long = 'x'.repeat(2000);
		const res = await w.webhook(fx.outgoing(fx.textMessage(long), { idMessage: 'PHONE-LONG' }));
		expect(res.status).toBe(200);
		expect(res.content.outcome).toBe('posted');
		const note = w.roomMessages(room.id).slice(-1)[0];
		expect(note.text.length).toBeLessThanOrEqual(300);
		expect(note.text.endsWith('…')).toBe(true);
		expect((await w.customerSends(fx.textMessage('next'))).content.outcome).toBe('posted');
	});

	it('over the monthly-active-contacts cap notes fail: logged, the webhook still answers 200, the customer still gets through', async () => {
		await w.customerSends(fx.textMessage('hello'));
		const room = openRoomOf(w)!;
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'an answer' });
		const [sent] = await w.green.waitForSent(GA.idInstance, 1);
		w.rc.setMacLimitReached(true);
		const status = await w.webhook(fx.status(sent.idMessage, 'failed', { description: 'nope' }));
		expect(status.status).toBe(200);
		const phone = await w.webhook(fx.outgoing(fx.textMessage('typed on the phone'), { idMessage: 'PHONE-MAC' }));
		expect(phone.status).toBe(200);
		expect((await w.customerSends(fx.textMessage('visitor messages are exempt'))).content.outcome).toBe('posted');
		expect(w.rc.appWrittenLogText()).toMatch(/not posted/);
	});

	it(`a body over ${ENGINE.endpointBodyLimitBytes} bytes is refused (413) before the app sees it; the journal brings the message in`, async () => {
		// RC 7+: express's 100 kB; RC 6.13 (Apps-Engine 1.46.0) takes up to 50 MB, so a 110 kB body reaches the app there
		const big = fx.incoming(fx.textMessage('y'.repeat(110_000)), { timestamp: Math.floor(Date.now() / 1000) });
		expect((await w.webhook(big)).status).toBe(ENGINE.endpointBodyLimitBytes < 110_000 ? 413 : 200);
		w.green.addJournalEntry(GA.idInstance, { ...fx.journalOf(big) });
		w.rc.advanceClock(6 * 60_000);
		await w.rc.runDueJobs();
		const room = await w.rc.waitFor(() => openRoomOf(w));
		await w.rc.waitFor(() => w.roomMessages(room.id).find((m: any) => m.text?.length === 110_000));
	});

	// Rocket.Chat 6.13 (Apps-Engine 1.46.0) has no contacts to block.
	(ENGINE.rcHasContacts ? it : it.skip)('a blocked contact channel (Rocket.Chat 7+): kept, not retried for a day, admins told once; unblocked, it comes in', async () => {
		await w.customerSends(fx.textMessage('hello'));
		const room = openRoomOf(w)!;
		w.rc.blockContact(room.visitorId!);
		expect((await w.customerSends(fx.textMessage('blocked one'))).content.outcome).toBe('queued');
		expect((await w.customerSends(fx.textMessage('blocked two'))).content.outcome).toBe('queued');
		w.rc.advanceClock(60 * 60_000);
		await w.rc.runDueJobs();
		expect(alertsIn(w).filter((t) => /blocked/.test(t))).toHaveLength(1);
		expect(w.roomMessages(room.id).map((m: any) => m.text)).toEqual(['hello']);
		w.rc.blockContact(room.visitorId!, false);
		w.rc.advanceClock(24 * 60 * 60_000);
		await w.rc.runDueJobs();
		await w.rc.waitFor(() => w.roomMessages(room.id).length === 3);
		expect(w.roomMessages(room.id).map((m: any) => m.text)).toEqual(['hello', 'blocked one', 'blocked two']);
	});

	it('Omnichannel switched off: messages kept, one alert; switched on, they are posted and admins told', async () => {
		w.rc.setServerSetting('Livechat_enabled', false);
		expect((await w.customerSends(fx.textMessage('while off 1'))).content.outcome).toBe('queued');
		expect((await w.customerSends(fx.textMessage('while off 2'))).content.outcome).toBe('queued');
		expect(alertsIn(w).filter((t) => /switched off/.test(t))).toHaveLength(1);
		w.rc.setServerSetting('Livechat_enabled', true);
		w.rc.advanceClock(2 * 60 * 60_000);
		await w.rc.runDueJobs();
		const room = await w.rc.waitFor(() => openRoomOf(w));
		await w.rc.waitFor(() => w.roomMessages(room.id).length === 2);
		expect(w.roomMessages(room.id).map((m: any) => m.text)).toEqual(['while off 1', 'while off 2']);
		expect(alertsIn(w).filter((t) => /is on again:/.test(t))).toHaveLength(1);
	});
});
