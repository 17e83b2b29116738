// The sandbox's provider webhook queue against a local HTTP server: kept until 2xx, head-of-line
// redelivery in order, a 4xx drops the notification.
import * as http from 'http';
import type { AddressInfo } from 'net';
import { WebhookQueue } from './WebhookQueue';

describe('WebhookQueue', () => {
	let server: http.Server;
	let url = '';
	const received: Array<{ body: any; auth?: string }> = [];
	let answers: number[] = [];

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			let raw = '';
			req.on('data', (c) => (raw += c));
			req.on('end', () => {
				received.push({ body: JSON.parse(raw), auth: req.headers.authorization });
				res.writeHead(answers.shift() ?? 200);
				res.end();
			});
		});
		await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
	});
	afterAll(() => new Promise<void>((r) => server.close(() => r())));
	beforeEach(() => {
		received.length = 0;
		answers = [];
	});

	const waitUntil = async (cond: () => boolean) => {
		const end = Date.now() + 20_000;
		while (!cond()) {
			if (Date.now() > end) throw new Error(`condition not met within 20 s: ${cond}`);
			await new Promise((r) => setTimeout(r, 10));
		}
	};

	it('redelivers a notification until the app answers 2xx, before the ones behind it, each through the runner', async () => {
		answers = [500];
		const labels: string[] = [];
		const q = new WebhookQueue(() => ({ url, headers: { authorization: 'Bearer secret' } }), (label, attempt) => {
			labels.push(label);
			return attempt();
		}, 20);
		q.push('first', { n: 1 }, { messageId: 'm1' });
		q.push('second', { n: 2 });
		await waitUntil(() => q.pending() === 0);
		expect(received.map((r) => r.body.n)).toEqual([1, 1, 2]);
		expect(received.every((r) => r.auth === 'Bearer secret')).toBe(true);
		expect(labels).toEqual(['first', 'first', 'second']);
		expect(q.list()).toEqual([
			expect.objectContaining({ label: 'first', state: 'acknowledged', attempts: 2, lastStatus: 200, messageId: 'm1' }),
			expect.objectContaining({ label: 'second', state: 'acknowledged', attempts: 1, lastStatus: 200 }),
		]);
		q.stop();
	});

	it('drops a notification the app refuses with a 4xx (other than 429) and goes on', async () => {
		answers = [401, 429];
		const q = new WebhookQueue(() => ({ url, headers: {} }), (_l, attempt) => attempt(), 20);
		q.push('refused', { n: 1 });
		q.push('rate limited, then accepted', { n: 2 });
		await waitUntil(() => q.pending() === 0);
		expect(received.map((r) => r.body.n)).toEqual([1, 2, 2]);
		expect(q.list().map((n) => [n.state, n.attempts, n.lastStatus])).toEqual([['rejected', 1, 401], ['acknowledged', 2, 200]]);
		q.stop();
	});

	it('keeps retrying while nothing answers (status 0) and stops when told', async () => {
		const q = new WebhookQueue(() => ({ url: 'http://127.0.0.1:1/unreachable', headers: {} }), (_l, attempt) => attempt(), 10);
		q.push('nobody listens', { n: 1 });
		// between two attempts (not in the middle of one: that one's state is 'delivering')
		await waitUntil(() => (q.list()[0].attempts ?? 0) >= 2 && q.list()[0].state === 'retrying');
		q.stop();
		expect(q.list()[0]).toMatchObject({ state: 'retrying', lastStatus: 0 });
		expect(q.pending()).toBe(1);
	});
});
