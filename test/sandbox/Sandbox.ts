// The whole bridge on one machine: the packaged app in the real Apps-Engine with the in-memory Rocket.Chat
// (test/runtime), a fake provider playing the customer's phone (./providers), and the people around it —
// an admin, an agent, a department, one connected number. The page (./public) drives it through ./server.
import * as fs from 'fs';
import * as path from 'path';
import { Setting } from '../../src/rocketchat/settings';
import { StoredMessage, StoredRoom, TestRocketChat } from '../runtime/TestRocketChat';
import { Customer, DeliveryState, MessageRef, PhoneAction, PhoneFile, PhoneProvider, ProviderFaults } from './providers/PhoneProvider';

export const SAMPLES_DIR = path.join(__dirname, 'samples');
const EN = JSON.parse(fs.readFileSync(path.join(__dirname, '../../i18n/en.json'), 'utf8')) as Record<string, string>;
/** the phone reports "delivered" this long after the provider accepted a message */
const DELIVERED_AFTER_MS = 400;
const SCHEDULER_EVERY_MS = 1000;
const SETTLE_QUIET_MS = 150;
const SETTLE_MAX_MS = 4000;
const MAX_ACTIONS = 60;

export interface PhoneMessageRecord {
	id: string;
	customerId: string;
	action: PhoneAction;
	at: number;
	/** local effects on the phone: the customer's own edits and deletions */
	editedText?: string;
	deleted?: boolean;
}

export interface ActionRecord {
	seq: number;
	label: string;
	at: number;
	/** until the action's call returned (calls are counted until the app went quiet after it) */
	ms: number;
	calls: number;
	byMethod: Record<string, number>;
	result?: string;
	error?: string;
}

export interface SandboxFaults extends ProviderFaults {
	noAgentOnline: boolean;
}

/** Sample files the phone and the agent can send without picking a file. */
export const SAMPLES: Record<string, { file: string; mimeType: string; kind: 'image' | 'document' | 'voice' }> = {
	photo: { file: 'parcel.jpg', mimeType: 'image/jpeg', kind: 'image' },
	replacement: { file: 'replacement.jpg', mimeType: 'image/jpeg', kind: 'image' },
	invoice: { file: 'invoice.pdf', mimeType: 'application/pdf', kind: 'document' },
	voice: { file: 'voice-note.ogg', mimeType: 'audio/ogg; codecs=opus', kind: 'voice' },
};
export function sampleFile(id: string): PhoneFile {
	const s = SAMPLES[id];
	if (!s) throw new SandboxError(`unknown sample ${id}`);
	return { name: s.file, mimeType: s.mimeType, bytes: fs.readFileSync(path.join(SAMPLES_DIR, s.file)) };
}

/** A refused request of the page (answered 400 with the message). */
export class SandboxError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const digits = (s: string) => s.replace(/\D/g, '');

export class Sandbox {
	t!: TestRocketChat;
	readonly customers: Customer[] = [
		{ id: 'c1', name: 'Anna Petrova', phone: '79001234567' },
		{ id: 'c2', name: 'Bruno Costa', phone: '5511987654321' },
	];
	readonly phoneMessages: PhoneMessageRecord[] = [];
	readonly actions: ActionRecord[] = [];
	readonly faults: SandboxFaults = { down: false, slow: false, rateLimited: false, noAgentOnline: false };
	autoScheduler = true;
	roomActions: Array<{ actionId: string; label: string }> = [];
	restarting = false;
	restarts: Array<{ from: number; to: number; ms: number }> = [];
	admin!: { id: string; username: string; name: string };
	agent!: { id: string; username: string; name: string };
	department!: { id: string; name: string };
	alertRoom!: StoredRoom;
	/** delivery states the phone reported per business message */
	readonly delivery = new Map<string, DeliveryState>();
	/** business messages the customer has seen on screen (read receipts go out for these) */
	private readonly seen = new Set<string>();
	private lock: Promise<unknown> = Promise.resolve();
	private actionSeq = 0;
	private changes = 0;
	private timers: NodeJS.Timeout[] = [];
	private stopped = false;
	private lastBusinessCount = 0;

