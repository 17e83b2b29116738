'use strict';
// Lets plain `node` load the TypeScript test runtime (for `npm run bench`) without another dependency:
// transpile-only, as ts-jest does with isolatedModules.
const fs = require('fs');
const ts = require('typescript');

require.extensions['.ts'] = function compileTs(module, filename) {
	const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
		fileName: filename,
		compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true, experimentalDecorators: true },
	});
	module._compile(outputText, filename);
};

// The test runtime's imports of @rocket.chat/apps-engine go to the engine GAB_ENGINE selects (as jest-resolver.js
// does under jest).
const Module = require('module');
const path = require('path');
const { engineRequest } = require('./paths');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveEngine(request, parent, ...rest) {
	const mapped = parent?.filename ? engineRequest(request, path.dirname(parent.filename)) : undefined;
	return resolveFilename.call(this, mapped ?? request, parent, ...rest);
};
