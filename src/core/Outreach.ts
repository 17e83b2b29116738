import { waitingKeys } from './ChatQueue';
import { withChatLock } from './ChatLock';
import { addLink, chatKeyOf, newContact } from './contacts';
import { RoomOpener, routeNextRoom } from './RoomOpener';
import { dropMenu } from './DepartmentMenu';
import { CoreDeps, providerOf, sessionOf } from './Core';
import { describeFailure, errorText, RetryLater } from './failures';
import { InstanceRecord } from './ports/records';
import { marketingRefusal, TemplateService } from './TemplateService';
import { Identity } from './identity';
import { prepareTemplate, TemplateValues } from './templates';
import { TemplateInfo } from './ports/templates';
import { t } from '../i18n/translate';

export interface StartRequest {
	instance: InstanceRecord;
	/** As the agent typed it: digits, spaces, '+', dashes… */
	phone: string;
	/** Who starts it: the room is served by them when they are an agent and no department was asked for. */
	caller: { id: string; isAgent: boolean };
	departmentId?: string;
}

/** A template as Rocket.Chat's outbound wizard fills it: body values by position ('1', '2'…), in the template's order. */
export type WizardTemplate = TemplateValues & { name: string; language: string };

/** Positional values onto the template's parameters: a named template takes them by name, in its order. */
function inSlotOrder(info: TemplateInfo, body: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries(body)) out[/^\d+$/.test(key) ? info.bodyParameters[Number(key) - 1] ?? key : key] = value;
	return out;
}

export type TemplateStartResult = { ok: true; chatId: string; messageId: string } | { ok: false; why: 'no-templates' | 'cannot-check' | 'no-whatsapp' | 'failed'; detail?: string };

export type StartResult =
	| { ok: true; roomId: string; chatId: string; reused: boolean }
	| { ok: false; why: 'cannot-check' | 'no-whatsapp' | 'template-required' | 'no-agent-online' | 'failed'; detail?: string; chatId?: string };

/**
 * The business writes first. An agent starts a conversation with a phone number (`/whatsapp start`): the provider checks the
 * number, the visitor is created or found, and the chat's open room is reused or a room is opened,
 * served by the caller (or routed to the chosen department). The first message is the caller's own
 * message in that room, so it leaves through the usual outbound path.
 */
export class Outreach {
	constructor(private readonly deps: CoreDeps) {}

	public async start(req: StartRequest): Promise<StartResult> {
		const { instance } = req;
		const provider = providerOf(this.deps, instance);
		const session = provider.session(this.deps.http, instance);
		if (!session.checkNumber) return { ok: false, why: 'cannot-check' };
		const checked = await session.checkNumber(req.phone);
		if (!checked.ok) return { ok: false, why: 'failed', detail: describeFailure(checked) };
		if (!checked.exists) return { ok: false, why: 'no-whatsapp' };
		const { chatId } = checked;
		const digits = req.phone.replace(/\D/g, '').replace(/^0+/, '');
		return withChatLock(chatKeyOf(instance.id, chatId), async () => {
			const stored = await this.deps.contacts.get(instance.id, chatId);
			const windowMs = provider.capabilities.serviceWindowMs;
			if (windowMs && !(stored?.lastInboundAt && Date.now() - stored.lastInboundAt < windowMs)) {
				// The customer-service window is closed: only a template may start it.
				return { ok: false, why: 'template-required', chatId };
			}
			if (stored?.roomId) return { ok: true, roomId: stored.roomId, chatId, reused: true };
			const contact = stored || newContact(instance.id, chatId, `+${digits}`, `+${digits}`);
			// An agent starts it: no department menu for this conversation.
			dropMenu(contact);
			routeNextRoom(contact, req.departmentId ? { departmentId: req.departmentId } : { agentId: req.caller.isAgent ? req.caller.id : undefined });
			let opened;
			try {
				opened = await new RoomOpener(this.deps).open(instance, contact);
			} catch (e) {
				if (e instanceof RetryLater) return { ok: false, why: 'no-agent-online', chatId };
				return { ok: false, why: 'failed', detail: errorText(e), chatId };
			}
			await this.deps.contacts.save(opened, stored ? { roomId: stored.roomId } : undefined);
			// Messages the customer wrote meanwhile (held by the menu, parked) go into this room now.
			if (waitingKeys(opened, 'in').length) await this.deps.scheduler.scheduleRetry('in', chatKeyOf(instance.id, chatId), Date.now());
			return { ok: true, roomId: opened.roomId!, chatId, reused: false };
		});
	}

	/**
	 * Starts a conversation with an approved template (providers with `templates`; Rocket.Chat's
	 * outbound-message wizard, the template picker): the customer's answer opens the room with `route`.
	 */
	public async startWithTemplate(instance: InstanceRecord, phone: string, template: WizardTemplate, route: { departmentId?: string; agentId?: string }): Promise<TemplateStartResult> {
		const session = sessionOf(this.deps, instance);
		const templates = session.templates;
		if (!templates) return { ok: false, why: 'no-templates' };
		if (!session.checkNumber) return { ok: false, why: 'cannot-check' };
		// The template as the provider lists it (parameter format, header, buttons) shapes what is sent, and
		// is checked against the provider's rules before any number is looked up.
		const listed = await new TemplateService(this.deps).list(instance);
		const info = listed.ok ? listed.templates.find((x) => x.name === template.name && x.language === template.language) : undefined;
		if (!info) return { ok: false, why: 'failed', detail: listed.ok ? t('template_unknown', { name: template.name, names: listed.templates.map((x) => x.name).join(', ') || '—' }) : listed.reason };
		const prepared = prepareTemplate(info, { ...template, body: inSlotOrder(info, template.body) });
		if (!prepared.ok) return { ok: false, why: 'failed', detail: prepared.problems.join('; ') };
		const checked = await session.checkNumber(phone);
		if (!checked.ok) return { ok: false, why: 'failed', detail: describeFailure(checked) };
		if (!checked.exists) return { ok: false, why: 'no-whatsapp' };
		const { chatId } = checked;
		const refused = marketingRefusal(await this.deps.contacts.get(instance.id, chatId), info);
		if (refused) return { ok: false, why: 'failed', detail: refused };
		const sent = await templates.send({ ...prepared.message, chatId });
		if (!sent.ok) return { ok: false, why: 'failed', detail: describeFailure(sent) };
		const digits = phone.replace(/\D/g, '').replace(/^0+/, '');
		await withChatLock(chatKeyOf(instance.id, chatId), async () => {
			const stored = await this.deps.contacts.get(instance.id, chatId);
			const contact = stored || newContact(instance.id, chatId, `+${digits}`, `+${digits}`);
			addLink(contact, { wa: sent.messageId, rc: `template:${sent.messageId}`, dir: 'out', state: 'pending' });
			// The customer's answer comes from the id WhatsApp answered (which may differ from the number typed).
			await new Identity(this.deps).answered(contact, sent.recipient);
			if (!contact.roomId) routeNextRoom(contact, route);
			await this.deps.contacts.save(contact, stored ? { roomId: stored.roomId } : undefined);
		});
		return { ok: true, chatId, messageId: sent.messageId };
	}
}
