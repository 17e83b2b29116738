// Two Rocket.Chat instances of one workspace (a cluster): each runs its own Apps-Engine and its own Deno process for
// the app, over ONE database (the same RcState: persistence, jobs, rooms, messages). GREEN-API's webhook goes through
// the load balancer to either node; agents are connected to either node; scheduler jobs run on whichever node picks
// them. App persistence has no unique index or lock and the app's per-chat lock is per process (see
// src/core/ChatLock.ts), so this suite MEASURES what happens across nodes and asserts what the app achieves.
import { TestRocketChat } from '../runtime/TestRocketChat';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from '../integration/support/world';
import { customer, inOrder, outboxLeft, report, tally, textFrom, visitorTexts, webhookVia } from './support';

const MINUTE = 60_000;

describe('two engine nodes sharing one database and scheduler (a Rocket.Chat cluster)', () => {
	let w: World;
	let n1: TestRocketChat;
	let n2: TestRocketChat;
	beforeAll(async () => {
		w = await startWorld();
		n1 = w.rc;
		n2 = await TestRocketChat.startSecondNode(n1);
		w.rc.rc.shiftAppDates = true;
	});
	afterAll(async () => {
		await n2?.stop();
		await w?.stop();
	});

	const contactRecords = (chatId: string) => n1.rc.persistence.filter((p) => p.data?.chatId === chatId && p.data?.instanceId && Array.isArray(p.data?.dedupe?.ids)).length;
	const roomsOf = (chatId: string) => n1.rc.rooms.filter((r) => r.customFields?.whatsappChat === chatId);

	it('runs the app on both nodes, each in its own process, over the same state', async () => {
		expect(n2.denoPid()).toBeDefined();
		expect(n2.denoPid()).not.toBe(n1.denoPid());
		expect(n2.rc).toBe(n1.rc);
		const c = customer(1, 'Node');
		const r1 = await webhookVia(n1, w.webhookToken, textFrom(c, 'via node 1'));
		const r2 = await webhookVia(n2, w.webhookToken, textFrom(c, 'via node 2'));
		expect([r1.status, r2.status]).toEqual([200, 200]);
		expect(roomsOf(c.chatId)).toHaveLength(1);
		expect(visitorTexts(n1, roomsOf(c.chatId)[0].id)).toEqual(['via node 1', 'via node 2']);
	});

	it('failover: every payload answered by one node and then redelivered to the other -> exactly once', async () => {
		const customers = [2, 3, 4].map((n) => customer(n, 'Failover')); // all new contacts
		const lists = customers.map((c, ci) => Array.from({ length: 8 }, (_, i) => ({ c, text: `fo${ci + 1}-${i + 1}`, payload: textFrom(c, `fo${ci + 1}-${i + 1}`) })));
		const answers: number[] = [];
		await Promise.all(lists.map(async (list, ci) => {
			for (const [i, m] of list.entries()) {
				const [first, second] = (i + ci) % 2 ? [n1, n2] : [n2, n1];
				answers.push((await webhookVia(first, w.webhookToken, m.payload)).status);
				answers.push((await webhookVia(second, w.webhookToken, m.payload)).status);
			}
		}));
		const counts = tally(lists.flat().map((m) => m.text), visitorTexts(n1));
		const rooms = customers.map((c) => roomsOf(c.chatId).length);
		const ordered = lists.every((l) => roomsOf(l[0].c.chatId).length === 1 && inOrder(l.map((m) => m.text), visitorTexts(n1, roomsOf(l[0].c.chatId)[0].id)));
		report('cluster-redelivery-to-other-node', counts, { posts: answers.length, roomsPerCustomer: rooms, contactRecords: customers.map((c) => contactRecords(c.chatId)), orderedPerCustomer: ordered });
		expect(answers.every((s) => s === 200)).toBe(true);
		expect(counts.lost).toBe(0);
		expect(counts.duplicated).toBe(0);
		expect(rooms).toEqual([1, 1, 1]);
		expect(ordered).toBe(true);
	});

	it('the same payloads delivered to both nodes at the same moment: measured (no loss; at most one copy per node)', async () => {
		const known = [5, 6].map((n) => customer(n, 'Known'));
		for (const c of known) expect((await webhookVia(n1, w.webhookToken, textFrom(c, `hello ${c.name}`))).status).toBe(200);
		const fresh = [7, 8].map((n) => customer(n, 'Fresh')); // first message arrives on both nodes at once
		const customers = [...known, ...fresh];
		const lists = customers.map((c, ci) => Array.from({ length: 10 }, (_, i) => ({ c, text: `both${ci + 1}-${String(i + 1).padStart(2, '0')}`, payload: textFrom(c, `both${ci + 1}-${String(i + 1).padStart(2, '0')}`) })));
		const outcomes: Record<string, number> = {};
		await Promise.all(lists.map(async (list) => {
			for (const m of list) {
				const rs = await Promise.all([webhookVia(n1, w.webhookToken, m.payload), webhookVia(n2, w.webhookToken, m.payload)]);
				for (const r of rs) outcomes[`${r.status}:${r.content?.outcome}`] = (outcomes[`${r.status}:${r.content?.outcome}`] ?? 0) + 1;
			}
		}));
		const all = lists.flat();
		const counts = tally(all.map((m) => m.text), visitorTexts(n1));
		const perCustomer = lists.map((l) => {
			const t = tally(l.map((m) => m.text), visitorTexts(n1));
			return { customer: l[0].c.name, duplicated: t.duplicated, lost: t.lost, rooms: roomsOf(l[0].c.chatId).length, contactRecords: contactRecords(l[0].c.chatId) };
		});
		const visitorsPerFresh = fresh.map((c) => n1.rc.visitors.filter((v) => v.phone?.[0]?.phoneNumber === c.phone).length);
		report('cluster-same-payload-to-both-nodes-concurrently', counts, { posts: all.length * 2, outcomes, perCustomer, visitorsPerNewContact: visitorsPerFresh });

		expect(Object.keys(outcomes).every((k) => k.startsWith('200:'))).toBe(true);
		expect(counts.lost).toBe(0);
		// what the app achieves across nodes: never more than one copy per node
		expect(counts.duplicated).toBeLessThanOrEqual(all.length);
		expect(Object.values(counts.duplicates).every((n) => n <= 2)).toBe(true);
	});

	// Regression: a node that loads the installed app from storage (every Rocket.Chat start, every further cluster node)
	// re-runs extendConfiguration; settings the admin never saved then arrive as null. They must mean the defaults
	// (12 attempts / 1440 minutes), not Number(null) = 0 clamped to 1.
	it('a node that loaded the app from storage (a restarted or added Rocket.Chat instance) keeps the default retry policy', async () => {
		const c = customer(20, 'Reloaded');
		expect((await webhookVia(n2, w.webhookToken, textFrom(c, 'hello'))).status).toBe(200);
		const room = roomsOf(c.chatId)[0];
		w.green.setFailureMode((req) => (req.method === 'sendMessage' ? { status: 503, body: 'Service Unavailable' } : undefined));
		const m = await n2.sendUserMessage({ roomId: room.id, userId: room.servedBy!.id, text: 'sent while GREEN-API is down' });
		await n2.waitFor(() => n2.rc.persistence.some((p) => p.data?.key === m.id));
		await n2.waitFor(() => n2.rc.messages.some((x) => x.rid === room.id && /did not accept the message yet/.test(x.text)));
		for (let minute = 0; minute < 3; minute++) {
			n2.advanceClock(MINUTE);
			await n2.runDueJobs();
		}
		const gaveUp = n2.rc.messages.filter((x) => x.rid === room.id && /Gave up sending/.test(x.text)).length;
		w.green.clearFailures();
		for (let minute = 0; minute < 30 && n2.rc.persistence.some((p) => p.data?.key === m.id); minute++) {
			n2.advanceClock(MINUTE);
			await n2.runDueJobs();
		}
		const counts = tally(['sent while GREEN-API is down'], w.green.sent[GA.idInstance].map((s) => s.text ?? ''));
		report('node-loaded-from-storage-retry-policy', counts, { gaveUpNotices: gaveUp, sendAttempts: w.green.requestsFor('sendMessage').filter((r) => (r.body as any)?.message === 'sent while GREEN-API is down').length });
		expect(gaveUp).toBe(0);
		expect(counts.lost).toBe(0);
		expect(counts.duplicated).toBe(0);
	});

	it('agent messages handled by either node, GREEN-API failing for a while, jobs run by both nodes: measured (no loss)', async () => {
		const customers = [9, 10, 11].map((n) => customer(n, 'Out'));
		for (const c of customers) expect((await webhookVia(n1, w.webhookToken, textFrom(c, `hi ${c.name}`))).status).toBe(200);
		const rooms = customers.map((c) => roomsOf(c.chatId)[0]);
		const sentBefore = w.green.sent[GA.idInstance].length;
		const written: Array<{ chatId: string; text: string; node: number }> = [];
		const write = async (k: number) => {
			for (const [i, room] of rooms.entries()) {
				const node = (k + i) % 2 ? n2 : n1; // the agent's client is connected to either node
				const text = `out${i + 1} #${String(k).padStart(2, '0')}`;
				const m = await node.sendUserMessage({ roomId: room.id, userId: room.servedBy!.id, text });
				written.push({ chatId: customers[i].chatId, text, node: node === n1 ? 1 : 2 });
				await n1.waitFor(() => n1.rc.persistence.some((p) => p.data?.key === m.id) || w.green.sent[GA.idInstance].some((s) => s.text === text), 20_000);
			}
		};
		// healthy: two messages per room, alternating nodes
		await write(1);
		await write(2);
		await w.green.waitFor(() => w.green.sent[GA.idInstance].length >= sentBefore + 6, 20_000, 'healthy sends');
		// 20 simulated minutes of 5xx while agents keep writing on both nodes, both nodes running due jobs
		w.green.setFailureMode((req) => (req.method === 'sendMessage' ? { status: 503, body: 'Service Unavailable' } : undefined));
		let k = 3;
		for (let minute = 0; minute < 20; minute++) {
			if (minute % 4 === 0) await write(k++);
			n1.advanceClock(MINUTE);
			await Promise.all([n1.runDueJobs(), n2.runDueJobs()]);
		}
		w.green.clearFailures();
		const recoveryMinutes = await drainAfterOutage();
		const sent = w.green.sent[GA.idInstance].slice(sentBefore).filter((s) => s.method === 'sendMessage');
		const counts = tally(written.map((x) => x.text), sent.map((s) => s.text ?? ''));
		const orderedPerContact = customers.map((c) => {
			const mine = written.filter((x) => x.chatId === c.chatId).map((x) => x.text);
			return inOrder(mine, sent.filter((s) => s.chatId === c.chatId).map((s) => s.text ?? ''));
		});
		const gaveUp = n1.rc.messages.filter((m) => rooms.some((r) => r.id === m.rid) && m.sender.type === 'app' && /Gave up|Not sent to WhatsApp/.test(m.text)).length;
		report('cluster-outbound-either-node-with-outage', counts, {
			byNode: { n1: written.filter((x) => x.node === 1).length, n2: written.filter((x) => x.node === 2).length },
			sendAttempts: w.green.requestsFor('sendMessage').length, orderedPerContact, gaveUpNotices: gaveUp, recoveryMinutes, outboxLeft: outboxLeft(n1),
			jobRuns: jobRunsByProcessor(),
		});
		expect(counts.lost).toBe(0);
		expect(outboxLeft(n1)).toBe(0);
		expect(gaveUp).toBe(0);
		expect(Object.values(counts.duplicates).every((n) => n <= 2)).toBe(true);
	});

	it('one room, two messages at the same instant on different nodes, GREEN-API failing then back: measured (no loss)', async () => {
		const customers = [30, 31, 32].map((n) => customer(n, 'Simul'));
		for (const c of customers) expect((await webhookVia(n1, w.webhookToken, textFrom(c, `hi ${c.name}`))).status).toBe(200);
		const rooms = customers.map((c) => roomsOf(c.chatId)[0]);
		const sentBefore = w.green.sent[GA.idInstance].length;
		const written: Array<{ chatId: string; text: string }> = [];
		const pair = async (tag: string) => {
			for (const [i, room] of rooms.entries()) {
				for (const [j, node] of [n1, n2].entries()) {
					const text = `simul${i + 1} ${tag}${j ? 'b' : 'a'}`;
					await node.sendUserMessage({ roomId: room.id, userId: room.servedBy!.id, text }); // no wait in between
					written.push({ chatId: customers[i].chatId, text });
				}
			}
		};
		await pair('healthy-');
		await w.green.waitFor(() => w.green.sent[GA.idInstance].length >= sentBefore + 6, 20_000, 'healthy sends');
		w.green.setFailureMode((req) => (req.method === 'sendMessage' ? { status: 502, body: 'Bad Gateway' } : undefined));
		for (let minute = 0; minute < 12; minute++) {
			if (minute % 4 === 0) await pair(`m${minute}-`);
			await n1.waitFor(() => written.every((x) => n1.rc.messages.some((m) => m.text === x.text)));
			await n1.settle(); // the listeners on both nodes have run
			n1.advanceClock(MINUTE);
			await Promise.all([n1.runDueJobs(), n2.runDueJobs()]);
		}
		w.green.clearFailures();
		const recoveryMinutes = await drainAfterOutage();
		const sent = w.green.sent[GA.idInstance].slice(sentBefore).filter((x) => x.method === 'sendMessage');
		const counts = tally(written.map((x) => x.text), sent.map((x) => x.text ?? ''));
		const orderedPerContact = customers.map((c) => inOrder(written.filter((x) => x.chatId === c.chatId).map((x) => x.text), sent.filter((x) => x.chatId === c.chatId).map((x) => x.text ?? '')));
		const gaveUp = n1.rc.messages.filter((m) => rooms.some((r) => r.id === m.rid) && m.sender.type === 'app' && /Gave up|Not sent to WhatsApp/.test(m.text)).length;
		report('cluster-simultaneous-agent-messages-both-nodes', counts, { duplicates: counts.duplicates, orderedPerContact, gaveUpNotices: gaveUp, recoveryMinutes, outboxLeft: outboxLeft(n1) });
		expect(counts.lost).toBe(0);
		expect(outboxLeft(n1)).toBe(0);
		expect(gaveUp).toBe(0);
		expect(Object.values(counts.duplicates).every((n) => n <= 2)).toBe(true);
	});

	/** GREEN-API is healthy again: minutes of due jobs on both nodes until the outbox is empty. */
	async function drainAfterOutage(): Promise<number> {
		let minutes = 0;
		while (outboxLeft(n1) > 0 && minutes < 90) {
			n1.advanceClock(MINUTE);
			await Promise.all([n1.runDueJobs(), n2.runDueJobs()]);
			minutes++;
		}
		return minutes;
	}

	function jobRunsByProcessor(): Record<string, number> {
		return n1.rc.jobRuns.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.processorId]: (acc[r.processorId] ?? 0) + 1 }), {});
	}
});
