import { keysOf, kindKey, primaryKey, secondaryKey } from '../../src/store/keys';

describe('association keys', () => {
	it('builds one fixed order: kind, primary, secondaries', () => {
		const keys = keysOf('contact', '1:79@c.us', 'gab:room:R1');
		expect(keys.map((k) => [k.getModel(), k.getID()])).toEqual([
			['misc', 'gab:contact'],
			['misc', 'gab:contact:1:79@c.us'],
			['misc', 'gab:room:R1'],
		]);
	});

	it('reads by subsets of the same keys', () => {
		const all = keysOf('instance', '42').map((k) => k.getID());
		expect(all).toEqual(expect.arrayContaining([...kindKey('instance'), ...primaryKey('instance', '42')].map((k) => k.getID())));
		expect(secondaryKey('gab:room:R1')[0].getID()).toBe('gab:room:R1');
	});
});
