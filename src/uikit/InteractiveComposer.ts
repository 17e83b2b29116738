import { randomBytes } from 'crypto';
import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IJobContext, IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { IUIKitResponse, UIKitActionButtonInteractionContext, UIKitViewSubmitInteractionContext } from '@rocket.chat/apps-engine/definition/uikit';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { coreDeps } from '../compose';
import { errorText } from '../core/failures';
import { buttonsMessage, listMessage } from '../core/interactive';
import { InteractiveService } from '../core/InteractiveService';
import { Log } from '../core/log';
import { InteractiveKind, InteractiveMessage } from '../core/ports/interactive';
import { ProviderDirectory } from '../core/ports/provider';
import { t } from '../i18n/translate';
import { buttonElement, contextBlock, plainText, sectionBlock, SEND_BUTTONS_BUTTON, SEND_LIST_BUTTON } from '../rocketchat/uikitIds';
import { queueClaimedSend, takeClaim } from './sendClaims';
import { Accessors, TemplateInteractions } from './TemplateInteractions';

// The reply-buttons / list composer as a UIKit modal: one view id for its whole life (the room, the kind
// and a random part); Send answers from what is at hand (the room, the contact's window, WhatsApp's
// limits) and hands the sending to a job, as Rocket.Chat's client waits 5 s for each answer.

const VIEW_PREFIX = 'gab-ia';
const STEP_PREFIX = 'gab-ia-step';
export const BODY_BLOCK = 'ia-body';
export const OPTIONS_BLOCK = 'ia-options';
export const LIST_BUTTON_BLOCK = 'ia-list-button';

/** Sends what the composer's Send confirmed (data: InteractiveSendJob). */
export const INTERACTIVE_SEND_JOB = 'gab-ia-send';
/** Forgets a composer's send claim (data: viewId). */
export const INTERACTIVE_CLAIM_CLEANUP_JOB = 'gab-ia-claim-cleanup';

export interface InteractiveSendJob {
	viewId: string;
	roomId: string;
	userId: string;
	message: InteractiveMessage;
}

interface Modal {
	id: string;
	title: object;
	blocks: object[];
	submit?: object;
	close: object;
}

type Step = 'compose' | 'done';

export function newComposerViewId(roomId: string, kind: InteractiveKind): string {
	return [VIEW_PREFIX, kind, roomId, randomBytes(8).toString('hex')].map(encodeURIComponent).join('|');
}

/** The composer's kind and room, or undefined for any other view (or a forged id of the wrong shape). */
export function decodeComposerViewId(id: unknown): { kind: InteractiveKind; roomId: string } | undefined {
	if (typeof id !== 'string' || id.length > 1000) return undefined;
	let parts: string[];
	try {
		parts = id.split('|').map(decodeURIComponent);
	} catch {
		return undefined;
	}
	if (parts.length !== 4 || parts[0] !== VIEW_PREFIX || (parts[1] !== 'buttons' && parts[1] !== 'list') || !parts[2] || !/^[0-9a-f]{16}$/.test(parts[3])) return undefined;
	return { kind: parts[1], roomId: parts[2] };
}

export function isComposerView(id: unknown): boolean {
	return decodeComposerViewId(id) !== undefined;
}

const stepOf = (blocks: unknown): Step | undefined => {
	const first = Array.isArray(blocks) ? (blocks[0] as { blockId?: unknown } | undefined) : undefined;
	const id = typeof first?.blockId === 'string' ? first.blockId : '';
	return id === `${STEP_PREFIX}|compose` ? 'compose' : id === `${STEP_PREFIX}|done` ? 'done' : undefined;
};

const modal = (viewId: string, step: Step, blocks: Array<Record<string, unknown>>, submitLabel: string): Modal => ({
	id: viewId,
	title: plainText(t('composer_title')),
	blocks: [{ ...blocks[0], blockId: `${STEP_PREFIX}|${step}` }, ...blocks.slice(1)],
	submit: buttonElement('submit', submitLabel),
	close: buttonElement('close', t('picker_cancel')),
});

