#!/usr/bin/env node
// `npm run package`: builds dist/<nameSlug>_<version>.zip with `rc-apps package`.
// rc-apps 1.9 compiles and zips *every* file below the app folder (tests, lock file, README...), so the
// app's own files are staged in a temporary folder first and packaged from there.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '..');
const appFiles = ['app.json', 'package.json', 'tsconfig.json', 'GreenApiBridgeApp.ts', 'icon.png', 'src', 'i18n'];
// The packager cannot import JSON: give the staged app its i18n catalogs as a TypeScript literal.
function inlineCatalogs(dir) {
	const catalogs = {};
	for (const f of fs.readdirSync(path.join(dir, 'i18n')).filter((n) => n.endsWith('.json')).sort()) {
		catalogs[f.replace(/\.json$/, '')] = JSON.parse(fs.readFileSync(path.join(dir, 'i18n', f), 'utf8'));
	}
	const body = `export const catalogs: Record<string, Record<string, string>> = ${JSON.stringify(catalogs)};\n`;
	fs.writeFileSync(path.join(dir, 'src', 'i18n', 'catalog.ts'), body);
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'gab-package-'));
try {
	for (const f of appFiles) fs.cpSync(path.join(root, f), path.join(stage, f), { recursive: true });
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
	inlineCatalogs(stage);
	execFileSync(path.join(root, 'node_modules', '.bin', 'rc-apps'), ['package'], { cwd: stage, stdio: 'inherit' });
	const built = fs.readdirSync(path.join(stage, 'dist')).filter((f) => f.endsWith('.zip'));
	if (built.length !== 1) throw new Error(`rc-apps produced ${built.length} zips`);
	fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
	fs.copyFileSync(path.join(stage, 'dist', built[0]), path.join(root, 'dist', built[0]));
	console.log(`[package] dist/${built[0]}`);
} finally {
	fs.rmSync(stage, { recursive: true, force: true });
}
