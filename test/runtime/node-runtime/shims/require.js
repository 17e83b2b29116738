// Node counterpart of deno-runtime/lib/require.ts: the runtime's own loader for the engine's compiled definitions
// (`@rocket.chat/apps-engine/definition/*.js`) and Node modules. The bundle lives in <engine>/.node-runtime/, so the
// engine is its parent folder; Node's require cache then gives the app and the runtime the same definition classes.
import { createRequire } from 'node:module';
import * as path from 'node:path';

const engineDir = path.resolve(__dirname, '..');
const nodeRequire = createRequire(path.join(engineDir, 'package.json'));
const PREFIX = '@rocket.chat/apps-engine/';

export const require = (mod) => {
	if (mod.startsWith(PREFIX)) return nodeRequire(path.join(engineDir, mod.slice(PREFIX.length).replace(/^src\//, '')));
	return nodeRequire(mod.replace(/^npm:/, ''));
};
