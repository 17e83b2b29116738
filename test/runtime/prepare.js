#!/usr/bin/env node
// Prepares Apps-Engine server runtimes to run the app offline (no jsr.io, no deno.land):
//   node test/runtime/prepare.js              the engine GAB_ENGINE selects (default 1.62.0, the test runtime's own)
//   node test/runtime/prepare.js 1.46.0 1.59.0 | --all
//   node test/runtime/prepare.js 1.62.0-node      the same engine, plus the Node-runtime harness (./node-runtime)
// An older engine is installed from the pinned ./engines/package.json + lock file (npm ci), then copied out of
// node_modules into ./engines/copies/<version>/apps-engine (its Deno runtime refuses TypeScript inside an npm package,
// and the copy's parent must hold no package.json: the engine reads ../package.json for its own version first).
// For every engine: small shims replace the runtime's remote imports (std io/cli/streams) through the import map of
// deno-runtime/deno.jsonc, npm: ranges are pinned to the versions of the shipped deno.lock, and `deno cache` fills the
// engine's Deno cache. Idempotent: a no-op when the stamp matches.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { ENGINES, enginePaths, matrixDir, nodeRuntimeDir, parseEngineSpec } = require('./paths');

const shimSrc = path.join(__dirname, 'deno-shims');
const sha = (s) => crypto.createHash('sha256').update(s).digest('hex').slice(0, 16);
const lockHash = () => sha(fs.readFileSync(path.join(matrixDir, 'package-lock.json')));

/** npm ci of the pinned matrix (once per lock file). */
function installMatrix() {
	const mark = path.join(matrixDir, 'node_modules', '.gab-installed');
	const want = lockHash();
	if (!fs.existsSync(mark) || fs.readFileSync(mark, 'utf8') !== want) {
		console.log('[prepare] installing the engine matrix (npm ci, pinned by test/runtime/engines/package-lock.json)');
		execFileSync('npm', ['ci', '--ignore-scripts', '--legacy-peer-deps', '--no-audit', '--no-fund', '--prefix', matrixDir], { stdio: 'inherit', cwd: matrixDir });
		fs.writeFileSync(mark, want);
	}
	// the 1.46.x tarballs of @deno/linux-x64-glibc ship the binary without its exec bit
	for (const d of fs.readdirSync(path.join(matrixDir, 'node_modules')).filter((n) => n.startsWith('deno-'))) {
		const bin = path.join(matrixDir, 'node_modules', d, 'deno');
		if (fs.existsSync(bin)) fs.chmodSync(bin, 0o755);
	}
}

/** A copy of the installed engine outside node_modules; 1.46.0 also gets the `deno-bin` it resolves its Deno from. */
function copyEngine(p) {
	const root = path.dirname(p.engineDir);
	const mark = path.join(root, '.copied');
	const want = `${lockHash()} ${p.denoVersion} ${sha(fs.readFileSync(__filename))}`;
	if (fs.existsSync(mark) && fs.readFileSync(mark, 'utf8') === want) return;
	fs.rmSync(root, { recursive: true, force: true });
	fs.mkdirSync(root, { recursive: true });
	fs.cpSync(path.join(matrixDir, 'node_modules', `apps-engine-${p.version}`), p.engineDir, { recursive: true });
	// Its dependencies beside it: the Deno runtime require()s some (uuid, ...) and may read only the engine dir and its
	// parent (--allow-read=<engine>,<engine>/..), with symlinks resolved, so they are copied, not linked.
	const deps = path.join(matrixDir, 'node_modules');
	for (const name of fs.readdirSync(deps).filter((n) => !/^(apps-engine-|deno-|\.)/.test(n))) {
		fs.cpSync(path.join(deps, name), path.join(root, 'node_modules', name), { recursive: true });
	}
	// 1.46.0: require.resolve('deno-bin') -> <dir>/bin/deno. The published deno-bin downloads its binary at install
	// time (scripts are off); this local one points at the pinned @deno/linux-x64-glibc binary instead.
	const denoBinPkg = path.join(p.engineDir, 'node_modules', 'deno-bin');
	fs.mkdirSync(path.join(denoBinPkg, 'bin'), { recursive: true });
	fs.writeFileSync(path.join(denoBinPkg, 'package.json'), JSON.stringify({ name: 'deno-bin', version: p.denoVersion, main: 'index.js' }, null, 1));
	fs.writeFileSync(path.join(denoBinPkg, 'index.js'), "'use strict';\nmodule.exports = require('path').join(__dirname, 'bin', 'deno');\n");
	fs.symlinkSync(p.denoBin, path.join(denoBinPkg, 'bin', 'deno'));
	fs.writeFileSync(mark, want);
}

