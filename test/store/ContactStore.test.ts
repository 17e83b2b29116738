import { upgradeContact } from '../../src/store/ContactStore';
import { CONTACT_STORED_BY_0_1 } from '../fixtures/legacy';

describe('contact records stored before the record had sections', () => {
	it('read with their dedupe ids and times, queue markers and every other field kept', () => {
		const { seen, seenTimes, archivedUntil, pending, outPending, ...rest } = CONTACT_STORED_BY_0_1;
		expect(upgradeContact(CONTACT_STORED_BY_0_1 as never)).toEqual({
			...rest,
			dedupe: { ids: seen, times: seenTimes, archivedUntil },
			queues: { in: pending, out: outPending },
		});
	});

	it('leave no loose field behind and are left alone once upgraded', () => {
		const current = upgradeContact(CONTACT_STORED_BY_0_1 as never)!;
		for (const old of ['seen', 'seenTimes', 'archivedUntil', 'pending', 'outPending']) expect(current).not.toHaveProperty(old);
		expect(upgradeContact(current)).toBe(current);
	});

	it('cope with a record of 0.1.0 without times, markers or links, and bound an overlong one', () => {
		const { seenTimes, pending, outPending, archivedUntil, ...bare } = CONTACT_STORED_BY_0_1;
		void seenTimes, pending, outPending, archivedUntil;
		const long = { ...bare, seen: Array.from({ length: 600 }, (_, i) => `id-${i}`), links: undefined };
		const up = upgradeContact(long as never)!;
		expect(up.dedupe.ids).toHaveLength(250);
		expect(up.dedupe.ids[249]).toBe('id-599');
		expect(up.dedupe.times).toBeUndefined();
		expect(up.queues).toBeUndefined();
		expect(up.links).toEqual([]);
	});
});
