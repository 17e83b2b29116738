// The machinery every fake WhatsApp provider shares (Node built-ins only): HTTP servers on 127.0.0.1,
// request recording, injected failures (failNext / failWhile / setFailureMode), sliding-second rate
// windows, a file host (serveFile / serveMissing / serveSlow, downloads) and waitFor.
//
// A provider fake (FakeGreenApi, FakeGraphApi, FakeDialog360) extends it with its method table: it turns
// an arriving request into a record (`R`) and decides, in `route`, either an immediate answer (404, 401…)
// or a Route — then the pipeline here applies, in this order:
//   record → route (immediate answer) → rate limit → injected failure → handler → late failure.
// Every request is appended to `requests` before anything else, with the answered status filled in later.

import * as http from 'http';
import type { AddressInfo, Socket } from 'net';
import { multipartBoundary, parseMultipart } from './multipart';

// ───────────────────────────── public types ─────────────────────────────

export interface RecordedRequestBase {
	/** 1-based arrival number across all hosts. */
	seq: number;
	host: string;
	/** The provider's name for what was called ('' when the path names nothing). */
	method: string;
	httpMethod: string;
	/** URL pathname. */
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	/**
	 * Parsed leniently for inspection: parsed JSON when the Content-Type is JSON and the body parses,
	 * MultipartPart[] for a parsable multipart body, otherwise the raw Buffer; undefined for an empty body.
	 */
	body: unknown;
	bodyKind: 'json' | 'multipart' | 'raw' | 'none';
	rawBody: Buffer;
	/** Date.now() at arrival (after the body was read). */
	at: number;
	/** HTTP status answered; undefined while pending, for hung ('timeout') and reset requests. */
	status?: number;
	/** Body answered (parsed JSON or text). */
	response?: unknown;
	respondedAt?: number;
	/** Set when a failure rule (failNext/failWhile/setFailureMode) or the rate limiter decided the answer. */
	outcome?: 'ok' | 'error' | 'rateLimited' | 'injected' | 'timeout' | 'reset';
}

export interface FailureSpec {
	/** Status to answer. Omit (with action 'respond') to only delay and then process normally. */
	status?: number;
	/** String → text/plain, anything else → JSON. Default: a short text for the status. */
	body?: unknown;
	headers?: Record<string, string>;
	/** Wait this long before failing (or before normal processing when no status). */
	delayMs?: number;
	/** Adds `Retry-After: <n>`. */
	retryAfterSec?: number;
	/** 'timeout' = never answer (until the client gives up or stop()); 'reset' = destroy the connection. Default 'respond'. */
	action?: 'respond' | 'timeout' | 'reset';
	/**
	 * Run the request for real first (its effects happen, ids are consumed) and only then fail the
	 * answer — the "accepted but the ack was lost" case that produces duplicates on retry.
	 */
	processAnyway?: boolean;
}

export type Failure = FailureSpec | 'timeout' | 'reset';
export type FailureMode<R> = (req: R) => Failure | undefined | null | void;

export interface ServeOptions {
	/** Delay before the headers are sent. */
	delayMs?: number;
	/** Send the body in chunks of this size with chunkDelayMs between them (slow download). */
	chunkSize?: number;
	chunkDelayMs?: number;
	/** Never answer. */
	hang?: boolean;
	/** Destroy the connection after this many body bytes (0 = before the headers). */
	resetAfterBytes?: number;
	/** Answer this status instead of 200 (body: the bytes). */
	status?: number;
	/** Use chunked encoding without Content-Length. */
	omitContentLength?: boolean;
	headers?: Record<string, string>;
	/** Answer every GET with the whole file (200), as a server without Range support does. */
	ignoreRange?: boolean;
}

export interface FileDownload {
	name: string;
	httpMethod: string;
	status?: number;
	headers: http.IncomingHttpHeaders;
	at: number;
}

/** An answer: text (text/plain), JSON, or nothing. */
export interface Reply {
	status: number;
	json?: unknown;
	text?: string;
	headers?: Record<string, string>;
}

