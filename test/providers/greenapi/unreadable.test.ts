// A message whose fields are missing or of the wrong type is never an empty message,
// never "undefined" or "[object Object]": it reads "could not be read" (unsupported, reason unreadable).
import { InboundContent } from '../../../src/core/ports/events';
import { renderContent } from '../../../src/core/render';
import { parseMessageData } from '../../../src/providers/greenapi/messages';
import { parseWebhook } from '../../../src/providers/greenapi/webhook';
import { t } from '../../../src/i18n/translate';
import * as F from '../../fixtures/greenapi';

const WRONG_TYPES: unknown[] = [undefined, null, true, false, 0, 42, -1, '', ' ', '\u0000', '\u202e\u200b', 'x', [], ['x'], {}, { a: 1 }, { textMessage: 'nested' }];

const unreadable = (type: string): InboundContent => ({ kind: 'unsupported', type, reason: 'unreadable' });

/** Every typed fixture, one per typeMessage. */
const FIXTURES: F.MessageData[] = [
	F.textMessage('hi'),
	F.extendedTextMessage('see https://x.test', { title: 'T', description: 'D' }),
	F.imageMessage(),
	F.videoMessage(),
	F.documentMessage(),
	F.audioMessage(),
	F.voiceMessage(),
	F.stickerMessage(),
	F.locationMessage(),
	F.contactMessage(),
	F.contactsArrayMessage(),
	F.pollMessage(),
	F.pollUpdateMessage('P1'),
	F.buttonsResponseMessage(),
	F.listResponseMessage(),
	F.templateButtonReplyMessage(),
	F.interactiveButtonsReply(),
	F.reactionMessage('👍', 'R1'),
	F.editedMessage('E1', 'fixed'),
	F.deletedMessage('D1'),
	F.legacyQuotedMessage('yes', F.quoted('Q1', { text: 'Which?' })),
];

/** What an agent would see for this content (files: their caption or the file line). */
function shown(c: InboundContent): string {
	return renderContent(c);
}

function expectReadableOutput(c: InboundContent, label: string): void {
	const text = shown(c);
	const visible = text.replace(/[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, '');
	if (!visible || /undefined|\[object Object\]|NaN|function /.test(text)) {
		throw new Error(`${label}: renders ${JSON.stringify(text)} from ${JSON.stringify(c)}`);
	}
}

describe('text messages whose text is missing or of the wrong type', () => {
	it.each(WRONG_TYPES.filter((v) => v !== 'x').map((v) => [JSON.stringify(v) ?? 'undefined', v]))('textMessageData.textMessage = %s → unreadable', (_label, v) => {
		expect(parseMessageData({ typeMessage: 'textMessage', textMessageData: { textMessage: v } }).content).toEqual(unreadable('textMessage'));
	});

	it.each(WRONG_TYPES.filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)).map((v) => [JSON.stringify(v) ?? 'undefined', v]))(
		'textMessageData = %s → unreadable',
		(_label, v) => {
			expect(parseMessageData({ typeMessage: 'textMessage', textMessageData: v }).content).toEqual(unreadable('textMessage'));
		},
	);

	it('extended text, the legacy quoted reply and a poll without question or options, likewise', () => {
		expect(parseMessageData({ typeMessage: 'extendedTextMessage', extendedTextMessageData: { text: 42, title: 'T' } }).content).toEqual(unreadable('extendedTextMessage'));
		expect(parseMessageData({ typeMessage: 'extendedTextMessage' }).content).toEqual(unreadable('extendedTextMessage'));
		expect(parseMessageData({ typeMessage: 'quotedMessage', extendedTextMessageData: { text: {} }, quotedMessage: { stanzaId: 'Q' } }).content).toEqual(unreadable('quotedMessage'));
		expect(parseMessageData({ typeMessage: 'pollMessage', pollMessageData: { name: 7, options: [{ optionName: false }] } }).content).toEqual(unreadable('pollMessage'));
	});

	it('real texts, including a single emoji or a text with a control character inside, stay texts', () => {
		for (const text of ['ok', '👍', 'a\u0000b', '  spaced  ']) {
			expect(parseMessageData(F.textMessage(text)).content).toEqual({ kind: 'text', text });
		}
	});

	it('renders as a short note in every language', () => {
		const note = renderContent(unreadable('textMessage'));
		expect(note).toBe(`⚠️ ${t('inbound_unreadable')}`);
		for (const lang of ['en', 'ru', 'pt-BR', 'de', 'es']) expect(t('inbound_unreadable', {}, lang)).not.toBe('inbound_unreadable');
	});
});

describe('every field of every type, replaced by a wrong type, renders as something an agent can read', () => {
	const cases: Array<[string, unknown]> = [];
	for (const md of FIXTURES) {
		for (const key of Object.keys(md)) {
			if (key === 'typeMessage') continue;
			const data = md[key];
			for (const wrong of WRONG_TYPES) cases.push([`${md.typeMessage}.${key}`, { ...md, [key]: wrong }]);
			if (data && typeof data === 'object' && !Array.isArray(data)) {
				for (const field of Object.keys(data as object)) {
					for (const wrong of WRONG_TYPES) cases.push([`${md.typeMessage}.${key}.${field}`, { ...md, [key]: { ...(data as object), [field]: wrong } }]);
				}
			}
		}
	}

	it(`${cases.length} variants`, () => {
		expect(cases.length).toBeGreaterThan(1000);
		for (const [label, md] of cases) {
			const parsed = parseMessageData(md);
			expectReadableOutput(parsed.content, label);
			if (parsed.quoted?.text !== undefined) expect(parsed.quoted.text).not.toMatch(/undefined|\[object Object\]/);
		}
	});

	it('typeMessage naming an Object.prototype member is unsupported, never a file', () => {
		for (const type of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__']) {
			const c = parseMessageData({ typeMessage: type, fileMessageData: { downloadUrl: 'https://sw-media.storage.yandexcloud.net/1/a.jpg' } }).content;
			expect(c).toEqual(type.startsWith('_') ? unreadable('typeMessage') : { kind: 'unsupported', type });
		}
	});

	it('a whole webhook with a wrong-typed messageData is a message that reads "could not be read"', () => {
		for (const messageData of [null, 'textMessage', 42, [], true]) {
			const e = parseWebhook({ ...F.incoming(F.textMessage('x')), messageData });
			expect(e.type === 'message' && e.content).toEqual(unreadable('messageData'));
		}
	});
});

describe('file names from the payload', () => {
	const fileName = (name: unknown) => {
		const c = parseMessageData({ typeMessage: 'documentMessage', fileMessageData: { downloadUrl: 'https://sw-media.storage.yandexcloud.net/1/doc.pdf', fileName: name } }).content;
		return c.kind === 'media' ? c.fileName : undefined;
	};

	it('lose path separators, controls and overrides; are bounded, the extension kept', () => {
		expect(fileName('../../etc/passwd')).toBe('.._.._etc_passwd');
		expect(fileName('C:\\Windows\\x.exe')).toBe('C:_Windows_x.exe');
		expect(fileName('invoice\u202efdp.exe')).toBe('invoicefdp.exe');
		const long = fileName(`${'a'.repeat(5000)}.pdf`)!;
		expect(long).toHaveLength(120);
		expect(long.endsWith('.pdf')).toBe(true);
	});

	it('fall back to the URL\'s last segment, then to the kind', () => {
		expect(fileName(42)).toBe('doc.pdf');
		expect(fileName('\u0000')).toBe('doc.pdf');
	});
});
