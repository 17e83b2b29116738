// Bodies of the shapes GREEN-API publishes in its documentation (reference: green-api.md §5, §6, §13) that the
// app used to drop or show raw: messages with buttons, every spelling of button replies, quotaExceeded, status
// descriptions that are SWE codes, the SWE002 marker of a file, and statuses in the older format without chatId.
import { InboundMessage } from '../../../src/core/ports/events';
import { renderContent } from '../../../src/core/render';
import { describeFailure } from '../../../src/core/failures';
import { describedFailure, deliveryStatus } from '../../../src/providers/greenapi/statuses';
import { parseWebhook } from '../../../src/providers/greenapi/webhook';
import { setLanguage } from '../../../src/i18n/translate';
import * as F from '../../fixtures/greenapi';
import { GA } from '../../fixtures/greenapi';

function msg(payload: unknown): InboundMessage {
	const e = parseWebhook(payload);
	if (e.type !== 'message') throw new Error(`expected a message, got ${JSON.stringify(e)}`);
	return e;
}
const content = (md: F.MessageData) => msg(F.incoming(md)).content;

afterEach(() => setLanguage('en'));

describe('interactiveButtons (a business or a bot sent buttons)', () => {
	it('reads header, body, footer and each copy / call / url button with its code, phone or URL', () => {
		expect(content(F.interactiveButtons())).toEqual({
			kind: 'buttons',
			header: 'Order 42',
			body: 'Your order is ready for pickup 😃',
			footer: 'Shop Example',
			buttons: [
				{ action: 'copy', text: 'Copy code', id: '1', value: 'PICKUP-7781' },
				{ action: 'call', text: 'Call us', id: '2', value: '79123456789' },
				{ action: 'url', text: 'Track', id: '3', value: 'https://shop.example/track/42' },
			],
		});
	});

	it('renders them in the room: header, body, footer, and what each button does — not "unsupported"', () => {
		expect(renderContent(content(F.interactiveButtons()))).toBe(
			[
				'*Order 42*',
				'Your order is ready for pickup 😃',
				'_Shop Example_',
				'🔘 Buttons (3):',
				'• Copy code — copies PICKUP-7781',
				'• Call us — calls 79123456789',
				'• Track — opens https://shop.example/track/42',
			].join('\n'),
		);
		setLanguage('de');
		expect(renderContent(content(F.interactiveButtons()))).toContain('• Call us — ruft 79123456789 an');
	});

	it('also reads the header / body / footer names of the send method and outgoing echoes, and reply buttons', () => {
		const md = F.interactiveButtons({
			parts: { header: 'Pick one', body: 'How was your delivery?', footer: 'Thanks' },
			buttons: [{ type: 'reply', buttonId: 'good', buttonText: 'Good' }, { type: 'reply', buttonId: 'bad', buttonText: 'Bad' }],
		});
		expect(content(md)).toEqual({
			kind: 'buttons', header: 'Pick one', body: 'How was your delivery?', footer: 'Thanks',
			buttons: [{ action: 'reply', text: 'Good', id: 'good' }, { action: 'reply', text: 'Bad', id: 'bad' }],
		});
		expect(renderContent(content(md))).toBe('*Pick one*\nHow was your delivery?\n_Thanks_\n🔘 Buttons (2):\n• Good\n• Bad');
	});

	it('reads a message with reply buttons under both spellings of its type (interactiveButtonsReply / interactiveButtonReply)', () => {
		const buttons = [{ type: 'reply', buttonId: '1', buttonText: 'Yes' }];
		const expected = { kind: 'buttons', body: 'Confirm the order?', buttons: [{ action: 'reply', text: 'Yes', id: '1' }] };
		expect(content(F.interactiveButtons({ typeMessage: 'interactiveButtonsReply', parts: { body: 'Confirm the order?' }, buttons }))).toEqual(expected);
		expect(content(F.interactiveButtons({ typeMessage: 'interactiveButtonReply', parts: { body: 'Confirm the order?' }, buttons }))).toEqual(expected);
		// The docs name the data key after the other spelling: either key is read under either type.
		expect(content(F.interactiveButtons({ typeMessage: 'interactiveButtonReply', key: 'interactiveButtonsReply', parts: { body: 'Confirm the order?' }, buttons }))).toEqual(expected);
	});

	it('a tap on a button under any spelling is a choice', () => {
		const tap = { stanzaId: 'BAE5FB1FDA0E58E8', selectedIndex: 1, selectedId: '2', selectedDisplayText: 'Second Button' };
		const choice = { kind: 'choice', text: 'Second Button', choiceId: '2', inReplyTo: 'BAE5FB1FDA0E58E8' };
		for (const [typeMessage, key] of [
			['interactiveButtonsReply', 'interactiveButtonsReply'],
			['interactiveButtonReply', 'interactiveButtonReply'],
			['interactiveButtonReply', 'interactiveButtonsReply'],
			['interactiveButtonsResponse', 'interactiveButtonsResponse'],
		]) {
			expect(content({ typeMessage, [key]: tap })).toEqual(choice);
		}
		for (const typeMessage of ['templateButtonsReplyMessage', 'templateButtonReplyMessage']) {
			for (const key of ['templateButtonReplyMessage', 'templateButtonsReplyMessage']) {
				expect(content({ typeMessage, [key]: { stanzaId: 'S2', selectedIndex: 2, selectedId: 'id1', selectedDisplayText: 'red' } })).toEqual({ kind: 'choice', text: 'red', choiceId: 'id1', inReplyTo: 'S2' });
			}
		}
	});

	it('keeps buttons without a type by the field they carry, drops empty ones, and never shows an empty message', () => {
		const c = content(F.interactiveButtons({ parts: { contentText: 'Hi' }, buttons: [{ buttonText: 'Site', url: 'https://a.example' }, {}, 'x' as never, { type: 'call', buttonText: '   ' }] }));
		expect(c).toEqual({ kind: 'buttons', body: 'Hi', buttons: [{ action: 'url', text: 'Site', value: 'https://a.example' }] });
		expect(content({ typeMessage: 'interactiveButtons', interactiveButtons: { buttons: [] } })).toEqual({ kind: 'unsupported', type: 'interactiveButtons', reason: 'unreadable' });
		expect(content({ typeMessage: 'interactiveButtons' })).toEqual({ kind: 'unsupported', type: 'interactiveButtons', reason: 'unreadable' });
	});

	it('quotes a message with buttons by its body', () => {
		const reply = msg(F.incoming(F.withQuote(F.textMessage('the second'), { stanzaId: 'Q1', participant: GA.wid, typeMessage: 'interactiveButtons', interactiveButtons: { contentText: 'Which one?', buttons: [] } })));
		expect(reply.quoted).toEqual({ messageId: 'Q1', text: 'Which one?', fromBusiness: true });
	});
});

