// The coexistence fields' parser on odd input: whatever an authentic body carries, an id that is not a
// customer's, a missing content or a prototype name is an `ignored` event with its reason, never a chat.
import { parseCoexistenceChange } from '../../../src/providers/cloud/coexistence';
import { CLOUD, cloudInstance } from '../../fixtures/cloud';

const instance = cloudInstance();
const parse = (field: string, value: Record<string, unknown>) => parseCoexistenceChange(field, value, instance);
const echo = (m: Record<string, unknown>) => parse('smb_message_echoes', { message_echoes: [{ from: CLOUD.display, id: 'wamid.E1', timestamp: CLOUD.timestamp, type: 'text', text: { body: 'hi' }, ...m }] });

describe('coexistence webhook fields', () => {
	it('an echo names a customer by phone or BSUID; to the business itself, to nobody or to garbage it is ignored', () => {
		expect(echo({ to: CLOUD.customer })).toEqual([expect.objectContaining({ type: 'business-message', chatId: CLOUD.customer })]);
		expect(echo({ to: CLOUD.customer, to_user_id: CLOUD.bsuid })).toEqual([expect.objectContaining({ chatId: CLOUD.bsuid, customerIds: [CLOUD.customer] })]);
		for (const to of [CLOUD.display, undefined, '1'.repeat(10_000), 'status@broadcast', '__proto__', { x: 1 }]) {
			expect(echo({ to })).toEqual([expect.objectContaining({ type: 'ignored', reason: expect.stringContaining('without a customer recipient') })]);
		}
		expect(echo({ to: CLOUD.customer, id: 'constructor x' })).toEqual([expect.objectContaining({ type: 'ignored' })]);
		expect(echo({ to: CLOUD.customer, text: {} })).toEqual([expect.objectContaining({ type: 'ignored', reason: expect.stringContaining('text message without a text body') })]);
		expect(parse('smb_message_echoes', {})).toEqual([expect.objectContaining({ type: 'ignored', reason: 'smb_message_echoes without echoes' })]);
	});

	it('history threads need a customer id and readable, dated messages', () => {
		const thread = (id: unknown, messages: unknown[]) => parse('history', { history: [{ metadata: { phase: 0, chunk_order: 1, progress: 10 }, threads: [{ id, messages }] }] });
		const good = { from: CLOUD.customer, id: 'wamid.H1', timestamp: '1739321024', type: 'text', text: { body: 'hello' } };
		expect(thread(CLOUD.customer, [good, { ...good, id: 'wamid.H2', timestamp: 'yesterday' }, { ...good, id: 'wamid.H3', type: undefined }])).toEqual([
			expect.objectContaining({ type: 'chat-history', chatId: CLOUD.customer, messages: [expect.objectContaining({ messageId: 'wamid.H1', fromBusiness: false, timestamp: 1739321024000 })] }),
		]);
		expect(thread('__proto__', [good])).toEqual([expect.objectContaining({ type: 'ignored', reason: expect.stringContaining('history thread without a customer') })]);
		expect(thread(CLOUD.customer, [{ ...good, timestamp: '0' }])).toEqual([expect.objectContaining({ type: 'ignored', reason: expect.stringContaining('without readable messages') })]);
		expect(parse('history', { history: 'x' })).toEqual([expect.objectContaining({ type: 'ignored', reason: 'history without threads' })]);
	});

	it('address-book entries need a customer phone; add needs a name', () => {
		const entry = (e: Record<string, unknown>) => parse('smb_app_state_sync', { state_sync: [{ type: 'contact', action: 'add', metadata: { timestamp: CLOUD.timestamp }, ...e }] });
		expect(entry({ contact: { phone_number: `+${CLOUD.customer}`, full_name: 'Pablo Morales' } })).toEqual([expect.objectContaining({ type: 'contact-name', chatId: CLOUD.customer, name: 'Pablo Morales' })]);
		expect(entry({ contact: { phone_number: CLOUD.customer } })).toEqual([expect.objectContaining({ type: 'ignored', reason: expect.stringContaining('without a name') })]);
		for (const phone of [CLOUD.display, 'toString', '12', undefined]) {
			expect(entry({ contact: { phone_number: phone, full_name: 'X' } })).toEqual([expect.objectContaining({ type: 'ignored' })]);
		}
		expect(entry({ type: 'label', contact: { phone_number: CLOUD.customer, full_name: 'X' } })).toEqual([expect.objectContaining({ type: 'ignored' })]);
	});
});
