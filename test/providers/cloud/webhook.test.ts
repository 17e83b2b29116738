// Cloud API webhook bodies → neutral events: every inbound type of the reference, context, referral,
// BSUIDs, statuses with reasons, batches and the fields that are only acknowledged.
import { InboundEvent, InboundMessage } from '../../../src/core/ports/events';
import { WebhookRequest } from '../../../src/core/ports/provider';
import { InstanceRecord } from '../../../src/core/ports/records';
import { describeFailure } from '../../../src/core/failures';
import { CloudProvider } from '../../../src/providers/cloud/CloudProvider';
import { Dialog360Provider } from '../../../src/providers/dialog360/Dialog360Provider';
import { body, CLOUD, cloudErrorObject, cloudInstance, contact, fieldBody, msg, status, value } from '../../fixtures/cloud';

const provider = new CloudProvider();
const instance = cloudInstance();
const req = (content: unknown): WebhookRequest => ({ method: 'POST', headers: {}, query: {}, content });
const parse = (content: unknown, instances: InstanceRecord[] = [instance]): InboundEvent[] => provider.webhook.parse(req(content), instances);
const one = (m: Record<string, unknown>, v: Parameters<typeof value>[0] = {}): InboundMessage => {
	const events = parse(body(value({ messages: [m], ...v })));
	expect(events).toHaveLength(1);
	expect(events[0].type).toBe('message');
	return events[0] as InboundMessage;
};

