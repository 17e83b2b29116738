// The webhook was unreachable for longer than GREEN-API keeps its notification queue: the customers' messages now
// exist only in the instance's journal (lastIncomingMessages). The recurring tick recovers them through the normal
// inbound path; messages that had come by webhook before, or that GREEN-API redelivers while the tick runs, must not
// be posted twice.
import { GA, imageMessage, incoming, journalOf } from '../fixtures/greenapi';
import { startWorld, World } from '../integration/support/world';
import { customer, inOrder, report, tally, textFrom, visitorTexts } from './support';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('webhook unreachable, GREEN-API queue gone: recovery from the journal', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('the tick backfills every journal message exactly once, including those that also came by webhook', async () => {
		const [a, b, c] = [customer(1, 'Journal'), customer(2, 'Journal'), customer(3, 'JournalNew')];
		const base = Math.floor(Date.now() / 1000) - 100; // within the last minutes, in order
		let sec = 0;
		const msg = (cu: typeof a, text: string) => ({ cu, text, payload: textFrom(cu, text, { timestampSec: base + sec++ }) });
		const list = [
			msg(a, 'j-a1'), msg(b, 'j-b1'), msg(a, 'j-a2'), msg(c, 'j-c1'), msg(b, 'j-b2'),
			msg(a, 'j-a3'), msg(c, 'j-c2'), msg(b, 'j-b3'), msg(a, 'j-a4'), msg(c, 'j-c3'),
		];
		// a photo from customer b, also only in the journal
		const url = w.green.serveFile('journal-photo.png', PNG, 'image/png');
		const photo = incoming(imageMessage(url, 'photo caption', { fileName: 'journal-photo.png', mimeType: 'image/png' }), { chatId: b.chatId, senderName: b.name, timestamp: base + sec++ });

		// Before the webhook broke: a1, b1, a2 came by webhook
		const byWebhook = list.filter((m) => ['j-a1', 'j-b1', 'j-a2'].includes(m.text));
		for (const m of byWebhook) expect((await w.webhook(m.payload)).status).toBe(200);
		// Everything is in the journal (GREEN-API keeps it about a day)
		for (const m of list) w.green.addJournalEntry(GA.idInstance, journalOf(m.payload) as any);
		w.green.addJournalEntry(GA.idInstance, journalOf(photo) as any);

		// The first tick after start recovers (later ones every 5 minutes per process); at the same moment the webhook
		// works again and GREEN-API redelivers two of the missed messages.
		const redelivered = list.filter((m) => ['j-a3', 'j-c1'].includes(m.text));
		w.rc.advanceClock(61_000);
		const [ran, ...answers] = await Promise.all([w.rc.runDueJobs(), ...redelivered.map((m) => w.webhook(m.payload))]);
		expect(ran).toBeGreaterThan(0);
		expect(answers.every((r) => r.status === 200)).toBe(true);
		// the photo was parked by the recovery and is fetched by its retry job
		w.rc.advanceClock(61_000);
		await w.rc.runDueJobs();

		const expected = [...list.map((m) => m.text), 'photo caption'];
		const counts = tally(expected, visitorTexts(w.rc));
		const roomOf = (cu: typeof a) => w.rc.rc.rooms.filter((r) => r.customFields?.whatsappChat === cu.chatId);
		const ordered = [a, b, c].every((cu) => {
			const rooms = roomOf(cu);
			return rooms.length === 1 && inOrder(list.filter((m) => m.cu === cu).map((m) => m.text), visitorTexts(w.rc, rooms[0].id));
		});
		const photoUploads = w.rc.rc.uploads.filter((u) => u.name === 'journal-photo.png').length;
		const journalReads = w.green.requestsFor('lastIncomingMessages').length;
		report('journal-backfill-after-webhook-outage', counts, {
			journalEntries: list.length + 1, alsoByWebhookBefore: byWebhook.length, redeliveredDuringTick: redelivered.length, journalReads,
			orderedPerCustomer: ordered, photoUploads, rooms: [a, b, c].map((cu) => roomOf(cu).length),
		});

		expect(journalReads).toBe(1);
		expect(counts.duplicated).toBe(0);
		expect(counts.lost).toBe(0);
		expect(photoUploads).toBe(1);
		expect(ordered).toBe(true);
	});

	it('reading the same journal again (first tick after an app restart) posts nothing twice', async () => {
		const before = visitorTexts(w.rc);
		const uploadsBefore = w.rc.rc.uploads.length;
		const reads = w.green.requestsFor('lastIncomingMessages').length;
		const pid = w.rc.denoPid()!;
		process.kill(pid, 'SIGKILL'); // idle: nothing in flight
		await w.rc.waitForAppRestart(pid, 30_000);
		w.rc.advanceClock(61_000);
		await w.rc.runDueJobs();
		w.rc.advanceClock(61_000);
		await w.rc.runDueJobs();
		const counts = tally(before, visitorTexts(w.rc));
		const added = visitorTexts(w.rc).length - before.length;
		report('journal-read-again-after-restart', counts, { journalReads: w.green.requestsFor('lastIncomingMessages').length - reads, messagesAdded: added, uploadsAdded: w.rc.rc.uploads.length - uploadsBefore });
		expect(w.green.requestsFor('lastIncomingMessages').length).toBe(reads + 1);
		expect(added).toBe(0);
		expect(w.rc.rc.uploads.length).toBe(uploadsBefore);
		expect(counts.lost).toBe(0);
		expect(counts.duplicated).toBe(0);
	});
});
