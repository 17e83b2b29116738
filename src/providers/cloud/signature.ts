// `X-Hub-Signature-256` of Meta's webhooks: HMAC-SHA256 of the raw body with the app secret.
//
// Apps-Engine hands an app the parsed body, not the bytes Meta signed, so the body is serialised again
// the ways Meta writes it — compact JSON with every non-ASCII UTF-16 unit as `\uXXXX` (emoji as their
// surrogate pair) and `/` as `\/`, hex digits in lower or upper case — and as plain compact JSON. A
// float Meta wrote differently (`1.0`) cannot be rebuilt: that is why a mismatch only gets logged by
// default, and why the URL secret, not the signature, is what admits a request.

import { createHmac, timingSafeEqual } from 'crypto';

export type SignatureCheck = 'match' | 'mismatch' | 'missing';

/** What a mismatch (or a missing signature) does: refuse the request, only count and log it, or nothing. */
export type SignaturePolicy = 'reject' | 'log' | 'off';

export const SIGNATURE_POLICIES: ReadonlyArray<SignaturePolicy> = ['reject', 'log', 'off'];

export function signaturePolicy(value: unknown): SignaturePolicy {
	return SIGNATURE_POLICIES.includes(value as SignaturePolicy) ? (value as SignaturePolicy) : 'log';
}

/** Meta's way: `\uXXXX` for every UTF-16 unit above U+007F, `\/` for `/`. */
export function metaJson(value: unknown, hexCase: 'lower' | 'upper' = 'lower', escapeSlash = true): string {
	const plain = JSON.stringify(value);
	const escaped = plain.replace(/[\u0080-\uffff]/g, (ch) => {
		const hex = ch.charCodeAt(0).toString(16).padStart(4, '0');
		return `\\u${hexCase === 'upper' ? hex.toUpperCase() : hex}`;
	});
	// `/` only ever appears inside strings in JSON, so a global replace is exact.
	return escapeSlash ? escaped.replace(/\//g, '\\/') : escaped;
}

/** Every byte form the body may have been signed in (raw text as is). */
export function candidateBodies(content: unknown): string[] {
	if (typeof content === 'string') return [content];
	if (content === undefined) return [];
	const forms = [metaJson(content, 'lower'), metaJson(content, 'upper'), metaJson(content, 'lower', false), JSON.stringify(content)];
	return forms.filter((f, i) => forms.indexOf(f) === i);
}

export function sign(body: string, appSecret: string): string {
	return `sha256=${createHmac('sha256', appSecret).update(body, 'utf8').digest('hex')}`;
}

/** Compares in constant time against every candidate form. */
export function checkSignature(content: unknown, signatureHeader: string | undefined, appSecret: string): SignatureCheck {
	const given = (signatureHeader || '').trim().toLowerCase();
	if (!/^sha256=[0-9a-f]{64}$/.test(given) || !appSecret) return 'missing';
	const givenBytes = Buffer.from(given.slice(7), 'hex');
	let matched = false;
	for (const body of candidateBodies(content)) {
		const expected = createHmac('sha256', appSecret).update(body, 'utf8').digest();
		// Every candidate is compared (no early exit), so timing does not tell which form matched.
		if (timingSafeEqual(expected, givenBytes)) matched = true;
	}
	return matched ? 'match' : 'mismatch';
}

export interface SignatureStats {
	matched: number;
	mismatched: number;
	missing: number;
	last?: SignatureCheck;
	lastAt?: number;
}

/**
 * How the webhooks of each number fared, per app process (kept by the provider, like the activity
 * counters): enough for `/whatsapp status`; a restarted process starts counting again.
 */
export class SignatureCounts {
	private readonly byInstance = new Map<string, SignatureStats>();

	record(instanceId: string, result: SignatureCheck, now = Date.now()): void {
		const s = this.byInstance.get(instanceId) || { matched: 0, mismatched: 0, missing: 0 };
		if (result === 'match') s.matched++;
		else if (result === 'mismatch') s.mismatched++;
		else s.missing++;
		s.last = result;
		s.lastAt = now;
		this.byInstance.set(instanceId, s);
	}

	/** How this process saw the signatures of an instance's webhooks (undefined: none checked yet). */
	of(instanceId: string): SignatureStats | undefined {
		const s = this.byInstance.get(instanceId);
		return s ? { ...s } : undefined;
	}
}
