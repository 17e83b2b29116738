import { Identity } from './identity';
import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { chatKeyOf, newContact } from './contacts';
import { RoomOpener, RoomRouting } from './RoomOpener';
import { CoreDeps, providerOf } from './Core';
import { describeFailure, errorText } from './failures';
import { TemplateStatusEvent } from './ports/events';
import { ContactRecord, InstanceRecord } from './ports/records';
import { TemplateInfo, TemplateMessage } from './ports/templates';
import { OutboundService, QueuedOutcome } from './OutboundService';
import { renderTemplate } from './templates';
import { formatUtc } from './clock';
import { marketingStoppedSince } from './MarketingPreferences';

/** A listed template set is fetched again after this long even without a status update. */
export const TEMPLATE_CACHE_MS = 60 * 60_000;

export type TemplateList = { ok: true; templates: TemplateInfo[]; fetchedAt: number } | { ok: false; reason: string };

/** A template the app sent: the message that shows it in the room, and what its first try did. */
export type TemplateSent = { ok: true; messageId: string; outcome: QueuedOutcome } | { ok: false; reason: string };

/**
 * Why this template may not go to this customer: a MARKETING template to a customer who stopped the
 * business's marketing messages (WhatsApp would refuse it, 131050). Every way of sending a template
 * (picker, command, `templateMessage`, the outbound wizard) asks this; undefined when it may go.
 */
export function marketingRefusal(contact: Pick<ContactRecord, 'marketing'> | undefined, info: Pick<TemplateInfo, 'name' | 'category'>): string | undefined {
	const since = marketingStoppedSince(contact);
	if (since === undefined || (info.category || '').toUpperCase() !== 'MARKETING') return undefined;
	return t('reason_marketing_stopped', { name: info.name, since: formatUtc(since) });
}

/**
 * The instance's approved templates (cached per instance, refreshed on demand and after a status
 * update) and sending one: shown in the room first, then queued like an agent's message.
 */
export class TemplateService {
	constructor(private readonly deps: CoreDeps) {}

	/** Every template the provider lists (the picker offers the APPROVED ones); `refresh` skips the cache. */
	public async list(instance: InstanceRecord, refresh = false): Promise<TemplateList> {
		const provider = providerOf(this.deps, instance);
		const templates = provider.session(this.deps.http, instance).templates;
		if (!templates) return { ok: false, reason: t('reason_no_templates', { provider: provider.label }) };
		const cached = await this.deps.templates.get(instance.id);
		if (cached && !refresh && !cached.stale && Date.now() - cached.fetchedAt < TEMPLATE_CACHE_MS) return { ok: true, templates: cached.templates, fetchedAt: cached.fetchedAt };
		let fetched: Awaited<ReturnType<typeof templates.list>>;
		try {
			fetched = await templates.list();
		} catch (e) {
			fetched = { ok: false, reason: errorText(e) };
		}
		if (!fetched.ok) {
			this.deps.log?.info(`templates of ${instance.id} not fetched: ${fetched.reason}`);
			// An older list still helps an agent, unless they asked for a fresh one.
			if (cached && !refresh) return { ok: true, templates: cached.templates, fetchedAt: cached.fetchedAt };
			return { ok: false, reason: describeFailure(fetched) };
		}
		const fetchedAt = Date.now();
		await this.deps.templates.save({ instanceId: instance.id, fetchedAt, templates: fetched.templates });
		return { ok: true, templates: fetched.templates, fetchedAt };
	}

	/** A review status changed: the cached entry takes the new status at once, the next use fetches the list. */
	public async statusChanged(instance: InstanceRecord, e: TemplateStatusEvent): Promise<void> {
		const cached = await this.deps.templates.get(instance.id);
		if (!cached) return;
		const matches = (i: TemplateInfo) => i.name === e.name && (!e.language || i.language === e.language);
		await this.deps.templates.save({ ...cached, stale: true, templates: cached.templates.map((i) => (matches(i) ? { ...i, status: e.status } : i)) });
	}

	/** `marketingRefusal` for a phone number the business writes to (before any room is opened for it). */
	public async refusalFor(instance: InstanceRecord, phoneDigits: string, info: TemplateInfo): Promise<string | undefined> {
		const provider = providerOf(this.deps, instance);
		if (!provider.templates) return undefined;
		return marketingRefusal(await this.deps.contacts.get(instance.id, provider.templates.chatIdFor(phoneDigits)), info);
	}

	/**
	 * The customer's conversation for a template the business starts (REST endpoint): the contact of
	 * this phone number, with its open room reused or a room opened and routed as asked.
	 */
	public async conversationFor(instance: InstanceRecord, phoneDigits: string, routing: RoomRouting): Promise<{ contact: ContactRecord; reused: boolean }> {
		const provider = providerOf(this.deps, instance);
		if (!provider.templates) throw new Error(t('reason_no_templates', { provider: provider.label }));
		const typed = provider.templates.chatIdFor(phoneDigits);
		// The customer may be known under another id for this number (the wa_id WhatsApp answered before).
		const known = (await this.deps.contacts.get(instance.id, typed)) ? undefined : await new Identity(this.deps).findContactByAnyPersonId(instance.id, [{ kind: 'chat', value: typed }, { kind: 'phone', value: `+${phoneDigits}` }]);
		const chatId = known?.chatId ?? typed;
		return withChatLock(chatKeyOf(instance.id, chatId), async () => {
			const existing = await this.deps.contacts.get(instance.id, chatId);
			if (existing?.roomId && existing.visitorToken) return { contact: existing, reused: true };
			const base = existing || newContact(instance.id, chatId, `+${phoneDigits}`, `+${phoneDigits}`);
			const contact = await new RoomOpener(this.deps).open(instance, base, routing);
			await this.deps.contacts.save(contact, existing ? { roomId: existing.roomId } : undefined);
			return { contact, reused: false };
		});
	}

	/**
	 * Shows the template in the room as `senderId`'s message (the app user's when absent; Rocket.Chat
	 * decides whether that user may write there), then queues it for WhatsApp.
	 */
	public async send(contact: ContactRecord, roomId: string, message: TemplateMessage, sender: { senderId?: string; via?: string }): Promise<TemplateSent> {
		const refused = marketingRefusal(contact, message.info);
		if (refused) return { ok: false, reason: refused };
		const label = t(sender.via ? 'template_label_via' : 'template_label', { name: message.name, language: message.language, via: sender.via });
		let messageId: string;
		try {
			messageId = await this.deps.rc.postSentTemplate(roomId, `📄 ${label}\n${renderTemplate(message)}`, { senderId: sender.senderId, label });
		} catch (e) {
			return { ok: false, reason: t('reason_template_not_posted', { reason: errorText(e) }) };
		}
		return { ok: true, messageId, outcome: await new OutboundService(this.deps).sendTemplate(contact, messageId, roomId, message) };
	}
}
