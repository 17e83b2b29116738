// A coexistence number (the WhatsApp Business app and the Cloud API on one number) on the real engine:
// the business answers from its phone, edits and deletes there, its past chats arrive as history chunks
// and its address book names customers — agents in Rocket.Chat see all of it, marked as the business's
// or as history, and nothing of it goes back to WhatsApp or is shown as the customer's.
import { CLOUD, msg } from '../fixtures/cloud';
import { FakeDialog360, FakeGraphApi } from '../fakes/FakeCloudApi';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';

const DAY = 24 * 60 * 60_000;
const PABLO = '16505550101';
const NEWCOMER = '16505550202';
const QUIET = '16505550303';

describe('a coexistence number: the business also types on its phone', () => {
	let w: CloudWorld;
	let fake: FakeGraphApi;
	let roomId: string;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: 'cloud' });
		fake = w.fake as FakeGraphApi;
		fake.number(CLOUD.phoneNumberId).coexistence = true;
	});
	afterAll(async () => {
		await w?.stop();
	});

	const texts = (rid = roomId) => w.roomMessages(rid).map((m: any) => m.text as string);
	const appUserId = () => w.rc.rc.appUser()!.id;
	const byApp = (m: any) => m.sender?.id === appUserId() && !m.token;
	const sendsToWhatsApp = () => fake.requests.filter((r) => r.httpMethod === 'POST' && /\/messages$/.test(r.path)).length;
	const liveRooms = () => w.rc.rc.rooms.filter((r) => r.type === 'l');
	const posted = async (hook: { raw: string; headers: Record<string, string>; content: Record<string, unknown> }) => {
		const res = await w.post(hook as any);
		expect(res.status).toBe(200);
		await w.rc.settle();
		return res.content;
	};

	it('the customer writes, the business answers from its phone: the answer is in the room as the business phone\'s note, not sent back', async () => {
		await w.customerSends(msg.text('Is my table for tonight booked?'));
		roomId = w.roomOf(CLOUD.customer);
		const before = sendsToWhatsApp();
		const answer = fake.businessTypes(CLOUD.phoneNumberId, CLOUD.customer, 'Yes, 8 pm, see you!', { appSecret: CLOUD.appSecret });
		expect(await posted(answer.webhook)).toMatchObject({ ok: true, outcome: 'posted' });
		const note = w.roomMessages(roomId).slice(-1)[0];
		expect(note.text).toBe('📱 Sent from the business phone: Yes, 8 pm, see you!');
		expect(byApp(note)).toBe(true);
		// Rocket.Chat hands the note to the app's IPostMessageSent like any message: the app does not send it.
		await w.rc.settle();
		expect(sendsToWhatsApp()).toBe(before);
		// The number is known as a Business-app number from now on (its sends keep 20 msg/s).
		const record = w.rc.rc.persistence.find((p) => p.data?.id === CLOUD.phoneNumberId && p.data?.provider === 'cloud');
		expect(record?.data.businessApp).toBe(true);
	});

	it('admins see it: /whatsapp status and instance list name the number a Business-app number and its 20 msg/s, or the rate an admin set', async () => {
		const line = 'WhatsApp Business app number (coexistence): the business also answers from its phone; sends at most 20 per second';
		const status = await w.answers(w.admin.id, 'status');
		// Under the number's own line.
		const lines = status.split('\n');
		const own = lines.findIndex((l) => l.startsWith(`• ${CLOUD.phoneNumberId} `));
		expect(own).toBeGreaterThanOrEqual(0);
		expect(lines.slice(own + 1).find((l) => l.includes('WhatsApp Business app number'))).toBe(`  ${line}`);
		expect(await w.answers(w.admin.id, 'instance list')).toContain(line);
		await w.answers(w.admin.id, `instance rate ${CLOUD.phoneNumberId} 5`);
		expect(await w.answers(w.admin.id, 'status')).toContain(line.replace('20 per second', '5 per second (set by an admin)'));
		// Back to the default: the Business-app rate, not the provider's general one.
		expect(await w.answers(w.admin.id, `instance rate ${CLOUD.phoneNumberId} -`)).toContain('at most 20 messages per second');
		expect(await w.answers(w.admin.id, 'instance list')).toContain(line);
	});

	it('the same echo redelivered is not shown twice', async () => {
		const id = 'wamid.ECHO.REDELIVERED';
		const hook = fake.echoWebhook(CLOUD.phoneNumberId, [{ to: CLOUD.customer, text: 'Parking is free after 6', id }], CLOUD.appSecret).webhook;
		expect(await posted(hook)).toMatchObject({ outcome: 'posted' });
		expect(await posted(hook)).toMatchObject({ outcome: 'duplicate' });
		expect(texts().filter((t) => t.includes('Parking is free after 6'))).toHaveLength(1);
	});

	it('the business edits its phone message, then deletes another: the notes say so as the business\'s doing, never the customer\'s', async () => {
		const first = fake.businessTypes(CLOUD.phoneNumberId, CLOUD.customer, 'Your tabel is ready', { appSecret: CLOUD.appSecret });
		await posted(first.webhook);
		const second = fake.businessTypes(CLOUD.phoneNumberId, CLOUD.customer, 'Wrong chat, sorry', { appSecret: CLOUD.appSecret });
		await posted(second.webhook);
		const edit = fake.echoWebhook(CLOUD.phoneNumberId, [{ to: CLOUD.customer, edit: { id: first.id, text: 'Your table is ready' } }], CLOUD.appSecret).webhook;
		expect(await posted(edit)).toMatchObject({ outcome: 'posted' });
		const revoke = fake.echoWebhook(CLOUD.phoneNumberId, [{ to: CLOUD.customer, revoke: { id: second.id } }], CLOUD.appSecret).webhook;
		expect(await posted(revoke)).toMatchObject({ outcome: 'posted' });
		const all = texts();
		expect(all).toContain('📱 Edited by the business on its phone: Your table is ready');
		expect(all).toContain('📱 The business deleted this message on its phone');
		expect(all.join('\n')).not.toMatch(/tabel|Wrong chat|customer deleted/);
		expect(w.roomMessages(roomId).filter((m: any) => /Edited by the business|deleted this message/.test(m.text)).every(byApp)).toBe(true);
	});

	it('a customer known by BSUID: echoes naming the phone and the BSUID, or the BSUID alone, reach the same room — no second visitor or room', async () => {
		const first = fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('hi, I booked via the app', { from: CLOUD.bsuid })], contacts: [{ profile: { name: 'Sheena' }, wa_id: PABLO, user_id: CLOUD.bsuid }] }, CLOUD.appSecret);
		expect((await w.post(first)).status).toBe(200);
		// The conversation is keyed by the wa_id the payload carries (core/identity.ts); the BSUID is linked to it.
		const bsuidRoom = w.roomOf(PABLO);
		const rooms = liveRooms().length;
		const visitors = w.rc.rc.visitors.length;
		await posted(fake.businessTypes(CLOUD.phoneNumberId, PABLO, 'Got it, table 4', { toUserId: CLOUD.bsuid, appSecret: CLOUD.appSecret }).webhook);
		await posted(fake.businessTypes(CLOUD.phoneNumberId, CLOUD.bsuid, 'Bring the voucher', { appSecret: CLOUD.appSecret }).webhook);
		expect(texts(bsuidRoom)).toEqual(['hi, I booked via the app', '📱 Sent from the business phone: Got it, table 4', '📱 Sent from the business phone: Bring the voucher']);
		expect(liveRooms()).toHaveLength(rooms);
		expect(w.rc.rc.visitors).toHaveLength(visitors);
	});

	it('a phone message to a customer without an open room opens nothing, and is shown first when the customer writes', async () => {
		const rooms = liveRooms().length;
		const waiting = fake.businessTypes(CLOUD.phoneNumberId, NEWCOMER, 'We have your size in stock now', { appSecret: CLOUD.appSecret });
		expect(await posted(waiting.webhook)).toMatchObject({ outcome: 'queued' });
		expect(liveRooms()).toHaveLength(rooms);
		await w.post(fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('Great, I will come by', { from: NEWCOMER })] }, CLOUD.appSecret));
		const got = texts(w.roomOf(NEWCOMER));
		expect(got).toHaveLength(2);
		expect(got[0]).toMatch(/^📱 Sent from the business phone \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\): We have your size in stock now$/);
		expect(got[1]).toBe('Great, I will come by');
		// Redelivered after it was shown: nothing new.
		expect(await posted(waiting.webhook)).toMatchObject({ outcome: 'duplicate' });
		expect(texts(w.roomOf(NEWCOMER))).toHaveLength(2);
	});

	it('history: chunks go into the room oldest first, marked as history, within 30 days, without the messages the room already has, once', async () => {
		const live = msg.text('Is the terrace open?');
		await w.customerSends(live);
		const before = texts().length;
		const sendsBefore = sendsToWhatsApp();
		const now = Date.now();
		const chunk = fake.historyWebhook(CLOUD.phoneNumberId, {
			phase: 1, chunkOrder: 2, progress: 60,
			threads: [{ customer: CLOUD.customer, messages: [
				{ fromBusiness: false, text: 'Do you take groups of 12?', at: now - 3 * DAY },
				{ fromBusiness: true, text: 'Yes, book 2 days ahead', at: now - 3 * DAY + 60_000 },
				{ fromBusiness: false, text: 'Last year\'s question', at: now - 40 * DAY },
				// The live message arrives again inside the history (the sync overlaps what already came in).
				{ fromBusiness: false, text: 'Is the terrace open?', at: now, id: live.id as string },
			] }],
		}, CLOUD.appSecret).webhook;
		expect(await posted(chunk)).toMatchObject({ outcome: 'posted' });
		const added = texts().slice(before);
		expect(added).toEqual([
			expect.stringMatching(/^🕘 Earlier, \d{4}-\d\d-\d\d \d\d:\d\d UTC, Customer 1234: Do you take groups of 12\?$/),
			expect.stringMatching(/^🕘 Earlier, .* UTC, the business: Yes, book 2 days ahead$/),
		]);
		expect(w.roomMessages(roomId).slice(before).every(byApp)).toBe(true);
		// Meta redelivers the chunk: nothing new.
		expect(await posted(chunk)).toMatchObject({ outcome: 'duplicate' });
		expect(texts().slice(before)).toHaveLength(2);
		expect(sendsToWhatsApp()).toBe(sendsBefore);
	});

	it('history of a customer without a room waits for their first message, and comes before it in chronological order', async () => {
		const now = Date.now();
		const chunk = fake.historyWebhook(CLOUD.phoneNumberId, {
			phase: 0, chunkOrder: 1, progress: 100,
			threads: [{ customer: QUIET, messages: [
				{ fromBusiness: true, text: 'Your repair is done', at: now - 5 * 60_000 },
				{ fromBusiness: false, text: 'When can I pick up my phone?', at: now - 60 * 60_000 },
			] }],
		}, CLOUD.appSecret).webhook;
		const rooms = liveRooms().length;
		expect(await posted(chunk)).toMatchObject({ outcome: 'queued' });
		expect(liveRooms()).toHaveLength(rooms);
		await w.post(fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('On my way', { from: QUIET })] }, CLOUD.appSecret));
		expect(texts(w.roomOf(QUIET))).toEqual([
			expect.stringMatching(/^🕘 Earlier, .*: When can I pick up my phone\?$/),
			expect.stringMatching(/^🕘 Earlier, .*, the business: Your repair is done$/),
			'On my way',
		]);
	});

	it('the address book names visitors: a known customer is renamed, a new one is created with the name the business gave', async () => {
		const visitorOf = (rid: string) => {
			const room = w.rc.rc.rooms.find((r) => r.id === rid)!;
			return w.rc.rc.visitors.find((v) => v.token === room.visitorToken)!;
		};
		expect(visitorOf(roomId).name).toBe('Customer 1234');
		const sync = fake.stateSyncWebhook(CLOUD.phoneNumberId, [
			{ phone: CLOUD.customer, action: 'add', fullName: 'Sheena Nelson' },
			{ phone: '16505550404', action: 'add', fullName: 'Marta Ruiz' },
		], CLOUD.appSecret);
		expect(await posted(sync)).toMatchObject({ outcomes: ['renamed', 'noted'] });
		expect(visitorOf(roomId).name).toBe('Sheena Nelson');
		await w.post(fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text('Hola', { from: '16505550404' })] }, CLOUD.appSecret));
		expect(visitorOf(w.roomOf('16505550404')).name).toBe('Marta Ruiz');
		// A removed entry changes nothing shown.
		expect(await posted(fake.stateSyncWebhook(CLOUD.phoneNumberId, [{ phone: CLOUD.customer, action: 'remove' }], CLOUD.appSecret))).toMatchObject({ outcome: 'noted' });
		expect(visitorOf(roomId).name).toBe('Sheena Nelson');
	});
});

