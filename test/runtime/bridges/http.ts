// HttpBridge: real HTTP(S) with Node's http module, loopback only, with the IHttp semantics of RC's bridge.
import * as http from 'http';
import * as https from 'https';
import { HttpBridge } from '@rocket.chat/apps-engine/server/bridges/HttpBridge';
import { RcState } from '../state';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export class TestHttpBridge extends HttpBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	public async call(info: { appId: string; method: string; url: string; request: any }): Promise<any> {
		const req = info.request ?? {};
		const method = String(info.method).toUpperCase();
		const url = new URL(info.url);
		if (!LOOPBACK.has(url.hostname)) {
			// Recorded like any other attempt: what the app tried to reach is what tests assert on.
			const error = `HTTP to non-loopback host refused by the test runtime: ${url.hostname}`;
			this.rc.effect('http.request', { method, url: url.href, error, refused: true, ms: 0 });
			throw new Error(error);
		}
		if (req.query) url.search = url.search ? `${url.search}&${req.query}` : `?${req.query}`;
		const headers: Record<string, string> = { ...(req.headers ?? {}) };
		const has = (h: string) => Object.keys(headers).some((k) => k.toLowerCase() === h);
		let body: Buffer | string | undefined;
		const params = req.params && Object.keys(req.params).length ? req.params : undefined;
		if (params && (req.content !== undefined || method === 'GET' || method === 'HEAD')) {
			for (const [k, v] of Object.entries(params)) url.searchParams.append(k, String(v));
		}
		if (method !== 'GET' && method !== 'HEAD') {
			if (req.content !== undefined && req.content !== null) body = Buffer.isBuffer(req.content) || req.content instanceof Uint8Array ? Buffer.from(req.content) : String(req.content);
			else if (req.data !== undefined) {
				body = JSON.stringify(req.data);
				for (const k of Object.keys(headers)) if (k.toLowerCase() === 'content-type') delete headers[k];
				headers['Content-Type'] = 'application/json';
			} else if (params) {
				body = new URLSearchParams(params).toString();
				if (!has('content-type')) headers['Content-Type'] = 'application/x-www-form-urlencoded';
			}
		}
		if (req.auth && !has('authorization')) headers.Authorization = `Basic ${Buffer.from(req.auth).toString('base64')}`;
		if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
		const started = Date.now();
		const timeout = req.timeout || 180000;
		const res = await new Promise<{ status: number; headers: Record<string, string>; bytes: Buffer }>((resolve, reject) => {
			const r = (url.protocol === 'https:' ? https : http).request(url, { method, headers, timeout, rejectUnauthorized: false }, (resp) => {
				const chunks: Buffer[] = [];
				resp.on('data', (c: Buffer) => chunks.push(c));
				resp.on('error', reject);
				resp.on('end', () => {
					const h: Record<string, string> = {};
					for (const [k, v] of Object.entries(resp.headers)) if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
					resolve({ status: resp.statusCode ?? 0, headers: h, bytes: Buffer.concat(chunks) });
				});
			});
			r.on('timeout', () => r.destroy(new Error(`ETIMEDOUT: request to ${url.href} timed out after ${timeout} ms`)));
			r.on('error', reject);
			r.end(body);
		}).catch((e) => {
			this.rc.effect('http.request', { method, url: url.href, error: e.message, ms: Date.now() - started });
			throw e;
		});
		this.rc.effect('http.request', { method, url: url.href, status: res.status, ms: Date.now() - started });
		const out: any = { url: info.url, method: info.method, statusCode: res.status, headers: res.headers };
		if (req.encoding === null) out.content = res.bytes;
		else {
			out.content = res.bytes.toString(req.encoding || 'utf8');
			if (/json|javascript/.test(res.headers['content-type'] ?? '')) {
				try {
					out.data = JSON.parse(out.content);
				} catch {
					/* RC leaves data unset when the body is not valid JSON */
				}
			}
		}
		return out;
	}
}
