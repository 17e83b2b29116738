// A WhatsApp number's life in the app: added (credentials checked, webhook pointed here), listed,
// re-routed, re-synced, linked by QR code, removed (what the app set up at the provider undone, and
// every message of the number still waiting told in its room). Each step says what happened as data;
// the `/whatsapp instance` command only parses arguments and renders these outcomes.

import { t } from '../i18n/translate';
import { lastActivity } from './activity';
import { withChatLock } from './ChatLock';
import { CoreDeps, displayNumber } from './Core';
import { describeFailure, errorText } from './failures';
import { AddArguments, WhatsAppProvider } from './ports/provider';
import { DepartmentMenuConfig, InstanceRecord } from './ports/records';
import { QrRefresh } from './ports/scheduler';
import { sendsPerSecondOf } from './RateLimiter';
import { noticeInRoom } from './notices';
import { mask, randomToken } from './tokens';

/** WhatsApp rotates the code about every 20 s; keep showing fresh ones for two minutes. */
export const QR_REFRESH_MS = 20_000;
export const QR_TIMEOUT_MS = 120_000;

export type AddOutcome =
	| { kind: 'usage'; provider: string }
	| { kind: 'exists'; id: string }
	| { kind: 'unknown-department'; department: string }
	| { kind: 'refused'; id: string; badCredentials: boolean; reason: string }
	| { kind: 'no-site-url' }
	| { kind: 'webhook-failed'; id: string; reason: string }
	| { kind: 'added'; instance: InstanceRecord; provider: WhatsAppProvider; url: string; manual?: boolean; verifyToken?: string };

/** What removing the number undid at the provider. */
export type Teardown = { kind: 'cleared' } | { kind: 'manual' } | { kind: 'failed'; reason: string };

export type RemoveOutcome =
	| { kind: 'unknown'; id: string }
	| {
			kind: 'removed';
			id: string;
			/** The provider's name and label. */
			provider: string;
			providerLabel: string;
			teardown: Teardown;
			/** Waiting messages told in their rooms, and waiting customer messages that had no room to be told in. */
			told: number;
			untold: number;
	  };

export type SyncLine =
	| { kind: 'ok' | 'manual'; id: string; url: string; providerLabel: string }
	| { kind: 'failed'; id: string; reason: string };

export type SyncOutcome = { kind: 'none' } | { kind: 'no-site-url' } | { kind: 'synced'; lines: SyncLine[] };

export interface ListedInstance {
	instance: InstanceRecord;
	/** Masked: the provider's main credential and the webhook secret. */
	token: string;
	webhookToken: string;
	businessApp?: BusinessAppNumber;
}

/** A number the app has learned is also used in the WhatsApp Business app (coexistence), and the rate its sends keep. */
export interface BusinessAppNumber {
	sendsPerSecond: number;
	/** The rate is the admin's own (`/whatsapp instance rate`), not the Business-app default. */
	setByAdmin: boolean;
}

export interface InstanceStatus {
	instance: InstanceRecord;
	inbound: number;
	outbound: number;
	lastError?: string;
	lastActivity?: number;
	checks?: { matched: number; mismatched: number; missing: number };
	businessApp?: BusinessAppNumber;
}

export type UpdateOutcome<T> = { kind: 'unknown'; id: string } | { kind: 'unknown-department'; department: string } | ({ kind: 'set'; id: string } & T);

export type QrOutcome = 'shown' | 'unknown' | 'not-applicable' | 'failed' | 'linked' | 'timed-out';

/** The public path Rocket.Chat serves one of the app's endpoints under (the composition root knows it). */
export type EndpointPath = (endpoint: string) => string;

export class InstanceLifecycle {
	constructor(private readonly deps: CoreDeps, private readonly endpointPath?: EndpointPath) {}

