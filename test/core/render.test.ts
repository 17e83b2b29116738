import { mapLink, quoteLink, renderContent, renderQuote, senderPrefix } from '../../src/core/render';
import { InboundMessage } from '../../src/core/ports/events';

describe('renderContent: what each WhatsApp message type reads like in the room', () => {
	it('keeps text as is and adds a link preview once', () => {
		expect(renderContent({ kind: 'text', text: 'hi' })).toBe('hi');
		expect(renderContent({ kind: 'text', text: 'https://x.example', linkTitle: 'Shop', linkDescription: 'Red shoes' })).toBe('https://x.example\n> Shop — Red shoes');
	});

	it('gives a location its name, address and a map link', () => {
		const text = renderContent({ kind: 'location', latitude: 44.93, longitude: 89.87, name: 'Warehouse', address: 'Main st 1' });
		expect(text).toContain('Warehouse, Main st 1');
		expect(text).toContain(mapLink(44.93, 89.87));
		expect(mapLink(1.5, -2)).toBe('https://www.google.com/maps/search/?api=1&query=1.5,-2');
	});

	it('lists shared contacts with their numbers', () => {
		const text = renderContent({ kind: 'contacts', contacts: [{ name: 'Alex', phones: ['+72345678901'] }, { name: 'Bo', phones: [] }] });
		expect(text).toContain('Shared contacts (2)');
		expect(text).toContain('• Alex: +72345678901');
		expect(text).toContain('• Bo');
	});

	it('shows polls, votes, choices, reactions, edits, deletions, markers and unknown types', () => {
		expect(renderContent({ kind: 'poll', question: 'Rate us', options: ['Good', 'Bad'], multipleAnswers: false })).toBe('📊 Poll: Rate us\n• Good\n• Bad');
		expect(renderContent({ kind: 'poll-update', pollMessageId: 'P', question: 'Rate us', votes: [{ option: 'Good', voters: ['a', 'b'] }] })).toContain('• Good: 2');
		expect(renderContent({ kind: 'choice', text: 'Green' })).toBe('🔘 Selected: Green');
		expect(renderContent({ kind: 'reaction', targetMessageId: 'X', emoji: '👍' })).toBe('Reacted 👍 to this message');
		expect(renderContent({ kind: 'reaction', targetMessageId: 'X', emoji: '' })).toBe('Removed a reaction');
		expect(renderContent({ kind: 'edit', targetMessageId: 'X', text: 'new' })).toBe('✏️ Edited a message: new');
		expect(renderContent({ kind: 'delete', targetMessageId: 'X' })).toContain('deleted');
		expect(renderContent({ kind: 'marker', marker: 'empty-first-message', originalType: 'textMessage' })).toContain('send it again');
		expect(renderContent({ kind: 'unsupported', type: 'groupInviteMessage' })).toContain('"groupInviteMessage"');
	});

	it('falls back to the file label for media without caption', () => {
		expect(renderContent({ kind: 'media', media: 'voice', ref: 'u', fileName: 'a.ogg' })).toBe('Voice message (a.ogg)');
		expect(renderContent({ kind: 'media', media: 'image', ref: 'u', fileName: 'a.jpg', caption: 'look' })).toBe('look');
	});
});

describe('quotes and senders', () => {
	it('quotes text line by line, or says it is a reply', () => {
		expect(renderQuote('a\nb')).toBe('> a\n> b\n');
		expect(renderQuote(undefined)).toBe('> (reply to an earlier message)\n');
	});

	it('links a quoted message the way Rocket.Chat does', () => {
		expect(quoteLink('http://rc.test/', 'R1', 'M1')).toBe('[ ](http://rc.test/live/R1?msg=M1) ');
	});

	it('names the group member only in group chats', () => {
		const base = { type: 'message', instanceId: '1', chatId: 'c', messageId: 'm', timestamp: 0, sender: { id: 's', name: 'Anna' }, content: { kind: 'text', text: 'x' } } as InboundMessage;
		expect(senderPrefix({ ...base, isGroup: false })).toBe('');
		expect(senderPrefix({ ...base, isGroup: true, groupName: 'Team' })).toBe('*Anna* (Team): ');
	});
});
