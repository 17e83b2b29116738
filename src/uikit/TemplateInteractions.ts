import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IJobContext, IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import {
	IUIKitResponse, UIKitActionButtonInteractionContext, UIKitBlockInteractionContext, UIKitInteractionContext, UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { coreDeps } from '../compose';
import { formatUtc } from '../core/clock';
import { CoreDeps, providerOf } from '../core/Core';
import { errorText } from '../core/failures';
import { Log } from '../core/log';
import { ProviderDirectory } from '../core/ports/provider';
import { ContactRecord, InstanceRecord } from '../core/ports/records';
import { TemplateInfo } from '../core/ports/templates';
import { serviceWindow } from '../core/serviceWindow';
import { RoomFile } from '../core/ports/templates';
import { isMediaHeader } from '../core/templateRules';
import { findTemplate, needsRoomFiles, prepareTemplate, templateProblems, TemplateValues } from '../core/templates';
import { marketingRefusal, TEMPLATE_CACHE_MS, TemplateService } from '../core/TemplateService';
import { marketingStoppedSince } from '../core/MarketingPreferences';
import { t } from '../i18n/translate';
import { OPEN_TEMPLATE_PICKER, SEND_TEMPLATE_BUTTON } from '../rocketchat/uikitIds';
import {
	decodeStep, decodeViewId, fillView, filledValues, fingerprint, loadingView, messageView, Modal, newViewId, PICK_BLOCK, pickedTemplate, pickView, sendingView,
} from './TemplatePicker';
import { queueClaimedSend, takeClaim } from './sendClaims';
import { parseTemplateArguments } from './templateArguments';

export interface Accessors {
	read: IRead;
	modify: IModify;
	http: IHttp;
	persis: IPersistence;
}

/** A WhatsApp room of this app that `user` may write in. */
export type PickerRoom = { ok: true; deps: CoreDeps; instance: InstanceRecord; contact: ContactRecord } | { ok: false; text: string };

/** Fetches an instance's template list in the background (data: instanceId). */
export const TEMPLATE_REFRESH_JOB = 'gab-tpl-refresh';
/** Sends what the picker's Send confirmed (data: PickerSendJob). */
export const PICKER_SEND_JOB = 'gab-tpl-send';

export interface PickerSendJob {
	viewId: string;
	roomId: string;
	userId: string;
	name: string;
	language: string;
	values: TemplateValues;
}

/** How many of the room's newest messages are searched for files a media header can use. */
const ROOM_FILES_READ = 100;

/** Forgets a modal's send claim (data: viewId), long after any click or retry of that modal could come. */
export const PICKER_CLAIM_CLEANUP_JOB = 'gab-tpl-claim-cleanup';

/**
 * The template picker's interactions: the note's button, the room action button, the modal's steps.
 * Rocket.Chat's client waits 5 s for each answer, so no answer waits for the provider: the list comes
 * from the cache (a missing or old one is fetched by a job), and Send hands the sending to a job.
 */
export class TemplateInteractions {
	constructor(private readonly appId: string, private readonly providers: ProviderDirectory, private readonly log: Log) {}

	/** A button under one of the app's notes. */
	public async blockAction(ctx: UIKitBlockInteractionContext, a: Accessors): Promise<IUIKitResponse> {
		const data = ctx.getInteractionData();
		if (data.actionId !== OPEN_TEMPLATE_PICKER) return ctx.getInteractionResponder().successResponse();
		const roomId = data.room?.id || (typeof data.value === 'string' ? data.value : '');
		return this.open(ctx, await this.picker(a, roomId, data.user));
	}

	/** "Send template" in the room's kebab menu. */
	public async actionButton(ctx: UIKitActionButtonInteractionContext, a: Accessors): Promise<IUIKitResponse> {
		const data = ctx.getInteractionData();
		if (data.actionId !== SEND_TEMPLATE_BUTTON) return ctx.getInteractionResponder().successResponse();
		return this.open(ctx, await this.picker(a, data.room?.id || '', data.user));
	}

	/**
	 * A new picker for `roomId` (also opened by `/whatsapp template`): its first view under a new view id.
	 * `args`: the command line's template arguments, shown as the fill step (or preview) once the list is there.
	 */
	public async picker(a: Accessors, roomId: string, user: IUser, args?: string): Promise<Modal> {
		const viewId = newViewId(roomId);
		const where = await this.room(a, roomId, user);
		if (!where.ok) return messageView(viewId, where.text);
		return this.firstView(a, where, viewId, args);
	}

	/** The pick step (or what `args` name), from the cached list; the loading view while there is none. */
	private async firstView(a: Accessors, where: Extract<PickerRoom, { ok: true }>, viewId: string, args?: string): Promise<Modal> {
		const list = await this.cachedList(a, where);
		if (!list.ok) return messageView(viewId, list.text);
		if (!list.templates) return loadingView(viewId, args);
		if (args) {
			const parsed = parseTemplateArguments([args], list.templates);
			if (!parsed.ok) return pickView(viewId, list.templates, this.intro(where), parsed.error);
			const refused = marketingRefusal(where.contact, parsed.info);
			if (refused) return pickView(viewId, list.templates, this.intro(where), refused);
			const files = await this.roomFiles(where, parsed.info, parsed.given ? parsed.values : undefined);
			if (!parsed.given) return fillView(viewId, parsed.info, undefined, undefined, undefined, files);
			return fillView(viewId, parsed.info, parsed.values, { problems: templateProblems(parsed.info, parsed.values, files) }, args, files);
		}
		return pickView(viewId, list.templates, this.intro(where));
	}

	/** One step of the modal, read from the submitted view. Any other view is not ours. */
	public async viewSubmit(ctx: UIKitViewSubmitInteractionContext, a: Accessors): Promise<IUIKitResponse> {
		const { view, user } = ctx.getInteractionData();
		const id = decodeViewId(view?.id);
		const step = id && decodeStep(view.blocks);
		const respond = ctx.getInteractionResponder();
		if (!id || !step || step.step === 'message' || step.step === 'sending') return respond.successResponse();
		const viewId: string = view.id;
		const update = (m: Modal) => respond.updateModalViewResponse(m as never);
		const where = await this.room(a, id.roomId, user);
		if (!where.ok) return update(messageView(viewId, where.text));
		if (step.step === 'loading') return update(await this.firstView(a, where, viewId, step.args));
		const list = await this.cachedList(a, where);
		if (!list.ok) return update(messageView(viewId, list.text));
		if (!list.templates) return update(loadingView(viewId));
		if (step.step === 'pick') {
			const picked = pickedTemplate(view.state);
			const info = picked && findTemplate(list.templates, picked[0], picked[1]);
			if (!info) return respond.viewErrorResponse({ viewId, errors: { [PICK_BLOCK]: t('picker_choose_first') } });
			const refused = marketingRefusal(where.contact, info);
			if (refused) return respond.viewErrorResponse({ viewId, errors: { [PICK_BLOCK]: refused } });
			return update(fillView(viewId, info, undefined, undefined, undefined, await this.roomFiles(where, info)));
		}
		const info = findTemplate(list.templates, step.name!, step.language);
		if (!info) return update(pickView(viewId, list.templates, this.intro(where), t('picker_template_gone', { name: step.name!, language: step.language! })));
		// The command line's values (a picker a command opened) stand where the agent typed nothing.
		const parsed = step.args ? parseTemplateArguments([step.args], list.templates) : undefined;
		const given = parsed?.ok && parsed.info.name === info.name && parsed.info.language === info.language ? parsed.values : undefined;
		const values = filledValues(info, view.state, given);
		const files = await this.roomFiles(where, info);
		const problems = templateProblems(info, values, files);
		// What is sent is what the preview showed: changed values get a new preview first.
		if (step.step === 'fill' || problems.length > 0 || step.previewed !== fingerprint(values)) return update(fillView(viewId, info, values, { problems }, step.args, files));
		// The customer may have stopped marketing messages while the agent filled it in.
		const refused = marketingRefusal(where.contact, info);
		if (refused) return update(pickView(viewId, list.templates, this.intro(where), refused));
		if (await where.deps.templateSends.get(viewId)) return update(sendingView(viewId, info, true));
		await this.queueSend(a, where.deps, { viewId, roomId: id.roomId, userId: user.id, name: info.name, language: info.language, values });
		return update(sendingView(viewId, info));
	}

	/**
	 * Hands a confirmed template to PICKER_SEND_JOB under its claim (`job.viewId`: the modal's id, or a command's
	 * own): sent once, by the job — where a room file is uploaded to the provider, outside the caller's time.
	 */
	public queueSend(a: Accessors, deps: CoreDeps, job: PickerSendJob): Promise<void> {
		return queueClaimedSend(a, deps.templateSends, { send: PICKER_SEND_JOB, cleanup: PICKER_CLAIM_CLEANUP_JOB }, job);
	}

	/** PICKER_SEND_JOB: the confirmed template, sent once; the agent is told how it went. */
	public async sendJob(a: Accessors, job: PickerSendJob): Promise<void> {
		const claim = await takeClaim(a, coreDeps(a, this.providers, this.log).templateSends, job);
		if (!claim) return;
		const { user, tell, finish } = claim;
		const where = user ? await this.room(a, job.roomId, user) : ({ ok: false, text: t('picker_not_allowed') } as const);
		if (!where.ok) {
			await finish('refused');
			return tell(`⚠️ ${t('template_failed', { name: job.name, reason: where.text })}`);
		}
		const list = await new TemplateService(where.deps).list(where.instance);
		const info = list.ok ? findTemplate(list.templates, job.name, job.language) : undefined;
		if (!info) {
			await finish('gone');
			return tell(`⚠️ ${t('picker_template_gone', { name: job.name, language: job.language })}`);
		}
		// A room file named as the media header is looked up again here (it may have been deleted since the preview);
		// its upload to the provider happens while sending, in this job.
		const files = needsRoomFiles(info, job.values) ? await where.deps.rc.roomFiles(job.roomId, ROOM_FILES_READ) : undefined;
		const prepared = prepareTemplate(info, job.values, files);
		if (!prepared.ok) {
			await finish('refused');
			return tell(`⚠️ ${t('template_failed', { name: info.name, reason: prepared.problems.join('; ') })}`);
		}
		let sent: Awaited<ReturnType<TemplateService['send']>>;
		try {
			sent = await new TemplateService(where.deps).send(where.contact, job.roomId, prepared.message, { senderId: job.userId });
		} catch (e) {
			// Whether it reached WhatsApp is unknown: left as it is rather than sent twice.
			sent = { ok: false, reason: errorText(e) };
		}
		await finish(sent.ok ? sent.outcome.status : 'not-posted');
		this.log.info(`template ${info.name} (${info.language}) for ${where.contact.instanceId}:${where.contact.chatId} by ${user!.username}: ${sent.ok ? sent.outcome.status : sent.reason}`);
		if (!sent.ok) return tell(`⚠️ ${sent.reason}`);
		if (sent.outcome.status === 'queued') return tell(`⏳ ${t('template_queued', { name: info.name, reason: sent.outcome.reason })}`);
		if (sent.outcome.status !== 'sent') return tell(`⚠️ ${t('template_failed', { name: info.name, reason: sent.outcome.reason })}`);
	}

	/**
	 * The picker's work that must not sit between a click and its answer (Rocket.Chat's client waits 5 s):
	 * fetching a template list, sending a confirmed template, forgetting old claims. `applySettings` as in
	 * jobs/processors.ts (the notice language of the agent's answer).
	 */
	public processors(applySettings: (read: IRead) => Promise<void>): IProcessor[] {
		const accessors = (read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Accessors => ({ read, modify, http, persis });
		return [
			{
				id: TEMPLATE_REFRESH_JOB,
				processor: async (ctx: IJobContext, read, modify, http, persis) => {
					if (typeof ctx.instanceId === 'string') await this.refreshJob(accessors(read, modify, http, persis), ctx.instanceId);
				},
			},
			{
				id: PICKER_SEND_JOB,
				processor: async (ctx: IJobContext, read, modify, http, persis) => {
					await applySettings(read);
					const job = ctx as unknown as PickerSendJob;
					if (typeof job.viewId === 'string' && typeof job.roomId === 'string' && typeof job.userId === 'string') await this.sendJob(accessors(read, modify, http, persis), job);
				},
			},
			{
				id: PICKER_CLAIM_CLEANUP_JOB,
				processor: async (ctx: IJobContext, read, modify, http, persis) => {
					if (typeof ctx.viewId === 'string') await coreDeps(accessors(read, modify, http, persis), this.providers, this.log).templateSends.remove(ctx.viewId);
				},
			},
		];
	}

	/** TEMPLATE_REFRESH_JOB: the instance's list fetched from the provider into the cache. */
	public async refreshJob(a: Accessors, instanceId: string): Promise<void> {
		const deps = coreDeps(a, this.providers, this.log);
		const instance = await deps.instances.get(instanceId);
		if (instance && this.providers.get(instance.provider)) await new TemplateService(deps).list(instance);
	}

	/**
	 * The cached list, without asking the provider: an old or outdated one is used and refreshed in a job,
	 * none at all gives `templates: undefined` (the job is fetching it).
	 */
	public async cachedList(a: Accessors, where: Extract<PickerRoom, { ok: true }>): Promise<{ ok: true; templates?: TemplateInfo[] } | { ok: false; text: string }> {
		const provider = providerOf(where.deps, where.instance);
		if (!provider.templates) return { ok: false, text: t('templates_unavailable', { reason: t('reason_no_templates', { provider: provider.label }) }) };
		const cached = await where.deps.templates.get(where.instance.id);
		if (!cached || cached.stale || Date.now() - cached.fetchedAt >= TEMPLATE_CACHE_MS) {
			await a.modify.getScheduler().scheduleOnce({ id: TEMPLATE_REFRESH_JOB, when: new Date(), data: { instanceId: where.instance.id } });
		}
		return { ok: true, templates: cached?.templates };
	}

	/**
	 * The room's files, for a template with a media header (one read of the room's newest messages, no
	 * provider call); with `values`, only when they name a file rather than a link.
	 */
	public async roomFiles(where: Extract<PickerRoom, { ok: true }>, info: TemplateInfo, values?: TemplateValues): Promise<RoomFile[] | undefined> {
		if (!isMediaHeader(info.header?.format) || (values && !needsRoomFiles(info, values)) || !where.contact.roomId) return undefined;
		return where.deps.rc.roomFiles(where.contact.roomId, ROOM_FILES_READ);
	}

	private open(ctx: UIKitInteractionContext, view: Modal): IUIKitResponse {
		return ctx.getInteractionResponder().openModalViewResponse(view as never);
	}

	/** The room's customer and whether the window is open, at the top of the picker. */
	private intro(where: Extract<PickerRoom, { ok: true }>): string {
		const window = serviceWindow(providerOf(where.deps, where.instance).capabilities, where.contact.lastInboundAt, Date.now());
		const state = !window.applies ? '' : window.open ? t('window_open_until', { until: formatUtc(window.until) }) : t('window_closed_since', { since: formatUtc(window.until) });
		const stopped = marketingStoppedSince(where.contact);
		const marketing = stopped !== undefined ? ` · 🔕 ${t('picker_marketing_stopped', { since: formatUtc(stopped) })}` : '';
		return `${t('picker_to', { name: where.contact.name })}${state ? ` · ${state}` : ''}${marketing}`;
	}

	/** The WhatsApp room of this app `roomId` names, when `user` may write in it. */
	public async room(a: Accessors, roomId: string, user: IUser): Promise<PickerRoom> {
		const deps = coreDeps(a, this.providers, this.log);
		const contact = roomId ? await deps.contacts.byRoom(roomId) : undefined;
		const room = contact ? ((await a.read.getRoomReader().getById(roomId)) as (IRoom & { servedBy?: { id?: string }; source?: { id?: string } }) | undefined) : undefined;
		if (!contact || !room || (room.source?.id && room.source.id !== this.appId)) return { ok: false, text: t('info_not_whatsapp_room') };
		if (!mayWrite(user, room)) return { ok: false, text: t('picker_not_allowed') };
		const instance = await deps.instances.get(contact.instanceId);
		if (!instance || !this.providers.get(instance.provider)) return { ok: false, text: t('reason_instance_removed') };
		return { ok: true, deps, instance, contact };
	}
}

/** Rocket.Chat lets the serving agent write in a livechat room, and those who may see every livechat room. */
export function mayWrite(user: Pick<IUser, 'id' | 'roles'>, room: { servedBy?: { id?: string } }): boolean {
	return room.servedBy?.id === user.id || (user.roles || []).some((r) => r === 'admin' || r === 'livechat-manager');
}
