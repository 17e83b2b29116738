// The neutral test provider's API on 127.0.0.1 (wire format in NeutralProvider.ts): checks the bearer
// token, records sends and the configured webhook, serves media and templates, fails on demand. Like the
// Cloud API it refuses a free-form message to a customer whose last message (as the provider saw it:
// `customerWrote`) is more than 24 hours old, and checks a template's name, status and parameters.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface NeutralSend { path: string; body: Record<string, unknown>; id: string }

/** A template as GET /templates lists it. */
export interface NeutralTemplate {
	name: string;
	language: string;
	status: string;
	category?: string;
	format?: 'positional' | 'named';
	body: string;
	header?: { format: string; text?: string };
	footer?: string;
	buttons?: Array<{ type: string; text: string; url?: string }>;
}

export const SERVICE_WINDOW_MS = 24 * 60 * 60_000;
const placeholders = (text = '') => [...new Set([...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]))];

export class FakeNeutralApi {
	url = '';
	readonly sent: NeutralSend[] = [];
	/** Free-form sends refused because the customer's window was closed. */
	readonly refusedOutsideWindow: Array<{ path: string; body: Record<string, unknown> }> = [];
	webhook?: { url: string; secret: string };
	/** Status to answer sends with while set (e.g. 503). */
	failSends?: number;
	templates: NeutralTemplate[] = [];
	/** Times GET /templates was answered. */
	templateLists = 0;
	/** A slow provider: GET /templates answers after this long. */
	templateListDelayMs = 0;
	/** When each customer last wrote, as the provider saw it (the free-form window). */
	readonly lastInbound = new Map<string, number>();
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

	/** The customer's message passed through the provider (tests call it with each inbound webhook). */
	customerWrote(chat: string, at = Date.now()): void {
		this.lastInbound.set(chat, at);
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
		if (req.method === 'GET' && path === '/templates') {
			this.templateLists++;
			if (this.templateListDelayMs) await new Promise((r) => setTimeout(r, this.templateListDelayMs));
			return answer(200, { templates: this.templates });
		}
		if (req.method === 'POST' && path === '/templates/send') {
			if (this.failSends) return answer(this.failSends, { error: 'failing on demand' });
			const problem = this.templateProblem(body);
			if (problem) return answer(400, problem);
			const id = `out-${++this.seq}`;
			this.sent.push({ path, body, id });
			return answer(200, { id });
		}
		if (req.method === 'POST' && (path === '/messages' || path === '/files')) {
			if (this.failSends) return answer(this.failSends, { error: 'failing on demand' });
			if (typeof body.to !== 'string' || (path === '/messages' && typeof body.text !== 'string')) return answer(400, { error: 'to and text required' });
			const last = this.lastInbound.get(body.to);
			if (!last || Date.now() - last > SERVICE_WINDOW_MS) {
				this.refusedOutsideWindow.push({ path, body });
				return answer(400, { code: 'window_closed', error: 're-engagement message required: more than 24 hours since the customer wrote' });
			}
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

	/** What the real API would refuse: unknown or unapproved template, parameters not matching it. */
	private templateProblem(body: Record<string, any>): { code: string; error: string } | undefined {
		if (typeof body.to !== 'string') return { code: 'params', error: 'to required' };
		const tpl = this.templates.find((t) => t.name === body.name && t.language === body.language);
		if (!tpl || tpl.status !== 'APPROVED') return { code: 'unknown_template', error: `template ${body.name} (${body.language}) does not exist or is not approved` };
		const given = Object.keys(body.body || {}).sort();
		const wanted = placeholders(tpl.body).sort();
		if (given.join() !== wanted.join() || Object.values(body.body || {}).some((v) => typeof v !== 'string' || !v)) {
			return { code: 'params', error: `body parameters [${given}] do not match [${wanted}]` };
		}
		if (tpl.header && tpl.header.format !== 'text' && !/^https?:\/\//.test(body.header?.link || '')) return { code: 'params', error: 'media header needs a link' };
		if (tpl.header?.format === 'text' && placeholders(tpl.header.text).length && !body.header?.text) return { code: 'params', error: 'header parameter missing' };
		for (const [i, b] of (tpl.buttons || []).entries()) {
			if (placeholders(b.url).length && !body.buttons?.[String(i)]) return { code: 'params', error: `button ${i} parameter missing` };
		}
		return undefined;
	}
}
