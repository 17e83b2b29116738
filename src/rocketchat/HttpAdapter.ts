import { IHttp, IHttpRequest } from '@rocket.chat/apps-engine/definition/accessors';
import { HttpClient, HttpRequest, HttpResponse } from '../core/ports/http';
import { bytesOf } from './boundary';

/** Adapts Rocket.Chat's IHttp (rules in apps-engine.md §4) to the providers' HttpClient. */
export class HttpAdapter implements HttpClient {
	constructor(private readonly http: IHttp) {}

	public async request(req: HttpRequest): Promise<HttpResponse> {
		const options: IHttpRequest = { headers: { ...(req.headers || {}) }, timeout: req.timeoutMs };
		if (req.json !== undefined) {
			options.content = JSON.stringify(req.json);
			options.headers!['Content-Type'] = 'application/json';
		} else if (req.body !== undefined) {
			// A Buffer content is sent as raw bytes by RC's HTTP bridge (typed string, hence the cast).
			options.content = req.body as unknown as string;
		}
		if (req.binary) options.encoding = null;
		const call = req.method === 'GET' ? this.http.get : req.method === 'DELETE' ? this.http.del : this.http.post;
		const res = await call.call(this.http, req.url, options);
		const headers: Record<string, string> = {};
		for (const [k, v] of Object.entries(res.headers || {})) headers[k.toLowerCase()] = String(v);
		let json: unknown = res.data;
		if (json === undefined || json === null) {
			if (!req.binary && typeof res.content === 'string' && /json/.test(headers['content-type'] || '')) {
				try {
					json = JSON.parse(res.content);
				} catch {
					json = undefined;
				}
			}
		}
		const body = req.binary && res.content !== undefined ? toBuffer(res.content as unknown) : res.content;
		return { status: res.statusCode, headers, body, json: json ?? undefined };
	}
}

/** A binary response's content: bytes in whatever form they crossed the boundary; a string is the bridge's
 *  byte-per-character ('binary') text. */
function toBuffer(content: unknown): Buffer {
	return bytesOf(content) ?? Buffer.from(String(content), 'binary');
}
