import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { AppEndpoint } from './AppEndpoint';

/** Liveness for monitoring (and the no-op baseline of `npm run bench`): no bridge calls. */
export class HealthEndpoint extends AppEndpoint {
	public path = 'health';
	protected readonly allowed = ['GET'];

	public async get(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
		return this.success({ ok: true, app: this.app.getName(), version: this.app.getVersion() });
	}
}
