// The template picker's views and what comes back from them (src/uikit/TemplatePicker.ts).
import { TemplateInfo } from '../../src/core/ports/templates';
import { decodeStep, decodeViewId, encodeStep, fillView, filledValues, fingerprint, loadingView, messageView, newViewId, pickedTemplate, pickView, sendingView } from '../../src/uikit/TemplatePicker';

const INFO: TemplateInfo = {
	name: 'order_update', language: 'pt_BR', status: 'APPROVED', parameterFormat: 'named', body: 'Olá {{name}}, pedido {{order}}.',
	bodyParameters: ['name', 'order'], header: { format: 'text', text: 'Pedido {{order_no}}', parameters: ['order_no'] }, buttons: [{ type: 'URL', text: 'Ver', parameters: ['1'] }],
};

describe('view ids and steps', () => {
	it('a view id names the room, with a random part: two pickers of one room never share an id', () => {
		const id = newViewId('R|1');
		expect(decodeViewId(id)).toEqual({ roomId: 'R|1' });
		expect(newViewId('R|1')).not.toBe(id);
	});
	it('refuses any other view id: other views, missing parts, bad escapes, huge ids', () => {
		for (const id of [undefined, 42, '', 'other-view', 'gab-tpl|R1', 'gab-tpl||0123456789abcdef', 'gab-tpl|R1|xyz', 'gab-tpl|%E0%A4%A|0123456789abcdef', `gab-tpl|${'x'.repeat(3000)}|0123456789abcdef`, 'gab-tpl|fill|R1|||']) {
			expect(decodeViewId(id)).toBeUndefined();
		}
	});
	it('the step travels as the first block\'s id and round-trips, with separators in names escaped', () => {
		const step = { step: 'send' as const, name: 'a|b', language: 'en', previewed: 'abc', args: undefined };
		expect(decodeStep([{ type: 'context', blockId: encodeStep(step) }])).toEqual(step);
		expect(decodeStep([{ type: 'section', blockId: encodeStep({ step: 'loading', args: 'welcome "x y"' }) }])).toMatchObject({ step: 'loading', args: 'welcome "x y"' });
		for (const blocks of [undefined, [], [{}], [{ blockId: 'gab-step|drop|||||' }], [{ blockId: 'gab-step|fill|||||' }], [{ blockId: 'gab-step|pick' }], 'x']) expect(decodeStep(blocks)).toBeUndefined();
	});
	it('every view of one picker keeps the id it was given, whatever its step', () => {
		const id = newViewId('R1');
		const views = [messageView(id, 'x'), loadingView(id), pickView(id, [INFO], 'To: Ann'), fillView(id, INFO), fillView(id, INFO, { body: {} }, { problems: [] }), sendingView(id, INFO)];
		expect(views.map((v) => v.id)).toEqual(views.map(() => id));
		expect(views.map((v) => decodeStep(v.blocks)?.step)).toEqual(['message', 'loading', 'pick', 'fill', 'send', 'sending']);
		// Rocket.Chat's client merges an update into the open view: every view has a submit button, so an update
		// never leaves the previous step's one behind; where the picker only says something it is Close
		expect(views.map((v) => (v.submit as any)?.text.text)).toEqual(['Close', 'Refresh', 'Next', 'Preview', 'Send', 'Close']);
	});
});

