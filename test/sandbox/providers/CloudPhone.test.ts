// The sandbox with the customer's phone on Meta's Cloud API, in-process: the agent asks with reply buttons,
// the phone shows them as choices, and the customer's tap comes back into the room as their choice.
import { CloudPhone } from './CloudPhone';
import { Sandbox } from '../Sandbox';
import { SandboxServer } from '../server';

let server: SandboxServer;
let sandbox: Sandbox;
let phone: CloudPhone;

beforeAll(async () => {
	server = new SandboxServer();
	const url = await server.listen(0);
	phone = new CloudPhone((label, attempt) => sandbox.deliver(label, attempt));
	sandbox = new Sandbox(phone, url);
	await sandbox.start();
	server.serve(sandbox);
}, 120_000);
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

describe('the phone on the Cloud API answers a reply-button question', () => {
	it('the agent asks with buttons, the customer taps one, the room shows the choice', async () => {
		const view = () => sandbox.view() as any;
		const first = sandbox.phoneAction('c1', { kind: 'text', text: 'Is my refund on its way?' });
		const room = await until(() => view().rooms.find((r: any) => r.messages.some((m: any) => m.text === 'Is my refund on its way?')), 'the room');
		await until(() => view().notifications.find((n: any) => n.messageId === first && n.state === 'acknowledged'), 'the first message acknowledged');
		// The contact record follows the webhook's answer: the agent asks again until the app knows the room.
		let question: any;
		for (let i = 0; i < 100 && !question; i++) {
			await sandbox.command(sandbox.agent.id, ['buttons', 'Did', 'it', 'arrive?', '|', 'Yes', '|', 'Not', 'yet'], room.id);
			question = sandbox.provider.businessMessages().find((m) => m.choices?.length);
			if (!question) await new Promise((r) => setTimeout(r, 100));
		}
		expect(question).toMatchObject({ kind: 'other', method: 'messages (interactive)', text: 'Did it arrive?', choices: [{ id: 'b1', title: 'Yes' }, { id: 'b2', title: 'Not yet' }] });
		sandbox.phoneAction('c1', { kind: 'choice', target: sandbox.messageRef('c1', question.id), optionId: 'b2' });
		await until(() => view().rooms.find((r: any) => r.id === room.id)?.messages.some((m: any) => /🔘 .*: Not yet$/.test(m.text)), 'the choice in the room');
	});
});
