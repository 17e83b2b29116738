// Messages of bots in WhatsApp rooms — a bot agent Rocket.Chat routed the conversation to (user type `bot`), or
// the user of ANOTHER app (a chatbot app answering; Rocket.Chat gives it type `app`) — go to WhatsApp only when
// the *bot messages* setting allows (default off). This app's own notes never do.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { addUser } from '../runtime/bridges/users';
import { startWorld, World } from './support/world';

describe("bots' and other apps' messages in WhatsApp rooms", () => {
	let w: World;
	let roomId: string;
	let botId: string;
	let chatbotAppUserId: string;

	beforeAll(async () => {
		w = await startWorld();
		// Rocket.Chat routes new conversations to a bot agent of the department (Livechat_assign_new_conversation_to_bot).
		botId = w.rc.addUser({ username: 'answer.bot', name: 'Answer Bot', roles: ['bot', 'livechat-agent'], type: 'bot', departmentIds: [w.department.id] }).id;
		w.rc.rc.setServerSetting('Livechat_assign_new_conversation_to_bot', true);
		await w.customerSends(fx.textMessage('When do you open?'));
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		roomId = room.id;
		expect(room.servedBy?.id).toBe(botId);
		// Another app's user, as Rocket.Chat creates it for that app.
		chatbotAppUserId = addUser(w.rc.rc, { username: 'faq-chatbot.bot', roles: ['app'], type: 'app', appId: 'b7d1c6e4-faq-chatbot', status: 'online' }).id;
	});
	afterAll(async () => {
		await w?.stop();
	});

	const settle = () => w.rc.settle();
	const sentTexts = () => w.green.allSent().map((s) => s.text);
	/** What another app does to answer: MessageBridge.create with its own user as sender. */
	const otherAppSays = (text: string) => w.rc.bridges.message.create({ room: { id: roomId }, sender: { id: chatbotAppUserId }, text }, 'b7d1c6e4-faq-chatbot');

	it('by default (off): a bot agent\'s and another app\'s answers stay in Rocket.Chat', async () => {
		await w.rc.sendUserMessage({ roomId, userId: botId, text: 'We open at 9.' });
		await otherAppSays('See our FAQ: https://shop.example/faq');
		await settle();
		expect(sentTexts()).toEqual([]);
	});

	it('when allowed: both go to the customer like an agent\'s message; this app\'s own notes still never do', async () => {
		await w.rc.setAppSetting('bot_messages', true);
		await w.rc.sendUserMessage({ roomId, userId: botId, text: 'We open at 9 on weekdays.' });
		await w.green.waitForSent(GA.idInstance, 1);
		await otherAppSays('Here is the FAQ: https://shop.example/faq');
		await w.green.waitForSent(GA.idInstance, 2);
		expect(w.green.allSent().map((s) => [s.chatId, s.text])).toEqual([
			[GA.chatId, 'We open at 9 on weekdays.'],
			[GA.chatId, 'Here is the FAQ: https://shop.example/faq'],
		]);
		// The app's own note (a failed delivery) is written by its app user and is not sent.
		const [first] = w.green.allSent();
		await w.webhook(fx.status(first.idMessage, 'failed', { description: 'recipient unreachable' }));
		expect(w.roomMessages(roomId).slice(-1)[0]).toMatchObject({ sender: { type: 'app' }, text: expect.stringContaining('Not delivered to WhatsApp') });
		await settle();
		expect(w.green.allSent()).toHaveLength(2);
		// A person's message goes as always.
		await w.rc.sendUserMessage({ roomId, userId: w.admin.id, text: 'A person here, too.' });
		await w.green.waitForSent(GA.idInstance, 3);
	});

	it('switched off again: bots stay in Rocket.Chat', async () => {
		await w.rc.setAppSetting('bot_messages', false);
		await w.rc.sendUserMessage({ roomId, userId: botId, text: 'Anything else?' });
		await otherAppSays('Rate us!');
		await settle();
		expect(sentTexts()).not.toContain('Anything else?');
		expect(sentTexts()).not.toContain('Rate us!');
	});
});
