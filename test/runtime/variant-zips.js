#!/usr/bin/env node
'use strict';
// Test builds of the app that carry an extra provider (.tools/package-app.js --with-provider ... --out ...), built
// before jest runs (jest's globalSetup: npm test, npm run test:engines, npx jest <paths>) and never inside a test's
// hook: packaging compiles the whole app and takes minutes on a loaded machine, more than any hook timeout.
// A build is skipped when the hash of everything that goes into it equals the one stored next to its zip, so
// repeated runs cost a few file reads. Run directly (`node test/runtime/variant-zips.js`) to build them by hand.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const root = path.resolve(__dirname, '../..');
/** out: where the zip goes (relative to the repository), provider: the extra adapter it carries */
const VARIANTS = [{ name: 'neutral', out: 'dist/test/neutral', provider: 'test/fakes/neutral/NeutralProvider.ts' }];
// What .tools/package-app.js stages into the app (its appFiles), the packager itself and the lock file (the
// packaging compiler's version): a change in any of them changes the zip.
const APP_INPUTS = ['app.json', 'package.json', 'tsconfig.json', 'GreenApiBridgeApp.ts', 'icon.png', 'src', 'i18n', '.tools/package-app.js', 'package-lock.json'];
const HASH_FILE = 'inputs.sha256';

function filesUnder(rel) {
	const abs = path.join(root, rel);
	if (!fs.existsSync(abs)) return [];
	if (!fs.statSync(abs).isDirectory()) return [rel];
	return fs
		.readdirSync(abs)
		.sort()
		.flatMap((n) => filesUnder(path.join(rel, n)));
}

function inputsHash(variant) {
	const h = crypto.createHash('sha256');
	for (const rel of [...APP_INPUTS, variant.provider].flatMap(filesUnder)) {
		h.update(`${rel}\0`);
		h.update(fs.readFileSync(path.join(root, rel)));
		h.update('\0');
	}
	return h.digest('hex');
}

/** The zip of a variant (the one zip in its out folder), or undefined when it has not been built. */
function variantZip(name) {
	const variant = VARIANTS.find((v) => v.name === name);
	if (!variant) throw new Error(`no test build variant named ${name} (${VARIANTS.map((v) => v.name).join(', ')})`);
	const dir = path.join(root, variant.out);
	const zips = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.zip')) : [];
	return zips.length === 1 ? path.join(dir, zips[0]) : undefined;
}

/** Builds every variant whose inputs changed since its zip was built; returns the names it built. */
function ensureVariantZips(log = (line) => process.stderr.write(`${line}\n`)) {
	const built = [];
	for (const variant of VARIANTS) {
		const dir = path.join(root, variant.out);
		const hashFile = path.join(dir, HASH_FILE);
		const hash = inputsHash(variant);
		if (variantZip(variant.name) && fs.existsSync(hashFile) && fs.readFileSync(hashFile, 'utf8').trim() === hash) continue;
		const started = Date.now();
		fs.rmSync(dir, { recursive: true, force: true });
		execFileSync(process.execPath, [path.join(root, '.tools/package-app.js'), '--with-provider', variant.provider, '--out', variant.out], { cwd: root, stdio: 'pipe' });
		if (!variantZip(variant.name)) throw new Error(`packaging the ${variant.name} test build left no zip in ${variant.out}`);
		fs.writeFileSync(hashFile, `${hash}\n`);
		log(`[variant-zips] built ${variant.out} (${Math.round((Date.now() - started) / 1000)} s)`);
		built.push(variant.name);
	}
	return built;
}

module.exports = { VARIANTS, ensureVariantZips, inputsHash, variantZip };

if (require.main === module) ensureVariantZips();
