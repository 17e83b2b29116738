// GREEN-API answering 5xx / 429 / nothing at all for half an hour while agents keep writing: every agent message
// must reach WhatsApp exactly once afterwards, in the order each agent wrote, with a "delayed" note and no "gave up".
import { GA } from '../fixtures/greenapi';
import { RecordedRequest } from '../fakes/FakeGreenApi';
import { startWorld, World } from '../integration/support/world';
import { customer, outboxLeft, report, tally, textFrom } from './support';

const MINUTE = 60_000;
const OUTAGE_MINUTES = 30;

describe('GREEN-API failing with 5xx, 429 and timeouts for 30 simulated minutes', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
		// The app computes retry times from its own (real-time) clock: read them relative to the harness clock, so
		// each backoff takes its simulated time and the number of attempts in 30 minutes is what production would see.
		w.rc.rc.shiftAppDates = true;
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('delivers every agent message exactly once afterwards, in order per contact', async () => {
		// three agents, three customers: each agent serves one room
		for (const username of ['agent.b', 'agent.c']) w.rc.addUser({ username, roles: ['livechat-agent', 'user'], status: 'online', departmentIds: [w.department.id] });
		const customers = [1, 2, 3].map((n) => customer(n, 'Outage'));
		for (const c of customers) expect((await w.webhook(textFrom(c, `hello from ${c.name}`))).status).toBe(200);
		const rooms = customers.map((c) => w.rc.rc.rooms.find((r) => r.customFields?.whatsappChat === c.chatId)!);
		expect(new Set(rooms.map((r) => r.servedBy?.id)).size).toBe(3);

		// The outage: every sendMessage fails (500, 502, 429 with Retry-After, and two that never answer, so the
		// app's 10 s timeout fires); every other API call answers 502.
		const pattern = [
			{ status: 500, body: 'Internal Server Error' },
			{ status: 502, body: 'Bad Gateway' },
			{ status: 429, body: 'Too Many Requests', retryAfterSec: 30 },
			{ status: 500, body: 'Internal Server Error' },
			{ status: 502, body: 'Bad Gateway' },
			{ status: 429, body: 'Too Many Requests', retryAfterSec: 120 },
		];
		const TIMEOUT_AT = new Set([2, 14]);
		let sends = 0;
		const injected: Record<string, number> = {};
		w.green.setFailureMode((req: RecordedRequest) => {
			if (req.method !== 'sendMessage') return { status: 502, body: 'Bad Gateway' };
			sends += 1;
			const f = TIMEOUT_AT.has(sends) ? 'timeout' : pattern[sends % pattern.length];
			const k = f === 'timeout' ? 'timeout' : String(f.status);
			injected[k] = (injected[k] ?? 0) + 1;
			return f;
		});

		const written: Array<{ roomId: string; chatId: string; text: string; id: string }> = [];
		let maxRetryJobs = 0;
		for (let minute = 0; minute < OUTAGE_MINUTES; minute++) {
			if (minute % 3 === 0) {
				const k = minute / 3 + 1;
				for (let i = 0; i < rooms.length; i++) {
					const text = `agent${i + 1} #${String(k).padStart(2, '0')}`;
					const m = await w.rc.sendUserMessage({ roomId: rooms[i].id, userId: rooms[i].servedBy!.id, text });
					written.push({ roomId: rooms[i].id, chatId: customers[i].chatId, text, id: m.id });
				}
				// the app recorded each message in its outbox before trying to send it
				await w.rc.waitFor(() => written.every((x) => w.rc.rc.persistence.some((p) => p.data?.key === x.id)), 20_000);
			}
			w.rc.advanceClock(MINUTE);
			await w.rc.runDueJobs();
			for (const c of customers) maxRetryJobs = Math.max(maxRetryJobs, w.rc.rc.jobs.filter((j) => j.processorId === 'gab-retry' && j.data?.chatKey === `${GA.idInstance}:${c.chatId}`).length);
		}
		const sentDuringOutage = w.green.sent[GA.idInstance].length;

		// GREEN-API is back: keep the scheduler running until the outbox is empty
		w.green.clearFailures();
		let recoveryMinutes = 0;
		while (outboxLeft(w.rc) > 0 && recoveryMinutes < 90) {
			w.rc.advanceClock(MINUTE);
			await w.rc.runDueJobs();
			recoveryMinutes++;
		}

		const sent = w.green.sent[GA.idInstance].filter((s) => s.method === 'sendMessage');
		const counts = tally(written.map((x) => x.text), sent.map((s) => s.text ?? ''));
		const orderedPerContact = customers.every((c) => {
			const mine = written.filter((x) => x.chatId === c.chatId).map((x) => x.text);
			return JSON.stringify(sent.filter((s) => s.chatId === c.chatId).map((s) => s.text)) === JSON.stringify(mine);
		});
		const notes = (re: RegExp) => w.rc.rc.messages.filter((m) => m.sender.type === 'app' && re.test(m.text));
		const delayed = notes(/did not accept the message yet/);
		const gaveUp = notes(/Gave up sending|Not sent to WhatsApp/);
		const attempts = w.green.requestsFor('sendMessage').length;
		report('provider-5xx-429-timeouts-30min', counts, {
			simulatedMinutes: OUTAGE_MINUTES + recoveryMinutes, sendAttempts: attempts, injected, sentDuringOutage,
			orderedPerContact, maxRetryJobsPerChat: maxRetryJobs, delayedNotices: delayed.length, roomsWithDelayedNotice: new Set(delayed.map((m) => m.rid)).size, gaveUpNotices: gaveUp.length, outboxLeft: outboxLeft(w.rc),
		});

		expect(sentDuringOutage).toBe(0);
		expect(counts.duplicated).toBe(0);
		expect(counts.lost).toBe(0);
		expect(orderedPerContact).toBe(true);
		expect(outboxLeft(w.rc)).toBe(0);
		expect(new Set(delayed.map((m) => m.rid))).toEqual(new Set(rooms.map((r) => r.id)));
		expect(gaveUp).toEqual([]);
		expect(injected.timeout).toBe(2);
		expect(maxRetryJobs).toBe(1); // one retry chain per chat
	});

	// Regression guard: the tick (safety net) must not take over an item whose first attempt is still in flight (its
	// nextAt is its creation time): it used to send it again right after and start a second gab-retry chain for the
	// chat (fixed by TICK_GRACE_MS in OutboundService.retryDue / InboundService.retryDue).
	it('a tick while the first attempt is still in flight neither retries it at once nor starts a second retry chain', async () => {
		const c = customer(8, 'Slow');
		expect((await w.webhook(textFrom(c, 'hello'))).status).toBe(200);
		const room = w.rc.rc.rooms.find((r) => r.customFields?.whatsappChat === c.chatId)!;
		const chatKey = `${GA.idInstance}:${c.chatId}`;
		expect(outboxLeft(w.rc)).toBe(0);
		const before = w.green.requestsFor('sendMessage').length;
		// a slow 500: answered after 1.5 s
		w.green.setFailureMode((req) => (req.method === 'sendMessage' ? { status: 500, body: 'Internal Server Error', delayMs: 1500 } : undefined));
		await w.rc.sendUserMessage({ roomId: room.id, userId: room.servedBy!.id, text: 'slow one' });
		await w.green.waitFor(() => w.green.requestsFor('sendMessage').length > before, 20_000, 'the first attempt');
		w.rc.advanceClock(61_000); // the recurring gab-tick is due
		await w.rc.runDueJobs();
		// the failed first attempt is recorded (attempts 1) and its retry job scheduled
		await w.rc.waitFor(() => w.rc.rc.persistence.some((p) => p.data?.text === 'slow one' && p.data?.attempts >= 1) && w.rc.rc.jobs.some((j) => j.data?.chatKey === chatKey));
		await w.rc.settle(); // anything the tick started has finished
		const attempts = w.green.requestsFor('sendMessage').length - before;
		const retryJobs = w.rc.rc.jobs.filter((j) => j.processorId === 'gab-retry' && j.data?.chatKey === chatKey).length;
		const sentOnce = () => w.green.sent[GA.idInstance].filter((x) => x.text === 'slow one');
		w.green.clearFailures();
		for (let i = 0; i < 60 && outboxLeft(w.rc) > 0; i++) {
			w.rc.advanceClock(MINUTE);
			await w.rc.runDueJobs();
		}
		report('tick-during-first-attempt', tally(['slow one'], sentOnce().map((x) => x.text ?? '')), { attemptsBeforeRecovery: attempts, retryJobsForChat: retryJobs });
		expect(sentOnce()).toHaveLength(1);
		expect(attempts).toBe(1);
		expect(retryJobs).toBe(1);
	});

	// Regression: each direction of a chat has its own retry chain (gab-retry carries the direction), so an outage of
	// both GREEN-API and the media host spends one attempt per try of each queue, not one per job of either.
	it('same outage while the customer also has a photo waiting (media host down too): still exactly once, no give-up, one retry chain per chat', async () => {
		const c = customer(7, 'Photo');
		expect((await w.webhook(textFrom(c, 'hi, photo follows'))).status).toBe(200);
		const room = w.rc.rc.rooms.find((r) => r.customFields?.whatsappChat === c.chatId)!;
		const chatKey = `${GA.idInstance}:${c.chatId}`;
		const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
		// GREEN-API's file storage fails like its API does
		const url = w.green.serveFile('outage-photo.png', PNG, 'image/png', { status: 503 });
		w.green.setFailureMode(() => ({ status: 502, body: 'Bad Gateway' }));
		const photo = await w.webhook(incomingImage(c, url));
		expect(photo.status).toBe(200);
		expect(photo.content.outcome).toBe('queued');

		const written: string[] = [];
		const retryJobs = () => w.rc.rc.jobs.filter((j) => j.processorId === 'gab-retry' && j.data?.chatKey === chatKey).length;
		let maxRetryJobs = 0;
		let minute = 0;
		for (; minute < OUTAGE_MINUTES; minute++) {
			if (minute % 3 === 0) {
				const text = `photo-room #${String(minute / 3 + 1).padStart(2, '0')}`;
				const m = await w.rc.sendUserMessage({ roomId: room.id, userId: room.servedBy!.id, text });
				written.push(text);
				await w.rc.waitFor(() => w.rc.rc.persistence.some((p) => p.data?.key === m.id), 20_000);
			}
			w.rc.advanceClock(MINUTE);
			await w.rc.runDueJobs();
			maxRetryJobs = Math.max(maxRetryJobs, retryJobs());
			if (retryJobs() > 64) break; // a job storm: stop before it takes the test down
		}
		const outageMinutes = minute;
		w.green.clearFailures();
		w.green.serveFile('outage-photo.png', PNG, 'image/png');
		let recoveryMinutes = 0;
		while ((outboxLeft(w.rc) > 0 || w.rc.rc.persistence.some((p) => p.data?.chatKey === chatKey)) && recoveryMinutes < 90 && retryJobs() <= 64) {
			w.rc.advanceClock(MINUTE);
			await w.rc.runDueJobs();
			recoveryMinutes++;
		}

		const sent = w.green.sent[GA.idInstance].filter((s) => s.chatId === c.chatId);
		const counts = tally(written, sent.map((s) => s.text ?? ''));
		const gaveUp = w.rc.rc.messages.filter((m) => m.rid === room.id && m.sender.type === 'app' && /Gave up|Not sent to WhatsApp|could not be brought into Rocket.Chat/.test(m.text));
		const photoPosted = w.rc.rc.uploads.some((u) => u.name === 'outage-photo.png' && u.rid === room.id);
		const attempts = w.green.requestsFor('sendMessage').filter((r) => (r.body as any)?.chatId === c.chatId).length;
		report('provider-outage-with-parked-inbound-media', counts, {
			simulatedMinutes: outageMinutes + recoveryMinutes, sendAttempts: attempts, mediaDownloads: w.green.downloads.filter((d) => d.name === 'outage-photo.png').length,
			maxRetryJobsForChat: maxRetryJobs, gaveUpNotices: gaveUp.length, photoPosted,
		});

		expect(counts.duplicated).toBe(0);
		expect(counts.lost).toBe(0);
		expect(gaveUp.map((m) => m.text)).toEqual([]);
		expect(photoPosted).toBe(true);
		expect(maxRetryJobs).toBeLessThanOrEqual(2);
	});
});

function incomingImage(c: ReturnType<typeof customer>, url: string): Record<string, unknown> {
	const payload = textFrom(c, 'x');
	payload.messageData = { typeMessage: 'imageMessage', fileMessageData: { downloadUrl: url, caption: '', fileName: 'outage-photo.png', jpegThumbnail: '', mimeType: 'image/png', isForwarded: false, forwardingScore: 0 } };
	return payload;
}
