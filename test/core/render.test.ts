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

	it('shows e-mails of shared contacts, a list row\'s description, and what an unsupported message lacked', () => {
		expect(renderContent({ kind: 'contacts', contacts: [{ name: 'Jane', phones: ['+1 650'], emails: ['jane@example.com'] }] })).toContain('• Jane: +1 650, jane@example.com');
		expect(renderContent({ kind: 'choice', text: 'Express', description: '1-2 days' })).toBe('🔘 Selected: Express — 1-2 days');
		expect(renderContent({ kind: 'unsupported', type: 'poll_update', detail: 'Message type is currently not supported.' })).toBe(
			'⚠️ Unsupported WhatsApp message type "poll_update": ask the customer to send it another way. (Message type is currently not supported.)',
		);
	});

	it('lists an order with its items and total', () => {
		const items = [{ productId: 'di9ozbzfi4', quantity: 2, price: 7.99, currency: 'USD' }, { productId: 'b3kk1l', quantity: 1, price: 12.5, currency: 'USD' }];
		expect(renderContent({ kind: 'order', catalogId: 'C', text: 'Love these!', items })).toBe('🛒 Order (items: 2)\n• di9ozbzfi4 × 2 — 7.99 USD\n• b3kk1l × 1 — 12.5 USD\nTotal: 28.48 USD\nLove these!');
		expect(renderContent({ kind: 'order', items: [{ productId: 'x', quantity: 1 }] })).toBe('🛒 Order (items: 1)\n• x × 1');
		expect(renderContent({ kind: 'order', items: [{ productId: 'x', quantity: 1, price: 1, currency: 'EUR' }, { productId: 'y', quantity: 1, price: 1, currency: 'USD' }] })).not.toContain('Total');
	});

	it('tells system notices and the ad a customer came from', () => {
		expect(renderContent({ kind: 'system', event: 'number-changed', newId: '12195555358', text: 'User changed' })).toBe('ℹ️ The customer changed their WhatsApp number to +12195555358.');
		expect(renderContent({ kind: 'system', event: 'user-id-changed', text: 'x' })).toBe("ℹ️ The customer's WhatsApp user id changed.");
		expect(renderContent({ kind: 'system', event: 'other', text: 'Something happened' })).toBe('ℹ️ Something happened');
		expect(renderContent({ kind: 'referral', sourceType: 'ad', headline: 'Summer sale', body: '20% off', sourceUrl: 'https://fb.me/x' })).toBe('📣 The customer came from an ad: Summer sale — 20% off\nhttps://fb.me/x');
		expect(renderContent({ kind: 'referral', sourceType: 'post', sourceUrl: 'https://fb.me/p' })).toBe('📣 The customer came from a post\nhttps://fb.me/p');
		expect(renderContent({ kind: 'referral', headline: 'Hi' })).toBe('📣 The customer came from a link: Hi');
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
