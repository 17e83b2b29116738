// The harness: the packaged app installed into the real AppManager (apps-engine 1.62.0, Deno subprocess) inside the
// in-memory Rocket.Chat of ./state + ./bridges. One instance per process at a time (AppManager is a singleton), plus
// optional further engine nodes over the same state (startSecondNode: a Rocket.Chat cluster sharing one database).
import { AsyncLocalStorage } from 'async_hooks';
import { AppPackageParser } from '@rocket.chat/apps-engine/server/compiler/AppPackageParser';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AppStatusUtils } from '@rocket.chat/apps-engine/definition/AppStatus';
import { AppInterface } from '@rocket.chat/apps-engine/definition/metadata';
import { SlashCommandContext } from '@rocket.chat/apps-engine/definition/slashcommands';
import { AppManager } from '@rocket.chat/apps-engine/server/AppManager';
import type { ProxiedApp } from '@rocket.chat/apps-engine/server/ProxiedApp';
import { appRequestContext, instrumentRuntime, TestBridges } from './bridges';
import { closeLivechatRoom, createLivechatRoom, guestOf, registerGuest, removeDepartment, removeGuest, sendVisitorMessage } from './bridges/livechat';
import { assertCanPost, assertMessageSize, insertMessage, userSender } from './bridges/messages';
import { addRoom } from './bridges/rooms';
import { runDueJobs } from './bridges/scheduler';
import { uploadFile } from './bridges/uploads';
import { deleteMessage, editMessage, setReaction } from './bridges/userActions';
import { addUser } from './bridges/users';
import { clone, RcOptions, RcState, RoomSource, StoredMessage, StoredRoom, StoredUser, StoredVisitor, randomId } from './state';
import { authenticateAppRequest, parseQuery, parseRouterBody, queryString } from './router';
import { MemoryLogStorage, MemoryMetadataStorage, MemorySourceStorage } from './storages';
import { issueLoginToken, UiInteractionBody, uiKitAction, WebClient, webClientOf } from './uikit';

import { ENGINE, EngineInfo, runtimeControllerOf } from './engine';
import { useNodeRuntime } from './node-runtime/host';

export { AppInterface, AppStatusUtils, ENGINE, RcState };
export type { EngineInfo };
export type { StoredMessage, StoredRoom, StoredUser, StoredVisitor } from './state';
export const DEFAULT_ZIP = path.resolve(__dirname, '../../dist/green-api-whatsapp-bridge_0.1.0.zip');

/** `withheldPermissions`: names app.json declares that the installing client does not grant. Rocket.Chat's install
 *  endpoint stores the list the client sends (its install dialog and `rc-apps deploy` send app.json's, apps-cli
 *  lib/misc/deployHelpers.js), so a client sending fewer is the only way an app runs without a declared permission.
 *  `outboundLicence`: the workspace's licence has the `outbound-messaging` module (RcState.outboundMessagingLicence). */
export interface StartOptions extends RcOptions { zipPath?: string; appSettings?: Record<string, unknown>; withheldPermissions?: string[]; outboundLicence?: boolean }
/** `query`: an object (arrays become repeated keys, objects brackets) or the raw query string (`'a=1&a[b]=2'`), parsed like Express. */
export interface EndpointRequest { method?: 'GET' | 'POST' | 'PUT' | 'DELETE'; headers?: Record<string, string>; query?: Record<string, unknown> | string; content?: unknown }
export interface EndpointResponse { status: number; content?: any; headers?: Record<string, string> }
export interface FileInput { name: string; type?: string; bytes: Buffer }

/** The engine nodes sharing one RcState, first = the one start() created. */
// Apps-Engine grants every permission when NODE_ENV is 'test' (AppPermissionManager.hasPermission), and jest
// sets exactly that. Rocket.Chat checks the permissions the app declares: so does this runtime.
if (process.env.NODE_ENV === 'test') process.env.NODE_ENV = 'integration-test';

const clusters = new WeakMap<RcState, TestRocketChat[]>();
/** The node a harness action (sendUserMessage, closeRoom, ...) runs on: its events go to that node's app. */
const actingNode = new AsyncLocalStorage<TestRocketChat>();

