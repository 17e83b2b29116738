import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { coreDeps } from '../compose';
import { displayNumber } from '../core/Core';
import { AddOutcome, BusinessAppNumber, InstanceLifecycle, QR_TIMEOUT_MS, RemoveOutcome } from '../core/InstanceLifecycle';
import { ProviderDirectory } from '../core/ports/provider';
import { mask } from '../core/tokens';
import { hasKey, t } from '../i18n/translate';
import { readSettings } from '../rocketchat/settings';
import { CommandContext, when } from './context';

/** The provider calls the webhook from the internet: say so when the Site URL cannot work for that. */
export function webhookUrlWarning(url: string): string | undefined {
	const { protocol, hostname } = new URL(url);
	if (/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$)/.test(hostname) || !hostname.includes('.')) return t('site_url_private', { host: hostname });
	if (protocol !== 'https:') return t('site_url_not_https');
	return undefined;
}

/** `/whatsapp instance …` and `/whatsapp status`: arguments in, the lifecycle's outcomes rendered. Tokens are never shown unmasked. */
export class AdminCommands {
	constructor(private readonly app: IApp, private readonly providers: ProviderDirectory) {}

	public async instance(c: CommandContext): Promise<void> {
		const [action, ...args] = c.args;
		switch ((action || '').toLowerCase()) {
			case 'add': return this.add(c, args);
			case 'list': return this.list(c);
			case 'remove': return this.remove(c, args);
			case 'department': return this.department(c, args);
			case 'rate': return this.rate(c, args);
			case 'sync-url': return this.syncUrl(c);
			case 'qr': return this.qr(c, args);
			default: return c.reply(t('instance_usage'));
		}
	}

	private async add(c: CommandContext, args: string[]): Promise<void> {
		const r = await this.lifecycle(c).add(args, c.ctx.getSender().id);
		if (r.kind !== 'added') return c.reply(addProblem(r));
		const { instance: record, provider, url } = r;
		const warning = webhookUrlWarning(url);
		const hint = `instance_added_hint_${provider.name}`;
		// The URL secret is shown masked, as the secret beside it: only a URL the admin must paste (below) carries it.
		const shownUrl = [record.webhookSecret, encodeURIComponent(record.webhookSecret)].reduce((u, s) => u.split(s).join(mask(record.webhookSecret)), url);
		await c.reply(t('instance_added', { id: record.id, provider: provider.label, number: displayNumber(record.number), state: record.state || '?', url: shownUrl, token: mask(record.webhookSecret) })
			+ (hasKey(hint) ? ` ${t(hint)}` : '')
			+ (r.manual ? `\n${t(r.verifyToken ? 'instance_webhook_manual_verify' : 'instance_webhook_manual', { provider: provider.label, url, token: r.verifyToken || '' })}` : '')
			+ (warning ? `\n⚠️ ${warning}` : '')
			+ ((await readSettings(c.read)).alertRoom ? '' : `\n${t('instance_added_alert_hint')}`));
	}

	private async list(c: CommandContext): Promise<void> {
		const all = await this.lifecycle(c).list();
		if (all.length === 0) return c.reply(t('instance_none'));
		const lines = all.map(({ instance: i, token, webhookToken, businessApp }) => t('instance_line', {
			id: i.id, number: displayNumber(i.number), state: i.state || '?', department: i.departmentId || '—', token, webhookToken,
		}) + businessAppLine(businessApp));
		await c.reply([t('instance_list_title'), ...lines].join('\n'));
	}

	private async remove(c: CommandContext, args: string[]): Promise<void> {
		const id = args[0];
		if (!id) return c.reply(t('instance_remove_usage'));
		await c.reply(removed(await this.lifecycle(c).remove(id)));
	}

	private async department(c: CommandContext, args: string[]): Promise<void> {
		const [id, department] = args;
		if (!id || !department) return c.reply(t('instance_department_usage'));
		const r = await this.lifecycle(c).setDepartment(id, department);
		if (r.kind === 'unknown') return c.reply(t('instance_unknown', { id }));
		if (r.kind === 'unknown-department') return c.reply(t('department_unknown', { department }));
		await c.reply(t('instance_department_set', { id, department: r.departmentId ? department : '—' }));
	}

	/** Sends per second for one number (an upgraded Cloud API number allows more); `-` = the provider's default. */
	private async rate(c: CommandContext, args: string[]): Promise<void> {
		const [id, value] = args;
		const n = Number(value);
		if (!id || !value || (value !== '-' && !(Number.isInteger(n) && n >= 1 && n <= 1000))) return c.reply(t('instance_rate_usage'));
		const r = await this.lifecycle(c).setRate(id, value === '-' ? undefined : n);
		if (r.kind !== 'set') return c.reply(t('instance_unknown', { id }));
		await c.reply(t('instance_rate_set', { id, rate: r.rate }));
	}

