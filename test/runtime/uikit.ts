// Rocket.Chat's side of UIKit and of REST authentication, as far as the app uses them:
// - POST /api/apps/ui.interaction/:appId (apps/meteor/ee/server/apps/communication/uikit.ts, `appsRoutes`):
//   the client's interaction body becomes the action handed to the engine's IUIKitInteractionHandler listener;
// - the UiInteractionBridge (apps/meteor/app/apps/server/bridges/uiInteraction.ts): an app's openModalView etc.
//   is broadcast to that one user (`notify.uiInteraction`);
// - authenticationMiddleware (apps/meteor/app/api/server/middlewares/authentication.ts), used by the apps router
//   (apps/meteor/app/apps/server/bridges/api.ts) with `rejectUnauthorized: !!endpoint.authRequired`.
import { randomBytes } from 'crypto';
import { UiInteractionBridge } from '@rocket.chat/apps-engine/server/bridges/UiInteractionBridge';
import { RcState, StoredUser } from './state';

/** What the client posts to /api/apps/ui.interaction/<appId>. */
export interface UiInteractionBody {
	type: 'blockAction' | 'viewSubmit' | 'viewClosed' | 'actionButton' | string;
	actionId?: string;
	triggerId?: string;
	/** room id (block actions, action buttons) */
	rid?: string;
	/** message id (message block actions, message action buttons) */
	mid?: string;
	payload?: any;
	container?: { type: 'message' | 'view'; id: string };
}

/** RC's `appsRoutes`: the action object per type (room/user/message converted), or RC's 400 for other types. */
export function uiKitAction(rc: RcState, appId: string, body: UiInteractionBody, user: StoredUser): { ok: true; action: any } | { ok: false; status: 400; error: string } {
	const room = () => rc.toAppRoom(rc.room(body.rid));
	const message = () => (body.mid ? rc.toAppMessage(rc.message(body.mid)) : undefined);
	const u = rc.toAppUser(user);
	switch (body.type) {
		case 'blockAction':
			return { ok: true, action: { type: body.type, container: body.container, appId, actionId: body.actionId, message: message(), triggerId: body.triggerId, payload: body.payload, user: u, visitor: undefined, room: room() } };
		case 'viewClosed':
			return { ok: true, action: { type: body.type, appId, actionId: body.actionId, user: u, payload: { view: body.payload?.view, isCleared: body.payload?.isCleared } } };
		case 'viewSubmit':
			// No room: a modal's submission carries only the view (with its state).
			return { ok: true, action: { type: body.type, appId, actionId: body.actionId, triggerId: body.triggerId, payload: body.payload, user: u } };
		case 'actionButton':
			return { ok: true, action: { type: body.type, appId, actionId: body.actionId, triggerId: body.triggerId, user: u, room: room(), message: message(), payload: { context: body.payload?.context } } };
		default:
			return { ok: false, status: 400, error: 'Unknown action' };
	}
}

/** RC's authenticationMiddleware: the user whose id and login token the headers carry, else none. */
export function authenticatedUser(rc: RcState, headers: Record<string, string>): StoredUser | undefined {
	const userId = headers['x-user-id'];
	const token = headers['x-auth-token'];
	if (!userId || !token) return undefined;
	const user = rc.user(userId);
	return user && rc.loginTokens.get(token) === user.id && user.active ? user : undefined;
}

/**
 * The apps router's middleware (`authenticationMiddleware({ rejectUnauthorized: !!endpoint.authRequired })`):
 * the user is passed to the endpoint whenever the headers authenticate one; only an endpoint that requires
 * it answers RC's 401 without one.
 */
export function restCaller(rc: RcState, authRequired: boolean | undefined, headers: Record<string, string>): { ok: true; user?: StoredUser } | { ok: false; status: 401; content: object } {
	const user = authenticatedUser(rc, headers);
	if (authRequired && !user) return { ok: false, status: 401, content: { status: 'error', message: 'You must be logged in to do this.' } };
	return { ok: true, user };
}

/** A login token for `user` (what /api/v1/login hands out). */
export function issueLoginToken(rc: RcState, user: StoredUser): string {
	const token = randomBytes(24).toString('base64url');
	rc.loginTokens.set(token, user.id);
	return token;
}

/** openModalView / updateModalView / setViewError … of an app: for that user's client only. */
export class TestUiInteractionBridge extends UiInteractionBridge {
	constructor(private readonly rc: RcState) {
		super();
	}
	protected async notifyUser(user: any, interaction: any, appId: string): Promise<void> {
		if (!appId || appId !== this.rc.appId) throw new Error('Invalid app provided');
		this.rc.uiInteractions.push({ userId: user?.id, interaction: JSON.parse(JSON.stringify(interaction)), at: this.rc.now() });
		this.rc.effect('ui.interaction', { userId: user?.id, type: interaction?.type });
	}
}
