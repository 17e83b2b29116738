import { t } from '../i18n/translate';
import { noteActivity } from './activity';
import { withChatLock } from './ChatLock';
import { AttemptResult, ChatQueue, GiveUp, QueueHandler } from './ChatQueue';
import { monotonicNow } from './clock';
import { chatKeyOf, findLink } from './contacts';
import { CoreDeps, providerOf } from './Core';
import { errorText } from './failures';
import { OutboundFile, SendResult } from './ports/provider';
import { noticeInRoom } from './notices';
import { ContactRecord, OutboxItem } from './ports/records';
import { AgentMessage } from './ports/rocketchat';
import { sendRate } from './RateLimiter';
import { ReadReceipts } from './ReadReceipts';
import { describeFailure } from './reasons';


interface SendState {
	contact?: ContactRecord;
	/** What the last attempt got back (the id map needs the WhatsApp message id). */
	sent?: SendResult;
}

/** agent → customer: recorded first, sent in order per customer, retried, failures told in the room. */
export class OutboundService implements QueueHandler<OutboxItem, SendState> {
	private readonly queue: ChatQueue<OutboxItem, SendState>;

	constructor(private readonly deps: CoreDeps) {
		this.queue = new ChatQueue('out', deps.outbox, deps.scheduler, this);
	}

	public async send(msg: AgentMessage): Promise<void> {
		if (!msg.text && !msg.file) return;
		const found = await this.deps.contacts.byRoom(msg.roomId);
		if (!found) return; // not a WhatsApp room of ours (or already closed)
		const chatKey = chatKeyOf(found.instanceId, found.chatId);
		await withChatLock(chatKey, async (waited) => {
			// Another message of this chat was handled meanwhile: our copy of the contact is stale.
			const contact = waited ? (await this.deps.contacts.byRoom(msg.roomId)) || found : found;
			const now = monotonicNow();
			const quoted = msg.quotedRcId ? findLink(contact, { rc: msg.quotedRcId })?.wa : undefined;
			const item: OutboxItem = {
				key: msg.id, chatKey, instanceId: contact.instanceId, chatId: contact.chatId, roomId: msg.roomId,
				text: msg.text, file: msg.file, quotedMessageId: quoted, attempts: 0, firstAt: now, nextAt: now,
			};
			await this.deps.outbox.save(item);
			// Catch-up after a restart sends only what was written after this one.
			if (msg.createdAt && msg.createdAt > (contact.lastAgentAt || 0)) contact.lastAgentAt = msg.createdAt;
			// An earlier message still waiting goes first: this one waits behind it. (Only keys still in
			// the outbox count: a crash can leave a stale key behind.)
			if ((contact.outPending || []).length > 0) {
				const queued = new Set((await this.queue.forChat(chatKey)).map((i) => i.key));
				contact.outPending = (contact.outPending || []).filter((k) => queued.has(k) && k !== item.key);
				if (contact.outPending.length > 0) {
					contact.outPending.push(item.key);
					await this.deps.contacts.save(contact);
					return;
				}
			}
			await this.queue.run(item, { contact }, now);
		});
	}

	/** A text the app itself sends to the customer (closing message), queued like an agent's. */
	public async sendToContact(contact: ContactRecord, key: string, roomId: string, text: string): Promise<void> {
		const chatKey = chatKeyOf(contact.instanceId, contact.chatId);
		await withChatLock(chatKey, async () => {
			const now = monotonicNow();
			const current = (await this.deps.contacts.get(contact.instanceId, contact.chatId)) || contact;
			const item: OutboxItem = { key, chatKey, instanceId: contact.instanceId, chatId: contact.chatId, roomId, text, origin: 'app', attempts: 0, firstAt: now, nextAt: now };
			await this.deps.outbox.save(item);
			await this.queue.run(item, { contact: current }, now);
		});
	}

	/**
	 * A text the app sends while the caller holds this chat's lock (the department menu, from the inbound
	 * path): recorded with its retry job, then sent as soon as the caller's work on the chat is done.
	 */
	public async queueFromApp(contact: ContactRecord, key: string, text: string, policy: GiveUp): Promise<void> {
		const chatKey = chatKeyOf(contact.instanceId, contact.chatId);
		const now = monotonicNow();
		const item: OutboxItem = { key, chatKey, instanceId: contact.instanceId, chatId: contact.chatId, roomId: contact.roomId || '', text, origin: 'app', attempts: 0, firstAt: now, nextAt: now };
		await this.queue.park(item, true);
		// Waits behind the caller on the chat's lock; the job is the fallback if this process dies first.
		void this.retryChat(chatKey, now, policy).catch((e) => this.deps.log?.error(`outbound ${chatKey} ${key}: ${errorText(e)}`));
	}

