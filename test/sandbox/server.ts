// The sandbox's HTTP server on 127.0.0.1: the page and its JSON actions under /sandbox/, live state over
// Server-Sent Events, and the two routes Rocket.Chat itself would serve — the apps' public endpoints
// (/api/apps/public/<appId>/<path>, where the provider delivers webhooks) and uploaded files (/file-upload/).
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import * as path from 'path';
import { PhoneAction, PhoneFile } from './providers/PhoneProvider';
import { Sandbox, SandboxError, sampleFile } from './Sandbox';

const PUBLIC_DIR = path.join(__dirname, 'public');
const STATIC: Record<string, string> = { '/': 'index.html', '/sandbox/sandbox.js': 'sandbox.js', '/sandbox/sandbox.css': 'sandbox.css' };
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const MAX_BODY = 25 * 1024 * 1024;
const PUSH_EVERY_MS = 150;

type Json = Record<string, any>;
const str = (v: unknown, max = 20_000): string => (typeof v === 'string' ? v.slice(0, max) : '');
const num = (v: unknown): number => {
	const n = Number(v);
	if (!Number.isFinite(n)) throw new SandboxError('a number was expected');
	return n;
};

export class SandboxServer {
	sandbox?: Sandbox;
	url = '';
	private readonly server: http.Server;
	private readonly clients = new Set<http.ServerResponse>();
	private readonly sockets = new Set<Socket>();
	private pushTimer?: NodeJS.Timeout;
	private pushed = '';

