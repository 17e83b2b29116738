// The Apps-Engine server runtime the harness runs on (GAB_ENGINE, default 1.62.0; see paths.js) and what differs
// between the engines of the matrix. Every fact is read from the loaded engine's own files, not from a version table,
// so a wrong guess about a version cannot hide: engine.test.ts checks them against the engines.
import * as fs from 'fs';
import * as path from 'path';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const paths = require('./paths') as {
	DEFAULT_ENGINE: string; ENGINES: string[]; selectedEngine(): string; selectedRuntime(): 'deno' | 'node';
	enginePaths(v?: string): {
		version: string; denoVersion: string; engineDir: string; denoBin: string; denoBinDir: string; denoDir: string; prepared: boolean; builtin: boolean;
		nodeVersion: string; nodeBin: string; nodeRuntimeBundle: string; nodeRuntimePrepared: boolean;
	};
};

export interface EngineInfo {
	version: string;
	/** what runs the app process: the engine's own Deno runtime, or the Node-runtime harness (node-runtime/: the
	 *  engine's app-side handlers in a Node child process, as Rocket.Chat 8.8+ runs apps by default) */
	runtime: 'deno' | 'node';
	/** 'node': the Node binary and the bundled app-side runtime it runs */
	node?: { version: string; bin: string; bundle: string };
	/** the @deno/linux-x64-glibc version the app process runs on */
	deno: string;
	engineDir: string;
	denoBin: string;
	denoBinDir: string;
	denoDir: string;
	/** every engine -> app request (webhook, event, job, command) fails after this long: 10 s on 1.46.0, 30 s later
	 *  (APPS_ENGINE_RUNTIME_TIMEOUT, read once when the engine module loads) */
	requestTimeoutMs: number;
	/** LivenessManager: restarts of a dead or unresponsive app process before it stops the app for good (1.46.0: 3) */
	maxRestarts: number;
	/** the ProxiedApp getter of the subprocess controller */
	runtimeGetter: 'getRuntimeController' | 'getDenoRuntime';
	/** bridge errors reach the app as Error(err.error), i.e. message "[object Object]" (before formatErrorResponse, 1.53) */
	bridgeErrorsAsObjects: boolean;
	/** modify.getUpdater().getMessageUpdater() (reactions) exists in the Deno runtime (1.62) */
	hasMessageUpdater: boolean;
	/** IOmnichannelSourceApp has `destination` (not in 1.46.0's definition) */
	roomSourceHasDestination: boolean;
	/** after a process restart the engine re-enables the app (app:setStatus + onEnable, 1.53+); 1.46.0 only constructs
	 *  and initializes it, so whatever onEnable sets up (e.g. re-asserting a recurring job) is not redone */
	restartRunsOnEnable: boolean;
	/** the Deno runtime installs unhandled-rejection / uncaught-error handlers (deno-runtime/error-handlers.ts, 1.53+):
	 *  a failing stdin read loop then ends with a clean exit (code 0) instead of a crash */
	denoErrorHandlers: boolean;
	/** the LivenessManager runs a watchdog interval that keeps pinging after the process is gone (1.58+); before,
	 *  pings stop at the child's exit and a clean exit (code 0) is never restarted */
	livenessWatchdog: boolean;
	/** the Rocket.Chat this engine ships with has contacts (RC 7+: ContactBridge, blocked channels, verification) */
	rcHasContacts: boolean;
	/** the app process runs main.ts from a symlink under AppManager's tempFilePath (1.62); older engines run it from
	 *  the engine's own deno-runtime folder */
	runtimeInTempDir: boolean;
	/** apps can register as outbound-message providers (OutboundMessagesBridge, IOutboundPhoneMessageProvider) */
	hasOutboundProviders: boolean;
	/** IMessage has `type` (system message type) / `files`: the Rocket.Chat of that engine's era maps `t` / `files` in its
	 *  message converter; the RC of 1.46.0 (6.13) maps neither */
	messageHasType: boolean;
	messageHasFiles: boolean;
	/** largest app endpoint body before the app (413): RC 7+ parses with express.json()/urlencoded() defaults in
	 *  bridges/router.ts (100 kB); RC 6.13 (the engine without RC 7's ContactBridge) with its REST stack's 50 MB */
	endpointBodyLimitBytes: number;
}

const read = (dir: string, rel: string) => {
	const f = path.join(dir, rel);
	return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
};

