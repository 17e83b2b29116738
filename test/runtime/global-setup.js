'use strict';
// jest's globalSetup: heavy set-up that every run needs, done once before any test file starts (no hook timeout
// applies here). Today: the test builds of the app with an extra provider (./variant-zips.js, cached by input hash).
const { ensureVariantZips } = require('./variant-zips');

module.exports = async function globalSetup() {
	ensureVariantZips();
};
