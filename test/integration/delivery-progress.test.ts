// "Delivery status shown to agents: all" promises a ✅ / 👀 reaction when an agent's message is delivered / read.
// Reactions are feature-detected: the engine must offer getMessageUpdater (1.62+), and Rocket.Chat must let the
// app user react in the room (executeSetReaction checks room access: in a livechat room the app user has none
// unless its roles give it). Where it cannot react, the app posts the short note the setting promises instead —
// one per message, edited as the state moves on.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { ENGINE } from '../runtime/TestRocketChat';
import { startWorld, World } from './support/world';

describe('delivered / read shown to agents (setting: all)', () => {
	let w: World;
	let roomId: string;

	beforeAll(async () => {
		w = await startWorld({ appSettings: { delivery_status: 'all' } });
		await w.customerSends(fx.textMessage('hello'));
		roomId = w.rc.rc.rooms.find((r) => r.type === 'l')!.id;
	});
	afterAll(async () => {
		await w?.stop();
	});

	const notes = () => w.roomMessages(roomId).filter((m: any) => m.sender.type === 'app');
	async function agentSends(text: string): Promise<{ rcId: string; waId: string }> {
		const before = w.green.allSent().length;
		const reply = await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text });
		const sent = await w.green.waitForSent(GA.idInstance, before + 1);
		await w.rc.settle(); // the app maps the sent message's id after GREEN-API answered
		return { rcId: reply.id, waId: sent[before].idMessage };
	}

	it('where the app user may not react (a livechat room it cannot access): one short note, edited from delivered to read', async () => {
		const { rcId, waId } = await agentSends('Your order ships today');
		await w.webhook(fx.status(waId, 'sent'));
		expect(notes()).toHaveLength(0);
		await w.webhook(fx.status(waId, 'delivered'));
		expect(notes().map((m: any) => m.text)).toEqual([`[ ](http://rc.test/live/${roomId}?msg=${rcId}) ✅ Delivered on WhatsApp`]);
		await w.webhook(fx.status(waId, 'delivered')); // redelivered
		await w.webhook(fx.status(waId, 'read'));
		await w.webhook(fx.status(waId, 'read'));
		await w.webhook(fx.status(waId, 'delivered')); // late, out of order
		const shown = notes();
		expect(shown.map((m: any) => m.text)).toEqual([`[ ](http://rc.test/live/${roomId}?msg=${rcId}) 👀 Read on WhatsApp`]);
		expect(shown[0].editedAt).toBeDefined();
		expect(w.rc.rc.message(rcId)!.reactions).toBeUndefined();
		// The notes are the app's own: nothing went to WhatsApp for them.
		await w.rc.settle();
		expect(w.green.allSent().map((s) => s.text)).toEqual(['Your order ships today']);
	});

	it('where the app user may react (an admin gave it a role that sees livechat rooms): ✅ then 👀 on the message, no note — on engines with getMessageUpdater', async () => {
		w.rc.rc.appUser()!.roles.push('livechat-manager');
		const before = notes().length;
		const { rcId, waId } = await agentSends('It is on its way');
		await w.webhook(fx.status(waId, 'delivered'));
		await w.webhook(fx.status(waId, 'read'));
		const appUsername = w.rc.rc.appUser()!.username;
		if (ENGINE.hasMessageUpdater) {
			expect(w.rc.rc.message(rcId)!.reactions).toEqual({ ':white_check_mark:': { usernames: [appUsername] }, ':eyes:': { usernames: [appUsername] } });
			expect(notes()).toHaveLength(before);
			// The app's own reactions never go to WhatsApp as the agent's.
			await w.rc.settle();
			expect(w.green.requestsFor('sendReaction')).toHaveLength(0);
		} else {
			// Engine without reactions (before 1.62): the note, as above.
			expect(notes().slice(before).map((m: any) => m.text)).toEqual([`[ ](http://rc.test/live/${roomId}?msg=${rcId}) 👀 Read on WhatsApp`]);
		}
	});
});
