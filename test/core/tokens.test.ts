import { mask, randomToken, sameSecret } from '../../src/core/tokens';

describe('secrets', () => {
	it('compares secrets exactly', () => {
		expect(sameSecret('abc', 'abc')).toBe(true);
		expect(sameSecret('abc', 'abd')).toBe(false);
		expect(sameSecret('abc', 'abcd')).toBe(false);
		expect(sameSecret('', 'a')).toBe(false);
	});

	it('makes unguessable tokens', () => {
		const a = randomToken();
		expect(a).toMatch(/^[0-9a-f]{48}$/);
		expect(randomToken()).not.toBe(a);
	});

	it('never shows more than a hint of a secret', () => {
		const secret = 'd75b3a66374942c5b3c019c698abc2067e151558acbd412b80';
		const shown = mask(secret);
		expect(shown).not.toContain(secret.slice(0, 8));
		expect(shown.length).toBeLessThan(10);
		expect(mask('short')).toBe('****');
		expect(mask(undefined)).toBe('');
	});
});
