// The customer's marketing choice (newer word wins, redeliveries change nothing) and the monthly usage
// ledger (one record per number-month, categories added to as prices are first told).
import { newContact } from '../../src/core/contacts';
import { recordMarketingChoice } from '../../src/core/MarketingPreferences';
import { MonthlyUsage } from '../../src/core/ports/records';
import { marketingRefusal } from '../../src/core/TemplateService';
import { conversationUsage, monthOf, parseMonth, UsageLedger } from '../../src/core/UsageLedger';

describe('a customer\'s marketing choice', () => {
	it('moves with the newest word only; the same word again is no change', () => {
		const c = newContact('i1', '16505551234', 'Sheena');
		expect(recordMarketingChoice(c, true, 2_000, 'preference')).toBe(true);
		expect(recordMarketingChoice(c, true, 2_000, 'preference')).toBe(false);
		expect(recordMarketingChoice(c, false, 1_000, 'preference')).toBe(false); // an older resume, delivered late
		expect(c.marketing).toEqual({ stopped: true, at: 2_000, via: 'preference' });
		expect(recordMarketingChoice(c, false, 3_000, 'preference')).toBe(true);
		expect(recordMarketingChoice(c, true, 4_000, 'refusal')).toBe(true);
		expect(c.marketing).toEqual({ stopped: true, at: 4_000, via: 'refusal' });
	});

	it('refuses MARKETING templates only, and only while stopped', () => {
		const c = newContact('i1', '16505551234', 'Sheena');
		const sale = { name: 'spring_sale', category: 'MARKETING' };
		expect(marketingRefusal(c, sale)).toBeUndefined();
		recordMarketingChoice(c, true, Date.UTC(2026, 11, 1, 9, 30), 'preference');
		expect(marketingRefusal(c, sale)).toContain('spring_sale is a marketing template and the customer stopped marketing messages from this business (since 2026-12-01 09:30 UTC)');
		expect(marketingRefusal(c, { name: 'sale', category: 'marketing' })).toBeDefined();
		expect(marketingRefusal(c, { name: 'parcel', category: 'UTILITY' })).toBeUndefined();
		expect(marketingRefusal(c, { name: 'code', category: 'AUTHENTICATION' })).toBeUndefined();
		expect(marketingRefusal(c, { name: 'unknown' })).toBeUndefined();
	});
});

describe('monthly usage', () => {
	const memory = () => {
		const records = new Map<string, MonthlyUsage>();
		return { records, usage: { get: async (i: string, m: string) => records.get(`${i}:${m}`), save: async (u: MonthlyUsage) => void records.set(`${u.instanceId}:${u.month}`, JSON.parse(JSON.stringify(u))) } };
	};
	const status = (timestamp: number, category: string, free: boolean) => ({ type: 'status' as const, instanceId: 'i1', chatId: 'c', messageId: `m${timestamp}`, status: 'delivered' as const, timestamp, pricing: { category, free } });

	it('adds prices to one record per number and month (UTC), concurrent counts included', async () => {
		const { records, usage } = memory();
		const ledger = new UsageLedger({ usage });
		const dec = Date.UTC(2026, 11, 31, 23, 59);
		const jan = Date.UTC(2027, 0, 1, 0, 1);
		await Promise.all([
			ledger.count('i1', [status(dec, 'marketing', false), status(dec, 'service', true)]),
			ledger.count('i1', [status(dec, 'marketing', false), status(jan, 'utility', true)]),
		]);
		expect([...records.keys()].sort()).toEqual(['i1:2026-12', 'i1:2027-01']);
		expect(records.get('i1:2026-12')!.categories).toEqual([{ category: 'marketing', billable: 2, free: 0 }, { category: 'service', billable: 0, free: 1 }]);
		expect(records.get('i1:2027-01')!.categories).toEqual([{ category: 'utility', billable: 0, free: 1 }]);
	});

	it('reads months as people type them; sums a conversation\'s priced messages', () => {
		expect(monthOf(Date.UTC(2026, 11, 7))).toBe('2026-12');
		expect(parseMonth('2026-12')).toBe('2026-12');
		for (const bad of ['2026-13', '2026-1', 'December', '1999-12', '2026-12-01']) expect(parseMonth(bad)).toBeUndefined();
		const c = newContact('i1', 'c', 'x');
		c.links.push({ wa: 'a', rc: 'A', dir: 'out', pricing: { category: 'service', free: true } }, { wa: 'b', rc: 'B', dir: 'in' }, { wa: 'd', rc: 'D', dir: 'out', pricing: { category: 'service', free: false } });
		expect(conversationUsage(c)).toEqual([{ category: 'service', billable: 1, free: 1 }]);
	});
});
