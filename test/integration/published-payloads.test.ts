// GREEN-API's published webhook bodies (their documentation's shapes, reference green-api.md §5, §6, §13) through
// the packaged app on the real engine: what the room and the admins see.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

describe("GREEN-API's published bodies, end to end", () => {
	let w: World;
	let roomId: string;
	let alertRoomId: string;

	beforeAll(async () => {
		w = await startWorld();
		alertRoomId = w.rc.addRoom({ name: 'wa-alerts', type: 'c', memberIds: [w.admin.id] }).id;
		await w.rc.setAppSetting('alert_room', alertRoomId);
		await w.customerSends(fx.textMessage('hello'));
		roomId = w.rc.rc.rooms.find((r) => r.type === 'l')!.id;
	});
	afterAll(async () => {
		await w?.stop();
	});

	const texts = (rid: string) => w.roomMessages(rid).map((m: any) => m.text as string);
	const lastText = () => texts(roomId).slice(-1)[0];
	async function agentSends(text: string): Promise<{ rcId: string; waId: string }> {
		const before = w.green.allSent().length;
		const reply = await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text });
		const sent = await w.green.waitForSent(GA.idInstance, before + 1);
		await w.rc.settle(); // the id map is written right after GREEN-API answered
		return { rcId: reply.id, waId: sent[before].idMessage };
	}

	it('a message with buttons shows header, body, footer and what each button does, as the customer\'s message', async () => {
		const res = await w.customerSends(fx.interactiveButtons());
		expect(res.status).toBe(200);
		const m = w.roomMessages(roomId).slice(-1)[0];
		expect(m.text).toBe(
			'*Order 42*\nYour order is ready for pickup 😃\n_Shop Example_\n🔘 Buttons (3):\n• Copy code — copies PICKUP-7781\n• Call us — calls 79123456789\n• Track — opens https://shop.example/track/42',
		);
		expect(m.token).toBeDefined(); // the visitor's message, not a note
		// A tap on a reply button, in the docs' other spelling, is the customer's choice.
		await w.customerSends({ typeMessage: 'interactiveButtonReply', interactiveButtonReply: { stanzaId: 'BAE5FB1FDA0E58E8', selectedIndex: 0, selectedId: '1', selectedDisplayText: 'Yes, confirm' } });
		expect(lastText()).toBe('🔘 Selected: Yes, confirm');
	});

	it('{{SWE002}}: the note names the file and keeps the caption', async () => {
		await w.customerSends(fx.documentMessage('{{SWE002}}', 'site-survey.mp4', 'video/mp4', 'the whole walk-through'));
		expect(lastText()).toBe('⚠️ The customer sent the file site-survey.mp4, over 100 MB; WhatsApp did not pass it on.\nthe whole walk-through');
		expect(w.green.requestsFor('downloadFile')).toHaveLength(0);
	});

	it('a status whose description is an SWE code says what it means, in the notice language', async () => {
		const { rcId, waId } = await agentSends('Your parcel is at the desk');
		await w.webhook({ ...fx.status(waId, 'noAccount'), description: 'SWE004: 1000' });
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${rcId}) ⚠️ Not delivered to WhatsApp: the group has more participants than WhatsApp delivers to (limit 1000, SWE004)`);
		await w.rc.setAppSetting('notice_language', 'es');
		const spanish = await agentSends('¿Le llega?');
		await w.webhook({ ...fx.status(spanish.waId, 'noAccount'), description: 'SWE004: 1000' });
		expect(lastText()).toContain('⚠️ No entregado a WhatsApp: el grupo tiene más participantes de los que WhatsApp entrega (límite 1000, SWE004)');
		await w.rc.setAppSetting('notice_language', 'en');
		// Plain descriptions stay GREEN-API's words.
		const second = await agentSends('second try');
		await w.webhook(fx.status(second.waId, 'failed', { description: 'Recipient is temporarily unavailable' }));
		expect(lastText()).toContain('⚠️ Not delivered to WhatsApp: Recipient is temporarily unavailable');
	});

	it('a status in the older format without chatId is matched by its message id: one journal read, no more Rocket.Chat calls', async () => {
		const withChat = await agentSends('Is 3 pm fine?');
		const normal = await w.rc.measureCalls(() => w.webhook(fx.status(withChat.waId, 'failed', { description: 'SWE003' })));
		const { rcId, waId } = await agentSends('Or 4 pm?');
		const journalReads = w.green.requestsFor('lastOutgoingMessages').length;
		const body = fx.status(waId, 'failed', { description: 'SWE003' });
		delete body.chatId;
		const older = await w.rc.measureCalls(async () => {
			expect((await w.webhook(body)).status).toBe(200);
		});
		expect(w.green.requestsFor('lastOutgoingMessages')).toHaveLength(journalReads + 1);
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${rcId}) ⚠️ Not delivered to WhatsApp: WhatsApp could not encrypt the message for this chat (SWE003); an admin should re-link the phone`);
		// The GREEN-API call aside, the same Rocket.Chat calls as a status that names its chat.
		expect(older.byMethod['Http.doCall']).toBe(1);
		expect(older.calls - 1).toBe(normal.calls);
		// A message id GREEN-API does not know is answered 200 and changes nothing.
		const before = texts(roomId).length;
		const unknown = fx.status('BAE5000000000000', 'read');
		delete unknown.chatId;
		expect((await w.webhook(unknown)).status).toBe(200);
		expect(texts(roomId)).toHaveLength(before);
	});

	it('quotaExceeded: admins hear of the plan limit and the chats still allowed, once per change', async () => {
		const res = await w.webhook(fx.quotaExceeded());
		expect(res.status).toBe(200);
		await w.webhook(fx.quotaExceeded()); // redelivered
		await w.webhook(fx.quotaExceeded()); // the same limit again on a later webhook
		const alerts = texts(alertRoomId);
		expect(alerts).toEqual([
			'⚠️ Number +79990000000 (instance 1101000001) has used up its plan limit: correspondents 3 of 3 this month (CORRESPONDENTS_QUOTA_EXCEEDED). Only these chats can still send and receive messages: +10001234560, +10001234561, +10001234562. Messages of everyone else are refused until the plan is upgraded in the provider\'s console.',
		]);
		// A new month, other chats: told again.
		await w.webhook(fx.quotaExceeded({ chats: ['79001234567@c.us', '79005550000@c.us', '10001234562@c.us'] }));
		expect(texts(alertRoomId)).toHaveLength(2);
		expect(texts(alertRoomId)[1]).toContain('+79001234567, +79005550000, +10001234562');
	});
});
