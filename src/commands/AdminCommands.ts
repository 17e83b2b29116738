import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { lastActivity } from '../core/activity';
import { displayNumber } from '../core/Core';
import { ProviderDirectory, WhatsAppProvider } from '../core/ports/provider';
import { InstanceRecord } from '../core/ports/records';
import { describeFailure } from '../core/failures';
import { mask, randomToken } from '../core/tokens';
import { hasKey, t } from '../i18n/translate';
import { HttpAdapter } from '../rocketchat/HttpAdapter';
import { serverSetting } from '../rocketchat/serverSettings';
import { readSettings } from '../rocketchat/settings';
import { InboxStore } from '../store/InboxStore';
import { InstanceStore } from '../store/InstanceStore';
import { OutboxStore } from '../store/OutboxStore';
import { Store } from '../store/Store';
import { CommandContext, when } from './context';
import { QR_TIMEOUT_MS, showQr } from './QrLink';

/** The provider calls the webhook from the internet: say so when the Site URL cannot work for that. */
export function webhookUrlWarning(url: string): string | undefined {
	const { protocol, hostname } = new URL(url);
	if (/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$)/.test(hostname) || !hostname.includes('.')) return t('site_url_private', { host: hostname });
	if (protocol !== 'https:') return t('site_url_not_https');
	return undefined;
}

