import { t } from '../i18n/translate';
import { noteActivity } from './activity';
import { withChatLock } from './ChatLock';
import { AttemptResult, backoffMs, ChatQueue, GiveUp, QueueHandler } from './ChatQueue';
import { monotonicNow } from './clock';
import { addLink, chatKeyOf, findLink, newContact } from './contacts';
import { RoomOpener, endRoom, learnPhone, readdress } from './RoomOpener';
import { Identity, personIdsOf, personKey } from './identity';
import { DepartmentMenu } from './DepartmentMenu';
import { CoreDeps, displayNumber } from './Core';
import { InboundOutcome } from './outcomes';
import { Dedupe } from './Dedupe';
import { inboundKey, InboundMessage } from './ports/events';
import { errorText, MediaNotYet } from './failures';
import { alertAdmins, alertOnce, clearAlert, noticeInRoom } from './notices';
import { ContactRecord, ContactRepository, InboxItem, InstanceRecord } from './ports/records';
import { ContactBlocked, OmnichannelOff, RoomGone, VisitorRef } from './ports/rocketchat';
import { RoomPoster } from './RoomPoster';
import { answerQuestion, closeQuestion } from './questions';
import { WindowReminder } from './WindowReminder';


interface DrainState {
	instance?: InstanceRecord;
	contact?: ContactRecord;
}

/** Alert key: Omnichannel switched off (told once per number, until a message gets through). */
const OMNICHANNEL_OFF = 'omnichannel-off';
/** A blocked contact's messages wait this long before the next try. */
const BLOCKED_RETRY_MS = 24 * 60 * 60_000;

/** customer → Rocket.Chat: one visitor per (instance, chat), one open room, every message type. */
export class InboundService implements QueueHandler<InboxItem, DrainState> {
	private readonly queue: ChatQueue<InboxItem, DrainState>;
	private readonly opener: RoomOpener;
	private readonly poster: RoomPoster;
	private readonly dedupe: Dedupe;
	private readonly menu: DepartmentMenu;
	private readonly window: WindowReminder;

	private readonly deps: CoreDeps;
	private readonly records: RecordsAsWritten;
	private readonly identity: Identity;
	/** Messages handed to the chat their customer is known under (never handed on again). */
	private readonly moved = new WeakSet<InboundMessage>();

	constructor(deps: CoreDeps) {
		this.records = new RecordsAsWritten(deps.contacts);
		this.deps = { ...deps, contacts: this.records };
		this.queue = new ChatQueue('in', deps.inbox, deps.scheduler, this, this.records, { field: 'in', keyOf: (item) => item.event.messageId });
		this.opener = new RoomOpener(this.deps);
		this.poster = new RoomPoster(this.deps);
		this.dedupe = new Dedupe(this.deps);
		this.menu = new DepartmentMenu(this.deps);
		this.window = new WindowReminder(this.deps);
		this.identity = new Identity(this.deps);
	}

	/**
	 * From the webhook (or the journal): posts now, or parks the message durably, and says which.
	 * Answers as soon as the message is in Rocket.Chat (that is the durable record); the contact record
	 * (dedupe marker, id map) is written right after, still under the chat lock, so the next message of
	 * this chat sees it. That keeps the webhook's answer at two bridge calls.
	 */
	public receive(instance: InstanceRecord, msg: InboundMessage): Promise<InboundOutcome> {
		return new Promise<InboundOutcome>((answer, fail) => {
			let posted = false;
			const onPosted = () => {
				posted = true;
				answer('posted');
			};
			const chatKey = chatKeyOf(instance.id, msg.chatId);
			void withChatLock(chatKey, async (_waited, turn) => {
				try {
					// The chat's next message, already waiting for the lock, starts from the record as this one
					// left it (written or read just now) instead of reading it back.
					const outcome = await this.receiveLocked(instance, msg, onPosted, handedRecord(turn.handed, chatKey));
					const record = this.records.take(chatKey);
					if (record) turn.pass({ chatKey, record });
					answer(outcome);
				} catch (e) {
					this.records.take(chatKey);
					if (!posted) return fail(e);
					// Posted, but the contact record was not written: a redelivery could duplicate it.
					this.deps.log?.error(`contact record of ${msg.chatId} not saved after posting ${msg.messageId}: ${errorText(e)}`);
				}
			});
		});
	}

