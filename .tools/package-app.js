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

// Test builds: `--with-provider <file.ts> --out <dir>` stages an extra provider adapter (a class exported
// under the file's base name, importing the app as `../../../src/…`) into src/providers/ and registers it
// after the shipped ones. The uploadable zip never carries one.
function addProvider(dir, file) {
	const name = path.basename(file, '.ts');
	const source = fs.readFileSync(path.resolve(root, file), 'utf8').replace(/(['"])\.\.\/\.\.\/\.\.\/src\//g, '$1../../');
	fs.mkdirSync(path.join(dir, 'src', 'providers', 'extra'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'src', 'providers', 'extra', `${name}.ts`), source);
	const list = path.join(dir, 'src', 'providers', 'available.ts');
	const marker = '// (test builds append providers here: .tools/package-app.js --with-provider)';
	const text = fs.readFileSync(list, 'utf8');
	if (!text.includes(marker)) throw new Error(`${list} has no marker for extra providers`);
	fs.writeFileSync(list, `import { ${name} } from './extra/${name}';\n${text.replace(marker, `new ${name}(),`)}`);
}

// The permission names the packaging compiler accepts come from a newer engine than the one the app is built with
// (see permission-names.js): the newest Apps-Engine with server/ on npm, which the repository already installs as
// the test runtime's engine (test/runtime/package.json). The zip's requiredApiVersion stays app.json's.
const PERMISSION_NAMES_ENGINE = '1.62.0';
function permissionNamesEngine() {
	const dir = path.dirname(require.resolve('@rocket.chat/apps-engine/package.json', { paths: [path.join(root, 'test', 'runtime')] }));
	const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
	if (version !== PERMISSION_NAMES_ENGINE) throw new Error(`permission names: expected @rocket.chat/apps-engine ${PERMISSION_NAMES_ENGINE} in test/runtime, found ${version} (npm ci)`);
	return dir;
}

function option(name) {
	const i = process.argv.indexOf(name);
	return i > 0 ? process.argv[i + 1] : undefined;
}

const extraProvider = option('--with-provider');
const outDir = path.join(root, option('--out') || 'dist');
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'gab-package-'));
try {
	for (const f of appFiles) fs.cpSync(path.join(root, f), path.join(stage, f), { recursive: true });
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
	inlineCatalogs(stage);
	if (extraProvider) addProvider(stage, extraProvider);
	const rcApps = path.join(root, 'node_modules', '@rocket.chat', 'apps-cli', 'bin', 'run');
	execFileSync(process.execPath, ['-r', path.join(__dirname, 'permission-names.js'), rcApps, 'package'], {
		cwd: stage, stdio: 'inherit', env: { ...process.env, GAB_PERMISSION_NAMES_FROM: permissionNamesEngine() },
	});
	const built = fs.readdirSync(path.join(stage, 'dist')).filter((f) => f.endsWith('.zip'));
	if (built.length !== 1) throw new Error(`rc-apps produced ${built.length} zips`);
	fs.mkdirSync(outDir, { recursive: true });
	fs.copyFileSync(path.join(stage, 'dist', built[0]), path.join(outDir, built[0]));
	console.log(`[package] ${path.relative(root, path.join(outDir, built[0]))}`);
} finally {
	fs.rmSync(stage, { recursive: true, force: true });
}
