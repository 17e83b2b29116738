// Fetching a file a provider points at (GREEN-API: the webhook's downloadUrl; Cloud API: the URL the
// media id resolves to), refusing more than maxBytes.

import { DownloadResult } from '../../core/ports/provider';
import { HttpClient, HttpResponse } from '../../core/ports/http';
import { header, nonEmpty } from './json';
import { isTimeout, oneLine, permanent, retryable, scrub } from './results';

export interface FetchOptions {
	maxBytes: number;
	timeoutMs: number;
	/** Credentials the download needs (Cloud API: the bearer token). */
	headers?: Record<string, string>;
	/** Removed from every reason besides the URL (storage links can be bearer credentials). */
	secrets?: string[];
	/** Bytes per ranged request (MEDIA_CHUNK_BYTES). */
	chunkBytes?: number;
}

/**
 * Bytes per ranged request. Every response crosses the engine's IPC as one message, and the engine's decoder copies
 * what has arrived so far on every pipe read (a cost that grows with the square of the message): 1 MB pieces keep
 * each crossing short and its garbage small (a 16 MB file: 323 MB peak against 392 MB with 4 MB pieces), and the app holds one buffer of the file's size, nothing else.
 */
export const MEDIA_CHUNK_BYTES = 1024 * 1024;

/**
 * GET `url` as bytes, in ranged pieces (`Range: bytes=a-b`, as WhatsApp's and GREEN-API's storage serve them) written
 * into one buffer of the file's size; a server that ignores Range answers the whole file at once, which is taken as
 * is. Too large by Content-Range/Content-Length first, then by what actually arrived. 404/410 = gone for good;
 * 408/429/5xx/timeouts/network = try again later. Reasons never contain the URL or the secrets.
 */
export async function fetchMedia(http: HttpClient, url: string, o: FetchOptions): Promise<DownloadResult> {
	if (!url || !/^https?:\/\//i.test(url)) return permanent('media_invalid_url', 'invalid media URL');
	const chunk = Math.max(1, o.chunkBytes ?? MEDIA_CHUNK_BYTES);
	const first = await getRange(http, url, o, 0, chunk - 1);
	if (!first.ok) return first.failure;
	const res = first.res;
	const mime = nonEmpty(header(res.headers, 'content-type')?.split(';')[0]);
	const done = (bytes: Buffer): DownloadResult => {
		const result: DownloadResult = { ok: true, bytes };
		// Parameters (`; codecs=opus`) are dropped: consumers match on the bare media type.
		if (mime) result.mimeType = mime.toLowerCase();
		return result;
	};
	if (res.status === 416) return permanent('media_empty', 'media file is empty');
	const body = toBuffer(res.body);
	if (res.status !== 206) {
		// The whole file in one answer (no Range support, or a file of one piece).
		const declared = Number(header(res.headers, 'content-length'));
		if (Number.isFinite(declared) && declared > o.maxBytes) return tooLarge(declared, o.maxBytes);
		if (!body) return permanent('media_no_body', 'media download returned no binary body');
		if (body.length > o.maxBytes) return tooLarge(body.length, o.maxBytes);
		if (body.length === 0) return permanent('media_empty', 'media file is empty');
		return done(body);
	}
	const range = contentRange(res.headers);
	if (!range || range.start !== 0 || !body || body.length !== range.end + 1) return retryable('media_failed', 'media download failed (a ranged answer that does not add up)');
	if (range.total > o.maxBytes) return tooLarge(range.total, o.maxBytes);
	if (range.total === 0) return permanent('media_empty', 'media file is empty');
	if (body.length === range.total) return done(body);
	const file = Buffer.allocUnsafe(range.total);
	let filled = body.copy(file, 0);
	while (filled < range.total) {
		const next = await getRange(http, url, o, filled, Math.min(range.total, filled + chunk) - 1);
		if (!next.ok) return next.failure;
		const part = toBuffer(next.res.body);
		const r = contentRange(next.res.headers);
		// The file changed under us (another total) or the server answered something else: start again later.
		if (next.res.status !== 206 || !part || !r || r.start !== filled || r.total !== range.total || part.length !== r.end - r.start + 1) {
			return retryable('media_failed', 'media download failed (the ranged answers do not add up)');
		}
		filled += part.copy(file, filled);
	}
	return done(file);
}

type RangeAnswer = { ok: true; res: HttpResponse } | { ok: false; failure: DownloadResult };

async function getRange(http: HttpClient, url: string, o: FetchOptions, start: number, end: number): Promise<RangeAnswer> {
	let res: HttpResponse;
	try {
		res = await http.request({ method: 'GET', url, binary: true, timeoutMs: o.timeoutMs, headers: { ...(o.headers || {}), Range: `bytes=${start}-${end}` } });
	} catch (e) {
		const detail = isTimeout(e) ? 'timed out' : oneLine(scrub(e instanceof Error ? e.message : String(e), [url, ...(o.secrets || [])]));
		return { ok: false, failure: retryable('media_network', `media download failed: ${detail}`) };
	}
	const s = res.status;
	if (s === 404 || s === 410) return { ok: false, failure: permanent('media_gone', `media no longer available (HTTP ${s})`, { status: s }) };
	if (s === 408 || s === 429 || s >= 500) return { ok: false, failure: retryable('media_failed', `media download failed (HTTP ${s})`, { status: s }) };
	if (s === 416 && start === 0) return { ok: true, res };
	if (s < 200 || s >= 300) return { ok: false, failure: permanent('media_refused', `media download refused (HTTP ${s})`, { status: s }) };
	return { ok: true, res };
}

/** `Content-Range: bytes <start>-<end>/<total>` (a `*` total is of no use here). */
function contentRange(headers: Record<string, string>): { start: number; end: number; total: number } | undefined {
	const m = /^bytes\s+(\d+)-(\d+)\/(\d+)$/i.exec((header(headers, 'content-range') || '').trim());
	if (!m) return undefined;
	const [start, end, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
	return start <= end && end < total && Number.isSafeInteger(total) ? { start, end, total } : undefined;
}

function tooLarge(size: number, max: number): DownloadResult {
	return permanent('media_too_large', `media too large (${size} bytes, limit ${max})`, { size, max });
}

/** A string body means the adapter decoded bytes as text: refuse rather than store corrupt files. */
function toBuffer(body: unknown): Buffer | undefined {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	return undefined;
}
