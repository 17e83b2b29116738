// Templates as data (src/core/templates.ts) and the customer-service window (src/core/serviceWindow.ts).
import { TemplateInfo } from '../../src/core/ports/templates';
import { isWindowClosedFailure, serviceWindow, windowHours } from '../../src/core/serviceWindow';
import {
	describeTemplate, findTemplate, renderTemplate, sendableTemplates, templateMessage, templatePlaceholders, templateProblems, templateSlots,
} from '../../src/core/templates';

const info = (over: Partial<TemplateInfo> = {}): TemplateInfo => ({
	name: 'order_update', language: 'en', status: 'APPROVED', category: 'UTILITY', parameterFormat: 'positional',
	body: 'Hello {{1}}, order {{2}} shipped. Thanks, {{1}}!', bodyParameters: ['1', '2'], buttons: [], ...over,
});

describe('the customer-service window', () => {
	const caps = { serviceWindowMs: 24 * 3_600_000 };
	it('does not apply to a provider without one', () => {
		expect(serviceWindow({}, undefined, 1000)).toEqual({ applies: false });
	});
	it('is open for 24 hours after the last message, closed after, and closed when the customer never wrote', () => {
		const last = Date.UTC(2026, 0, 1, 12);
		expect(serviceWindow(caps, last, last + 23 * 3_600_000)).toEqual({ applies: true, open: true, until: last + caps.serviceWindowMs });
		expect(serviceWindow(caps, last, last + caps.serviceWindowMs)).toEqual({ applies: true, open: false, until: last + caps.serviceWindowMs });
		expect(serviceWindow(caps, undefined, last)).toEqual({ applies: true, open: false });
		expect(windowHours(caps)).toBe(24);
	});
	it('recognises the failure codes a provider declares, and nothing else', () => {
		const c = { windowClosedCodes: ['cloud_131047'] };
		expect(isWindowClosedFailure(c, { code: 'cloud_131047' })).toBe(true);
		expect(isWindowClosedFailure(c, { code: 'cloud_131026' })).toBe(false);
		expect(isWindowClosedFailure(c, {})).toBe(false);
		expect(isWindowClosedFailure({}, { code: 'cloud_131047' })).toBe(false);
		expect(isWindowClosedFailure(c, undefined)).toBe(false);
	});
});

describe('templates', () => {
	it('finds placeholders once each, in order, named or positional', () => {
		expect(templatePlaceholders('Hi {{first_name}}, {{ 2 }} and {{first_name}} again {{x-y}}')).toEqual(['first_name', '2']);
		expect(templatePlaceholders(undefined)).toEqual([]);
	});

	it('offers APPROVED ones only, and finds by name (any case) and language; without a language only when unambiguous', () => {
		const list = [info(), info({ language: 'de' }), info({ name: 'draft', status: 'PENDING' }), info({ name: 'solo', language: 'es' })];
		expect(sendableTemplates(list).map((i) => `${i.name}/${i.language}`)).toEqual(['order_update/de', 'order_update/en', 'solo/es']);
		expect(findTemplate(list, 'ORDER_UPDATE', 'en')?.language).toBe('en');
		expect(findTemplate(list, 'order_update')).toBeUndefined();
		expect(findTemplate(list, 'solo')?.language).toBe('es');
		expect(findTemplate(list, 'draft', 'en')).toBeUndefined();
	});

	it('lists what a template takes: header text or media link, body parameters, button parameters', () => {
		const t = info({ header: { format: 'image', parameters: [] }, buttons: [{ type: 'QUICK_REPLY', text: 'No', parameters: [] }, { type: 'URL', text: 'Track', parameters: ['1'] }] });
		expect(templateSlots(t).map((s) => `${s.kind}:${s.key}:${s.label}`)).toEqual(['header-link:image:Header image (a link, or the name of a file in this room)', 'body:1:{{1}}', 'body:2:{{2}}', 'button:1:Button 2 "Track"']);
		const text = info({ header: { format: 'text', text: 'Order {{1}}', parameters: ['1'] } });
		expect(templateSlots(text)[0]).toMatchObject({ kind: 'header-text', key: '1' });
	});

	it('says what is missing, too long, not a link, unknown, or unsupported', () => {
		const t = info({ header: { format: 'document', parameters: [] } });
		expect(templateProblems(t, { body: { 1: 'Ann', 2: ' ' }, header: { link: 'ftp://x' } })).toEqual(['Header document (a link, or the name of a file in this room) must be an http(s) link', '{{2}} is missing']);
		expect(templateProblems(info(), { body: { 1: 'x'.repeat(1001), 2: 'b', 3: 'c' } })).toEqual(['the template has no parameter {{3}}']);
		// A body parameter: 32,768 characters when the body is all the template has, 1024 otherwise (WhatsApp's rules).
		expect(templateProblems(info(), { body: { 1: 'x'.repeat(32_768), 2: 'b' } })).toEqual([]);
		expect(templateProblems(info(), { body: { 1: 'x'.repeat(32_769), 2: 'b' } })).toEqual(['{{1}} is longer than 32768 characters']);
		expect(templateProblems(info({ footer: 'Shop' }), { body: { 1: 'x'.repeat(1025), 2: 'b' } })).toEqual(['{{1}} is longer than 1024 characters']);
		expect(templateProblems(info({ header: { format: 'location', parameters: [] } }), { body: { 1: 'a', 2: 'b' } })).toEqual(['templates with a location header cannot be sent from here']);
		expect(templateProblems(info(), { body: { 1: 'a', 2: 'b' } })).toEqual([]);
	});

	it('keeps only the values the template takes, trimmed, and renders it as the customer reads it', () => {
		const t = info({ header: { format: 'text', text: 'Order {{1}}', parameters: ['1'] }, footer: 'Shop', buttons: [{ type: 'URL', text: 'Track', parameters: ['1'] }] });
		const msg = templateMessage(t, { body: { 1: ' Ann ', 2: 'A-1', extra: 'x' }, header: { text: 'A-1' }, buttons: { 0: 'A-1', 5: 'no' } });
		expect(templateProblems(t, { body: { 1: 'Ann', 2: 'A-1' }, header: { text: 'A-1' }, buttons: { 0: 'A-1', 5: 'no' } })).toEqual(['the template has no button 6']);
		expect(msg).toEqual({ name: 'order_update', language: 'en', body: { 1: 'Ann', 2: 'A-1' }, header: { text: 'A-1' }, buttons: { 0: 'A-1' }, info: t });
		expect(renderTemplate(msg)).toBe('*Order A-1*\nHello Ann, order A-1 shipped. Thanks, Ann!\n_Shop_\n🔘 Track');
		const media = info({ header: { format: 'video', parameters: [] } });
		expect(renderTemplate(templateMessage(media, { body: { 1: 'a', 2: 'b' }, header: { link: 'https://v.test/a.mp4' } })).split('\n')[0]).toBe('video: https://v.test/a.mp4');
		// An unfilled placeholder stays visible (the picker's "template text").
		expect(renderTemplate({ ...msg, body: {} })).toContain('Hello {{1}}, order {{2}}');
	});

	it('describes one template for /whatsapp templates', () => {
		expect(describeTemplate(info({ body: 'Line one {{1}}\nline two {{2}}' }))).toBe('• *order_update* (en) · UTILITY — takes: {{1}}, {{2}}\n> Line one {{1}}\n> line two {{2}}');
		expect(describeTemplate(info({ bodyParameters: [], body: 'Hi', category: undefined }))).toBe('• *order_update* (en) — no parameters\n> Hi');
	});
});