/** What `route` decides for a request that gets past its immediate checks. */
export interface Route {
	/** Counted in the sliding-second window of (instance, method); over `limit` → `reply`. */
	rate?: { instance: string; method: string; limit: number; reply: Reply };
	/** Runs after the rate limit and injected failures. Errors become a 500. */
	handle(): Reply | Promise<Reply>;
}

export interface StoredFile {
	bytes: Buffer;
	mimeType: string;
	missing?: boolean;
	opts: ServeOptions;
}

export const ok = (json: unknown): Reply => ({ status: 200, json });

export function mimeOf(header: string | undefined): string {
	return (header ?? '').split(';')[0].trim().toLowerCase();
}

export function isObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const STATUS_TEXT: Record<number, string> = {
	400: 'Bad Request',
	401: 'Unauthorized',
	403: 'Forbidden',
	404: 'Not Found',
	405: 'Method Not Allowed',
	429: 'Too Many Requests',
	499: 'Client Closed Request',
	500: 'Internal Server Error',
	502: 'Bad Gateway',
	503: 'Service Unavailable',
};

// ───────────────────────────── internals ─────────────────────────────

interface RateWindow {
	accepted: number[];
	attempts: number[];
}

type FailRule = { method: string; instance?: string; remaining: number; failure: Failure };
type WhileRule<R> = { predicate: (req: R) => boolean; failure: Failure };

export interface IncomingSpec<R extends RecordedRequestBase> {
	/** Largest body kept (bytes beyond are drained; the route sees `truncated`). */
	bodyLimit(url: URL): number;
	/** The provider's fields of the record, from the URL. */
	record(url: URL, base: RecordedRequestBase): R;
	route(rec: R, truncated: boolean, req: http.IncomingMessage): Reply | Route | Promise<Reply | Route>;
}

// ───────────────────────────── the server ─────────────────────────────

export abstract class FakeProviderServer<R extends RecordedRequestBase> {
	/** Base URL of the file host; files are at `{filesUrl}/files/<name>`. */
	filesUrl = '';

	/** Every API request, in arrival order. */
	readonly requests: R[] = [];
	/** Every GET/HEAD on the file host (and provider media downloads served through serveStored). */
	readonly downloads: FileDownload[] = [];

	/** failWhile's default. */
	protected defaultFailure: Failure = { status: 500, body: 'Internal Server Error' };
	/** Default bodies of injected failures without one. */
	protected readonly statusTexts: Record<number, string> = { ...STATUS_TEXT };

	protected stopped = false;
	protected readonly files = new Map<string, StoredFile>();
	private servers: http.Server[] = [];
	private sockets = new Set<Socket>();
	private timers = new Set<NodeJS.Timeout>();
	private waiters = new Set<() => void>();
	private windows = new Map<string, RateWindow>();
	private maxRates = new Map<string, number>();
	private failRules: FailRule[] = [];
	private whileRules: WhileRule<R>[] = [];
	private failureMode: FailureMode<R> | undefined;
	private seq = 0;

	/** The provider's name in messages ('FakeGreenApi'). */
	protected abstract readonly label: string;
	/** The instance a record speaks for (failNext's instance filter). */
	protected abstract instanceOf(rec: R): string;

	/** Closes the servers, destroys every connection (hung requests included) and clears all timers. Idempotent. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		const closes = this.servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
		for (const s of this.sockets) s.destroy();
		this.sockets.clear();
		for (const w of [...this.waiters]) w();
		await Promise.all(closes);
	}

	// ───────── rate limits ─────────

	/** Highest attempts-per-1000ms seen for one instance+method (any method; all instances when instance omitted). */
	maxObservedRate(method: string, instance?: string): number {
		let max = 0;
		for (const [key, v] of this.maxRates) {
			const [id, m] = key.split('\u0000');
			if (m === method && (instance === undefined || id === instance)) max = Math.max(max, v);
		}
		return max;
	}

	// ───────── failure injection ─────────

	/** Every request matching `predicate` fails until the returned function is called. */
	failWhile(predicate: (req: R) => boolean, failure: Failure = this.defaultFailure): () => void {
		const rule: WhileRule<R> = { predicate, failure };
		this.whileRules.push(rule);
		return () => {
			this.whileRules = this.whileRules.filter((r) => r !== rule);
		};
	}

