// GREEN-API redelivers a notification whenever it did not see a 200 in time, so the same payload can arrive
// several times, even at the same moment. Every payload must become exactly one Rocket.Chat message.
import { startWorld, World } from '../integration/support/world';
import { customer, inOrder, report, tally, textFrom, visitorTexts } from './support';

describe('duplicate and concurrent webhook deliveries', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('every inbound payload delivered 3 times, concurrently -> one Rocket.Chat message each, in order per customer', async () => {
		const customers = [1, 2, 3].map((n) => customer(n, 'Redelivery'));
		const perCustomer = customers.map((c, ci) => Array.from({ length: 10 }, (_, i) => ({ c, text: `r${ci + 1}-${String(i + 1).padStart(2, '0')}`, payload: textFrom(c, `r${ci + 1}-${String(i + 1).padStart(2, '0')}`) })));
		// Issue order: every payload once (customers interleaved, in each customer's order), then the same again twice.
		const round = perCustomer[0].flatMap((_, i) => perCustomer.map((list) => list[i]));
		const calls = [...round, ...round, ...round].map((m) => w.webhook(m.payload));
		const answers = await Promise.all(calls);

		const expected = round.map((m) => m.text);
		const counts = tally(expected, visitorTexts(w.rc));
		const outcomes = answers.reduce<Record<string, number>>((acc, a) => ({ ...acc, [`${a.status}:${a.content?.outcome}`]: (acc[`${a.status}:${a.content?.outcome}`] ?? 0) + 1 }), {});
		const rooms = w.rc.rc.rooms.filter((r) => r.type === 'l');
		const ordered = perCustomer.every((list) => {
			const room = rooms.find((r) => r.customFields?.whatsappChat === list[0].c.chatId);
			return !!room && inOrder(list.map((m) => m.text), visitorTexts(w.rc, room.id));
		});
		report('inbound-delivered-3x-concurrently', counts, { posts: calls.length, outcomes, rooms: rooms.length, visitors: w.rc.rc.visitors.length, orderedPerCustomer: ordered });

		expect(answers.every((a) => a.status === 200)).toBe(true);
		expect(counts.duplicated).toBe(0);
		expect(counts.lost).toBe(0);
		expect(visitorTexts(w.rc)).toHaveLength(30);
		expect(rooms).toHaveLength(3);
		expect(w.rc.rc.visitors).toHaveLength(3);
		expect(ordered).toBe(true);
		// each customer's messages are in that customer's room only
		for (const list of perCustomer) {
			const room = rooms.find((r) => r.customFields?.whatsappChat === list[0].c.chatId)!;
			expect(visitorTexts(w.rc, room.id)).toEqual(list.map((m) => m.text));
		}
	});

	it('20 concurrent first messages from one new contact -> one visitor, one room, 20 messages in order of arrival', async () => {
		const c = customer(50, 'Newcomer');
		const visitorsBefore = w.rc.rc.visitors.length;
		const roomsBefore = w.rc.rc.rooms.length;
		const texts = Array.from({ length: 20 }, (_, i) => `first-${String(i + 1).padStart(2, '0')}`);
		const answers = await Promise.all(texts.map((text) => w.webhook(textFrom(c, text))));

		const newRooms = w.rc.rc.rooms.slice(roomsBefore);
		const newVisitors = w.rc.rc.visitors.slice(visitorsBefore);
		const counts = tally(texts, visitorTexts(w.rc));
		const ordered = newRooms.length === 1 && inOrder(texts, visitorTexts(w.rc, newRooms[0].id));
		report('new-contact-20-concurrent-first-messages', counts, { visitors: newVisitors.length, rooms: newRooms.length, orderedByArrival: ordered });

		expect(answers.map((a) => a.status)).toEqual(texts.map(() => 200));
		expect(counts.duplicated).toBe(0);
		expect(counts.lost).toBe(0);
		expect(newVisitors).toHaveLength(1);
		expect(newRooms).toHaveLength(1);
		expect(visitorTexts(w.rc, newRooms[0].id)).toEqual(texts);
	});

	it('redeliveries while the messages are parked (nobody online) -> parked once, posted once when an agent is back', async () => {
		w.rc.setAgentStatus(w.agent.id, 'offline');
		const customers = [60, 61].map((n) => customer(n, 'Parked'));
		const lists = customers.map((c, ci) => Array.from({ length: 5 }, (_, i) => ({ text: `parked${ci + 1}-${i + 1}`, payload: textFrom(c, `parked${ci + 1}-${i + 1}`) })));
		const round = lists[0].flatMap((_, i) => lists.map((l) => l[i]));
		const answers = await Promise.all([...round, ...round, ...round].map((m) => w.webhook(m.payload)));
		const queued = answers.filter((a) => a.content?.outcome === 'queued').length;
		expect(answers.every((a) => a.status === 200)).toBe(true);
		expect(queued).toBe(round.length);

		w.rc.setAgentStatus(w.agent.id, 'online');
		w.rc.advanceClock(5 * 60_000);
		await w.rc.runDueJobs();
		const counts = tally(round.map((m) => m.text), visitorTexts(w.rc));
		const ordered = customers.every((c, ci) => {
			const room = w.rc.rc.rooms.find((r) => r.customFields?.whatsappChat === c.chatId);
			return !!room && inOrder(lists[ci].map((m) => m.text), visitorTexts(w.rc, room.id));
		});
		report('inbound-delivered-3x-while-parked', counts, { posts: answers.length, queued, orderedPerCustomer: ordered });
		expect(counts.duplicated).toBe(0);
		expect(counts.lost).toBe(0);
		expect(ordered).toBe(true);
	});
});
