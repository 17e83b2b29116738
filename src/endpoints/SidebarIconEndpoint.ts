import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IApiEndpointInfo, IApiRequest, IApiResponse } from '@rocket.chat/apps-engine/definition/api';
import { HttpStatusCode } from '@rocket.chat/apps-engine/definition/accessors';
import { ROOM_ICON, ROOM_ICON_SVG } from '../rocketchat/roomIcon';
import { AppEndpoint } from './AppEndpoint';

/**
 * Rocket.Chat fetches the icon of app-sourced Omnichannel rooms (room.source.sidebarIcon) from the
 * app's public endpoint `get-sidebar-icon?icon=<name>`, as SVG text.
 */
export class SidebarIconEndpoint extends AppEndpoint {
	public path = 'get-sidebar-icon';
	protected readonly allowed = ['GET'];

	public async get(request: IApiRequest, _e: IApiEndpointInfo, _read: IRead, _m: IModify, _h: IHttp, _p: IPersistence): Promise<IApiResponse> {
		if ((request.query || {}).icon !== ROOM_ICON) return { status: HttpStatusCode.NOT_FOUND };
		return { status: HttpStatusCode.OK, headers: { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }, content: ROOM_ICON_SVG };
	}
}
