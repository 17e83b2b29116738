// The template picker's views and what comes back from them (src/uikit/TemplatePicker.ts).
import { TemplateInfo } from '../../src/core/ports/templates';
import { decodeViewId, encodeViewId, fillView, filledValues, fingerprint, pickedTemplate, pickView } from '../../src/uikit/TemplatePicker';

const INFO: TemplateInfo = {
	name: 'order_update', language: 'pt_BR', status: 'APPROVED', parameterFormat: 'named', body: 'Olá {{name}}, pedido {{order}}.',
	bodyParameters: ['name', 'order'], header: { format: 'text', text: 'Pedido {{order_no}}', parameters: ['order_no'] }, buttons: [{ type: 'URL', text: 'Ver', parameters: ['1'] }],
};

describe('view ids', () => {
	it('round-trip the step, room and template, with separators in names escaped', () => {
		const id = { step: 'send' as const, roomId: 'R|1', name: 'a|b', language: 'en', previewed: 'abc' };
		expect(decodeViewId(encodeViewId(id))).toEqual(id);
		expect(decodeViewId(encodeViewId({ step: 'pick', roomId: 'R1' }))).toEqual({ step: 'pick', roomId: 'R1', name: undefined, language: undefined, previewed: undefined });
	});
	it('refuse anything else: other views, wrong steps, missing parts, bad escapes, huge ids', () => {
		for (const id of [undefined, 42, '', 'other-view', 'gab-tpl|drop|R1|||', 'gab-tpl|fill|R1|||', 'gab-tpl|pick||||', 'gab-tpl|pick|%E0%A4%A|||', `gab-tpl|pick|${'x'.repeat(3000)}|||`, 'gab-tpl|pick|R1']) {
			expect(decodeViewId(id)).toBeUndefined();
		}
	});
});

describe('views and their state', () => {
	it('the pick view offers approved templates; the picked one comes back from the state', () => {
		const view = pickView('R1', [INFO, { ...INFO, name: 'old', status: 'PAUSED' }], 'To: Ann') as any;
		const select = view.blocks.find((b: any) => b.blockId === 'tpl-pick').element;
		expect(select.options.map((o: any) => o.text.text)).toEqual(['order_update (pt_BR)']);
		expect(pickedTemplate({ 'tpl-pick': { 'tpl-pick': select.options[0].value } })).toEqual(['order_update', 'pt_BR']);
		for (const state of [undefined, 'x', { 'tpl-pick': 'x' }, { 'tpl-pick': { 'tpl-pick': '{bad' } }, { 'tpl-pick': { 'tpl-pick': '[1,2]' } }]) expect(pickedTemplate(state)).toBeUndefined();
		expect((pickView('R1', [], 'To: Ann') as any).submit).toBeUndefined();
	});
	it('the fill view has one input per parameter; values are read back by block, strings only', () => {
		const view = fillView('R1', INFO) as any;
		expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.blockId)).toEqual(['slot|header-text|order_no', 'slot|body|name', 'slot|body|order', 'slot|button|0']);
		const state = { 'slot|body|name': { 'slot|body|name': ' Ana ' }, 'slot|header-text|order_no': { 'slot|header-text|order_no': '7' }, 'slot|button|0': { 'slot|button|0': 42 }, junk: { x: 'y' } };
		expect(filledValues(INFO, state)).toEqual({ body: { name: 'Ana' }, header: { text: '7' } });
	});
	it('the preview step remembers what it showed: same values, same fingerprint, in any order', () => {
		const a = { body: { name: 'Ana', order: '7' }, buttons: { 0: '7' } };
		const b = { buttons: { 0: '7' }, body: { order: '7', name: 'Ana' } };
		expect(fingerprint(a)).toBe(fingerprint(b));
		expect(fingerprint(a)).not.toBe(fingerprint({ ...a, body: { name: 'Ana', order: '8' } }));
		const preview = fillView('R1', INFO, { ...a, header: { text: '7' } }, { problems: [] }) as any;
		expect(decodeViewId(preview.id)).toMatchObject({ step: 'send', previewed: fingerprint({ ...a, header: { text: '7' } }) });
		expect(JSON.stringify(preview.blocks)).toContain('Olá Ana, pedido 7.');
		const withProblems = fillView('R1', INFO, a, { problems: ['Header is missing'] }) as any;
		expect(decodeViewId(withProblems.id)?.previewed).toBeUndefined();
	});
});
