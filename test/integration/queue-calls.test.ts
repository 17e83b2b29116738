// Bridge calls of the paths that enter a queue (agent text, a message behind a waiting one, the
// department menu): the queue's bookkeeping must not cost calls. Figures are the counts measured
// when every path had its own way in (Http calls to the provider not counted); each may drop, none may grow.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

const report = (name: string, m: { calls: number; byMethod: Record<string, number> }) => process.stderr.write(`[calls] ${name}: ${m.calls} ${JSON.stringify(m.byMethod)}\n`);
const settle = () => new Promise((r) => setTimeout(r, 50));

describe('bridge calls of the ways into a queue', () => {
	let w: World;
	let roomId: string;
	beforeAll(async () => {
		w = await startWorld({ acceptChatsWithNoAgents: true });
		await w.customerSends(fx.textMessage('hello'));
		// the contact record is written just after the answer: not to be counted in the first figure
		await w.rc.settle();
		roomId = w.rc.rc.rooms.find((r) => r.type === 'l')!.id;
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('a customer text into the open room (the bench counts the same: read, post, record)', async () => {
		const m = await w.rc.measureCalls(async () => {
			await w.customerSends(fx.textMessage('how are you?'));
			await settle();
		});
		report('customer text', m);
		expect(m.calls).toBeLessThanOrEqual(INBOUND_TEXT);
	});

	it('an agent text, sent and recorded', async () => {
		const m = await w.rc.measureCalls(async () => {
			await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'on its way' });
			await w.green.waitForSent(GA.idInstance, 1);
			await settle();
		});
		report('agent text, sent', m);
		expect(m.calls - (m.byMethod['Http.doCall'] ?? 0)).toBeLessThanOrEqual(OUTBOUND_SENT);
	});

	it('an agent text behind one waiting for a retry', async () => {
		w.green.setFailureMode(() => ({ status: 500, body: 'down' }) as never);
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'first, fails' });
		await w.green.waitFor(() => w.roomMessages(roomId).some((x: any) => /⏳/.test(x.text || '')), 5000, 'delay note');
		const m = await w.rc.measureCalls(async () => {
			await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'second, behind' });
			await settle();
		});
		w.green.setFailureMode(undefined);
		report('agent text, behind', m);
		expect(m.calls - (m.byMethod['Http.doCall'] ?? 0)).toBeLessThanOrEqual(OUTBOUND_BEHIND);
	});

	it('the first message of a customer of a number with a menu', async () => {
		await w.rc.runCommand('whatsapp', ['menu', GA.idInstance, 'Support'], { userId: w.admin.id });
		const chatId = '79990003333@c.us';
		const m = await w.rc.measureCalls(async () => {
			await w.customerSends(fx.textMessage('Hi'), { chatId, senderName: 'Menu' });
			await w.green.waitFor(() => w.green.allSent().some((s) => s.chatId === chatId), 5000, 'menu sent');
			await settle();
		});
		report('menu shown', m);
		expect(m.calls - (m.byMethod['Http.doCall'] ?? 0)).toBeLessThanOrEqual(MENU_SHOWN);
	});
});

const INBOUND_TEXT = 3;
const OUTBOUND_SENT = 4;
const OUTBOUND_BEHIND = 4;
// A new customer's first message also asks the person index whether any id it names (the chat id, the phone)
// belongs to a customer known under another id (2 reads), and links the phone to this chat (1 write):
// the price of one conversation per person, paid once per customer.
const MENU_SHOWN = 13;