const input = (blockId: string, label: string, multiline: boolean, placeholder?: string) => ({
	type: 'input',
	blockId,
	label: plainText(label),
	element: { type: 'plain_text_input', actionId: blockId, multiline, ...(placeholder && { placeholder: plainText(placeholder) }) },
});

/** The compose step: the question, the buttons or rows one per line, a list's button label. */
export function composeView(viewId: string, kind: InteractiveKind, intro: string): Modal {
	const blocks: Array<Record<string, unknown>> = [
		contextBlock(intro),
		input(BODY_BLOCK, t('composer_body'), true),
		input(OPTIONS_BLOCK, t(kind === 'buttons' ? 'composer_buttons' : 'composer_rows'), true, t(kind === 'buttons' ? 'composer_buttons_hint' : 'composer_rows_hint')),
	];
	if (kind === 'list') blocks.push(input(LIST_BUTTON_BLOCK, t('composer_list_button'), false));
	return modal(viewId, 'compose', blocks, t('composer_send'));
}

/** A composer that only says something (sending, refused, not a WhatsApp room); its submit closes it. */
export function composerMessageView(viewId: string, text: string): Modal {
	return modal(viewId, 'done', [sectionBlock(text)], t('picker_close'));
}

/** `state[blockId][actionId]` as the client groups a modal's values; strings only. */
function stateValue(state: unknown, blockId: string): string {
	const block = state && typeof state === 'object' ? (state as Record<string, unknown>)[blockId] : undefined;
	const value = block && typeof block === 'object' ? (block as Record<string, unknown>)[blockId] : undefined;
	return typeof value === 'string' ? value : '';
}

/** The message the compose step's inputs describe. */
export function composedMessage(kind: InteractiveKind, state: unknown): InteractiveMessage {
	const body = stateValue(state, BODY_BLOCK).trim();
	const lines = stateValue(state, OPTIONS_BLOCK).split('\n');
	return kind === 'buttons' ? buttonsMessage(body, lines) : listMessage(body, stateValue(state, LIST_BUTTON_BLOCK).trim(), lines);
}

export class InteractiveComposer {
	private readonly rooms: TemplateInteractions;

	constructor(appId: string, private readonly providers: ProviderDirectory, private readonly log: Log) {
		this.rooms = new TemplateInteractions(appId, providers, log);
	}

	/** A new composer for `roomId` (`/whatsapp buttons`, `/whatsapp list` without arguments). */
	public async open(a: Accessors, roomId: string, user: IUser, kind: InteractiveKind): Promise<Modal> {
		const viewId = newComposerViewId(roomId, kind);
		const where = await this.rooms.room(a, roomId, user);
		if (!where.ok) return composerMessageView(viewId, where.text);
		return composeView(viewId, kind, t('picker_to', { name: where.contact.name }));
	}

	/** "Send reply buttons" / "Send a list" in the room's menu (a WhatsApp room of ours only: checked in `open`). */
	public async actionButton(ctx: UIKitActionButtonInteractionContext, a: Accessors): Promise<IUIKitResponse> {
		const data = ctx.getInteractionData();
		const kind: InteractiveKind | undefined = data.actionId === SEND_BUTTONS_BUTTON ? 'buttons' : data.actionId === SEND_LIST_BUTTON ? 'list' : undefined;
		if (!kind) return ctx.getInteractionResponder().successResponse();
		return ctx.getInteractionResponder().openModalViewResponse((await this.open(a, data.room?.id || '', data.user, kind)) as never);
	}