describe('{{SWE002}}: a file over 100 MB that GREEN-API did not fetch', () => {
	it('names the file and keeps the caption', () => {
		const md = F.documentMessage('{{SWE002}}', 'contract-scan.pdf', 'application/pdf', 'the signed contract');
		expect(content(md)).toEqual({ kind: 'marker', marker: 'file-too-large', originalType: 'documentMessage', fileName: 'contract-scan.pdf', caption: 'the signed contract' });
		expect(renderContent(content(md))).toBe('⚠️ The customer sent the file contract-scan.pdf, over 100 MB; WhatsApp did not pass it on.\nthe signed contract');
	});

	it('without a usable name (the marker in fileName too) says what it said before', () => {
		expect(renderContent(content(F.markerMessage('SWE002')))).toBe('⚠️ The customer sent a file over 100 MB; WhatsApp did not pass it on.');
		expect(renderContent(content(F.videoMessage('{{SWE002}}', 'look at this')))).toBe('⚠️ The customer sent the file 5b1c9d2e.mp4, over 100 MB; WhatsApp did not pass it on.\nlook at this');
	});
});

describe('status descriptions that are SWE codes', () => {
	it('maps the published forms to a translated reason, the raw text kept for logs', () => {
		expect(describedFailure('SWE004: 1000')).toEqual({ reason: 'SWE004: 1000', code: 'swe004_limit', params: { limit: '1000' } });
		expect(describedFailure('SWE004: the number of participants in the group has been exceeded - 300')).toMatchObject({ code: 'swe004_limit', params: { limit: '300' } });
		expect(describedFailure('SWE004')).toMatchObject({ code: 'swe004' });
		expect(describedFailure('{{SWE002}}')).toMatchObject({ code: 'swe002' });
		expect(describedFailure('swe003: decrypt')).toMatchObject({ code: 'swe003' });
		expect(describedFailure('SWE001')).toMatchObject({ code: 'swe001' });
		expect(describedFailure('SWE009: something new')).toEqual({ reason: 'SWE009: something new', code: 'swe_unknown', params: { code: 'SWE009' } });
		// Plain text stays as GREEN-API wrote it.
		expect(describedFailure('Recipient is not on WhatsApp')).toEqual({ reason: 'Recipient is not on WhatsApp' });
		expect(describedFailure('see SWE004 in the docs')).toEqual({ reason: 'see SWE004 in the docs' });
	});

	it('the noAccount / failed webhook bodies of the docs read as reasons, in the notice language', () => {
		const noAccount = parseWebhook({ ...F.status('3EB0608D6A2901063D63', 'noAccount'), description: 'SWE004: 1000' });
		expect(noAccount).toMatchObject({ type: 'status', status: 'failed', failure: { code: 'swe004_limit' } });
		const failure = noAccount.type === 'status' ? noAccount.failure! : { reason: '' };
		expect(describeFailure(failure)).toBe('the group has more participants than WhatsApp delivers to (limit 1000, SWE004)');
		setLanguage('ru');
		expect(describeFailure(failure)).toBe('в группе больше участников, чем WhatsApp доставляет (предел 1000, SWE004)');
		setLanguage('en');
		expect(describeFailure(describedFailure('SWE009'))).toBe('WhatsApp reported error SWE009');
		expect(deliveryStatus('failed', 'Message too long')).toEqual({ status: 'failed', failure: { reason: 'Message too long' } });
	});
});