	/** `add [<provider>] <the provider's arguments…>`; without a provider name, the first registered one. */
	public async add(args: string[], addedBy: string): Promise<AddOutcome> {
		const named = args[0] ? this.deps.providers.get(args[0].toLowerCase()) : undefined;
		const provider = named || this.deps.providers.all()[0];
		const parsed: AddArguments = provider.admin.parseAdd(named ? args.slice(1) : args);
		if (!parsed.ok) return { kind: 'usage', provider: provider.name };
		const { id } = parsed;
		if (await this.deps.instances.get(id, true)) return { kind: 'exists', id };
		let departmentId: string | undefined;
		if (parsed.department) {
			departmentId = await this.deps.rc.findDepartment(parsed.department);
			if (!departmentId) return { kind: 'unknown-department', department: parsed.department };
		}
		const record: InstanceRecord = { id, provider: provider.name, webhookSecret: randomToken(), credentials: parsed.credentials, departmentId, addedBy, createdAt: Date.now() };
		const session = provider.session(this.deps.http, record);
		const check = await session.admin.connect();
		if (!check.ok) return { kind: 'refused', id, badCredentials: check.badCredentials, reason: describeFailure(check.failure) };
		record.number = check.displayNumber;
		// What the provider taught the app at connect (360dialog: the number's id), under what the admin gave.
		if (check.credentials) record.credentials = { ...check.credentials, ...record.credentials };
		record.state = check.detail;
		record.health = check.health;
		const url = await this.webhookUrl(provider, record);
		if (!url) return { kind: 'no-site-url' };
		const applied = await session.admin.configureWebhook(url);
		if (!applied.ok) return { kind: 'webhook-failed', id, reason: describeFailure(applied) };
		await this.deps.instances.save(record);
		return { kind: 'added', instance: record, provider, url, manual: applied.manual, verifyToken: applied.verifyToken };
	}

	public async list(): Promise<ListedInstance[]> {
		const all = await this.deps.instances.list();
		return all.sort((a, b) => a.id.localeCompare(b.id)).map((instance) => ({
			instance, token: mask(this.deps.providers.get(instance.provider)?.admin.primarySecret(instance)), webhookToken: mask(instance.webhookSecret),
			businessApp: this.businessApp(instance),
		}));
	}

	/**
	 * Removes the number: first what the app set up at the provider (so it stops calling), then the
	 * record, then its waiting messages, each told once in its room (they could never go now).
	 */
	public async remove(id: string): Promise<RemoveOutcome> {
		const record = await this.deps.instances.get(id, true);
		if (!record) return { kind: 'unknown', id };
		const provider = this.deps.providers.get(record.provider);
		const teardown = await this.tearDown(provider, record);
		await this.deps.instances.remove(id);
		const { told, untold } = await this.settleWaiting(record);
		return { kind: 'removed', id, provider: record.provider, providerLabel: provider?.label || record.provider, teardown, told, untold };
	}

	/** `department -` routes by the default setting / Rocket.Chat again. */
	public async setDepartment(id: string, department: string): Promise<UpdateOutcome<{ departmentId?: string }>> {
		const record = await this.deps.instances.get(id, true);
		if (!record) return { kind: 'unknown', id };
		const departmentId = department === '-' ? undefined : await this.deps.rc.findDepartment(department);
		if (department !== '-' && !departmentId) return { kind: 'unknown-department', department };
		await this.deps.instances.save({ ...record, departmentId });
		return { kind: 'set', id, departmentId };
	}

	/** Sends per second for one number (an upgraded Cloud API number allows more); undefined = the provider's default. */
	public async setRate(id: string, sendsPerSecond: number | undefined): Promise<UpdateOutcome<{ rate: number | string }>> {
		const record = await this.deps.instances.get(id, true);
		if (!record) return { kind: 'unknown', id };
		await this.deps.instances.save({ ...record, sendsPerSecond });
		const caps = this.deps.providers.get(record.provider)?.capabilities;
		return { kind: 'set', id, rate: caps ? sendsPerSecondOf({ ...record, sendsPerSecond }, caps) : '?' };
	}

