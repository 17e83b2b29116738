// Building blocks every adapter uses for its SendResult / DownloadResult answers.

import { HttpResponse } from '../../core/ports/http';
import { SendResult } from '../../core/ports/provider';
import { num } from './json';

export type SendFailure = Extract<SendResult, { ok: false }>;

/** A failure worth trying again later (network, rate limit, a provider hiccup): its i18n code (`reason_<code>`), the values for it, and the English text. */
export function retryable(code: string, reason: string, params: Record<string, string | number> = {}): SendFailure {
	return { ok: false, retryable: true, reason, code, params };
}

/** A failure that the same request would meet again (refused, invalid, gone): told, never retried. */
export function permanent(code: string, reason: string, params: Record<string, string | number> = {}): SendFailure {
	return { ok: false, retryable: false, reason, code, params };
}

/** JSON body whether or not the HTTP adapter parsed it. */
export function responseJson(res: HttpResponse): unknown {
	if (res.json !== undefined) return res.json;
	if (typeof res.body === 'string' && res.body.trim()) {
		try {
			return JSON.parse(res.body);
		} catch {
			return undefined;
		}
	}
	return undefined;
}

/** `Retry-After` is seconds or, per HTTP, a date. */
export function retryAfterMs(value: string | undefined, now: () => number = Date.now): number | undefined {
	if (!value) return undefined;
	const seconds = num(value.trim());
	if (seconds !== undefined) return seconds >= 0 ? Math.round(seconds * 1000) : undefined;
	const at = Date.parse(value);
	return Number.isFinite(at) ? Math.max(0, at - now()) : undefined;
}

/** `text` with every secret (as is and URL-encoded) replaced by ***. */
export function scrub(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let out = text;
	for (const s of secrets) {
		if (!s) continue;
		for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('***');
	}
	return out;
}

/** One line of an error text, at most `max` characters. */
export function oneLine(text: string, max = 160): string {
	const t = text.replace(/\s+/g, ' ').trim();
	return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** The HTTP port rejects only on network errors and timeouts. */
export function isTimeout(err: unknown): boolean {
	const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
	return /time(d)?\s*out|timeout|ETIMEDOUT|ESOCKETTIMEDOUT/i.test(message);
}
