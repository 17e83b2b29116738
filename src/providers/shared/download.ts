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
}

/**
 * GET `url` as bytes: by Content-Length first, then by what actually arrived. 404/410 = gone for good;
 * 408/429/5xx/timeouts/network = try again later. Reasons never contain the URL or the secrets.
 */
export async function fetchMedia(http: HttpClient, url: string, o: FetchOptions): Promise<DownloadResult> {
	if (!url || !/^https?:\/\//i.test(url)) return permanent('media_invalid_url', 'invalid media URL');
	let res: HttpResponse;
	try {
		res = await http.request({ method: 'GET', url, binary: true, timeoutMs: o.timeoutMs, ...(o.headers && { headers: o.headers }) });
	} catch (e) {
		const detail = isTimeout(e) ? 'timed out' : oneLine(scrub(e instanceof Error ? e.message : String(e), [url, ...(o.secrets || [])]));
		return retryable('media_network', `media download failed: ${detail}`);
	}
	const s = res.status;
	if (s === 404 || s === 410) return permanent('media_gone', `media no longer available (HTTP ${s})`, { status: s });
	if (s === 408 || s === 429 || s >= 500) return retryable('media_failed', `media download failed (HTTP ${s})`, { status: s });
	if (s < 200 || s >= 300) return permanent('media_refused', `media download refused (HTTP ${s})`, { status: s });

	const declared = Number(header(res.headers, 'content-length'));
	if (Number.isFinite(declared) && declared > o.maxBytes) return tooLarge(declared, o.maxBytes);
	const bytes = toBuffer(res.body);
	if (!bytes) return permanent('media_no_body', 'media download returned no binary body');
	if (bytes.length > o.maxBytes) return tooLarge(bytes.length, o.maxBytes);
	if (bytes.length === 0) return permanent('media_empty', 'media file is empty');

	const result: DownloadResult = { ok: true, bytes };
	// Parameters (`; codecs=opus`) are dropped: consumers match on the bare media type.
	const mime = nonEmpty(header(res.headers, 'content-type')?.split(';')[0]);
	if (mime) result.mimeType = mime.toLowerCase();
	return result;
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