/** The exact version the shipped deno.lock resolved a `npm:<name>@<range>` import to (lock v3, v4 and v5 layouts). */
function lockedNpmVersions(lockPath) {
	if (!fs.existsSync(lockPath)) return {};
	const lock = JSON.parse(fs.readFileSync(lockPath, 'utf8'));
	const specifiers = lock.specifiers ?? lock.packages?.specifiers ?? {};
	const out = {};
	for (const [spec, resolved] of Object.entries(specifiers)) {
		if (!spec.startsWith('npm:')) continue;
		const version = String(resolved).replace(/^npm:/, '').replace(/^(@?[^@]+)@/, '').replace(/_.*$/, '');
		out[spec] = version;
	}
	return out;
}

/** The Node-runtime harness of engine `p`: Node (npm ci of ./node-runtime, once per lock file) and the app-side
 *  runtime bundled for it (./node-runtime/build.js), rebuilt when the engine's runtime or the harness changed. */
function prepareNodeRuntime(p) {
	const lock = path.join(nodeRuntimeDir, 'package-lock.json');
	const mark = path.join(nodeRuntimeDir, 'node_modules', '.gab-installed');
	const want = sha(fs.readFileSync(lock));
	if (!fs.existsSync(p.nodeBin) || !fs.existsSync(mark) || fs.readFileSync(mark, 'utf8') !== want) {
		console.log('[prepare] installing Node for the Node-runtime harness (npm ci, pinned by test/runtime/node-runtime/package-lock.json)');
		execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', nodeRuntimeDir], { stdio: 'inherit', cwd: nodeRuntimeDir });
		fs.writeFileSync(mark, want);
	}
	const harness = ['build.js', ...fs.readdirSync(path.join(nodeRuntimeDir, 'shims')).sort().map((f) => `shims/${f}`)];
	const fingerprint = JSON.stringify({ engine: p.version, deno: fs.readFileSync(p.stamp, 'utf8'), harness: harness.map((f) => sha(fs.readFileSync(path.join(nodeRuntimeDir, f)))) });
	if (fs.existsSync(p.nodeRuntimeStamp) && fs.readFileSync(p.nodeRuntimeStamp, 'utf8') === fingerprint) return;
	execFileSync(process.execPath, [path.join(nodeRuntimeDir, 'build.js'), p.engineDir, p.denoDir], { stdio: 'inherit' });
	fs.writeFileSync(p.nodeRuntimeStamp, fingerprint);
}

/** `spec`: an engine version, or `<version>-node` for that engine on the Node-runtime harness (paths.js). */
function prepare(spec) {
	const { version, runtime } = parseEngineSpec(spec);
	const p = prepareDeno(version);
	// the Node harness bundles the runtime with the npm packages the Deno step cached
	if (runtime === 'node') prepareNodeRuntime(p);
	return p;
}

