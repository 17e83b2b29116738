import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { chatKeyOf } from './contacts';
import { CoreDeps, providerOf } from './Core';
import { ContactRecord, InstanceRecord } from './ports/records';

/** The agent is reminded this long before the customer-service window closes. */
export const REMIND_BEFORE_MS = 60 * 60_000;
/** A check firing this little early still counts as due (scheduler and app clocks differ slightly). */
const EARLY_SLACK_MS = 60_000;

/**
 * Providers with a customer-service window (`capabilities.serviceWindowMs`, e.g. Cloud API's 24 h):
 * when a room is open, the window closes within the hour and the customer's last message is still
 * unanswered, the agent gets a note in the room, once per customer message.
 *
 * Cost: nothing on the recurring tick (which stays at its two queue reads when nothing is due) and
 * nothing on most inbound messages. Each chat has at most one durable one-off check job; a customer
 * message schedules one only when none is pending, and a check that fires early (the customer wrote
 * since) moves itself to the new due time. A restart or another cluster node loses nothing.
 */
export class WindowReminder {
	constructor(private readonly deps: CoreDeps) {}

	/** After a customer message received at `at`: the window moves, its check is scheduled (the caller saves the contact). */
	public async noteInbound(instance: InstanceRecord, contact: ContactRecord, at: number): Promise<void> {
		// The newest message decides the window (a journal may replay older ones later).
		contact.lastInboundAt = Math.max(contact.lastInboundAt || 0, at);
		const windowMs = providerOf(this.deps, instance).capabilities.serviceWindowMs;
		if (!windowMs || !contact.lastInboundAt) return;
		// A check is already due later: it re-reads the contact and follows the newest message.
		if (contact.windowCheckAt && contact.windowCheckAt > Date.now()) return;
		contact.windowCheckAt = contact.lastInboundAt + windowMs - REMIND_BEFORE_MS;
		await this.deps.scheduler.scheduleWindowCheck(chatKeyOf(contact.instanceId, contact.chatId), contact.windowCheckAt);
	}

	/** The chat's check job fired. */
	public async check(chatKey: string, now = Date.now()): Promise<'reminded' | 'moved' | 'nothing'> {
		const colon = chatKey.indexOf(':');
		if (colon <= 0) return 'nothing';
		const [instanceId, chatId] = [chatKey.slice(0, colon), chatKey.slice(colon + 1)];
		return withChatLock(chatKey, async () => {
			const [instance, contact] = await Promise.all([this.deps.instances.get(instanceId), this.deps.contacts.get(instanceId, chatId)]);
			if (!instance || !contact?.lastInboundAt) return 'nothing';
			const windowMs = providerOf(this.deps, instance).capabilities.serviceWindowMs;
			if (!windowMs) return 'nothing';
			const closesAt = contact.lastInboundAt + windowMs;
			const due = closesAt - REMIND_BEFORE_MS;
			if (due > now + EARLY_SLACK_MS) {
				contact.windowCheckAt = due;
				await this.deps.scheduler.scheduleWindowCheck(chatKey, due);
				await this.deps.contacts.save(contact);
				return 'moved';
			}
			if (!contact.roomId || closesAt <= now || contact.windowRemindedFor === contact.lastInboundAt || answered(contact)) return 'nothing';
			const minutes = Math.max(1, Math.round((closesAt - now) / 60_000));
			await this.deps.rc.postNotice(contact.roomId, `⏰ ${t('notice_window_closing', { minutes })}`);
			contact.windowRemindedFor = contact.lastInboundAt;
			await this.deps.contacts.save(contact);
			return 'reminded';
		});
	}
}

/** The business wrote after the customer's last message (agent, business phone): the newest link is outgoing. */
function answered(contact: ContactRecord): boolean {
	const last = contact.links[contact.links.length - 1];
	return !!last && last.dir === 'out';
}
