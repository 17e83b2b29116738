// A filled template → the Cloud API `template` body (src/providers/cloud/templates.ts): media headers by id
// (a room file the adapter uploaded) or link, the one-time code on its button, buttons that take nothing.
import { TemplateInfo } from '../../../src/core/ports/templates';
import { templateBody, templateInfo } from '../../../src/providers/cloud/templates';
import { authTemplate, template } from '../../fixtures/cloud';

const listed = (raw: Record<string, unknown>): TemplateInfo => templateInfo(raw)!;
const componentsOf = (r: ReturnType<typeof templateBody>) => {
	if (!r.ok) throw new Error(r.reason);
	return (r.body.template as { components: unknown[] }).components;
};

describe('template send bodies', () => {
	it('a media header by the uploaded id (a document keeps its file name) or by link', () => {
		const doc = listed(template({ name: 'invoice', header: { format: 'DOCUMENT' }, body: 'Invoice {{1}}' }));
		const file = { id: 'rc-1', name: 'INV-42.pdf', type: 'application/pdf', size: 10 };
		expect(componentsOf(templateBody({ chatId: '4915', name: 'invoice', language: 'en_US', body: { 1: 'A' }, header: { file, mediaId: '777' }, info: doc }, doc))).toEqual([
			{ type: 'body', parameters: [{ type: 'text', text: 'A' }] },
			{ type: 'header', parameters: [{ type: 'document', document: { id: '777', filename: 'INV-42.pdf' } }] },
		]);
		expect(componentsOf(templateBody({ chatId: '4915', name: 'invoice', language: 'en_US', body: { 1: 'A' }, header: { link: 'https://x.test/a.pdf' }, info: doc }, doc))[1])
			.toEqual({ type: 'header', parameters: [{ type: 'document', document: { link: 'https://x.test/a.pdf' } }] });
		// A room file not uploaded yet cannot be sent as such: refused, never sent without its header.
		expect(templateBody({ chatId: '4915', name: 'invoice', language: 'en_US', body: { 1: 'A' }, header: { file }, info: doc }, doc)).toMatchObject({ ok: false, retryable: false });
	});

	it('an authentication template: the code in the body and as the OTP button\'s url parameter, whichever way it was listed', () => {
		for (const listedAs of ['OTP', 'URL'] as const) {
			const otp = listed(authTemplate({ name: 'login_code', listedAs }));
			expect(otp.buttons).toEqual([{ type: 'OTP', text: 'Copy code', parameters: ['code'] }]);
			expect(componentsOf(templateBody({ chatId: '4915', name: 'login_code', language: 'en_US', body: { 1: '4821' }, buttons: { 0: '4821' }, info: otp }, otp))).toEqual([
				{ type: 'body', parameters: [{ type: 'text', text: '4821' }] },
				{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '4821' }] },
			]);
		}
	});

	it('a quick reply carries its payload when given; request-contact-info buttons are listed and carry nothing', () => {
		const sale = listed(template({ name: 'sale', body: 'Hi', buttons: [{ type: 'QUICK_REPLY', text: 'Later' }, { type: 'REQUEST_CONTACT_INFO', text: 'Share my number' }] }));
		expect(sale.buttons.map((b) => [b.type, b.parameters])).toEqual([['QUICK_REPLY', []], ['REQUEST_CONTACT_INFO', []]]);
		expect(componentsOf(templateBody({ chatId: '4915', name: 'sale', language: 'en_US', body: {}, buttons: { 0: 'later-1' }, info: sale }, sale))).toEqual([
			{ type: 'button', sub_type: 'quick_reply', index: '0', parameters: [{ type: 'payload', payload: 'later-1' }] },
		]);
	});
});
