import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { lastActivity } from '../core/activity';
import { describeFailure } from '../core/reasons';
import { displayNumber } from '../core/StateService';
import { serverSetting } from '../core/serverSettings';
import { mask, randomToken } from '../core/tokens';
import { t } from '../i18n/translate';
import { DEFAULT_API_URL, DEFAULT_MEDIA_URL } from '../providers/greenapi/client';
import { GreenApiProvider } from '../providers/greenapi/GreenApiProvider';
import { applyWebhook, checkCredentials } from '../providers/greenapi/setup';
import { HttpAdapter } from '../rocketchat/HttpAdapter';
import { InboxStore } from '../store/InboxStore';
import { InstanceStore } from '../store/InstanceStore';
import { OutboxStore } from '../store/OutboxStore';
import { InstanceRecord } from '../store/records';
import { Store } from '../store/Store';
import { when } from './AgentCommands';
import { QR_TIMEOUT_MS, showQr } from './QrLink';
import { CommandContext } from './WhatsappCommand';

export const WEBHOOK_PATH = 'greenapi';

/** GREEN-API calls the webhook from the internet: say so when the Site URL cannot work for that. */
export function webhookUrlWarning(url: string): string | undefined {
	const { protocol, hostname } = new URL(url);
	if (/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$)/.test(hostname) || !hostname.includes('.')) return t('site_url_private', { host: hostname });
	if (protocol !== 'https:') return t('site_url_not_https');
	return undefined;
}

/** `/whatsapp instance …` and `/whatsapp status`. Tokens are never shown unmasked. */
export class AdminCommands {
	constructor(private readonly app: IApp, private readonly provider: GreenApiProvider) {}

	public async instance(c: CommandContext): Promise<void> {
		const [action, ...args] = c.args;
		switch ((action || '').toLowerCase()) {
			case 'add': return this.add(c, args);
			case 'list': return this.list(c);
			case 'remove': return this.remove(c, args);
			case 'department': return this.department(c, args);
			case 'sync-url': return this.syncUrl(c);
			case 'qr': return this.qr(c, args);
			default: return c.reply(t('instance_usage'));
		}
	}

	private async add(c: CommandContext, args: string[]): Promise<void> {
		const [id, token, departmentArg, apiUrlArg, mediaUrlArg] = args;
		if (!id || !/^\d{4,20}$/.test(id) || !token || token.length < 8) return c.reply(t('instance_add_usage'));
		const instances = this.instances(c);
		if (await instances.get(id, true)) return c.reply(t('instance_exists', { id }));
		let departmentId: string | undefined;
		if (departmentArg && departmentArg !== '-') {
			departmentId = await this.findDepartment(c, departmentArg);
			if (!departmentId) return c.reply(t('department_unknown', { department: departmentArg }));
		}
		const record: InstanceRecord = {
			id, provider: 'greenapi', apiToken: token,
			apiUrl: apiUrlArg || DEFAULT_API_URL, mediaUrl: mediaUrlArg || DEFAULT_MEDIA_URL,
			webhookToken: randomToken(), departmentId, createdAt: Date.now(),
		};
		const client = this.provider.client(new HttpAdapter(c.http), record);
		const check = await checkCredentials(client);
		if (!check.ok) return c.reply(t(check.badCredentials ? 'instance_bad_credentials' : 'instance_unreachable', { id, reason: check.failure ? describeFailure(check.failure) : '' }));
		record.wid = check.wid;
		record.state = check.state;
		const url = await this.webhookUrl(c, id);
		if (!url) return c.reply(t('site_url_missing'));
		const applied = await applyWebhook(client, url, record.webhookToken);
		if (!applied.ok) return c.reply(t('instance_webhook_failed', { id, reason: applied.failure ? describeFailure(applied.failure) : '' }));
		await instances.save(record);
		const warning = webhookUrlWarning(url);
		await c.reply(t('instance_added', { id, number: displayNumber(record.wid), state: record.state || '?', url, token: mask(record.webhookToken) }) + (warning ? `\n⚠️ ${warning}` : ''));
	}

