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
		deliverToClient(this.rc, user?.id, JSON.parse(JSON.stringify(interaction)));
	}
}

// ---------------------------------------------------------------------------------------------------------
// The web client's side (what a person sees): Rocket.Chat's ActionManager
// (apps/meteor/app/ui-message/client/ActionManager.ts; apps/meteor/client/lib/ActionManager.ts in later code),
// the modal's own view state (apps/meteor/client/uikit/hooks/useUiKitView.ts, UiKitModal.tsx), the slash
// command flow (apps/meteor/client/lib/chats/flows/processSlashCommand.ts) and the pushed interactions
// (apps/meteor/client/hooks/useAppUiKitInteraction.ts → handleServerInteraction).
// - every interaction gets a fresh triggerId, remembered for TRIGGER_TIMEOUT ms and used at most once:
//   an answer or a pushed interaction with an unknown, used or expired triggerId is ignored;
// - `modal.update` / `errors` are emitted on the view id they name, and an open modal listens only on its
//   own id: an update naming another id changes nothing;
// - an answer later than TRIGGER_TIMEOUT: the toast "UIKit_Interaction_Timeout", the submitted view is closed;
// - after a view submission the modal is closed unless the answer is `errors` or an update.
// What the client drops is recorded (`dropped`), so tests can assert on it.
// Time: the age of a triggerId counts from the moment the harness hands the interaction (or the slash
// command) to the engine until the answer or the push reaches this client — the engine's own request time,
// not the harness's work around it. The app must answer well inside it by design (no provider call between
// the click and the answer), so a busy machine does not turn a fast answer into a late one.

/** ActionManager.TRIGGER_TIMEOUT */
export const TRIGGER_TIMEOUT = 5000;
/** The toast of a late answer (i18n key of Rocket.Chat's client). */
export const TIMEOUT_TOAST = 'UIKit_Interaction_Timeout';

export interface ClientDrop {
	reason: 'unknown-trigger' | 'expired-trigger' | 'view-mismatch';
	type: string;
	/** the view id the interaction named */
	viewId?: string;
	/** the open modal's view id when it was dropped */
	openViewId?: string;
	ageMs?: number;
	interaction: any;
}

export interface OpenModal {
	view: any;
	/** useUiKitView's values: actionId → { blockId, value }; set from the first view only, then by the person */
	values: Record<string, { blockId?: string; value: unknown }>;
	errors?: Record<string, string>;
}

export interface ClientAnswer {
	interaction: string;
	/** the answer's type (`modal.update`, `errors`, …; `success` for a plain acknowledgement) */
	answer: string;
	status: number;
	ms: number;
	late: boolean;
}

type Post = (body: UiInteractionBody) => Promise<{ status: number; content: any }>;
type RunCommand = (command: string, args: string[], roomId: string, triggerId: string) => Promise<void>;

/** extractInitialStateFromLayout: the initial value of every element that has one, under its block. */
function initialValues(blocks: any[] | undefined): OpenModal['values'] {
	const values: OpenModal['values'] = {};
	const take = (blockId: string | undefined, el: any) => {
		if (!el || typeof el.actionId !== 'string') return;
		const value = el.initialValue ?? el.initialOption?.value ?? el.initialDate ?? el.initialTime;
		values[el.actionId] = { blockId, value };
	};
	for (const b of blocks || []) {
		if (b.type === 'input') take(b.blockId, b.element);
		else if (b.type === 'section') take(b.blockId, b.accessory);
		else if (b.type === 'actions') (b.elements || []).forEach((e: any) => take(b.blockId, e));
	}
	return values;
}

/** One user's web client: the open modal, the triggerIds it issued, what it dropped, its toasts. */
export class WebClient {
	modal?: OpenModal;
	readonly dropped: ClientDrop[] = [];
	readonly toasts: string[] = [];
	readonly answers: ClientAnswer[] = [];
	/** every modal this client showed (opened or updated), in order */
	readonly shown: Array<{ type: 'modal.open' | 'modal.update'; view: any }> = [];
	private readonly triggers = new Map<string, { appId: string; issuedAt: number }>();
	private seq = 0;

	constructor(readonly userId: string, readonly appId: string, private readonly post: Post, private readonly runCommand: RunCommand, private readonly now: () => number = () => performance.now()) {}

	/** ActionManager.generateTriggerId: remembered for TRIGGER_TIMEOUT ms. */
	generateTriggerId(appId = this.appId): string {
		const id = `trg-${this.userId}-${++this.seq}-${randomBytes(4).toString('hex')}`;
		this.triggers.set(id, { appId, issuedAt: this.now() });
		return id;
	}

	/** ActionManager.handleServerInteraction: the answer or a pushed interaction; its type, or undefined when dropped. */
	handleServerInteraction(interaction: any): string | undefined {
		if (!interaction || typeof interaction.type !== 'string') return undefined; // a plain { success } acknowledgement
		const trigger = this.triggers.get(interaction.triggerId);
		this.triggers.delete(interaction.triggerId);
		const viewId = interaction.view?.id ?? interaction.viewId;
		if (!trigger) return this.drop('unknown-trigger', interaction, viewId);
		const ageMs = this.now() - trigger.issuedAt;
		if (ageMs > TRIGGER_TIMEOUT) return this.drop('expired-trigger', interaction, viewId, ageMs);
		switch (interaction.type) {
			case 'modal.open':
				// imperativeModal: the new modal replaces whatever was shown, with its own view state
				this.modal = { view: interaction.view, values: initialValues(interaction.view?.blocks) };
				this.shown.push({ type: 'modal.open', view: interaction.view });
				break;
			case 'modal.update':
				if (!this.modal || this.modal.view.id !== viewId) return this.drop('view-mismatch', interaction, viewId);
				this.modal = { ...this.modal, view: { ...this.modal.view, ...interaction.view } };
				this.shown.push({ type: 'modal.update', view: this.modal.view });
				break;
			case 'errors':
				if (!this.modal || this.modal.view.id !== viewId) return this.drop('view-mismatch', interaction, viewId);
				this.modal = { ...this.modal, errors: interaction.errors };
				break;
			default:
				// modal.close does nothing in the web client; other surfaces are not modelled
				break;
		}
		return interaction.type;
	}

