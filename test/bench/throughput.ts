// Inbound throughput of one upgraded number (Cloud API): many customers writing at once, Meta's webhooks
// carrying several messages each, several webhooks in flight. The figure counts a message once the webhook
// that carried it was answered 200 (it is then in its room or durably parked); afterwards every room is checked
// to hold each of its customer's messages exactly once, in the order they were sent.
import { CLOUD, msg } from '../fixtures/cloud';
import { FakeGraphApi } from '../fakes/FakeCloudApi';
import { startCloudWorld } from '../integration/support/cloudWorld';
import { emit, note } from './bench';
import { installFloorApp } from './latency';

const CHATS = 200;
const PER_WEBHOOK = 20;
const IN_FLIGHT = 8;
const MESSAGES = 6000;
const customer = (i: number) => `4930${String(3000000 + i)}`;

export async function manyChatsFigures(): Promise<void> {
	const w = await startCloudWorld({ provider: 'cloud', acceptChatsWithNoAgents: true });
	const fake = w.fake as FakeGraphApi;
	try {
		// Every customer's conversation is open (their rooms are served): the steady state of a busy number.
		for (let c = 0; c < CHATS; c += PER_WEBHOOK) {
			const res = await w.customerSends(...Array.from({ length: Math.min(PER_WEBHOOK, CHATS - c) }, (_, i) => msg.text('hello', { from: customer(c + i) })));
			if (res.status !== 200) throw new Error(`opening webhook answered ${res.status}`);
		}
		await w.rc.settle();
		// Who writes each message: customers picked at random (seeded, the same every run), so a webhook may carry
		// several messages of one customer and a customer's messages are spread over webhooks in flight together.
		let seed = 19;
		const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
		const from = Array.from({ length: MESSAGES }, () => Math.floor(random() * CHATS));
		const bodies = Array.from({ length: MESSAGES / PER_WEBHOOK }, (_, b) =>
			fake.webhook(CLOUD.phoneNumberId, { messages: Array.from({ length: PER_WEBHOOK }, (_, k) => {
				const i = b * PER_WEBHOOK + k;
				return msg.text(`m ${i}`, { from: customer(from[i]) });
			}) }, CLOUD.appSecret));
		const before = w.rc.rc.messages.length;
		let next = 0;
		const measured = await w.rc.measureCalls(async () => {
			const t0 = process.hrtime.bigint();
			await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
				while (next < bodies.length) {
					const body = bodies[next++];
					const res = await w.post(body);
					if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.content)}`);
				}
			}));
			const answered = Number(process.hrtime.bigint() - t0) / 1e9;
			// every message in its room (a webhook may answer once a message is durably parked)
			await w.rc.waitFor(() => w.rc.rc.messages.length - before >= MESSAGES, 120_000, 'every message in its room');
			const inRooms = Number(process.hrtime.bigint() - t0) / 1e9;
			await w.rc.settle();
			return { answered, inRooms };
		});
		emit('inbound_rate_many_chats_msgs_per_s', MESSAGES / measured.result.inRooms, 'msgs/s', '>= 1000');
		emit('inbound_many_chats_bridge_calls_per_msg', measured.calls / MESSAGES, 'calls', 'reported (every call until settled)');
		note(`many chats: ${MESSAGES} texts from ${CHATS} customers, ${PER_WEBHOOK} per webhook, ${IN_FLIGHT} webhooks in flight: all answered in ${measured.result.answered.toFixed(2)} s, all in rooms in ${measured.result.inRooms.toFixed(2)} s; ${JSON.stringify(measured.byMethod)}`);
		// Nothing lost, nothing twice, each customer's messages in order.
		const problems: string[] = [];
		for (let c = 0; c < CHATS; c++) {
			const texts = w.roomMessages(w.roomOf(customer(c))).map((m) => String(m.text ?? '')).filter((t) => /\bm \d+$/.test(t)).map((t) => Number(/m (\d+)$/.exec(t)![1]));
			const expected = from.flatMap((who, i) => (who === c ? [i] : []));
			if (texts.join() !== expected.join()) problems.push(`customer ${c}: ${texts.length} of ${expected.length} messages, ${texts.slice(0, 6).join(',')}…`);
		}
		if (problems.length) throw new Error(`many chats: rooms do not hold each message once and in order: ${problems.slice(0, 5).join('; ')}`);

		// The floor: the same webhooks to a minimal app that only does the required calls (per webhook: each
		// customer's record read once, each text posted, each record written once).
		const floorId = await installFloorApp(w.rc);
		for (let c = 0; c < CHATS; c++) {
			const d = w.rc.rc.persistence.find((p) => p.appId === w.rc.appId && p.data?.chatId === customer(c) && p.data?.visitorToken)!.data;
			w.rc.rc.persistence.push({ _id: `floor${c}`, appId: floorId, associations: [{ model: 'misc', id: `floor:${customer(c)}` }], data: { roomId: d.roomId, visitor: { id: d.visitorId, token: d.visitorToken, username: d.visitorUsername, name: d.name } } });
		}
		const floorBefore = w.rc.rc.messages.length;
		const privateHash = w.rc.manager.getOneById(floorId).getStorageItem()._id;
		let floorNext = 0;
		const floor = await w.rc.measureCalls(async () => {
			const t0 = process.hrtime.bigint();
			await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
				while (floorNext < bodies.length) {
					const body = bodies[floorNext++];
					const res = await w.rc.manager.getApiManager().executeApi(floorId, 'batch', { method: 'post', headers: body.headers, query: {}, params: {}, content: body.content, privateHash } as never);
					if (res?.status !== 200) throw new Error(`floor webhook answered ${res?.status}`);
				}
			}));
			await w.rc.waitFor(() => w.rc.rc.messages.length - floorBefore >= MESSAGES, 120_000, 'every floor message in its room');
			const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
			await w.rc.settle();
			return seconds;
		});
		emit('inbound_rate_many_chats_floor_msgs_per_s', MESSAGES / floor.result, 'msgs/s', 'reported (a minimal app doing only the required calls)');
		note(`many chats, floor: ${floor.result.toFixed(2)} s, ${(floor.calls / MESSAGES).toFixed(3)} calls per message ${JSON.stringify(floor.byMethod)}`);
	} finally {
		await w.stop();
	}
}

if (require.main === module) {
	manyChatsFigures().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
