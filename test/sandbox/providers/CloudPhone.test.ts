// The sandbox with the customer's phone on Meta's Cloud API, in-process: the agent asks with reply buttons,
// the phone shows them as choices, and the customer's tap comes back into the room as their choice.
import * as http from 'http';
import { CloudPhone } from './CloudPhone';
import { Sandbox } from '../Sandbox';
import { SandboxServer } from '../server';

let server: SandboxServer;
let baseUrl: string;
let sandbox: Sandbox;
let phone: CloudPhone;

beforeAll(async () => {
	server = new SandboxServer();
	const url = await server.listen(0);
	baseUrl = url;
	phone = new CloudPhone((label, attempt) => sandbox.deliver(label, attempt));
	sandbox = new Sandbox(phone, url);
	await sandbox.start();
	server.serve(sandbox);
}, 120_000);
afterAll(async () => {
	await server?.close();
	await sandbox?.stop();
});

/** A request to the sandbox server, as the page makes it. */
function request(path: string, body?: unknown): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const req = http.request(`${baseUrl}${path}`, { method: payload ? 'POST' : 'GET', headers: payload ? { 'content-type': 'application/json' } : {} }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
		});
		req.on('error', reject);
		req.end(payload);
	});
}

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

describe('the Cloud number is a coexistence number: the business also types on its phone', () => {
	it('the page offers it; the typed message reaches the customer\'s room as the business phone\'s note, and the app sends nothing back', async () => {
		const view = () => sandbox.view() as any;
		const page = (await request('/')).text;
		expect(page).toContain('id="business-app-form"');
		expect(view().provider.businessApp).toBe(true);
		sandbox.phoneAction('c1', { kind: 'text', text: 'Do you deliver on Sundays?' });
		const room = await until(() => view().rooms.find((r: any) => r.messages.some((m: any) => m.text === 'Do you deliver on Sundays?')), 'the room');
		const sentBefore = sandbox.provider.businessMessages().length;
		// What the page's "From business phone" button posts.
		const res = await request('/sandbox/api/business-app', { customerId: 'c1', text: 'Yes, until 2 pm' });
		expect(res.status).toBe(200);
		expect(JSON.parse(res.text).id).toMatch(/^wamid\./);
		const roomMessages = () => view().rooms.find((r: any) => r.id === room.id)?.messages ?? [];
		await until(() => roomMessages().some((m: any) => m.text === '📱 Sent from the business phone: Yes, until 2 pm'), 'the business phone\'s note in the room');
		// An agent's answer after it is the only send: the note itself never went back to the customer.
		await sandbox.agentSends({ roomId: room.id, text: 'Anything else?' });
		await until(() => sandbox.provider.businessMessages().some((m) => m.text === 'Anything else?'), 'the agent\'s answer at the provider');
		expect(sandbox.provider.businessMessages().slice(sentBefore).map((m) => m.text)).toEqual(['Anything else?']);
	});
});
