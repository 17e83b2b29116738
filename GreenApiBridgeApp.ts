import { IAppAccessors, IConfigurationExtend, IEnvironmentRead, IHttp, ILogger, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, ApiSecurity, ApiVisibility, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { App } from '@rocket.chat/apps-engine/definition/App';
import { IAppInfo } from '@rocket.chat/apps-engine/definition/metadata';

class HealthEndpoint extends ApiEndpoint {
	public path = 'health';
	public async get(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
		return this.success({ ok: true });
	}
}

export class GreenApiBridgeApp extends App {
	constructor(info: IAppInfo, logger: ILogger, accessors: IAppAccessors) {
		super(info, logger, accessors);
	}

	protected async extendConfiguration(configuration: IConfigurationExtend, _env: IEnvironmentRead): Promise<void> {
		await configuration.api.provideApi({ visibility: ApiVisibility.PUBLIC, security: ApiSecurity.UNSECURE, endpoints: [new HealthEndpoint(this)] });
	}
}