	private async list(c: CommandContext): Promise<void> {
		const all = await this.instances(c).list();
		if (all.length === 0) return c.reply(t('instance_none'));
		const lines = all.sort((a, b) => a.id.localeCompare(b.id)).map((i) => t('instance_line', {
			id: i.id, number: displayNumber(i.wid), state: i.state || '?', department: i.departmentId || '—',
			token: mask(i.apiToken), webhookToken: mask(i.webhookToken),
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

	/** After Site_Url changed: point every instance's webhook at the current URL again. */
	private async syncUrl(c: CommandContext): Promise<void> {
		const all = await this.instances(c).list();
		if (all.length === 0) return c.reply(t('instance_none'));
		const lines: string[] = [];
		for (const record of all) {
			const url = await this.webhookUrl(c, record.id);
			if (!url) return c.reply(t('site_url_missing'));
			const r = await applyWebhook(this.provider.client(new HttpAdapter(c.http), record), url, record.webhookToken);
			lines.push(r.ok ? t('sync_ok', { id: record.id, url }) : t('sync_failed', { id: record.id, reason: r.failure ? describeFailure(r.failure) : '' }));
		}
		await c.reply(lines.join('\n'));
	}

	/** The QR code to link the phone, as an image only the admin sees, refreshed until linked. */
	private async qr(c: CommandContext, args: string[]): Promise<void> {
		const [id, where] = args;
		if (!id || (where !== undefined && where !== 'here')) return c.reply(t('instance_qr_usage'));
		await showQr(c, this.provider, id, c.ctx.getSender(), c.ctx.getRoom(), Date.now() + QR_TIMEOUT_MS, where === 'here');
	}

	public async status(c: CommandContext): Promise<void> {
		const store = new Store(c.read.getPersistenceReader());
		const [all, inbox, outbox] = await Promise.all([new InstanceStore(store).list(), new InboxStore(store).all(), new OutboxStore(store).all()]);
		if (all.length === 0) return c.reply(t('instance_none'));
		const lines = all.sort((a, b) => a.id.localeCompare(b.id)).map((i) => {
			const ins = inbox.filter((x) => x.event.instanceId === i.id);
			const outs = outbox.filter((x) => x.instanceId === i.id);
			const lastError = [...ins.map((x) => x.lastError), ...outs.map((x) => x.lastError)].filter(Boolean).pop() || i.lastError || '—';
			return t('status_line', {
				id: i.id, number: displayNumber(i.wid), state: i.state || '?', inbound: ins.length, outbound: outs.length,
				error: lastError, last: when(lastActivity(i.id, i.lastHeardAt)),
			});
		});
		await c.reply([t('status_title'), ...lines].join('\n'));
	}

	private instances(c: CommandContext): InstanceStore {
		return new InstanceStore(new Store(c.read.getPersistenceReader(), c.persis));
	}

	private async findDepartment(c: CommandContext, value: string): Promise<string | undefined> {
		return (await c.read.getLivechatReader().getLivechatDepartmentByIdOrName(value))?.id;
	}

	/** Site_Url + the app's public endpoint, with the instance as a query parameter. */
	private async webhookUrl(c: CommandContext, id: string): Promise<string | undefined> {
		const site = String((await serverSetting(c.read, 'Site_Url')) || '').replace(/\/+$/, '');
		if (!site) return undefined;
		const provided = this.app.getAccessors().providedApiEndpoints.find((e) => e.path === WEBHOOK_PATH);
		const path = provided?.computedPath || `/api/apps/public/${this.app.getID()}/${WEBHOOK_PATH}`;
		return `${site}${path.startsWith('/') ? '' : '/'}${path}?instance=${encodeURIComponent(id)}`;
	}
}
