// Strings from outside (payload types and states, reaction names, template parameter names, catalog keys)
// never find what a plain object inherits: `constructor`, `toString`, `__proto__`, `hasOwnProperty`, `valueOf`.
import { emojiOf } from '../../src/core/emoji';
import { own } from '../../src/core/ports/lookup';
import { InboundMessage } from '../../src/core/ports/events';
import { WebhookRequest } from '../../src/core/ports/provider';
import { slotValue } from '../../src/core/templates';
import { hasKey, t } from '../../src/i18n/translate';
import { CloudProvider } from '../../src/providers/cloud/CloudProvider';
import { templateBody } from '../../src/providers/cloud/templates';
import { deliveryStatus, instanceHealth, isDocumentedState } from '../../src/providers/greenapi/statuses';
import { body, CLOUD, cloudInstance, fieldBody, msg, status, value } from '../fixtures/cloud';

const PROTOTYPE_NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__'];

describe('own: the one lookup for keys from outside', () => {
	it('finds own entries only', () => {
		const table: Record<string, number> = { a: 1, zero: 0 };
		expect(own(table, 'a')).toBe(1);
		expect(own(table, 'zero')).toBe(0);
		for (const name of PROTOTYPE_NAMES) expect(own(table, name)).toBeUndefined();
		expect(own(table, undefined)).toBeUndefined();
		expect(own(table, 1)).toBeUndefined();
		expect(own(undefined, 'a')).toBeUndefined();
		// A JSON payload may carry the name as its own key: then it is data, and found as such.
		expect(own(JSON.parse('{"__proto__": 5}'), '__proto__')).toBe(5);
	});
});

describe('Cloud API payloads with prototype names', () => {
	const provider = new CloudProvider();
	const req = (content: unknown): WebhookRequest => ({ method: 'POST', headers: {}, query: {}, content });
	const parse = (content: unknown) => provider.webhook.parse(req(content), [cloudInstance()]);

	it.each(PROTOTYPE_NAMES)('a message of type "%s" is an unsupported message, not content without a kind', (name) => {
		const events = parse(body(value({ messages: [{ ...msg.text('x'), type: name }] })));
		expect(events).toHaveLength(1);
		const content = (events[0] as InboundMessage).content;
		expect(content).toEqual({ kind: 'unsupported', type: name });
	});

	it.each(PROTOTYPE_NAMES)('an interactive reply and an edit of type "%s" carry no inherited object', (name) => {
		const [reply] = parse(body(value({ messages: [{ ...msg.text('x'), type: 'interactive', text: undefined, interactive: { type: name } }] })));
		expect(typeof (reply as InboundMessage).content.kind).toBe('string');
		const [edit] = parse(body(value({ messages: [{ ...msg.text('x'), type: 'edit', text: undefined, edit: { original_message_id: 'wamid.O', message: { type: name } } }] })));
		expect((edit as InboundMessage).content).toEqual({ kind: 'edit', targetMessageId: 'wamid.O', text: '' });
	});

	it.each(PROTOTYPE_NAMES)('a status "%s" is ignored, not a function', (name) => {
		const events = parse(body(value({ statuses: [status('wamid.S1', name)] })));
		expect(events).toHaveLength(1);
		expect(events[0].type).toBe('ignored');
	});

	it.each(PROTOTYPE_NAMES)('a quality event "%s" changes no health', (name) => {
		const events = parse(fieldBody('phone_number_quality_update', { display_phone_number: CLOUD.display, event: name }));
		expect(events.every((e) => e.type !== 'state' || typeof e.health === 'string')).toBe(true);
		expect(events.some((e) => e.type === 'state' && typeof e.health !== 'string')).toBe(false);
	});

	it('a file with a prototype-named MIME type gets a plain extension', () => {
		const [event] = parse(body(value({ messages: [{ ...msg.image('M1'), image: { id: 'M1', mime_type: 'constructor' } }] })));
		expect((event as InboundMessage).content).toMatchObject({ kind: 'media', media: 'image', fileName: 'image-M1.bin' });
	});
});

describe('GREEN-API states with prototype names', () => {
	it.each(PROTOTYPE_NAMES)('status "%s" is unknown, not a failure that is a function', (name) => {
		expect(deliveryStatus(name)).toBeUndefined();
		expect(deliveryStatus(name, 'some description')).toBeUndefined();
		expect(instanceHealth(name)).toBe('unknown');
		expect(isDocumentedState(name)).toBe(false);
	});
});

describe('names from people and templates', () => {
	it.each(PROTOTYPE_NAMES)('reaction :%s: (and with a skin tone) is not an emoji', (name) => {
		expect(emojiOf(`:${name}:`)).toBeUndefined();
		expect(emojiOf(`:${name}_tone2:`)).toBeUndefined();
	});

	it.each(PROTOTYPE_NAMES)('catalog key "%s" is not a translation; a placeholder {%s} is not filled from the prototype', (name) => {
		expect(hasKey(name)).toBe(false);
		expect(t(name)).toBe(name);
		expect(t('instance_unknown', {})).toContain('{id}');
	});

	it.each(PROTOTYPE_NAMES)('template parameter "%s" without a value is missing, never an inherited function', (name) => {
		expect(slotValue({ body: {} }, { kind: 'body', key: name } as never)).toBe('');
		const r = templateBody({ chatId: '1', name: 'hello', language: 'en', body: {} } as never, { name: 'hello', language: 'en', status: 'APPROVED', category: 'UTILITY', parameterFormat: 'named', bodyParameters: [name], text: `{{${name}}}` } as never);
		expect(r).toMatchObject({ ok: false, code: 'cloud_template_parameters' });
	});
});