	/** The department menu of the number (undefined: off). */
	public async setMenu(id: string, menu: DepartmentMenuConfig | undefined): Promise<UpdateOutcome<object>> {
		const record = await this.deps.instances.get(id, true);
		if (!record) return { kind: 'unknown', id };
		await this.deps.instances.save({ ...record, menu });
		return { kind: 'set', id };
	}

	public get(id: string): Promise<InstanceRecord | undefined> {
		return this.deps.instances.get(id, true);
	}

	/** After Site_Url changed: point every number's webhook at the current URL again. */
	public async resync(): Promise<SyncOutcome> {
		const all = await this.deps.instances.list();
		if (all.length === 0) return { kind: 'none' };
		const lines: SyncLine[] = [];
		for (const record of all) {
			const provider = this.deps.providers.get(record.provider);
			if (!provider) {
				lines.push({ kind: 'failed', id: record.id, reason: t('reason_provider_unavailable', { provider: record.provider }) });
				continue;
			}
			const url = await this.webhookUrl(provider, record);
			if (!url) return { kind: 'no-site-url' };
			const r = await provider.session(this.deps.http, record).admin.configureWebhook(url);
			lines.push(r.ok ? { kind: r.manual ? 'manual' : 'ok', id: record.id, url, providerLabel: provider.label } : { kind: 'failed', id: record.id, reason: describeFailure(r) });
		}
		return { kind: 'synced', lines };
	}

	/** Every number with what waits in its queues and what went wrong last. */
	public async status(): Promise<InstanceStatus[]> {
		const [all, inbox, outbox] = await Promise.all([this.deps.instances.list(), this.deps.inbox.all(), this.deps.outbox.all()]);
		return all.sort((a, b) => a.id.localeCompare(b.id)).map((instance) => {
			const ins = inbox.filter((x) => x.event.instanceId === instance.id);
			const outs = outbox.filter((x) => x.instanceId === instance.id);
			const lastError = [...ins.map((x) => x.lastError), ...outs.map((x) => x.lastError)].filter(Boolean).pop() || instance.lastError;
			return {
				instance, inbound: ins.length, outbound: outs.length, lastError, lastActivity: lastActivity(instance.id, instance.lastHeardAt),
				checks: this.deps.providers.get(instance.provider)?.admin.webhookChecks?.(instance),
				businessApp: this.businessApp(instance),
			};
		});
	}

	/**
	 * Shows the number's QR code privately to the user (and, with `inRoom`, as an image file in the room),
	 * and keeps refreshing it (a one-off job every QR_REFRESH_MS) until the phone is linked or `until`
	 * passed. Anything else (already linked, unknown number, provider error) is told to the user.
	 */
	public async showQr(p: QrRefresh): Promise<QrOutcome> {
		const say = (text: string, image?: { url: string; title: string }) => this.deps.rc.notifyUser(p.userId, p.roomId, text, image);
		const id = p.instanceId;
		const record = await this.deps.instances.get(id, true);
		const admin = record && this.deps.providers.get(record.provider)?.session(this.deps.http, record).admin;
		const r = admin?.qr ? await admin.qr() : undefined;
		let outcome: QrOutcome;
		if (!record) outcome = 'unknown';
		else if (!r) outcome = 'not-applicable';
		else if (!r.ok) outcome = 'failed';
		else if (r.kind === 'linked') outcome = 'linked';
		else if (Date.now() >= p.until) outcome = 'timed-out';
		else outcome = 'shown';
		if (outcome !== 'shown') {
			await say(t(QR_NOTES[outcome], { id, reason: r && !r.ok ? describeFailure(r) : '' }));
			return outcome;
		}
		const png = (r as { pngBase64: string }).pngBase64;
		// The admin or the room is gone: nobody to show the next code to.
		if (!(await say(t('qr_scan', { id }), { url: `data:image/png;base64,${png}`, title: t('qr_title', { id }) }))) return outcome;
		if (p.inRoom) await this.deps.rc.uploadImage(p.roomId, `whatsapp-qr-${id}.png`, Buffer.from(png, 'base64'));
		await this.deps.scheduler.scheduleQrRefresh({ ...p, inRoom: p.inRoom === true }, Date.now() + QR_REFRESH_MS);
		return outcome;
	}

