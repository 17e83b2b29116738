import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { t } from '../i18n/translate';
import { OutboundFile, SendResult, WhatsAppProvider } from '../providers/Provider';
import { scheduleRetry } from '../jobs/schedule';
import { HttpAdapter } from '../rocketchat/HttpAdapter';
import { errorText, postNotice } from '../rocketchat/Omnichannel';
import { ContactStore, findLink } from '../store/ContactStore';
import { InstanceStore } from '../store/InstanceStore';
import { OutboxItem, OutboxStore } from '../store/OutboxStore';
import { ContactRecord } from '../store/records';
import { Store } from '../store/Store';
import { withChatLock } from './ChatLock';
import { noteActivity } from './activity';
import { monotonicNow } from './clock';
import { sendRate } from './RateLimiter';
import { describeFailure } from './reasons';
import { Accessors, backoffMs, GiveUp, TICK_GRACE_MS } from './InboundService';

/** What an agent message carries, read off the IMessage Rocket.Chat hands to IPostMessageSent. */
export interface AgentMessage {
	id: string;
	roomId: string;
	text: string;
	file?: { id: string; name: string; type: string };
	/** RC id of the quoted message, from the quote attachment's link. */
	quotedRcId?: string;
}

/** Cheap, no bridge calls: is this an agent's message in a livechat room this app opened? */
export function isAgentMessageForUs(message: IMessage, appId: string): boolean {
	const room = message.room as IMessage['room'] & { source?: { type?: string; id?: string } };
	if (!room || room.type !== 'l' || !message.id) return false;
	if ((message as { token?: string }).token) return false; // visitor messages (including ours)
	if ((message as { type?: string }).type) return false; // system messages
	if (message.editedAt) return false;
	const senderType = String(message.sender?.type || '');
	if (senderType === 'app' || senderType === 'unknown') return false;
	return !room.source || room.source.type !== 'app' || !room.source.id || room.source.id === appId;
}

