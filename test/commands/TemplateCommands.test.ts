// `/whatsapp template <name> [language] [values…]`: the arguments as an agent types them.
import { parseTemplateArguments, tokenize } from '../../src/commands/TemplateCommands';
import { TemplateInfo } from '../../src/core/ports/templates';

const tpl = (over: Partial<TemplateInfo>): TemplateInfo => ({ name: 'x', language: 'en', status: 'APPROVED', parameterFormat: 'positional', body: '', bodyParameters: [], buttons: [], ...over });
const LIST = [
	tpl({ name: 'order_update', body: 'Hi {{1}}, {{2}}', bodyParameters: ['1', '2'], buttons: [{ type: 'URL', text: 'Track', parameters: ['1'] }] }),
	tpl({ name: 'order_update', language: 'de', body: 'Hallo {{1}}, {{2}}', bodyParameters: ['1', '2'] }),
	tpl({ name: 'welcome', parameterFormat: 'named', body: 'Hi {{first_name}} at {{shop}}', bodyParameters: ['first_name', 'shop'], header: { format: 'image', parameters: [] } }),
	tpl({ name: 'draft', status: 'REJECTED' }),
];

describe('tokenize', () => {
	it('splits on spaces and keeps "quoted parts" together, also typographic quotes and key="value"', () => {
		expect(tokenize('a  "b c" shop="Green Shop" “d e”')).toEqual(['a', 'b c', 'shop=Green Shop', 'd e']);
		expect(tokenize('"" x')).toEqual(['x']);
	});
});

describe('parseTemplateArguments', () => {
	it('fills positional values in order, a language after the name, buttonN= for the N-th button', () => {
		expect(parseTemplateArguments(['order_update', 'en', 'Ann', 'A-1', 'button1=A-1'], LIST)).toEqual({
			ok: true, info: LIST[0], values: { body: { 1: 'Ann', 2: 'A-1' }, buttons: { 0: 'A-1' } }, given: true,
		});
	});
	it('takes named values and a media header link; plain values fill the names still empty', () => {
		const r = parseTemplateArguments(['welcome', 'shop="Green', 'Shop"', 'Ann', 'header=https://i.test/a.png'], LIST);
		expect(r).toMatchObject({ ok: true, values: { body: { first_name: 'Ann', shop: 'Green Shop' }, header: { link: 'https://i.test/a.png' } } });
	});
	it('asks for a language when the name is ambiguous, and names the approved templates when it is unknown', () => {
		expect(parseTemplateArguments(['order_update', 'Ann'], LIST)).toEqual({ ok: false, error: expect.stringContaining('several languages (de, en)') });
		expect(parseTemplateArguments(['draft'], LIST)).toEqual({ ok: false, error: 'No approved template draft. Approved: order_update, welcome' });
	});
	it('refuses more values than the body takes; reports whether any value was given', () => {
		expect(parseTemplateArguments(['order_update', 'de', 'a', 'b', 'c'], LIST)).toMatchObject({ ok: false, error: expect.stringContaining('(2 in the body)') });
		expect(parseTemplateArguments(['welcome'], LIST)).toMatchObject({ ok: true, given: false, values: { body: {} } });
	});
});
