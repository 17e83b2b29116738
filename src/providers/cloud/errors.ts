// Cloud API errors (the send answer's `error`, a status's or a message's `errors[]`) → Failure and
// SendResult. Logic keys on `code` (+ `error_data.details`), never on titles or the HTTP status alone.
//
//   130429 throughput, 131056 pair rate, 131057 throughput upgrade, 131000/131016/133004 service
//   trouble, 1/2 temporary, 4/80007 call rate limits, 5xx, timeouts, network      → retryable
//   131047 window closed, 131026, 131048, 131049, 131050 (marketing stopped), 131051–53, 131009, 132000/132001/132005/132012, 190, 368, other 4xx → permanent

import { Failure } from '../../core/ports/failure';
import { HttpResponse } from '../../core/ports/http';
import { header, nonEmpty, num, obj, str } from '../shared/json';
import { isTimeout, oneLine, permanent, responseJson, retryable, retryAfterMs, scrub, SendFailure } from '../shared/results';

/** Codes with a translated reason (`reason_cloud_<code>`). */
export const EXPLAINED_CODES: ReadonlySet<number> = new Set([131047, 131026, 131049, 131050, 131048, 131051, 131052, 131053, 130429, 131056, 131057, 131009, 132000, 132001, 132005, 132012, 190, 368]);

/** Worth trying again, and after how long at least when the code says (ms). */
const RETRYABLE: ReadonlyMap<number, number | undefined> = new Map<number, number | undefined>([
	[130429, undefined], // throughput: the queue backs off
	[131056, 6_000], // pair rate: about one message per 6 s to the same customer
	[131057, 60_000], // the number's throughput is being upgraded (~1 min)
	[131000, undefined],
	[131016, undefined],
	[133004, undefined],
	[1, undefined],
	[2, undefined],
	[4, 60_000],
	[80007, 60_000],
]);

/** Codes that mean the credentials are bad (an admin must act). */
export const CREDENTIAL_CODES: ReadonlySet<number> = new Set([190, 102, 10, 200]);

export interface CloudError {
	code?: number;
	title?: string;
	details?: string;
}

/** `{code,title,message,error_data{details}}` (webhooks) or the send answer's `error` object. */
export function cloudError(e: unknown): CloudError | undefined {
	const o = obj(e);
	if (!o) return undefined;
	const details = nonEmpty(obj(o.error_data)?.details) ?? nonEmpty(o.error_user_msg);
	const out: CloudError = {};
	const code = num(o.code);
	if (code !== undefined) out.code = code;
	// Send answers prefix the message with its code ("(#131030) Recipient…"): the code is kept apart.
	const title = (nonEmpty(o.title) ?? nonEmpty(o.message))?.replace(/^\(#\d+\)\s*/, '');
	if (title) out.title = oneLine(title);
	if (details) out.details = oneLine(details);
	return out.code !== undefined || out.title ? out : undefined;
}

/** A translated reason for the codes that matter; the provider's title (and code) otherwise. */
export function errorFailure(e: CloudError, label: string): Failure {
	const english = `${label}: ${e.title || 'error'}${e.code !== undefined ? ` (#${e.code})` : ''}${e.details && e.details !== e.title ? `: ${e.details}` : ''}`;
	if (e.code === undefined) return { reason: english };
	// The code stays in params either way (callers key on it); only explained codes get a translated text.
	return EXPLAINED_CODES.has(e.code) ? { reason: english, code: `cloud_${e.code}`, params: { code: e.code } } : { reason: english, params: { code: e.code } };
}

/** An answer that is not 2xx → a failure, retryable or not. */
export function classifyHttpFailure(res: HttpResponse, label: string, secrets: ReadonlyArray<string | undefined>): SendFailure {
	const status = res.status;
	const body = responseJson(res);
	const e = cloudError(obj(body)?.error) ?? dialogError(body);
	const withStatus = (f: SendFailure): SendFailure => ({ ...f, status });
	if (e?.code !== undefined) {
		const safe: CloudError = { ...e, title: e.title && scrub(e.title, secrets), details: e.details && scrub(e.details, secrets) };
		const f = errorFailure(safe, label);
		const retryable = RETRYABLE.has(e.code) || (status >= 500 && !EXPLAINED_CODES.has(e.code));
		const out: SendFailure = withStatus({ ok: false, retryable, ...f });
		const wait = RETRYABLE.get(e.code) ?? retryAfterMs(header(res.headers, 'retry-after'));
		if (retryable && wait !== undefined) out.retryAfterMs = wait;
		return out;
	}
	const detail = scrub(oneLine(e?.title ?? (typeof res.body === 'string' && !body ? res.body : '')), secrets);
	const params = { status, provider: label, detail: detail ? `: ${detail}` : '' };
	if (status === 401) return withStatus({ ...permanent('cloud_190', `${label} rejected the credentials (HTTP 401)${params.detail}`, { code: 190 }) });
	if (status === 429) {
		const r = withStatus(retryable('cloud_130429', `${label} rate limit (HTTP 429)`, { code: 130429 }));
		const wait = retryAfterMs(header(res.headers, 'retry-after'));
		if (wait !== undefined) r.retryAfterMs = wait;
		return r;
	}
	if (status === 408 || status >= 500) return withStatus(retryable('cloud_server_error', `${label} server error (HTTP ${status})${params.detail}`, params));
	return withStatus(permanent('cloud_refused', `${label} refused the request (HTTP ${status})${params.detail}`, params));
}

/** The HTTP port rejects only on network errors and timeouts: both are worth retrying. */
export function classifyTransportError(err: unknown, label: string, secrets: ReadonlyArray<string | undefined>): SendFailure {
	if (isTimeout(err)) return retryable('cloud_timeout', `${label} did not answer in time`, { provider: label });
	const message = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
	const detail = oneLine(scrub(message, secrets));
	return retryable('network', detail ? `network error: ${detail}` : 'network error', { detail: detail ? `: ${detail}` : '' });
}

/** 360dialog's own errors (outside the Meta passthrough): `{meta:{http_code, developer_message}}` or `{errors:[{code,title,details}]}`. */
function dialogError(body: unknown): CloudError | undefined {
	const o = obj(body);
	const first = Array.isArray(o?.errors) ? cloudError(o?.errors[0]) : undefined;
	if (first) return first;
	const meta = obj(o?.meta);
	const message = nonEmpty(meta?.developer_message) ?? nonEmpty(str(o?.message));
	return message ? { title: oneLine(message) } : undefined;
}

/** Every entry of an `errors` array that reads as an error. */
export function cloudErrors(v: unknown): CloudError[] {
	return (Array.isArray(v) ? v : []).map(cloudError).filter((e): e is CloudError => !!e);
}
