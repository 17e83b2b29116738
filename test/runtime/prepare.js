#!/usr/bin/env node
// Prepares the real Apps-Engine 1.62.0 Deno runtime to run offline (no jsr.io): installs small shims for
// its three JSR imports, rewrites its import map, and fills the Deno cache with its npm: imports.
// Idempotent; a no-op when the stamp matches. Run by `npm test` and `npm run bench`.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { enginePaths } = require('./paths');

const { engineDir, denoBin } = enginePaths();
const runtimeDir = path.join(engineDir, 'deno-runtime');
const configPath = path.join(runtimeDir, 'deno.jsonc');
const shimSrc = path.join(__dirname, 'deno-shims');
const shimDst = path.join(runtimeDir, '_offline');
const denoDir = path.join(engineDir, '.deno-cache');
const stamp = path.join(denoDir, '.prepared');

const shimFiles = fs.readdirSync(shimSrc).sort();
const fingerprint = JSON.stringify({
	deno: execFileSync(denoBin, ['--version']).toString().split('\n')[0],
	shims: shimFiles.map((f) => fs.readFileSync(path.join(shimSrc, f), 'utf8')),
});
if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === fingerprint) {
	process.exit(0);
}

fs.mkdirSync(shimDst, { recursive: true });
for (const f of shimFiles) fs.copyFileSync(path.join(shimSrc, f), path.join(shimDst, f));

// deno.jsonc of 1.62.0 is plain JSON apart from its extension.
const config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
Object.assign(config.imports, {
	'@std/io': './_offline/std-io.ts',
	'@std/streams': './_offline/std-streams.ts',
	'@std/cli': './_offline/std-cli-parse-args.ts',
	'@std/cli/parse-args': './_offline/std-cli-parse-args.ts',
	'@rocket.chat/apps-engine/definition/exceptions/AppsEngineException.ts': './_offline/apps-engine-exception.ts',
});
config.lock = false; // the shipped deno.lock pins the JSR packages we replaced
fs.writeFileSync(configPath, JSON.stringify(config, null, '\t'));

// `deno cache` silently ignores files under node_modules: go through a symlink outside it, as the engine does.
const link = fs.mkdtempSync(path.join(require('os').tmpdir(), 'gab-deno-prep-'));
try {
	fs.symlinkSync(runtimeDir, path.join(link, 'deno-runtime'), 'dir');
	execFileSync(denoBin, ['cache', `--config=${configPath}`, path.join(link, 'deno-runtime', 'main.ts')], {
		stdio: 'inherit',
		env: { ...process.env, DENO_DIR: denoDir, DENO_TLS_CA_STORE: 'system', DENO_NO_UPDATE_CHECK: '1' },
	});
} finally {
	fs.rmSync(link, { recursive: true, force: true });
}
fs.writeFileSync(stamp, fingerprint);
console.log(`[prepare] Deno runtime ready in ${denoDir}`);