	constructor(readonly provider: PhoneProvider, readonly siteUrl: string) {}

	/** Boots Rocket.Chat with the packaged app, the provider, the people, and connects the number via `/whatsapp instance add`. */
	async start(): Promise<void> {
		await this.provider.start();
		this.t = await TestRocketChat.start({ siteUrl: this.siteUrl, acceptChatsWithNoAgents: false });
		// Backoffs the app schedules count from the harness clock, so "advance clock" moves them as expected.
		this.t.rc.shiftAppDates = true;
		const t = this.t;
		this.department = t.addDepartment({ name: 'Support' });
		this.admin = t.addUser({ username: 'admin', name: 'Ada Admin', roles: ['admin', 'user'], status: 'online' });
		this.agent = t.addUser({ username: 'agent', name: 'Sam Agent', roles: ['livechat-agent', 'user'], status: 'online', departmentIds: [this.department.id] });
		this.alertRoom = t.addRoom({ name: 'whatsapp-alerts', type: 'p', memberIds: [this.admin.id] });
		await t.setAppSetting(Setting.AlertRoom, this.alertRoom.id);
		await t.setAppSetting(Setting.MediaExtraHosts, this.provider.mediaHosts().join(','));
		this.provider.useClock?.(() => this.t.now().getTime());
		const before = t.rc.notices.length;
		await this.command(this.admin.id, this.provider.connectCommand(this.department.name), undefined, 'connect the number');
		this.provider.afterConnect(t.rc.notices.slice(before).map((n) => n.text ?? '').join('\n'));
		// The app's room action buttons, as Rocket.Chat's client lists them (labels from the app's i18n).
		this.roomActions = (await t.actionButtons()).filter((b: any) => b.context === 'roomAction').map((b: any) => ({ actionId: b.actionId as string, label: EN[b.labelI18n] ?? b.labelI18n }));
		this.timers.push(setInterval(() => void this.schedulerTick(), SCHEDULER_EVERY_MS));
		this.timers.push(setInterval(() => this.watchBusinessMessages(), 100));
	}

	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		for (const x of this.timers) clearInterval(x);
		// At most 2 s for the action in flight; the wait itself must not keep the process alive.
		await Promise.race([this.lock.catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
		await this.t?.stop().catch(() => undefined);
		await this.provider.stop().catch(() => undefined);
	}

	/** Changes whenever anything shown on the page may have changed. */
	version(): string {
		const rc = this.t.rc;
		const logs = this.t.logStorage.entries.length;
		return `${this.changes}|${rc.effects.length}|${rc.notices.length}|${logs}|${this.provider.version()}`;
	}
	touch(): void {
		this.changes++;
	}

	// ───────── serialized, measured actions ─────────

	/** One action at a time, with the bridge calls the app made for it (until the app went quiet). */
	exclusive<T>(label: string, fn: () => Promise<T>, describe?: (r: T) => string): Promise<T> {
		const run = async (): Promise<T> => {
			const started = Date.now();
			const rec: ActionRecord = { seq: ++this.actionSeq, label, at: started, ms: 0, calls: 0, byMethod: {} };
			let answered = 0;
			try {
				const m = await this.t.measureCalls(async () => {
					const r = await fn();
					answered = Date.now();
					await this.settle();
					return r;
				});
				Object.assign(rec, { calls: m.calls, byMethod: m.byMethod, result: describe?.(m.result) });
				return m.result;
			} catch (e) {
				rec.error = (e as Error).message;
				throw e;
			} finally {
				// Time until the call answered (a webhook's answer to the provider), not the quiet period after it.
				rec.ms = (answered || Date.now()) - started;
				if (rec.calls || rec.error || !label.startsWith('scheduler')) this.record(rec);
			}
		};
		const p = this.lock.then(run, run);
		this.lock = p.catch(() => undefined);
		return p;
	}
	private record(rec: ActionRecord): void {
		this.actions.push(rec);
		if (this.actions.length > MAX_ACTIONS) this.actions.shift();
		this.touch();
	}
	/** Post-event handlers run after the engine call returned: wait until the app stops calling the bridges. */
	private async settle(): Promise<void> {
		const end = Date.now() + SETTLE_MAX_MS;
		let last = this.t.rc.calls.total;
		let quietSince = Date.now();
		while (Date.now() < end) {
			await sleep(25);
			const now = this.t.rc.calls.total;
			if (now !== last) {
				last = now;
				quietSince = Date.now();
			} else if (Date.now() - quietSince >= SETTLE_QUIET_MS) return;
		}
	}

	/** The provider's webhook deliveries go through here, so each one is an action with its cost. */
	readonly deliver = (label: string, attempt: () => Promise<number>): Promise<number> =>
		this.exclusive(`webhook: ${label}`, attempt, (status) => `HTTP ${status || 'no answer'}`);

	private async schedulerTick(): Promise<void> {
		if (!this.autoScheduler || this.restarting || this.stopped) return;
		await this.runDueJobs('scheduler').catch(() => undefined);
	}
	runDueJobs(label = 'run due jobs'): Promise<number> {
		return this.exclusive(label, async () => {
			const before = this.t.rc.jobRuns.length;
			const n = await this.t.runDueJobs();
			return { n, names: this.t.rc.jobRuns.slice(before).map((r) => r.processorId.replace(/_.*$/, '')) };
		}, (r) => (r.n ? `${r.n} job(s): ${r.names.join(', ')}` : 'nothing due')).then((r) => r.n);
	}
	advanceClock(ms: number): Promise<number> {
		this.t.advanceClock(ms);
		this.touch();
		return this.runDueJobs(`clock +${Math.round(ms / 60000)} min, run due jobs`);
	}

	// ───────── the customer's phone ─────────

	addCustomer(name: string, phone: string): Customer {
		const p = digits(phone);
		if (!name.trim() || p.length < 8 || p.length > 15) throw new SandboxError('a customer needs a name and a phone number of 8–15 digits');
		const existing = this.customers.find((c) => c.phone === p);
		if (existing) return existing;
		const c = { id: `c${this.customers.length + 1}`, name: name.trim().slice(0, 60), phone: p };
		this.customers.push(c);
		this.touch();
		return c;
	}
	customer(id: string): Customer {
		const c = this.customers.find((x) => x.id === id);
		if (!c) throw new SandboxError(`unknown customer ${id}`);
		return c;
	}

	/** The customer sends / reacts / edits / deletes: the provider turns it into its webhook. */
	phoneAction(customerId: string, action: PhoneAction): string {
		const c = this.customer(customerId);
		if ((action.kind === 'edit' || action.kind === 'delete') && !this.provider.canEditOrDelete) throw new SandboxError(`${this.provider.label}: customers’ edits and deletions do not reach the business`);
		if (action.kind === 'edit' || action.kind === 'delete' || action.kind === 'reaction') {
			const target = this.phoneMessages.find((m) => m.id === action.target.messageId);
			if (action.kind !== 'reaction' && (!target || target.customerId !== c.id)) throw new SandboxError('only the customer’s own messages can be edited or deleted');
			if (target && action.kind === 'edit') target.editedText = action.text;
			if (target && action.kind === 'delete') target.deleted = true;
		}
		const id = this.provider.customerActs(c, action);
		this.phoneMessages.push({ id, customerId: c.id, action, at: Date.now() });
		this.touch();
		return id;
	}
	/** The business types to the customer in the WhatsApp Business app (coexistence numbers of the Cloud API). */
	businessAppTypes(customerId: string, text: string): string {
		const c = this.customer(customerId);
		if (!this.provider.businessAppTypes) throw new SandboxError(`${this.provider.label}: the number is not used in the WhatsApp Business app`);
		const id = this.provider.businessAppTypes(c, text);
		this.touch();
		return id;
	}
	/** Bytes of a file the customer sent (the phone shows its own copy). */
	phoneFile(messageId: string): PhoneFile | undefined {
		const a = this.phoneMessages.find((m) => m.id === messageId)?.action;
		return a && 'file' in a ? a.file : undefined;
	}
	/** A reference to a message of the chat, as the phone shows it. */
	messageRef(customerId: string, messageId: string): MessageRef {
		const own = this.phoneMessages.find((m) => m.id === messageId && m.customerId === customerId);
		if (own) return { messageId, fromBusiness: false, text: own.editedText ?? actionText(own.action) };
		const b = this.provider.businessMessages().find((m) => m.id === messageId);
		if (b) return { messageId, fromBusiness: true, text: b.text ?? b.caption ?? b.file?.name ?? '' };
		throw new SandboxError(`no message ${messageId} in this chat`);
	}
	/** Business messages the customer had on screen: read receipts (blue ticks). */
	phoneSaw(customerId: string, messageIds: string[]): void {
		const c = this.customer(customerId);
		for (const id of messageIds) {
			const m = this.provider.businessMessages().find((b) => b.id === id && b.customerPhone === c.phone);
			if (!m || this.seen.has(id)) continue;
			this.seen.add(id);
			this.setDelivery(c.phone, id, 'read');
		}
	}
	/** New sends at the provider: the phone reports sent, then delivered (and read once seen). */
	private watchBusinessMessages(): void {
		const all = this.provider.businessMessages();
		for (const m of all.slice(this.lastBusinessCount)) {
			this.setDelivery(m.customerPhone, m.id, 'sent');
			setTimeout(() => !this.stopped && this.setDelivery(m.customerPhone, m.id, 'delivered'), DELIVERED_AFTER_MS);
		}
		if (all.length !== this.lastBusinessCount) this.touch();
		this.lastBusinessCount = all.length;
	}
	private setDelivery(phone: string, id: string, state: DeliveryState): void {
		const rank = { sent: 1, delivered: 2, read: 3 };
		const cur = this.delivery.get(id);
		if (cur && rank[cur] >= rank[state]) return;
		this.delivery.set(id, state);
		this.provider.reportDelivery(phone, id, state);
		this.touch();
	}

	// ───────── the agent (and the admin) in Rocket.Chat ─────────

	async agentSends(p: { roomId: string; text?: string; file?: PhoneFile; quoteOf?: string }): Promise<StoredMessage> {
		const room = this.whatsappRoom(p.roomId);
		if (!p.text?.trim() && !p.file) throw new SandboxError('nothing to send');
		if (p.quoteOf && !this.t.rc.message(p.quoteOf)) throw new SandboxError('the quoted message is gone');
		const label = p.file ? `agent sends ${p.file.name}` : p.quoteOf ? 'agent quotes a message' : 'agent sends text';
		return this.exclusive(label, () => this.t.sendUserMessage({ roomId: room.id, userId: this.agent.id, text: p.text, file: p.file && { name: p.file.name, bytes: p.file.bytes }, quoteOf: p.quoteOf }));
	}
	async closeRoom(roomId: string): Promise<void> {
		const room = this.whatsappRoom(roomId);
		if (!room.isOpen) throw new SandboxError('the room is already closed');
		await this.exclusive('agent closes the room', () => this.t.closeRoom(room.id, this.agent.id));
	}
	/**
	 * `/whatsapp …` typed by the agent or the admin in their Rocket.Chat client (with its triggerId, so a modal
	 * the app opens shows in the agent's console); the app's private answers land in rc.notices.
	 */
	async command(userId: string, args: string[], roomId?: string, label?: string): Promise<number> {
		const before = this.t.rc.notices.length;
		const shown = args[0] === 'instance' && args[1] === 'add' && args.length > 3 ? [...args.slice(0, 3), '•••', ...args.slice(4)] : args;
		await this.exclusive(label ?? `/whatsapp ${shown.join(' ')}`, () => this.t.webClient(userId).slashCommand('whatsapp', args, roomId ?? this.t.general.id));
		this.touch();
		return this.t.rc.notices.length - before;
	}

	// ───────── the agent's UIKit: buttons and modals, by Rocket.Chat's web-client rules (test/runtime/uikit.ts) ─────────

	/** A button in a message, an app's room action button, or a button inside the open modal. */
	async uiClick(p: { kind: 'message' | 'room' | 'view'; rid?: string; mid?: string; actionId: string; blockId?: string; value?: string }): Promise<unknown> {
		const c = this.t.webClient(this.agent.id);
		const answer = await this.exclusive(`agent clicks ${p.actionId}`, () => {
			if (p.kind === 'message') return c.clickMessageButton({ rid: this.whatsappRoom(p.rid ?? '').id, mid: p.mid ?? '', actionId: p.actionId, blockId: p.blockId, value: p.value });
			if (p.kind === 'room') return c.clickActionButton({ rid: this.whatsappRoom(p.rid ?? '').id, actionId: p.actionId });
			if (!c.modal) throw new SandboxError('no modal is open');
			return c.clickViewButton(p.actionId, p.blockId ?? '', p.value);
		}, (a) => `${a.answer} in ${Math.round(a.ms)} ms${a.late ? ' (too late: dropped)' : ''}`);
		this.touch();
		return answer;
	}
	/** The open modal's submit button, with what the agent typed or picked since the last one. */
	async uiSubmit(values: Array<{ blockId: string; actionId: string; value: unknown }>): Promise<unknown> {
		const c = this.t.webClient(this.agent.id);
		if (!c.modal) throw new SandboxError('no modal is open');
		for (const v of values) c.setValue(v.blockId, v.actionId, v.value);
		const answer = await this.exclusive('agent submits the modal', () => c.submit(), (a) => `${a.answer} in ${Math.round(a.ms)} ms${a.late ? ' (too late: dropped)' : ''}`);
		this.touch();
		return answer;
	}
	async uiClose(): Promise<unknown> {
		const c = this.t.webClient(this.agent.id);
		if (!c.modal) throw new SandboxError('no modal is open');
		const answer = await this.exclusive('agent closes the modal', () => c.close());
		this.touch();
		return answer;
	}
	async setAppSetting(id: string, value: unknown): Promise<void> {
		const known = this.settings().find((s) => s.id === id);
		if (!known) throw new SandboxError(`unknown setting ${id}`);
		await this.exclusive(`setting ${id}`, () => this.t.setAppSetting(id, value));
	}
	whatsappRoom(roomId: string): StoredRoom {
		const room = this.t.rc.room(roomId);
		if (!room || room.type !== 'l') throw new SandboxError(`unknown room ${roomId}`);
		return room;
	}

	// ───────── faults ─────────

	async setFaults(f: Partial<SandboxFaults>): Promise<void> {
		Object.assign(this.faults, Object.fromEntries(Object.entries(f).filter(([k]) => k in this.faults).map(([k, v]) => [k, v === true])));
		this.provider.setFaults(this.faults);
		// "No agent online": the agent is offline and Rocket.Chat does not take chats without agents (its default).
		this.t.setAcceptChatsWithNoAgents(false);
		this.t.setAgentStatus(this.agent.id, this.faults.noAgentOnline ? 'offline' : 'online');
		this.touch();
	}
	/** SIGKILL the app's Deno process; the engine's LivenessManager restarts it. */
	async restartApp(): Promise<{ from: number; to: number; ms: number }> {
		return this.exclusive('app process killed (SIGKILL) and restarted', async () => {
			const from = this.t.denoPid();
			if (!from) throw new SandboxError('the app process is not running');
			this.restarting = true;
			this.touch();
			try {
				process.kill(from, 'SIGKILL');
				const r = await this.t.waitForAppRestart(from);
				const rec = { from, to: r.pid, ms: r.ms };
				this.restarts.push(rec);
				return rec;
			} finally {
				this.restarting = false;
				this.touch();
			}
		}, (r) => `pid ${r.from} → ${r.to} in ${r.ms} ms`);
	}
	setLinked(linked: boolean): void {
		this.provider.setLinked(linked);
		this.touch();
	}

	// ───────── what the page shows ─────────

	settings(): Array<{ id: string; type: string; value: unknown; packageValue: unknown; label: string; description: string; values?: Array<{ key: string; label: string }> }> {
		const all = this.t.manager.getSettingsManager().getAppSettings(this.t.appId) as Record<string, any>;
		return Object.values(all).map((s) => ({
			id: s.id, type: s.type, value: s.value, packageValue: s.packageValue, label: EN[s.i18nLabel] ?? s.id, description: EN[s.i18nDescription] ?? '',
			values: s.values?.map((v: any) => ({ key: v.key, label: EN[v.i18nLabel] ?? v.key })),
		}));
	}

	view(): unknown {
		const t = this.t;
		const rc = t.rc;
		const business = this.provider.businessMessages();
		const notifications = this.provider.notifications();
		const byMessage = new Map(notifications.filter((n) => n.messageId).map((n) => [n.messageId!, n]));
		const rooms = rc.rooms.filter((r) => r.type === 'l' && r.source?.type === 'app').sort((a, b) => +b.createdAt - +a.createdAt);
		const agentMessages = rooms.flatMap((r) => rc.roomMessages(r.id).filter((m) => m.sender.type === 'user' && m.sender.id !== this.admin.id));
		const phones = new Set(rooms.map((r) => digits(rc.visitor(r.visitorId)?.phone?.[0]?.phoneNumber ?? '')));
		const written = this.phoneMessages.length;
		const acked = this.phoneMessages.filter((m) => byMessage.get(m.id)?.state === 'acknowledged').length;
		return {
			samples: Object.entries(SAMPLES).map(([id, x]) => ({ id, name: x.file, kind: x.kind, url: `/sandbox/samples/${id}` })),
			provider: { id: this.provider.id, label: this.provider.label, canEditOrDelete: this.provider.canEditOrDelete, businessApp: !!this.provider.businessAppTypes, instance: this.provider.instance() },
			app: { pid: t.denoPid() ?? null, restarting: this.restarting, restarts: this.restarts, status: rc.appStatus ?? null },
			clock: { offsetMs: rc.clockOffsetMs, now: t.now().toISOString(), autoScheduler: this.autoScheduler, jobs: rc.jobs.filter((j) => j.nextRunAt).map((j) => ({ name: j.processorId.replace(/_.*$/, ''), due: j.nextRunAt!.toISOString(), type: j.type })) },
			faults: { ...this.faults },
			people: { admin: this.admin, agent: { ...this.agent, status: rc.user(this.agent.id)?.status }, department: this.department },
			customers: this.customers.map((c) => ({
				...c,
				messages: [
					...this.phoneMessages.filter((m) => m.customerId === c.id).map((m) => {
						const n = byMessage.get(m.id);
						return { id: m.id, from: 'customer', at: m.at, action: { ...m.action, ...('file' in m.action && { file: { name: m.action.file.name, mimeType: m.action.file.mimeType, size: m.action.file.bytes.length, url: `/sandbox/files/phone/${encodeURIComponent(m.id)}` } }) }, editedText: m.editedText, deleted: !!m.deleted, webhook: n && { state: n.state, attempts: n.attempts, lastStatus: n.lastStatus } };
					}),
					...business.filter((b) => b.customerPhone === c.phone).map((b) => ({ ...b, from: 'business', delivery: this.delivery.get(b.id) ?? null, fileUrl: b.file ? `/sandbox/files/provider/${encodeURIComponent(b.id)}` : undefined })),
				].sort((a, b) => a.at - b.at),
				reactions: Object.fromEntries(this.phoneMessages.filter((m) => m.customerId === c.id && m.action.kind === 'reaction').map((m) => [(m.action as { target: MessageRef }).target.messageId, (m.action as { emoji: string }).emoji])),
			})),
			rooms: rooms.map((r) => {
				const v = rc.visitor(r.visitorId);
				return {
					id: r.id, isOpen: !!r.isOpen, label: r.source?.label ?? r.source?.alias ?? r.source?.type, icon: r.source?.sidebarIcon ?? null, destination: r.source?.destination ?? null,
					visitor: v && { name: v.name ?? v.username, username: v.username, phone: v.phone?.[0]?.phoneNumber ?? '' },
					department: rc.department(r.departmentId)?.name ?? null, servedBy: r.servedBy?.username ?? null, queued: !!r.queued,
					createdAt: r.createdAt, closedAt: r.closedAt ?? null,
					messages: rc.messages.filter((m) => m.rid === r.id).map((m) => this.messageView(m)),
				};
			}),
			uikit: (() => {
				const c = t.webClient(this.agent.id);
				return {
					modal: c.modal ? { view: c.modal.view, errors: c.modal.errors ?? null } : null,
					dropped: c.dropped.slice(-10).map((d) => ({ reason: d.reason, type: d.type, viewId: d.viewId ?? null })),
					toasts: c.toasts.length,
					roomActions: this.roomActions,
				};
			})(),
			notices: rc.notices.slice(-100).map((n) => ({ id: n.id, userId: n.userId ?? null, roomId: n.roomId, text: n.text ?? '', attachments: n.attachments ?? [], blocks: n.blocks ?? [], at: n.at })),
			alerts: rc.roomMessages(this.alertRoom.id).map((m) => this.messageView(m)),
			settings: this.settings(),
			log: this.logLines(200),
			actions: [...this.actions].reverse(),
			providerRequests: this.provider.recentRequests(30),
			notifications: notifications.slice(-30).reverse(),
			ledger: {
				customerWritten: written,
				acknowledgedByApp: acked,
				waitingAtProvider: notifications.filter((n) => n.state !== 'acknowledged' && n.state !== 'rejected').length,
				rejected: notifications.filter((n) => n.state === 'rejected').length,
				agentWritten: agentMessages.length,
				receivedOnPhone: business.filter((b) => phones.has(b.customerPhone)).length,
			},
		};
	}

	private messageView(m: StoredMessage): unknown {
		const rc = this.t.rc;
		// Quotes are `[ ](<site>/live/<rid>?msg=<id>) ` links in front of the text (how RC stores them).
		const quotes: Array<{ id: string; author: string; text: string }> = [];
		let text = m.text ?? '';
		const re = /^\[ \]\(([^)\s]*[?&]msg=([^)&\s]+)[^)]*)\)\s*/;
		for (let x = re.exec(text); x; x = re.exec(text)) {
			const q = rc.message(x[2]);
			quotes.push({ id: x[2], author: q ? q.alias || q.sender.name || q.sender.username : '?', text: q?.text.replace(/^(\[ \]\([^)]*\)\s*)+/, '') ?? '' });
			text = text.slice(x[0].length);
		}
		const upload = m.file && rc.uploads.find((u) => u.id === m.file!._id);
		return {
			id: m.id, at: m.createdAt, system: m.type ?? null, text, quotes,
			sender: { id: m.sender.id, name: m.alias || m.sender.name || m.sender.username, username: m.sender.username, type: m.sender.type },
			file: upload ? { name: upload.name, type: upload.type, size: upload.size, url: upload.path } : null,
			attachments: (m.attachments ?? []).filter((a: any) => !a.timestampLink || !quotes.length).map((a: any) => ({
				title: a.title?.value ?? a.title ?? null, link: a.title?.link ?? null, text: a.text ?? null, description: a.description ?? null, imageUrl: a.imageUrl ?? null, audioUrl: a.audioUrl ?? null,
				author: a.author?.name ?? a.author_name ?? null,
			})),
			blocks: m.blocks ?? [],
			edited: !!m.editedAt,
		};
	}

	private logLines(n: number): Array<{ at: string; severity: string; method: string; text: string }> {
		const out: Array<{ at: string; severity: string; method: string; text: string }> = [];
		for (const e of this.t.appLogs()) {
			for (const x of e.entries ?? []) {
				const text = (x.args ?? []).map((a: unknown) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
				out.push({ at: new Date(x.timestamp ?? e._createdAt).toISOString(), severity: x.severity, method: e.method, text: text.slice(0, 500) });
			}
		}
		return out.slice(-n);
	}
}

/** What the phone shows for a message the customer wrote. */
export function actionText(a: PhoneAction): string {
	switch (a.kind) {
		case 'text':
		case 'edit':
			return a.text;
		case 'image':
		case 'document':
		case 'voice':
			return a.caption || a.file.name;
		case 'location':
			return `📍 ${a.name || `${a.latitude}, ${a.longitude}`}`;
		case 'contact':
			return `👤 ${a.name}`;
		case 'reaction':
			return a.emoji;
		case 'delete':
			return '';
		case 'choice':
			return `🔘 ${a.optionId}`;
	}
}
