// Defensive readers for untyped JSON (every provider's webhooks and answers are external input):
// nothing here throws, and a field of the wrong type reads as absent.

export type Json = Record<string, unknown>;

export function obj(v: unknown): Json | undefined {
	return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

export function arr(v: unknown): unknown[] {
	return Array.isArray(v) ? v : [];
}

/** Strings only (empty kept: an empty text is still a text). */
export function str(v: unknown): string | undefined {
	return typeof v === 'string' ? v : undefined;
}

/** A non-empty, trimmed string, or undefined. For names and optional labels. */
export function nonEmpty(v: unknown): string | undefined {
	if (typeof v !== 'string') return undefined;
	const t = v.trim();
	return t ? t : undefined;
}

/** Ids arrive as numbers (idInstance) or strings depending on the payload. */
export function idString(v: unknown): string | undefined {
	if (typeof v === 'number' && Number.isFinite(v)) return String(v);
	return nonEmpty(v);
}

export function num(v: unknown): number | undefined {
	if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
	if (typeof v === 'string' && v.trim() !== '') {
		const n = Number(v);
		return Number.isFinite(n) ? n : undefined;
	}
	return undefined;
}

/** Provider timestamps are Unix seconds (GREEN-API numbers, Cloud API strings); tolerate milliseconds and fall back to now. */
export function toMillis(v: unknown, now: () => number = Date.now): number {
	const n = num(v);
	if (n === undefined || n <= 0) return now();
	return n < 1e11 ? Math.round(n * 1000) : Math.round(n);
}

/** Header lookup that does not rely on the caller having lowercased the keys. */
export function header(headers: Record<string, string> | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const direct = headers[name.toLowerCase()];
	if (typeof direct === 'string') return direct;
	const wanted = name.toLowerCase();
	for (const k of Object.keys(headers)) {
		if (k.toLowerCase() === wanted && typeof headers[k] === 'string') return headers[k];
	}
	return undefined;
}

// C0/C1 controls, zero-width and bidi-override characters: invisible or reordering in a log line.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** An untrusted value quoted for a log line or a reason: JSON-quoted, invisible characters escaped, bounded. */
export function printable(v: unknown, max = 40): string {
	const s = typeof v === 'string' ? v : v === undefined ? 'undefined' : JSON.stringify(v) ?? String(v);
	const cut = s.length > max ? `${s.slice(0, max)}…` : s;
	return JSON.stringify(cut).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// Controls and bidi overrides/isolates: never part of a name, and the overrides can make one read as
// another (RTL override). Joiners (ZWJ/ZWNJ) stay: emoji and several scripts need them.
const NOT_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** A name from the payload as people should see it: controls and overrides removed, trimmed, bounded. */
export function displayName(v: unknown, max = 100): string | undefined {
	if (typeof v !== 'string') return undefined;
	const cleaned = nonEmpty(v.replace(NOT_IN_NAMES, ''));
	if (!cleaned) return undefined;
	const chars = Array.from(cleaned);
	return chars.length > max ? `${chars.slice(0, max).join('')}…` : cleaned;
}

/** The body normally arrives parsed; accept raw JSON text too. */
export function asPayload(content: unknown): Json | undefined {
	if (typeof content === 'string') {
		try {
			return obj(JSON.parse(content));
		} catch {
			return undefined;
		}
	}
	return obj(content);
}