	private async receiveLocked(instance: InstanceRecord, msg: InboundMessage, onPosted: () => void, handed: ContactRecord | undefined): Promise<InboundOutcome> {
		if (msg.isGroup && (await this.deps.rc.settings()).groupChats !== 'bridge') return 'ignored';
		const contact = handed ? this.records.adopt(handed) : await this.deps.contacts.get(instance.id, msg.chatId);
		const ids = personIdsOf(msg);
		if (!contact && !this.moved.has(msg) && ids.length) {
			// The customer may be known under another of the ids this message names them by: their chat (its
			// lock, queues and dedupe) is the one the message belongs to.
			const known = await this.identity.findChatOfAnyPersonId(instance.id, ids, msg.chatId);
			if (known && known !== msg.chatId) {
				// The id it came under stays one of the customer's.
				const moved: InboundMessage = { ...msg, chatId: known, people: ids };
				this.moved.add(moved);
				return this.receive(instance, moved);
			}
		}
		if (await this.dedupe.seen(instance, contact, msg.messageId, msg.timestamp)) return 'duplicate';
		// Every id it names is linked to this chat (saved with the contact by whatever writes it next); an
		// edit or deletion the app will ignore changes nothing.
		if (!targetsUnknownMessage(msg, contact)) await this.identity.link(instance.id, msg.chatId, contact, ids);
		// Department menu: a new conversation of a number with a menu first picks its department.
		const menu = await this.menu.screen(instance, msg, contact, () => this.newContactFor(instance, msg), (c, reason, delayMs) => this.park(instance, msg, c, reason, delayMs));
		if (menu) return menu;
		// A customer with parked messages waits behind them, so order is kept.
		if (this.queue.isWaiting(contact, msg.messageId)) return 'duplicate';
		if (contact && (await this.queue.hasWaiting(contact))) {
			await this.park(instance, msg, contact, 'waiting for earlier messages');
			return 'queued';
		}
		// An edit or deletion of a message the app never had: nothing to change, nothing to show.
		if (targetsUnknownMessage(msg, contact)) {
			this.deps.log?.info(`inbound ${instance.id}:${msg.messageId}: ${msg.content.kind} of an unknown message ignored`);
			return 'ignored';
		}
		// Files can be large and slow to fetch: answer the webhook now, download in a job.
		if (msg.content.kind === 'media') {
			await this.park(instance, msg, contact || this.newContactFor(instance, msg), 'media', 0);
			return 'queued';
		}
		let posted = false;
		try {
			await this.deliver(instance, msg, contact, () => {
				posted = true;
				onPosted();
			});
			return 'posted';
		} catch (e) {
			if (posted) throw e;
			// Anything that fails before the message is in Rocket.Chat (no agent online, a Rocket.Chat
			// error) parks it durably; if even that fails, the webhook answers 500 and the provider
			// redelivers.
			const parked = contact || this.newContactFor(instance, msg);
			await this.park(instance, msg, parked, errorText(e), await this.refused(instance, parked, msg, e));
			return 'queued';
		}
	}

	/** Safety net (recurring tick): parked messages whose retry job is overdue. Returns how many still wait. */
	public retryDue(now: number, policy: GiveUp): Promise<number> {
		return this.queue.retryDue(now, policy);
	}

	/** Tries one chat's parked messages in order, now (its retry job fired). */
	public retryChat(chatKey: string, now: number, policy: GiveUp): Promise<number> {
		return this.queue.retryChat(chatKey, now, policy);
	}

	/** Durably queues `msg` behind the chat's other parked messages; its retry job runs after `delayMs`. */
	private async park(instance: InstanceRecord, msg: InboundMessage, contact: ContactRecord, reason: string, delayMs = backoffMs(0)): Promise<void> {
		this.deps.log?.info(`inbound ${instance.id}:${msg.messageId} parked: ${reason}`);
		const now = monotonicNow();
		const item: InboxItem = { key: inboundKey(msg), chatKey: chatKeyOf(instance.id, msg.chatId), event: msg, attempts: 0, firstAt: now, nextAt: now + delayMs, lastError: reason };
		await this.queue.submit(item, { contact }, { locked: true, tryNow: false });
	}

	// ---- the inbox queue's handler ----

	public async open(items: InboxItem[]): Promise<DrainState> {
		const { instanceId, chatId } = items[0].event;
		const [instance, contact] = await Promise.all([this.deps.instances.get(instanceId), this.deps.contacts.get(instanceId, chatId)]);
		return { instance, contact };
	}

