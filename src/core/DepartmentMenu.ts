import { waitingKeys } from './ChatQueue';
import { t } from '../i18n/translate';
import { chatKeyOf } from './contacts';
import { endRoom, routeNextRoom } from './RoomOpener';
import { CoreDeps } from './Core';
import { Dedupe } from './Dedupe';
import { InboundMessage } from './ports/events';
import { errorText } from './failures';
import { InboundOutcome } from './outcomes';
import { OutboundService } from './OutboundService';
import { ContactRecord, DepartmentMenuConfig, InstanceRecord } from './ports/records';
import { CoreSettings } from './ports/rocketchat';

/** Longer texts are never taken for the keyword. */
const MAX_KEYWORD_LENGTH = 64;

/** Parks a message in the inbox behind the chat's other parked ones (InboundService's own park). */
export type ParkMessage = (contact: ContactRecord, reason: string, delayMs: number) => Promise<void>;

/**
 * The department menu of a number (`instance.menu`): a customer without an open conversation first
 * chooses where it goes. Everything is persistent, so a restart or another node can take over:
 * - the menu state lives on the contact record (`contact.menu`: when shown, invalid answers so far);
 * - the customer's messages wait in the inbox like any parked message (`held`), their chat's retry job
 *   due when the menu expires. That job posts them with the number's default department, exactly as
 *   any parked message is posted; a valid answer moves the job to now and routes them (`contact.next`).
 * The menu text leaves through the outbound queue like any message to the customer.
 */
export class DepartmentMenu {
	private readonly outbound: OutboundService;
	private readonly dedupe: Dedupe;

	constructor(private readonly deps: CoreDeps) {
		this.outbound = new OutboundService(deps);
		this.dedupe = new Dedupe(deps);
	}

	/**
	 * Under the chat's lock, before a customer message is posted. Returns the outcome when the menu took
	 * the message (held, answered, the keyword), undefined when the message goes the usual way.
	 */
	public async screen(
		instance: InstanceRecord,
		msg: InboundMessage,
		stored: ContactRecord | undefined,
		fresh: () => ContactRecord,
		park: ParkMessage,
	): Promise<InboundOutcome | undefined> {
		const menu = instance.menu;
		if (!menu?.departments.length || msg.isGroup) return undefined;
		// A redelivered held message: the usual dedupe of parked messages answers it.
		if (waitingKeys(stored, 'in').includes(msg.messageId)) return undefined;
		// In an open conversation only a short text can be the keyword: the rest goes on without reading settings.
		if (stored?.roomId && !(msg.content.kind === 'text' && msg.content.text.length <= MAX_KEYWORD_LENGTH)) return undefined;
		const settings = await this.deps.rc.settings();
		const keyword = isKeyword(msg, settings.menuExitKeyword);
		if (stored?.roomId) {
			// The keyword ends the conversation (after anything still waiting to be posted).
			if (!keyword || waitingKeys(stored, 'in').length) return undefined;
			// Not closed: the keyword goes to the agent like any message, the conversation stays as it is.
			return (await this.exit(instance, stored, msg, settings)) ? 'ignored' : undefined;
		}
		// Where the next room goes is already decided (an answer, the default, /whatsapp start).
		if (stored?.next) return undefined;
		const held = stored?.menu?.held || [];
		// Messages parked before the menu (no agent online…) go first, routed as they were.
		if (waitingKeys(stored, 'in').some((id) => !held.includes(id))) return undefined;
		const contact = stored || fresh();
		const now = Date.now();
		const timeoutMs = settings.menuTimeoutMinutes * 60_000;
		const open = contact.menu && now - contact.menu.shownAt < timeoutMs ? contact.menu : undefined;
		if (!open) {
			if (waitingKeys(contact, 'in').length) {
				// Expired while its messages still wait (their job is late): the default applies now.
				contact.menu = undefined;
				routeNextRoom(contact, {});
				await this.deps.scheduler.scheduleRetry('in', chatKeyOf(contact.instanceId, contact.chatId), now);
				return undefined;
			}
			// A new conversation: keep the message until the customer has chosen, and ask.
			contact.menu = { shownAt: now, tries: 0, held: [msg.messageId] };
			await this.show(instance, menu, contact, settings, false);
			await park(contact, 'menu', timeoutMs);
			return 'queued';
		}
		if (keyword) {
			contact.menu = { ...open, tries: 0 };
			await this.dedupe.mark(instance, contact, msg.messageId);
			await this.show(instance, menu, contact, settings, false);
			await this.deps.contacts.save(contact);
			return 'ignored';
		}
		const chosen = choose(msg, menu);
		const tries = open.tries + 1;
		if (chosen || tries >= settings.menuMaxTries) {
			// The answer (or, after too many tries, the number's default) routes every held message; the
			// answer itself is posted last, so agents see what was chosen.
			contact.menu = undefined;
			routeNextRoom(contact, chosen ? { departmentId: chosen.id } : {});
			const waiting = waitingKeys(contact, 'in').length > 0;
			await park(contact, chosen ? `menu: ${chosen.name}` : 'menu: default', 0);
			if (waiting) await this.deps.scheduler.scheduleRetry('in', chatKeyOf(contact.instanceId, contact.chatId), now);
			return 'queued';
		}
		contact.menu = { ...open, tries, held: [...open.held, msg.messageId] };
		await this.show(instance, menu, contact, settings, true);
		await park(contact, 'menu', timeoutMs);
		return 'queued';
	}

