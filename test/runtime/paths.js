'use strict';
// Where the test runtime's engine (1.62.0) and Deno binary live, resolved from this nested package.
const path = require('path');

function enginePaths() {
	const engineDir = path.dirname(require.resolve('@rocket.chat/apps-engine/package.json', { paths: [__dirname] }));
	const denoPkg = path.dirname(require.resolve('@deno/linux-x64-glibc/package.json', { paths: [__dirname] }));
	return { engineDir, denoBin: path.join(denoPkg, 'deno'), denoBinDir: denoPkg };
}

module.exports = { enginePaths };
