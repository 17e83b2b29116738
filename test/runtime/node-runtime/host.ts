// The host side of the Node-runtime harness: the 1.62 engine's subprocess controller spawns the app process on Node
// instead of Deno, the way Rocket.Chat 8.8+'s NodeRuntimeSubprocessController does
// (packages/apps/src/server/runtime/node/AppsEngineNodeRuntime.ts: `node --permission --allow-fs-read=<dirs>
// <runtime> --subprocess <appId> --spawnId <n>` with only PATH in the environment). Everything else stays the
// engine's own: messenger, codec, timeouts, LivenessManager, restarts, bridges (BaseRuntimeSubprocessController
// shares them between both backends, and they match 1.62's: msgpack JSON-RPC frames on stdin/stdout, ping every
// 10 s with 1 s to answer, restart after 4 missed pings, 30 s per request).
import * as child_process from 'child_process';
import * as path from 'path';

import type { EngineInfo } from '../engine';

let installed: string | undefined;

/** The node_modules folder a package folder is installed in (for a scoped package, two levels up). */
const nodeModulesOf = (dir: string): string => {
	let d = path.dirname(dir);
	while (path.basename(d) !== 'node_modules' && path.dirname(d) !== d) d = path.dirname(d);
	return path.basename(d) === 'node_modules' ? d : path.dirname(dir);
};

/** Makes every app process of this test process a Node one (idempotent; before instrumentRuntime(), which wraps it). */
export function useNodeRuntime(engine: EngineInfo): void {
	if (engine.runtime !== 'node' || !engine.node) return;
	if (installed === engine.node.bundle) return;
	if (installed) throw new Error('useNodeRuntime: a different Node runtime is already installed in this process');
	installed = engine.node.bundle;
	const { bin, bundle } = engine.node;
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const { DenoRuntimeSubprocessController: C } = require('@rocket.chat/apps-engine/server/runtime/deno/AppsEngineDenoRuntime');
	C.prototype.spawnProcess = function spawnNodeProcess(this: any) {
		try {
			// what the process may read: AppManager's temp dir (uploads handed to the app), the engine (the bundled
			// runtime in <engine>/.node-runtime, the definitions the app requires) and the node_modules holding the
			// engine's own dependencies (uuid, ...), as RC allows its runtime package and the apps-engine package
			const engineDir = path.dirname(path.dirname(bundle));
			const allowedDirs = [this.tempFilePath, engineDir, nodeModulesOf(engineDir)];
			const args = ['--permission', ...allowedDirs.map((dir) => `--allow-fs-read=${dir}`), bundle, '--subprocess', this.appPackage.info.id, '--spawnId', String(this.spawnId++)];
			// the controller keeps its child as `deno` (1.62's name for it); RC 8.8's calls it `process`
			this.deno = child_process.spawn(bin, args, { env: { PATH: process.env.PATH } });
			this.messenger.setReceiver(this.deno);
			this.livenessManager.attach(this.deno);
			this.setupListeners();
		} catch (e) {
			this.state = 'invalid';
			console.error(`Failed to start node subprocess for app ${this.getAppId()}`, e);
		}
	};
}
