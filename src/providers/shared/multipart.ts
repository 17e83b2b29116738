// Hand-built multipart/form-data (RFC 7578): the sandbox has no FormData and no npm packages.

import { randomBytes } from 'crypto';

export interface MultipartText {
	name: string;
	value: string;
}

export interface MultipartFile {
	name: string;
	fileName: string;
	contentType: string;
	data: Buffer;
}

export type MultipartPart = MultipartText | MultipartFile;

export interface MultipartBody {
	body: Buffer;
	/** Value for the Content-Type header, boundary included. */
	contentType: string;
	boundary: string;
}

const CRLF = '\r\n';

export function randomBoundary(): string {
	return `----GreenApiBridge${randomBytes(16).toString('hex')}`;
}

export function buildMultipart(parts: MultipartPart[], boundary?: string): MultipartBody {
	let b = boundary ?? randomBoundary();
	// A random boundary colliding with file bytes is astronomically unlikely, but cheap to rule out.
	if (boundary === undefined) while (parts.some((p) => 'data' in p && p.data.includes(b))) b = randomBoundary();

	const chunks: Buffer[] = [];
	for (const p of parts) {
		let head = `--${b}${CRLF}Content-Disposition: form-data; name="${escapeQuoted(p.name)}"`;
		if ('data' in p) {
			head += `; filename="${escapeQuoted(p.fileName)}"${CRLF}Content-Type: ${headerValue(p.contentType) || 'application/octet-stream'}`;
		}
		chunks.push(Buffer.from(`${head}${CRLF}${CRLF}`, 'utf8'));
		chunks.push('data' in p ? p.data : Buffer.from(p.value, 'utf8'));
		chunks.push(Buffer.from(CRLF, 'utf8'));
	}
	chunks.push(Buffer.from(`--${b}--${CRLF}`, 'utf8'));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${b}`, boundary: b };
}

/** WHATWG form encoding: names and filenames are sent as UTF-8 with `"`, CR and LF percent-escaped. */
function escapeQuoted(s: string): string {
	return s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A header value must not smuggle a line break. */
function headerValue(s: string): string {
	return s.replace(/[\r\n]+/g, ' ').trim();
}
