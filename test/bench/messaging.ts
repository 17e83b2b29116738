// Figures of the messaging path (GREEN-API ↔ Omnichannel) and of the queues (durability):
// bridge calls are exact counts; timings are medians and ratios within one run.
import { randomBytes } from 'crypto';
import { GA, incoming, textMessage, videoMessage } from '../fixtures/greenapi';
import { startWorld, World } from '../integration/support/world';
import { emit, median, note, timeMedian } from './bench';

const chat = (i: number) => `7900${String(1000000 + i)}@c.us`;

async function openConversation(w: World, chatId: string): Promise<string> {
	await w.customerSends(textMessage('hello'), { chatId, senderName: `Customer ${chatId.slice(0, 11)}` });
	// the contact record is written just after the answer
	const contact = await w.rc.waitFor(() => w.rc.rc.persistence.find((p) => p.data?.chatId === chatId && p.data?.visitorToken && p.data?.roomId), 10_000, `the room of ${chatId}`);
	return contact.data.roomId as string;
}

export async function messagingFigures(): Promise<void> {
	const w = await startWorld({ acceptChatsWithNoAgents: true });
	try {
		const roomId = await openConversation(w, GA.chatId);

		// The webhook answers after the read and the message write; the contact record is written just
		// after, under the chat lock: all three are counted.
		const settle = () => new Promise((r) => setTimeout(r, 50));
		const inbound = await w.rc.measureCalls(async () => {
			await w.customerSends(textMessage('how are you?'));
			await settle();
		});
		emit('inbound_text_bridge_calls', inbound.calls, 'calls', '<= 3 (floor 2)');
		note(`inbound text: ${JSON.stringify(inbound.byMethod)}`);

		const fresh = await w.rc.measureCalls(async () => {
			await w.customerSends(textMessage('first contact'), { chatId: chat(999), senderName: 'New' });
			await settle();
		});
		emit('inbound_text_new_room_bridge_calls', fresh.calls, 'calls', 'reported');
		note(`inbound text, new room: ${JSON.stringify(fresh.byMethod)}`);

		// Bridge calls of an agent text until GREEN-API sees the request (snapshot taken on arrival).
		// (the Http call that carries the request is counted on the bridge before it goes out: not included)
		let atRequest = -1;
		const before = w.rc.rc.calls.snapshot();
		w.green.setFailureMode(() => {
			const now = w.rc.rc.calls.snapshot();
			const http = (now.byMethod['Http.doCall'] ?? 0) - (before.byMethod['Http.doCall'] ?? 0);
			if (atRequest < 0) atRequest = now.total - before.total - http;
			return undefined;
		});
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'on its way' });
		await w.green.waitForSent(GA.idInstance, 1);
		w.green.setFailureMode(undefined);
		emit('outbound_text_bridge_calls', atRequest, 'calls', '<= 3');

		// 40 open conversations for the rate below (the latency of an inbound text and its breakdown: latency.ts).
		const customers = 40;
		for (let c = 0; c < customers; c++) await openConversation(w, chat(c));

		await inboundVideo(w, roomId);
		await inboundRate(w);
		await idleTick(w);
	} finally {
		await w.stop();
	}
	await outboundRate();
}

/**
 * A 16 MB video, from the webhook to the file in the room: the webhook parks it, the chat's retry job fetches it from
 * the fake GREEN-API (127.0.0.1) and uploads it as the visitor. Jobs run when due, as the scheduler runs them. The Deno
 * process's resident peak (VmHWM, reset just before) is what the media path costs in memory.
 */
async function inboundVideo(w: World, roomId: string): Promise<void> {
	const bytes = randomBytes(16 * 1024 * 1024);
	const name = 'bench-16mb.mp4';
	const url = w.green.serveFile(name, bytes, 'video/mp4');
	const peakReset = w.rc.resetDenoPeakRss();
	const t0 = process.hrtime.bigint();
	const res = await w.customerSends(videoMessage(url, 'the unboxing', { fileName: name }));
	if (res.status !== 200) throw new Error(`video webhook answered ${res.status}`);
	const inRoom = () => w.rc.rc.uploads.find((u) => u.name === name && u.rid === roomId && u.messageId);
	const deadline = Date.now() + 60_000;
	while (!inRoom()) {
		if (Date.now() > deadline) throw new Error(`the 16 MB video did not reach the room: ${w.rc.appWrittenLogText().slice(-500)}`);
		await w.rc.runDueJobs();
		if (!inRoom()) await new Promise((r) => setTimeout(r, 5));
	}
	const ms = Number(process.hrtime.bigint() - t0) / 1e6;
	const upload = inRoom()!;
	if (Buffer.compare(upload.bytes, bytes) !== 0) throw new Error('the video in the room differs from what the customer sent');
	emit('inbound_video_16mb_ms', ms, 'ms', '<= 10000 (the shortest engine budget)');
	const memory = w.rc.denoMemory();
	if (memory) emit('deno_peak_rss_mb', memory.peakMb, 'MB', 'reported (during the 16 MB video)');
	note(`16 MB video: ${ms.toFixed(0)} ms, Deno RSS now ${memory?.rssMb.toFixed(0)} MB, peak ${memory?.peakMb.toFixed(0)} MB${peakReset ? '' : ' (peak since the process started: clear_refs refused)'}`);
}

