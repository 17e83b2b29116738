import { HttpStatusCode, IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { coreDeps } from '../compose';
import { errorText } from '../core/failures';
import { Log } from '../core/log';
import { ProviderDirectory, WebhookRequest, WhatsAppProvider } from '../core/ports/provider';
import { WebhookIntake } from '../core/WebhookIntake';
import { withLog } from '../rocketchat/appLog';
import { Accessors } from '../rocketchat/RocketChatAdapter';
import { AppEndpoint } from './AppEndpoint';

/**
 * One provider's webhook: authenticate once, then every event of the body through the same core calls;
 * 200 only once every event is in Rocket.Chat, durably parked, a duplicate or ignored. Any failure
 * before that answers 500 so the provider redelivers.
 */
export class WebhookEndpoint extends AppEndpoint {
	public readonly path: string;
	protected readonly allowed: string[];

	constructor(app: IApp, private readonly provider: WhatsAppProvider, private readonly providers: ProviderDirectory) {
		super(app);
		this.path = provider.webhook.path;
		this.allowed = provider.webhook.handshake ? ['GET', 'POST'] : ['POST'];
	}

	public async post(request: IApiRequest, _endpoint: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
		return withLog(this.app, (log) => this.receive(request, { read, modify, http, persis }, log));
	}

	private async receive(request: IApiRequest, accessors: Accessors, log: Log): Promise<IApiResponse> {
		const req = webhookRequest(request, 'POST');
		const deps = coreDeps(accessors, this.providers, log);
		const auth = await this.provider.webhook.authenticate(req, deps.instances);
		if (!auth.ok) {
			log.info(`webhook refused: ${auth.reason}`);
			return { status: HttpStatusCode.UNAUTHORIZED, content: { ok: false } };
		}
		const events = this.provider.webhook.parse(req, auth.instances);
		const ids = auth.instances.map((i) => i.id).join(',');
		log.debug(`webhook ${ids}: ${events.map((e) => e.type).join(', ')}`);
		// What an authentic body carried that changes nothing, said once per reason (a batch of a hundred
		// odd statuses is one line).
		const ignored = new Map<string, number>();
		for (const e of events) if (e.type === 'ignored') ignored.set(e.reason, (ignored.get(e.reason) ?? 0) + 1);
		if (ignored.size) log.info(`webhook ${ids}: ignored ${[...ignored].map(([reason, n]) => (n > 1 ? `${n}× ${reason}` : reason)).join('; ')}`);
		try {
			const outcomes = await new WebhookIntake(deps).handle(auth.instances, events);
			return this.json({ status: HttpStatusCode.OK, content: { ok: true, outcome: outcomes.length === 1 ? outcomes[0] : 'batch', outcomes } });
		} catch (e) {
			log.error(`webhook ${auth.instances.map((i) => i.id).join(',')}: ${errorText(e)}`);
			return { status: HttpStatusCode.INTERNAL_SERVER_ERROR, content: { ok: false } };
		}
	}

	/** The GET verification handshake where the provider has one. */
	public async get(request: IApiRequest, _endpoint: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
		if (!this.provider.webhook.handshake) return this.notAllowed();
		const deps = coreDeps({ read, modify, http, persis }, this.providers);
		const reply = await this.provider.webhook.handshake(webhookRequest(request, 'GET'), deps.instances);
		return { status: reply.status, headers: { 'Content-Type': 'text/plain' }, content: reply.text ?? '' };
	}
}

function webhookRequest(request: IApiRequest, method: string): WebhookRequest {
	return { method, headers: request.headers || {}, query: stringQuery(request.query), content: request.content };
}

/**
 * Rocket.Chat parses the query with Express's parser: a repeated key (`?instance=1&instance=2`) or brackets
 * (`?secret[x]=1`) give arrays and objects. Only plain string values are read; anything else is ignored.
 */
function stringQuery(query: unknown): Record<string, string> {
	const out: Record<string, string> = Object.create(null);
	if (!query || typeof query !== 'object') return out;
	for (const [key, value] of Object.entries(query)) if (typeof value === 'string') out[key] = value;
	return out;
}
