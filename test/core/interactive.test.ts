// Reply buttons and lists as data: the agent's one-line syntax, WhatsApp's limits, the numbered text
// and reading a typed answer back as the choice.
import { interactiveProblems, matchAnswer, numberedText, parseButtons, parseList, renderInteractive } from '../../src/core/interactive';
import { answerQuestion, askQuestion } from '../../src/core/questions';
import { InboundMessage } from '../../src/core/ports/events';
import { ContactRecord } from '../../src/core/ports/records';
import { newContact } from '../../src/core/contacts';

describe('the agent\'s syntax', () => {
	it('buttons: the question, then one part per button; quotes around a part are dropped', () => {
		expect(parseButtons('"Is it solved?" | Yes | No')).toEqual({ ok: true, message: { kind: 'buttons', body: 'Is it solved?', buttons: [{ id: 'b1', title: 'Yes' }, { id: 'b2', title: 'No' }] } });
		expect(parseButtons('Only a question')).toEqual({ ok: false, problems: [] });
		expect(parseButtons('')).toEqual({ ok: false, problems: [] });
	});

	it('list: the question, the list button, rows with `--` descriptions, `#` sections', () => {
		const parsed = parseList('Ship how? | Options | # Fast | Express -- 1-2 days | # Cheap | Standard — 3-5 days');
		expect(parsed).toEqual({
			ok: true,
			message: {
				kind: 'list', body: 'Ship how?', button: 'Options',
				sections: [{ title: 'Fast', rows: [{ id: 'r1', title: 'Express', description: '1-2 days' }] }, { title: 'Cheap', rows: [{ id: 'r2', title: 'Standard', description: '3-5 days' }] }],
			},
		});
		expect(parseList('Ship how? | Options')).toEqual({ ok: false, problems: [] });
	});
});

describe('WhatsApp\'s limits', () => {
	const buttons = (...titles: string[]) => ({ kind: 'buttons' as const, body: 'Q', buttons: titles.map((title, i) => ({ id: `b${i}`, title })) });
	it('1–3 buttons of at most 20 characters (an emoji counts once), distinct', () => {
		expect(interactiveProblems(buttons('Yes', 'No', 'x'.repeat(19) + '👍'))).toEqual([]);
		expect(interactiveProblems(buttons('a', 'b', 'c', 'd'))).toEqual(['reply buttons need 1 to 3 buttons (given: 4)']);
		expect(interactiveProblems(buttons('x'.repeat(21)))).toEqual([`Button "${'x'.repeat(21)}" is too long: 21 characters, WhatsApp allows 20`]);
		expect(interactiveProblems(buttons('Yes', 'yes'))).toEqual(['two options have the same title']);
		expect(interactiveProblems({ ...buttons('Yes'), body: 'q'.repeat(1025) })).toEqual(['The question is too long: 1025 characters, WhatsApp allows 1024']);
		expect(interactiveProblems({ ...buttons('Yes'), body: '  ' })).toEqual(['the question (message text) is missing']);
	});
	it('lists: ≤ 10 rows, row title ≤ 24, description ≤ 72, titled sections when several', () => {
		const ok = parseList(`Q | Options | ${'t'.repeat(24)} -- ${'d'.repeat(72)}`);
		expect(ok.ok).toBe(true);
		expect(parseList(`Q | Options | ${'t'.repeat(25)}`)).toEqual({ ok: false, problems: [`Row "${'t'.repeat(25)}" is too long: 25 characters, WhatsApp allows 24`] });
		expect(parseList(`Q | Options | a -- ${'d'.repeat(73)}`)).toEqual({ ok: false, problems: ['The description of row "a" is too long: 73 characters, WhatsApp allows 72'] });
		expect(parseList(`Q | Options | ${Array.from({ length: 11 }, (_, i) => `r${i}`).join(' | ')}`)).toEqual({ ok: false, problems: ['a list needs 1 to 10 rows (given: 11)'] });
		expect(parseList('Q | Options | a | # Later | b')).toEqual({ ok: false, problems: ['a list with several sections needs a title for each (`# Name`)'] });
		expect(parseList(`Q | ${'b'.repeat(21)} | a`)).toEqual({ ok: false, problems: [`The list button label is too long: 21 characters, WhatsApp allows 20`] });
	});
});

describe('how it reads', () => {
	const list = parseList('Which day? | Days | Monday | Tuesday -- after 2 pm');
	if (!list.ok) throw new Error('fixture');
	it('in the room, and as a numbered text', () => {
		expect(renderInteractive(list.message)).toBe('Which day?\n📋 Days\n• Monday\n• Tuesday — after 2 pm');
		expect(numberedText(list.message)).toBe('Which day?\n\n1. Monday\n2. Tuesday — after 2 pm\n\nReply with the number or the text of your choice.');
	});
	it('a typed answer names an option by number or title, any case, trailing punctuation ignored', () => {
		const options = [{ id: 'r1', title: 'Monday' }, { id: 'r2', title: 'Tuesday' }];
		expect(matchAnswer(options, '2')).toEqual(options[1]);
		expect(matchAnswer(options, ' 1. ')).toEqual(options[0]);
		expect(matchAnswer(options, 'TUESDAY!')).toEqual(options[1]);
		for (const other of ['3', '0', 'maybe', '', 'Monday or Tuesday', '12']) expect(matchAnswer(options, other)).toBeUndefined();
	});
});

describe('the open question of a contact', () => {
	const text = (t: string): InboundMessage => ({ instanceId: 'i', chatId: 'c', messageId: `m-${t}`, timestamp: Date.now(), sender: { id: 'c', name: 'Ann' }, content: { kind: 'text', text: t } } as InboundMessage);
	it('turns a matching text into the choice while open, leaves others, and expires after a day', () => {
		const contact: ContactRecord = newContact('i', 'c', 'Ann');
		const parsed = parseButtons('Solved? | Yes | No');
		if (!parsed.ok) throw new Error('fixture');
		const now = Date.now();
		askQuestion(contact, 'wa-q', parsed.message, now);
		expect(answerQuestion(contact, text('yes'), now).content).toEqual({ kind: 'choice', text: 'Yes', choiceId: 'b1', inReplyTo: 'wa-q' });
		expect(answerQuestion(contact, text('perhaps'), now).content).toEqual({ kind: 'text', text: 'perhaps' });
		expect(answerQuestion(contact, text('2'), now + 25 * 60 * 60_000).content).toEqual({ kind: 'text', text: '2' });
	});
});
