// The fake Graph API plays a coexistence number (WhatsApp Business app + Cloud API): its echo, history and
// address-book webhooks have the shapes of Meta's webhook references, and its sends are capped at 20/s.
// Each shape is checked raw (what Meta documents) and through the app's parser (what the app reads of it).
import { CloudProvider } from '../../src/providers/cloud/CloudProvider';
import { CLOUD, cloudInstance } from '../fixtures/cloud';
import { NodeHttp } from '../providers/nodeHttp';
import { COEXISTENCE_SENDS_PER_SECOND, FakeGraphApi } from './FakeCloudApi';

const http = new NodeHttp();
const DAY = 24 * 60 * 60_000;

describe('FakeGraphApi as a coexistence number', () => {
	let fake: FakeGraphApi;
	const cloud = new CloudProvider();
	const instance = () => cloudInstance({ credentials: { ...cloudInstance().credentials, graphUrl: fake.apiUrl } });
	const parse = (content: unknown) => cloud.webhook.parse({ method: 'POST', headers: {}, query: {}, content }, [instance()]);
	const change = (content: any) => content.entry[0].changes[0];

	beforeEach(async () => {
		fake = await FakeGraphApi.start();
		fake.addNumber({ phoneNumberId: CLOUD.phoneNumberId, display: CLOUD.display, wabaId: CLOUD.wabaId, secret: CLOUD.accessToken, coexistence: true });
	});
	afterEach(async () => {
		await fake.stop();
	});

	it('builds smb_message_echoes as Meta writes them: from the business number, to a phone or a BSUID, edits and revokes of its own messages', () => {
		const { webhook, ids } = fake.echoWebhook(CLOUD.phoneNumberId, [
			{ to: CLOUD.customer, text: 'typed on the phone' },
			{ to: CLOUD.customer, toUserId: CLOUD.bsuid, text: 'with the BSUID' },
			{ to: CLOUD.bsuid, text: 'to a username customer' },
			{ to: CLOUD.customer, edit: { id: 'wamid.ORIG', text: 'fixed typo' } },
			{ to: CLOUD.customer, revoke: { id: 'wamid.ORIG' } },
		], CLOUD.appSecret);
		expect(webhook.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
		const c = change(webhook.content);
		expect(c.field).toBe('smb_message_echoes');
		expect(c.value.metadata).toEqual({ display_phone_number: CLOUD.display, phone_number_id: CLOUD.phoneNumberId });
		expect(c.value.message_echoes[0]).toEqual({ from: CLOUD.display, to: CLOUD.customer, id: ids[0], timestamp: expect.stringMatching(/^\d{10}$/), type: 'text', text: { body: 'typed on the phone' } });
		expect(c.value.message_echoes[3]).toMatchObject({ type: 'edit', edit: { original_message_id: 'wamid.ORIG', message: { type: 'text', text: { body: 'fixed typo' } } } });
		expect(c.value.message_echoes[4]).toMatchObject({ type: 'revoke', revoke: { original_message_id: 'wamid.ORIG' } });
		// What the app reads of them: the business's messages, the customer by BSUID first, every id kept.
		expect(parse(webhook.content)).toEqual([
			expect.objectContaining({ type: 'business-message', chatId: CLOUD.customer, messageId: ids[0], content: { kind: 'text', text: 'typed on the phone' } }),
			expect.objectContaining({ type: 'business-message', chatId: CLOUD.bsuid, customerIds: [CLOUD.customer], content: { kind: 'text', text: 'with the BSUID' } }),
			expect.objectContaining({ type: 'business-message', chatId: CLOUD.bsuid, content: { kind: 'text', text: 'to a username customer' } }),
			expect.objectContaining({ type: 'business-message', content: { kind: 'edit', targetMessageId: 'wamid.ORIG', text: 'fixed typo' } }),
			expect.objectContaining({ type: 'business-message', content: { kind: 'delete', targetMessageId: 'wamid.ORIG' } }),
		]);
	});

	it('builds history chunks with phase, chunk order and progress, threads per customer, newest first, each side marked', () => {
		const now = Date.now();
		const { webhook, ids } = fake.historyWebhook(CLOUD.phoneNumberId, {
			phase: 0, chunkOrder: 1, progress: 55,
			threads: [{ customer: CLOUD.customer, messages: [
				{ fromBusiness: false, text: 'Do you open on Sunday?', at: now - 2 * DAY },
				{ fromBusiness: true, text: 'Yes, 10 to 4', at: now - 2 * DAY + 60_000 },
			] }],
		});
		const c = change(webhook.content);
		expect(c.field).toBe('history');
		expect(c.value.history[0].metadata).toEqual({ phase: 0, chunk_order: 1, progress: 55 });
		const thread = c.value.history[0].threads[0];
		expect(thread.id).toBe(CLOUD.customer);
		expect(thread.messages.map((m: any) => [m.from, m.text.body, m.history_context])).toEqual([
			[CLOUD.display, 'Yes, 10 to 4', { status: 'read', from_me: true }],
			[CLOUD.customer, 'Do you open on Sunday?', { status: 'pending' }],
		]);
		const events = parse(webhook.content);
		expect(events).toEqual([expect.objectContaining({ type: 'chat-history', chatId: CLOUD.customer })]);
		const messages = (events[0] as any).messages;
		expect(messages.map((m: any) => [m.messageId, m.fromBusiness, m.content.text])).toEqual([
			[ids[0][0], true, 'Yes, 10 to 4'],
			[ids[0][1], false, 'Do you open on Sunday?'],
		]);
		// A declined sharing is an error entry: nothing to import.
		const declined = fake.historyDeclinedWebhook(CLOUD.phoneNumberId);
		expect(change(declined.content).value.history[0].errors[0].code).toBe(2593109);
		expect(parse(declined.content)).toEqual([expect.objectContaining({ type: 'ignored', reason: 'history not shared: 2593109' })]);
	});

	it('builds smb_app_state_sync: add carries full and first name, remove only the phone', () => {
		const webhook = fake.stateSyncWebhook(CLOUD.phoneNumberId, [
			{ phone: CLOUD.customer, action: 'add', fullName: 'Pablo Morales' },
			{ phone: '16505559999', action: 'remove' },
		]);
		const c = change(webhook.content);
		expect(c.field).toBe('smb_app_state_sync');
		expect(c.value.state_sync).toEqual([
			{ type: 'contact', contact: { full_name: 'Pablo Morales', first_name: 'Pablo', phone_number: CLOUD.customer }, action: 'add', metadata: { timestamp: expect.stringMatching(/^\d{10}$/) } },
			{ type: 'contact', contact: { phone_number: '16505559999' }, action: 'remove', metadata: { timestamp: expect.any(String) } },
		]);
		expect(parse(webhook.content)).toEqual([
			expect.objectContaining({ type: 'contact-name', chatId: CLOUD.customer, name: 'Pablo Morales' }),
			{ type: 'contact-name', instanceId: CLOUD.phoneNumberId, chatId: '16505559999', timestamp: expect.any(Number) },
		]);
	});

	it('caps a coexistence number\'s sends at 20 per second (130429 above), whatever the account allows', async () => {
		expect(fake.sendsPerSecondLimit).toBe(80);
		fake.customerWrote(CLOUD.phoneNumberId, CLOUD.customer);
		const results = await Promise.all(Array.from({ length: COEXISTENCE_SENDS_PER_SECOND + 3 }, () => cloud.session(http, instance()).sendText({ chatId: CLOUD.customer, text: 'burst' })));
		const refused = results.filter((r) => !r.ok);
		expect(refused.length).toBeGreaterThanOrEqual(3);
		expect(refused[0]).toMatchObject({ retryable: true, code: 'cloud_130429' });
		expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(COEXISTENCE_SENDS_PER_SECOND);
	});

	it('refuses to play the Business app for a number that is not a coexistence number', () => {
		fake.addNumber({ phoneNumberId: '999000111', secret: 'x', display: '15550000000' });
		expect(() => fake.businessTypes('999000111', CLOUD.customer, 'hi')).toThrow(/not a coexistence number/);
	});
});
