// The templateMessage request as the marketplace apps' integrations send it (pure parts).
import { TemplateInfo } from '../../src/core/ports/templates';
import { parseTemplateRequest, phoneDigits, valuesFromComponents } from '../../src/endpoints/TemplateMessageEndpoint';

const INFO: TemplateInfo = {
	name: 'x', language: 'en', status: 'APPROVED', parameterFormat: 'positional', body: '{{1}} {{2}}', bodyParameters: ['1', '2'],
	header: { format: 'image', parameters: [] }, buttons: [{ type: 'URL', text: 'Go', parameters: ['1'] }],
};

describe('parseTemplateRequest', () => {
	it('takes the documented body: language as {code} or a string, numbers deduplicated, optional routing', () => {
		const r = parseTemplateRequest({ phoneNumbers: ['+1 555', '+1 555', 15550001], connectedWhatsAppNo: 104920685899299, template: { name: ' ship ', language: { code: 'en', policy: 'deterministic' } }, targetAgent: ' ' });
		expect(r).toEqual({ ok: true, request: { phoneNumbers: ['+1 555', '15550001'], connectedWhatsAppNo: '104920685899299', targetAgent: undefined, targetDepartment: undefined, template: { name: 'ship', language: 'en', components: [] } } });
		expect(parseTemplateRequest({ phoneNumbers: ['1'], connectedWhatsAppNo: '1', template: { name: 'a', language: 'de', components: [] } })).toMatchObject({ ok: true, request: { template: { language: 'de' } } });
	});
	it.each([
		[null], [[]], ['x'], [{}], [{ phoneNumbers: 'x', connectedWhatsAppNo: '1', template: { name: 'a' } }],
		[{ phoneNumbers: [{}], connectedWhatsAppNo: '1', template: { name: 'a' } }], [{ phoneNumbers: ['1'], connectedWhatsAppNo: ' ', template: { name: 'a' } }],
		[{ phoneNumbers: ['1'], connectedWhatsAppNo: '1', template: { name: 'a', components: {} } }], [{ phoneNumbers: ['1'], connectedWhatsAppNo: '1', template: [] }],
	])('refuses %j', (body) => {
		expect(parseTemplateRequest(body)).toMatchObject({ ok: false, error: expect.any(String) });
	});
});

describe('valuesFromComponents', () => {
	it('maps body (positional or by parameter_name), media header link and button parameters', () => {
		expect(valuesFromComponents(INFO, [
			{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://i.test/a.png' } }] },
			{ type: 'BODY', parameters: [{ type: 'text', text: 'a' }, { type: 'currency', currency: { fallback_value: '$5', code: 'USD', amount_1000: 5000 } }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'p' }] },
			{ type: 'button', sub_type: 'quick_reply', index: 1, parameters: [{ type: 'payload', payload: 'yes' }] },
			'garbage', null,
		])).toEqual({ ok: true, values: { header: { link: 'https://i.test/a.png' }, body: { 1: 'a', 2: '$5' }, buttons: { 0: 'p', 1: 'yes' } } });
		const named = { ...INFO, parameterFormat: 'named' as const, bodyParameters: ['first_name'] };
		expect(valuesFromComponents(named, [{ type: 'body', parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Ann' }] }])).toEqual({ ok: true, values: { body: { first_name: 'Ann' } } });
	});
	it('takes a media header by link or by a media id the caller uploaded; refuses one with neither and a button without a sane index', () => {
		expect(valuesFromComponents(INFO, [{ type: 'header', parameters: [{ type: 'image', image: { id: '123' } }] }])).toMatchObject({ ok: true, values: { header: { mediaId: '123' } } });
		expect(valuesFromComponents(INFO, [{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://x.test/a.png' } }] }])).toMatchObject({ ok: true, values: { header: { link: 'https://x.test/a.png' } } });
		expect(valuesFromComponents(INFO, [{ type: 'header', parameters: [{ type: 'image', image: { id: '../x y' } }] }])).toMatchObject({ ok: false });
		expect(valuesFromComponents(INFO, [{ type: 'button', index: 'x', parameters: [{ type: 'text', text: 'p' }] }])).toMatchObject({ ok: false });
	});
});

describe('phoneDigits', () => {
	it('accepts numbers as people write them, refuses anything else', () => {
		expect(phoneDigits('+49 (170) 123-45.67')).toBe('491701234567');
		expect(phoneDigits('15550002222')).toBe('15550002222');
		for (const bad of ['12345', '1'.repeat(16), '+1 555 abc 1234', '++15550002222', '']) expect(phoneDigits(bad)).toBeUndefined();
	});
});
