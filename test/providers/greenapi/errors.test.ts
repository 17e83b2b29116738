import { HttpResponse } from '../../../src/core/ports/http';
import { classifySendResponse, classifyTransportError, redact, retryAfterMs } from '../../../src/providers/greenapi/errors';
import { json, text } from '../fakeHttp';

const TOKEN = 'd75b3a66374942c5b3c019c698abc2067e151558acbd412345';

describe('classifySendResponse', () => {
	type Row = [string, HttpResponse, { ok: boolean; retryable?: boolean; retryAfterMs?: number; reason?: RegExp }];
	const rows: Row[] = [
		['200 + idMessage', json(200, { idMessage: 'BAE5F4886F6F2D05' }), { ok: true }],
		['200 + idMessage + urlFile', json(200, { idMessage: 'BAE5', urlFile: 'https://x' }), { ok: true }],
		['200 as unparsed text', text(200, '{"idMessage":"BAE5"}'), { ok: true }],
		['200 without idMessage', json(200, {}), { ok: false, retryable: false, reason: /no idMessage/ }],
		['429 with Retry-After', json(429, { message: 'Too Many Requests' }, { 'retry-after': '3' }), { ok: false, retryable: true, retryAfterMs: 3000, reason: /rate limit/ }],
		['429 without Retry-After', json(429, {}), { ok: false, retryable: true, reason: /429/ }],
		['500', text(500, 'Internal Server Error'), { ok: false, retryable: true, reason: /server error \(HTTP 500\): Internal Server Error/ }],
		['500 file too large', text(500, 'File from url exceeded max upload size. Size: 120mb Limit: 100mb'), { ok: false, retryable: false, reason: /too large/ }],
		['502', text(502, 'Bad Gateway'), { ok: false, retryable: true, reason: /502/ }],
		['503', json(503, {}), { ok: false, retryable: true }],
		['499', text(499, ''), { ok: false, retryable: true, reason: /499/ }],
		['408', text(408, ''), { ok: false, retryable: true }],
		['400 starting', json(400, { message: 'instance in starting process try later' }), { ok: false, retryable: true, reason: /starting/ }],
		['400 try later', text(400, 'Please try later'), { ok: false, retryable: true }],
		['400 not authorized', json(400, { message: 'instance account not authorized' }), { ok: false, retryable: true, reason: /not authorized/ }],
		['400 validation', json(400, { message: "Validation failed. Details: 'chatId' is required" }), { ok: false, retryable: false, reason: /HTTP 400\): Validation failed/ }],
		['400 bad request data', text(400, 'bad request data'), { ok: false, retryable: false }],
		['400 noAccount', json(400, { message: 'noAccount' }), { ok: false, retryable: false, reason: /not on WhatsApp/ }],
		['401', text(401, 'Unauthorized'), { ok: false, retryable: false, reason: /apiTokenInstance/ }],
		['403', text(403, 'Forbidden'), { ok: false, retryable: false, reason: /idInstance/ }],
		['404', text(404, 'Not Found'), { ok: false, retryable: false }],
		[
			'466 quota',
			json(466, { invokeStatus: { method: 'sendMessage', used: 3, total: 3, status: 'QUOTE_ALLOWED_EXCEEDED', description: 'Monthly quota has been exceeded' } }),
			{ ok: false, retryable: false, reason: /quota exceeded \(HTTP 466\): Monthly quota/ },
		],
		['418 other', text(418, "I'm a teapot"), { ok: false, retryable: false, reason: /418/ }],
	];

	it.each(rows)('%s', (_name, res, want) => {
		const r = classifySendResponse(res, [TOKEN]);
		expect(r.ok).toBe(want.ok);
		if (r.ok) return;
		expect(r.retryable).toBe(want.retryable);
		expect(r.status).toBe(res.status);
		if (want.retryAfterMs !== undefined) expect(r.retryAfterMs).toBe(want.retryAfterMs);
		else expect(r.retryAfterMs).toBeUndefined();
		if (want.reason) expect(r.reason).toMatch(want.reason);
		expect(r.reason.length).toBeLessThan(260);
	});

	it('returns the id', () => {
		expect(classifySendResponse(json(200, { idMessage: 'BAE5F4886F6F2D05' }), [])).toEqual({ ok: true, messageId: 'BAE5F4886F6F2D05' });
	});

	it('scrubs the token from echoed bodies and truncates long ones', () => {
		const r = classifySendResponse(text(400, `bad url https://api.greenapi.com/waInstance1101000001/sendMessage/${TOKEN} ` + 'x'.repeat(1000)), [TOKEN]);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.reason).not.toContain(TOKEN);
		expect(r.reason).toContain('waInstance1101000001/sendMessage/***');
		expect(r.reason.length).toBeLessThan(260);
	});
});

describe('classifyTransportError', () => {
	it('timeouts and network errors are retryable, token-free', () => {
		expect(classifyTransportError(new Error('ETIMEDOUT'), [TOKEN])).toEqual({ ok: false, retryable: true, reason: 'GREEN-API request timed out', code: 'timeout', params: {} });
		const r = classifyTransportError(new Error(`getaddrinfo ENOTFOUND for https://x/waInstance1/sendMessage/${TOKEN}`), [TOKEN]);
		expect(r.retryable).toBe(true);
		expect(r.reason).toMatch(/^network error: getaddrinfo ENOTFOUND/);
		expect(r.reason).not.toContain(TOKEN);
		expect(r.code).toBe('network');
		expect(String(r.params?.detail)).toMatch(/^: getaddrinfo ENOTFOUND/);
		expect(String(r.params?.detail)).not.toContain(TOKEN);
		expect(classifyTransportError(undefined, [])).toEqual({ ok: false, retryable: true, reason: 'network error', code: 'network', params: { detail: '' } });
	});
});

describe('redact', () => {
	it('masks given secrets, their URL-encoded form, and any token path segment', () => {
		expect(redact(`a ${TOKEN} b ${TOKEN}`, [TOKEN])).toBe('a *** b ***');
		expect(redact('t=a%2Fb', ['a/b'])).toBe('t=***');
		expect(redact('https://h/waInstance123/getSettings/unknownsecret?x=1', [])).toBe('https://h/waInstance123/getSettings/***?x=1');
		expect(redact('nothing here', [undefined, ''])).toBe('nothing here');
	});
});

describe('retryAfterMs', () => {
	it('reads seconds and HTTP dates', () => {
		expect(retryAfterMs('2')).toBe(2000);
		expect(retryAfterMs('0.5')).toBe(500);
		expect(retryAfterMs(undefined)).toBeUndefined();
		expect(retryAfterMs('soon')).toBeUndefined();
		expect(retryAfterMs('-1')).toBeUndefined();
		const now = Date.parse('2025-01-01T00:00:00Z');
		expect(retryAfterMs('Wed, 01 Jan 2025 00:00:10 GMT', () => now)).toBe(10000);
	});
});