describe('inbound messages, one per type', () => {
	it('text: the customer, the chat (wa_id), the time', () => {
		const m = msg.text('Where is my order?', { id: 'wamid.A1', timestamp: CLOUD.timestamp });
		expect(one(m)).toEqual({
			type: 'message', instanceId: CLOUD.phoneNumberId, chatId: CLOUD.customer, messageId: 'wamid.A1', timestamp: 1739321024000,
			sender: { id: CLOUD.customer, name: CLOUD.name, phone: `+${CLOUD.customer}` }, isGroup: false,
			content: { kind: 'text', text: 'Where is my order?' },
		});
	});

	it('image, video, document, sticker, audio and voice notes: the media id as the reference', () => {
		expect(one(msg.image('2754859441498128', 'damaged box')).content).toEqual({ kind: 'media', media: 'image', ref: '2754859441498128', fileName: 'image-859441498128.jpg', mimeType: 'image/jpeg', caption: 'damaged box' });
		expect(one(msg.video('MV1', 'unboxing')).content).toMatchObject({ kind: 'media', media: 'video', ref: 'MV1', mimeType: 'video/mp4', caption: 'unboxing' });
		expect(one(msg.document('MD1', 'INV-42.pdf', 'invoice')).content).toEqual({ kind: 'media', media: 'document', ref: 'MD1', fileName: 'INV-42.pdf', mimeType: 'application/pdf', caption: 'invoice' });
		expect(one(msg.sticker('MS1')).content).toMatchObject({ kind: 'media', media: 'sticker', ref: 'MS1', fileName: 'sticker-MS1.webp' });
		expect(one(msg.audio('MA1')).content).toMatchObject({ kind: 'media', media: 'audio', ref: 'MA1', fileName: 'audio-MA1.mp3' });
		expect(one(msg.voice('1003383421387256')).content).toMatchObject({ kind: 'media', media: 'voice', ref: '1003383421387256', mimeType: 'audio/ogg; codecs=opus', fileName: 'voice-383421387256.ogg' });
	});

	it('location and contacts (several phones and e-mails)', () => {
		expect(one(msg.location(37.483, -122.148, 'Office', '1 Hacker Way, Menlo Park')).content).toEqual({ kind: 'location', latitude: 37.483, longitude: -122.148, name: 'Office', address: '1 Hacker Way, Menlo Park' });
		expect(one(msg.contacts()).content).toEqual({
			kind: 'contacts',
			contacts: [
				{ name: 'Jane Doe', phones: ['+1 650-555-0100', '+1 650-555-0199'], emails: ['jane@example.com', 'jd@home.example'] },
				{ name: 'Bob', phones: ['+4915112345678'] },
			],
		});
	});

	it('button and list replies (with the row description) and template quick replies: the text, linked to the business message', () => {
		const b = one(msg.buttonReply('cancel-button', 'Cancel', 'wamid.BIZ_BTN'));
		expect(b.content).toEqual({ kind: 'choice', text: 'Cancel', choiceId: 'cancel-button', inReplyTo: 'wamid.BIZ_BTN' });
		expect(b.quoted).toEqual({ messageId: 'wamid.BIZ_BTN', fromBusiness: true });
		expect(one(msg.listReply('priority_express', 'Priority Mail Express', 'Next Day to 2 Days', 'wamid.BIZ_LIST')).content).toEqual({
			kind: 'choice', text: 'Priority Mail Express', choiceId: 'priority_express', inReplyTo: 'wamid.BIZ_LIST', description: 'Next Day to 2 Days',
		});
		expect(one(msg.templateButton('Stop promotions', 'STOP_PROMOS', 'wamid.BIZ_TEMPLATE')).content).toEqual({ kind: 'choice', text: 'Stop promotions', choiceId: 'STOP_PROMOS', inReplyTo: 'wamid.BIZ_TEMPLATE' });
	});

	it('reactions: added, and removed when the emoji is absent', () => {
		expect(one(msg.reaction('wamid.BIZ_MSG', '👍')).content).toEqual({ kind: 'reaction', targetMessageId: 'wamid.BIZ_MSG', emoji: '👍' });
		const removed = one(msg.reaction('wamid.BIZ_MSG'));
		expect(removed.content).toEqual({ kind: 'reaction', targetMessageId: 'wamid.BIZ_MSG', emoji: '' });
		expect(removed.quoted).toBeUndefined();
	});

	it('orders, system notices (changed number) and unsupported types with what could not be shown', () => {
		expect(one(msg.order()).content).toEqual({
			kind: 'order', catalogId: '194836987003835', text: 'Love these!',
			items: [{ productId: 'di9ozbzfi4', quantity: 2, price: 7.99, currency: 'USD' }, { productId: 'b3kk1l', quantity: 1, price: 12.5, currency: 'USD' }],
		});
		expect(one(msg.system('12195555358'), { contacts: null }).content).toEqual({
			kind: 'system', event: 'number-changed', newId: '12195555358', text: `User ${CLOUD.name} changed from ${CLOUD.customer} to 12195555358`,
		});
		expect(one(msg.unsupported('poll_update')).content).toEqual({ kind: 'unsupported', type: 'poll_update', detail: 'Message type is currently not supported. #131051' });
		expect(one({ ...msg.text('x'), type: 'hologram' }).content).toEqual({ kind: 'unsupported', type: 'hologram' });
	});

	it('edits and revokes of coexistence numbers name the original message', () => {
		expect(one(msg.edit('wamid.ORIG', 'hello, fixed')).content).toEqual({ kind: 'edit', targetMessageId: 'wamid.ORIG', text: 'hello, fixed' });
		expect(one(msg.revoke('wamid.ORIG')).content).toEqual({ kind: 'delete', targetMessageId: 'wamid.ORIG' });
	});

	it('a reply quotes the mapped message (ours or the customer\'s); a forward is marked', () => {
		const reply = one(msg.withContext(msg.text('any news?'), 'wamid.OURS', { from: CLOUD.display }));
		expect(reply.quoted).toEqual({ messageId: 'wamid.OURS', fromBusiness: true });
		expect(one(msg.withContext(msg.text('this'), 'wamid.THEIRS')).quoted).toEqual({ messageId: 'wamid.THEIRS', fromBusiness: false });
		const fwd = one(msg.forwarded(msg.text('look')));
		expect(fwd.forwarded).toBe(true);
		expect(fwd.quoted).toBeUndefined();
	});

	it('the ad a customer came from is its own entry, just before the message', () => {
		const m = msg.withReferral(msg.text('I want the shoes', { id: 'wamid.AD1' }));
		const events = parse(body(value({ messages: [m] }))) as InboundMessage[];
		expect(events.map((e) => e.messageId)).toEqual(['wamid.AD1#referral', 'wamid.AD1']);
		expect(events[0].content).toEqual({ kind: 'referral', sourceType: 'ad', sourceUrl: 'https://fb.me/3cr4Wqqkv', sourceId: '120226305854810726', headline: 'Summer sale', body: '20% off all shoes' });
		expect(events[0].chatId).toBe(events[1].chatId);
		expect(events[1].content).toEqual({ kind: 'text', text: 'I want the shoes' });
	});

	it('request_welcome carries nothing to post; a message without id or sender is ignored, not a crash', () => {
		expect(parse(body(value({ messages: [{ ...msg.text('x'), type: 'request_welcome' }] })))).toEqual([{ type: 'ignored', instanceId: CLOUD.phoneNumberId, reason: 'message type request_welcome' }]);
		const events = parse(body(value({ messages: [{ type: 'text' }, { id: 'wamid.N', type: 'text' }], contacts: [] })));
		expect(events.map((e) => e.type)).toEqual(['ignored', 'ignored']);
	});
});

