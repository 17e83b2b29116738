import { InboundMessage } from '../../../src/core/ports/events';
import { parseWebhook, verifyWebhook, webhookInstanceId } from '../../../src/providers/greenapi/webhook';
import * as F from '../../fixtures/greenapi';
import { GA } from '../../fixtures/greenapi';

const instance = F.greenApiInstance();

function msg(payload: unknown): InboundMessage {
	const e = parseWebhook(payload);
	if (e.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(e)}`);
	return e;
}

describe('webhookInstanceId', () => {
	it('prefers query instance, then idInstance, then the payload', () => {
		const body = F.incoming(F.textMessage('hi'));
		expect(webhookInstanceId({ headers: {}, query: { instance: '42' }, content: body })).toBe('42');
		expect(webhookInstanceId({ headers: {}, query: { idInstance: '43' }, content: body })).toBe('43');
		expect(webhookInstanceId({ headers: {}, query: {}, content: body })).toBe(GA.idInstance);
	});

	it('reads a string idInstance and a raw JSON body', () => {
		expect(webhookInstanceId({ headers: {}, query: {}, content: { instanceData: { idInstance: '7103000001' } } })).toBe('7103000001');
		expect(webhookInstanceId({ headers: {}, query: {}, content: JSON.stringify(F.stateChanged('authorized')) })).toBe(GA.idInstance);
	});

	it('is undefined when nothing names an instance', () => {
		expect(webhookInstanceId({ headers: {}, query: {}, content: {} })).toBeUndefined();
		expect(webhookInstanceId({ headers: {}, query: { instance: '  ' }, content: null })).toBeUndefined();
		expect(webhookInstanceId({ headers: {}, query: {}, content: 'not json' })).toBeUndefined();
	});
});

describe('verifyWebhook', () => {
	const body = F.incoming(F.textMessage('hi'));

	it('accepts Bearer <token> and the bare token', () => {
		expect(verifyWebhook(F.webhookRequest(body), instance)).toBe(true);
		expect(verifyWebhook(F.webhookRequest(body, { bearer: false }), instance)).toBe(true);
		expect(verifyWebhook({ ...F.webhookRequest(body), headers: { authorization: `bearer   ${GA.webhookToken}  ` } }, instance)).toBe(true);
	});

	it('finds the header even if keys were not lowercased', () => {
		expect(verifyWebhook({ headers: { Authorization: `Bearer ${GA.webhookToken}` }, query: {}, content: body }, instance)).toBe(true);
	});

	it('rejects a wrong token, a token of another length, a missing header, another scheme', () => {
		const same = GA.webhookToken.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x'));
		expect(same).toHaveLength(GA.webhookToken.length);
		expect(verifyWebhook(F.webhookRequest(body, { token: same }), instance)).toBe(false);
		expect(verifyWebhook(F.webhookRequest(body, { token: 'short' }), instance)).toBe(false);
		expect(verifyWebhook(F.webhookRequest(body, { token: GA.webhookToken + 'x' }), instance)).toBe(false);
		expect(verifyWebhook(F.webhookRequest(body, { token: '' }), instance)).toBe(false);
		expect(verifyWebhook(F.webhookRequest(body, { token: null }), instance)).toBe(false);
		expect(verifyWebhook({ ...F.webhookRequest(body), headers: { authorization: `Basic ${GA.webhookToken}` } }, instance)).toBe(false);
	});

	it('never accepts when the instance has no webhook token', () => {
		const open = F.greenApiInstance({ webhookSecret: '' });
		expect(verifyWebhook(F.webhookRequest(body, { token: '' }), open)).toBe(false);
		expect(verifyWebhook(F.webhookRequest(body, { token: '', bearer: false }), open)).toBe(false);
	});

	it('rejects a payload or query naming another instance', () => {
		expect(verifyWebhook(F.webhookRequest(F.incoming(F.textMessage('hi'), { idInstance: 1101000002 })), instance)).toBe(false);
		expect(verifyWebhook(F.webhookRequest(body, { query: { instance: '1101000002' } }), instance)).toBe(false);
		expect(verifyWebhook(F.webhookRequest(body, { query: { instance: GA.idInstance } }), instance)).toBe(true);
	});

	it('accepts a payload without instanceData (nothing to contradict)', () => {
		expect(verifyWebhook(F.webhookRequest({ typeWebhook: 'somethingNew' }), instance)).toBe(true);
	});
});

describe('parseWebhook: envelope', () => {
	it('parses a private text message', () => {
		const m = msg(F.incoming(F.textMessage('I need help with order 42'), { idMessage: 'BAE597DC5CB134F7', senderContactName: 'Anna (CRM)' }));
		expect(m).toEqual({
			type: 'message',
			instanceId: GA.idInstance,
			chatId: GA.chatId,
			messageId: 'BAE597DC5CB134F7',
			timestamp: GA.timestamp * 1000,
			sender: { id: GA.chatId, name: 'Anna (CRM)', phone: GA.phone },
			isGroup: false,
			content: { kind: 'text', text: 'I need help with order 42' },
		});
	});

	it('names the sender: contact name, push-name, chat name, then phone', () => {
		expect(msg(F.incoming(F.textMessage('x'), { senderContactName: '', senderName: 'Ann', chatName: 'Chat' })).sender.name).toBe('Ann');
		expect(msg(F.incoming(F.textMessage('x'), { senderContactName: '', senderName: '', chatName: 'Chat' })).sender.name).toBe('Chat');
		expect(msg(F.incoming(F.textMessage('x'), { senderContactName: ' ', senderName: '', chatName: '' })).sender.name).toBe(GA.phone);
	});

	it('never derives a phone from @lid ids, but uses a @c.us author of a @lid chat', () => {
		const lid = msg(F.incoming(F.textMessage('x'), { chatId: '123456789012345@lid', senderName: 'Lia' }));
		expect(lid.sender).toEqual({ id: '123456789012345@lid', name: 'Lia' });
		const lidNoName = msg(F.incoming(F.textMessage('x'), { chatId: '123456789012345@lid' }));
		expect(lidNoName.sender).toEqual({ id: '123456789012345@lid', name: '123456789012345@lid' });
		const mixed = msg(F.incoming(F.textMessage('x'), { chatId: '123456789012345@lid', sender: '79001112233@c.us', senderName: 'Lia' }));
		expect(mixed.sender).toEqual({ id: '123456789012345@lid', name: 'Lia', phone: '+79001112233' });
	});

	it('parses a group message: the member is the sender, chatName the group', () => {
		const m = msg(F.groupIncoming(F.textMessage('hello all')));
		expect(m.isGroup).toBe(true);
		expect(m.chatId).toBe(GA.groupId);
		expect(m.groupName).toBe(GA.groupName);
		expect(m.sender).toEqual({ id: GA.member, name: GA.memberName, phone: '+79005550000' });
	});

	it('a group member without names falls back to the phone, never to the group name', () => {
		const m = msg(F.groupIncoming(F.textMessage('x'), { memberName: '' }));
		expect(m.sender.name).toBe('+79005550000');
		const lidMember = msg(F.groupIncoming(F.textMessage('x'), { member: '555@lid', memberName: '' }));
		expect(lidMember.sender).toEqual({ id: '555@lid', name: '555@lid' });
	});

	it('converts seconds to ms and tolerates ms or a missing timestamp', () => {
		expect(msg(F.incoming(F.textMessage('x'), { timestamp: 1733146115 })).timestamp).toBe(1733146115000);
		expect(msg(F.incoming(F.textMessage('x'), { timestamp: 1733146115123 })).timestamp).toBe(1733146115123);
		const p = F.incoming(F.textMessage('x'));
		delete p.timestamp;
		const before = Date.now();
		expect(msg(p).timestamp).toBeGreaterThanOrEqual(before);
	});

	it('marks forwarded messages', () => {
		expect(msg(F.incoming(F.forwarded(F.imageMessage()))).forwarded).toBe(true);
		expect(msg(F.incoming(F.forwarded(F.extendedTextMessage('https://x.example')))).forwarded).toBe(true);
		expect(msg(F.incoming(F.imageMessage())).forwarded).toBeUndefined();
	});
});

describe('parseWebhook: every typeMessage', () => {
	const content = (md: F.MessageData) => msg(F.incoming(md)).content;

	it('textMessage / extendedTextMessage', () => {
		expect(content(F.textMessage('hi'))).toEqual({ kind: 'text', text: 'hi' });
		expect(content(F.extendedTextMessage('https://shop.example/p/1', { title: 'Shop', description: 'Red shoes' }))).toEqual({
			kind: 'text',
			text: 'https://shop.example/p/1',
			linkTitle: 'Shop',
			linkDescription: 'Red shoes',
		});
		expect(content(F.extendedTextMessage('*bold*'))).toEqual({ kind: 'text', text: '*bold*' });
	});

	it('quotedMessage (deprecated reply form)', () => {
		const m = msg(F.incoming(F.legacyQuotedMessage('yes, this one', F.quoted('3EB063C771F28EB323FAE3', { text: 'Which order?' }))));
		expect(m.content).toEqual({ kind: 'text', text: 'yes, this one' });
		expect(m.quoted).toEqual({ messageId: '3EB063C771F28EB323FAE3', text: 'Which order?', fromBusiness: true });
	});

	it('the reference sample of the deprecated form, verbatim', () => {
		const m = msg(
			F.incoming({
				typeMessage: 'quotedMessage',
				extendedTextMessageData: { text: 'yes, this one', stanzaId: '3EB063C771F28EB323FAE3', participant: '71234567890@c.us' },
				quotedMessage: { stanzaId: '3EB063C771F28EB323FAE3', participant: '79876543210@c.us', typeMessage: 'textMessage', textMessage: 'Which order?' },
			}, { wid: '79876543210@c.us' }),
		);
		expect(m.quoted).toEqual({ messageId: '3EB063C771F28EB323FAE3', text: 'Which order?', fromBusiness: true });
	});

	it('image / video / document / sticker', () => {
		expect(content(F.imageMessage(`${GA.mediaBase}/a.jpg`, 'broken part'))).toEqual({
			kind: 'media',
			media: 'image',
			ref: `${GA.mediaBase}/a.jpg`,
			fileName: 'a0128ca6.jpg',
			mimeType: 'image/jpeg',
			caption: 'broken part',
		});
		expect(content(F.videoMessage())).toMatchObject({ kind: 'media', media: 'video', mimeType: 'video/mp4' });
		expect(content(F.documentMessage(undefined, 'invoice.pdf'))).toEqual({
			kind: 'media',
			media: 'document',
			ref: `${GA.mediaBase}/invoice.pdf`,
			fileName: 'invoice.pdf',
			mimeType: 'application/pdf',
		});
		expect(content(F.stickerMessage())).toMatchObject({ kind: 'media', media: 'sticker', mimeType: 'image/webp' });
	});

	it('audio: opus / ptt → voice, otherwise audio', () => {
		expect(content(F.voiceMessage())).toMatchObject({ kind: 'media', media: 'voice', mimeType: 'audio/ogg; codecs=opus' });
		expect(content(F.audioMessage())).toMatchObject({ kind: 'media', media: 'audio', mimeType: 'audio/mpeg' });
		const ptt = F.audioMessage(undefined, 'audio/ogg');
		(ptt.fileMessageData as F.Json).ptt = true;
		expect(content(ptt)).toMatchObject({ media: 'voice' });
		expect(content(F.audioMessage(undefined, 'audio/ogg'))).toMatchObject({ media: 'audio' });
	});

	it('media without fileName takes it from the URL; without URL is unreadable', () => {
		const md = F.imageMessage('https://cdn.example/x/photo%201.jpg?sig=abc');
		delete (md.fileMessageData as F.Json).fileName;
		expect(content(md)).toMatchObject({ fileName: 'photo 1.jpg' });
		const noUrl = F.imageMessage('');
		expect(content(noUrl)).toEqual({ kind: 'unsupported', type: 'imageMessage', reason: 'unreadable' });
	});

	it('locationMessage', () => {
		expect(content(F.locationMessage(44.93, 89.87, { name: 'Warehouse', address: 'Main st 1' }))).toEqual({
			kind: 'location',
			latitude: 44.93,
			longitude: 89.87,
			name: 'Warehouse',
			address: 'Main st 1',
		});
		expect(content(F.locationMessage(-1.5, 0))).toEqual({ kind: 'location', latitude: -1.5, longitude: 0 });
		expect(content({ typeMessage: 'locationMessage', locationMessageData: { latitude: 'x' } })).toEqual({ kind: 'unsupported', type: 'locationMessage' });
	});

	it('contactMessage: name and phone from the vCard (waid wins)', () => {
		expect(content(F.contactMessage('Alex Smit', '+7 234 567 8901'))).toEqual({ kind: 'contacts', contacts: [{ name: 'Alex Smit', phones: ['+72345678901'] }] });
		// The reference sample, verbatim.
		expect(
			content({
				typeMessage: 'contactMessage',
				contactMessageData: { displayName: 'Alex Smit', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Alex Smit\nTEL;type=CELL;waid=72345678901:+7 234 567 8901\nEND:VCARD' },
			}),
		).toEqual({ kind: 'contacts', contacts: [{ name: 'Alex Smit', phones: ['+72345678901'] }] });
	});

	it('contactsArrayMessage (nested key messageData)', () => {
		expect(content(F.contactsArrayMessage())).toEqual({
			kind: 'contacts',
			contacts: [
				{ name: 'Alex Smit', phones: ['+72345678901'] },
				{ name: 'Maria', phones: ['+79001112233'] },
			],
		});
	});

	it('pollMessage / pollUpdateMessage', () => {
		expect(content(F.pollMessage('Rate us', ['Good', 'Bad'], true))).toEqual({ kind: 'poll', question: 'Rate us', options: ['Good', 'Bad'], multipleAnswers: true });
		expect(content(F.pollUpdateMessage('BAE59896B404EB11'))).toEqual({
			kind: 'poll-update',
			pollMessageId: 'BAE59896B404EB11',
			question: 'Rate us',
			votes: [
				{ option: 'Good', voters: [GA.chatId] },
				{ option: 'Bad', voters: [] },
			],
		});
	});

	it('button, list, template (both spellings) and interactive replies → choice', () => {
		expect(content(F.buttonsResponseMessage('Green', '1', 'BAE53AFDD5F0C137'))).toEqual({ kind: 'choice', text: 'Green', choiceId: '1', inReplyTo: 'BAE53AFDD5F0C137' });
		expect(content(F.listResponseMessage('Option 2', 'option2', 'S1'))).toEqual({ kind: 'choice', text: 'Option 2', choiceId: 'option2', inReplyTo: 'S1' });
		expect(content(F.templateButtonReplyMessage('red', 'id1', 'S2', 'templateButtonsReplyMessage'))).toEqual({ kind: 'choice', text: 'red', choiceId: 'id1', inReplyTo: 'S2' });
		expect(content(F.templateButtonReplyMessage('red', 'id1', 'S2', 'templateButtonReplyMessage'))).toEqual({ kind: 'choice', text: 'red', choiceId: 'id1', inReplyTo: 'S2' });
		expect(content(F.interactiveButtonsReply('Second Button', '2', 'S3'))).toEqual({ kind: 'choice', text: 'Second Button', choiceId: '2', inReplyTo: 'S3' });
		expect(content({ typeMessage: 'interactiveButtonsResponse', interactiveButtonsResponse: { stanzaId: 'S4', selectedIndex: 1, selectedId: '2', selectedDisplayText: 'Two' } })).toEqual({
			kind: 'choice',
			text: 'Two',
			choiceId: '2',
			inReplyTo: 'S4',
		});
		// A reply-buttons *message* (no selection) is not a choice: it is a message with buttons.
		expect(content({ typeMessage: 'interactiveButtonsReply', interactiveButtonsReply: { body: 'Pick one', buttons: [] } })).toEqual({ kind: 'buttons', body: 'Pick one', buttons: [] });
	});

	it('reactionMessage → reaction; removal is an empty emoji; the target is not a quote', () => {
		const m = msg(F.incoming(F.reactionMessage('👍', 'F7AEC1B7086ECDC7E6E45923F5EDB825')));
		expect(m.content).toEqual({ kind: 'reaction', targetMessageId: 'F7AEC1B7086ECDC7E6E45923F5EDB825', emoji: '👍' });
		expect(m.quoted).toBeUndefined();
		expect(content(F.reactionMessage('', 'T1'))).toEqual({ kind: 'reaction', targetMessageId: 'T1', emoji: '' });
	});

	it('editedMessage / deletedMessage', () => {
		expect(content(F.editedMessage('BAE5AFC355030F7A', 'New text'))).toEqual({ kind: 'edit', targetMessageId: 'BAE5AFC355030F7A', text: 'New text' });
		expect(content(F.deletedMessage('BAE5AFC355030F7A'))).toEqual({ kind: 'delete', targetMessageId: 'BAE5AFC355030F7A' });
		expect(content({ typeMessage: 'deletedMessage', deletedMessageData: {} })).toEqual({ kind: 'unsupported', type: 'deletedMessage' });
	});

	it('markers SWE001–SWE004', () => {
		expect(content(F.markerMessage('SWE001'))).toEqual({ kind: 'marker', marker: 'empty-first-message', originalType: 'textMessage' });
		expect(content(F.markerMessage('SWE002'))).toEqual({ kind: 'marker', marker: 'file-too-large', originalType: 'imageMessage' });
		expect(content(F.markerMessage('SWE003'))).toEqual({ kind: 'marker', marker: 'decryption-failed', originalType: 'textMessage' });
		expect(content(F.markerMessage('SWE004'))).toEqual({ kind: 'marker', marker: 'group-too-large', originalType: 'textMessage' });
		// The file's name survives the marker (it is not in the marker's own field).
		expect(content(F.documentMessage('{{SWE002}}', 'big.zip', 'application/zip'))).toEqual({ kind: 'marker', marker: 'file-too-large', originalType: 'documentMessage', fileName: 'big.zip' });
	});

	it('unknown types → unsupported with the type', () => {
		for (const t of ['groupInviteMessage', 'buttonsMessage', 'listMessage', 'templateMessage', 'brandNewMessage']) {
			expect(content(F.otherMessage(t))).toEqual({ kind: 'unsupported', type: t });
		}
	});

	it('a missing messageData or typeMessage, or a type that is no identifier, → unreadable (never shown as a type)', () => {
		const unreadable = (type: string) => ({ kind: 'unsupported', type, reason: 'unreadable' });
		expect(msg({ ...F.incoming(F.textMessage('x')), messageData: undefined }).content).toEqual(unreadable('messageData'));
		expect(content({ typeMessage: 42 } as unknown as F.MessageData)).toEqual(unreadable('typeMessage'));
		for (const t of ['', ' textMessage', '<b>x</b>', '[x](http://evil)', 'a'.repeat(65), 'text\u0000Message']) {
			expect(content(F.otherMessage(t))).toEqual(unreadable('typeMessage'));
		}
	});
});

describe('parseWebhook: quoted replies', () => {
	it('quotes on any type, with text and authorship', () => {
		const m = msg(F.incoming(F.withQuote(F.imageMessage(), F.quoted('Q1', { text: 'Send a photo please' }))));
		expect(m.content.kind).toBe('media');
		expect(m.quoted).toEqual({ messageId: 'Q1', text: 'Send a photo please', fromBusiness: true });
		const own = msg(F.incoming(F.withQuote(F.textMessage('again'), F.quoted('Q2', { text: 'first', fromBusiness: false }))));
		expect(own.quoted).toEqual({ messageId: 'Q2', text: 'first', fromBusiness: false });
	});

	it('renders quoted non-text content plainly', () => {
		const q = (message: F.MessageData) => msg(F.incoming(F.withQuote(F.textMessage('re'), F.quoted('Q', { message })))).quoted;
		expect(q(F.imageMessage(undefined, 'the part'))?.text).toBe('the part');
		expect(q(F.imageMessage())?.text).toBe('[image]');
		expect(q(F.documentMessage())?.text).toBe('[document: invoice.pdf]');
		expect(q(F.locationMessage(1, 2, { name: 'Warehouse' }))?.text).toBe('[location: Warehouse]');
		expect(q(F.contactMessage('Alex'))?.text).toBe('[contact: Alex]');
		expect(q(F.extendedTextMessage('see https://x.example'))?.text).toBe('see https://x.example');
		expect(q(F.pollMessage('Rate us'))?.text).toBe('[poll: Rate us]');
	});

	it('omits text when the quote carries no content and fromBusiness when wid is unknown', () => {
		const p = F.incoming(F.withQuote(F.textMessage('re'), { stanzaId: 'Q9', participant: GA.wid }), { wid: '' });
		expect(msg(p).quoted).toEqual({ messageId: 'Q9' });
	});

	it('ignores a quote without stanzaId', () => {
		expect(msg(F.incoming(F.withQuote(F.textMessage('re'), { participant: GA.wid }))).quoted).toBeUndefined();
	});
});

describe('parseWebhook: statuses and state', () => {
	it.each(['sent', 'delivered', 'read', 'pending'])('status %s', (s) => {
		expect(parseWebhook(F.status('3EB0608D6A2901063D63', s))).toEqual({
			type: 'status',
			instanceId: GA.idInstance,
			chatId: GA.chatId,
			messageId: '3EB0608D6A2901063D63',
			status: s,
			timestamp: (GA.timestamp + 5) * 1000,
		});
	});

	// GREEN-API's failure names are mapped inside the adapter: the core sees `failed` and a reason code.
	it.each([
		['failed', 'delivery_failed'],
		['noAccount', 'delivery_no_account'],
		['notInGroup', 'delivery_not_in_group'],
		['yellowCard', 'delivery_suspended'],
	])('status %s → failed with reason %s', (s, code) => {
		expect(parseWebhook(F.status('3EB0608D6A2901063D63', s))).toEqual({
			type: 'status',
			instanceId: GA.idInstance,
			chatId: GA.chatId,
			messageId: '3EB0608D6A2901063D63',
			status: 'failed',
			failure: { code, reason: expect.any(String) },
			timestamp: (GA.timestamp + 5) * 1000,
		});
	});

	it('keeps the failure description (it says more than the state name)', () => {
		expect(parseWebhook(F.status('M1', 'failed', { description: 'Recipient blocked' }))).toMatchObject({ status: 'failed', failure: { reason: 'Recipient blocked' } });
		expect(parseWebhook(F.status('M1', 'noAccount', { description: 'no such user' }))).toMatchObject({ status: 'failed', failure: { reason: 'no such user' } });
	});

	it('ignores unknown statuses and statuses without ids', () => {
		expect(parseWebhook(F.status('M1', 'teleported'))).toMatchObject({ type: 'ignored', instanceId: GA.idInstance });
		expect(parseWebhook({ ...F.status('M1', 'read'), idMessage: undefined })).toMatchObject({ type: 'ignored' });
	});

	it('stateInstanceChanged', () => {
		expect(parseWebhook(F.stateChanged('notAuthorized', { timestamp: 1586700690 }))).toEqual({
			type: 'state',
			instanceId: GA.idInstance,
			health: 'unlinked',
			detail: 'notAuthorized',
			timestamp: 1586700690000,
		});
		expect(parseWebhook(F.stateChanged('authorized'))).toMatchObject({ health: 'connected', detail: 'authorized' });
		expect(parseWebhook(F.stateChanged('yellowCard'))).toMatchObject({ health: 'restricted', detail: 'yellowCard' });
		expect(parseWebhook(F.stateChanged('sleepMode'))).toMatchObject({ health: 'offline', detail: 'sleepMode' });
		expect(parseWebhook({ ...F.stateChanged('x'), stateInstance: '' })).toMatchObject({ type: 'ignored' });
	});

	it('stateInstanceChanged: only the documented states are recorded', () => {
		for (const state of ['authorized', 'notAuthorized', 'blocked', 'starting', 'sleepMode', 'yellowCard']) expect(parseWebhook(F.stateChanged(state))).toMatchObject({ type: 'state', detail: state });
		for (const state of ['constructor', 'exploded', '<b>authorized</b>', 'authorized\u0000', 'x'.repeat(50_000)]) {
			const e = parseWebhook(F.stateChanged(state));
			expect(e).toMatchObject({ type: 'ignored', instanceId: GA.idInstance });
			expect(e.type === 'ignored' && e.reason.length).toBeLessThan(100);
		}
	});
});

describe('parseWebhook: ignored notifications and odd input', () => {
	it('turns a message typed on the business phone into a business-message event', () => {
		const p = F.outgoing(F.imageMessage('https://m.example/a.jpg', 'the part'), { idMessage: 'PHONE1' });
		expect(parseWebhook(p)).toEqual({
			type: 'business-message', instanceId: GA.idInstance, chatId: GA.chatId, messageId: 'PHONE1', timestamp: GA.timestamp * 1000,
			content: { kind: 'media', media: 'image', ref: 'https://m.example/a.jpg', fileName: 'a0128ca6.jpg', mimeType: 'image/jpeg', caption: 'the part' },
		});
		expect(parseWebhook({ ...p, senderData: undefined })).toMatchObject({ type: 'ignored' });
	});

	it('names the type for notifications the core does not consume yet', () => {
		expect(parseWebhook(F.outgoingApi(F.textMessage('echo')))).toEqual({ type: 'ignored', instanceId: GA.idInstance, reason: 'outgoingAPIMessageReceived' });
		expect(parseWebhook(F.incomingCall())).toEqual({ type: 'ignored', instanceId: GA.idInstance, reason: 'incomingCall' });
		expect(parseWebhook({ typeWebhook: 'deviceInfo' })).toEqual({ type: 'ignored', reason: 'deviceInfo' });
	});

	it('never throws', () => {
		const odd: unknown[] = [
			undefined,
			null,
			0,
			'',
			'{',
			'[]',
			[],
			{},
			{ typeWebhook: 42 },
			{ typeWebhook: 'incomingMessageReceived' },
			{ typeWebhook: 'incomingMessageReceived', instanceData: { idInstance: 1 } },
			{ typeWebhook: 'incomingMessageReceived', instanceData: { idInstance: 1 }, idMessage: 'x', senderData: { chatId: 5 } },
			{ typeWebhook: 'incomingMessageReceived', instanceData: { idInstance: 1 }, idMessage: 'x', senderData: { chatId: 'c@c.us' }, messageData: 'str' },
			{ typeWebhook: 'incomingMessageReceived', instanceData: { idInstance: 1 }, idMessage: 'x', senderData: { chatId: 'c@c.us' }, messageData: { typeMessage: 'contactsArrayMessage', messageData: { contacts: [null, 1, { vcard: 7 }] } } },
			{ typeWebhook: 'incomingMessageReceived', instanceData: { idInstance: 1 }, idMessage: 'x', senderData: { chatId: 'c@c.us' }, messageData: { typeMessage: 'pollUpdateMessage', pollMessageData: { stanzaId: 's', votes: [null, { optionName: 'a', optionVoters: 'b' }] } } },
			{ typeWebhook: 'incomingMessageReceived', instanceData: { idInstance: 1 }, idMessage: 'x', senderData: { chatId: 'c@c.us' }, messageData: { typeMessage: 'textMessage', quotedMessage: { stanzaId: 's', typeMessage: 'locationMessage', location: 5 } } },
			{ typeWebhook: 'outgoingMessageStatus', instanceData: { idInstance: {} } },
			{ typeWebhook: 'stateInstanceChanged', instanceData: null },
			Object.create(null),
		];
		const cyclic: Record<string, unknown> = { typeWebhook: 'incomingMessageReceived', instanceData: { idInstance: 1 }, idMessage: 'x', senderData: { chatId: 'c@c.us' } };
		cyclic.messageData = { typeMessage: 'textMessage', textMessageData: cyclic };
		odd.push(cyclic);
		const getterBomb = { get typeWebhook(): string { throw new Error('boom'); } };
		odd.push(getterBomb);
		for (const o of odd) {
			const e = parseWebhook(o);
			expect(['ignored', 'message', 'status', 'state']).toContain(e.type);
		}
		expect(parseWebhook(null)).toEqual({ type: 'ignored', reason: 'payload is not a JSON object' });
		expect(parseWebhook(getterBomb)).toEqual({ type: 'ignored', reason: 'unparseable payload' });
	});

	it('accepts a raw JSON string body', () => {
		expect(msg(JSON.stringify(F.incoming(F.textMessage('raw')))).content).toEqual({ kind: 'text', text: 'raw' });
	});
});
