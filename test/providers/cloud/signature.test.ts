// X-Hub-Signature-256 over the body Meta signed, rebuilt from the parsed body Apps-Engine hands the app.
// The bodies below are written byte for byte the way Meta sends them (non-ASCII as \uXXXX, emoji as
// surrogate pairs, `/` as `\/`), not produced by the code under test.
import { createHmac } from 'crypto';
import { checkSignature, metaJson, sign, SignatureCounts, signaturePolicy } from '../../../src/providers/cloud/signature';

const SECRET = '8c1f2e3d4b5a69788796a5b4c3d2e1f0';
const hmac = (bytes: string) => `sha256=${createHmac('sha256', SECRET).update(bytes, 'utf8').digest('hex')}`;

// What Meta puts on the wire for texts with accents, emoji, Arabic, CJK and a URL.
const META_BYTES: Array<[string, string, string]> = [
	['accents', '{"text":{"body":"Caf\\u00e9 cr\\u00e8me, S\\u00e3o Paulo, M\\u00fcnchen"}}', 'Café crème, São Paulo, München'],
	['emoji (surrogate pairs)', '{"text":{"body":"Thanks \\ud83d\\ude00\\ud83d\\udc4d\\ud83c\\udffd"}}', 'Thanks 😀👍🏽'],
	['Arabic', '{"text":{"body":"\\u0645\\u0631\\u062d\\u0628\\u0627 \\u0628\\u0643"}}', 'مرحبا بك'],
	['CJK', '{"text":{"body":"\\u4f60\\u597d\\uff0c\\u4e16\\u754c \\u3053\\u3093\\u306b\\u3061\\u306f"}}', '你好，世界 こんにちは'],
	['slashes', '{"text":{"body":"see https:\\/\\/shop.example\\/p\\/42?x=1\\/2"}}', 'see https://shop.example/p/42?x=1/2'],
	['all at once, nested', '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"value":{"contacts":[{"profile":{"name":"Jos\\u00e9 \\u0639\\u0644\\u064a"}}],"messages":[{"text":{"body":"\\ud83d\\ude9a 1\\/2 \\u8ba2\\u5355 \\"ok\\" \\\\ done"}}]},"field":"messages"}]}]}', ''],
];

describe('Meta-style serialisation', () => {
	it.each(META_BYTES)('%s: the parsed body re-serialises to the bytes Meta signed', (_what, bytes, text) => {
		const parsed = JSON.parse(bytes);
		if (text) expect(parsed.text.body).toBe(text);
		expect(metaJson(parsed)).toBe(bytes);
		expect(checkSignature(parsed, hmac(bytes), SECRET)).toBe('match');
	});

	it('upper-case hex escapes are accepted too', () => {
		const bytes = '{"text":{"body":"Caf\\u00E9 \\uD83D\\uDE00"}}';
		expect(checkSignature(JSON.parse(bytes), hmac(bytes), SECRET)).toBe('match');
	});

	it('plain compact JSON (a relay that re-encoded the body) is accepted', () => {
		const parsed = { text: { body: 'Café 😀 https://x.example/a' } };
		expect(checkSignature(parsed, hmac(JSON.stringify(parsed)), SECRET)).toBe('match');
		expect(checkSignature(parsed, sign(JSON.stringify(parsed), SECRET), SECRET)).toBe('match');
	});

	it('a tampered body, another secret, a malformed or missing header do not match', () => {
		const bytes = META_BYTES[1][1];
		expect(checkSignature({ text: { body: 'Thanks 😀👍🏽!' } }, hmac(bytes), SECRET)).toBe('mismatch');
		expect(checkSignature(JSON.parse(bytes), hmac(bytes), 'another-secret-0000000000000000')).toBe('mismatch');
		expect(checkSignature(JSON.parse(bytes), 'sha1=abc', SECRET)).toBe('missing');
		expect(checkSignature(JSON.parse(bytes), undefined, SECRET)).toBe('missing');
		expect(checkSignature(JSON.parse(bytes), hmac(bytes).toUpperCase().replace('SHA256', 'sha256'), SECRET)).toBe('match');
	});

	it('a float Meta wrote as 1.0 cannot be rebuilt: a mismatch (why the default policy only logs)', () => {
		const bytes = '{"location":{"latitude":1.0,"longitude":2.5}}';
		expect(checkSignature(JSON.parse(bytes), hmac(bytes), SECRET)).toBe('mismatch');
	});
});

describe('policy and counters', () => {
	it('reads the setting value, defaulting to log only', () => {
		expect(signaturePolicy('reject')).toBe('reject');
		expect(signaturePolicy('off')).toBe('off');
		expect(signaturePolicy(undefined)).toBe('log');
		expect(signaturePolicy('nonsense')).toBe('log');
	});

	it('counts matches, mismatches and missing signatures per instance', () => {
		const counts = new SignatureCounts();
		expect(counts.of('n-1')).toBeUndefined();
		counts.record('n-1', 'match', 1000);
		counts.record('n-1', 'match', 2000);
		counts.record('n-1', 'mismatch', 3000);
		counts.record('n-2', 'missing', 4000);
		expect(counts.of('n-1')).toEqual({ matched: 2, mismatched: 1, missing: 0, last: 'mismatch', lastAt: 3000 });
		expect(counts.of('n-2')).toEqual({ matched: 0, mismatched: 0, missing: 1, last: 'missing', lastAt: 4000 });
	});
});
