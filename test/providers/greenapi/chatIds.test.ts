// Only the chat ids GREEN-API documents open a conversation; every other id (and the
// business number itself) is `ignored` with a reason that is safe to log.
import { InboundEvent } from '../../../src/core/ports/events';
import { printable, displayName } from '../../../src/providers/shared/json';
import { parseJournal } from '../../../src/providers/greenapi/journal';
import { chatKind } from '../../../src/providers/greenapi/phone';
import { parseWebhook } from '../../../src/providers/greenapi/webhook';
import * as F from '../../fixtures/greenapi';
import { GA } from '../../fixtures/greenapi';

const RLO = '\u202e';

/** Ids seen opening conversations in the hostile run, plus near misses of each documented form. */
const NOT_CUSTOMER_CHATS: string[] = [
	'120363025945123456@newsletter',
	'79001234567@broadcast',
	'status@broadcast',
	'79001234567@c.us\u0000',
	'7900\u00001234567@c.us',
	`${RLO}79001234567@c.us`,
	'79001234567\u200b@c.us',
	'79001234567@c.us\n',
	'7900123\t4567@c.us',
	'<b>79001234567</b>@c.us',
	'<script>alert(1)</script>@c.us',
	'７９００１２３４５６７@c.us', // full-width digits
	'٧٩٠٠١٢٣٤٥٦٧@c.us', // Arabic-Indic digits
	'+79001234567@c.us',
	'079001234567@c.us',
	'7900 123 4567@c.us',
	'null',
	'undefined',
	'@c.us',
	'@lid',
	'@g.us',
	'-@g.us',
	'123-@g.us',
	'-123456@g.us',
	'79001234567',
	'79001234567@C.US',
	'79001234567@c.us.evil.com',
	'79001234567@s.whatsapp.net',
	'79001234567@c.us@c.us',
	'1234@c.us',
	`${'9'.repeat(21)}@c.us`,
	`${'9'.repeat(90_000)}@c.us`,
	'constructor',
	'__proto__',
	'toString@c.us',
	'',
];

function ignoredReason(e: InboundEvent): string {
	if (e.type !== 'ignored') throw new Error(`expected ignored, got ${e.type}`);
	return e.reason;
}

describe('chatKind: exactly the documented chat ids', () => {
	it('accepts private, hidden-number and both group forms', () => {
		expect(chatKind(GA.chatId)).toBe('private');
		expect(chatKind('12345@c.us')).toBe('private');
		expect(chatKind('123456789012345@lid')).toBe('hidden');
		expect(chatKind(GA.groupId)).toBe('group');
		expect(chatKind('79001234567-1581234048@g.us')).toBe('group');
	});

	it.each(NOT_CUSTOMER_CHATS.map((id) => [printable(id, 30), id]))('refuses %s', (_label, id) => {
		expect(chatKind(id)).toBeUndefined();
	});

	it('refuses what is not a string', () => {
		for (const v of [undefined, null, 79001234567, true, {}, ['79001234567@c.us']]) expect(chatKind(v)).toBeUndefined();
	});
});

describe('webhook envelopes of chats that are not a customer', () => {
	// The envelope reader trims the id first (surrounding whitespace names the same chat), so those are left out.
	it.each(NOT_CUSTOMER_CHATS.filter((id) => id.trim() === id && id !== '').map((id) => [printable(id, 30), id]))('incoming from %s → ignored', (_label, id) => {
		const e = parseWebhook(F.incoming(F.textMessage('hi'), { chatId: id }));
		expect(e).toMatchObject({ type: 'ignored', instanceId: GA.idInstance });
		const reason = ignoredReason(e);
		expect(reason).toMatch(/^not a customer chat id: "/);
		// The reason is logged: bounded and free of invisible characters.
		expect(reason.length).toBeLessThan(120);
		expect(reason).not.toMatch(/[\u0000-\u001f\u007f\u200b\u202e]/);
	});

	it('the business number itself → ignored, as an incoming and as a phone-typed message', () => {
		expect(ignoredReason(parseWebhook(F.incoming(F.textMessage('note to self'), { chatId: GA.wid })))).toBe('chat with the business number itself');
		expect(ignoredReason(parseWebhook(F.outgoing(F.textMessage('note to self'), { chatId: GA.wid })))).toBe('chat with the business number itself');
	});

	it('a phone-typed message to a broadcast list → ignored', () => {
		expect(ignoredReason(parseWebhook(F.outgoing(F.textMessage('promo'), { chatId: 'status@broadcast' })))).toMatch(/^not a customer chat id/);
	});

	it('a group message whose author is not a person → ignored; a member with a hidden number is fine', () => {
		for (const member of ['status@broadcast', GA.groupId, '+79005550000@c.us', 'x']) {
			expect(ignoredReason(parseWebhook(F.groupIncoming(F.textMessage('x'), { member })))).toMatch(/^group message from an invalid author id/);
		}
		expect(parseWebhook(F.groupIncoming(F.textMessage('x'), { member: '123456789012345@lid' })).type).toBe('message');
	});

	it('documented ids still become messages', () => {
		for (const chatId of [GA.chatId, '123456789012345@lid']) expect(parseWebhook(F.incoming(F.textMessage('hi'), { chatId })).type).toBe('message');
		for (const groupId of [GA.groupId, '79001234567-1581234048@g.us']) expect(parseWebhook(F.groupIncoming(F.textMessage('hi'), { groupId })).type).toBe('message');
	});

	it('names lose controls and overrides, and are bounded', () => {
		const e = parseWebhook(F.incoming(F.textMessage('hi'), { senderName: `${RLO}Anna\u0000 `, senderContactName: '' }));
		expect(e.type === 'message' && e.sender.name).toBe('Anna');
		const long = parseWebhook(F.incoming(F.textMessage('hi'), { senderName: 'x'.repeat(50_000) }));
		expect(long.type === 'message' && Array.from(long.sender.name).length).toBe(101);
		// A name of only invisible characters is no name: the phone is shown instead.
		const blank = parseWebhook(F.incoming(F.textMessage('hi'), { senderName: `${RLO}\u0000`, chatName: '' }));
		expect(blank.type === 'message' && blank.sender.name).toBe(GA.phone);
	});
});

describe('journal entries of chats that are not a customer', () => {
	it('are skipped; the others kept', () => {
		const out = parseJournal(
			[
				F.journalEntry('textMessage', { textMessage: 'a' }, { chatId: 'status@broadcast', idMessage: 'J1' }),
				F.journalEntry('textMessage', { textMessage: 'b' }, { chatId: GA.wid, idMessage: 'J2' }),
				F.journalEntry('textMessage', { textMessage: 'c' }, { idMessage: 'J3' }),
			],
			{ instanceId: GA.idInstance, wid: GA.wid },
		);
		expect(out.map((m) => m.messageId)).toEqual(['J3']);
	});
});

describe('printable and displayName', () => {
	it('printable quotes, escapes invisible characters and bounds the length', () => {
		expect(printable('a\u0000b\u202ec')).toBe('"a\\u0000b\\u202ec"');
		expect(printable('x'.repeat(100), 5)).toBe('"xxxxx…"');
		expect(printable(undefined)).toBe('"undefined"');
		expect(printable({ a: 1 })).toBe('"{\\"a\\":1}"');
	});

	it('displayName keeps joiners (emoji, scripts) and drops what is not a string', () => {
		expect(displayName('👩\u200d💻 Ana')).toBe('👩\u200d💻 Ana');
		expect(displayName(42)).toBeUndefined();
		expect(displayName('  \u0007 ')).toBeUndefined();
	});
});
