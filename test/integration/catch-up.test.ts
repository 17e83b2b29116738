// Rocket.Chat does not replay IPostMessageSent for an app that was not running: agent answers written
// while the app was disabled (an update, a crash, a restart) must still reach WhatsApp — in order, once.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

describe('agent messages written while the app was not running', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	const sentTexts = () => w.green.allSent().filter((s) => s.method === 'sendMessage').map((s) => s.text);

	it('are sent after the app is back, in order and once; what was sent before is not sent again', async () => {
		await w.customerSends(fx.textMessage('Hello, is my order shipped?'));
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'Let me check.' });
		await w.green.waitForSent(GA.idInstance, 1);
		// The process has already ticked: disabling and enabling keeps the process, and must catch up too.
		w.rc.advanceClock(61_000);
		await w.rc.runDueJobs();
		const pid = w.rc.denoPid();

		await w.rc.manager.disable(w.rc.appId);
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'Yes, it left today.' });
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'Tracking: 42-XYZ' });
		await w.rc.settle();
		expect(sentTexts()).toEqual(['Let me check.']);

		await w.rc.manager.enable(w.rc.appId);
		expect(w.rc.denoPid()).toBe(pid);
		w.rc.advanceClock(61_000);
		await w.rc.runDueJobs();
		await w.green.waitForSent(GA.idInstance, 3);
		expect(sentTexts()).toEqual(['Let me check.', 'Yes, it left today.', 'Tracking: 42-XYZ']);

		// Later ticks (and live messages) do not repeat them.
		w.rc.advanceClock(61_000);
		await w.rc.runDueJobs();
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'Anything else?' });
		await w.green.waitForSent(GA.idInstance, 4);
		expect(sentTexts()).toEqual(['Let me check.', 'Yes, it left today.', 'Tracking: 42-XYZ', 'Anything else?']);
	});

	it('leave closed rooms alone', async () => {
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		await w.rc.closeRoom(room.id, w.agent.id);
		await w.rc.settle(); // the app has taken in the closing (and sent what it sends for it)
		const before = w.green.allSent().length;
		await w.rc.manager.disable(w.rc.appId);
		await w.rc.manager.enable(w.rc.appId);
		w.rc.advanceClock(61_000);
		await w.rc.runDueJobs();
		await w.rc.settle();
		expect(w.green.allSent().length).toBe(before);
		expect(w.rc.rc.persistence.filter((p) => p.associations.some((a: any) => a.id === `gab:openroom:${room.id}`))).toEqual([]);
	});
});