/** Sustained inbound texts for one instance: 40 customers, 16 webhook calls in flight. */
async function inboundRate(w: World): Promise<void> {
	const customers = 40; // opened above
	const total = 1200;
	let next = 0;
	const t0 = process.hrtime.bigint();
	await Promise.all(Array.from({ length: 16 }, async () => {
		while (next < total) {
			const i = next++;
			const res = await w.customerSends(textMessage(`rate ${i}`), { chatId: chat(i % customers), senderName: 'Customer' });
			if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
		}
	}));
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	emit('inbound_rate_msgs_per_s', total / seconds, 'msgs/s', '>= 160');
}

/** A tick with nothing due while 10,000 contacts are stored: bridge calls must not grow with contacts. */
async function idleTick(w: World): Promise<void> {
	const appId = w.rc.appId;
	for (let i = 0; i < 10_000; i++) {
		const id = `${GA.idInstance}:7911${String(i).padStart(7, '0')}@c.us`;
		w.rc.rc.persistence.push({
			_id: `seed${i}`, appId,
			associations: [{ model: 'misc', id: 'gab:contact' }, { model: 'misc', id: `gab:contact:${id}` }],
			data: { instanceId: GA.idInstance, chatId: id.split(':')[1], name: 'Seeded', dedupe: { ids: [] }, links: [] },
		});
	}
	// The first tick after start also runs recovery (state + journal); the next ones within 5 min are idle.
	w.rc.advanceClock(61_000);
	await w.rc.runDueJobs();
	w.rc.advanceClock(61_000);
	const idle = await w.rc.measureCalls(() => w.rc.runDueJobs());
	emit('idle_tick_bridge_calls', idle.calls, 'calls', '<= 2, independent of contacts');
	note(`idle tick: ${JSON.stringify(idle.byMethod)}`);
}

/** Sustained agent texts to GREEN-API across 5 instances (the fake announces 50 sends/s per instance). */
async function outboundRate(): Promise<void> {
	const w = await startWorld({ acceptChatsWithNoAgents: true });
	try {
		const instances = ['1101000001', '2202000002', '3303000003', '4404000004', '5505000005'];
		for (const id of instances.slice(1)) {
			w.green.addInstance({ idInstance: id, apiTokenInstance: `token-${id}-abcdef`, wid: `7999${id.slice(0, 7)}@c.us`, state: 'authorized' });
			await w.rc.runCommand('whatsapp', ['instance', 'add', id, `token-${id}-abcdef`, 'Support', w.green.apiUrl, w.green.mediaUrl], { userId: w.admin.id });
		}
		const rooms: string[] = [];
		for (const id of instances) {
			for (let c = 0; c < 5; c++) {
				const chatId = chat(100 + rooms.length);
				const token = String(w.green.webhookSettings(id).webhookUrlToken);
				await w.webhook(incoming(textMessage('hi'), { idInstance: id, chatId, senderName: 'Customer' }), { token, query: { instance: id } });
				const contact = w.rc.rc.persistence.find((p) => p.data?.chatId === chatId && p.data?.roomId);
				if (!contact) throw new Error(`no room for ${chatId}`);
				rooms.push(contact.data.roomId);
			}
		}
		const perRoom = 40;
		const total = rooms.length * perRoom;
		const t0 = process.hrtime.bigint();
		await Promise.all(rooms.map(async (roomId) => {
			for (let i = 0; i < perRoom; i++) await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: `answer ${i}` });
		}));
		await w.green.waitFor(() => w.green.allSent().length >= total, 120_000, 'all agent messages sent');
		const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
		emit('outbound_rate_msgs_per_s', total / seconds, 'msgs/s', '>= 160, never above the provider limit');
		const maxRate = Math.max(...instances.map((id) => w.green.maxObservedRate('sendMessage', id)));
		emit('outbound_max_rate_per_instance', maxRate, 'sends/s', `<= ${w.green.sendsPerSecondLimit} (announced limit)`);
		const rejected = w.green.requests.filter((r) => r.status === 429).length;
		if (rejected) note(`outbound: ${rejected} requests answered 429`);
		void median;
	} finally {
		await w.stop();
	}
}
