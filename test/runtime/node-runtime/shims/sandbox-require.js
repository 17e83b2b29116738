// The `require` Rocket.Chat's Node runtime hands an app (packages/apps/node-runtime/src/lib/require.ts): Node's own
// require behind an allow-list that is matched by PREFIX after removing the first `node:` — so `fs/promises`,
// `node:crypto`, `stream/web` and `@rocket.chat/apps-engine/definition/...` pass, and `events`, `timers`,
// `child_process`, `worker_threads` throw "Module <name> is not allowed". CommonJS so that the allow-list test
// (test/runtime/node-runtime.test.ts) runs this very file.
'use strict';

const ALLOWED_MODULES = ['path', 'url', 'crypto', 'buffer', 'stream', 'net', 'http', 'https', 'zlib', 'util', 'punycode', 'os', 'querystring', 'fs', 'uuid', '@rocket.chat/apps-engine'];

/** `load`: Node's require as the runtime resolves modules (from the engine's folder in the harness). */
function makeSandboxRequire(load) {
	return function sandboxRequire(module) {
		const normalized = String(module).replace('node:', '');
		if (!ALLOWED_MODULES.some((allowed) => normalized.startsWith(allowed))) throw new Error(`Module ${module} is not allowed`);
		return load(normalized);
	};
}

module.exports = { ALLOWED_MODULES, makeSandboxRequire };
