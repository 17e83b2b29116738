import { InboundMessage } from '../../../src/core/ports/events';
import { parseJournal } from '../../../src/providers/greenapi/journal';
import { parseWebhook } from '../../../src/providers/greenapi/webhook';
import * as F from '../../fixtures/greenapi';
import { GA } from '../../fixtures/greenapi';

const ctx = { instanceId: GA.idInstance, wid: GA.wid };

describe('parseJournal', () => {
	it('parses the documented flat entries', () => {
		const entries = [
			F.journalEntry('textMessage', { textMessage: 'Hello' }, { idMessage: 'J1', senderContactName: 'Anna (CRM)' }),
			F.journalEntry('imageMessage', { downloadUrl: 'https://m.example/a.jpg', caption: 'Image', fileName: 'a.jpg', mimeType: 'image/jpeg', jpegThumbnail: '' }, { idMessage: 'J2' }),
			F.journalEntry('locationMessage', { location: { nameLocation: 'Home', address: 'Main st', latitude: 44.9, longitude: 89.8 } }, { idMessage: 'J3' }),
			F.journalEntry('contactMessage', { contact: { displayName: 'Alex', vcard: F.vcard('Alex', '+7 234 567 8901') } }, { idMessage: 'J4' }),
			F.journalEntry('extendedTextMessage', { textMessage: 'https://x.example', extendedTextMessage: { text: 'https://x.example', title: 'X', description: 'Desc' } }, { idMessage: 'J5' }),
			F.journalEntry('quotedMessage', { textMessage: 'this one', quotedMessage: { stanzaId: 'Q1', participant: GA.wid, typeMessage: 'textMessage', textMessage: 'Which?' } }, { idMessage: 'J6' }),
		];
		const out = parseJournal(entries, ctx);
		expect(out.map((m) => m.messageId)).toEqual(['J1', 'J2', 'J3', 'J4', 'J5', 'J6']);
		expect(out[0]).toEqual({
			type: 'message',
			instanceId: GA.idInstance,
			chatId: GA.chatId,
			messageId: 'J1',
			timestamp: GA.timestamp * 1000,
			sender: { id: GA.chatId, name: 'Anna (CRM)', phone: GA.phone },
			isGroup: false,
			content: { kind: 'text', text: 'Hello' },
		});
		expect(out[1].content).toEqual({ kind: 'media', media: 'image', ref: 'https://m.example/a.jpg', fileName: 'a.jpg', mimeType: 'image/jpeg', caption: 'Image' });
		expect(out[2].content).toEqual({ kind: 'location', latitude: 44.9, longitude: 89.8, name: 'Home', address: 'Main st' });
		expect(out[3].content).toEqual({ kind: 'contacts', contacts: [{ name: 'Alex', phones: ['+72345678901'] }] });
		expect(out[4].content).toEqual({ kind: 'text', text: 'https://x.example', linkTitle: 'X', linkDescription: 'Desc' });
		expect(out[5].content).toEqual({ kind: 'text', text: 'this one' });
		expect(out[5].quoted).toEqual({ messageId: 'Q1', text: 'Which?', fromBusiness: true });
	});

	it('converts exactly like the webhook for every fixture type', () => {
		const types: F.MessageData[] = [
			F.textMessage('hi'),
			F.extendedTextMessage('https://x.example', { title: 'T', description: 'D' }),
			F.imageMessage(undefined, 'cap'),
			F.videoMessage(),
			F.documentMessage(),
			F.audioMessage(),
			F.voiceMessage(),
			F.stickerMessage(),
			F.locationMessage(1, 2, { name: 'N', address: 'A' }),
			F.contactMessage(),
			F.contactsArrayMessage(),
			F.pollMessage(),
			F.pollUpdateMessage('P1'),
			F.buttonsResponseMessage(),
			F.listResponseMessage(),
			F.templateButtonReplyMessage(),
			F.templateButtonReplyMessage('red', 'id1', 'S', 'templateButtonReplyMessage'),
			F.interactiveButtonsReply(),
			F.reactionMessage('👍', 'T1'),
			F.editedMessage('T2', 'new'),
			F.deletedMessage('T3'),
			F.markerMessage('SWE001'),
			F.markerMessage('SWE002'),
			F.legacyQuotedMessage('yes', F.quoted('Q1', { text: 'Which?' })),
			F.withQuote(F.imageMessage(), F.quoted('Q2', { text: 'photo?' })),
			F.forwarded(F.textMessage('fwd')),
			F.otherMessage('groupInviteMessage'),
		];
		for (const md of types) {
			const hook = F.incoming(md);
			const fromHook = parseWebhook(hook) as InboundMessage;
			const [fromJournal] = parseJournal([F.journalOf(hook)], ctx);
			expect({ type: md.typeMessage, m: fromJournal }).toEqual({ type: md.typeMessage, m: fromHook });
		}
	});

	it('group entries: senderId is the member', () => {
		const [m] = parseJournal([F.journalEntry('textMessage', { textMessage: 'hi' }, { chatId: GA.groupId, senderId: GA.member, senderName: 'Boris', chatName: 'Support group' })], ctx);
		expect(m.isGroup).toBe(true);
		expect(m.groupName).toBe('Support group');
		expect(m.sender).toEqual({ id: GA.member, name: 'Boris', phone: '+79005550000' });
	});

	it('skips non-incoming, id-less and non-object entries; accepts entries without `type`', () => {
		const noType = F.journalEntry('textMessage', { textMessage: 'old doc shape' }, { idMessage: 'J9' });
		delete noType.type;
		const out = parseJournal(
			[
				{ ...F.journalEntry('textMessage', { textMessage: 'mine' }), type: 'outgoing' },
				{ ...F.journalEntry('textMessage', { textMessage: 'x' }), idMessage: '' },
				{ ...F.journalEntry('textMessage', { textMessage: 'x' }), chatId: undefined },
				null,
				'str',
				7,
				noType,
			],
			ctx,
		);
		expect(out.map((m) => m.messageId)).toEqual(['J9']);
	});

	it('maps unknown or fieldless types to unsupported', () => {
		const out = parseJournal([F.journalEntry('brandNewMessage', {}, { idMessage: 'U1' }), F.journalEntry('', {}, { idMessage: 'U2' })], ctx);
		expect(out[0].content).toEqual({ kind: 'unsupported', type: 'brandNewMessage' });
		expect(out[1].content).toEqual({ kind: 'unsupported', type: 'typeMessage', reason: 'unreadable' });
	});

	it('returns [] for non-arrays', () => {
		expect(parseJournal(null, ctx)).toEqual([]);
		expect(parseJournal({ messages: [] }, ctx)).toEqual([]);
	});

	it('accepts webhook-shaped data keys inside journal entries', () => {
		const [m] = parseJournal([F.journalEntry('textMessage', { textMessageData: { textMessage: 'nested' } })], ctx);
		expect(m.content).toEqual({ kind: 'text', text: 'nested' });
	});
});