	/** Arbitrary per-request decision (checked before failWhile and failNext); undefined to clear. */
	setFailureMode(fn: FailureMode<R> | undefined): void {
		this.failureMode = fn;
	}

	clearFailures(): void {
		this.failRules = [];
		this.whileRules = [];
		this.failureMode = undefined;
	}

	/** The next `count` requests to `method` ('*' = any), of `instance` when given, fail as described. */
	protected addFailRule(method: string, count: number, failure: Failure, instance?: string): void {
		this.failRules.push({ method, instance, remaining: count, failure });
	}

	// ───────── file host ─────────

	/** Serves bytes at `{filesUrl}/files/<name>` with Content-Type/Content-Length; returns the URL. */
	serveFile(name: string, bytes: Buffer | Uint8Array | string, mimeType: string, opts: ServeOptions = {}): string {
		this.files.set(name, { bytes: Buffer.from(bytes as Buffer), mimeType, opts });
		return this.fileUrl(name);
	}

	/** A URL that answers 404. */
	serveMissing(name: string): string {
		this.files.set(name, { bytes: Buffer.alloc(0), mimeType: 'text/plain', missing: true, opts: {} });
		return this.fileUrl(name);
	}

	/** serveFile with a delay before the headers and, optionally, a trickled body. */
	serveSlow(name: string, bytes: Buffer | Uint8Array | string, mimeType: string, delayMs: number, trickle?: { chunkSize: number; chunkDelayMs: number }): string {
		return this.serveFile(name, bytes, mimeType, { delayMs, chunkSize: trickle?.chunkSize, chunkDelayMs: trickle?.chunkDelayMs });
	}

	fileUrl(name: string): string {
		return `${this.filesUrl}/files/${encodeURIComponent(name)}`;
	}

	/** Successful (2xx) GET downloads of a file. */
	downloadCount(name: string): number {
		return this.downloads.filter((d) => d.name === name && d.httpMethod === 'GET' && d.status !== undefined && d.status < 300).length;
	}

	/** Bytes stored for a served or uploaded file. */
	fileBytes(name: string): Buffer | undefined {
		return this.files.get(name)?.bytes;
	}

	// ───────── waiting ─────────

