import { buildMultipart, randomBoundary } from '../../../src/providers/shared/multipart';
import { chatIdFromPhone, isGroupChatId, phoneFromChatId } from '../../../src/providers/greenapi/phone';
import { splitText } from '../../../src/providers/greenapi/textSplit';
import { parseVCard } from '../../../src/providers/greenapi/vcard';

describe('buildMultipart', () => {
	it('produces the exact RFC 7578 structure', () => {
		const mp = buildMultipart(
			[
				{ name: 'chatId', value: '79001234567@c.us' },
				{ name: 'caption', value: 'Привет ✓' },
				{ name: 'file', fileName: 'a.bin', contentType: 'application/octet-stream', data: Buffer.from([0, 13, 10, 255]) },
			],
			'XyZ',
		);
		expect(mp.contentType).toBe('multipart/form-data; boundary=XyZ');
		expect(mp.boundary).toBe('XyZ');
		const expected = Buffer.concat([
			Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="chatId"\r\n\r\n79001234567@c.us\r\n', 'utf8'),
			Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="caption"\r\n\r\nПривет ✓\r\n', 'utf8'),
			Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n', 'utf8'),
			Buffer.from([0, 13, 10, 255]),
			Buffer.from('\r\n--XyZ--\r\n', 'utf8'),
		]);
		expect(mp.body.equals(expected)).toBe(true);
	});

	it('escapes quotes and line breaks in names and filenames; keeps UTF-8 filenames', () => {
		const mp = buildMultipart([{ name: 'file', fileName: 'my "best"\r\nfile.pdf', contentType: 'application/pdf\r\nX-Evil: 1', data: Buffer.from('x') }], 'B');
		const s = mp.body.toString('utf8');
		expect(s).toContain('filename="my %22best%22%0D%0Afile.pdf"');
		expect(s).toContain('Content-Type: application/pdf X-Evil: 1\r\n');
		expect(buildMultipart([{ name: 'file', fileName: 'счёт.pdf', contentType: 'application/pdf', data: Buffer.from('x') }], 'B').body.toString('utf8')).toContain('filename="счёт.pdf"');
	});

	it('random boundaries are unique and absent from the data', () => {
		const a = randomBoundary();
		expect(a).toMatch(/^----GreenApiBridge[0-9a-f]{32}$/);
		expect(randomBoundary()).not.toBe(a);
		const data = Buffer.from('payload');
		const mp = buildMultipart([{ name: 'file', fileName: 'f', contentType: 'text/plain', data }]);
		expect(data.includes(mp.boundary)).toBe(false);
		expect(mp.body.toString('latin1').endsWith(`\r\n--${mp.boundary}--\r\n`)).toBe(true);
	});
});

describe('splitText', () => {
	it('leaves short text alone', () => {
		expect(splitText('hello')).toEqual(['hello']);
		expect(splitText('x'.repeat(20000))).toHaveLength(1);
		expect(splitText('')).toEqual(['']);
	});

	it('splits at whitespace, preferring newlines', () => {
		expect(splitText('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
		expect(splitText('aaaaaa\nbb cc dd', 10)).toEqual(['aaaaaa', 'bb cc dd']);
		// A newline too early in the window loses to a later space.
		expect(splitText('a\nbbbbbb ccc', 10)).toEqual(['a\nbbbbbb', 'ccc']);
		expect(splitText('line one\r\nline two', 12)).toEqual(['line one', 'line two']);
	});

	it('hard-cuts words longer than the limit without splitting surrogate pairs', () => {
		expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
		const emoji = '😀😀😀'; // 6 UTF-16 units
		const parts = splitText(emoji, 3);
		expect(parts).toEqual(['😀', '😀', '😀']);
	});

	it('never exceeds the limit and preserves the content', () => {
		const words = Array.from({ length: 3000 }, (_, i) => `w${i}${i % 7 === 0 ? '\n' : ' '}`).join('');
		const parts = splitText(words, 500);
		for (const p of parts) expect(p.length).toBeLessThanOrEqual(500);
		expect(parts.join('').replace(/\s/g, '')).toBe(words.replace(/\s/g, ''));
	});
});

describe('phone', () => {
	it('derives E.164 from @c.us only', () => {
		expect(phoneFromChatId('79001234567@c.us')).toBe('+79001234567');
		expect(phoneFromChatId('123456789012345@lid')).toBeUndefined();
		expect(phoneFromChatId('79001234567-1581234048@g.us')).toBeUndefined();
		expect(phoneFromChatId('120363025945123456@g.us')).toBeUndefined();
		expect(phoneFromChatId('abc@c.us')).toBeUndefined();
		expect(phoneFromChatId(undefined)).toBeUndefined();
	});

	it('normalizes phones to chat ids', () => {
		expect(chatIdFromPhone('+7 (900) 123-45-67')).toBe('79001234567@c.us');
		expect(chatIdFromPhone('0079001234567')).toBe('79001234567@c.us');
		expect(chatIdFromPhone('123')).toBeUndefined();
	});

	it('recognises groups', () => {
		expect(isGroupChatId('120363025945123456@g.us')).toBe(true);
		expect(isGroupChatId('79001234567@c.us')).toBe(false);
	});
});

describe('parseVCard', () => {
	it('prefers waid, dedupes, keeps several numbers', () => {
		const v = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Alex Smit\r\nTEL;type=CELL;waid=72345678901:+7 234 567 8901\r\nTEL;type=WORK:+7 (495) 000-00-00\r\nTEL;waid=72345678901:+72345678901\r\nEND:VCARD';
		expect(parseVCard(v)).toEqual({ name: 'Alex Smit', phones: ['+72345678901', '+74950000000'] });
	});

	it('handles grouped properties, folding, tel: URIs, N without FN, national numbers', () => {
		const v = 'BEGIN:VCARD\nVERSION:4.0\nN:Smit;Alex;;;\nitem1.TEL;type=CELL;waid=79001112233:+7 900 111\n 22 33\nTEL;VALUE=uri:tel:+1-555-0100\nTEL:8 (900) 555-00-11\nEND:VCARD';
		expect(parseVCard(v)).toEqual({ name: 'Alex Smit', phones: ['+79001112233', '+15550100', '8 (900) 555-00-11'] });
	});

	it('uses displayName first and the first phone as a last resort', () => {
		expect(parseVCard('BEGIN:VCARD\nFN:Card Name\nEND:VCARD', 'Shown Name')).toEqual({ name: 'Shown Name', phones: [] });
		expect(parseVCard('BEGIN:VCARD\nTEL;waid=79001234567:x\nEND:VCARD')).toEqual({ name: '+79001234567', phones: ['+79001234567'] });
		expect(parseVCard(undefined)).toEqual({ name: '', phones: [] });
		expect(parseVCard('FN:Esc\\, aped')).toEqual({ name: 'Esc, aped', phones: [] });
	});
});