	public async attempt(item: InboxItem, state: DrainState): Promise<AttemptResult> {
		if (!state.instance) return { ok: false, retryable: false, reason: 'instance removed' };
		if (await this.dedupe.seen(state.instance, state.contact, item.event.messageId, item.event.timestamp)) return { ok: true };
		try {
			// A file's conversation is opened (and recorded) first, so a placeholder has a room to stand in.
			if (item.event.content.kind === 'media' && state.contact && (!state.contact.roomId || !state.contact.visitorToken)) {
				const opened = await this.opener.open(state.instance, state.contact);
				await this.deps.contacts.save(opened, { roomId: state.contact.roomId });
				state.contact = opened;
			}
			state.contact = await this.deliver(state.instance, item.event, state.contact);
			if (item.placeholderId) await this.deps.rc.updateMessageText(item.placeholderId, `📎 ${t('inbound_media_arrived', { what: mediaLabel(item.event) })}`);
			return { ok: true };
		} catch (e) {
			// A file that cannot be fetched yet must not hold the conversation back: a note stands at its
			// place, later messages flow, the file follows when it arrives (or the note says it never did).
			if (e instanceof MediaNotYet && state.contact?.roomId) {
				item.placeholderId ||= await noticeInRoom(this.deps, state.contact.roomId, `⏳ ${t('inbound_media_pending', { what: mediaLabel(item.event), name: item.event.sender.name })}`);
				if (item.placeholderId) return { ok: false, retryable: true, reason: errorText(e), detached: true };
			}
			const wait = state.contact ? await this.refused(state.instance, state.contact, item.event, e) : undefined;
			if (wait && state.contact) await this.deps.contacts.save(state.contact);
			return { ok: false, retryable: true, reason: errorText(e), retryAfterMs: wait };
		}
	}

	public async settled(item: InboxItem, result: AttemptResult, gaveUp: boolean, state: DrainState): Promise<void> {
		if (!state.instance) return; // the number was removed: its messages have nowhere to go
		if (gaveUp && !result.ok) {
			const text = `⚠️ ${t('inbound_media_unavailable', { what: mediaLabel(item.event), reason: result.reason })}`;
			if (!item.placeholderId || !(await this.deps.rc.updateMessageText(item.placeholderId, text))) await this.giveUp(state.instance, item.event, result.reason, state.contact);
		}
	}

	public async waiting(): Promise<void> {
		// Nothing to add: the queue keeps the chat's order (a file that stands aside lets later messages pass).
	}

	/** Posts one message into the contact's room (opening one if needed); returns the updated contact. */
	private async deliver(instance: InstanceRecord, received: InboundMessage, existing: ContactRecord | undefined, onPosted?: () => void): Promise<ContactRecord> {
		let contact = existing || this.newContactFor(instance, received);
		// A typed "1" or "Yes" to a question that went as a numbered text is the customer's choice.
		const msg = answerQuestion(contact, received);
		const stored = existing ? { roomId: existing.roomId } : undefined;
		// A customer first known by a username id (Cloud API BSUID) may later write with (or share) their number:
		// the visitor gets it too.
		const phoneLearnt = !msg.isGroup && learnPhone(contact, msg.sender.phone);
		// WhatsApp told of a new user id: messages go there from now on (the old one stops working). A changed
		// number is linked too (its people), but sends stay on the known one until the customer writes from it.
		if (msg.content.kind === 'system' && msg.content.event === 'user-id-changed' && msg.content.newId && !msg.isGroup) readdress(contact, msg.content.newId);
		if (!contact.roomId || !contact.visitorToken) contact = await this.opener.open(instance, contact);
		else if (phoneLearnt) await this.deps.rc.ensureVisitor({ token: contact.visitorToken, name: contact.name, phone: contact.phone });
		let rcId: string | undefined;
		try {
			rcId = await this.poster.post(instance, msg, contact, visitorOf(contact));
		} catch (e) {
			// The room vanished (the visitor's data was removed; Rocket.Chat sends no room-closed event for
			// that): the customer must not be cut off, so a new room opens for this message.
			if (!(e instanceof RoomGone)) throw e;
			this.deps.log?.info(`room ${contact.roomId} of ${msg.chatId} no longer exists: opening a new one`);
			const gone = { ...contact };
			endRoom(gone);
			contact = await this.opener.open(instance, gone);
			rcId = await this.poster.post(instance, msg, contact, visitorOf(contact));
		}
		onPosted?.();
		noteActivity(instance.id);
		// Posting works (again): conditions admins were told about are over.
		contact.blockedSince = undefined;
		await clearAlert(this.deps, instance, OMNICHANNEL_OFF, `✅ ${t('alert_omnichannel_on', { number: displayNumber(instance.number) })}`);
		await this.dedupe.mark(instance, contact, msg.messageId);
		if (rcId) addLink(contact, { wa: msg.messageId, rc: rcId, dir: 'in' });
		if (msg !== received) closeQuestion(contact);
		// The customer-service window and its reminder check, once per window.
		await this.window.noteInbound(instance, contact, msg.timestamp || Date.now());
		await this.deps.contacts.save(contact, stored);
		return contact;
	}