describe('customers with a business-scoped user id (BSUID)', () => {
	it('a customer known only by BSUID and username is a chat; a later message with the phone is chatted by the wa_id and names the BSUID among its people (the core keeps one contact)', () => {
		const first = one(msg.text('hi', { from: CLOUD.bsuid }), { contacts: [contact({ waId: null, userId: CLOUD.bsuid, name: '', username: '@sheena' })] });
		expect(first.chatId).toBe(CLOUD.bsuid);
		expect(first.sender).toEqual({ id: CLOUD.bsuid, name: '@sheena' });
		expect(first.people).toEqual([{ kind: 'user-id', value: CLOUD.bsuid }, { kind: 'username', value: '@sheena' }]);
		const later = one(msg.text('my number is visible now'), { contacts: [contact({ userId: CLOUD.bsuid })] });
		expect(later.chatId).toBe(CLOUD.customer);
		expect(later.sender).toEqual({ id: CLOUD.customer, name: CLOUD.name, phone: `+${CLOUD.customer}` });
		expect(later.people).toEqual([{ kind: 'chat', value: CLOUD.bsuid }, { kind: 'user-id', value: CLOUD.bsuid }]);
	});

	it('a number the customer shared when asked (contacts card with origin contact_request) is theirs; a card shared otherwise is not', () => {
		const card = (origin: string) => ({ ...msg.text('x', { from: CLOUD.bsuid }), type: 'contacts', text: undefined, from_user_id: CLOUD.bsuid, contacts: [{ origin, name: { formatted_name: 'S' }, phones: [{ phone: '+1 650 555 0177', wa_id: '16505550177' }] }] });
		const asked = one(card('contact_request'), { contacts: [contact({ waId: null, userId: CLOUD.bsuid })] });
		expect(asked).toMatchObject({ chatId: '16505550177', sender: { phone: '+16505550177' }, people: expect.arrayContaining([{ kind: 'user-id', value: CLOUD.bsuid }]) });
		const other = one(card('other'), { contacts: [contact({ waId: null, userId: CLOUD.bsuid })] });
		expect(other.chatId).toBe(CLOUD.bsuid);
		expect(other.sender.phone).toBeUndefined();
	});

	it('user_changed_user_id names the new BSUID among the people of the customer it speaks for', () => {
		const m = { ...msg.text('x', { from: CLOUD.customer }), type: 'system', text: undefined, from_user_id: CLOUD.bsuid, system: { body: 'changed', type: 'user_changed_user_id', user_id: 'US.99998888777766665555' } };
		const e = parse(body(value({ messages: [m], contacts: null as never })))[0] as InboundMessage;
		expect(e).toMatchObject({ chatId: CLOUD.customer, content: { kind: 'system', event: 'user-id-changed', newId: 'US.99998888777766665555' } });
		expect(e.people).toEqual(expect.arrayContaining([{ kind: 'user-id', value: CLOUD.bsuid }, { kind: 'chat', value: 'US.99998888777766665555' }, { kind: 'user-id', value: 'US.99998888777766665555' }]));
	});

	it('statuses are chatted by the wa_id when they name one, and name the BSUID among their people', () => {
		const [e] = parse(body(value({ statuses: [status('wamid.OUT', 'delivered', { userId: CLOUD.bsuid })] })));
		expect(e).toMatchObject({ type: 'status', chatId: CLOUD.customer, messageId: 'wamid.OUT', status: 'delivered', people: [{ kind: 'chat', value: CLOUD.bsuid }, { kind: 'user-id', value: CLOUD.bsuid }] });
		const [u] = parse(body(value({ statuses: [{ ...status('wamid.OUT', 'read', { userId: CLOUD.bsuid }), recipient_id: undefined }] })));
		expect(u).toMatchObject({ chatId: CLOUD.bsuid, status: 'read' });
		const [p] = parse(body(value({ statuses: [status('wamid.OUT', 'read')] })));
		expect(p).toMatchObject({ chatId: CLOUD.customer, status: 'read' });
	});
});

