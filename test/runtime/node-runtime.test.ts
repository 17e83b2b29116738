// Contract: the `require` Rocket.Chat's Node runtime (8.8+ default) hands an app, and the app's use of it.
// Copies packages/apps/node-runtime/src/lib/require.ts (RocketChat/Rocket.Chat): Node's require behind an allow-list
// matched by prefix after removing one `node:`; anything else throws "Module <name> is not allowed".
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { AppPackageParser } from '@rocket.chat/apps-engine/server/compiler/AppPackageParser';

import { DEFAULT_ZIP } from './TestRocketChat';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ALLOWED_MODULES, makeSandboxRequire } = require('./node-runtime/shims/sandbox-require.js') as {
	ALLOWED_MODULES: string[];
	makeSandboxRequire(load: (m: string) => unknown): (m: string) => unknown;
};

describe('the Node runtime sandbox require (packages/apps/node-runtime/src/lib/require.ts)', () => {
	const loaded: string[] = [];
	const sandboxRequire = makeSandboxRequire((m) => {
		loaded.push(m);
		return require(m);
	});
	beforeEach(() => {
		loaded.length = 0;
	});

	it('gives Node built-ins on the list, with or without node:, and their subpaths (prefix match)', () => {
		expect(sandboxRequire('crypto')).toBe(require('crypto'));
		expect(sandboxRequire('node:crypto')).toBe(require('crypto'));
		expect(sandboxRequire('node:fs/promises')).toBe(require('fs/promises'));
		expect(sandboxRequire('stream/web')).toBe(require('stream/web'));
		expect((sandboxRequire('buffer') as typeof import('buffer')).Buffer).toBe(Buffer);
		expect(loaded).toEqual(['crypto', 'crypto', 'fs/promises', 'stream/web', 'buffer']);
	});

	it('gives the engine definitions and uuid, and refuses every other module before loading it', () => {
		expect(sandboxRequire('@rocket.chat/apps-engine/definition/App')).toHaveProperty('App');
		for (const name of ['events', 'node:events', 'timers', 'child_process', 'node:worker_threads', 'string_decoder', 'assert', 'lodash', 'axios']) {
			expect(() => sandboxRequire(name)).toThrow(`Module ${name} is not allowed`);
		}
		expect(loaded).toEqual(['@rocket.chat/apps-engine/definition/App']);
		expect(ALLOWED_MODULES).toEqual(['path', 'url', 'crypto', 'buffer', 'stream', 'net', 'http', 'https', 'zlib', 'util', 'punycode', 'os', 'querystring', 'fs', 'uuid', '@rocket.chat/apps-engine']);
	});

	it('the packaged app requires only modules both runtimes allow (Deno 1.62: exact names; Node: prefixes)', async () => {
		const { files } = await new AppPackageParser().unpackageApp(fs.readFileSync(DEFAULT_ZIP));
		const external = new Set<string>();
		for (const [name, source] of Object.entries(files as Record<string, string>)) {
			if (!name.endsWith('.js')) continue;
			for (const m of source.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) if (!m[1].startsWith('.')) external.add(m[1]);
		}
		expect(external.size).toBeGreaterThan(0);
		const denoNatives = ['path', 'url', 'crypto', 'buffer', 'stream', 'net', 'http', 'https', 'zlib', 'util', 'punycode', 'os', 'querystring', 'fs'];
		for (const m of external) {
			expect(() => sandboxRequire(m)).not.toThrow();
			const bare = m.replace('node:', '');
			expect(denoNatives.includes(bare) || bare === 'uuid' || bare.startsWith('@rocket.chat/apps-engine')).toBe(true);
		}
		// no Deno-only global (the Node runtime has no `Deno`, both shadow `globalThis`), and no console output: in the
		// Node runtime the app's console.log writes to stdout, the channel of the msgpack frames to the host
		for (const [name, source] of Object.entries(files as Record<string, string>)) {
			if (!name.endsWith('.js')) continue;
			const uses = { name, deno: /\bDeno\./.test(source), globalThis: /\bglobalThis\b/.test(source), console: /\bconsole\.\w+\(/.test(source) };
			expect(uses).toEqual({ name, deno: false, globalThis: false, console: false });
		}
	});
});

// The Node-runtime harness keeps the 1.62 engine's host side (messenger, codec, timeouts, liveness) because Rocket.Chat
// 8.8+ shares the same ones between its Deno and Node backends: packages/apps/src/server/runtime/base/LivenessManager.ts
// (pingTimeoutInMS 1000, pingIntervalInMS 10000, consecutiveTimeoutLimit 4, maxRestarts Infinity,
// restartAttemptDelayInMS 1000), BaseRuntimeSubprocessController.ts (APPS_ENGINE_RUNTIME_TIMEOUT, default 30000) and
// base/codec.ts (msgpack extensions 0 = functions, 1 = Buffer). If the engine under the harness differed, the harness
// would not be reproducing Rocket.Chat 8.8+.
describe('the Node-runtime harness reproduces packages/apps', () => {
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const { enginePaths, NODE_RUNTIME_ENGINES, NODE_VERSION } = require('./paths') as {
		enginePaths(v: string): { engineDir: string; nodeBin: string };
		NODE_RUNTIME_ENGINES: string[];
		NODE_VERSION: string;
	};
	it.each(NODE_RUNTIME_ENGINES)('engine %s: the same liveness numbers, request timeout and frame codec', (v) => {
		const dir = enginePaths(v).engineDir;
		const liveness = fs.readFileSync(`${dir}/server/runtime/deno/LivenessManager.js`, 'utf8');
		const options = /const defaultOptions = \{([^}]*)\}/.exec(liveness)?.[1] ?? '';
		const parsed = Object.fromEntries(options.split(',').map((kv) => kv.split(':').map((x) => x.trim())).filter((kv) => kv.length === 2));
		expect(parsed).toEqual({ pingTimeoutInMS: '1000', pingIntervalInMS: '10000', consecutiveTimeoutLimit: '4', maxRestarts: 'Infinity', restartAttemptDelayInMS: '1000' });
		const runtime = fs.readFileSync(`${dir}/server/runtime/deno/AppsEngineDenoRuntime.js`, 'utf8');
		expect(runtime).toMatch(/const defaultTimeout = 30000;/);
		expect(runtime).toMatch(/process\.env\.APPS_ENGINE_RUNTIME_TIMEOUT/);
		const codec = fs.readFileSync(`${dir}/server/runtime/deno/codec.js`, 'utf8');
		expect([...codec.matchAll(/type: (\d+),/g)].map((m) => m[1])).toEqual(['0', '1']);
	});
	it('runs the app process on the pinned Node 22 when it is prepared', () => {
		for (const v of NODE_RUNTIME_ENGINES) {
			const bin = enginePaths(v).nodeBin;
			if (!fs.existsSync(bin)) continue; // not prepared here: nothing to check (the matrix prepares it)
			expect(execFileSync(bin, ['--version']).toString().trim()).toBe(`v${NODE_VERSION}`);
		}
		expect(NODE_VERSION).toMatch(/^22\./);
	});
});
