// The outbox keeps the order the chat saw: what the app itself sends (the closing message, the start
// fallback, the menu) waits behind agent messages still waiting for a retry.
import { OutboundService } from '../../src/core/OutboundService';
import { memoryDeps, stubProvider } from './support/memoryDeps';

const POLICY = { maxAttempts: 12, maxAgeMs: 24 * 60 * 60_000 };

describe('the outbox order', () => {
	it("a text of the app does not overtake an agent's message waiting for a retry", async () => {
		const sent: string[] = [];
		let down = true;
		const provider = stubProvider({}, {
			sendText: async (m) => {
				if (down) return { ok: false, retryable: true, reason: 'provider down' };
				sent.push(m.text);
				return { ok: true, messageId: `wa-${sent.length}` };
			},
		});
		const world = memoryDeps(provider);
		const contact = world.contact({ roomId: 'R1', visitorToken: 'vt', lastInboundAt: Date.now() });
		await world.deps.contacts.save(contact);
		const outbound = new OutboundService(world.deps);
		await outbound.send({ id: 'M1', roomId: 'R1', text: 'agent answer' });
		expect(sent).toEqual([]);
		down = false;
		await outbound.sendToContact(contact, 'close:R1', 'R1', 'closing message');
		// Not sent yet: it waits behind the agent's message.
		expect(sent).toEqual([]);
		await outbound.retryChat(`1:${contact.chatId}`, Date.now(), POLICY);
		expect(sent).toEqual(['agent answer', 'closing message']);
		await expect(world.deps.outbox.forChat(`1:${contact.chatId}`)).resolves.toEqual([]);
	});
});
