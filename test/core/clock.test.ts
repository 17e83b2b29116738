import { monotonicNow } from '../../src/core/clock';

describe('monotonicNow', () => {
	it('never repeats or goes back, even within one millisecond', () => {
		const values = Array.from({ length: 1000 }, () => monotonicNow());
		for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThan(values[i - 1]);
	});
});