describe('statuses in the older format (no chatId)', () => {
	it('are kept, naming only the message (the core asks for its chat)', () => {
		const body = F.status('BAE5F4886AE1C8A1', 'delivered');
		delete body.chatId;
		expect(parseWebhook(body)).toEqual({ type: 'status', instanceId: GA.idInstance, messageId: 'BAE5F4886AE1C8A1', status: 'delivered', timestamp: (GA.timestamp + 5) * 1000 });
		const noId = F.status('', 'delivered');
		expect(parseWebhook(noId)).toMatchObject({ type: 'ignored', reason: 'outgoingMessageStatus without idMessage' });
	});
});

describe('quotaExceeded (the plan limit is used up)', () => {
	it('becomes a provider notice naming the limit and the chats still allowed', () => {
		expect(parseWebhook(F.quotaExceeded())).toEqual({
			type: 'provider-notice', instanceId: GA.idInstance, code: 'quota_exceeded', timestamp: GA.timestamp * 1000,
			params: { limit: 'correspondents', used: '3', total: '3', status: 'CORRESPONDENTS_QUOTA_EXCEEDED', chats: '+10001234560, +10001234561, +10001234562' },
		});
	});

	it('reads the documentation example filed under incomingBlock too, and one whose description names no chat', () => {
		expect(parseWebhook(F.quotaExceeded({ typeWebhook: 'incomingBlock' }))).toMatchObject({ type: 'provider-notice', code: 'quota_exceeded' });
		expect(parseWebhook(F.quotaExceeded({ quotaData: { method: 'checkWhatsapp', used: '100', total: '100', status: 'QUOTE_ALLOWED_EXCEEDED', description: 'Monthly quota has been exceeded' } }))).toMatchObject({
			type: 'provider-notice', code: 'quota_exceeded_plain', params: { limit: 'checkWhatsapp', used: '100', total: '100', description: 'Monthly quota has been exceeded' },
		});
	});

	it('ignores a body without quotaData, or without status and method, and an incomingBlock without quota', () => {
		expect(parseWebhook({ ...F.quotaExceeded(), quotaData: undefined })).toEqual({ type: 'ignored', instanceId: GA.idInstance, reason: 'quotaExceeded' });
		expect(parseWebhook(F.quotaExceeded({ quotaData: { used: 3 } }))).toMatchObject({ type: 'ignored' });
		expect(parseWebhook({ typeWebhook: 'incomingBlock', instanceData: { idInstance: 1 }, chatId: GA.chatId })).toEqual({ type: 'ignored', instanceId: '1', reason: 'incomingBlock' });
		expect(parseWebhook({ ...F.quotaExceeded(), instanceData: undefined })).toMatchObject({ type: 'ignored', reason: 'quotaExceeded without instanceData.idInstance' });
	});

	it('shows untrusted values without controls and bounded', () => {
		const e = parseWebhook(F.quotaExceeded({ quotaData: { method: 'corr\u202eespondents', used: 'x', total: {}, status: 'S'.repeat(500), description: 'chats: 10001234560@c.us' } }));
		expect(e).toMatchObject({ type: 'provider-notice', params: { limit: 'correspondents', used: '?', total: '?', chats: '+10001234560' } });
		expect(e.type === 'provider-notice' && e.params.status.length).toBeLessThanOrEqual(61);
	});
});
