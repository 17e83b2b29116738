import { withChatLock } from './ChatLock';
import { CoreDeps } from './Core';
import { DeliveryStatusEvent, MessagePricing } from './ports/events';
import { ContactRecord, MonthlyUsage } from './ports/records';

// What WhatsApp says the business's messages cost, counted per number and month (UTC) as statuses
// arrive: one record per instance-month, so `/whatsapp costs` reads one record. A message is counted
// once: the caller counts only prices its contact record did not hold yet (redelivered statuses, sent
// and delivered both carrying the price, find it there). The app knows categories, never prices.

export interface CategoryCount {
	category: string;
	billable: number;
	free: number;
}

/** `YYYY-MM` of a moment, in UTC (WhatsApp's invoices are by UTC day). */
export function monthOf(ms: number): string {
	return new Date(ms).toISOString().slice(0, 7);
}

/** `YYYY-MM` as a person may type it, checked (months 01–12, years 2000–2099). */
export function parseMonth(text: string): string | undefined {
	const m = /^(20\d\d)-(0[1-9]|1[0-2])$/.exec(text.trim());
	return m ? `${m[1]}-${m[2]}` : undefined;
}

function add(categories: CategoryCount[], pricing: MessagePricing): void {
	let entry = categories.find((c) => c.category === pricing.category);
	if (!entry) {
		entry = { category: pricing.category, billable: 0, free: 0 };
		categories.push(entry);
	}
	if (pricing.free) entry.free++;
	else entry.billable++;
}

/** The conversation's priced messages (the contact's recent ones) by category. */
export function conversationUsage(contact: Pick<ContactRecord, 'links'>): CategoryCount[] {
	const categories: CategoryCount[] = [];
	for (const link of contact.links) if (link.dir === 'out' && link.pricing) add(categories, link.pricing);
	return categories;
}

export class UsageLedger {
	constructor(private readonly deps: Pick<CoreDeps, 'usage'>) {}

	/** Adds newly priced messages to their month's totals (one read and one write per month touched). */
	public async count(instanceId: string, priced: DeliveryStatusEvent[]): Promise<void> {
		const byMonth = new Map<string, MessagePricing[]>();
		for (const e of priced) {
			if (!e.pricing) continue;
			const month = monthOf(e.timestamp > 0 ? e.timestamp : Date.now());
			byMonth.set(month, [...(byMonth.get(month) || []), e.pricing]);
		}
		for (const [month, prices] of byMonth) {
			// Many chats count into one record: its writes take their own lock (per process; see ChatLock).
			await withChatLock(`usage:${instanceId}:${month}`, async () => {
				const stored = await this.deps.usage.get(instanceId, month);
				const usage: MonthlyUsage = stored ? { ...stored, categories: stored.categories.map((c) => ({ ...c })) } : { instanceId, month, categories: [], updatedAt: 0 };
				for (const p of prices) add(usage.categories, p);
				usage.updatedAt = Date.now();
				await this.deps.usage.save(usage);
			});
		}
	}

	public month(instanceId: string, month: string): Promise<MonthlyUsage | undefined> {
		return this.deps.usage.get(instanceId, month);
	}
}
