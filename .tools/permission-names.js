// Preloaded into `rc-apps package` by package-app.js (node -r). The packaging compiler checks app.json's permission
// names against `@rocket.chat/apps-engine/server/permissions/AppPermissions` as resolved from the app folder
// (@rocket.chat/apps-compiler AppsCompiler.validateAppPermissionsSchema), i.e. against the engine the app is built
// and typechecked with (1.46.0, the oldest it supports), which predates names such as `outbound-communication.provide`.
// Server engines do not check names (1.46.0 stores the granted list as given and compares names in
// AppPermissionManager.hasPermission), so only the compiler needs the newer list: this resolves that one module to
// the engine named by GAB_PERMISSION_NAMES_FROM; everything else (definitions, the typecheck) stays on 1.46.0.
// (Bumping the devDependency instead would also make rc-apps rewrite app.json's requiredApiVersion to that version:
// apps-cli lib/misc/folderDetails.js matchAppsEngineVersion.)
'use strict';
const Module = require('module');
const path = require('path');

const REQUEST = '@rocket.chat/apps-engine/server/permissions/AppPermissions';
const engineDir = process.env.GAB_PERMISSION_NAMES_FROM;
if (!engineDir) throw new Error('permission-names.js: GAB_PERMISSION_NAMES_FROM is not set');
const target = path.join(engineDir, 'server', 'permissions', 'AppPermissions.js');
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveFilename(request, ...rest) {
	return request === REQUEST ? target : resolve.call(this, request, ...rest);
};