	/** Safety net (recurring tick): queued messages whose retry job is overdue, oldest first per customer. */
	public retryDue(now: number, policy: GiveUp): Promise<number> {
		return this.queue.retryDue(now, policy);
	}

	/** Sends one customer's waiting messages in order, now (its retry job fired). */
	public retryChat(chatKey: string, now: number, policy: GiveUp): Promise<number> {
		return this.queue.retryChat(chatKey, now, policy);
	}

	// ---- the outbox queue's handler ----

	public async open(items: OutboxItem[]): Promise<SendState> {
		return { contact: await this.deps.contacts.get(items[0].instanceId, items[0].chatId) };
	}

	public async attempt(item: OutboxItem, state: SendState): Promise<AttemptResult> {
		const result = await this.deliver(item);
		state.sent = result;
		return result.ok ? { ok: true } : { ok: false, retryable: result.retryable, reason: describeFailure(result), retryAfterMs: result.retryAfterMs };
	}

	public async waiting(item: OutboxItem, { reason }: { reason: string }, first: boolean, state: SendState): Promise<void> {
		const contact = state.contact;
		if (contact && !(contact.outPending || []).includes(item.key)) {
			contact.outPending = [...(contact.outPending || []), item.key];
			await this.deps.contacts.save(contact);
		}
		this.deps.log?.info(`outbound ${item.chatKey} ${item.key}: retry ${item.attempts} (${reason})`);
		if (first) await this.notice(item.roomId, `⏳ ${t('notice_outbound_delayed', { reason })}`);
	}

	public async settled(item: OutboxItem, result: AttemptResult, gaveUp: boolean, state: SendState): Promise<void> {
		const contact = state.contact;
		const sent = state.sent;
		if (contact) {
			contact.outPending = (contact.outPending || []).filter((k) => k !== item.key);
			if (sent?.ok) {
				contact.links.push({ wa: sent.messageId, rc: item.key, dir: 'out', state: 'pending' });
				contact.lastOutboundAt = monotonicNow();
				noteActivity(item.instanceId);
				// An agent answered: the customer's messages are read (issue 12, behind a setting).
				if (item.origin !== 'app') await new ReadReceipts(this.deps).agentAnswered(contact);
			}
			await this.deps.contacts.save(contact);
		}
		if (!result.ok) {
			this.deps.log?.info(`outbound ${item.chatKey} ${item.key}: not sent (${result.reason})`);
			const key = gaveUp || result.retryable ? 'notice_outbound_given_up' : 'notice_outbound_failed';
			await this.notice(item.roomId, `⚠️ ${t(key, { reason: result.reason, text: item.text.slice(0, 100) || item.file?.name || '' })}`);
		}
	}

	private async deliver(item: OutboxItem): Promise<SendResult> {
		const instance = await this.deps.instances.get(item.instanceId);
		if (!instance) return { ok: false, retryable: false, reason: t('reason_instance_removed') };
		const provider = providerOf(this.deps, instance);
		await sendRate.take(instance.id, instance.sendsPerSecond || provider.capabilities.sendsPerSecond);
		try {
			if (!item.file) return await provider.sendText(this.deps.http, instance, { chatId: item.chatId, text: item.text, quotedMessageId: item.quotedMessageId });
			let bytes: Buffer;
			try {
				bytes = await this.deps.rc.readUpload(item.file.id);
			} catch (e) {
				return { ok: false, retryable: false, reason: t('reason_file_unreadable', { reason: errorText(e) }) };
			}
			const file: OutboundFile = {
				chatId: item.chatId, fileName: item.file.name, mimeType: item.file.type, bytes,
				caption: item.text || undefined, quotedMessageId: item.quotedMessageId,
			};
			return await provider.sendFile(this.deps.http, instance, file);
		} catch (e) {
			return { ok: false, retryable: true, reason: errorText(e) };
		}
	}

	private async notice(roomId: string, text: string): Promise<void> {
		// The room may be gone; the outcome is still recorded on the contact.
		await noticeInRoom(this.deps, roomId, text);
	}
}