	/**
	 * Workspace conditions that refuse a message: told to admins once, and the wait before the next try
	 * (undefined: the usual backoff). A blocked contact is not tried again for a day.
	 */
	private async refused(instance: InstanceRecord, contact: ContactRecord, msg: InboundMessage, e: unknown): Promise<number | undefined> {
		if (e instanceof OmnichannelOff) {
			await alertOnce(this.deps, instance, OMNICHANNEL_OFF, `⚠️ ${t('alert_omnichannel_off', { number: displayNumber(instance.number) })}`);
			return undefined;
		}
		if (!(e instanceof ContactBlocked)) return undefined;
		if (!contact.blockedSince) {
			contact.blockedSince = Date.now();
			await alertAdmins(this.deps, instance, `⚠️ ${t('alert_contact_blocked', { name: msg.sender.name, chat: msg.chatId, number: displayNumber(instance.number) })}`);
		}
		return BLOCKED_RETRY_MS;
	}

	/** A group is one conversation named after the group; a private chat is the customer. */
	private newContactFor(instance: InstanceRecord, msg: InboundMessage): ContactRecord {
		return msg.isGroup
			? newContact(instance.id, msg.chatId, msg.groupName || msg.chatId)
			: newContact(instance.id, msg.chatId, msg.sender.name, msg.sender.phone, personIdsOf(msg).map(personKey));
	}

	private async giveUp(instance: InstanceRecord, msg: InboundMessage, reason: string, contact: ContactRecord | undefined): Promise<void> {
		const text = `⚠️ ${t('notice_inbound_given_up', { name: msg.sender.name, chat: msg.chatId, reason })}`;
		if (!contact?.roomId || !(await noticeInRoom(this.deps, contact.roomId, text))) await alertAdmins(this.deps, instance, `[${instance.id}] ${text}`);
	}
}

/**
 * The contact repository as this service sees it, remembering per chat a copy of the record as last read or
 * written (the durable state), for the chat's next message (see receive).
 */
class RecordsAsWritten implements ContactRepository {
	/** A copy once written; the record itself while only read (copied when taken, off the answer's path). */
	private readonly last = new Map<string, { record: ContactRecord; copied: boolean }>();

	constructor(private readonly inner: ContactRepository) {}

	public async get(instanceId: string, chatId: string): Promise<ContactRecord | undefined> {
		const record = await this.inner.get(instanceId, chatId);
		if (record) this.last.set(chatKeyOf(instanceId, chatId), { record, copied: false });
		return record;
	}

	public byRoom(roomId: string): Promise<ContactRecord | undefined> {
		return this.inner.byRoom(roomId);
	}

	public async save(contact: ContactRecord, stored?: { roomId?: string }): Promise<void> {
		await this.inner.save(contact, stored);
		this.last.set(chatKeyOf(contact.instanceId, contact.chatId), { record: copyOf(contact), copied: true });
	}

	/** A record handed over by the chat's previous message: worked on as if just read. */
	public adopt(record: ContactRecord): ContactRecord {
		this.last.set(chatKeyOf(record.instanceId, record.chatId), { record, copied: false });
		return record;
	}

	/** The chat's record as last read or written (a copy of its own), forgotten here. */
	public take(chatKey: string): ContactRecord | undefined {
		const last = this.last.get(chatKey);
		this.last.delete(chatKey);
		return last && (last.copied ? last.record : copyOf(last.record));
	}
}

/** A copy as the store would give it back (absent fields absent). */
function copyOf(record: ContactRecord): ContactRecord {
	return JSON.parse(JSON.stringify(record));
}

/** The record the chat's previous message passed on the lock, if that is what it is. */
function handedRecord(handed: unknown, chatKey: string): ContactRecord | undefined {
	const h = handed as { chatKey?: string; record?: ContactRecord } | undefined;
	return h && h.chatKey === chatKey && h.record ? h.record : undefined;
}

function visitorOf(contact: ContactRecord): VisitorRef {
	return { id: contact.visitorId, token: contact.visitorToken!, name: contact.name, username: contact.visitorUsername };
}

function targetsUnknownMessage(msg: InboundMessage, contact: ContactRecord | undefined): boolean {
	const c = msg.content;
	return (c.kind === 'edit' || c.kind === 'delete') && !findLink(contact, { wa: c.targetMessageId });
}

/** "Image (photo.jpg)" for a file message, for notes about it. */
function mediaLabel(msg: InboundMessage): string {
	const c = msg.content;
	return c.kind === 'media' ? t('inbound_media', { type: t(`media_${c.media}`), name: c.fileName }) : c.kind;
}