	constructor() {
		this.server = http.createServer((req, res) => {
			this.handle(req, res).catch((e) => this.fail(res, e));
		});
		this.server.on('connection', (s) => {
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
	}

	listen(port: number): Promise<string> {
		return new Promise((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(port, '127.0.0.1', () => {
				this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
				resolve(this.url);
			});
		});
	}

	/** Starts pushing state to the page once the sandbox is up. */
	serve(sandbox: Sandbox): void {
		this.sandbox = sandbox;
		this.pushTimer = setInterval(() => this.push(), PUSH_EVERY_MS);
	}

	async close(): Promise<void> {
		if (this.pushTimer) clearInterval(this.pushTimer);
		for (const c of this.clients) c.end();
		const closed = new Promise<void>((r) => this.server.close(() => r()));
		for (const s of this.sockets) s.destroy();
		await closed;
	}

	private push(): void {
		const sb = this.sandbox;
		if (!sb || !this.clients.size) return;
		const v = sb.version();
		if (v === this.pushed) return;
		this.pushed = v;
		const data = `event: state\ndata: ${JSON.stringify(sb.view())}\n\n`;
		for (const c of this.clients) c.write(data);
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', this.url || 'http://127.0.0.1');
		const p = url.pathname;
		if (req.method === 'GET' && STATIC[p]) {
			const file = path.join(PUBLIC_DIR, STATIC[p]);
			res.writeHead(200, { 'content-type': TYPES[path.extname(file)], 'cache-control': 'no-store' });
			res.end(fs.readFileSync(file));
			return;
		}
		if (p === '/favicon.ico') return void res.writeHead(204).end();
		const sb = this.sandbox;
		if (!sb) return this.json(res, 503, { error: 'the sandbox is starting' });
		if (p.startsWith('/api/apps/public/')) return this.appEndpoint(sb, req, res, url);
		if (req.method === 'GET' && p.startsWith('/file-upload/')) {
			const id = p.split('/')[2];
			const u = sb.t.rc.uploads.find((x) => x.id === id);
			if (!u) return this.json(res, 404, { error: 'no such file' });
			return this.bytes(res, u.bytes, u.type);
		}
		if (req.method === 'GET' && p.startsWith('/sandbox/files/provider/')) {
			const f = sb.provider.businessFile(decodeURIComponent(p.split('/')[4] ?? ''));
			return f ? this.bytes(res, f.bytes, f.mimeType) : this.json(res, 404, { error: 'no such file' });
		}
		if (req.method === 'GET' && p.startsWith('/sandbox/files/phone/')) {
			const f = sb.phoneFile(decodeURIComponent(p.split('/')[4] ?? ''));
			return f ? this.bytes(res, f.bytes, f.mimeType) : this.json(res, 404, { error: 'no such file' });
		}
		if (req.method === 'GET' && p.startsWith('/sandbox/samples/')) {
			const f = sampleFile(p.split('/')[3] ?? '');
			return this.bytes(res, f.bytes, f.mimeType);
		}
		if (req.method === 'GET' && p === '/sandbox/state') return this.json(res, 200, sb.view());
		if (req.method === 'GET' && p === '/sandbox/events') {
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
			res.write(`event: state\ndata: ${JSON.stringify(sb.view())}\n\n`);
			this.clients.add(res);
			req.on('close', () => this.clients.delete(res));
			return;
		}
		if (req.method === 'POST' && p.startsWith('/sandbox/api/')) {
			const body = await this.readJson(req);
			const result = await this.action(sb, p.slice('/sandbox/api/'.length), body);
			return this.json(res, 200, result ?? { ok: true });
		}
		this.json(res, 404, { error: 'not found' });
	}

	/** Rocket.Chat's /api/apps/public/<appId>/<path>: the request as RC's router hands it to the engine. */
	private async appEndpoint(sb: Sandbox, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
		const [, , , , appId, endpoint] = url.pathname.split('/');
		if (appId !== sb.t.appId || !endpoint) return this.json(res, 404, { error: 'not found' });
		const raw = await this.readBody(req);
		const headers = Object.fromEntries(Object.entries(req.headers).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
		let content: unknown;
		if (raw.length && /json/.test(headers['content-type'] ?? '')) {
			try {
				content = JSON.parse(raw.toString('utf8'));
			} catch {
				return this.json(res, 400, { error: 'invalid JSON' });
			}
		}
		const r = await sb.t.callEndpoint(endpoint, { method: (req.method ?? 'GET') as any, headers, query: url.search, content });
		const h = { ...(r.headers ?? {}) };
		if (Buffer.isBuffer(r.content) || typeof r.content === 'string') {
			res.writeHead(r.status, h);
			res.end(r.content);
		} else this.json(res, r.status, r.content ?? {}, h);
	}

	private async action(sb: Sandbox, name: string, b: Json): Promise<unknown> {
		switch (name) {
			case 'customer':
				return sb.addCustomer(str(b.name, 100), str(b.phone, 30));
			case 'phone':
				return { id: sb.phoneAction(str(b.customerId), this.phoneAction(sb, b)) };
			case 'business-app':
				return { id: sb.businessAppTypes(str(b.customerId), str(b.text)) };
			case 'phone-seen':
				return sb.phoneSaw(str(b.customerId), Array.isArray(b.ids) ? b.ids.map((x: unknown) => str(x, 100)) : []);
			case 'agent-send': {
				const m = await sb.agentSends({ roomId: str(b.roomId), text: str(b.text) || undefined, file: this.file(b), quoteOf: str(b.quoteOf) || undefined });
				return { id: m.id };
			}
			case 'agent-close':
				return sb.closeRoom(str(b.roomId));
			case 'command': {
				const line = str(b.line, 2000).trim().replace(/^\/whatsapp\b\s*/, '');
				const user = b.as === 'admin' ? sb.admin : sb.agent;
				const args = line ? line.split(/\s+/) : [];
				return { notices: await sb.command(user.id, args, str(b.roomId) || undefined) };
			}
			case 'ui-click': {
				const kind = str(b.kind);
				if (kind !== 'message' && kind !== 'room' && kind !== 'view') throw new SandboxError('unknown click');
				return sb.uiClick({ kind, rid: str(b.rid) || undefined, mid: str(b.mid) || undefined, actionId: str(b.actionId, 200), blockId: str(b.blockId, 2000) || undefined, value: str(b.value, 2000) || undefined });
			}
			case 'ui-submit': {
				const values = Array.isArray(b.values) ? b.values.slice(0, 100).map((v: any) => ({ blockId: str(v?.blockId, 2000), actionId: str(v?.actionId, 2000), value: str(v?.value, 5000) })) : [];
				return sb.uiSubmit(values);
			}
			case 'ui-close':
				return sb.uiClose();
			case 'setting':
				return sb.setAppSetting(str(b.id), b.value);
			case 'faults':
				return sb.setFaults(b);
			case 'restart':
				return sb.restartApp();
			case 'link':
				return sb.setLinked(b.linked === true);
			case 'jobs':
				return { ran: await sb.runDueJobs() };
			case 'clock':
				return { ran: await sb.advanceClock(Math.min(24 * 60, Math.max(1, num(b.minutes))) * 60_000) };
			case 'scheduler':
				sb.autoScheduler = b.auto === true;
				sb.touch();
				return { auto: sb.autoScheduler };
			default:
				throw new SandboxError(`unknown action ${name}`);
		}
	}

	private phoneAction(sb: Sandbox, b: Json): PhoneAction {
		const customerId = str(b.customerId);
		const ref = (id: unknown) => sb.messageRef(customerId, str(id, 100));
		const quote = b.quoteId ? ref(b.quoteId) : undefined;
		const kind = str(b.kind);
		switch (kind) {
			case 'text':
				if (!str(b.text).trim()) throw new SandboxError('type a message');
				return { kind, text: str(b.text), quote };
			case 'image':
			case 'document':
			case 'voice': {
				const file = this.file(b);
				if (!file) throw new SandboxError('pick a file');
				return { kind, file, caption: str(b.caption, 1000) || undefined, quote };
			}
			case 'location':
				return { kind, latitude: num(b.latitude), longitude: num(b.longitude), name: str(b.name, 200) || undefined, address: str(b.address, 300) || undefined, quote };
			case 'contact':
				if (!str(b.name).trim() || !str(b.phone).trim()) throw new SandboxError('a contact needs a name and a phone');
				return { kind, name: str(b.name, 100), phone: str(b.phone, 30), quote };
			case 'reaction':
				return { kind, emoji: str(b.emoji, 16), target: ref(b.targetId) };
			case 'edit':
				if (!str(b.text).trim()) throw new SandboxError('type the new text');
				return { kind, text: str(b.text), target: ref(b.targetId) };
			case 'delete':
				return { kind, target: ref(b.targetId) };
			default:
				throw new SandboxError(`unknown phone action ${kind}`);
		}
	}

	/** A sample (by id) or a file the page read ({name, mimeType, base64}). */
	private file(b: Json): PhoneFile | undefined {
		if (b.sample) return sampleFile(str(b.sample));
		const f = b.file;
		if (!f || typeof f !== 'object') return undefined;
		const bytes = Buffer.from(str(f.base64, MAX_BODY * 2), 'base64');
		if (!bytes.length) throw new SandboxError('the file is empty');
		return { name: str(f.name, 200).replace(/[/\\]/g, '_') || 'file', mimeType: str(f.mimeType, 100) || 'application/octet-stream', bytes };
	}

	private readBody(req: http.IncomingMessage): Promise<Buffer> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			let size = 0;
			req.on('data', (c: Buffer) => {
				size += c.length;
				if (size > MAX_BODY) {
					reject(new SandboxError('the request is too large'));
					req.destroy();
				} else chunks.push(c);
			});
			req.on('end', () => resolve(Buffer.concat(chunks)));
			req.on('error', reject);
		});
	}
	private async readJson(req: http.IncomingMessage): Promise<Json> {
		const raw = await this.readBody(req);
		if (!raw.length) return {};
		try {
			const v = JSON.parse(raw.toString('utf8'));
			if (v && typeof v === 'object' && !Array.isArray(v)) return v;
		} catch {
			// answered below
		}
		throw new SandboxError('the body must be a JSON object');
	}

	private json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
		if (res.headersSent) return void res.end();
		res.writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
		res.end(JSON.stringify(body));
	}
	private bytes(res: http.ServerResponse, bytes: Buffer, type: string): void {
		res.writeHead(200, { 'content-type': type, 'content-length': String(bytes.length), 'cache-control': 'no-store' });
		res.end(bytes);
	}
	private fail(res: http.ServerResponse, e: unknown): void {
		const err = e as Error;
		this.json(res, err instanceof SandboxError ? 400 : 500, { error: err.message || String(err) });
	}
}
