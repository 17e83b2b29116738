import { CoreDeps, displayNumber } from './Core';
import { ContactRecord, InstanceRecord } from './ports/records';
import { NoAgentOnline, VisitorRef } from './ports/rocketchat';
import { alertOnce } from './notices';
import { t } from '../i18n/translate';
import { RetryLater } from './failures';
import { visitorToken } from './tokens';
import { ChatHistory } from './ChatHistory';
import { phoneDigits } from './customers';

/** Where a room the business opens goes (a template sent through the API), instead of the number's department. */
export interface RoomRouting {
	departmentId?: string;
	agentId?: string;
}

/** One visitor per (instance, chat) and one open room: what a customer's message is posted into. */
export class RoomOpener {
	constructor(private readonly deps: CoreDeps) {}

	/**
	 * The visitor and an open room for the chat. A room of ours for this chat that is still open is
	 * reused: after a crash between opening a room and recording it, the redelivered message must not
	 * open a second one (the visitor token is derived, so the same visitor comes back).
	 */
	public async open(instance: InstanceRecord, contact: ContactRecord, routing: RoomRouting = {}): Promise<ContactRecord> {
		// Where this chat's next room was asked to open: the caller's routing, else the chat's own `next`
		// (department menu, /whatsapp start).
		const next = { ...(contact.next || {}), ...routing };
		const departmentId = next.departmentId || instance.departmentId || (await this.defaultDepartment());
		const token = contact.visitorToken || visitorToken(instance.webhookSecret, instance.id, contact.chatId);
		const name = (await this.bookName(instance, contact)) || contact.name;
		const visitor = await this.visitorIn(instance, { token, name, phone: contact.phone }, departmentId);
		const customFields = { whatsappInstance: instance.id, whatsappChat: contact.chatId };
		let roomId = await this.deps.rc.findOpenRoom(visitor, customFields);
		if (!roomId) {
			try {
				roomId = await this.deps.rc.openRoom(visitor, {
					label: 'WhatsApp',
					destination: instance.number ? displayNumber(instance.number) : undefined,
					customFields,
				}, next.agentId);
			} catch (e) {
				// No agent online and RC refuses to queue: keep the message, retry later, never drop it.
				if (e instanceof NoAgentOnline) throw new RetryLater('no-agent-online');
				throw e;
			}
		}
		const openedAt = Date.now();
		// Remembered while open, so agent messages written while the app is down are found after a restart.
		await this.deps.openRooms.add({ roomId, instanceId: instance.id, chatId: contact.chatId, openedAt });
		const opened = { ...contact, name, visitorId: visitor.id, visitorToken: visitor.token, visitorUsername: visitor.username, roomId, next: undefined, conversationStartedAt: openedAt };
		// What the business said to this customer from its phone before (history, messages sent while no room was open) comes first.
		await new ChatHistory(this.deps).flushInto(instance, opened);
		return opened;
	}

	/**
	 * The name the business gave the customer in its WhatsApp Business app's address book: the visitor is
	 * renamed (when there is one) and the contact carries it. True when it changed anything.
	 */
	public async rename(contact: ContactRecord, name: string): Promise<boolean> {
		if (contact.name === name) return false;
		contact.name = name;
		if (contact.visitorToken) await this.deps.rc.ensureVisitor({ token: contact.visitorToken, name, phone: contact.phone });
		return true;
	}

	/** The address-book name of a customer with a phone, when the business gave one. */
	private async bookName(instance: InstanceRecord, contact: ContactRecord): Promise<string | undefined> {
		const digits = phoneDigits(contact);
		return digits ? this.deps.businessApp.contactName(instance.id, digits) : undefined;
	}

	/**
	 * Rocket.Chat re-validates the visitor's department on every upsert: once a department is deleted,
	 * every new conversation routed there would fail. Then the default department applies, else Rocket.Chat's
	 * routing, and admins are told once.
	 */
	private async visitorIn(instance: InstanceRecord, who: { token: string; name: string; phone?: string }, departmentId: string | undefined): Promise<VisitorRef> {
		try {
			return await this.deps.rc.ensureVisitor({ ...who, departmentId });
		} catch (e) {
			if (!departmentId || (await this.deps.rc.findDepartment(departmentId))) throw e;
			const fallback = await this.defaultDepartment();
			const usable = fallback && fallback !== departmentId ? fallback : undefined;
			await alertOnce(this.deps, instance, `department:${departmentId}`, `⚠️ ${t('alert_department_missing', {
				instance: instance.id, number: displayNumber(instance.number), department: departmentId,
				fallback: usable ? (await this.deps.rc.settings()).defaultDepartment : t('department_routing'),
			})}`);
			return this.deps.rc.ensureVisitor({ ...who, departmentId: usable });
		}
	}

	private async defaultDepartment(): Promise<string | undefined> {
		const value = (await this.deps.rc.settings()).defaultDepartment;
		return value ? this.deps.rc.findDepartment(value) : undefined;
	}
}

/** Where the chat's next room opens (the menu's choice, /whatsapp start, a template's route); used once. */
export function routeNextRoom(contact: ContactRecord, route: ContactRecord['next']): void {
	contact.next = route;
}

/** The chat's room is over (closed, or gone from Rocket.Chat): its next message opens a new one. */
export function endRoom(contact: ContactRecord): void {
	contact.roomId = undefined;
}

/** A customer first known by a username id (Cloud API BSUID) may later write with their number. */
export function learnPhone(contact: ContactRecord, phone: string | undefined): void {
	if (!contact.phone && phone) contact.phone = phone;
}
