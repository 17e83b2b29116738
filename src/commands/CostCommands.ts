import { coreDeps } from '../compose';
import { displayNumber } from '../core/Core';
import { Log } from '../core/log';
import { ProviderDirectory } from '../core/ports/provider';
import { CategoryCount, monthOf, parseMonth, UsageLedger } from '../core/UsageLedger';
import { t } from '../i18n/translate';
import { CommandContext } from './context';

/** One line per pricing category: how many, how many billable and free. */
export function categoryLines(categories: CategoryCount[]): string[] {
	return categories.map((c) => `• ${t('pricing_category_line', { category: c.category, count: c.billable + c.free, billable: c.billable, free: c.free })}`);
}

/**
 * `/whatsapp costs <instance> [YYYY-MM]` (admins): a number's messages of one month (default: this one,
 * UTC) by WhatsApp's pricing category, billable or free — as WhatsApp's statuses told; no amounts.
 */
export async function costsCommand(c: CommandContext, providers: ProviderDirectory, log?: Log): Promise<void> {
	const [id, monthArg, ...extra] = c.args;
	const month = monthArg === undefined ? monthOf(Date.now()) : parseMonth(monthArg);
	if (!id || !month || extra.length) return c.reply(t('costs_usage'));
	const deps = coreDeps({ read: c.read, modify: c.modify, http: c.http, persis: c.persis }, providers, log);
	const instance = (await deps.instances.list()).find((i) => i.id === id);
	if (!instance) return c.reply(t('instance_unknown', { id }));
	const usage = await new UsageLedger(deps).month(instance.id, month);
	const categories = usage?.categories ?? [];
	const title = t('costs_title', { number: displayNumber(instance.number), id: instance.id, month });
	if (!categories.length) return c.reply([title, t('costs_none'), t('costs_no_prices')].join('\n'));
	const billable = categories.reduce((n, x) => n + x.billable, 0);
	const free = categories.reduce((n, x) => n + x.free, 0);
	await c.reply([title, ...categoryLines(categories), t('costs_total', { count: billable + free, billable, free }), t('costs_no_prices')].join('\n'));
}
