// All 28 AppBridges getters. Every bridge is wrapped so that each `do*` call the APP makes (i.e. one issued while the
// engine serves a `bridges:`/`accessor:` request from the Deno subprocess) is counted: in production each is a MongoDB
// round trip. Engine-internal calls (install, enable, events) are not counted.
import { AsyncLocalStorage } from 'async_hooks';
import { AppBridges } from '@rocket.chat/apps-engine/server/bridges/AppBridges';
import { RcState } from '../state';
import { TestHttpBridge } from './http';
import { TestLivechatBridge } from './livechat';
import { TestMessageBridge } from './messages';
import { TestPersistenceBridge } from './persistence';
import * as P from './platform';
import { TestInternalBridge, TestRoomBridge, TestThreadBridge } from './rooms';
import { TestSchedulerBridge } from './scheduler';
import { TestAppDetailChangesBridge, TestEnvironmentalVariableBridge, TestServerSettingBridge } from './settings';
import { TestUploadBridge } from './uploads';
import { TestRoleBridge, TestUserBridge } from './users';
import { TestUiInteractionBridge } from '../uikit';

/** Set while the engine handles a request coming from the app's subprocess (`bridges`: the engine node's bridges). */
export const appRequestContext = new AsyncLocalStorage<{ method: string; bridges?: TestBridges }>();

let patched = false;
/** Wraps the Deno controller's handler of app -> host requests in appRequestContext (once per process). */
export function instrumentRuntime(): void {
	if (patched) return;
	patched = true;
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const { DenoRuntimeSubprocessController: C } = require('@rocket.chat/apps-engine/server/runtime/deno/AppsEngineDenoRuntime');
	const original = C.prototype.handleIncomingMessage;
	C.prototype.handleIncomingMessage = function (this: any, message: any) {
		const method: string = message?.payload?.method ?? '';
		if (!method.startsWith('bridges:') && !method.startsWith('accessor:')) return original.call(this, message);
		const rc: RcState | undefined = this.bridges?.rc;
		if (!rc) return appRequestContext.run({ method, bridges: this.bridges }, () => original.call(this, message));
		rc.calls.rpc++;
		// host time of the request: from its arrival to its answer written back to the app (the engine's handling
		// around the bridge method included)
		const started = performance.now();
		rc.calls.inFlight++;
		const done = appRequestContext.run({ method, bridges: this.bridges }, () => original.call(this, message)) as Promise<unknown>;
		return done.finally(() => rc.calls.timed(method, started, performance.now()));
	};
	// A restart is done when restartApp() has returned (1.62.0 also counts finished restarts in getRuntimeData(); 1.46.0
	// counts them when they start, and is in state 'ready' before it re-initializes the app): count the ones in flight.
	const restartApp = C.prototype.restartApp;
	C.prototype.restartApp = function (this: any, ...args: unknown[]) {
		this.gabRestartsInFlight = (this.gabRestartsInFlight ?? 0) + 1;
		const rc: RcState | undefined = this.bridges?.rc;
		// called synchronously, as the engine does (a deferred call would change what a request sent meanwhile meets)
		const p = (restartApp.apply(this, args) as Promise<unknown>).finally(() => this.gabRestartsInFlight--);
		// 1.53+ await a restart and retry when it fails; 1.46.0's LivenessManager does not, and Rocket.Chat's
		// process-level unhandledRejection handler logs it: recorded here instead, the rejection still reaches a caller
		p.catch((e: Error) => rc?.effect('runtime.restart-failed', { error: e?.message }));
		return p;
	};
	// A message written to a subprocess that just died (killed, crashed) fails asynchronously with EPIPE on its stdin,
	// which has no 'error' listener in the engine: in Rocket.Chat the process-level handler logs it; here it would
	// surface as an uncaught exception in whatever test runs. Record it as an effect instead.
	const spawn = C.prototype.spawnProcess;
	C.prototype.spawnProcess = function (this: any, ...args: unknown[]) {
		const out = spawn.apply(this, args);
		const rc: RcState | undefined = this.bridges?.rc;
		const child = this.deno;
		child?.stdin?.on('error', (e: Error) => rc?.effect('runtime.stdin-error', { error: e.message, pid: child.pid }));
		// every app process this controller started (first spawn and restarts), for TestRocketChat.appProcessIds()
		if (child?.pid) {
			rc?.effect('runtime.spawned', { pid: child.pid, previousPid: this.gabPids?.[this.gabPids.length - 1] });
			(this.gabPids ??= []).push(child.pid);
		}
		// what the app process writes to stderr (Deno's own errors: uncaught exceptions, unhandled rejections); the
		// engine only debug-logs it
		child?.stderr?.on('data', (d: Buffer) => rc?.effect('runtime.stderr', { pid: child.pid, text: d.toString() }));
		return out;
	};
}