describe('statuses', () => {
	it('sent, delivered, read, played, failed → neutral states; unknown ones ignored', () => {
		const states = ['sent', 'delivered', 'read', 'played', 'failed', 'deleted'];
		const events = parse(body(value({ statuses: states.map((s, i) => status(`wamid.S${i}`, s, { timestamp: '1750857384' })) })));
		expect(events.map((e) => (e.type === 'status' ? e.status : `ignored ${(e as { reason: string }).reason}`))).toEqual(['sent', 'delivered', 'read', 'played', 'failed', 'ignored status deleted']);
		expect(events[0]).toEqual({ type: 'status', instanceId: CLOUD.phoneNumberId, chatId: CLOUD.customer, messageId: 'wamid.S0', status: 'sent', timestamp: 1750857384000 });
	});

	it.each([
		[131047, 'more than 24 hours have passed'],
		[131026, 'could not be delivered'],
		[131049, 'held the message back'],
		[131048, 'spam'],
		[131051, 'does not support this message type'],
		[131052, 'could not download'],
		[131053, 'could not take the file'],
		[130429, 'rate limit'],
		[131056, 'too many messages to this customer'],
		[131057, 'maintenance'],
		[132000, 'parameters do not match'],
		[132001, 'does not exist in this language'],
		[190, 'access token'],
		[368, 'policy violations'],
	])('failed with %i: a translated reason', (code, words) => {
		const [e] = parse(body(value({ statuses: [status('wamid.F', 'failed', { errors: [cloudErrorObject(code, 'Some title', 'details')] })] })));
		if (e.type !== 'status') throw new Error('not a status');
		expect(e.failure?.code).toBe(`cloud_${code}`);
		expect(describeFailure(e.failure!)).toContain(words);
	});

	it('an unknown code shows its title; a failure without errors has no reason (the core says "failed")', () => {
		const [e] = parse(body(value({ statuses: [status('wamid.F', 'failed', { errors: [cloudErrorObject(131999, 'Brand new problem', 'something odd')] })] })));
		if (e.type !== 'status') throw new Error('not a status');
		expect(e.failure?.code).toBeUndefined();
		expect(describeFailure(e.failure!)).toBe('WhatsApp Cloud API: Brand new problem (#131999): something odd');
		const [bare] = parse(body(value({ statuses: [status('wamid.G', 'failed')] })));
		expect(bare).not.toHaveProperty('failure');
	});
});