describe('a 360dialog coexistence number: the same fields, relayed', () => {
	let w: CloudWorld;
	let fake: FakeDialog360;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: '360dialog' });
		fake = w.fake as FakeDialog360;
		fake.number(CLOUD.phoneNumberId).coexistence = true;
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('the business\'s phone answer and the history reach the customer\'s room as notes; nothing goes to WhatsApp', async () => {
		await w.customerSends(msg.text('Do you deliver on Saturdays?'));
		const roomId = w.roomOf(CLOUD.customer);
		const answer = fake.businessTypes(CLOUD.phoneNumberId, CLOUD.customer, 'Yes, until noon');
		expect((await w.post(answer.webhook)).content).toMatchObject({ outcome: 'posted' });
		const history = fake.historyWebhook(CLOUD.phoneNumberId, { phase: 0, chunkOrder: 1, progress: 100, threads: [{ customer: CLOUD.customer, messages: [{ fromBusiness: true, text: 'Thanks for your order!', at: Date.now() - DAY }] }] });
		expect((await w.post(history.webhook)).content).toMatchObject({ outcome: 'posted' });
		await w.rc.settle();
		const texts = w.roomMessages(roomId).map((m: any) => m.text);
		expect(texts).toEqual(['Do you deliver on Saturdays?', '📱 Sent from the business phone: Yes, until noon', expect.stringMatching(/^🕘 Earlier, .*, the business: Thanks for your order!$/)]);
		expect(fake.sent).toEqual([]);
	});
});