/** The compiled source of a class method `name() {...}` (tsc output: methods at 4 spaces, closed by "\n    }"). */
const methodSource = (js: string, name: string) => {
	const start = js.indexOf(`\n    ${name}() {`);
	return start < 0 ? '' : js.slice(start, js.indexOf('\n    }', start) + 6);
};

/** Facts about engine `version` (default: the selected one), read from its files. */
export function engineInfo(version = paths.selectedEngine(), runtime: 'deno' | 'node' = version === paths.selectedEngine() ? paths.selectedRuntime() : 'deno'): EngineInfo {
	const p = paths.enginePaths(version);
	if (!p.prepared) throw new Error(`Apps-Engine ${version} is not prepared: run \`node test/runtime/prepare.js ${version}\``);
	if (runtime === 'node' && !p.nodeRuntimePrepared) throw new Error(`The Node-runtime harness of Apps-Engine ${version} is not prepared: run \`node test/runtime/prepare.js ${version}-node\``);
	const runtimeJs = read(p.engineDir, 'server/runtime/deno/AppsEngineDenoRuntime.js');
	const livenessJs = read(p.engineDir, 'server/runtime/deno/LivenessManager.js');
	const proxiedApp = read(p.engineDir, 'server/ProxiedApp.js');
	const envTimeout = Number(process.env.APPS_ENGINE_RUNTIME_TIMEOUT);
	const configurableTimeout = runtimeJs.includes('APPS_ENGINE_RUNTIME_TIMEOUT');
	const fixedTimeout = /timeout:\s*(\d+)/.exec(runtimeJs);
	const maxRestarts = /maxRestarts:\s*(Infinity|\d+)/.exec(livenessJs)?.[1];
	return {
		version, runtime, node: runtime === 'node' ? { version: p.nodeVersion, bin: p.nodeBin, bundle: p.nodeRuntimeBundle } : undefined, deno: p.denoVersion, engineDir: p.engineDir, denoBin: p.denoBin, denoBinDir: p.denoBinDir, denoDir: p.denoDir,
		requestTimeoutMs: configurableTimeout ? (Number.isFinite(envTimeout) && envTimeout >= 0 ? envTimeout : 30_000) : Number(fixedTimeout?.[1] ?? 10_000),
		maxRestarts: maxRestarts === undefined || maxRestarts === 'Infinity' ? Infinity : Number(maxRestarts),
		runtimeGetter: /getRuntimeController\(\)\s*\{/.test(proxiedApp) ? 'getRuntimeController' : 'getDenoRuntime',
		bridgeErrorsAsObjects: !fs.existsSync(path.join(p.engineDir, 'deno-runtime/lib/accessors/formatResponseErrorHandler.ts')),
		hasMessageUpdater: read(p.engineDir, 'deno-runtime/lib/accessors/modify/ModifyUpdater.ts').includes('getMessageUpdater'),
		roomSourceHasDestination: read(p.engineDir, 'definition/livechat/ILivechatRoom.d.ts').includes('destination'),
		runtimeInTempDir: runtimeJs.includes('tempFilePath'),
		restartRunsOnEnable: methodSource(runtimeJs, 'restartApp').includes("'app:onEnable'"),
		denoErrorHandlers: fs.existsSync(path.join(p.engineDir, 'deno-runtime/error-handlers.ts')),
		livenessWatchdog: livenessJs.includes('watchdogTimeout'),
		rcHasContacts: fs.existsSync(path.join(p.engineDir, 'server/bridges/ContactBridge.js')),
		hasOutboundProviders: fs.existsSync(path.join(p.engineDir, 'server/bridges/OutboundMessagesBridge.js')),
		messageHasType: /\btype\?: MessageType/.test(read(p.engineDir, 'definition/messages/IMessage.d.ts')),
		messageHasFiles: /\bfiles\?: Array<IMessageFile>/.test(read(p.engineDir, 'definition/messages/IMessage.d.ts')),
		endpointBodyLimitBytes: fs.existsSync(path.join(p.engineDir, 'server/bridges/ContactBridge.js')) ? 100 * 1024 : 50 * 1024 * 1024,
	};
}

/** The engine in use by this process (GAB_ENGINE). */
export const ENGINE: EngineInfo = engineInfo();

/** The subprocess controller of an app on any engine of the matrix. */
export function runtimeControllerOf(app: any): any {
	if (!app) return undefined;
	return typeof app.getRuntimeController === 'function' ? app.getRuntimeController() : app.getDenoRuntime?.();
}
