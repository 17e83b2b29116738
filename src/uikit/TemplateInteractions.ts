import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import {
	IUIKitResponse, UIKitActionButtonInteractionContext, UIKitBlockInteractionContext, UIKitInteractionContext, UIKitViewSubmitInteractionContext,
} from '@rocket.chat/apps-engine/definition/uikit';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { coreDeps } from '../compose';
import { formatUtc } from '../core/clock';
import { CoreDeps, providerOf } from '../core/Core';
import { Log } from '../core/log';
import { ProviderDirectory } from '../core/ports/provider';
import { ContactRecord, InstanceRecord } from '../core/ports/records';
import { serviceWindow } from '../core/serviceWindow';
import { findTemplate, templateMessage, templateProblems } from '../core/templates';
import { TemplateService } from '../core/TemplateService';
import { t } from '../i18n/translate';
import { OPEN_TEMPLATE_PICKER, SEND_TEMPLATE_BUTTON } from '../rocketchat/uikitIds';
import { decodeViewId, fillView, filledValues, fingerprint, messageView, Modal, PICK_BLOCK, pickedTemplate, pickView } from './TemplatePicker';

export interface Accessors {
	read: IRead;
	modify: IModify;
	http: IHttp;
	persis: IPersistence;
}

/** A WhatsApp room of this app that `user` may write in. */
export type PickerRoom = { ok: true; deps: CoreDeps; instance: InstanceRecord; contact: ContactRecord } | { ok: false; text: string };

/** The template picker's interactions: the note's button, the room action button, the modal's steps. */
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

	/** The picker's first view for `roomId` (also opened by `/whatsapp template` without arguments). */
	public async picker(a: Accessors, roomId: string, user: IUser): Promise<Modal> {
		const where = await this.room(a, roomId, user);
		if (!where.ok) return messageView(roomId, where.text);
		const list = await new TemplateService(where.deps).list(where.instance);
		if (!list.ok) return messageView(roomId, t('templates_unavailable', { reason: list.reason }));
		return pickView(roomId, list.templates, this.intro(where));
	}

	/** One step of the modal: pick → fill → preview → send. Any other view is not ours. */
	public async viewSubmit(ctx: UIKitViewSubmitInteractionContext, a: Accessors): Promise<IUIKitResponse> {
		const { view, user } = ctx.getInteractionData();
		const id = decodeViewId(view?.id);
		const respond = ctx.getInteractionResponder();
		if (!id) return respond.successResponse();
		const update = (m: Modal) => respond.updateModalViewResponse(m as never);
		const where = await this.room(a, id.roomId, user);
		if (!where.ok) return update(messageView(id.roomId, where.text));
		const list = await new TemplateService(where.deps).list(where.instance);
		if (!list.ok) return update(messageView(id.roomId, t('templates_unavailable', { reason: list.reason })));
		if (id.step === 'pick') {
			const picked = pickedTemplate(view.state);
			const info = picked && findTemplate(list.templates, picked[0], picked[1]);
			if (!info) return respond.viewErrorResponse({ viewId: view.id, errors: { [PICK_BLOCK]: t('picker_choose_first') } });
			return update(fillView(id.roomId, info));
		}
		const info = findTemplate(list.templates, id.name!, id.language);
		if (!info) return update(pickView(id.roomId, list.templates, this.intro(where), t('picker_template_gone', { name: id.name!, language: id.language! })));
		const values = filledValues(info, view.state);
		const problems = templateProblems(info, values);
		// What is sent is what the preview showed: changed values get a new preview first.
		if (id.step === 'fill' || problems.length > 0 || id.previewed !== fingerprint(values)) return update(fillView(id.roomId, info, values, { problems }));
		const sent = await new TemplateService(where.deps).send(where.contact, id.roomId, templateMessage(info, values), { senderId: user.id });
		if (!sent.ok) return update(fillView(id.roomId, info, values, { problems: [sent.reason] }));
		this.log.info(`template ${info.name} (${info.language}) for ${where.contact.instanceId}:${where.contact.chatId} by ${user.username}: ${sent.outcome.status}`);
		return respond.successResponse();
	}

	private open(ctx: UIKitInteractionContext, view: Modal): IUIKitResponse {
		return ctx.getInteractionResponder().openModalViewResponse(view as never);
	}

	/** The room's customer and whether the window is open, at the top of the picker. */
	private intro(where: Extract<PickerRoom, { ok: true }>): string {
		const window = serviceWindow(providerOf(where.deps, where.instance).capabilities, where.contact.lastInboundAt, Date.now());
		const state = !window.applies ? '' : window.open ? t('window_open_until', { until: formatUtc(window.until) }) : t('window_closed_since', { since: formatUtc(window.until) });
		return `${t('picker_to', { name: where.contact.name })}${state ? ` · ${state}` : ''}`;
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