	/** ActionManager.emitInteraction + runWithTimeout. */
	private async emit(body: Omit<UiInteractionBody, 'triggerId'>, viewId?: string): Promise<ClientAnswer> {
		const triggerId = this.generateTriggerId();
		const issuedAt = this.triggers.get(triggerId)!.issuedAt;
		const res = await this.post({ ...body, triggerId });
		const ms = this.now() - issuedAt;
		const late = ms > TRIGGER_TIMEOUT;
		const content = res.status === 200 ? res.content : undefined;
		const answer: ClientAnswer = { interaction: body.type, answer: content?.type ?? (content?.success ? 'success' : `http ${res.status}`), status: res.status, ms, late };
		this.answers.push(answer);
		if (late) {
			// the timer fired first: toast, the view is disposed; the answer that arrives later finds its
			// triggerId gone
			this.toasts.push(TIMEOUT_TOAST);
			if (viewId) this.dispose(viewId);
		}
		if (content) this.handleServerInteraction(content);
		if (!late && content) {
			if (body.type === 'viewSubmit' && !['errors', 'modal.update', 'contextual_bar.update'].includes(content.type)) this.dispose(viewId);
			if (body.type === 'viewClosed' && content.type !== 'errors') this.dispose(viewId);
		}
		return answer;
	}

	private dispose(viewId: string | undefined): void {
		if (this.modal && this.modal.view.id === viewId) this.modal = undefined;
	}

	private drop(reason: ClientDrop['reason'], interaction: any, viewId?: string, ageMs?: number): undefined {
		this.dropped.push({ reason, type: interaction.type, viewId, openViewId: this.modal?.view.id, ageMs, interaction });
		return undefined;
	}

	// What the person does ------------------------------------------------------------------------------

	/** A button in a message (message block action). */
	clickMessageButton(p: { rid: string; mid: string; actionId: string; blockId?: string; value?: unknown }): Promise<ClientAnswer> {
		return this.emit({ type: 'blockAction', actionId: p.actionId, rid: p.rid, mid: p.mid, container: { type: 'message', id: p.mid }, payload: { blockId: p.blockId, value: p.value } });
	}

	/** An app's action button (room toolbar / kebab menu). */
	clickActionButton(p: { rid: string; actionId: string; context?: string; mid?: string }): Promise<ClientAnswer> {
		return this.emit({ type: 'actionButton', actionId: p.actionId, rid: p.rid, mid: p.mid, payload: { context: p.context ?? 'roomAction' } });
	}

	/** A slash command of an app: a triggerId for it, then the server runs the command. */
	async slashCommand(command: string, args: string[], roomId: string): Promise<void> {
		await this.runCommand(command, args, roomId, this.generateTriggerId());
	}

	/** The person types or picks in an element of the open modal (useModalContextValue.updateState). */
	setValue(blockId: string, actionId: string, value: unknown): void {
		if (!this.modal) throw new Error('no modal is open');
		this.modal.values[actionId] = { blockId, value };
	}

	/** A button inside the open modal (block action with the view as container; no state travels). */
	clickViewButton(actionId: string, blockId: string, value?: unknown): Promise<ClientAnswer> {
		const view = this.mustModal();
		return this.emit({ type: 'blockAction', actionId, container: { type: 'view', id: view.id }, payload: { blockId, value } });
	}

	/** The modal's submit button: the current view with its state grouped by block id. */
	submit(): Promise<ClientAnswer> {
		const view = this.mustModal();
		return this.emit({ type: 'viewSubmit', payload: { view: { ...view, id: view.id, state: this.state() } } } as never, view.id);
	}

	/** The modal's close button (X: isCleared) or cancel. */
	async close(isCleared = true): Promise<ClientAnswer> {
		const view = this.mustModal();
		const answer = await this.emit({ type: 'viewClosed', payload: { view: { ...view, id: view.id, state: this.state() }, isCleared } }, view.id);
		this.dispose(view.id);
		return answer;
	}

	/** `state` as the client groups the values: { [blockId]: { [actionId]: value } }, only those with a block. */
	state(): Record<string, Record<string, unknown>> {
		const state: Record<string, Record<string, unknown>> = {};
		for (const [actionId, { blockId, value }] of Object.entries(this.modal?.values || {})) {
			if (!blockId) continue;
			(state[blockId] ||= {})[actionId] = value;
		}
		return state;
	}

	private mustModal(): any {
		if (!this.modal) throw new Error('no modal is open');
		return this.modal.view;
	}
}

const clientsByState = new WeakMap<RcState, Map<string, WebClient>>();

/** The web client of `userId` (one per user), created on first use. */
export function webClientOf(rc: RcState, userId: string, make: () => WebClient): WebClient {
	let clients = clientsByState.get(rc);
	if (!clients) clientsByState.set(rc, (clients = new Map()));
	let client = clients.get(userId);
	if (!client) clients.set(userId, (client = make()));
	return client;
}

/** A pushed interaction reaches the user's client when one is open (useAppUiKitInteraction). */
function deliverToClient(rc: RcState, userId: string | undefined, interaction: any): void {
	if (userId) clientsByState.get(rc)?.get(userId)?.handleServerInteraction(interaction);
}