describe('batches and other fields', () => {
	it('every entry, change, message, status and error of one POST, in order', () => {
		const other = cloudInstance({ id: '106540352242999', number: '15550009999' });
		const content = {
			object: 'whatsapp_business_account',
			entry: [
				{ id: CLOUD.wabaId, changes: [{ field: 'messages', value: value({ messages: [msg.text('a', { id: 'wamid.1' }), msg.text('b', { id: 'wamid.2' })], statuses: [status('wamid.O', 'read')] }) }] },
				{
					id: CLOUD.wabaId,
					changes: [
						{ field: 'messages', value: value({ phoneNumberId: other.id, messages: [msg.text('c', { id: 'wamid.3' })], errors: [cloudErrorObject(131000, 'Something went wrong')] }) },
						{ field: 'messages', value: value({ phoneNumberId: '999', messages: [msg.text('d')] }) },
					],
				},
			],
		};
		const events = parse(content, [instance, other]);
		expect(events.map((e) => `${e.type}:${e.instanceId ?? '-'}`)).toEqual([
			`message:${CLOUD.phoneNumberId}`, `message:${CLOUD.phoneNumberId}`, `status:${CLOUD.phoneNumberId}`, `message:${other.id}`, `ignored:${other.id}`, 'ignored:-',
		]);
		expect((events[4] as { reason: string }).reason).toBe('error 131000: Something went wrong');
		expect((events[5] as { reason: string }).reason).toMatch(/unknown phone_number_id 999/);
	});

	it('template status updates become template-status events; other fields and objects are acknowledged and ignored', () => {
		expect(parse(fieldBody('message_template_status_update', { event: 'APPROVED', message_template_name: 'order_update_v1', message_template_language: 'en_US' }))).toEqual([
			{ type: 'template-status', instanceId: CLOUD.phoneNumberId, name: 'order_update_v1', language: 'en_US', status: 'APPROVED', timestamp: expect.any(Number) },
		]);
		expect(parse(fieldBody('message_template_status_update', { event: 'APPROVED' }))).toEqual([{ type: 'ignored', reason: expect.stringMatching(/without template/) }]);
		expect(parse(fieldBody('account_update', { event: 'VERIFIED_ACCOUNT' }))).toEqual([{ type: 'ignored', reason: 'account_update' }]);
		expect(parse({ object: 'page', entry: [] })).toEqual([{ type: 'ignored', reason: 'object page' }]);
		expect(parse('not json')).toEqual([{ type: 'ignored', reason: 'payload is not a JSON object' }]);
		expect(parse({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'messages', value: 7 }] }] })).toEqual([{ type: 'ignored', reason: 'messages without value' }]);
	});

	it('a flagged number is a state change; replies typed in the Business app are business messages', () => {
		expect(parse(fieldBody('phone_number_quality_update', { display_phone_number: CLOUD.display, event: 'FLAGGED', current_limit: 'TIER_1K' }))).toEqual([
			{ type: 'state', instanceId: CLOUD.phoneNumberId, health: 'restricted', detail: 'quality FLAGGED', timestamp: expect.any(Number) },
		]);
		const echo = { from: CLOUD.display, to: CLOUD.customer, id: 'wamid.ECHO', timestamp: CLOUD.timestamp, type: 'text', text: { body: 'typed on the phone' } };
		expect(parse(fieldBody('smb_message_echoes', { messaging_product: 'whatsapp', metadata: { phone_number_id: CLOUD.phoneNumberId }, message_echoes: [echo] }))).toEqual([
			{ type: 'business-message', instanceId: CLOUD.phoneNumberId, chatId: CLOUD.customer, messageId: 'wamid.ECHO', timestamp: 1739321024000, content: { kind: 'text', text: 'typed on the phone' } },
		]);
	});

	it('hostile shapes never throw', () => {
		const odd: unknown[] = [null, 42, [], { object: 'whatsapp_business_account', entry: 'x' }, { object: 'whatsapp_business_account', entry: [null, { changes: [null, 5, { field: 'messages', value: { metadata: 3, messages: 'x', statuses: [null] } }] }] }];
		for (const content of odd) {
			const events = parse(content);
			expect(events.length).toBeGreaterThan(0);
			expect(events.every((e) => e.type === 'ignored')).toBe(true);
		}
	});
});

describe('360dialog: the same payloads, one number per key', () => {
	it('the instance the webhook was configured for takes its number\'s events', () => {
		const d360 = new Dialog360Provider();
		const inst: InstanceRecord = { id: 'd360-abc', provider: '360dialog', number: CLOUD.display, webhookSecret: 's', credentials: { apiKey: 'k' }, createdAt: 0 };
		const events = d360.webhook.parse(req(body(value({ messages: [msg.text('hola', { id: 'wamid.D' })] }))), [inst]);
		expect(events).toEqual([expect.objectContaining({ type: 'message', instanceId: 'd360-abc', chatId: CLOUD.customer, messageId: 'wamid.D' })]);
	});
});

