// Cloud API and 360dialog webhooks hold to the documented shapes, on the real engine: an authentic body
// (right URL secret) whose sender is no customer, whose text is ill-typed, whose number is not the
// connected one, whose object or field is another, or whose message names no sender is answered 200
// `ignored` and changes nothing — entry by entry, so the good messages of a batch still post — and a
// redelivered message is never posted twice, however busy the chat was in between.
import { body, CLOUD, contact, msg, value } from '../fixtures/cloud';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';

describe.each(['cloud', '360dialog'] as const)('%s webhooks off the documented shapes', (provider) => {
	let w: CloudWorld;
	const appSecret = provider === 'cloud' ? CLOUD.appSecret : '';

	beforeAll(async () => {
		w = await startCloudWorld({ provider });
	});
	afterAll(async () => {
		await w?.stop();
	});

	const post = (content: Record<string, unknown>) => w.post(w.fake.signed(content, appSecret));
	const state = () => JSON.stringify({ rooms: w.rc.rc.rooms, visitors: w.rc.rc.visitors, messages: w.rc.rc.messages, records: w.rc.rc.persistence.map((p) => p.data) });
	const withNumber = (phoneNumberId: unknown) => {
		const v = value({ messages: [msg.text('which number is this for?')] });
		(v.metadata as Record<string, unknown>).phone_number_id = phoneNumberId;
		if (phoneNumberId === undefined) delete (v.metadata as Record<string, unknown>).phone_number_id;
		return body(v);
	};
	const noSender = () => {
		const m = msg.text('nobody wrote this');
		delete m.from;
		return body(value({ messages: [m] }));
	};

	it.each([
		['a sender of 10,000 digits', () => body(value({ messages: [msg.text('hi', { from: '1'.repeat(10_000) })], contacts: [contact({ waId: '1'.repeat(10_000) })] }))],
		['the business number itself as the sender', () => body(value({ messages: [msg.text('hi', { from: CLOUD.display })], contacts: [contact({ waId: CLOUD.display })] }))],
		['status@broadcast as the sender', () => body(value({ messages: [msg.text('hi', { from: 'status@broadcast' })], contacts: [contact({ waId: 'status@broadcast' })] }))],
		['a text of {}', () => body(value({ messages: [{ ...msg.text('x'), text: {} }] }))],
		['a text of 0', () => body(value({ messages: [{ ...msg.text('x'), text: 0 }] }))],
		['no phone_number_id', () => withNumber(undefined)],
		['a null phone_number_id', () => withNumber(null)],
		['a blank phone_number_id', () => withNumber('  ')],
		['another number\'s phone_number_id', () => withNumber('106540352242999')],
		['a prototype name as phone_number_id', () => withNumber('constructor')],
		['another object', () => ({ ...body(value({ messages: [msg.text('hi')] })), object: 'page' })],
		['an unknown field', () => ({ object: 'whatsapp_business_account', entry: [{ id: CLOUD.wabaId, changes: [{ field: 'message_reactions', value: value({ messages: [msg.text('hi')] }) }] }] })],
		['a message without a sender', noSender],
	])('%s: 200 ignored, the reason logged once, nothing changed', async (_name, make) => {
		const before = state();
		const logFrom = w.rc.appLogText().length;
		const res = await post(make());
		expect(res).toMatchObject({ status: 200, content: { ok: true, outcome: 'ignored' } });
		expect(state()).toBe(before);
		expect(w.fake.sent).toHaveLength(0);
		const lines = w.rc.appLogText().slice(logFrom).split('\n').filter((l) => /webhook .*: ignored/.test(l));
		expect(lines).toHaveLength(1);
	});

	it('one POST with bad entries beside good ones: the good messages post, in order; the bad ones change nothing', async () => {
		const good1 = msg.text('first good one');
		const good2 = msg.text('second good one');
		const content = {
			object: 'whatsapp_business_account',
			entry: [
				{ id: CLOUD.wabaId, changes: [{ field: 'messages', value: { ...value({ messages: [msg.text('x')] }), metadata: { phone_number_id: 'constructor' } } }] },
				{ id: CLOUD.wabaId, changes: [{ field: 'messages', value: value({ messages: [msg.text('x', { from: 'status@broadcast' }), good1, { ...msg.text('y'), text: {} }, good2] }) }] },
				{ id: CLOUD.wabaId, changes: [{ field: 'unknown_field', value: {} }] },
			],
		};
		const res = await post(content);
		expect(res.status).toBe(200);
		expect(res.content.outcomes).toEqual(['ignored', 'ignored', 'posted', 'ignored', 'posted', 'ignored']);
		const room = w.roomOf(CLOUD.customer);
		expect(w.roomMessages(room).map((m: any) => m.text)).toEqual(['first good one', 'second good one']);
		expect(w.rc.rc.rooms.filter((r) => r.type === 'l')).toHaveLength(1);
		expect(w.rc.rc.visitors).toHaveLength(1);
	});

	it('a message redelivered after 300 newer messages of the same chat is still a duplicate', async () => {
		const room = w.roomOf(CLOUD.customer);
		const start = w.roomMessages(room).length;
		const t0 = Math.floor(Date.now() / 1000) - 3600;
		const first: Array<Record<string, unknown>> = [];
		for (let i = 0; i < 300; i++) {
			const m = msg.text(`busy ${i}`, { timestamp: String(t0 + i) });
			if (i < 3) first.push(m);
			expect((await w.customerSends(m)).content.outcome).toBe('posted');
		}
		expect(w.roomMessages(room)).toHaveLength(start + 300);
		for (const m of first) expect((await w.customerSends(m)).content.outcome).toBe('duplicate');
		// Redelivered in one batch with a new message: only the new one posts.
		const batch = await w.customerSends(first[1], msg.text('new after the redelivery'), first[2]);
		expect(batch.content.outcomes).toEqual(['duplicate', 'posted', 'duplicate']);
		expect(w.roomMessages(room)).toHaveLength(start + 301);
		expect(w.roomMessages(room).filter((m: any) => m.text === 'busy 0')).toHaveLength(1);
	}, 240_000);
});