	/** After Site_Url changed: point every instance's webhook at the current URL again. */
	private async syncUrl(c: CommandContext): Promise<void> {
		const r = await this.lifecycle(c).resync();
		if (r.kind === 'none') return c.reply(t('instance_none'));
		if (r.kind === 'no-site-url') return c.reply(t('site_url_missing'));
		await c.reply(r.lines.map((l) => (l.kind === 'failed' ? t('sync_failed', { id: l.id, reason: l.reason }) : t(l.kind === 'manual' ? 'sync_manual' : 'sync_ok', { id: l.id, url: l.url, provider: l.providerLabel }))).join('\n'));
	}

	/** The QR code to link the phone, as an image only the admin sees, refreshed until linked. */
	private async qr(c: CommandContext, args: string[]): Promise<void> {
		const [id, where] = args;
		if (!id || (where !== undefined && where !== 'here')) return c.reply(t('instance_qr_usage'));
		await this.lifecycle(c).showQr({ instanceId: id, userId: c.ctx.getSender().id, roomId: c.ctx.getRoom().id, until: Date.now() + QR_TIMEOUT_MS, inRoom: where === 'here' });
	}

	public async status(c: CommandContext): Promise<void> {
		const all = await this.lifecycle(c).status();
		if (all.length === 0) return c.reply(t('instance_none'));
		const lines = all.map((s) => {
			const i = s.instance;
			const line = t('status_line', {
				id: i.id, number: displayNumber(i.number), state: i.state || '?', inbound: s.inbound, outbound: s.outbound, error: s.lastError || '—', last: when(s.lastActivity),
			});
			return (s.checks ? `${line}\n  ${t('status_signatures', s.checks)}` : line) + businessAppLine(s.businessApp);
		});
		// Once per provider in use: its pinned API version nearing (or past) its end.
		const warnings = [...new Set(all.map((s) => s.instance.provider))]
			.map((name) => this.providers.get(name))
			.map((p) => (p?.admin.apiVersion ? apiVersionWarning(p.label, p.admin.apiVersion(), Date.now()) : undefined))
			.filter((w): w is string => !!w);
		await c.reply([t('status_title'), ...lines, ...warnings.map((w) => `⚠️ ${w}`)].join('\n'));
	}

	private lifecycle(c: CommandContext): InstanceLifecycle {
		return new InstanceLifecycle(coreDeps(c, this.providers), (endpoint) => {
			const provided = this.app.getAccessors().providedApiEndpoints.find((e) => e.path === endpoint);
			return provided?.computedPath || `/api/apps/public/${this.app.getID()}/${endpoint}`;
		});
	}
}

/** Admins are warned this long before a pinned API version stops working. */
export const API_VERSION_WARNING_MS = 90 * 24 * 60 * 60_000;

/** The warning line for a provider whose pinned API version ends within 90 days (or has ended); else undefined. */
export function apiVersionWarning(provider: string, api: { version: string; endsAt?: number }, now: number): string | undefined {
	if (api.endsAt === undefined || api.endsAt - now > API_VERSION_WARNING_MS) return undefined;
	const date = new Date(api.endsAt).toISOString().slice(0, 10);
	if (api.endsAt <= now) return t('status_api_version_ended', { provider, version: api.version, date });
	return t('status_api_version_ending', { provider, version: api.version, date, days: Math.ceil((api.endsAt - now) / (24 * 60 * 60_000)) });
}

/** The indented line under a number the app knows is also used in the WhatsApp Business app; else nothing. */
function businessAppLine(b: BusinessAppNumber | undefined): string {
	return b ? `\n  ${t(b.setByAdmin ? 'instance_business_app_admin_rate' : 'instance_business_app', { rate: b.sendsPerSecond })}` : '';
}

function addProblem(r: Exclude<AddOutcome, { kind: 'added' }>): string {
	switch (r.kind) {
		case 'usage': return t(`instance_add_usage_${r.provider}`);
		case 'exists': return t('instance_exists', { id: r.id });
		case 'unknown-department': return t('department_unknown', { department: r.department });
		case 'refused': return t(r.badCredentials ? 'instance_bad_credentials' : 'instance_unreachable', { id: r.id, reason: r.reason });
		case 'no-site-url': return t('site_url_missing');
		case 'webhook-failed': return t('instance_webhook_failed', { id: r.id, reason: r.reason });
	}
}

/** What was undone at the provider, and what became of the number's waiting messages. */
function removed(r: RemoveOutcome): string {
	if (r.kind === 'unknown') return t('instance_unknown', { id: r.id });
	const lines = [t('instance_removed', { id: r.id })];
	const provider = r.providerLabel;
	if (r.teardown.kind === 'cleared') lines.push(t('instance_webhook_cleared', { provider }));
	else if (r.teardown.kind === 'failed') lines.push(`⚠️ ${t('instance_webhook_clear_failed', { provider, reason: r.teardown.reason })}`);
	else {
		const hint = `instance_webhook_remove_manual_${r.provider}`;
		lines.push(`⚠️ ${hasKey(hint) ? t(hint) : t('instance_webhook_remove_manual', { provider })}`);
	}
	if (r.told > 0) lines.push(t('instance_removed_told', { count: r.told }));
	if (r.untold > 0) lines.push(t('instance_removed_untold', { count: r.untold }));
	return lines.join('\n');
}
