// The transport providers use (a core port). The Rocket.Chat side adapts IHttp to it; unit tests fake it.
// Keeps provider code free of Rocket.Chat types.

export interface HttpRequest {
	method: 'GET' | 'POST' | 'DELETE';
	url: string;
	headers?: Record<string, string>;
	/** JSON-serialisable object (sent as application/json), a string, or raw bytes. */
	json?: unknown;
	body?: string | Buffer;
	timeoutMs?: number;
	/** Return the body as bytes (media downloads). */
	binary?: boolean;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string>;
	/** Text body, or bytes when `binary` was asked. */
	body?: string | Buffer;
	/** Parsed JSON when the response was JSON. */
	json?: unknown;
}

export interface HttpClient {
	/** Resolves for every HTTP status; rejects only on network errors and timeouts. */
	request(req: HttpRequest): Promise<HttpResponse>;
}
