import { t } from '../i18n/translate';
import { noteActivity } from './activity';
import { withChatLock } from './ChatLock';
import { AttemptResult, backoffMs, ChatQueue, GiveUp, QueueHandler } from './ChatQueue';
import { monotonicNow } from './clock';
import { chatKeyOf, newContact } from './contacts';
import { ConversationOpener } from './ConversationOpener';
import { CoreDeps } from './Core';
import { inboundKey, InboundMessage } from './ports/events';
import { errorText } from './failures';
import { alertAdmins, noticeInRoom } from './notices';
import { ContactRecord, InboxItem, InstanceRecord } from './ports/records';
import { RoomGone, VisitorRef } from './ports/rocketchat';
import { RoomPoster } from './RoomPoster';

export type InboundOutcome = 'posted' | 'duplicate' | 'ignored' | 'queued';

interface DrainState {
	instance?: InstanceRecord;
	contact?: ContactRecord;
}

/** customer → Rocket.Chat: one visitor per (instance, chat), one open room, every message type. */
export class InboundService implements QueueHandler<InboxItem, DrainState> {
	private readonly queue: ChatQueue<InboxItem, DrainState>;
	private readonly opener: ConversationOpener;
	private readonly poster: RoomPoster;

	constructor(private readonly deps: CoreDeps) {
		this.queue = new ChatQueue('in', deps.inbox, deps.scheduler, this);
		this.opener = new ConversationOpener(deps);
		this.poster = new RoomPoster(deps);
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
			void withChatLock(chatKeyOf(instance.id, msg.chatId), async () => {
				try {
					answer(await this.receiveLocked(instance, msg, onPosted));
				} catch (e) {
					if (!posted) return fail(e);
					// Posted, but the contact record was not written: a redelivery could duplicate it.
					this.deps.log?.error(`contact record of ${msg.chatId} not saved after posting ${msg.messageId}: ${errorText(e)}`);
				}
			});
		});
	}

	private async receiveLocked(instance: InstanceRecord, msg: InboundMessage, onPosted: () => void): Promise<InboundOutcome> {
		if (msg.isGroup && (await this.deps.rc.settings()).groupChats !== 'bridge') return 'ignored';
		const contact = await this.deps.contacts.get(instance.id, msg.chatId);
		if (contact?.seen.includes(msg.messageId)) return 'duplicate';
		// A customer with parked messages waits behind them, so order is kept. (Only ids still in the
		// inbox count: a crash can leave a stale one behind.)
		if (contact?.pending && contact.pending.length > 0) {
			if (contact.pending.includes(msg.messageId)) return 'duplicate';
			const parked = new Set((await this.queue.forChat(chatKeyOf(instance.id, msg.chatId))).map((i) => i.event.messageId));
			contact.pending = contact.pending.filter((id) => parked.has(id));
			if (contact.pending.length > 0) {
				await this.park(instance, msg, contact, 'waiting for earlier messages');
				return 'queued';
			}
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
			await this.park(instance, msg, contact || this.newContactFor(instance, msg), errorText(e));
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
		const first = !(contact.pending || []).length;
		await this.deps.inbox.save(item);
		contact.pending = [...(contact.pending || []), msg.messageId];
		await this.deps.contacts.save(contact);
		if (first) await this.deps.scheduler.scheduleRetry('in', item.chatKey, item.nextAt);
	}

	// ---- the inbox queue's handler ----

	public async open(items: InboxItem[]): Promise<DrainState> {
		const { instanceId, chatId } = items[0].event;
		const [instance, contact] = await Promise.all([this.deps.instances.get(instanceId), this.deps.contacts.get(instanceId, chatId)]);
		return { instance, contact };
	}

	public async attempt(item: InboxItem, state: DrainState): Promise<AttemptResult> {
		if (!state.instance) return { ok: false, retryable: false, reason: 'instance removed' };
		if (state.contact?.seen.includes(item.event.messageId)) return { ok: true };
		try {
			state.contact = await this.deliver(state.instance, item.event, state.contact);
			return { ok: true };
		} catch (e) {
			return { ok: false, retryable: true, reason: errorText(e) };
		}
	}

	public async settled(item: InboxItem, result: AttemptResult, gaveUp: boolean, state: DrainState): Promise<void> {
		if (!state.instance) return; // the number was removed: its messages have nowhere to go
		if (gaveUp && !result.ok) await this.giveUp(state.instance, item.event, result.reason, state.contact);
		if (state.contact) {
			state.contact.pending = (state.contact.pending || []).filter((id) => id !== item.event.messageId);
			await this.deps.contacts.save(state.contact);
		}
	}

	public async waiting(): Promise<void> {
		// The chat's later messages already wait behind this one (contact.pending).
	}

	/** Posts one message into the contact's room (opening one if needed); returns the updated contact. */
	private async deliver(instance: InstanceRecord, msg: InboundMessage, existing: ContactRecord | undefined, onPosted?: () => void): Promise<ContactRecord> {
		let contact = existing || this.newContactFor(instance, msg);
		const stored = existing ? { roomId: existing.roomId } : undefined;
		if (!contact.roomId || !contact.visitorToken) contact = await this.opener.open(instance, contact);
		let rcId: string | undefined;
		try {
			rcId = await this.poster.post(instance, msg, contact, visitorOf(contact));
		} catch (e) {
			// The room vanished (the visitor's data was removed; Rocket.Chat sends no room-closed event for
			// that): the customer must not be cut off, so a new room opens for this message.
			if (!(e instanceof RoomGone)) throw e;
			this.deps.log?.info(`room ${contact.roomId} of ${msg.chatId} no longer exists: opening a new one`);
			contact = await this.opener.open(instance, { ...contact, roomId: undefined });
			rcId = await this.poster.post(instance, msg, contact, visitorOf(contact));
		}
		onPosted?.();
		noteActivity(instance.id);
		contact.seen.push(msg.messageId);
		if (rcId) contact.links.push({ wa: msg.messageId, rc: rcId, dir: 'in' });
		// The newest message decides the customer-service window (a journal may replay older ones later).
		contact.lastInboundAt = Math.max(contact.lastInboundAt || 0, msg.timestamp || Date.now());
		await this.deps.contacts.save(contact, stored);
		return contact;
	}

	/** A group is one conversation named after the group; a private chat is the customer. */
	private newContactFor(instance: InstanceRecord, msg: InboundMessage): ContactRecord {
		return msg.isGroup
			? newContact(instance.id, msg.chatId, msg.groupName || msg.chatId)
			: newContact(instance.id, msg.chatId, msg.sender.name, msg.sender.phone);
	}

	private async giveUp(instance: InstanceRecord, msg: InboundMessage, reason: string, contact: ContactRecord | undefined): Promise<void> {
		const text = `⚠️ ${t('notice_inbound_given_up', { name: msg.sender.name, chat: msg.chatId, reason })}`;
		if (!contact?.roomId || !(await noticeInRoom(this.deps, contact.roomId, text))) await alertAdmins(this.deps, instance, `[${instance.id}] ${text}`);
	}
}

function visitorOf(contact: ContactRecord): VisitorRef {
	return { id: contact.visitorId, token: contact.visitorToken!, name: contact.name, username: contact.visitorUsername };
}