describe('views and their state', () => {
	it('the pick view offers approved templates; the picked one comes back from the state', () => {
		const view = pickView(newViewId('R1'), [INFO, { ...INFO, name: 'old', status: 'PAUSED' }], 'To: Ann') as any;
		const select = view.blocks.find((b: any) => b.blockId === 'tpl-pick').element;
		expect(select.options.map((o: any) => o.text.text)).toEqual(['order_update (pt_BR)']);
		expect(pickedTemplate({ 'tpl-pick': { 'tpl-pick': select.options[0].value } })).toEqual(['order_update', 'pt_BR']);
		for (const state of [undefined, 'x', { 'tpl-pick': 'x' }, { 'tpl-pick': { 'tpl-pick': '{bad' } }, { 'tpl-pick': { 'tpl-pick': '[1,2]' } }]) expect(pickedTemplate(state)).toBeUndefined();
		expect((pickView(newViewId('R1'), [], 'To: Ann') as any).submit.text.text).toBe('Close');
	});
	it('the fill view has one input per parameter; values are read back by block, strings only', () => {
		const view = fillView(newViewId('R1'), INFO) as any;
		expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.blockId)).toEqual(['slot|header-text|order_no', 'slot|body|name', 'slot|body|order', 'slot|button|0']);
		const state = { 'slot|body|name': { 'slot|body|name': ' Ana ' }, 'slot|header-text|order_no': { 'slot|header-text|order_no': '7' }, 'slot|button|0': { 'slot|button|0': 42 }, junk: { x: 'y' } };
		expect(filledValues(INFO, state)).toEqual({ body: { name: 'Ana' }, header: { text: '7' } });
		// the command line's values stand where nothing was typed (a later step's prefilled inputs are not in the state)
		expect(filledValues(INFO, state, { body: { name: 'Bea', order: '9' }, buttons: { 0: '9' } })).toEqual({ body: { name: 'Ana', order: '9' }, header: { text: '7' }, buttons: { 0: '9' } });
	});
	it('the preview step remembers what it showed: same values, same fingerprint, in any order', () => {
		const a = { body: { name: 'Ana', order: '7' }, buttons: { 0: '7' } };
		const b = { buttons: { 0: '7' }, body: { order: '7', name: 'Ana' } };
		expect(fingerprint(a)).toBe(fingerprint(b));
		expect(fingerprint(a)).not.toBe(fingerprint({ ...a, body: { name: 'Ana', order: '8' } }));
		const preview = fillView(newViewId('R1'), INFO, { ...a, header: { text: '7' } }, { problems: [] }) as any;
		expect(decodeStep(preview.blocks)).toMatchObject({ step: 'send', previewed: fingerprint({ ...a, header: { text: '7' } }) });
		expect(JSON.stringify(preview.blocks)).toContain('Olá Ana, pedido 7.');
		const withProblems = fillView(newViewId('R1'), INFO, a, { problems: ['Header is missing'] }) as any;
		expect(decodeStep(withProblems.blocks)?.previewed).toBeUndefined();
	});

	it('a media header: the fill view names the room\'s files that fit its kind; the preview shows the chosen file', () => {
		const image: TemplateInfo = { ...INFO, parameterFormat: 'positional', body: 'Hi {{1}}', bodyParameters: ['1'], header: { format: 'image', parameters: ['link'] }, buttons: [] };
		const files = [{ id: 'u1', name: 'sale.png', type: 'image/png', size: 10 }, { id: 'u2', name: 'terms.pdf', type: 'application/pdf', size: 10 }, { id: 'u3', name: 'b.jpg', type: 'image/jpeg' }];
		const view = fillView(newViewId('R1'), image, undefined, undefined, undefined, files) as any;
		expect(JSON.stringify(view.blocks)).toContain('Files in this room that fit the header: sale.png, b.jpg');
		expect(JSON.stringify(fillView(newViewId('R1'), image, undefined, undefined, undefined, [files[1]]))).toContain('No file in this room fits this header');
		// Without a media header there is nothing to list.
		expect(JSON.stringify(fillView(newViewId('R1'), INFO, undefined, undefined, undefined, files))).not.toContain('Files in this room');
		const preview = fillView(newViewId('R1'), image, { body: { 1: 'Ann' }, header: { link: 'sale.png' } }, { problems: [] }, undefined, files) as any;
		expect(JSON.stringify(preview.blocks)).toContain('image: sale.png');
	});
	it('an authentication template: one input, the code, read back as the code', () => {
		const otp: TemplateInfo = { ...INFO, category: 'AUTHENTICATION', parameterFormat: 'positional', body: '*{{1}}* is your verification code.', bodyParameters: ['1'], header: undefined, buttons: [{ type: 'OTP', text: 'Copy code', parameters: ['code'] }] };
		const view = fillView(newViewId('R1'), otp) as any;
		expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.blockId)).toEqual(['slot|code|1']);
		expect(filledValues(otp, { 'slot|code|1': { 'slot|code|1': ' 4821 ' } })).toEqual({ body: {}, code: '4821' });
		expect(fingerprint({ body: {}, code: '4821' })).not.toBe(fingerprint({ body: {}, code: '4822' }));
	});
});
