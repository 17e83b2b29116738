// GREEN-API responses and transport errors → SendResult, with secrets scrubbed from every reason.
//
// Policy (reference §10):
//   2xx + idMessage                              → ok
//   429                                          → retryable, retryAfterMs from `Retry-After`
//   408, 499, 5xx, timeouts, network errors      → retryable (5xx "file too large" is permanent)
//   400 "starting process" / "try later"         → retryable (instance booting, ≤ 5 min)
//   400 "not authorized"                         → retryable: the number is only unlinked until the
//                                                  operator scans the QR again; failing permanently would
//                                                  drop agent replies for a state that heals itself.
//   400 other (validation), 401/403 (credentials), 404, 466 (plan quota), noAccount → permanent

import { HttpResponse } from '../../core/ports/http';
import { SendResult } from '../../core/ports/provider';
import { header, nonEmpty, obj } from '../shared/json';
import { permanent, responseJson, retryable, retryAfterMs, scrub, SendFailure } from '../shared/results';

export { permanent, responseJson, retryable, retryAfterMs };
export type { SendFailure };

const MAX_DETAIL = 160;

/**
 * Removes API tokens from text. Besides the given secrets, any path segment after
 * `waInstance{id}/{method}/` is a token by construction and is masked too.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
	return scrub(text, secrets).replace(/(waInstance\d+\/[A-Za-z]+\/)[^/?#\s"'<>]+/g, '$1***');
}

/** Short, single-line error text from the body: `{message}`/`{error}`/`{description}` or plain text. */
export function bodyDetail(res: HttpResponse): string {
	const j = obj(responseJson(res));
	let text =
		nonEmpty(j?.message) ??
		nonEmpty(j?.error) ??
		nonEmpty(j?.description) ??
		nonEmpty(obj(j?.invokeStatus)?.description) ??
		(typeof res.body === 'string' && !j ? res.body : '');
	text = text.replace(/\s+/g, ' ').trim();
	return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

export function classifySendResponse(res: HttpResponse, secrets: ReadonlyArray<string | undefined>): SendResult {
	if (res.status >= 200 && res.status < 300) {
		const id = nonEmpty(obj(responseJson(res))?.idMessage);
		if (id) return { ok: true, messageId: id };
		// Not retried: the message may have been queued, and a retry could send it twice.
		return { ...permanent('no_id', 'GREEN-API accepted the request but returned no idMessage'), status: res.status };
	}
	return classifyHttpFailure(res, secrets);
}

export function classifyHttpFailure(res: HttpResponse, secrets: ReadonlyArray<string | undefined>): SendFailure {
	const status = res.status;
	const detail = redact(bodyDetail(res), secrets);
	// `detail` goes into the texts as ": <what GREEN-API said>" (or nothing).
	const params = { status, detail: detail ? `: ${detail}` : '' };
	const fail = (kind: typeof retryable, code: string, english: string): SendFailure => ({ ...kind(code, english, params), status });

	if (status === 429) {
		const r = fail(retryable, 'rate_limited', 'GREEN-API rate limit (HTTP 429)');
		const after = retryAfterMs(header(res.headers, 'retry-after'));
		if (after !== undefined) r.retryAfterMs = after;
		return r;
	}
	if (status === 401) return fail(permanent, 'bad_token', 'GREEN-API rejected the apiTokenInstance (HTTP 401)');
	if (status === 403) return fail(permanent, 'bad_instance', 'GREEN-API rejected the idInstance (HTTP 403)');
	if (status === 466) return fail(permanent, 'quota', `GREEN-API plan quota exceeded (HTTP 466)${params.detail}`);
	if (/noAccount/i.test(detail)) return fail(permanent, 'no_account', `recipient is not on WhatsApp (HTTP ${status})${params.detail}`);
	if (status === 400) {
		if (/starting process|try later/i.test(detail)) return fail(retryable, 'starting', 'WhatsApp instance is starting, try later (HTTP 400)');
		if (/not authori[sz]ed/i.test(detail)) return fail(retryable, 'not_authorized', 'WhatsApp number is not authorized: relink the phone (HTTP 400)');
		return fail(permanent, 'refused', `GREEN-API refused the request (HTTP 400)${params.detail}`);
	}
	if (status === 408 || status === 499) return fail(retryable, 'timeout', `GREEN-API request timed out (HTTP ${status})`);
	if (status >= 500) {
		if (/exceed|too large|max upload/i.test(detail)) return fail(permanent, 'file_too_large', `file too large for GREEN-API (HTTP ${status})${params.detail}`);
		return fail(retryable, 'server_error', `GREEN-API server error (HTTP ${status})${params.detail}`);
	}
	if (status === 404) return fail(permanent, 'not_found', 'GREEN-API method or instance not found (HTTP 404)');
	return fail(permanent, 'unexpected', `unexpected GREEN-API response (HTTP ${status})${params.detail}`);
}

/** The HTTP port rejects only on network errors and timeouts: both are worth retrying. */
export function classifyTransportError(err: unknown, secrets: ReadonlyArray<string | undefined>): SendFailure {
	const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
	if (/time(d)?\s*out|timeout|ETIMEDOUT|ESOCKETTIMEDOUT/i.test(message)) return retryable('timeout', 'GREEN-API request timed out');
	const detail = redact(message.replace(/\s+/g, ' ').trim(), secrets).slice(0, MAX_DETAIL);
	return retryable('network', detail ? `network error: ${detail}` : 'network error', { detail: detail ? `: ${detail}` : '' });
}
