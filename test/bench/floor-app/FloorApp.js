'use strict';
// The engine's floor for `npm run bench` (plain CommonJS, as the packager would emit it: the bench zips this
// folder as it is). `greenapi`, `cloud`: the bridge's webhook paths answered with nothing (no bridge call).
// `required`: only what any bridge must do for an inbound text into an open conversation — read the chat's
// record, post the text into its room as the visitor, send the record's write, answer — and, like the
// bridge, an IPostMessageSent check (Rocket.Chat asks every app that listens, for every message).
Object.defineProperty(exports, '__esModule', { value: true });
const { App } = require('@rocket.chat/apps-engine/definition/App');
const { ApiEndpoint, ApiSecurity, ApiVisibility } = require('@rocket.chat/apps-engine/definition/api');
const { RocketChatAssociationModel, RocketChatAssociationRecord } = require('@rocket.chat/apps-engine/definition/metadata');

class Nothing extends ApiEndpoint {
	constructor(app, path) {
		super(app);
		this.path = path;
	}
	async post() {
		return { status: 200, content: { ok: true } };
	}
}

const chatKey = (chatId) => [new RocketChatAssociationRecord(RocketChatAssociationModel.MISC, `floor:${chatId}`)];

class Required extends ApiEndpoint {
	constructor(app) {
		super(app);
		this.path = 'required';
	}
	async post(request, _endpoint, read, modify, _http, persis) {
		const { chatId, text } = request.content;
		const [record] = await read.getPersistenceReader().readByAssociations(chatKey(chatId));
		const builder = modify.getCreator().startLivechatMessage().setRoom({ id: record.roomId, type: 'l' }).setVisitor(record.visitor).setText(text);
		const id = await modify.getCreator().finish(builder);
		// sent before the answer, not awaited, as the bridge writes its contact record: a redelivery of the same
		// message right after the answer must find it
		void persis.updateByAssociations(chatKey(chatId), { ...record, last: id }, true).catch(() => undefined);
		return { status: 200, content: { ok: true } };
	}
}

/**
 * `batch`: a Cloud API webhook body, every text in it handled as `required` does (each customer's in order, all
 * customers at once; a customer's record read and written once per body), answered once all are posted.
 */
class RequiredBatch extends ApiEndpoint {
	constructor(app) {
		super(app);
		this.path = 'batch';
	}
	async post(request, _endpoint, read, modify, _http, persis) {
		const body = typeof request.content === 'string' ? JSON.parse(request.content) : request.content;
		const messages = body.entry.flatMap((e) => e.changes.flatMap((c) => c.value.messages || []));
		const chains = new Map();
		const written = new Map();
		const one = async (m) => {
			const record = written.get(m.from) || (await read.getPersistenceReader().readByAssociations(chatKey(m.from)))[0];
			const builder = modify.getCreator().startLivechatMessage().setRoom({ id: record.roomId, type: 'l' }).setVisitor(record.visitor).setText(`f ${m.text.body}`);
			written.set(m.from, { ...record, last: await modify.getCreator().finish(builder) });
		};
		await Promise.all(messages.map((m) => {
			const next = (chains.get(m.from) || Promise.resolve()).then(() => one(m));
			chains.set(m.from, next);
			return next;
		}));
		for (const [from, record] of written) void persis.updateByAssociations(chatKey(from), record, true).catch(() => undefined);
		return { status: 200, content: { ok: true } };
	}
}

class FloorApp extends App {
	async checkPostMessageSent() {
		return false;
	}
	async executePostMessageSent() {}
	async extendConfiguration(configuration) {
		await configuration.api.provideApi({
			visibility: ApiVisibility.PUBLIC,
			security: ApiSecurity.UNSECURE,
			endpoints: [new Nothing(this, 'greenapi'), new Nothing(this, 'cloud'), new Required(this), new RequiredBatch(this)],
		});
	}
}
exports.FloorApp = FloorApp;
