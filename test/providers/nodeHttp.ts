// The providers' HttpClient over Node's http module (loopback fakes only), for tests that drive an
// adapter against a fake server without the engine.
import * as http from 'http';
import { HttpClient, HttpRequest, HttpResponse } from '../../src/core/ports/http';

export class NodeHttp implements HttpClient {
	async request(req: HttpRequest): Promise<HttpResponse> {
		const url = new URL(req.url);
		if (url.hostname !== '127.0.0.1') throw new Error(`NodeHttp: only loopback, not ${url.hostname}`);
		const headers: Record<string, string> = { ...(req.headers || {}) };
		let body: Buffer | undefined;
		if (req.json !== undefined) {
			body = Buffer.from(JSON.stringify(req.json));
			headers['Content-Type'] = 'application/json';
		} else if (req.body !== undefined) body = Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body);
		if (body) headers['Content-Length'] = String(body.length);
		return new Promise((resolve, reject) => {
			const r = http.request(url, { method: req.method, headers, agent: false, timeout: req.timeoutMs ?? 10_000 }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const bytes = Buffer.concat(chunks);
					const h: Record<string, string> = {};
					for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
					const out: HttpResponse = { status: res.statusCode ?? 0, headers: h, body: req.binary ? bytes : bytes.toString('utf8') };
					if (!req.binary && /json/.test(h['content-type'] || '')) {
						try {
							out.json = JSON.parse(bytes.toString('utf8'));
						} catch {
							/* not JSON after all */
						}
					}
					resolve(out);
				});
			});
			r.on('timeout', () => r.destroy(new Error('ETIMEDOUT: timed out')));
			r.on('error', reject);
			r.end(body);
		});
	}
}
