// Contract tests of the runtime's UIKit and REST-auth rules (test/runtime/uikit.ts), each copying Rocket.Chat:
// called directly, no engine.
import { TestBridges } from './bridges';
import { addRoom } from './bridges/rooms';
import { addUser } from './bridges/users';
import { insertMessage, userSender } from './bridges/messages';
import { RcState } from './state';
import { authenticatedUser, issueLoginToken, TIMEOUT_TOAST, TRIGGER_TIMEOUT, uiKitAction, UiInteractionBody, WebClient, webClientOf } from './uikit';

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
});

// The web client's rules (RC apps/meteor/app/ui-message/client/ActionManager.ts: generateTriggerId, emitInteraction,
// runWithTimeout, handleServerInteraction; apps/meteor/client/uikit/hooks/useUiKitView.ts: an open modal listens on
// its own view id; apps/meteor/client/views/modal/uikit/UiKitModal.tsx: what a submission carries;
// apps/meteor/client/lib/chats/flows/processSlashCommand.ts: a slash command's triggerId). A fake server and a
// fake clock: no engine, no sleeping.
describe('the web client (RC ActionManager.ts, useUiKitView.ts, UiKitModal.tsx, processSlashCommand.ts)', () => {
	const VIEW = { id: 'view-1', type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [{ type: 'input', blockId: 'b1', element: { type: 'plain_text_input', actionId: 'a1', initialValue: 'first' } }], submit: {} };
	function client(answer: (body: UiInteractionBody, clock: { ms: number }) => any, command?: (triggerId: string, c: WebClient, clock: { ms: number }) => void) {
		const clock = { ms: 0 };
		const posted: UiInteractionBody[] = [];
		const c: WebClient = new WebClient('u1', APP, async (body) => {
			posted.push(body);
			const content = answer(body, clock);
			return { status: 200, content: typeof content === 'object' ? { appId: APP, triggerId: body.triggerId, ...content } : content };
		}, async (_cmd, _args, _room, triggerId) => command?.(triggerId, c, clock), () => clock.ms);
		return { c, clock, posted };
	}
	const open = { success: true, type: 'modal.open', view: VIEW };

	it('opens a modal from an answer; its initial values become the submitted state, grouped by block id', async () => {
		const { c, posted } = client((body) => (body.type === 'actionButton' ? open : { success: true, type: 'modal.update', view: { ...VIEW, blocks: [] } }));
		await c.clickActionButton({ rid: 'r1', actionId: 'x' });
		expect(c.modal?.view.id).toBe('view-1');
		expect(c.state()).toEqual({ b1: { a1: 'first' } });
		c.setValue('b1', 'a1', 'typed');
		await c.submit();
		expect(posted[1]).toMatchObject({ type: 'viewSubmit', payload: { view: { id: 'view-1', state: { b1: { a1: 'typed' } } } } });
		// the update keeps the values the person entered (useUiKitView initialises them from the first view only)
		expect(c.modal?.view.blocks).toEqual([]);
		expect(c.state()).toEqual({ b1: { a1: 'typed' } });
	});

	it('an update naming another view id is dropped and recorded: the open modal stays as it was', async () => {
		const { c } = client((body) => (body.type === 'actionButton' ? open : { success: true, type: 'modal.update', view: { ...VIEW, id: 'view-2', title: { type: 'plain_text', text: 'Other' } } }));
		await c.clickActionButton({ rid: 'r1', actionId: 'x' });
		const answer = await c.submit();
		expect(answer.answer).toBe('modal.update');
		expect(c.modal?.view).toEqual(VIEW);
		expect(c.dropped).toEqual([expect.objectContaining({ reason: 'view-mismatch', type: 'modal.update', viewId: 'view-2', openViewId: 'view-1' })]);
	});

	it('errors go to the view they name; a submission answered with anything but an update or errors closes the modal', async () => {
		let next: any = { success: false, type: 'errors', viewId: 'view-1', errors: { a1: 'bad' } };
		const { c } = client((body) => (body.type === 'actionButton' ? open : next));
		await c.clickActionButton({ rid: 'r1', actionId: 'x' });
		await c.submit();
		expect(c.modal?.errors).toEqual({ a1: 'bad' });
		next = { success: true };
		await c.submit();
		expect(c.modal).toBeUndefined();
	});

	it(`an answer later than ${TRIGGER_TIMEOUT} ms is dropped with the timeout toast, and the submitted view is closed`, async () => {
		const { c } = client((body, clock) => {
			if (body.type === 'actionButton') return open;
			clock.ms += TRIGGER_TIMEOUT + 1;
			return { success: true, type: 'modal.update', view: VIEW };
		});
		await c.clickActionButton({ rid: 'r1', actionId: 'x' });
		const answer = await c.submit();
		expect(answer).toMatchObject({ late: true, answer: 'modal.update' });
		expect(c.toasts).toEqual([TIMEOUT_TOAST]);
		expect(c.modal).toBeUndefined();
		expect(c.dropped).toEqual([expect.objectContaining({ reason: 'expired-trigger', type: 'modal.update' })]);
	});

	it('a late answer to a click opens nothing', async () => {
		const { c } = client((_body, clock) => {
			clock.ms += TRIGGER_TIMEOUT + 1;
			return open;
		});
		await c.clickActionButton({ rid: 'r1', actionId: 'x' });
		expect(c.modal).toBeUndefined();
		expect(c.toasts).toEqual([TIMEOUT_TOAST]);
	});

	it('a slash command\'s triggerId opens a modal only within 5 s, and only once', async () => {
		let delay = 0;
		const { c } = client(() => ({ success: true }), (triggerId, cl, clock) => {
			clock.ms += delay;
			cl.handleServerInteraction({ type: 'modal.open', triggerId, appId: APP, view: VIEW });
			cl.handleServerInteraction({ type: 'modal.open', triggerId, appId: APP, view: { ...VIEW, id: 'again' } });
		});
		await c.slashCommand('whatsapp', ['template'], 'r1');
		expect(c.modal?.view.id).toBe('view-1');
		expect(c.dropped).toEqual([expect.objectContaining({ reason: 'unknown-trigger', viewId: 'again' })]);
		c.modal = undefined;
		delay = TRIGGER_TIMEOUT + 1;
		await c.slashCommand('whatsapp', ['template'], 'r1');
		expect(c.modal).toBeUndefined();
		expect(c.dropped[1]).toMatchObject({ reason: 'expired-trigger', type: 'modal.open' });
	});

	it('an acknowledgement does not use the triggerId up: a push with it still reaches the open modal within 5 s', async () => {
		let trigger = '';
		const { c, clock } = client((body) => {
			if (body.type === 'actionButton') return open;
			trigger = body.triggerId!;
			return { success: true };
		});
		await c.clickActionButton({ rid: 'r1', actionId: 'x' });
		await c.clickViewButton('refresh', 'b2');
		expect(c.modal?.view.id).toBe('view-1'); // a block action's acknowledgement leaves the modal open
		clock.ms += 1000;
		expect(c.handleServerInteraction({ type: 'modal.update', triggerId: trigger, appId: APP, view: { ...VIEW, blocks: [] } })).toBe('modal.update');
		expect(c.modal?.view.blocks).toEqual([]);
		expect(c.handleServerInteraction({ type: 'modal.update', triggerId: 'never-issued', appId: APP, view: VIEW })).toBeUndefined();
		expect(c.dropped).toEqual([expect.objectContaining({ reason: 'unknown-trigger' })]);
	});

	it('the UiInteractionBridge pushes an app\'s interaction to that user\'s open client', async () => {
		const { rc, user, bridges } = world();
		const c = webClientOf(rc, user.id, () => new WebClient(user.id, APP, async () => ({ status: 200, content: { success: true } }), async () => undefined));
		const triggerId = c.generateTriggerId();
		await bridges.getUiInteractionBridge().doNotifyUser(rc.toAppUser(user), { type: 'modal.open', triggerId, appId: APP, view: VIEW } as never, APP);
		expect(c.modal?.view.id).toBe('view-1');
	});
});