	/**
	 * The keyword in an open conversation: the customer closes it and gets the menu again. False when
	 * Rocket.Chat refused to close the room: it stays open with its agent, and nothing else changes.
	 */
	private async exit(instance: InstanceRecord, contact: ContactRecord, msg: InboundMessage, settings: CoreSettings): Promise<boolean> {
		const roomId = contact.roomId!;
		try {
			// false: closed (or gone) in Rocket.Chat already, the conversation is over either way
			await this.deps.rc.closeRoom(roomId, t('menu_exit_comment', { keyword: settings.menuExitKeyword }));
		} catch (e) {
			this.deps.log?.error(`menu keyword: Rocket.Chat did not close room ${roomId}: ${errorText(e)}`);
			return false;
		}
		endRoom(contact);
		await this.dedupe.mark(instance, contact, msg.messageId);
		contact.menu = { shownAt: Date.now(), tries: 0, held: [] };
		await this.show(instance, instance.menu!, contact, settings, false);
		await this.deps.contacts.save(contact, { roomId });
		return true;
	}

	/**
	 * The menu as numbered text, sent through the outbound queue; the caller writes the contact record
	 * right after (it carries the outbound queue's marker). (A provider that can send interactive
	 * lists — Cloud API with an open window — would get a list here, through a capability; GREEN-API
	 * cannot, so every provider gets text for now. The answer parser already takes list replies.)
	 */
	private async show(instance: InstanceRecord, menu: DepartmentMenuConfig, contact: ContactRecord, settings: CoreSettings, again: boolean): Promise<void> {
		const text = renderMenu(menu, settings, again);
		const key = `menu:${instance.id}:${contact.chatId}:${contact.menu?.shownAt ?? Date.now()}:${contact.menu?.tries ?? 0}`;
		await this.outbound.queueFromApp(contact, key, text, { maxAttempts: settings.maxAttempts, maxAgeMs: settings.giveUpAfterMinutes * 60_000 });
	}
}

/** The conversation starts without the menu (an agent started it): an open menu is dropped. */
export function dropMenu(contact: ContactRecord): void {
	contact.menu = undefined;
}

/** What the customer reads: the admin's text (or the translated one), the numbered departments, the keyword. */
export function renderMenu(menu: DepartmentMenuConfig, settings: Pick<CoreSettings, 'menuText' | 'menuExitKeyword'>, again: boolean): string {
	const lines = [
		...(again ? [t('menu_invalid_answer')] : []),
		settings.menuText.trim() || t('menu_prompt'),
		...menu.departments.map((d, i) => `${i + 1}. ${d.name}`),
	];
	if (settings.menuExitKeyword) lines.push('', t('menu_exit_hint', { keyword: settings.menuExitKeyword }));
	return lines.join('\n');
}

const normalize = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** The department the customer chose: its number, its name, or the row of an interactive list. */
export function choose(msg: Pick<InboundMessage, 'content'>, menu: DepartmentMenuConfig): { id: string; name: string } | undefined {
	const c = msg.content;
	if (c.kind === 'choice') {
		const byId = menu.departments.find((d) => d.id === c.choiceId);
		if (byId) return byId;
	}
	const text = c.kind === 'text' || c.kind === 'choice' ? c.text : undefined;
	if (!text) return undefined;
	const answer = normalize(text).replace(/[.)]$/, '');
	if (/^\d{1,3}$/.test(answer)) return menu.departments[Number(answer) - 1];
	return menu.departments.find((d) => normalize(d.name) === answer);
}

/** The keyword that ends a conversation (case and surrounding spaces ignored); an empty setting turns it off. */
export function isKeyword(msg: Pick<InboundMessage, 'content'>, keyword: string): boolean {
	return !!keyword && msg.content.kind === 'text' && normalize(msg.content.text) === normalize(keyword);
}
