// The neutral test provider's API on 127.0.0.1 (wire format in NeutralProvider.ts): checks the bearer
// token, records sends and the configured webhook, serves media, fails on demand.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface NeutralSend { path: string; body: Record<string, unknown>; id: string }

export class FakeNeutralApi {
	url = '';
	readonly sent: NeutralSend[] = [];
	webhook?: { url: string; secret: string };
	/** Status to answer sends with while set (e.g. 503). */
	failSends?: number;
	private readonly media = new Map<string, { bytes: Buffer; type: string }>();
	private server?: http.Server;
	private seq = 0;

	constructor(readonly token: string, readonly number: string) {}

	static async start(token: string, number: string): Promise<FakeNeutralApi> {
		const fake = new FakeNeutralApi(token, number);
		fake.server = http.createServer((req, res) => void fake.handle(req, res));
		await new Promise<void>((r) => fake.server!.listen(0, '127.0.0.1', () => r()));
		fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
		return fake;
	}

	serveMedia(ref: string, bytes: Buffer, type: string): void {
		this.media.set(ref, { bytes, type });
	}

	async stop(): Promise<void> {
		await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const answer = (status: number, body: unknown, type = 'application/json') => {
			res.writeHead(status, { 'content-type': type });
			res.end(Buffer.isBuffer(body) ? body : JSON.stringify(body));
		};
		if (req.headers.authorization !== `Bearer ${this.token}`) return answer(401, { error: 'bad token' });
		const path = (req.url || '').split('?')[0];
		const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
		if (req.method === 'GET' && path === '/me') return answer(200, { number: this.number });
		if (req.method === 'POST' && path === '/webhook') {
			if (typeof body.url !== 'string' || typeof body.secret !== 'string') return answer(400, { error: 'url and secret required' });
			this.webhook = { url: body.url, secret: body.secret };
			return answer(200, { ok: true });
		}
		if (req.method === 'POST' && (path === '/messages' || path === '/files')) {
			if (this.failSends) return answer(this.failSends, { error: 'failing on demand' });
			if (typeof body.to !== 'string' || (path === '/messages' && typeof body.text !== 'string')) return answer(400, { error: 'to and text required' });
			const id = `out-${++this.seq}`;
			this.sent.push({ path, body, id });
			return answer(200, { id });
		}
		if (req.method === 'GET' && path.startsWith('/media/')) {
			const m = this.media.get(decodeURIComponent(path.slice('/media/'.length)));
			return m ? answer(200, m.bytes, m.type) : answer(404, { error: 'no such media' });
		}
		return answer(404, { error: `no route ${req.method} ${path}` });
	}
}