	/** Send: checked from what is at hand, claimed once per modal, sent by a job. */
	public async viewSubmit(ctx: UIKitViewSubmitInteractionContext, a: Accessors): Promise<IUIKitResponse> {
		const { view, user } = ctx.getInteractionData();
		const respond = ctx.getInteractionResponder();
		const id = decodeComposerViewId(view?.id);
		if (!id || stepOf(view.blocks) !== 'compose') return respond.successResponse();
		const viewId: string = view.id;
		const update = (m: Modal) => respond.updateModalViewResponse(m as never);
		const where = await this.rooms.room(a, id.roomId, user);
		if (!where.ok) return update(composerMessageView(viewId, where.text));
		const message = composedMessage(id.kind, view.state);
		const refused = new InteractiveService(where.deps).refusal(where.instance, where.contact, message);
		if (refused) return respond.viewErrorResponse({ viewId, errors: { [message.body ? OPTIONS_BLOCK : BODY_BLOCK]: refused } });
		const claims = where.deps.templateSends;
		if (await claims.get(viewId)) return update(composerMessageView(viewId, `ℹ️ ${t('picker_already_sent')}`));
		const job: InteractiveSendJob = { viewId, roomId: id.roomId, userId: user.id, message };
		await queueClaimedSend(a, claims, { send: INTERACTIVE_SEND_JOB, cleanup: INTERACTIVE_CLAIM_CLEANUP_JOB }, job);
		return update(composerMessageView(viewId, `⏳ ${t('composer_sending')}`));
	}

	/** INTERACTIVE_SEND_JOB: the confirmed message, sent once; the agent is told how it went. */
	public async sendJob(a: Accessors, job: InteractiveSendJob): Promise<void> {
		const claim = await takeClaim(a, coreDeps(a, this.providers, this.log).templateSends, job);
		if (!claim) return;
		const { user, tell, finish } = claim;
		const where = user ? await this.rooms.room(a, job.roomId, user) : ({ ok: false, text: t('picker_not_allowed') } as const);
		if (!where.ok) {
			await finish('refused');
			return tell(`⚠️ ${t('interactive_failed', { reason: where.text })}`);
		}
		let sent: Awaited<ReturnType<InteractiveService['send']>>;
		try {
			sent = await new InteractiveService(where.deps).send(where.instance, where.contact, job.roomId, job.message, { senderId: job.userId });
		} catch (e) {
			// Whether it reached WhatsApp is unknown: left as it is rather than sent twice.
			sent = { ok: false, reason: errorText(e) };
		}
		await finish(sent.ok ? sent.outcome.status : 'not-sent');
		return tell(interactiveOutcomeText(sent));
	}

	public processors(applySettings: (read: IRead) => Promise<void>): IProcessor[] {
		const accessors = (read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Accessors => ({ read, modify, http, persis });
		return [
			{
				id: INTERACTIVE_SEND_JOB,
				processor: async (ctx: IJobContext, read, modify, http, persis) => {
					await applySettings(read);
					const job = ctx as unknown as InteractiveSendJob;
					if (typeof job.viewId === 'string' && typeof job.roomId === 'string' && typeof job.userId === 'string' && job.message && typeof job.message === 'object') {
						await this.sendJob(accessors(read, modify, http, persis), job);
					}
				},
			},
			{
				id: INTERACTIVE_CLAIM_CLEANUP_JOB,
				processor: async (ctx: IJobContext, read, modify, http, persis) => {
					if (typeof ctx.viewId === 'string') await coreDeps(accessors(read, modify, http, persis), this.providers, this.log).templateSends.remove(ctx.viewId);
				},
			},
		];
	}
}

/** What the agent is told after a send (the command and the composer's job alike). */
export function interactiveOutcomeText(sent: Awaited<ReturnType<InteractiveService['send']>>): string {
	if (!sent.ok) return `⚠️ ${t('interactive_failed', { reason: sent.reason })}`;
	if (sent.outcome.status === 'sent') return `✅ ${t('interactive_sent')}`;
	if (sent.outcome.status === 'queued') return `⏳ ${t('interactive_queued', { reason: sent.outcome.reason })}`;
	return `⚠️ ${t('interactive_failed', { reason: sent.outcome.reason })}`;
}
