// Bench only (test/bench/media.ts): the engine's own share of moving a file. No conversion, no copy of its own:
// `in` downloads a URL as bytes (encoding: null) and uploads them into a room; `out` reads an upload and POSTs it.
'use strict';
Object.defineProperty(exports, '__esModule', { value: true });
const { App } = require('@rocket.chat/apps-engine/definition/App');
const { ApiEndpoint, ApiSecurity, ApiVisibility } = require('@rocket.chat/apps-engine/definition/api');

class TransportProbeApp extends App {
	async extendConfiguration(configuration) {
		await configuration.api.provideApi({
			visibility: ApiVisibility.PUBLIC,
			security: ApiSecurity.UNSECURE,
			endpoints: [new Inbound(this), new Outbound(this)],
		});
	}
}
exports.TransportProbeApp = TransportProbeApp;

class Inbound extends ApiEndpoint {
	constructor(app) {
		super(app);
		this.path = 'in';
	}
	async post(request, endpoint, read, modify, http) {
		const res = await http.get(request.content.url, { encoding: null });
		const room = await read.getRoomReader().getById(request.content.roomId);
		const size = res.content.length;
		const upload = await modify.getCreator().getUploadCreator().uploadBuffer(res.content, { filename: request.content.name, room });
		return { status: 200, content: { id: upload.id, size } };
	}
}

class Outbound extends ApiEndpoint {
	constructor(app) {
		super(app);
		this.path = 'out';
	}
	async post(request, endpoint, read, modify, http) {
		const bytes = await read.getUploadReader().getBufferById(request.content.fileId);
		const res = await http.post(request.content.url, { content: bytes, headers: { 'Content-Type': 'application/octet-stream' } });
		return { status: 200, content: { status: res.statusCode, size: bytes.length } };
	}
}
