#!/usr/bin/env node
// `npm run test:engines`: the integration and durability suites (and the engine-dependent runtime tests) on several Apps-Engine server runtimes, one engine
// after another (2 cores: never two Deno fleets at once), one JSON line per engine on stdout:
//   {"engine":"1.46.0","runtime":"deno","deno":"1.46.3","passed":61,"failed":0}
//   {"engine":"1.62.0-node","runtime":"node","node":"22.22.3","passed":61,"failed":0}
// Default: the oldest claimed engine, one in the middle, the newest, and the newest on the Node-runtime harness
// (Rocket.Chat 8.8+ runs apps on Node: ./node-runtime); `--all` runs every engine of the matrix and the Node entry;
// explicit specs (1.59.0, 1.62.0-node) run those; `--except=<spec>,...` leaves some out. Names of failing tests go to
// stderr. Exit code 1 if any failed.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');
const { ENGINES, NODE_RUNTIME_ENGINES, NODE_VERSION, DENO_FOR_ENGINE, parseEngineSpec } = require('./paths');
const { prepare } = require('./prepare');

const NODE_ENTRIES = NODE_RUNTIME_ENGINES.map((v) => `${v}-node`);
const DEFAULT_SET = ['1.46.0', '1.55.1', '1.62.0', ...NODE_ENTRIES];
// the integration and durability suites, plus the engine facts and the __proto__ body (issue 11) on every engine
const SUITES = ['test/integration', 'test/durability', 'test/runtime/engine.test.ts', 'test/runtime/proto-key.test.ts'];
const root = path.resolve(__dirname, '../..');

const args = process.argv.slice(2);
// `--except=1.62.0,...`: leave entries out (CI: `npm test` has just run every suite on the default engine)
const except = (args.find((a) => a.startsWith('--except=')) ?? '--except=').slice('--except='.length).split(',').filter(Boolean);
const named = args.filter((a) => !a.startsWith('--'));
const versions = (args.includes('--all') ? [...ENGINES, ...NODE_ENTRIES] : named.length ? named : DEFAULT_SET).filter((v) => !except.includes(v));
for (const v of versions) parseEngineSpec(v, 'deno'); // throws on anything that is not an entry of the matrix

let anyFailed = false;
for (const engine of versions) {
	prepare(engine);
	const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gab-matrix-')), 'results.json');
	const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest', { paths: [root] }), ...SUITES, '--maxWorkers=1', '--json', `--outputFile=${out}`], {
		cwd: root,
		stdio: ['ignore', process.stderr, 'inherit'], // stdout carries only the engine lines
		env: { ...process.env, GAB_ENGINE: engine, GAB_RUNTIME: '' },
	});
	let passed = 0;
	let failed = 0;
	const failures = [];
	if (fs.existsSync(out)) {
		const r = JSON.parse(fs.readFileSync(out, 'utf8'));
		passed = r.numPassedTests;
		failed = r.numFailedTests;
		for (const suite of r.testResults) {
			for (const t of suite.assertionResults) if (t.status === 'failed') failures.push(`${path.relative(root, suite.name)} › ${t.fullName}`);
			// a suite that fails to run has no assertion results: count it as failed
			if (suite.status === 'failed' && !suite.assertionResults.some((t) => t.status === 'failed')) {
				failed++;
				failures.push(`${path.relative(root, suite.name)} (suite did not run: ${String(suite.message).split('\n').find((l) => l.trim()) ?? ''})`);
			}
		}
		fs.rmSync(path.dirname(out), { recursive: true, force: true });
	} else {
		failed = 1;
		failures.push(`jest produced no results (exit ${jest.status}, signal ${jest.signal})`);
	}
	if (failed) anyFailed = true;
	for (const f of failures) process.stderr.write(`[engine ${engine}] FAILED ${f}\n`);
	const { version, runtime } = parseEngineSpec(engine, 'deno');
	const on = runtime === 'node' ? { node: NODE_VERSION } : { deno: DENO_FOR_ENGINE[version] };
	process.stdout.write(`${JSON.stringify({ engine, runtime, ...on, passed, failed })}\n`);
}
process.exit(anyFailed ? 1 : 0);
