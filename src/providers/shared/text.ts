// Long agent replies are split rather than refused (every provider caps a text), so nothing the agent
// wrote is lost; parts break at a newline or other whitespace where possible.

/**
 * Splits into parts of at most `max` UTF-16 units (the stricter reading of "characters"), preferring a
 * newline in the second half of the window, then any whitespace, else a hard cut that never splits a
 * surrogate pair. The whitespace at a break is dropped; no part is empty.
 */
export function splitText(text: string, max: number): string[] {
	if (max < 2) throw new Error('max must be at least 2');
	const parts: string[] = [];
	let rest = text;
	while (rest.length > max) {
		const window = rest.slice(0, max + 1); // include one char past the limit: a break may sit exactly there
		let cut = window.lastIndexOf('\n');
		if (cut < max / 2) cut = lastWhitespace(window);
		let next: number;
		if (cut > 0) {
			next = cut + 1;
		} else {
			cut = max;
			if (isHighSurrogate(rest.charCodeAt(cut - 1))) cut -= 1;
			next = cut;
		}
		const part = rest.slice(0, cut).replace(/\r$/, ''); // CRLF texts: don't leave a dangling CR
		if (part.trim()) parts.push(part);
		rest = rest.slice(next);
	}
	if (rest.trim() || parts.length === 0) parts.push(rest);
	return parts;
}

function lastWhitespace(s: string): number {
	for (let i = s.length - 1; i > 0; i--) if (/\s/.test(s[i])) return i;
	return -1;
}

function isHighSurrogate(code: number): boolean {
	return code >= 0xd800 && code <= 0xdbff;
}
