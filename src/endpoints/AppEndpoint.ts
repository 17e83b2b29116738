import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { ApiEndpoint, IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';

/**
 * Every HTTP method gets an answer: the engine answers 500 for a method an endpoint has no handler for,
 * so each method the endpoint does not serve answers 405 with the methods it does (`Allow`).
 */
export abstract class AppEndpoint extends ApiEndpoint {
	/** The methods this endpoint serves (overridden handlers). */
	protected abstract readonly allowed: string[];

	public async get(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
		return this.notAllowed();
	}

	public async post(_r: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
		return this.notAllowed();
	}

	public async put(): Promise<IApiResponse> {
		return this.notAllowed();
	}

	public async delete(): Promise<IApiResponse> {
		return this.notAllowed();
	}

	public async patch(): Promise<IApiResponse> {
		return this.notAllowed();
	}

	public async head(): Promise<IApiResponse> {
		return this.notAllowed();
	}

	public async options(): Promise<IApiResponse> {
		return this.notAllowed();
	}

	protected notAllowed(): IApiResponse {
		return { status: 405, headers: { Allow: this.allowed.join(', ') }, content: { ok: false, error: 'method not allowed' } };
	}
}
