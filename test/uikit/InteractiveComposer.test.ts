// The composer's view ids (one per modal, forged ones refused) and what its inputs describe.
import { composedMessage, composeView, decodeComposerViewId, isComposerView, newComposerViewId } from '../../src/uikit/InteractiveComposer';
import { newViewId } from '../../src/uikit/TemplatePicker';

describe('the composer modal', () => {
	it('names its room and kind in a view id of its own, distinct from the template picker\'s', () => {
		const id = newComposerViewId('room|with:odd/chars', 'list');
		expect(decodeComposerViewId(id)).toEqual({ kind: 'list', roomId: 'room|with:odd/chars' });
		expect(newComposerViewId('r1', 'buttons')).not.toBe(newComposerViewId('r1', 'buttons'));
		expect(isComposerView(newViewId('r1'))).toBe(false);
		for (const forged of ['gab-ia|polls|r1|0123456789abcdef', 'gab-ia|buttons||0123456789abcdef', 'gab-ia|buttons|r1|xyz', 'gab-ia|buttons|r1', '%E0%A4%A', 42, undefined, 'x'.repeat(2000)]) {
			expect(decodeComposerViewId(forged)).toBeUndefined();
		}
	});

	it('a list composer has the list button input; buttons do not', () => {
		const ids = (kind: 'buttons' | 'list') => composeView(newComposerViewId('r1', kind), kind, 'To: Ann').blocks.filter((b: any) => b.type === 'input').map((b: any) => b.blockId);
		expect(ids('buttons')).toEqual(['ia-body', 'ia-options']);
		expect(ids('list')).toEqual(['ia-body', 'ia-options', 'ia-list-button']);
	});

	it('reads the inputs as the client groups them, one option per line; anything else in the state is ignored', () => {
		const state = { 'ia-body': { 'ia-body': ' Which day? ' }, 'ia-options': { 'ia-options': 'Monday\n\n# Later\nTuesday -- after 2 pm\n' }, 'ia-list-button': { 'ia-list-button': 'Days' }, __proto__: { x: 1 }, other: 5 };
		expect(composedMessage('list', state)).toEqual({
			kind: 'list', body: 'Which day?', button: 'Days',
			sections: [{ rows: [{ id: 'r1', title: 'Monday' }] }, { title: 'Later', rows: [{ id: 'r2', title: 'Tuesday', description: 'after 2 pm' }] }],
		});
		expect(composedMessage('buttons', { 'ia-body': { 'ia-body': 'Q' }, 'ia-options': { 'ia-options': 'Yes\nNo' } })).toEqual({ kind: 'buttons', body: 'Q', buttons: [{ id: 'b1', title: 'Yes' }, { id: 'b2', title: 'No' }] });
		expect(composedMessage('buttons', { 'ia-body': { 'ia-body': 7 }, 'ia-options': 'Yes' })).toEqual({ kind: 'buttons', body: '', buttons: [] });
	});
});
