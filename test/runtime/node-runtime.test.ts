// Contract: the `require` Rocket.Chat's Node runtime (8.8+ default) hands an app, and the app's use of it.
// Copies packages/apps/node-runtime/src/lib/require.ts (RocketChat/Rocket.Chat): Node's require behind an allow-list
// matched by prefix after removing one `node:`; anything else throws "Module <name> is not allowed".
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