	/** Resolves once `cond()` holds (re-checked on every request event and every 10 ms); rejects after timeoutMs or on stop(). */
	waitFor(cond: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
		if (cond()) return Promise.resolve();
		return new Promise<void>((resolve, reject) => {
			const check = (): void => {
				if (this.stopped) return done(new Error(`${this.label} stopped while waiting for ${what}`));
				if (cond()) done();
			};
			const timer = setTimeout(() => done(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
			// conditions may also change without traffic (timers, test code): poll as well
			const poll = setInterval(check, 10);
			const done = (err?: Error): void => {
				clearTimeout(timer);
				clearInterval(poll);
				this.waiters.delete(check);
				if (err) reject(err);
				else resolve();
			};
			this.waiters.add(check);
		});
	}

	/** Forgets requests, downloads, failures and rate windows (subclasses add their own state). */
	protected resetRecords(): void {
		this.requests.length = 0;
		this.downloads.length = 0;
		this.clearFailures();
		this.windows.clear();
		this.maxRates.clear();
	}

	// ───────────────────────────── plumbing ─────────────────────────────

	/** A server on 127.0.0.1 with a random port; returns the port. */
	protected listen(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<number> {
		const server = http.createServer(handler);
		server.on('connection', (s: Socket) => {
			if (this.stopped) {
				s.destroy();
				return;
			}
			this.sockets.add(s);
			s.on('close', () => this.sockets.delete(s));
		});
		server.on('clientError', (_err, socket) => socket.destroy());
		this.servers.push(server);
		return new Promise((resolve, reject) => {
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
		});
	}

	/** Starts the file host (`filesUrl`). */
	protected async listenFiles(): Promise<void> {
		const port = await this.listen((req, res) => this.handleFile(req, res));
		this.filesUrl = `http://127.0.0.1:${port}`;
	}

	protected sleep(ms: number): Promise<void> {
		// After stop() no timer may be left behind; callers check `stopped` after sleeping.
		if (ms <= 0 || this.stopped) return Promise.resolve();
		return new Promise((resolve) => {
			const t = setTimeout(() => {
				this.timers.delete(t);
				resolve();
			}, ms);
			this.timers.add(t);
		});
	}

	protected notify(): void {
		for (const w of [...this.waiters]) w();
	}

	/** Called with every attempt's count within the last second (after it was counted). */
	protected observedRate(_instance: string, _method: string, _observed: number): void {
		// subclasses may keep their own maxima
	}

	/** Reads the whole body; bytes beyond `limit` are drained but not kept (`truncated`). */
	private readBody(req: http.IncomingMessage, limit: number): Promise<{ body: Buffer; truncated: boolean }> {
		return new Promise((resolve, reject) => {
			const chunks: Buffer[] = [];
			let size = 0;
			let truncated = false;
			req.on('data', (c: Buffer) => {
				if (truncated) return;
				size += c.length;
				if (size > limit) {
					truncated = true;
					chunks.length = 0;
					return;
				}
				chunks.push(c);
			});
			req.on('end', () => resolve({ body: Buffer.concat(chunks), truncated }));
			req.on('error', reject);
			req.on('aborted', () => reject(new Error('aborted')));
		});
	}

	protected send(res: http.ServerResponse, rec: R | undefined, reply: Reply, outcome: RecordedRequestBase['outcome']): void {
		if (res.writableEnded || res.destroyed) return;
		let payload: Buffer;
		const headers: Record<string, string> = { ...(reply.headers ?? {}) };
		let response: unknown;
		if (reply.text !== undefined) {
			payload = Buffer.from(reply.text, 'utf8');
			headers['Content-Type'] = headers['Content-Type'] ?? 'text/plain; charset=utf-8';
			response = reply.text;
		} else if (reply.json !== undefined) {
			payload = Buffer.from(JSON.stringify(reply.json), 'utf8');
			headers['Content-Type'] = headers['Content-Type'] ?? 'application/json';
			response = reply.json;
		} else {
			payload = Buffer.alloc(0);
		}
		headers['Content-Length'] = String(payload.length);
		try {
			res.writeHead(reply.status, headers);
			res.end(payload);
		} catch {
			/* socket gone */
		}
		if (rec) {
			rec.status = reply.status;
			rec.response = response;
			rec.respondedAt = Date.now();
			rec.outcome = outcome;
		}
		this.notify();
	}

	private failureReply(spec: FailureSpec): Reply {
		const status = spec.status ?? 500;
		const headers: Record<string, string> = { ...(spec.headers ?? {}) };
		if (spec.retryAfterSec !== undefined) headers['Retry-After'] = String(spec.retryAfterSec);
		const body = spec.body === undefined ? this.statusTexts[status] ?? `Error ${status}` : spec.body;
		return typeof body === 'string' ? { status, text: body, headers } : { status, json: body, headers };
	}

	private pickFailure(rec: R): Failure | undefined {
		if (this.failureMode) {
			const f = this.failureMode(rec);
			if (f) return f;
		}
		for (const r of this.whileRules) if (r.predicate(rec)) return r.failure;
		const idx = this.failRules.findIndex(
			(r) => r.remaining > 0 && (r.method === '*' || r.method === rec.method) && (r.instance === undefined || r.instance === this.instanceOf(rec)),
		);
		if (idx >= 0) {
			const r = this.failRules[idx];
			r.remaining--;
			if (r.remaining <= 0) this.failRules.splice(idx, 1);
			return r.failure;
		}
		return undefined;
	}

	private checkRate(instance: string, method: string, limit: number): boolean {
		const key = instance + '\u0000' + method;
		const now = Date.now();
		let w = this.windows.get(key);
		if (!w) {
			w = { accepted: [], attempts: [] };
			this.windows.set(key, w);
		}
		while (w.accepted.length && w.accepted[0] <= now - 1000) w.accepted.shift();
		while (w.attempts.length && w.attempts[0] <= now - 1000) w.attempts.shift();
		w.attempts.push(now);
		const observed = w.attempts.length;
		if (observed > (this.maxRates.get(key) ?? 0)) this.maxRates.set(key, observed);
		this.observedRate(instance, method, observed);
		if (w.accepted.length >= limit) return false;
		w.accepted.push(now);
		return true;
	}

	/** The request pipeline (see the top of this file); a handler's unexpected error answers 500. */
	protected handle(host: string, spec: IncomingSpec<R>, req: http.IncomingMessage, res: http.ServerResponse): void {
		this.process(host, spec, req, res).catch(() => {
			if (!res.headersSent && !res.destroyed) this.send(res, undefined, { status: 500, text: 'fake internal error' }, 'error');
		});
	}

	private async process(host: string, spec: IncomingSpec<R>, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const url = new URL(req.url ?? '/', 'http://fake.local');
		let body: Buffer;
		let truncated: boolean;
		try {
			({ body, truncated } = await this.readBody(req, spec.bodyLimit(url)));
		} catch {
			return; // client went away
		}
		const query: Record<string, string> = {};
		url.searchParams.forEach((v, k) => {
			query[k] = v;
		});
		const base: RecordedRequestBase = {
			seq: ++this.seq,
			host,
			method: '',
			httpMethod: req.method ?? 'GET',
			path: url.pathname,
			query,
			headers: req.headers,
			body: undefined,
			bodyKind: 'none',
			rawBody: body,
			at: Date.now(),
		};
		const rec = spec.record(url, base);
		this.lenientParse(rec);
		this.requests.push(rec);
		this.notify();
		const reply = (r: Reply, outcome: RecordedRequestBase['outcome'] = r.status < 400 ? 'ok' : 'error'): void => this.send(res, rec, r, outcome);

		// No await unless the route needs one: a test may stop() right after seeing the request arrive.
		const routed = spec.route(rec, truncated, req);
		const route = routed instanceof Promise ? await routed : routed;
		if (!('handle' in route)) return reply(route);
		if (route.rate && !this.checkRate(route.rate.instance, route.rate.method, route.rate.limit)) return reply(route.rate.reply, 'rateLimited');

		const failure = this.pickFailure(rec);
		let lateFailure: FailureSpec | undefined;
		if (failure) {
			const f: FailureSpec = typeof failure === 'string' ? { action: failure } : failure;
			await this.sleep(f.delayMs ?? 0);
			if (this.stopped) return;
			if (f.processAnyway) lateFailure = f;
			else if (f.action === 'timeout') {
				rec.outcome = 'timeout';
				this.notify();
				return; // never answer
			} else if (f.action === 'reset') {
				rec.outcome = 'reset';
				req.socket.destroy();
				this.notify();
				return;
			} else if (f.status !== undefined) {
				return reply(this.failureReply(f), 'injected');
			}
			// no status: delay only, then normal processing
		}

		const result = await route.handle();
		if (this.stopped) return;

		if (lateFailure) {
			if (lateFailure.action === 'timeout') {
				rec.outcome = 'timeout';
				this.notify();
				return;
			}
			if (lateFailure.action === 'reset') {
				rec.outcome = 'reset';
				req.socket.destroy();
				this.notify();
				return;
			}
			if (lateFailure.status !== undefined) return reply(this.failureReply(lateFailure), 'injected');
		}
		reply(result);
	}

	private lenientParse(rec: R): void {
		if (rec.rawBody.length === 0) return;
		const ct = rec.headers['content-type'];
		const mime = mimeOf(ct);
		if (mime === 'application/json' || mime.endsWith('+json')) {
			try {
				rec.body = JSON.parse(rec.rawBody.toString('utf8'));
				rec.bodyKind = 'json';
				return;
			} catch {
				/* fall through to raw */
			}
		} else if (multipartBoundary(ct) !== undefined) {
			try {
				rec.body = parseMultipart(rec.rawBody, ct);
				rec.bodyKind = 'multipart';
				return;
			} catch {
				/* raw */
			}
		}
		rec.body = rec.rawBody;
		rec.bodyKind = 'raw';
	}

	// ───────────────────────────── file host ─────────────────────────────

	private handleFile(req: http.IncomingMessage, res: http.ServerResponse): void {
		const url = new URL(req.url ?? '/', 'http://fake.local');
		const m = /^\/files\/(.+)$/.exec(url.pathname);
		let name = '';
		try {
			name = m ? decodeURIComponent(m[1]) : '';
		} catch {
			name = '';
		}
		this.serveStored(name, req, res).catch(() => {
			if (!res.headersSent && !res.destroyed) res.destroy();
		});
	}

	/** Answers a GET/HEAD with a stored file as its ServeOptions say (404 when unknown), recorded in `downloads`. */
	protected async serveStored(name: string, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const dl: FileDownload = { name, httpMethod: req.method ?? 'GET', headers: req.headers, at: Date.now() };
		this.downloads.push(dl);
		const finish = (status: number): void => {
			dl.status = status;
			this.notify();
		};
		const file = name ? this.files.get(name) : undefined;
		if (req.method !== 'GET' && req.method !== 'HEAD') {
			res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Length': '0' });
			res.end();
			return finish(405);
		}
		if (!file || file.missing) {
			const body = Buffer.from('Not Found');
			res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Length': String(body.length) });
			res.end(req.method === 'HEAD' ? undefined : body);
			return finish(404);
		}
		const o = file.opts;
		if (o.hang) return;
		await this.sleep(o.delayMs ?? 0);
		if (this.stopped || res.destroyed) return;
		if (o.resetAfterBytes === 0) {
			req.socket.destroy();
			return;
		}
		let status = o.status ?? 200;
		const headers: Record<string, string> = { 'Content-Type': file.mimeType, 'Accept-Ranges': 'bytes', ...(o.headers ?? {}) };
		// Byte ranges as the real storage hosts serve them (RFC 9110 §14: one `bytes=a-b`, `a-` or `-n` range).
		let body = file.bytes;
		const asked = status === 200 && !o.ignoreRange ? parseRange(req.headers.range, file.bytes.length) : undefined;
		if (asked === 'unsatisfiable') {
			res.writeHead(416, { 'Content-Range': `bytes */${file.bytes.length}`, 'Content-Length': '0' });
			res.end();
			return finish(416);
		}
		if (asked) {
			status = 206;
			body = file.bytes.subarray(asked.start, asked.end + 1);
			headers['Content-Range'] = `bytes ${asked.start}-${asked.end}/${file.bytes.length}`;
		}
		if (o.ignoreRange) delete headers['Accept-Ranges'];
		if (!o.omitContentLength) headers['Content-Length'] = String(body.length);
		res.writeHead(status, headers);
		if (req.method === 'HEAD') {
			res.end();
			return finish(status);
		}
		const limit = o.resetAfterBytes ?? Infinity;
		const chunkSize = o.chunkSize && o.chunkSize > 0 ? o.chunkSize : body.length || 1;
		let sentBytes = 0;
		while (sentBytes < body.length) {
			const end = Math.min(body.length, sentBytes + chunkSize, limit);
			if (end > sentBytes) {
				res.write(body.subarray(sentBytes, end));
				sentBytes = end;
			}
			if (sentBytes >= limit) {
				await this.sleep(20); // let the partial body reach the client
				req.socket.destroy();
				return;
			}
			if (sentBytes < body.length && o.chunkDelayMs) {
				await this.sleep(o.chunkDelayMs);
				if (this.stopped || res.destroyed) return;
			}
		}
		res.end();
		finish(status);
	}
}

/** One `bytes=` range of a file of `size` bytes; undefined = no (usable) Range header, the whole file is sent. */
export function parseRange(value: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
	const m = /^bytes=(\d*)-(\d*)$/.exec((value ?? '').trim());
	if (!m || (m[1] === '' && m[2] === '')) return undefined;
	if (m[1] === '') {
		const n = Number(m[2]);
		if (n === 0 || size === 0) return 'unsatisfiable';
		return { start: Math.max(0, size - n), end: size - 1 };
	}
	const start = Number(m[1]);
	const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
	if (m[2] !== '' && Number(m[2]) < start) return undefined;
	if (start >= size) return 'unsatisfiable';
	return { start, end };
}