describe('bodies that do not hold to the documented shapes: ignored with the reason, each entry on its own', () => {
	const d360 = new Dialog360Provider();
	// Connected: its phone number id learned from the health entities.
	const d360Instance: InstanceRecord = { id: 'd360-abc', provider: '360dialog', number: CLOUD.display, webhookSecret: 's', credentials: { apiKey: 'k', phoneNumberId: CLOUD.phoneNumberId }, createdAt: 0 };
	const both: Array<[string, (content: unknown) => InboundEvent[]]> = [
		['cloud', (content) => parse(content)],
		['360dialog', (content) => d360.webhook.parse(req(content), [d360Instance])],
	];
	const reasons = (events: InboundEvent[]) => events.map((e) => (e.type === 'ignored' ? e.reason : e.type));

	describe.each(both)('%s', (_name, parseWith) => {
		it('a sender that is neither a wa_id nor a BSUID, the business number itself, or no sender at all', () => {
			const senders: unknown[] = ['1'.repeat(10_000), CLOUD.display, 'status@broadcast', '123', '+16505551234', '0016505551234', 'us.1349', 'US.', 'US.ab-cd', `US.${'a'.repeat(129)}`, 'constructor', 42, null, {}, ['16505551234']];
			for (const from of senders) {
				const events = parseWith(body(value({ messages: [{ ...msg.text('hi'), from }], contacts: [contact({ waId: typeof from === 'string' ? from : null })] })));
				expect(events).toHaveLength(1);
				expect(events[0].type).toBe('ignored');
			}
			const noSender = { ...msg.text('who am I') };
			delete noSender.from;
			expect(reasons(parseWith(body(value({ messages: [noSender] }))))).toEqual([expect.stringMatching(/without a sender/)]);
			expect(reasons(parseWith(body(value({ messages: [msg.text('me', { from: CLOUD.display })], contacts: [contact({ waId: CLOUD.display })] }))))).toEqual([expect.stringMatching(/business number itself/)]);
			expect(reasons(parseWith(body(value({ messages: [{ ...msg.text('x', { from: CLOUD.bsuid }), from_user_id: 'US.bad id' }] }))))).toEqual([expect.stringMatching(/from_user_id is not a BSUID/)]);
		});

		it('valid BSUIDs (128 alphanumerics, a parent id) are customers', () => {
			for (const id of [CLOUD.bsuid, `BR.${'a1'.repeat(64)}`, 'US.ENT.11815799212886844830']) {
				const [e] = parseWith(body(value({ messages: [msg.text('hi', { from: id })], contacts: [contact({ waId: null, userId: id })] })));
				expect(e).toMatchObject({ type: 'message', chatId: id });
			}
		});

		it('ill-typed or blank text, no type, an id of another shape, a timestamp that is not Unix time', () => {
			for (const text of [{}, 0, null, [], 'plain', { body: 0 }, { body: '' }, { body: '  \n ' }, { body: ['x'] }]) {
				expect(reasons(parseWith(body(value({ messages: [{ ...msg.text('x'), text }] }))))).toEqual([expect.stringMatching(/text message without a text body/)]);
			}
			const typeless = { ...msg.text('x') } as Record<string, unknown>;
			delete typeless.type;
			expect(reasons(parseWith(body(value({ messages: [typeless] }))))).toEqual([expect.stringMatching(/without a type/)]);
			for (const id of ['', 'wamid.with space', 'x'.repeat(300), 7, null]) {
				expect(reasons(parseWith(body(value({ messages: [{ ...msg.text('x'), id }] }))))).toEqual([expect.stringMatching(/message id of another shape/)]);
			}
			const future = String(Math.floor(Date.now() / 1000) + 3 * 24 * 3600);
			for (const timestamp of [undefined, '', 'yesterday', '-5', '0', '1.5e9', future, {}]) {
				expect(reasons(parseWith(body(value({ messages: [{ ...msg.text('x'), timestamp }] }))))).toEqual([expect.stringMatching(/timestamp is not a Unix time/)]);
			}
			// A number is accepted as well as Meta's digit string.
			expect(parseWith(body(value({ messages: [{ ...msg.text('x'), timestamp: 1739321024 }] })))[0]).toMatchObject({ type: 'message', timestamp: 1739321024000 });
		});

		it('phone_number_id missing, null, blank, another number or a prototype name; another messaging_product', () => {
			for (const phoneNumberId of [undefined, null, '', '   ', '999', '106540352242923', 'constructor', '__proto__', 'toString', 12, {}]) {
				const v = value({ messages: [msg.text('hi')] });
				(v.metadata as Record<string, unknown>).phone_number_id = phoneNumberId;
				expect(reasons(parseWith(body(v)))).toEqual([expect.stringMatching(/unknown phone_number_id/)]);
			}
			const noMetadata = value({ messages: [msg.text('hi')] });
			delete noMetadata.metadata;
			expect(reasons(parseWith(body(noMetadata)))).toEqual([expect.stringMatching(/unknown phone_number_id/)]);
			expect(reasons(parseWith(body({ ...value({ messages: [msg.text('hi')] }), messaging_product: 'instagram' })))).toEqual([expect.stringMatching(/messaging_product/)]);
		});

		it('objects other than whatsapp_business_account, unknown fields, prototype names as types and statuses', () => {
			for (const object of ['page', 'instagram', ' whatsapp_business_account', 'WHATSAPP_BUSINESS_ACCOUNT', 'constructor', null, 7]) {
				expect(parseWith({ ...body(value({ messages: [msg.text('hi')] })), object }).every((e) => e.type === 'ignored')).toBe(true);
			}
			for (const field of ['message', 'Messages', 'calls', 'constructor', '__proto__', 'hasOwnProperty', 7]) {
				expect(parseWith({ object: 'whatsapp_business_account', entry: [{ id: CLOUD.wabaId, changes: [{ field, value: value({ messages: [msg.text('hi')] }) }] }] }).every((e) => e.type === 'ignored')).toBe(true);
			}
			for (const type of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
				const [e] = parseWith(body(value({ messages: [{ ...msg.text('x'), type }] })));
				// A type WhatsApp may add one day is shown as unsupported; never converted by Object.prototype's members.
				expect(e).toMatchObject({ type: 'message', content: { kind: 'unsupported', type } });
			}
			for (const state of ['constructor', 'toString', '__proto__']) {
				expect(reasons(parseWith(body(value({ statuses: [status('wamid.S', state)] }))))).toEqual([expect.stringMatching(new RegExp(`^status "?${state}"?$`))]);
			}
			expect(reasons(parseWith(body(value({ statuses: [status('wamid.S', 'read', { recipient: 'status@broadcast' })] }))))).toEqual([expect.stringMatching(/customer recipient/)]);
		});

		it('a bad entry of a batch never drops the good ones beside it', () => {
			const good = msg.text('good one');
			const content = {
				object: 'whatsapp_business_account',
				entry: [
					{ id: CLOUD.wabaId, changes: [{ field: 'messages', value: { ...value({ messages: [msg.text('x')] }), metadata: { phone_number_id: 'constructor' } } }] },
					{ id: CLOUD.wabaId, changes: [{ field: 'messages', value: value({ messages: [msg.text('x', { from: 'status@broadcast' }), { ...msg.text('y'), text: {} }, good] }) }] },
					{ id: CLOUD.wabaId, changes: [{ field: 'unknown_field', value: {} }] },
				],
			};
			const events = parseWith(content);
			expect(events.map((e) => e.type)).toEqual(['ignored', 'ignored', 'ignored', 'message', 'ignored']);
			expect(events[3]).toMatchObject({ messageId: good.id, content: { kind: 'text', text: 'good one' } });
		});
	});

	it('360dialog: a number added before its id was learned speaks only for bodies naming its display number', () => {
		const legacy: InstanceRecord = { ...d360Instance, credentials: { apiKey: 'k' } };
		expect(d360.webhook.parse(req(body(value({ messages: [msg.text('hi')], phoneNumberId: '999' }))), [legacy])[0].type).toBe('message');
		expect(reasons(d360.webhook.parse(req(body(value({ messages: [msg.text('hi')], display: '15550009999' }))), [legacy]))).toEqual([expect.stringMatching(/unknown phone_number_id/)]);
		expect(reasons(d360.webhook.parse(req(body(value({ messages: [msg.text('hi')] }))), [{ ...legacy, number: undefined }]))).toEqual([expect.stringMatching(/unknown phone_number_id/)]);
		for (const phoneNumberId of [null, '', 'constructor']) {
			const v = value({ messages: [msg.text('hi')] });
			(v.metadata as Record<string, unknown>).phone_number_id = phoneNumberId;
			expect(reasons(d360.webhook.parse(req(body(v)), [legacy]))).toEqual([expect.stringMatching(/unknown phone_number_id/)]);
		}
	});
});