const lower = (h: Record<string, string> = {}) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
/** The LivenessManager's restart bookkeeping (getRuntimeData() from 1.53; 1.46.0 only has the fields). */
const livenessOf = (ctl: any): { restartCount: number; restartLog: Array<{ pid?: number }> } | undefined => {
	const lm = ctl?.livenessManager;
	if (!lm) return undefined;
	return lm.getRuntimeData?.() ?? { restartCount: lm.restartCount, restartLog: lm.restartLog };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const must = <T>(v: T | undefined, what: string): T => {
	if (v === undefined) throw new Error(`TestRocketChat: unknown ${what}`);
	return v;
};

export class TestRocketChat {
	readonly rc: RcState;
	readonly bridges: TestBridges;
	readonly logStorage = new MemoryLogStorage();
	readonly metadataStorage: MemoryMetadataStorage;
	readonly sourceStorage: MemorySourceStorage;
	/** processorId -> the processor this node's engine registered (the first node's is rc.processors) */
	readonly processors: Map<string, (ctx: any) => Promise<void>>;
	/** this node's slash command registry (the first node's is rc.commands) */
	readonly commands: RcState['commands'];
	readonly tempDir: string;
	manager!: AppManager;
	appId = '';
	/** the admin who installed the app (username app.installer) */
	readonly admin: StoredUser;
	/** RC's default #general channel (in rc.builtinRooms; runCommand uses it when no room is given) */
	readonly general: StoredRoom;
	readonly timings = { installEnableMs: 0 };
	private stopped = false;
	/** post-event listeners dispatched to this node's app that have not finished (see settle()) */
	private eventsInFlight = 0;

	private constructor(opts: StartOptions, primary?: TestRocketChat) {
		this.tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gab-rc-'));
		if (primary) {
			// Another Rocket.Chat instance of the same workspace: same database (RcState), own engine and app process.
			this.rc = primary.rc;
			this.admin = primary.admin;
			this.general = primary.general;
			this.sourceStorage = primary.sourceStorage;
			this.metadataStorage = new MemoryMetadataStorage();
			for (const item of primary.metadataStorage.items.values()) this.metadataStorage.items.set(item.id, clone(item));
			this.processors = new Map();
			this.commands = new Map();
			this.bridges = new TestBridges(this.rc, (int, data) => this.manager.getListenerManager().executeListener(int as any, data as any), {
				processors: this.processors, commands: this.commands,
			});
			this.bridges.node = this;
			clusters.get(this.rc)!.push(this);
			return;
		}
		// the Rocket.Chat of the engine in use: what it has differs by version
		this.rc = new RcState({ ...opts, platform: {
				contacts: ENGINE.rcHasContacts, roomSourceDestination: ENGINE.roomSourceHasDestination, messageType: ENGINE.messageHasType, messageFiles: ENGINE.messageHasFiles,
				endpointBodyLimitBytes: ENGINE.endpointBodyLimitBytes, ...opts.platform,
			} });
		this.rc.outboundMessagingLicence = opts.outboundLicence ?? false;
		this.metadataStorage = new MemoryMetadataStorage();
		this.sourceStorage = new MemorySourceStorage();
		this.processors = this.rc.processors;
		this.commands = this.rc.commands;
		this.bridges = new TestBridges(this.rc, (int, data) => this.manager.getListenerManager().executeListener(int as any, data as any));
		this.bridges.node = this;
		clusters.set(this.rc, [this]);
		this.admin = addUser(this.rc, { username: 'app.installer', name: 'Installing Administrator', roles: ['admin', 'user'], status: 'online' }, true);
		this.general = addRoom(this.rc, { name: 'general', type: 'c', memberIds: [this.admin.id], creatorId: this.admin.id }, true);
		// An event goes to the node where it happened: the node whose app made the bridge call, else the node a harness
		// action ran on, else the first running node.
		this.rc.eventSink = (int, payload) => {
			const nodes = clusters.get(this.rc) ?? [];
			const fromApp = appRequestContext.getStore()?.bridges?.node as TestRocketChat | undefined;
			const target = [fromApp, actingNode.getStore(), ...nodes].find((n) => n && !n.stopped && n.manager);
			target?.dispatchEvent(int, payload);
		};
	}

	/** RC fires post-events after the insert, outside the caller's request; the engine does not await the app. */
	private dispatchEvent(int: string, payload: unknown): void {
		// A Rocket.Chat of an older engine cannot fire what that engine does not define (1.46.0: no IPostSystemMessageSent,
		// IPostLivechatDepartment*, IPreLivechatRoomCreatePrevent).
		if (!(int in AppInterface)) {
			this.rc.effect('event.not-in-engine', { interface: int, engine: ENGINE.version });
			return;
		}
		this.eventsInFlight++;
		setImmediate(() =>
			appRequestContext.exit(() => {
				if (this.stopped) {
					this.eventsInFlight--;
					return;
				}
				this.manager
					.getListenerManager()
					.executeListener(int as any, payload as any)
					.catch((e: Error) => this.rc.effect('event.error', { interface: int, error: e.message }))
					.finally(() => this.eventsInFlight--);
			}),
		);
	}

	/**
	 * A second Rocket.Chat instance of the same workspace (a cluster node): its own AppManager and Deno subprocess for
	 * the app, loaded from the same app storage like RC does on startup (load + enableAll), with its bridges over the
	 * SAME RcState (one database). Webhooks, commands and user actions go to the node they are called on; jobs run on
	 * the node whose runDueJobs() picks them (a job one node is running is skipped by the other). Module state inside
	 * the app (locks, caches) is per node, as in production.
	 * AppManager is a singleton by design (AppManager.Instance); the engine only reads it in getPermissionsByAppId,
	 * which answers the same on every node since all load the same app.
	 */
	static async startSecondNode(first: TestRocketChat): Promise<TestRocketChat> {
		if (first.stopped || !first.appId) throw new Error('TestRocketChat.startSecondNode: the first node is not running');
		const node = new TestRocketChat({}, first);
		const previous = (AppManager as any).Instance;
		try {
			(AppManager as any).Instance = undefined;
			node.manager = new AppManager({
				metadataStorage: node.metadataStorage, logStorage: node.logStorage, bridges: node.bridges, sourceStorage: node.sourceStorage, tempFilePath: node.tempDir,
			});
			const t0 = process.hrtime.bigint();
			// known before loading, so that stop() reaches this node's app process whatever happens next
			node.appId = first.appId;
			await node.manager.load();
			await node.manager.enableAll();
			node.timings.installEnableMs = Number(process.hrtime.bigint() - t0) / 1e6;
			const status = await node.app()?.getStatus();
			if (!AppStatusUtils.isEnabled(status as any)) {
				throw new Error(`TestRocketChat: app not enabled on the second node (status "${status}"). App log:\n${node.appWrittenLogText().slice(-6000)}`);
			}
		} catch (e) {
			await node.stop().catch(() => undefined);
			(AppManager as any).Instance = previous;
			throw e;
		}
		return node;
	}
	/** The engine nodes sharing this node's RcState (first = the one start() created). */
	nodes(): TestRocketChat[] {
		return [...(clusters.get(this.rc) ?? [])];
	}

	/** Loads the AppManager, installs the zip and enables the app (settings from opts.appSettings are applied, as an
	 *  admin would, between install and enable). Throws with status and app logs when the app does not end up enabled. */
	static async start(opts: StartOptions = {}): Promise<TestRocketChat> {
		const { denoBinDir, denoDir } = ENGINE;
		const PATH = process.env.PATH ?? '';
		// 1.53.1 and later spawn `deno` from PATH with DENO_DIR from the environment (1.46.0: its deno-bin, its own cache)
		if (PATH.split(path.delimiter)[0] !== denoBinDir) process.env.PATH = `${denoBinDir}${path.delimiter}${PATH}`;
		process.env.DENO_DIR = denoDir;
		useNodeRuntime(ENGINE); // GAB_ENGINE=<version>-node: the app process is a Node one (before instrumentRuntime wraps the spawn)
		instrumentRuntime();
		if ((AppManager as any).Instance) throw new Error('TestRocketChat: an AppManager already exists in this process; stop() the previous runtime first');
		const t = new TestRocketChat(opts);
		try {
			await t.boot(opts);
		} catch (e) {
			await t.stop().catch(() => undefined);
			throw e;
		}
		return t;
	}

	private async boot(opts: StartOptions): Promise<void> {
		const zip = fs.readFileSync(opts.zipPath ?? DEFAULT_ZIP);
		this.manager = new AppManager({
			metadataStorage: this.metadataStorage, logStorage: this.logStorage, bridges: this.bridges, sourceStorage: this.sourceStorage, tempFilePath: this.tempDir,
		});
		await this.manager.load();
		const settings = Object.entries(opts.appSettings ?? {});
		const t0 = process.hrtime.bigint();
		// The admin accepts exactly the permissions the packaged app.json declares, as in Rocket.Chat's
		// install dialog (without this the engine would grant its default set).
		const { permissions: declared } = (await new AppPackageParser().unpackageApp(zip)).info;
		const permissionsGranted = (declared ?? []).filter((p) => !(opts.withheldPermissions ?? []).includes(p.name));
		// A refusal the engine does not catch (e.g. Rocket.Chat's outbound-message registry without its licence module)
		// rejects install/enable: say so with what the app logged.
		const failed = (step: string) => (e: unknown): never => {
			throw new Error(`TestRocketChat: ${step} failed: ${e instanceof Error ? e.message : String(e)}\nApp log:\n${this.appWrittenLogText()}`);
		};
		const aff = await this.manager.add(zip, { enable: settings.length === 0, user: this.rc.toAppUser(this.admin), permissionsGranted }).catch(failed('install'));
		const app = aff.getApp();
		if (!app) throw new Error(`TestRocketChat: install failed: ${JSON.stringify({ storage: aff.getStorageError(), appUser: aff.getAppUserError(), license: aff.getLicenseValidationResult() })}`);
		this.appId = app.getID();
		Object.assign(this.rc, { appId: this.appId, appName: app.getName(), appNameSlug: app.getNameSlug() });
		if (settings.length) {
			for (const [id, value] of settings) await this.setAppSetting(id, value);
			await this.manager.enable(this.appId).catch(failed('enable'));
		}
		this.timings.installEnableMs = Number(process.hrtime.bigint() - t0) / 1e6;
		const status = await app.getStatus();
		if (!AppStatusUtils.isEnabled(status)) {
			throw new Error(`TestRocketChat: app not enabled (status "${status}"). App logs:\n${JSON.stringify(this.appLogs(), null, 1).slice(0, 6000)}`);
		}
	}

	app(): ProxiedApp {
		return this.manager.getOneById(this.appId);
	}
	/** The engine's controller of the app's Deno subprocess (getRuntimeController from 1.57, getDenoRuntime before). */
	runtime(): any {
		return runtimeControllerOf(this.app());
	}
	/** pid of the app's Deno subprocess */
	denoPid(): number | undefined {
		return this.runtime()?.deno?.pid;
	}
	/**
	 * Memory of the app's Deno process (Linux /proc/<pid>/status): `peakMb` = VmHWM, the resident high-water mark since
	 * the process started or since resetDenoPeakRss(); `rssMb` = VmRSS now. undefined when there is no process.
	 */
	denoMemory(): { pid: number; rssMb: number; peakMb: number } | undefined {
		const pid = this.denoPid();
		if (!pid) return undefined;
		let status: string;
		try {
			status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		} catch {
			return undefined;
		}
		const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { pid, rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
	}
	/** Starts a new peak measurement: writing 5 to /proc/<pid>/clear_refs resets VmHWM to the current RSS (Linux 4.0+).
	 *  false when the kernel refused (then denoMemory().peakMb counts from the process start). */
	resetDenoPeakRss(): boolean {
		const pid = this.denoPid();
		if (!pid) return false;
		try {
			fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
			return true;
		} catch {
			return false;
		}
	}
	/** pids of every app process this node's engine started (the first one and each restart), oldest first. */
	appProcessIds(): number[] {
		return [...(this.runtime()?.gabPids ?? [])];
	}
	/**
	 * After the app's Deno subprocess died (e.g. process.kill(t.denoPid(), 'SIGKILL')): waits until the engine's
	 * LivenessManager has restarted it (1.62.0: on the child's 'exit' it calls restartApp(): spawn, app:construct,
	 * app:initialize, app:setStatus, app:onEnable, then state 'ready'). Returns the new pid.
	 * Requests that were in flight to the dead process are NOT failed by the engine: each waits for its own timeout
	 * (APPS_ENGINE_RUNTIME_TIMEOUT, 30 s by default) and then rejects.
	 */
	async waitForAppRestart(oldPid: number | undefined, timeoutMs = 30_000): Promise<{ pid: number; restarts: number; ms: number }> {
		const started = Date.now();
		const ctl = () => this.runtime();
		// state is briefly 'ready' in the middle of a restart (after the new process says ready, before app:initialize):
		// done means the LivenessManager logged a restart of oldPid and no restartApp() is still running.
		await this.waitFor(() => {
			const c = ctl();
			const child = c?.deno;
			const data = livenessOf(c);
			if (c?.getProcessState() === 'stopped' && data && data.restartCount >= ENGINE.maxRestarts) {
				throw new Error(`waitForAppRestart: the engine stopped the app for good after ${data.restartCount} restarts (Apps-Engine ${ENGINE.version} allows ${ENGINE.maxRestarts})`);
			}
			if (!child || !data || child.pid === oldPid || child.exitCode !== null || c.getProcessState() !== 'ready' || c.gabRestartsInFlight) return false;
			return data.restartLog.some((r: { pid?: number }) => r.pid === oldPid);
		}, timeoutMs);
		const data = livenessOf(ctl()) ?? { restartLog: [] };
		return { pid: ctl().deno.pid, restarts: (data.restartLog ?? []).length, ms: Date.now() - started };
	}

	// ---- world building ----
	addDepartment(p: { name: string; enabled?: boolean; fallbackForwardDepartment?: string; showOnRegistration?: boolean; requestTagBeforeClosingChat?: boolean; chatClosingTags?: string[] }): { id: string; name: string } {
		const now = this.rc.now();
		const d = {
			id: randomId(), name: p.name, enabled: p.enabled ?? true, createdAt: now, updatedAt: now, fallbackForwardDepartment: p.fallbackForwardDepartment, showOnRegistration: p.showOnRegistration ?? true,
			requestTagBeforeClosingChat: p.requestTagBeforeClosingChat, chatClosingTags: p.chatClosingTags,
		};
		this.rc.departments.push(d);
		return d;
	}
	/** An admin deletes a department (livechat removeDepartment; see bridges/livechat.ts). */
	removeDepartment(id: string): void {
		actingNode.run(this, () => removeDepartment(this.rc, id));
	}
	/** An admin removes a visitor's data (livechat removeGuest; see bridges/livechat.ts): its rooms vanish without a
	 *  room-closed event, so a room id the app stored is unknown to Rocket.Chat afterwards. */
	removeVisitorData(visitorId: string): void {
		removeGuest(this.rc, visitorId);
	}
	/** Administration > Settings, e.g. Livechat_enabled, Message_MaxAllowedSize, FileUpload_* (RcState.setServerSetting). */
	setServerSetting(id: string, value: unknown): void {
		this.rc.setServerSetting(id, value);
	}
	/** An agent blocks the contact's channel (RC 7+; throws on an engine whose Rocket.Chat has no contacts). */
	blockContact(visitorId: string, blocked = true): void {
		if (!this.rc.platform.contacts) throw new Error(`TestRocketChat.blockContact: the Rocket.Chat of Apps-Engine ${ENGINE.version} has no contacts to block`);
		if (blocked) this.rc.blockedContacts.add(visitorId);
		else this.rc.blockedContacts.delete(visitorId);
	}
	/** RC 7+ Livechat_Require_Contact_Verification with a verification app: new rooms of unverified contacts wait. */
	setContactVerificationRequired(required: boolean): void {
		if (!this.rc.platform.contacts) throw new Error(`TestRocketChat.setContactVerificationRequired: the Rocket.Chat of Apps-Engine ${ENGINE.version} has no contact verification`);
		this.rc.requireContactVerification = required;
	}
	/** The workspace's licence is over its monthly-active-contacts cap (contacts not yet counted this month). */
	setMacLimitReached(reached: boolean): void {
		this.rc.macLimitReached = reached;
	}
	addUser(p: { username: string; name?: string; roles?: string[]; status?: 'online' | 'offline'; departmentIds?: string[]; type?: 'user' | 'bot' }): StoredUser {
		return addUser(this.rc, { ...p, name: p.name ?? p.username, roles: p.roles ?? ['user'], status: p.status ?? 'online', departmentIds: p.departmentIds ?? [] });
	}
	addRoom(p: { name?: string; type?: 'c' | 'p' | 'd'; memberIds?: string[] }): StoredRoom {
		return addRoom(this.rc, { ...p, creatorId: this.admin.id });
	}
	/** A visitor as the widget / an integration would register it (RC's registerGuest upsert). */
	addVisitor(p: { token?: string; name?: string; phone?: string; email?: string; department?: string }): StoredVisitor {
		return registerGuest(this.rc, { ...p, token: p.token ?? randomId(24) });
	}
	/** Opens a livechat room for a visitor the way the widget does (routing applies; throws no-agent-online like RC). */
	openLivechatRoom(p: { token: string; agentId?: string; departmentId?: string; source?: RoomSource }): StoredRoom {
		const guest = must(this.rc.visitorByToken(p.token), `visitor token ${p.token}`);
		const asGuest = { ...guestOf(guest), ...(p.departmentId && { department: p.departmentId }) };
		return actingNode.run(this, () => createLivechatRoom(this.rc, asGuest, { agent: this.rc.user(p.agentId), source: p.source ?? { type: 'widget' } }));
	}
	setAgentStatus(userId: string, status: 'online' | 'offline' | 'away' | 'busy'): void {
		must(this.rc.user(userId), `user ${userId}`).status = status;
	}
	/** The agent's Omnichannel availability toggle (routing only picks 'available' agents). */
	setAgentLivechatStatus(userId: string, statusLivechat: 'available' | 'not-available'): void {
		must(this.rc.user(userId), `user ${userId}`).statusLivechat = statusLivechat;
	}
	setAcceptChatsWithNoAgents(v: boolean): void {
		this.rc.acceptChatsWithNoAgents = v;
	}
	/** Like saving the app's settings page: AppSettingsManager.updateAppSetting -> onPreSettingUpdate, storage, onSettingUpdated. */
	async setAppSetting(id: string, value: unknown): Promise<void> {
		const sm = this.manager.getSettingsManager();
		await sm.updateAppSetting(this.appId, { ...sm.getAppSetting(this.appId, id), value });
	}

	// ---- acting like Rocket.Chat ----
	/**
	 * RC's /api/apps/public/<appId>/<path> route: AppApiManager.executeApi with the request shaped as RC's router does.
	 * `content`: a string is the raw body; anything else is sent as its JSON. The router (app/apps/server/bridges/
	 * router.ts) parses bodies with express.urlencoded({ extended: false }) and express.json() at their defaults: a JSON
	 * or form body over 100 kB is answered 413 and malformed or non-object JSON 400 (strict), before the app sees it;
	 * other bodies are not read (the app gets {}).
	 */
	async callEndpoint(p: string, req: EndpointRequest = {}): Promise<EndpointResponse> {
		const headers = lower({ host: new URL(this.rc.siteUrl).host, ...(req.content !== undefined && { 'content-type': 'application/json' }), ...req.headers });
		const parsed = parseRouterBody(headers['content-type'], req.content === undefined || typeof req.content === 'string' ? req.content : JSON.stringify(req.content), this.rc.platform.endpointBodyLimitBytes);
		if ('status' in parsed) {
			this.rc.effect('http.rejected', { path: p, status: parsed.status, reason: parsed.content });
			return parsed;
		}
		const content = parsed.body;
		// Rocket.Chat only routes what the app registered through the API bridge (which needs the `api` permission).
		const api = this.rc.apis.find((a) => a.appId === this.appId && a.path === p);
		if (!api) return { status: 404 };
		const caller = authenticateAppRequest(this.rc, api.authRequired, headers);
		if (!caller.ok) {
			this.rc.effect('http.rejected', { path: p, status: caller.status, reason: caller.content });
			return { status: caller.status, content: caller.content, headers: caller.headers };
		}
		const user = caller.user;
		const query = parseQuery(typeof req.query === 'string' ? req.query : queryString(req.query ?? {}));
		const request: any = {
			method: (req.method ?? 'GET').toLowerCase(), headers, query, params: {}, content, privateHash: this.app().getStorageItem()._id,
			...(user && { user: this.rc.toAppUser(user) }),
		};
		try {
			const res = await this.manager.getApiManager().executeApi(this.appId, p, request);
			if (!res) return { status: 500 };
			return { status: res.status, content: res.content, headers: lower(res.headers) };
		} catch (e) {
			return { status: 500, content: (e as Error).message };
		}
	}

	/** A login token for REST calls as `userId` (headers X-User-Id + X-Auth-Token), as /api/v1/login issues. */
	loginToken(userId: string): string {
		return issueLoginToken(this.rc, must(this.rc.user(userId), `user ${userId}`));
	}
	/** RC's GET /api/apps/actionButtons: the UI action buttons of enabled apps (the client shows them by `when`). */
	actionButtons(): Promise<any[]> {
		return this.manager.getUIActionButtonManager().getAllActionButtons();
	}
	/** RC's POST /api/apps/ui.interaction/<appId> by `userId`'s client: the app's answer (modal.open, errors, …). */
	async uiInteraction(body: UiInteractionBody, ctx: { userId: string; appId?: string }): Promise<{ status: number; content: any }> {
		const user = must(this.rc.user(ctx.userId), `user ${ctx.userId}`);
		const built = uiKitAction(this.rc, ctx.appId ?? this.appId, body, user);
		if (!built.ok) return { status: built.status, content: { error: built.error } };
		this.rc.effect('ui.interaction.received', { type: body.type, actionId: body.actionId, userId: user.id });
		try {
			const result = await actingNode.run(this, () => this.manager.getListenerManager().executeListener('IUIKitInteractionHandler' as any, built.action));
			return { status: 200, content: result };
		} catch (e) {
			return { status: 500, content: { error: (e as Error).message } };
		}
	}

	/**
	 * `userId`'s Rocket.Chat web client (one per user): clicks, slash commands and modals under the client's
	 * rules (uikit.ts: triggerIds live 5 s and serve once, updates go to the open modal of the same view id).
	 */
	webClient(userId: string): WebClient {
		must(this.rc.user(userId), `user ${userId}`);
		return webClientOf(this.rc, userId, () => new WebClient(
			userId, this.appId,
			(body) => this.uiInteraction(body, { userId }),
			(command, args, roomId, triggerId) => this.runCommand(command, args, { userId, roomId, triggerId }),
		));
	}

	/** An agent/user sends a message from the RC client: stored like RC (quote attachment + `[ ](link) ` prefix; files
	 *  become an upload plus a file message, the text as the attachment description unless captionIn: 'text'), then
	 *  IPostMessageSent fires with the converted message. */
	async sendUserMessage(p: { roomId: string; userId: string; text?: string; file?: FileInput; quoteOf?: string; captionIn?: 'description' | 'text' }): Promise<StoredMessage> {
		return actingNode.run(this, () => this.userMessage(p));
	}
	private userMessage(p: { roomId: string; userId: string; text?: string; file?: FileInput; quoteOf?: string; captionIn?: 'description' | 'text' }): StoredMessage {
		const user = must(this.rc.user(p.userId), `user ${p.userId}`);
		const room = must(this.rc.room(p.roomId), `room ${p.roomId}`);
		if (p.file) {
			const caption = p.captionIn === 'text' ? { text: p.text } : { description: p.text };
			const { message } = uploadFile(this.rc, { name: p.file.name, bytes: p.file.bytes, roomId: room.id, userId: user.id, origin: 'harness', ...caption });
			return message!;
		}
		let text = p.text ?? '';
		let attachments: any[] | undefined;
		if (p.quoteOf) {
			const q = must(this.rc.message(p.quoteOf), `message ${p.quoteOf}`);
			const route = room.type === 'l' ? 'live' : room.type === 'd' ? 'direct' : room.type === 'p' ? 'group' : 'channel';
			const link = `${this.rc.siteUrl}/${route}/${room.type === 'l' || room.type === 'd' ? room.id : room.name}?msg=${q.id}`;
			attachments = [{ text: q.text, timestampLink: link, author: { name: q.alias || q.sender.username, icon: `/avatar/${q.sender.username}` }, timestamp: q.createdAt, ...(q.attachments && { attachments: q.attachments }) }];
			text = `[ ](${link}) ${text}`;
		}
		assertMessageSize(this.rc, text);
		assertCanPost(this.rc, user, room);
		return insertMessage(this.rc, { rid: room.id, text, ...(attachments && { attachments }), sender: userSender(user), origin: 'harness' });
	}
	/** A visitor writes from the widget (a closed/missing room is replaced by a new one, as RC does). A file goes through
	 *  the visitor upload path; the result is undefined when RC posts nothing (room not open). */
	async sendVisitorMessage(p: { token: string; roomId?: string; text?: string; file?: FileInput }): Promise<StoredMessage | undefined> {
		return actingNode.run(this, () => this.visitorMessage(p));
	}
	private visitorMessage(p: { token: string; roomId?: string; text?: string; file?: FileInput }): StoredMessage | undefined {
		const guest = must(this.rc.visitorByToken(p.token), `visitor token ${p.token}`);
		if (p.file) return uploadFile(this.rc, { name: p.file.name, bytes: p.file.bytes, roomId: p.roomId ?? '', visitorToken: guest.token, origin: 'harness' }).message;
		return sendVisitorMessage(this.rc, guestOf(guest), p.roomId, { text: p.text ?? '' }, { source: { type: 'widget' }, origin: 'harness' });
	}
	/** A user reacts to a message (or takes the reaction back) from the client: RC's executeSetReaction, IPostMessageReacted. */
	/** An admin adds a custom emoji (Administration → Custom Emoji): reactions may then name it. */
	addCustomEmoji(name: string, aliases: string[] = []): void {
		this.rc.customEmoji.push({ name, aliases });
	}
	async reactToMessage(p: { messageId: string; userId: string; reaction: string; shouldReact?: boolean }): Promise<boolean | undefined> {
		return actingNode.run(this, () => setReaction(this.rc, p));
	}
	/** A user edits their message (chat.update): canEditMessage, updateMessage, IPostMessageUpdated. */
	async editUserMessage(p: { messageId: string; userId: string; text: string }): Promise<StoredMessage> {
		return actingNode.run(this, () => editMessage(this.rc, p));
	}
	/** A user deletes a message (chat.delete): canDeleteMessage, deleteMessage, IPostMessageDeleted. */
	async deleteUserMessage(p: { messageId: string; userId: string }): Promise<void> {
		actingNode.run(this, () => deleteMessage(this.rc, p));
	}
	/** What the installed zip's app.json declares, its requiredApiVersion, and the permissions the install stored. */
	installedApp(): { requiredApiVersion: string; declared: string[]; granted: string[] } {
		const item = this.app().getStorageItem();
		return { requiredApiVersion: item.info.requiredApiVersion, declared: (item.info.permissions ?? []).map((p) => p.name), granted: (item.permissionsGranted ?? []).map((p) => p.name) };
	}
	/** Adds or removes the `outbound-messaging` licence module (takes effect at the next provider registration). */
	setOutboundLicence(on: boolean): void {
		this.rc.outboundMessagingLicence = on;
	}
	/** Rocket.Chat's own log lines about the outbound-message registry (its bridge logs refusals there). */
	rcLogErrors(): Array<Record<string, unknown>> {
		return this.rc.effects.filter((e) => e.kind === 'rc.log.error').map(({ seq: _seq, kind: _kind, ...line }) => line);
	}
	/** The outbound-message providers registered with this Rocket.Chat (listOutboundProviders('phone')). */
	outboundProviders(): ReturnType<TestBridges['outbound']['list']> {
		return this.bridges.outbound.list();
	}
	/** RC's outbound service (ee/server/api/v1/omnichannel/lib/outbound.ts): through the engine's provider manager. */
	async outboundProviderMetadata(providerId: string): Promise<any> {
		return this.manager.getOutboundCommunicationProviderManager().getProviderMetadata(providerId, 'phone');
	}
	async sendOutboundMessage(providerId: string, message: unknown): Promise<void> {
		await this.manager.getOutboundCommunicationProviderManager().sendOutboundMessage(providerId, 'phone', message as any);
	}
	/** RC's slash command callback: SlashCommandContext(user, room, args) -> AppSlashCommandManager.executeCommand. */
	async runCommand(command: string, args: string[], ctx: { userId: string; roomId?: string; threadId?: string; triggerId?: string }): Promise<void> {
		const cmd = this.commands.get(command.replace(/^\//, '').toLowerCase());
		if (!cmd || !cmd.enabled) throw new Error(`No such command: /${command}`);
		const user = must(this.rc.user(ctx.userId), `user ${ctx.userId}`);
		const room = must(this.rc.room(ctx.roomId ?? this.general.id), `room ${ctx.roomId}`);
		this.rc.effect('command.executed', { command: cmd.command.command, args, userId: user.id, roomId: room.id });
		const context = new SlashCommandContext(this.rc.toAppUser(user), this.rc.toAppRoom(room), args, ctx.threadId, ctx.triggerId);
		await this.manager.getCommandManager().executeCommand(cmd.command.command, context);
	}
	/** An agent (or, without byUserId, the visitor) closes a livechat room; IPostLivechatRoomClosed fires. */
	async closeRoom(roomId: string, byUserId?: string, comment?: string): Promise<void> {
		actingNode.run(this, () => closeLivechatRoom(this.rc, roomId, { userId: byUserId, comment }));
	}
	/** The admin's Disable / Enable in Administration → Apps (AppManager.disable / enable). Enable answers whether the
	 *  app ended up enabled; a refusal the engine does not catch rejects, as it does in Rocket.Chat. */
	async disableApp(): Promise<void> {
		await this.manager.disable(this.appId);
	}
	async enableApp(): Promise<boolean> {
		return this.manager.enable(this.appId);
	}
	/** Admin uninstalls the app (onUninstall, app persistence purged, jobs cancelled). */
	async uninstall(): Promise<void> {
		await this.manager.remove(this.appId, { user: this.rc.toAppUser(this.admin) });
	}

	// ---- scheduler clock ----
	/** Runs the jobs due on the harness clock with this node's processors (i.e. in this node's app process). */
	runDueJobs(): Promise<number> {
		return runDueJobs(this.rc, this.processors);
	}
	advanceClock(ms: number): void {
		this.rc.clockOffsetMs += ms;
	}
	now(): Date {
		return this.rc.now();
	}

	// ---- observing ----
	/**
	 * Polls until probe returns something truthy (post-event handlers run after the engine call returns). The default
	 * limit is generous on purpose: on a loaded machine the app's answer can take seconds; a condition that never
	 * comes still fails, with `what` in the message.
	 */
	async waitFor<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
		const end = Date.now() + timeoutMs;
		for (;;) {
			const v = await probe();
			if (v) return v;
			if (Date.now() > end) throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`);
			await sleep(5);
		}
	}
	/**
	 * Waits until the app has finished reacting to everything that happened so far: no post-event listener
	 * (IPostMessageSent, ...) still running on any node of the workspace and no engine -> app request pending, on
	 * two consecutive polls. For asserting that something did NOT happen ("nothing else was sent") without a sleep
	 * whose length depends on the machine's speed. Throws when the app is still busy after timeoutMs.
	 */
	async settle(timeoutMs = 30_000): Promise<void> {
		const nodes = () => (clusters.get(this.rc) ?? [this]).filter((n) => !n.stopped && n.manager);
		const busy = () => nodes().reduce((sum, n) => sum + n.eventsInFlight + n.pendingAppRequests(), 0);
		const end = Date.now() + timeoutMs;
		let quiet = 0;
		while (quiet < 2) {
			if (Date.now() > end) throw new Error(`settle: the app is still busy after ${timeoutMs} ms (${busy()} listeners/requests pending)`);
			await sleep(10);
			quiet = busy() ? 0 : quiet + 1;
		}
	}
	/** engine -> app requests of this node waiting for the app's answer */
	private pendingAppRequests(): number {
		const ctl = this.runtime();
		if (!ctl?.eventNames) return 0;
		return ctl.eventNames().filter((n: unknown) => String(n).startsWith('result:')).length;
	}
	/** Bridge calls the app made while fn ran (each one a MongoDB round trip in production). */
	async measureCalls<T>(fn: () => Promise<T>): Promise<{ result: T; calls: number; byMethod: Record<string, number>; rpc: number }> {
		const a = this.rc.calls.snapshot();
		const result = await fn();
		const b = this.rc.calls.snapshot();
		const byMethod = Object.fromEntries(Object.entries(b.byMethod).map(([k, v]) => [k, v - (a.byMethod[k] ?? 0)]).filter(([, v]) => v));
		return { result, calls: b.total - a.total, byMethod, rpc: b.rpc - a.rpc };
	}
	resetCalls(): void {
		this.rc.calls.reset();
	}
	/** What the app (and the engine on its behalf) logged, as stored in the log storage. */
	appLogs(): any[] {
		return this.logStorage.entries.filter((e) => !this.appId || e.appId === this.appId);
	}
	/** appLogs() flattened to "severity method: args" lines, handy in failure messages. */
	appLogText(): string {
		return this.appLogs()
			.flatMap((e) => (e.entries ?? []).map((x: any) => `${x.severity} ${e.method}: ${(x.args ?? []).map((a: unknown) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`))
			.join('\n');
	}
	/**
	 * appLogText() without the lines the engine's Deno runtime writes on the app's logger around every call: its
	 * handlers log "<path>'s <call> is being executed..." with the whole request (headers included), "Command is being
	 * executed..." with the arguments, "Job processor ..." (deno-runtime/handlers/{api,slashcommand,scheduler}-handler.ts).
	 * What remains is what the app itself wrote.
	 */
	appWrittenLogText(): string {
		const engineLine = (first: unknown) => {
			const msg = typeof first === 'string' ? first : (first as { msg?: unknown } | null)?.msg;
			return typeof msg === 'string' && /(is being executed\.\.\.|was successfully executed|was unsuccessful|^A method is being called)/.test(msg);
		};
		return this.appLogs()
			.flatMap((e) =>
				(e.entries ?? [])
					.filter((x: any) => !engineLine((x.args ?? [])[0]))
					.map((x: any) => `${x.severity} ${e.method}: ${(x.args ?? []).map((a: unknown) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`),
			)
			.join('\n');
	}

	/** Waits for in-flight engine <-> app requests, unloads the app, waits for the Deno process to exit, removes the temp dir. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		const child = this.appId ? this.runtime()?.deno : undefined;
		if (this.manager && this.appId) await this.drain(3000);
		this.stopped = true;
		try {
			if (this.manager) {
				// unload() stops no app process once a step before it throws (e.g. Rocket.Chat refusing to unregister an
				// outbound provider without its licence module): stop this one, or the engine restarts it for ever.
				const ctl = this.appId ? this.runtime() : undefined;
				await this.manager.unload(true).catch(async (e) => {
					this.rc.effect('stop.error', { error: String(e) });
					// (a controller whose last restart failed has no process left to stop: the wait below covers it)
					await Promise.resolve()
						.then(() => ctl?.stopApp?.())
						.catch((e2) => this.rc.effect('stop.error', { error: String(e2) }));
				});
			}
			if (child && child.exitCode === null && child.signalCode === null) {
				await new Promise<void>((resolve) => {
					const timer = setTimeout(() => {
						child.kill('SIGKILL');
						resolve();
					}, 5000);
					child.once('exit', () => {
						clearTimeout(timer);
						resolve();
					});
				});
			}
		} finally {
			const nodes = clusters.get(this.rc) ?? [];
			const rest = nodes.filter((n) => n !== this);
			if (nodes.length) clusters.set(this.rc, rest);
			const live = rest.find((n) => !n.stopped && n.manager);
			if (!(AppManager as any).Instance || (AppManager as any).Instance === this.manager) (AppManager as any).Instance = live?.manager;
			fs.rmSync(this.tempDir, { recursive: true, force: true });
		}
	}
	/** Waits until no request between engine and app is pending for two consecutive polls (or timeoutMs passed). */
	async drain(timeoutMs: number): Promise<void> {
		const ctl = this.runtime();
		if (!ctl?.eventNames) return;
		const pending = () => ctl.eventNames().filter((n: unknown) => String(n).startsWith('result:')).length;
		const end = Date.now() + timeoutMs;
		let quiet = 0;
		while (quiet < 2 && Date.now() < end) {
			await sleep(10);
			quiet = pending() ? 0 : quiet + 1;
		}
	}
}