export function toAgentMessage(message: IMessage): AgentMessage {
	const files = (message as { files?: Array<{ _id: string; name: string; type: string; typeGroup?: string }> }).files;
	const file = files?.find((f) => f.typeGroup !== 'thumb') || message.file;
	const attachments = message.attachments || [];
	let quotedRcId: string | undefined;
	for (const a of attachments) {
		const m = /[?&]msg=([^&#\s)]+)/.exec(a.timestampLink || (a as { message_link?: string }).message_link || '');
		if (m) quotedRcId = m[1];
	}
	// RC prefixes a quoting message with `[ ](link) `: that is markup, not text for the customer.
	let text = (message.text || '').replace(/^(\[ \]\([^)]*\)\s*)+/, '').trim();
	if (file && !text) text = attachments.find((a) => a.description)?.description || '';
	return {
		id: message.id!,
		roomId: message.room.id,
		text,
		file: file ? { id: file._id, name: file.name, type: file.type } : undefined,
		quotedRcId,
	};
}

/** agent → customer: recorded first, sent in order per customer, retried, failures told in the room. */
export class OutboundService {
	private readonly contacts: ContactStore;
	private readonly outbox: OutboxStore;
	private readonly instances: InstanceStore;

	constructor(private readonly provider: WhatsAppProvider, private readonly a: Accessors) {
		const store = new Store(a.read.getPersistenceReader(), a.persis);
		this.contacts = new ContactStore(store);
		this.outbox = new OutboxStore(store);
		this.instances = new InstanceStore(store);
	}

	public async send(msg: AgentMessage): Promise<void> {
		if (!msg.text && !msg.file) return;
		const found = await this.contacts.byRoom(msg.roomId);
		if (!found) return; // not a WhatsApp room of ours (or already closed)
		const chatKey = `${found.instanceId}:${found.chatId}`;
		await withChatLock(chatKey, async (waited) => {
			// Another message of this chat was handled meanwhile: our copy of the contact is stale.
			const contact = waited ? (await this.contacts.byRoom(msg.roomId)) || found : found;
			const now = monotonicNow();
			const quoted = msg.quotedRcId ? findLink(contact, { rc: msg.quotedRcId })?.wa : undefined;
			const item: OutboxItem = {
				key: msg.id, chatKey, instanceId: contact.instanceId, chatId: contact.chatId, roomId: msg.roomId,
				text: msg.text, file: msg.file, quotedMessageId: quoted, attempts: 0, firstAt: now, nextAt: now,
			};
			await this.outbox.save(item);
			// An earlier message still waiting goes first: this one waits behind it. (Only keys still in
			// the outbox count: a crash can leave a stale key behind.)
			if ((contact.outPending || []).length > 0) {
				const queued = new Set((await this.outbox.forChat(chatKey)).map((i) => i.key));
				contact.outPending = (contact.outPending || []).filter((k) => queued.has(k) && k !== item.key);
				if (contact.outPending.length > 0) {
					contact.outPending.push(item.key);
					await this.contacts.save(contact);
					return;
				}
			}
			await this.attempt(item, contact, now);
		});
	}

	/** A text the app itself sends to the customer (closing message), queued like an agent's. */
	public async sendToContact(contact: ContactRecord, key: string, roomId: string, text: string): Promise<void> {
		const chatKey = `${contact.instanceId}:${contact.chatId}`;
		await withChatLock(chatKey, async () => {
			const now = monotonicNow();
			const current = (await this.contacts.get(contact.instanceId, contact.chatId)) || contact;
			const item: OutboxItem = { key, chatKey, instanceId: contact.instanceId, chatId: contact.chatId, roomId, text, attempts: 0, firstAt: now, nextAt: now };
			await this.outbox.save(item);
			await this.attempt(item, current, now);
		});
	}

	/** Safety net (recurring tick): queued messages whose retry job is overdue, oldest first per customer. */
	public async retryDue(now: number, policy: GiveUp): Promise<number> {
		const items = await this.outbox.all();
		let left = 0;
		for (const chatKey of [...new Set(items.map((i) => i.chatKey))]) {
			const queue = items.filter((i) => i.chatKey === chatKey);
			left += queue[0].nextAt + TICK_GRACE_MS > now ? queue.length : await this.retryChat(chatKey, now, policy);
		}
		return left;
	}

	/** Sends one customer's waiting messages in order, now (its retry job fired). */
	public retryChat(chatKey: string, now: number, policy: GiveUp): Promise<number> {
		return withChatLock(chatKey, async () => {
			const queue = await this.outbox.forChat(chatKey);
			if (queue.length === 0) return 0;
			let contact = await this.contacts.get(queue[0].instanceId, queue[0].chatId);
			for (let i = 0; i < queue.length; i++) {
				const outcome = await this.attempt(queue[i], contact, now, policy);
				contact = outcome.contact;
				if (outcome.waiting) return queue.length - i;
			}
			return 0;
		});
	}

	/** One try. Success/permanent failure/give-up remove the item; a retryable failure keeps it. */
	private async attempt(item: OutboxItem, contact: ContactRecord | undefined, now: number, policy?: GiveUp): Promise<{ waiting: boolean; contact?: ContactRecord }> {
		const result = await this.deliver(item);
		if (!result.ok && result.retryable && !(policy && (item.attempts + 1 >= policy.maxAttempts || now - item.firstAt >= policy.maxAgeMs))) {
			const firstFailure = item.attempts === 0;
			item.attempts += 1;
			item.lastError = describeFailure(result);
			item.nextAt = now + Math.max(result.retryAfterMs || 0, backoffMs(item.attempts - 1));
			await this.outbox.save(item);
			await scheduleRetry(this.a.modify, 'out', item.chatKey, item.nextAt);
			if (contact && !(contact.outPending || []).includes(item.key)) {
				contact.outPending = [...(contact.outPending || []), item.key];
				await this.contacts.save(contact);
			}
			this.a.log?.info(`outbound ${item.chatKey} ${item.key}: retry ${item.attempts} (${result.reason})`);
			if (firstFailure) await this.notice(item.roomId, `⏳ ${t('notice_outbound_delayed', { reason: describeFailure(result) })}`);
			return { waiting: true, contact };
		}
		await this.outbox.remove(item);
		if (contact) {
			contact.outPending = (contact.outPending || []).filter((k) => k !== item.key);
			if (result.ok) {
				contact.links.push({ wa: result.messageId, rc: item.key, dir: 'out', state: 'pending' });
				contact.lastOutboundAt = now;
				noteActivity(item.instanceId);
			}
			await this.contacts.save(contact);
		}
		if (!result.ok) {
			this.a.log?.info(`outbound ${item.chatKey} ${item.key}: not sent (${result.reason})`);
			const key = result.retryable ? 'notice_outbound_given_up' : 'notice_outbound_failed';
			await this.notice(item.roomId, `⚠️ ${t(key, { reason: describeFailure(result), text: item.text.slice(0, 100) || item.file?.name || '' })}`);
		}
		return { waiting: false, contact };
	}

	private async deliver(item: OutboxItem): Promise<SendResult> {
		const instance = await this.instances.get(item.instanceId);
		if (!instance) return { ok: false, retryable: false, reason: t('reason_instance_removed') };
		const http = new HttpAdapter(this.a.http);
		await sendRate.take(instance.id);
		try {
			if (!item.file) return await this.provider.sendText(http, instance, { chatId: item.chatId, text: item.text, quotedMessageId: item.quotedMessageId });
			let bytes: Buffer;
			try {
				bytes = await this.a.read.getUploadReader().getBufferById(item.file.id);
			} catch (e) {
				return { ok: false, retryable: false, reason: t('reason_file_unreadable', { reason: errorText(e) }) };
			}
			const file: OutboundFile = {
				chatId: item.chatId, fileName: item.file.name, mimeType: item.file.type, bytes,
				caption: item.text || undefined, quotedMessageId: item.quotedMessageId,
			};
			return await this.provider.sendFile(http, instance, file);
		} catch (e) {
			return { ok: false, retryable: true, reason: errorText(e) };
		}
	}

	private async notice(roomId: string, text: string): Promise<void> {
		try {
			await postNotice(this.a.read, this.a.modify, roomId, text);
		} catch {
			// The room may be gone; the outcome is still recorded on the contact.
		}
	}
}
