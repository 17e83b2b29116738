// The sandbox with the customer's phone on 360dialog, in-process (the browser test covers the page on the Cloud
// API): the app configures the webhook itself at the fake (a port-less URL, as 360dialog demands), the phone
// still reaches the app on the sandbox's local address with the configured secret header, and the agent's
// answer comes back with its delivery states acknowledged.
import { Dialog360Phone } from './CloudPhone';
import { Sandbox } from '../Sandbox';
import { SandboxServer } from '../server';

let server: SandboxServer;
let sandbox: Sandbox;
let phone: Dialog360Phone;

beforeAll(async () => {
	server = new SandboxServer();
	const url = await server.listen(0);
	phone = new Dialog360Phone((label, attempt) => sandbox.deliver(label, attempt));
	sandbox = new Sandbox(phone, phone.publicSiteUrl(url));
	await sandbox.start();
	server.serve(sandbox);
});
afterAll(async () => {
	await server?.close();
	await sandbox?.stop();
});

async function until<T>(probe: () => T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = probe();
		if (v) return v;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

describe('the phone on 360dialog', () => {
	it('carries the conversation both ways through the webhook the app configured', async () => {
		const view = () => sandbox.view() as any;
		expect(view().provider).toMatchObject({ id: '360dialog', canEditOrDelete: false, instance: { webhookUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/api\/apps\/public\/.+\/360dialog\?.*secret=•••/) } });

		const id = sandbox.phoneAction('c1', { kind: 'text', text: 'Hola, ¿dónde está mi pedido?' });
		const room = await until(() => view().rooms.find((r: any) => r.messages.some((m: any) => m.text === 'Hola, ¿dónde está mi pedido?')), 'the room');
		// The message is in the room before the app has answered the webhook: wait for that answer, then check it.
		const answered = await until(() => view().notifications.find((n: any) => n.messageId === id && (n.state === 'acknowledged' || n.state === 'rejected')), 'the app\'s final answer to the webhook');
		expect(answered).toMatchObject({ state: 'acknowledged', lastStatus: 200, attempts: 1 });

		await sandbox.agentSends({ roomId: room.id, text: 'Está en camino' });
		const sent = await until(() => sandbox.provider.businessMessages().find((m) => m.text === 'Está en camino'), 'the send at 360dialog');
		expect(sent).toMatchObject({ customerPhone: '79001234567', kind: 'text', method: 'messages (text)' });
		await until(() => view().notifications.some((n: any) => n.label === 'status delivered' && n.state === 'acknowledged'), 'the delivered status acknowledged');

		// No customer edits on this provider: refused before anything reaches the app.
		expect(() => sandbox.phoneAction('c1', { kind: 'edit', text: 'x', target: { messageId: id, fromBusiness: false, text: '' } })).toThrow(/edits and deletions do not reach the business/);
	});
});