/** `/whatsapp instance …` and `/whatsapp status`. Tokens are never shown unmasked. */
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

	/** `add [<provider>] <the provider's arguments…>`; without a provider name, the first registered one. */
	private async add(c: CommandContext, args: string[]): Promise<void> {
		const named = args[0] ? this.providers.get(args[0].toLowerCase()) : undefined;
		const provider = named || this.providers.all()[0];
		const parsed = provider.admin.parseAdd(named ? args.slice(1) : args);
		if (!parsed.ok) return c.reply(t(`instance_add_usage_${provider.name}`));
		const { id } = parsed;
		const instances = this.instances(c);
		if (await instances.get(id, true)) return c.reply(t('instance_exists', { id }));
		let departmentId: string | undefined;
		if (parsed.department) {
			departmentId = await this.findDepartment(c, parsed.department);
			if (!departmentId) return c.reply(t('department_unknown', { department: parsed.department }));
		}
		const record: InstanceRecord = {
			id, provider: provider.name, webhookSecret: randomToken(), credentials: parsed.credentials, departmentId, addedBy: c.ctx.getSender().id, createdAt: Date.now(),
		};
		const http = new HttpAdapter(c.http);
		const check = await provider.admin.connect(http, record);
		if (!check.ok) return c.reply(t(check.badCredentials ? 'instance_bad_credentials' : 'instance_unreachable', { id, reason: describeFailure(check.failure) }));
		record.number = check.displayNumber;
		if (check.credentials) record.credentials = { ...check.credentials, ...record.credentials };
		record.state = check.detail;
		record.health = check.health;
		const url = await this.webhookUrl(c, provider, record);
		if (!url) return c.reply(t('site_url_missing'));
		const applied = await provider.admin.configureWebhook(http, record, url);
		if (!applied.ok) return c.reply(t('instance_webhook_failed', { id, reason: describeFailure(applied) }));
		await instances.save(record);
		const warning = webhookUrlWarning(url);
		const hint = `instance_added_hint_${provider.name}`;
		// The URL secret is shown masked, as the secret beside it: only a URL the admin must paste (below) carries it.
		const shownUrl = [record.webhookSecret, encodeURIComponent(record.webhookSecret)].reduce((u, s) => u.split(s).join(mask(record.webhookSecret)), url);
		await c.reply(t('instance_added', { id, provider: provider.label, number: displayNumber(record.number), state: record.state || '?', url: shownUrl, token: mask(record.webhookSecret) })
			+ (hasKey(hint) ? ` ${t(hint)}` : '')
			+ (applied.manual ? `\n${t(applied.verifyToken ? 'instance_webhook_manual_verify' : 'instance_webhook_manual', { provider: provider.label, url, token: applied.verifyToken || '' })}` : '')
			+ (warning ? `\n⚠️ ${warning}` : '')
			+ ((await readSettings(c.read)).alertRoom ? '' : `\n${t('instance_added_alert_hint')}`));
	}

	private async list(c: CommandContext): Promise<void> {
		const all = await this.instances(c).list();
		if (all.length === 0) return c.reply(t('instance_none'));
		const lines = all.sort((a, b) => a.id.localeCompare(b.id)).map((i) => t('instance_line', {
			id: i.id, number: displayNumber(i.number), state: i.state || '?', department: i.departmentId || '—',
			token: mask(this.providers.get(i.provider)?.admin.primarySecret(i)), webhookToken: mask(i.webhookSecret),
		}));
		await c.reply([t('instance_list_title'), ...lines].join('\n'));
	}

	private async remove(c: CommandContext, args: string[]): Promise<void> {
		const id = args[0];
		if (!id) return c.reply(t('instance_remove_usage'));
		const instances = this.instances(c);
		if (!(await instances.get(id, true))) return c.reply(t('instance_unknown', { id }));
		await instances.remove(id);
		await c.reply(t('instance_removed', { id }));
	}

	private async department(c: CommandContext, args: string[]): Promise<void> {
		const [id, department] = args;
		if (!id || !department) return c.reply(t('instance_department_usage'));
		const instances = this.instances(c);
		const record = await instances.get(id, true);
		if (!record) return c.reply(t('instance_unknown', { id }));
		const departmentId = department === '-' ? undefined : await this.findDepartment(c, department);
		if (department !== '-' && !departmentId) return c.reply(t('department_unknown', { department }));
		await instances.save({ ...record, departmentId });
		await c.reply(t('instance_department_set', { id, department: departmentId ? department : '—' }));
	}

	/** Sends per second for one number (an upgraded Cloud API number allows more); `-` = the provider's default. */
	private async rate(c: CommandContext, args: string[]): Promise<void> {
		const [id, value] = args;
		const n = Number(value);
		if (!id || !value || (value !== '-' && !(Number.isInteger(n) && n >= 1 && n <= 1000))) return c.reply(t('instance_rate_usage'));
		const instances = this.instances(c);
		const record = await instances.get(id, true);
		if (!record) return c.reply(t('instance_unknown', { id }));
		const sendsPerSecond = value === '-' ? undefined : n;
		await instances.save({ ...record, sendsPerSecond });
		const fallback = this.providers.get(record.provider)?.capabilities.sendsPerSecond ?? '?';
		await c.reply(t('instance_rate_set', { id, rate: sendsPerSecond ?? fallback }));
	}

	/** After Site_Url changed: point every instance's webhook at the current URL again. */
	private async syncUrl(c: CommandContext): Promise<void> {
		const all = await this.instances(c).list();
		if (all.length === 0) return c.reply(t('instance_none'));
		const lines: string[] = [];
		for (const record of all) {
			const provider = this.providers.get(record.provider);
			if (!provider) {
				lines.push(t('sync_failed', { id: record.id, reason: t('reason_provider_unavailable', { provider: record.provider }) }));
				continue;
			}
			const url = await this.webhookUrl(c, provider, record);
			if (!url) return c.reply(t('site_url_missing'));
			const r = await provider.admin.configureWebhook(new HttpAdapter(c.http), record, url);
			lines.push(r.ok ? t(r.manual ? 'sync_manual' : 'sync_ok', { id: record.id, url, provider: provider.label }) : t('sync_failed', { id: record.id, reason: describeFailure(r) }));
		}
		await c.reply(lines.join('\n'));
	}

	/** The QR code to link the phone, as an image only the admin sees, refreshed until linked. */
	private async qr(c: CommandContext, args: string[]): Promise<void> {
		const [id, where] = args;
		if (!id || (where !== undefined && where !== 'here')) return c.reply(t('instance_qr_usage'));
		await showQr(c, this.providers, id, c.ctx.getSender(), c.ctx.getRoom(), Date.now() + QR_TIMEOUT_MS, where === 'here');
	}

	public async status(c: CommandContext): Promise<void> {
		const store = new Store(c.read.getPersistenceReader());
		const [all, inbox, outbox] = await Promise.all([new InstanceStore(store).list(), new InboxStore(store).all(), new OutboxStore(store).all()]);
		if (all.length === 0) return c.reply(t('instance_none'));
		const lines = all.sort((a, b) => a.id.localeCompare(b.id)).map((i) => {
			const ins = inbox.filter((x) => x.event.instanceId === i.id);
			const outs = outbox.filter((x) => x.instanceId === i.id);
			const lastError = [...ins.map((x) => x.lastError), ...outs.map((x) => x.lastError)].filter(Boolean).pop() || i.lastError || '—';
			const line = t('status_line', {
				id: i.id, number: displayNumber(i.number), state: i.state || '?', inbound: ins.length, outbound: outs.length,
				error: lastError, last: when(lastActivity(i.id, i.lastHeardAt)),
			});
			const checks = this.providers.get(i.provider)?.admin.webhookChecks?.(i);
			return checks ? `${line}\n  ${t('status_signatures', checks)}` : line;
		});
		// Once per provider in use: its pinned API version nearing (or past) its end.
		const warnings = [...new Set(all.map((i) => i.provider))]
			.map((name) => this.providers.get(name))
			.map((p) => (p?.admin.apiVersion ? apiVersionWarning(p.label, p.admin.apiVersion(), Date.now()) : undefined))
			.filter((w): w is string => !!w);
		await c.reply([t('status_title'), ...lines, ...warnings.map((w) => `⚠️ ${w}`)].join('\n'));
	}

	private instances(c: CommandContext): InstanceStore {
		return new InstanceStore(new Store(c.read.getPersistenceReader(), c.persis));
	}

	private async findDepartment(c: CommandContext, value: string): Promise<string | undefined> {
		return (await c.read.getLivechatReader().getLivechatDepartmentByIdOrName(value))?.id;
	}

	/** Site_Url + the provider's public endpoint, with the query the provider wants (instance, secret…). */
	private async webhookUrl(c: CommandContext, provider: WhatsAppProvider, record: InstanceRecord): Promise<string | undefined> {
		const site = String((await serverSetting(c.read, 'Site_Url')) || '').replace(/\/+$/, '');
		if (!site) return undefined;
		const endpoint = provider.webhook.path;
		const provided = this.app.getAccessors().providedApiEndpoints.find((e) => e.path === endpoint);
		const path = provided?.computedPath || `/api/apps/public/${this.app.getID()}/${endpoint}`;
		const query = Object.entries(provider.admin.webhookQuery(record)).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
		return `${site}${path.startsWith('/') ? '' : '/'}${path}${query ? `?${query}` : ''}`;
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