function counted<T extends object>(rc: RcState, name: string, bridge: T): T {
	return new Proxy(bridge, {
		get(target, prop, receiver) {
			const v = Reflect.get(target, prop, receiver);
			if (typeof v !== 'function' || typeof prop !== 'string' || !prop.startsWith('do')) return v;
			return function (this: unknown, ...args: unknown[]) {
				if (appRequestContext.getStore()) rc.calls.count(`${name}.${prop}`);
				return v.apply(this, args);
			};
		},
	});
}

export class TestBridges extends AppBridges {
	readonly livechat: TestLivechatBridge;
	readonly message: TestMessageBridge;
	readonly persistence: TestPersistenceBridge;
	readonly scheduler: TestSchedulerBridge;
	readonly upload: TestUploadBridge;
	readonly user: TestUserBridge;
	readonly room: TestRoomBridge;
	readonly http: TestHttpBridge;
	readonly outbound: P.TestOutboundMessageBridge;
	private readonly b: Record<string, any>;
	/** The engine node (TestRocketChat) these bridges serve; set by the harness, used to route events in a cluster. */
	node?: unknown;

	/** `opts.processors` / `opts.commands`: where the scheduler bridge keeps registered processors and the command
	 *  bridge the slash commands (default rc.processors / rc.commands; a second engine node over the same RcState keeps
	 *  its own: each node runs jobs and commands with its own app process). */
	constructor(
		readonly rc: RcState,
		executeListener: (int: string, data: unknown) => Promise<any> = async () => undefined,
		opts: { processors?: Map<string, (ctx: any) => Promise<void>>; commands?: RcState['commands'] } = {},
	) {
		super();
		const raw = {
			Command: new P.TestCommandBridge(rc, opts.commands), Contact: new P.TestContactBridge(), Api: new P.TestApiBridge(rc),
			AppDetailChanges: new TestAppDetailChangesBridge(rc), EnvironmentalVariable: new TestEnvironmentalVariableBridge(rc),
			Http: (this.http = new TestHttpBridge(rc)), Listener: new P.TestListenerBridge(executeListener), Livechat: (this.livechat = new TestLivechatBridge(rc)),
			Message: (this.message = new TestMessageBridge(rc)), Persistence: (this.persistence = new TestPersistenceBridge(rc)),
			AppActivation: new P.TestAppActivationBridge(rc), Room: (this.room = new TestRoomBridge(rc)), Internal: new TestInternalBridge(rc),
			InternalFederation: new P.TestInternalFederationBridge(), ServerSetting: new TestServerSettingBridge(rc), Upload: (this.upload = new TestUploadBridge(rc)),
			Email: new P.TestEmailBridge(), User: (this.user = new TestUserBridge(rc)), UiInteraction: new TestUiInteractionBridge(rc),
			Scheduler: (this.scheduler = new TestSchedulerBridge(rc, opts.processors)), CloudWorkspace: new P.TestCloudWorkspaceBridge(), VideoConference: new P.TestVideoConferenceBridge(),
			OAuthApps: new P.TestOAuthAppsBridge(), Moderation: new P.TestModerationBridge(), Thread: new TestThreadBridge(rc), Role: new TestRoleBridge(),
			OutboundMessage: (this.outbound = new P.TestOutboundMessageBridge(rc)), Experimental: new P.TestExperimentalBridge(),
		};
		this.b = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, counted(rc, k, v)]));
	}
	getCommandBridge() { return this.b.Command; }
	getContactBridge() { return this.b.Contact; }
	getApiBridge() { return this.b.Api; }
	getAppDetailChangesBridge() { return this.b.AppDetailChanges; }
	getEnvironmentalVariableBridge() { return this.b.EnvironmentalVariable; }
	getHttpBridge() { return this.b.Http; }
	getListenerBridge() { return this.b.Listener; }
	getLivechatBridge() { return this.b.Livechat; }
	getMessageBridge() { return this.b.Message; }
	getPersistenceBridge() { return this.b.Persistence; }
	getAppActivationBridge() { return this.b.AppActivation; }
	getRoomBridge() { return this.b.Room; }
	getInternalBridge() { return this.b.Internal; }
	getInternalFederationBridge() { return this.b.InternalFederation; }
	getServerSettingBridge() { return this.b.ServerSetting; }
	getUploadBridge() { return this.b.Upload; }
	getEmailBridge() { return this.b.Email; }
	getUserBridge() { return this.b.User; }
	getUiInteractionBridge() { return this.b.UiInteraction; }
	getSchedulerBridge() { return this.b.Scheduler; }
	getCloudWorkspaceBridge() { return this.b.CloudWorkspace; }
	getVideoConferenceBridge() { return this.b.VideoConference; }
	getOAuthAppsBridge() { return this.b.OAuthApps; }
	getModerationBridge() { return this.b.Moderation; }
	getThreadBridge() { return this.b.Thread; }
	getRoleBridge() { return this.b.Role; }
	getOutboundMessageBridge() { return this.b.OutboundMessage; }
	getExperimentalBridge() { return this.b.Experimental; }
}
