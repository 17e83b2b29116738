#!/usr/bin/env node
// `npm start`, first step: rebuild dist/<zip> (`npm run package`) only when an app file is newer than it, then
// prepare the engine's Deno runtime (idempotent, offline).
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '../..');
const zip = path.join(root, 'dist', 'green-api-whatsapp-bridge_0.1.0.zip');
// What .tools/package-app.js puts into the zip.
const appFiles = ['app.json', 'package.json', 'tsconfig.json', 'GreenApiBridgeApp.ts', 'icon.png', 'src', 'i18n'];

function newestMtime(p) {
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	return fs.readdirSync(p).reduce((max, f) => Math.max(max, newestMtime(path.join(p, f))), st.mtimeMs);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const built = fs.existsSync(zip) ? fs.statSync(zip).mtimeMs : 0;
const sources = Math.max(...appFiles.map((f) => newestMtime(path.join(root, f))));
// Build output goes to stderr: stdout carries only the sandbox's one line.
if (sources > built) execFileSync(npm, ['run', 'package'], { cwd: root, stdio: ['ignore', 2, 2] });
else console.error(`[sandbox] ${path.relative(root, zip)} is up to date`);
execFileSync(process.execPath, [path.join(root, 'test', 'runtime', 'prepare.js')], { cwd: root, stdio: ['ignore', 2, 2] });
