import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import { InboundService } from '../core/InboundService';
import { Log } from '../core/log';
import { StateService } from '../core/StateService';
import { WhatsAppProvider } from '../providers/Provider';
import { errorText } from '../rocketchat/Omnichannel';
import { InstanceStore } from '../store/InstanceStore';
import { Store } from '../store/Store';

/**
 * The provider's webhook: authenticate, then hand the event to the core, and answer 200 only once it is
 * in Rocket.Chat or durably parked. Any failure before that answers 500 so the provider redelivers.
 */
export class WebhookEndpoint extends ApiEndpoint {
	constructor(app: IApp, public readonly path: string, private readonly provider: WhatsAppProvider) {
		super(app);
	}

	public async post(request: IApiRequest, _endpoint: IApiEndpointInfo, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<IApiResponse> {
		const log = new Log(this.app.getLogger());
		const req = { headers: request.headers || {}, query: request.query || {}, content: request.content };
		const instanceId = this.provider.webhookInstanceId(req);
		const store = new Store(read.getPersistenceReader(), persis);
		const instance = instanceId ? await new InstanceStore(store).get(instanceId) : undefined;
		// Unknown instance and wrong token look the same from outside.
		if (!instance || !this.provider.verifyWebhook(req, instance)) {
			log.info(`webhook refused: ${instance ? 'wrong token' : 'unknown instance'} ${String(instanceId || '?').slice(0, 20)}`);
			return { status: HttpStatusCode.UNAUTHORIZED, content: { ok: false } };
		}
		const event = this.provider.parseWebhook(request.content);
		const accessors = { read, modify, http, persis, log };
		log.debug(`webhook ${instance.id}: ${event.type}${event.type === 'ignored' ? ` (${event.reason})` : ''}`);
		try {
			switch (event.type) {
				case 'message':
					return this.ok(await new InboundService(this.provider, accessors).receive(instance, event));
				case 'business-message':
					return this.ok(await new InboundService(this.provider, accessors).businessMessage(instance, event));
				case 'status':
					await new InboundService(this.provider, accessors).statuses(instance, event.chatId, [event]);
					return this.ok('status');
				case 'state':
					await new StateService(accessors).record(instance, event.state, event.timestamp);
					return this.ok('state');
				default:
					return this.ok('ignored');
			}
		} catch (e) {
			log.error(`webhook ${instance.id}: ${errorText(e)}`);
			return { status: HttpStatusCode.INTERNAL_SERVER_ERROR, content: { ok: false } };
		}
	}

	private ok(outcome: string): IApiResponse {
		return this.json({ status: HttpStatusCode.OK, content: { ok: true, outcome } });
	}
}
