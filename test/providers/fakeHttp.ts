// Recording HttpClient fake: answers queued responses in order (or via a handler) and keeps every request.

import { HttpClient, HttpRequest, HttpResponse } from '../../src/core/ports/http';

export type FakeAnswer = HttpResponse | Error | ((req: HttpRequest) => HttpResponse | Error);

export class FakeHttp implements HttpClient {
	readonly requests: HttpRequest[] = [];
	private readonly queue: FakeAnswer[] = [];

	constructor(private readonly fallback?: (req: HttpRequest) => HttpResponse | Error) {}

	/** Queue answers for the next requests, in order. */
	reply(...answers: FakeAnswer[]): this {
		this.queue.push(...answers);
		return this;
	}

	async request(req: HttpRequest): Promise<HttpResponse> {
		this.requests.push(req);
		let a: FakeAnswer | undefined = this.queue.shift() ?? this.fallback;
		if (!a) throw new Error(`FakeHttp: no answer queued for ${req.method} ${req.url}`);
		if (typeof a === 'function') a = a(req);
		if (a instanceof Error) throw a;
		return a;
	}

	get last(): HttpRequest {
		return this.requests[this.requests.length - 1];
	}
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
	return { status, headers: { 'content-type': 'application/json', ...headers }, json: body, body: JSON.stringify(body) };
}

export function text(status: number, body: string, headers: Record<string, string> = {}): HttpResponse {
	return { status, headers: { 'content-type': 'text/plain', ...headers }, body };
}

export function bytes(status: number, data: Buffer, headers: Record<string, string> = {}): HttpResponse {
	return { status, headers: { 'content-length': String(data.length), ...headers }, body: data };
}
