#!/usr/bin/env node
// Builds the Node-runtime harness's app process: the engine's own app-side runtime (deno-runtime/main.ts and its
// handlers, TypeScript written for Deno) bundled for Node into <engine>/.node-runtime/main.cjs, with
//   - the import map of deno-runtime/deno.jsonc resolved to the exact npm packages prepare.js cached for Deno,
//   - the Deno APIs it calls (args, stdin/stdout/stderr, exit, pid, open) and ErrorEvent from shims/deno.js,
//     bound inside the bundle (not global: the app must not see them),
//   - the parts Rocket.Chat's Node runtime replaces: app construction with its sandbox (shims/construct.js), the
//     error listeners (shims/error-handlers.js) and the runtime's module loader (shims/require.js).
// The transport is unchanged: msgpack-encoded JSON-RPC frames on stdin/stdout, as both the 1.62 Deno runtime and
// Rocket.Chat's stdout transport (packages/apps/node-runtime/src/lib/transports/stdoutTransport.ts) speak it.
//   node test/runtime/node-runtime/build.js <engineDir> <denoDir>
'use strict';
const fs = require('fs');
const path = require('path');

async function build(engineDir, denoDir) {
	const esbuild = require(require.resolve('esbuild', { paths: [engineDir] })); // the engine's own bundler dependency
	const runtimeDir = path.join(engineDir, 'deno-runtime');
	const shims = path.join(__dirname, 'shims');
	const config = JSON.parse(fs.readFileSync(path.join(runtimeDir, 'deno.jsonc'), 'utf8'));
	const npmCache = path.join(denoDir, 'npm', 'registry.npmjs.org');
	const outfile = path.join(engineDir, '.node-runtime', 'main.cjs');

	/** npm:<name>@<version or range> -> the package folder Deno cached (prepare.js pinned ranges to the lock) */
	const cachedPackage = (spec) => {
		const m = /^npm:(@?[^@]+)@(.+)$/.exec(spec);
		if (!m) return undefined;
		const dir = path.join(npmCache, m[1]);
		const version = fs.existsSync(path.join(dir, m[2])) ? m[2] : fs.readdirSync(dir).filter((v) => /^\d/.test(v)).sort().pop();
		return version && path.join(dir, version);
	};
	const overrides = { 'handlers/app/construct.ts': 'construct.js', 'error-handlers.ts': 'error-handlers.js', 'lib/require.ts': 'require.js' };

	const plugin = {
		name: 'deno-runtime-on-node',
		setup(b) {
			b.onResolve({ filter: /.*/ }, async (args) => {
				if (args.kind === 'entry-point' || args.pluginData === 'resolved') return undefined;
				const p = args.path;
				if (p.startsWith('node:')) return { path: p, external: true };
				if (p.startsWith('gab-runtime:/')) return { path: path.join(runtimeDir, p.slice('gab-runtime:/'.length)) };
				// the runtime's relative imports of the files Rocket.Chat's Node runtime does differently
				if (p.startsWith('.') && args.resolveDir.startsWith(runtimeDir)) {
					const rel = path.relative(runtimeDir, path.resolve(args.resolveDir, p)).split(path.sep).join('/');
					if (overrides[rel]) return { path: path.join(shims, overrides[rel]) };
					return undefined;
				}
				if (p.startsWith('.') || path.isAbsolute(p)) return undefined;
				// import map: exact keys first, then the longest prefix key ("@rocket.chat/apps-engine/")
				let target = config.imports[p];
				if (target === undefined) {
					const key = Object.keys(config.imports).filter((k) => k.endsWith('/') && p.startsWith(k)).sort((a, b) => b.length - a.length)[0];
					if (key) target = config.imports[key] + p.slice(key.length);
				}
				if (target === undefined) return undefined;
				if (target.startsWith('npm:')) {
					const dir = cachedPackage(target);
					if (!dir) throw new Error(`${target}: not in the Deno cache ${npmCache} (run prepare.js)`);
					return b.resolve(dir, { kind: args.kind, resolveDir: runtimeDir, pluginData: 'resolved' });
				}
				const file = path.resolve(runtimeDir, target);
				if (fs.existsSync(file)) return { path: file };
				// engine sources the npm package does not ship: its compiled definitions, loaded at run time (same
				// module instances as the app's require gets)
				const compiled = path.join(engineDir, path.relative(path.join(engineDir, 'src'), file)).replace(/\.ts$/, '.js');
				return { path: `../${path.relative(engineDir, compiled).split(path.sep).join('/')}`, external: true };
			});
		},
	};

	await esbuild.build({
		entryPoints: [path.join(runtimeDir, 'main.ts')],
		bundle: true,
		platform: 'node',
		format: 'cjs',
		target: 'node20',
		outfile,
		inject: [path.join(shims, 'deno.js')],
		plugins: [plugin],
		logLevel: 'warning',
		legalComments: 'none',
	});
	return outfile;
}

module.exports = { build };
if (require.main === module) {
	build(process.argv[2], process.argv[3]).then(
		(out) => console.log(`[node-runtime] built ${out}`),
		(e) => {
			console.error(e);
			process.exit(1);
		},
	);
}