function prepareDeno(version) {
	const p = enginePaths(version);
	if (!fs.existsSync(p.denoBin)) installMatrix();
	if (!p.builtin) {
		installMatrix();
		copyEngine(p);
	}
	const runtimeDir = path.join(p.engineDir, 'deno-runtime');
	const configPath = path.join(runtimeDir, 'deno.jsonc');
	const shimFiles = fs.readdirSync(shimSrc).sort();
	const denoVersionLine = execFileSync(p.denoBin, ['--version']).toString().split('\n')[0];
	const fingerprint = JSON.stringify({
		engine: version, deno: denoVersionLine, prepare: sha(fs.readFileSync(__filename)),
		shims: shimFiles.map((f) => fs.readFileSync(path.join(shimSrc, f), 'utf8')),
	});
	if (fs.existsSync(p.stamp) && fs.readFileSync(p.stamp, 'utf8') === fingerprint) return p;

	const shimDst = path.join(runtimeDir, '_offline');
	fs.mkdirSync(shimDst, { recursive: true });
	for (const f of shimFiles) fs.copyFileSync(path.join(shimSrc, f), path.join(shimDst, f));

	// The shipped config is kept once as deno.jsonc.orig so that every run patches the original (plain JSON apart
	// from its extension in every engine of the matrix).
	const orig = `${configPath}.orig`;
	if (!fs.existsSync(orig)) fs.copyFileSync(configPath, orig);
	const config = JSON.parse(fs.readFileSync(orig, 'utf8'));
	const locked = lockedNpmVersions(path.join(runtimeDir, 'deno.lock'));
	for (const [k, v] of Object.entries(config.imports)) {
		const m = /^npm:(@?[^@]+)@(.+)$/.exec(String(v));
		if (m && locked[v]) config.imports[k] = `npm:${m[1]}@${locked[v]}`; // a range resolved as the shipped lock did
	}
	Object.assign(config.imports, {
		'https://deno.land/std@0.216.0/io/write_all.ts': './_offline/std-io.ts', // 1.46.0 .. 1.59.0
		'@std/io': './_offline/std-io.ts', // 1.62.0
		'@std/streams': './_offline/std-streams.ts', // 1.62.0
		'@std/cli': './_offline/std-cli-parse-args.ts', // 1.53.1 ..
		'@std/cli/parse-args': './_offline/std-cli-parse-args.ts',
		'@rocket.chat/apps-engine/definition/exceptions/AppsEngineException.ts': './_offline/apps-engine-exception.ts', // 1.62.0
	});
	// the shipped deno.lock pins the remote packages replaced above (and is auto-discovered next to the config)
	config.lock = false;
	// Deno 2 no longer treats the engine's compiled CommonJS (definition/*.js, loaded by lib/require.ts) as CommonJS
	// unless asked to; Deno 1 warns about the flag, so it is set only for Deno 2.
	if (!denoVersionLine.startsWith('deno 1.')) config.unstable = [...new Set([...(config.unstable ?? []), 'detect-cjs'])];
	fs.writeFileSync(configPath, JSON.stringify(config, null, '\t'));

	// `deno cache` silently ignores files under node_modules: go through a symlink outside it, as the engine does.
	const link = fs.mkdtempSync(path.join(os.tmpdir(), 'gab-deno-prep-'));
	try {
		fs.symlinkSync(runtimeDir, path.join(link, 'deno-runtime'), 'dir');
		execFileSync(p.denoBin, ['cache', `--config=${configPath}`, path.join(link, 'deno-runtime', 'main.ts')], {
			stdio: 'inherit',
			env: { ...process.env, DENO_DIR: p.denoDir, DENO_TLS_CA_STORE: 'system', DENO_NO_UPDATE_CHECK: '1' },
		});
	} finally {
		fs.rmSync(link, { recursive: true, force: true });
	}
	fs.writeFileSync(p.stamp, fingerprint);
	console.log(`[prepare] engine ${version} (${denoVersionLine}) ready in ${p.denoDir}`);
	return p;
}

if (require.main === module) {
	const args = process.argv.slice(2);
	const versions = args.includes('--all') ? ENGINES : args.length ? args : [process.env.GAB_ENGINE || parseEngineSpec(undefined).spec];
	for (const v of versions) prepare(v);
}
module.exports = { prepare };
