// Strict multipart/form-data (RFC 7578 / RFC 2046) parser and builder for the test fakes.
// Node built-ins only. The parser is deliberately strict about framing (CRLF line breaks,
// opening and closing delimiters) so that a malformed body built by the app fails loudly.

export interface MultipartPart {
	/** `name` parameter of `Content-Disposition: form-data`. */
	name: string;
	/** `filename` (or decoded `filename*`) parameter, when present. Its presence marks a file part. */
	filename?: string;
	/** The part's own `Content-Type` header, when present. */
	contentType?: string;
	/** All part headers, names lower-cased. */
	headers: Record<string, string>;
	/** Exact bytes of the part's content. */
	data: Buffer;
	/** `data` decoded as UTF-8 (handy for plain fields). */
	value: string;
}

export class MultipartError extends Error {}

/** Extracts the boundary from a `multipart/form-data; boundary=...` Content-Type; undefined if not multipart/form-data. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
	if (!contentType) return undefined;
	const semi = contentType.indexOf(';');
	const mime = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
	if (mime !== 'multipart/form-data') return undefined;
	const params = parseParams(semi < 0 ? '' : contentType.slice(semi + 1));
	return params.boundary;
}

/** Parses `; a=b; c="d"` header parameters (keys lower-cased; RFC 5987 `key*` values decoded into `key`). */
export function parseParams(input: string): Record<string, string> {
	const out: Record<string, string> = {};
	let i = 0;
	const n = input.length;
	while (i < n) {
		while (i < n && (input[i] === ';' || input[i] === ' ' || input[i] === '\t')) i++;
		if (i >= n) break;
		let key = '';
		while (i < n && input[i] !== '=' && input[i] !== ';') key += input[i++];
		key = key.trim().toLowerCase();
		if (i >= n || input[i] === ';') {
			if (key) out[key] = '';
			continue;
		}
		i++; // '='
		while (i < n && (input[i] === ' ' || input[i] === '\t')) i++;
		let value = '';
		if (input[i] === '"') {
			i++;
			while (i < n && input[i] !== '"') {
				if (input[i] === '\\' && i + 1 < n) i++;
				value += input[i++];
			}
			i++; // closing quote
			while (i < n && input[i] !== ';') i++;
		} else {
			while (i < n && input[i] !== ';') value += input[i++];
			value = value.trim();
		}
		if (key.endsWith('*')) {
			// RFC 5987: charset'lang'pct-encoded
			const m = /^([^']*)'[^']*'(.*)$/.exec(value);
			if (m) {
				try {
					const bytes = Buffer.from(decodeURIComponent(m[2]), 'utf8');
					out[key.slice(0, -1)] = m[1].toLowerCase() === 'iso-8859-1' ? bytes.toString('latin1') : bytes.toString('utf8');
				} catch {
					out[key.slice(0, -1)] = value;
				}
				continue;
			}
		}
		// a plain `filename` never overrides an already decoded `filename*`
		if (!(key in out)) out[key] = value;
	}
	return out;
}

const CRLF = Buffer.from('\r\n');

/**
 * Parses a multipart/form-data body. Throws MultipartError with a human-readable reason on any
 * framing problem (missing boundary, LF-only line breaks, missing closing delimiter, part without
 * `Content-Disposition: form-data; name=...`).
 */
export function parseMultipart(body: Buffer, contentType: string | undefined): MultipartPart[] {
	const boundary = multipartBoundary(contentType);
	if (boundary === undefined) throw new MultipartError('Content-Type must be multipart/form-data with a boundary');
	if (boundary.length < 1 || boundary.length > 70) throw new MultipartError('multipart boundary must be 1..70 characters');
	const delim = Buffer.from('--' + boundary, 'latin1');
	const crlfDelim = Buffer.concat([CRLF, delim]);

	let pos: number;
	if (body.subarray(0, delim.length).equals(delim)) pos = 0;
	else {
		const idx = body.indexOf(crlfDelim);
		if (idx < 0) throw new MultipartError('multipart body does not contain the boundary delimiter');
		pos = idx + 2; // skip preamble + CRLF
	}

	const parts: MultipartPart[] = [];
	for (;;) {
		pos += delim.length;
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) {
			// close delimiter; epilogue ignored
			return parts;
		}
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++; // transport padding
		if (!(body[pos] === 0x0d && body[pos + 1] === 0x0a)) {
			throw new MultipartError('multipart delimiter must be followed by CRLF (or "--" for the last one)');
		}
		pos += 2;
		// headers
		let contentStart: number;
		const headers: Record<string, string> = {};
		if (body[pos] === 0x0d && body[pos + 1] === 0x0a) {
			contentStart = pos + 2;
		} else {
			const headerEnd = body.indexOf('\r\n\r\n', pos, 'latin1');
			if (headerEnd < 0) throw new MultipartError('multipart part headers are not terminated by CRLF CRLF');
			const headerText = body.subarray(pos, headerEnd).toString('utf8');
			for (const line of headerText.split('\r\n')) {
				const colon = line.indexOf(':');
				if (colon <= 0) throw new MultipartError(`malformed multipart part header line: ${JSON.stringify(line)}`);
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
			}
			contentStart = headerEnd + 4;
		}
		const next = body.indexOf(crlfDelim, contentStart);
		if (next < 0) throw new MultipartError('multipart body is not terminated by the closing delimiter');
		const data = Buffer.from(body.subarray(contentStart, next));
		pos = next + 2;

		const disposition = headers['content-disposition'];
		if (!disposition) throw new MultipartError('multipart part without Content-Disposition');
		const semi = disposition.indexOf(';');
		const dispType = (semi < 0 ? disposition : disposition.slice(0, semi)).trim().toLowerCase();
		if (dispType !== 'form-data') throw new MultipartError(`multipart part Content-Disposition must be form-data, got ${dispType}`);
		const params = parseParams(semi < 0 ? '' : disposition.slice(semi + 1));
		if (params.name === undefined || params.name === '') throw new MultipartError('multipart part without a name');
		const part: MultipartPart = { name: params.name, headers, data, value: data.toString('utf8') };
		if (params.filename !== undefined) part.filename = params.filename;
		if (headers['content-type'] !== undefined) part.contentType = headers['content-type'];
		parts.push(part);
	}
}

export interface BuildPart {
	name: string;
	value: string | Buffer;
	filename?: string;
	contentType?: string;
}

/** Builds a well-formed multipart/form-data body (used by the self-tests; handy for other tests too). */
export function buildMultipart(parts: BuildPart[], boundary = '----FakeBoundary' + Math.random().toString(16).slice(2)): {
	body: Buffer;
	contentType: string;
} {
	const chunks: Buffer[] = [];
	for (const p of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name.replace(/"/g, '\\"')}"`;
		if (p.filename !== undefined) head += `; filename="${p.filename.replace(/"/g, '\\"')}"`;
		head += '\r\n';
		if (p.contentType !== undefined) head += `Content-Type: ${p.contentType}\r\n`;
		head += '\r\n';
		chunks.push(Buffer.from(head, 'utf8'), typeof p.value === 'string' ? Buffer.from(p.value, 'utf8') : p.value, CRLF);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