describe('parseOutgoingJournal', () => {
	it('reads the delivery state of each sent message and skips pending or odd entries', () => {
		const { parseOutgoingJournal } = require('../../../src/providers/greenapi/journal');
		const out = parseOutgoingJournal([
			{ type: 'outgoing', idMessage: 'O1', chatId: GA.chatId, timestamp: 1733146120, statusMessage: 'delivered', sendByApi: true },
			{ type: 'outgoing', idMessage: 'O2', chatId: GA.chatId, timestamp: 1733146121, statusMessage: 'pending' },
			{ type: 'outgoing', idMessage: 'O3', chatId: GA.chatId, statusMessage: 'failed' },
			{ idMessage: 'O4', statusMessage: 'read' },
			'garbage',
			null,
		], ctx);
		expect(out).toEqual([
			{ type: 'status', instanceId: GA.idInstance, chatId: GA.chatId, messageId: 'O1', status: 'delivered', timestamp: 1733146120000 },
			{ type: 'status', instanceId: GA.idInstance, chatId: GA.chatId, messageId: 'O3', status: 'failed', failure: { code: 'delivery_failed', reason: 'WhatsApp reported a failure' }, timestamp: 0 },
		]);
		expect(parseOutgoingJournal({ not: 'an array' }, ctx)).toEqual([]);
	});
});
