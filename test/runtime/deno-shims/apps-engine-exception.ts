// The import map sends @rocket.chat/apps-engine/ to ../src/, which the npm tarball lacks; this one value
// import is served from the compiled definition the package does ship.
import { require } from '../lib/require.ts';

const mod = require('@rocket.chat/apps-engine/definition/exceptions/AppsEngineException.js');
export const AppsEngineException = mod.AppsEngineException;
