// `app:construct` as Rocket.Chat's Node runtime runs it (packages/apps/base-runtime/src/handlers/app/construct.ts with
// the Node adapter's setSandboxRequire / setSandboxGlobals({}), packages/apps/node-runtime/src/lib/require.ts),
// around the 1.62 engine's own registry and accessors:
// - the app's `require` is the prefix allow-list of ./sandbox-require.js, returning Node's own modules (a real
//   Buffer, node:crypto, ...);
// - the code runs with `globalThis` shadowed to undefined and no other extra binding: Buffer, process, setTimeout
//   are Node's globals, and there is no `Deno`;
// - console.log / info / debug go to the process's stdout, which is also the frame channel to the host.
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { makeSandboxRequire } from './sandbox-require.js';
import { AppObjectRegistry } from 'gab-runtime:/AppObjectRegistry.ts';
import { AppAccessorsInstance } from 'gab-runtime:/lib/accessors/mod.ts';
import { sanitizeDeprecatedUsage } from 'gab-runtime:/lib/sanitizeDeprecatedUsage.ts';

// Node's require as seen from the engine's folder (the bundle runs from <engine>/.node-runtime)
const sandboxRequire = makeSandboxRequire(createRequire(path.join(path.resolve(__dirname, '..'), 'package.json')));

function evaluate(code) {
	const appConsole = {
		log: console.log.bind(console),
		error: console.error.bind(console),
		debug: console.debug.bind(console),
		info: console.info.bind(console),
		warn: console.warn.bind(console),
	};
	const module = { exports: {} };
	const run = new Function('exports', 'module', 'require', 'console', 'globalThis', `return (async () => {\n${code};\n})();`);
	return run(module.exports, module, sandboxRequire, appConsole, undefined).then(() => module.exports);
}

export default async function handleConstructApp(request) {
	const { params } = request;
	if (!Array.isArray(params)) throw new Error('Invalid params', { cause: 'invalid_param_type' });
	const [appPackage] = params;
	if (!appPackage?.info?.id || !appPackage?.info?.classFile || !appPackage?.files) throw new Error('Invalid params', { cause: 'invalid_param_type' });

	AppObjectRegistry.set('id', appPackage.info.id);
	const exports = await evaluate(sanitizeDeprecatedUsage(appPackage.files[appPackage.info.classFile]));
	// the main class is the first export of the class file (the engine's compiler and runtimes all assume so)
	const AppClass = Object.values(exports)[0];
	const app = new AppClass(appPackage.info, request.context.logger, AppAccessorsInstance.getDefaultAppAccessors());
	for (const method of ['getName', 'getNameSlug', 'getVersion', 'getID', 'getDescription', 'getRequiredApiVersion']) {
		if (typeof app[method] !== 'function') throw new Error(`App must contain a ${method} function`);
	}
	AppObjectRegistry.set('app', app);
	return true;
}
