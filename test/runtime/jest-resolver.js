'use strict';
// jest resolver: the test runtime's imports of @rocket.chat/apps-engine go to the engine GAB_ENGINE selects
// (see paths.js engineRequest); everything else resolves as usual.
const { engineRequest } = require('./paths');

module.exports = (request, options) => {
	const mapped = engineRequest(request, options.basedir);
	return options.defaultResolver(mapped ?? request, options);
};