	/** Only once the app has learned it (the first Business-app webhook); the rate is the one sends keep. */
	private businessApp(instance: InstanceRecord): BusinessAppNumber | undefined {
		const caps = this.deps.providers.get(instance.provider)?.capabilities;
		if (!instance.businessApp || !caps) return undefined;
		return { sendsPerSecond: sendsPerSecondOf(instance, caps), setByAdmin: !!instance.sendsPerSecond };
	}

	private async tearDown(provider: WhatsAppProvider | undefined, record: InstanceRecord): Promise<Teardown> {
		const admin = provider?.session(this.deps.http, record).admin;
		if (!admin?.removeWebhook) return { kind: 'manual' };
		try {
			const r = await admin.removeWebhook();
			if (!r.ok) return { kind: 'failed', reason: describeFailure(r) };
			return { kind: r.manual ? 'manual' : 'cleared' };
		} catch (e) {
			return { kind: 'failed', reason: errorText(e) };
		}
	}

	/**
	 * The removed number's waiting messages leave both queues, each told once in its room. Under each
	 * chat's lock: a retry running now finishes first, and none starts on an item removed here.
	 */
	private async settleWaiting(record: InstanceRecord): Promise<{ told: number; untold: number }> {
		const number = displayNumber(record.number);
		const [inbox, outbox] = await Promise.all([this.deps.inbox.all(), this.deps.outbox.all()]);
		const chats = new Set([...inbox.filter((i) => i.event.instanceId === record.id), ...outbox.filter((o) => o.instanceId === record.id)].map((i) => i.chatKey));
		let told = 0;
		let untold = 0;
		for (const chatKey of chats) {
			await withChatLock(chatKey, async () => {
				for (const item of await this.deps.outbox.forChat(chatKey)) {
					if (item.instanceId !== record.id) continue;
					await this.deps.outbox.remove(item);
					const text = item.text.slice(0, 100) || item.file?.name || '';
					if (await noticeInRoom(this.deps, item.roomId, `⚠️ ${t('notice_outbound_number_removed', { number, text })}`)) told += 1;
				}
				for (const item of await this.deps.inbox.forChat(chatKey)) {
					if (item.event.instanceId !== record.id) continue;
					await this.deps.inbox.remove(item);
					const note = `⚠️ ${t('notice_inbound_number_removed', { number, name: item.event.sender.name })}`;
					// A file's placeholder note says it; else a note in the chat's room, when it has one.
					if (item.placeholderId && (await this.deps.rc.updateMessageText(item.placeholderId, note))) {
						told += 1;
						continue;
					}
					const roomId = (await this.deps.contacts.get(record.id, item.event.chatId))?.roomId;
					if (roomId && (await noticeInRoom(this.deps, roomId, note))) told += 1;
					else untold += 1;
				}
			});
		}
		return { told, untold };
	}

	/** Site_Url + the provider's public endpoint, with the query the provider wants (instance, secret…). */
	private async webhookUrl(provider: WhatsAppProvider, record: InstanceRecord): Promise<string | undefined> {
		const site = (await this.deps.rc.siteUrl()).replace(/\/+$/, '');
		if (!site || !this.endpointPath) return undefined;
		const path = this.endpointPath(provider.webhook.path);
		const query = Object.entries(provider.admin.webhookQuery(record)).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
		return `${site}${path.startsWith('/') ? '' : '/'}${path}${query ? `?${query}` : ''}`;
	}
}

/** What the admin is told when no code is shown. */
const QR_NOTES: Record<Exclude<QrOutcome, 'shown'>, string> = {
	unknown: 'instance_unknown',
	'not-applicable': 'qr_not_applicable',
	failed: 'qr_failed',
	linked: 'qr_already_linked',
	'timed-out': 'qr_timed_out',
};