describe('marketing preferences and pricing', () => {
	/** Meta's user_preferences change for the test number (its example body, with `entries` as given). */
	const preferences = (entries: unknown[], contacts: unknown[] = [{ profile: { name: CLOUD.name }, wa_id: CLOUD.customer }]) =>
		fieldBody('user_preferences', { messaging_product: 'whatsapp', metadata: { display_phone_number: CLOUD.display, phone_number_id: CLOUD.phoneNumberId }, contacts, user_preferences: entries });
	const entry = (o: Record<string, unknown> = {}) => ({ wa_id: CLOUD.customer, detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: 1731705721, ...o });

	it('user_preferences stop / resume → the customer\'s marketing preference, named like a message\'s sender (BSUID first)', () => {
		expect(parse(preferences([entry()]))).toEqual([{ type: 'marketing-preference', instanceId: CLOUD.phoneNumberId, chatId: CLOUD.customer, phone: `+${CLOUD.customer}`, name: CLOUD.name, preference: 'stopped', timestamp: 1731705721000 }]);
		expect(parse(preferences([entry({ value: 'resume', timestamp: '1731705722' })]))).toEqual([expect.objectContaining({ preference: 'resumed', timestamp: 1731705722000 })]);
		const withBsuid = parse(preferences([entry()], [{ profile: { name: CLOUD.name }, wa_id: CLOUD.customer, user_id: CLOUD.bsuid }]));
		expect(withBsuid).toEqual([expect.objectContaining({ chatId: CLOUD.bsuid, phone: `+${CLOUD.customer}` })]);
		// 360dialog passes Meta's body as it is.
		const d360 = new Dialog360Provider().webhook.parse(req(preferences([entry()])), [cloudInstance({ provider: '360dialog' })]);
		expect(d360).toEqual([expect.objectContaining({ type: 'marketing-preference', preference: 'stopped' })]);
	});

	it('user_preferences of another shape change nothing: other categories, values, customers, times or numbers are ignored with the reason', () => {
		const reasons = (entries: unknown[]) => parse(preferences(entries)).map((e) => (e.type === 'ignored' ? e.reason : e.type));
		expect(reasons([entry({ category: 'offers' }), entry({ value: 'STOP' }), entry({ value: {} }), entry({ wa_id: '0' }), entry({ wa_id: CLOUD.display }), entry({ timestamp: 'yesterday' }), 'x', null])).toEqual([
			'user_preferences: category offers',
			'user_preferences: value STOP',
			expect.stringMatching(/^user_preferences: value /),
			expect.stringMatching(/^user_preferences: no customer/),
			expect.stringMatching(/^user_preferences: no customer/),
			expect.stringMatching(/^user_preferences: timestamp is not a Unix time/),
			'user_preferences: entry is not an object',
			'user_preferences: entry is not an object',
		]);
		expect(reasons([])).toEqual(['user_preferences: no entries']);
		const otherNumber = fieldBody('user_preferences', { messaging_product: 'whatsapp', metadata: { phone_number_id: '999' }, user_preferences: [entry()] });
		expect(parse(otherNumber)).toEqual([{ type: 'ignored', reason: 'user_preferences: unknown phone_number_id 999' }]);
	});

	it('a status\'s pricing: category, free from its type (billable:false on older bodies), model; odd shapes give none', () => {
		const priced = (pricing: unknown) => {
			const [e] = parse(body(value({ statuses: [{ ...status('wamid.P1', 'delivered'), pricing }] })));
			return e.type === 'status' ? e.pricing : 'not a status';
		};
		expect(priced({ billable: false, pricing_model: 'PMP', type: 'free_customer_service', category: 'service' })).toEqual({ category: 'service', free: true, type: 'free_customer_service', model: 'PMP' });
		expect(priced({ billable: true, pricing_model: 'PMP', type: 'regular', category: 'marketing' })).toEqual({ category: 'marketing', free: false, type: 'regular', model: 'PMP' });
		expect(priced({ pricing_model: 'CBP', type: 'free_entry_point', category: 'utility' })).toEqual({ category: 'utility', free: true, type: 'free_entry_point', model: 'CBP' });
		expect(priced({ billable: false, category: 'authentication' })).toEqual({ category: 'authentication', free: true });
		// Neither type nor billable: counted as billable (never hides a charge).
		expect(priced({ category: 'marketing_lite' })).toEqual({ category: 'marketing_lite', free: false });
		for (const odd of [undefined, null, 'x', {}, { category: '' }, { category: 'Marketing!' }, { category: '__proto__x'.repeat(10) }, { category: { a: 1 } }]) expect(priced(odd)).toBeUndefined();
		expect(priced({ category: 'utility', type: '<b>', pricing_model: 'pmp lower' })).toEqual({ category: 'utility', free: false });
	});
});
