// Contract tests of the runtime's UIKit and REST-auth rules (test/runtime/uikit.ts), each copying Rocket.Chat:
// called directly, no engine.
import { TestBridges } from './bridges';
import { addRoom } from './bridges/rooms';
import { addUser } from './bridges/users';
import { insertMessage, userSender } from './bridges/messages';
import { RcState } from './state';
import { authenticatedUser, issueLoginToken, restCaller, uiKitAction } from './uikit';

const APP = 'app-1';
function world() {
	const rc = new RcState();
	Object.assign(rc, { appId: APP });
	const user = addUser(rc, { username: 'agent', roles: ['user', 'livechat-agent'], status: 'online' });
	const room = addRoom(rc, { name: 'support', type: 'c', memberIds: [user.id], creatorId: user.id });
	const message = insertMessage(rc, { rid: room.id, text: 'note', sender: userSender(user), origin: 'harness' });
	return { rc, user, room, message, bridges: new TestBridges(rc) };
}

describe('POST /api/apps/ui.interaction/:appId (RC ee/server/apps/communication/uikit.ts, appsRoutes)', () => {
	it('a block action carries the converted room, user and message, the container and the payload', () => {
		const { rc, user, room, message } = world();
		const built = uiKitAction(rc, APP, { type: 'blockAction', actionId: 'a1', triggerId: 't1', rid: room.id, mid: message.id, container: { type: 'message', id: message.id }, payload: { blockId: 'b1', value: 'v' } }, user);
		expect(built.ok).toBe(true);
		const action = (built as { action: any }).action;
		expect(action).toMatchObject({ type: 'blockAction', appId: APP, actionId: 'a1', triggerId: 't1', container: { type: 'message', id: message.id }, payload: { blockId: 'b1', value: 'v' } });
		expect(action.room).toMatchObject({ id: room.id, type: 'c' });
		expect(action.user).toMatchObject({ id: user.id, username: 'agent' });
		expect(action.message).toMatchObject({ id: message.id, text: 'note' });
	});

	it('a view submission carries only the view and the user: no room', () => {
		const { rc, user, room } = world();
		const built = uiKitAction(rc, APP, { type: 'viewSubmit', triggerId: 't2', rid: room.id, payload: { view: { id: 'v1', state: { b: { a: 'x' } } } } }, user) as { action: any };
		expect(built.action).toEqual({ type: 'viewSubmit', appId: APP, actionId: undefined, triggerId: 't2', payload: { view: { id: 'v1', state: { b: { a: 'x' } } } }, user: expect.objectContaining({ id: user.id }) });
		expect(built.action.room).toBeUndefined();
	});

	it('an action button carries the room and only the button context of the payload', () => {
		const { rc, user, room } = world();
		const built = uiKitAction(rc, APP, { type: 'actionButton', actionId: 'b', triggerId: 't3', rid: room.id, payload: { context: 'roomAction', extra: 1 } }, user) as { action: any };
		expect(built.action).toMatchObject({ type: 'actionButton', actionId: 'b', room: { id: room.id }, payload: { context: 'roomAction' } });
		expect(built.action.payload).toEqual({ context: 'roomAction' });
	});

	it('answers any other type with 400 "Unknown action"', () => {
		const { rc, user } = world();
		expect(uiKitAction(rc, APP, { type: 'somethingElse' }, user)).toEqual({ ok: false, status: 400, error: 'Unknown action' });
	});
});

describe('UiInteractionBridge (RC app/apps/server/bridges/uiInteraction.ts)', () => {
	it('sends an app\'s interaction to that one user, and refuses an unknown app', async () => {
		const { rc, user, bridges } = world();
		const bridge = bridges.getUiInteractionBridge();
		await bridge.doNotifyUser(rc.toAppUser(user), { type: 'modal.open', triggerId: 't', appId: APP, view: { id: 'v' } } as never, APP);
		expect(rc.uiInteractions).toEqual([{ userId: user.id, interaction: { type: 'modal.open', triggerId: 't', appId: APP, view: { id: 'v' } }, at: expect.any(Date) }]);
		await expect(bridge.doNotifyUser(rc.toAppUser(user), { type: 'modal.open' } as never, 'other-app')).rejects.toThrow('Invalid app provided');
	});
});

describe('authenticationMiddleware (RC app/api/server/middlewares/authentication.ts)', () => {
	it('authenticates X-User-Id with a login token of that user only, and not a deactivated user', () => {
		const { rc, user } = world();
		const other = addUser(rc, { username: 'other', roles: ['user'], status: 'online' });
		const token = issueLoginToken(rc, user);
		expect(authenticatedUser(rc, { 'x-user-id': user.id, 'x-auth-token': token })?.id).toBe(user.id);
		expect(authenticatedUser(rc, { 'x-user-id': other.id, 'x-auth-token': token })).toBeUndefined();
		expect(authenticatedUser(rc, { 'x-user-id': user.id, 'x-auth-token': `${token}x` })).toBeUndefined();
		expect(authenticatedUser(rc, { 'x-user-id': user.id })).toBeUndefined();
		user.active = false;
		expect(authenticatedUser(rc, { 'x-user-id': user.id, 'x-auth-token': token })).toBeUndefined();
	});

	it('the apps router passes the authenticated user to any endpoint, and answers 401 only where the endpoint requires a user', () => {
		const { rc, user } = world();
		const headers = { 'x-user-id': user.id, 'x-auth-token': issueLoginToken(rc, user) };
		expect(restCaller(rc, false, headers)).toEqual({ ok: true, user });
		expect(restCaller(rc, false, {})).toEqual({ ok: true, user: undefined });
		expect(restCaller(rc, true, headers)).toEqual({ ok: true, user });
		expect(restCaller(rc, true, {})).toEqual({ ok: false, status: 401, content: { status: 'error', message: 'You must be logged in to do this.' } });
	});
});
