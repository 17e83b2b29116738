import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { t } from '../i18n/translate';
import { WhatsAppProvider } from '../providers/Provider';
import { HttpAdapter } from '../rocketchat/HttpAdapter';
import { ROOM_ICON } from '../rocketchat/roomIcon';
import {
	ensureVisitor, errorText, isNoAgentOnline, openRoom, postAsVisitor, postNotice, updateMessageText, uploadAsVisitor, VisitorRef,
} from '../rocketchat/Omnichannel';
import { scheduleRetry } from '../jobs/schedule';
import { Setting } from '../settings';
import { ContactStore, findLink, newContact } from '../store/ContactStore';
import { InboxItem, InboxStore } from '../store/InboxStore';
import { ContactRecord, InstanceRecord } from '../store/records';
import { Store } from '../store/Store';
import { withChatLock } from './ChatLock';
import { noteActivity } from './activity';
import { alertAdmins } from './alerts';
import { monotonicNow } from './clock';
import { Log } from './log';
import { BusinessMessageEvent, DeliveryStatusEvent, inboundKey, InboundMessage } from './events';
import { describeFailure } from './reasons';
import { quoteLink, renderContent, renderQuote, senderPrefix } from './render';
import { serverSetting } from './serverSettings';
import { visitorToken } from './tokens';

export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;

/** Processing could not finish now and must be retried (the event stays pending, nothing is lost). */
export class RetryLater extends Error {}

/** When a queued message is given up: after this many attempts, or this long after it was recorded. */
export interface GiveUp {
	maxAttempts: number;
	maxAgeMs: number;
}

export type InboundOutcome = 'posted' | 'duplicate' | 'ignored' | 'queued';

export interface Accessors {
	read: IRead;
	modify: IModify;
	http: IHttp;
	persis: IPersistence;
	log?: Log;
}

const FAILED_STATES = ['failed', 'noAccount', 'notInGroup', 'yellowCard'];
const DELIVERY_RANK: Record<string, number> = { pending: 0, sent: 1, delivered: 2, read: 3, failed: 4, noAccount: 4, notInGroup: 4, yellowCard: 4 };

/** customer → Rocket.Chat: one visitor per (instance, chat), one open room, every message type. */
export class InboundService {
	private readonly contacts: ContactStore;
	private readonly inbox: InboxStore;

	constructor(private readonly provider: WhatsAppProvider, private readonly a: Accessors) {
		const store = new Store(a.read.getPersistenceReader(), a.persis);
		this.contacts = new ContactStore(store);
		this.inbox = new InboxStore(store);
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
			void withChatLock(`${instance.id}:${msg.chatId}`, async () => {
				try {
					answer(await this.receiveLocked(instance, msg, onPosted));
				} catch (e) {
					if (!posted) return fail(e);
					// Posted, but the contact record was not written: a redelivery could duplicate it.
					this.a.log?.error(`contact record of ${msg.chatId} not saved after posting ${msg.messageId}: ${errorText(e)}`);
				}
			});
		});
	}

	private async receiveLocked(instance: InstanceRecord, msg: InboundMessage, onPosted: () => void): Promise<InboundOutcome> {
		if (msg.isGroup && (await this.setting(Setting.GroupChats)) !== 'bridge') return 'ignored';
		const contact = await this.contacts.get(instance.id, msg.chatId);
		if (contact?.seen.includes(msg.messageId)) return 'duplicate';
		// A customer with parked messages waits behind them, so order is kept. (Only ids still in the
		// inbox count: a crash can leave a stale one behind.)
		if (contact?.pending && contact.pending.length > 0) {
			if (contact.pending.includes(msg.messageId)) return 'duplicate';
			const parked = new Set((await this.inbox.forChat(`${instance.id}:${msg.chatId}`)).map((i) => i.event.messageId));
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
	public async retryDue(instanceOf: (id: string) => Promise<InstanceRecord | undefined>, now: number, giveUp: GiveUp): Promise<number> {
		const items = await this.inbox.all();
		let left = 0;
		for (const chatKey of [...new Set(items.map((i) => i.chatKey))]) {
			const first = items.find((i) => i.chatKey === chatKey)!;
			if (first.nextAt + TICK_GRACE_MS > now) {
				left += items.filter((i) => i.chatKey === chatKey).length;
				continue;
			}
			left += await this.retryChat(instanceOf, chatKey, now, giveUp);
		}
		return left;
	}

	/** Tries one chat's parked messages in order, now (its retry job fired). */
	public async retryChat(instanceOf: (id: string) => Promise<InstanceRecord | undefined>, chatKey: string, now: number, giveUp: GiveUp): Promise<number> {
		return withChatLock(chatKey, async () => {
			const items = await this.inbox.forChat(chatKey);
			if (items.length === 0) return 0;
			return this.drainChat(await instanceOf(items[0].event.instanceId), items, now, giveUp);
		});
	}

	private async drainChat(instance: InstanceRecord | undefined, items: InboxItem[], now: number, giveUp: GiveUp): Promise<number> {
		let contact = await this.contacts.get(items[0].event.instanceId, items[0].event.chatId);
		for (let i = 0; i < items.length; i++) {
			const item = items[i];
			if (!instance) {
				await this.inbox.remove(item);
				continue;
			}
			try {
				if (!contact?.seen.includes(item.event.messageId)) contact = await this.deliver(instance, item.event, contact);
				contact!.pending = (contact!.pending || []).filter((id) => id !== item.event.messageId);
				await this.contacts.save(contact!);
				await this.inbox.remove(item);
			} catch (e) {
				const reason = errorText(e);
				item.attempts += 1;
				item.lastError = reason;
				if (item.attempts >= giveUp.maxAttempts || now - item.firstAt >= giveUp.maxAgeMs) {
					await this.giveUp(instance, item.event, reason, contact);
					await this.inbox.remove(item);
					if (contact) {
						contact.pending = (contact.pending || []).filter((id) => id !== item.event.messageId);
						await this.contacts.save(contact);
					}
					continue;
				}
				item.nextAt = now + backoffMs(item.attempts);
				await this.inbox.save(item);
				await scheduleRetry(this.a.modify, 'in', item.chatKey, item.nextAt);
				return items.length - i;
			}
		}
		return 0;
	}

	/** Durably queues `msg` behind the chat's other parked messages; its retry job runs after `delayMs`. */
	private async park(instance: InstanceRecord, msg: InboundMessage, contact: ContactRecord, reason: string, delayMs = backoffMs(0)): Promise<void> {
		this.a.log?.info(`inbound ${instance.id}:${msg.messageId} parked: ${reason}`);
		const now = monotonicNow();
		const item: InboxItem = { key: inboundKey(msg), chatKey: `${instance.id}:${msg.chatId}`, event: msg, attempts: 0, firstAt: now, nextAt: now + delayMs, lastError: reason };
		await this.inbox.save(item);
		const first = !(contact.pending || []).length;
		contact.pending = [...(contact.pending || []), msg.messageId];
		await this.contacts.save(contact);
		if (first) await scheduleRetry(this.a.modify, 'in', item.chatKey, item.nextAt);
	}

	/** Posts one message into the contact's room (opening one if needed); returns the updated contact. */
	private async deliver(instance: InstanceRecord, msg: InboundMessage, existing: ContactRecord | undefined, onPosted?: () => void): Promise<ContactRecord> {
		let contact = existing || this.newContactFor(instance, msg);
		const stored = existing ? { roomId: existing.roomId } : undefined;
		if (!contact.roomId || !contact.visitorToken) contact = await this.openConversation(instance, contact);
		const visitor: VisitorRef = { id: contact.visitorId, token: contact.visitorToken!, name: contact.name, username: contact.visitorUsername };
		const rcId = await this.post(instance, msg, contact, visitor);
		onPosted?.();
		noteActivity(instance.id);
		contact.seen.push(msg.messageId);
		if (rcId) contact.links.push({ wa: msg.messageId, rc: rcId, dir: 'in' });
		contact.lastInboundAt = msg.timestamp || Date.now();
		await this.contacts.save(contact, stored);
		return contact;
	}

	/** A group is one conversation named after the group; a private chat is the customer. */
	private newContactFor(instance: InstanceRecord, msg: InboundMessage): ContactRecord {
		return msg.isGroup
			? newContact(instance.id, msg.chatId, msg.groupName || msg.chatId)
			: newContact(instance.id, msg.chatId, msg.sender.name, msg.sender.phone);
	}

	/**
	 * The visitor and an open room for the chat. A room of ours for this chat that is still open is
	 * reused: after a crash between opening a room and recording it, the redelivered message must not
	 * open a second one (the visitor token is derived, so the same visitor comes back).
	 */
	private async openConversation(instance: InstanceRecord, contact: ContactRecord): Promise<ContactRecord> {
		const departmentId = instance.departmentId || (await this.defaultDepartment());
		const token = contact.visitorToken || visitorToken(instance.webhookToken, instance.id, contact.chatId);
		const visitor = await ensureVisitor(this.a.modify, { token, name: contact.name, phone: contact.phone, departmentId });
		const meta = { whatsappInstance: instance.id, whatsappChat: contact.chatId };
		let room = (await this.a.read.getLivechatReader().getLivechatRooms(visitor)).find((r) =>
			r.isOpen !== false && r.customFields?.whatsappInstance === meta.whatsappInstance && r.customFields?.whatsappChat === meta.whatsappChat);
		if (!room) {
			try {
				room = await openRoom(this.a.modify, visitor, {
					label: 'WhatsApp',
					icon: ROOM_ICON,
					destination: instance.wid ? `+${instance.wid.split('@')[0]}` : undefined,
					customFields: meta,
				});
			} catch (e) {
				// No agent online and RC refuses to queue: keep the message, retry later, never drop it.
				if (isNoAgentOnline(e)) throw new RetryLater('no-agent-online');
				throw e;
			}
		}
		return { ...contact, visitorId: visitor.id, visitorToken: visitor.token, visitorUsername: visitor.username, roomId: room.id, conversationStartedAt: Date.now() };
	}

	/** Returns the RC message id that stands for the WhatsApp message (for quotes, edits, reactions). */
	private async post(instance: InstanceRecord, msg: InboundMessage, contact: ContactRecord, visitor: VisitorRef): Promise<string | undefined> {
		const roomId = contact.roomId!;
		const c = msg.content;
		const prefix = senderPrefix(msg);
		if (c.kind === 'edit' || c.kind === 'delete') {
			const target = findLink(contact, { wa: c.targetMessageId });
			const text = c.kind === 'edit' ? c.text : `🗑️ ${t('inbound_deleted')}`;
			if (target && (await this.tryUpdate(target.rc, prefix + text))) return undefined;
			return postAsVisitor(this.a.modify, roomId, visitor, prefix + renderContent(c));
		}
		if (c.kind === 'reaction') {
			const target = findLink(contact, { wa: c.targetMessageId });
			const quoted = target ? quoteLink(await this.siteUrl(), roomId, target.rc) : '';
			return postAsVisitor(this.a.modify, roomId, visitor, quoted + prefix + renderContent(c));
		}
		let quote = '';
		if (msg.quoted) {
			const target = findLink(contact, { wa: msg.quoted.messageId });
			quote = target ? quoteLink(await this.siteUrl(), roomId, target.rc) : renderQuote(msg.quoted.text);
		}
		if (c.kind === 'media') return this.postMedia(roomId, visitor, c, quote + prefix);
		return postAsVisitor(this.a.modify, roomId, visitor, quote + prefix + renderContent(c));
	}

	private async postMedia(roomId: string, visitor: VisitorRef, c: Extract<InboundMessage['content'], { kind: 'media' }>, prefix: string): Promise<string | undefined> {
		const maxBytes = Number(await serverSetting(this.a.read, 'FileUpload_MaxFileSize')) || DEFAULT_MAX_FILE_BYTES;
		const got = await this.provider.downloadMedia(new HttpAdapter(this.a.http), c.url, maxBytes > 0 ? maxBytes : DEFAULT_MAX_FILE_BYTES);
		const label = t('inbound_media', { type: t(`media_${c.media}`), name: c.fileName });
		if (!got.ok) {
			if (got.retryable) throw new RetryLater(describeFailure(got));
			return postAsVisitor(this.a.modify, roomId, visitor, `${prefix}⚠️ ${t('inbound_media_unavailable', { what: label, reason: describeFailure(got) })}${c.caption ? `\n${c.caption}` : ''}`);
		}
		try {
			await uploadAsVisitor(this.a.modify, roomId, visitor.token, c.fileName || `whatsapp-${c.media}`, got.bytes);
		} catch (e) {
			return postAsVisitor(this.a.modify, roomId, visitor, `${prefix}⚠️ ${t('inbound_media_rejected', { what: label, reason: errorText(e) })}${c.caption ? `\n${c.caption}` : ''}`);
		}
		// Rocket.Chat's upload has no caption field: the caption (and any quote) follows as its own message.
		const text = `${prefix}${c.caption || ''}`.trim();
		return text ? postAsVisitor(this.a.modify, roomId, visitor, text) : undefined;
	}

	/**
	 * A message the business typed on its phone: a note in the customer's open room, so agents see the
	 * whole conversation (mapped like an agent message, for quotes and statuses). Without an open room
	 * there is nobody to show it to.
	 */
	public businessMessage(instance: InstanceRecord, e: BusinessMessageEvent): Promise<InboundOutcome> {
		return withChatLock(`${instance.id}:${e.chatId}`, async () => {
			const contact = await this.contacts.get(instance.id, e.chatId);
			if (!contact?.roomId) return 'ignored';
			if (contact.seen.includes(e.messageId) || findLink(contact, { wa: e.messageId })) return 'duplicate';
			const rc = await postNotice(this.a.read, this.a.modify, contact.roomId, `📱 ${t('business_phone_message')}: ${renderContent(e.content)}`);
			contact.seen.push(e.messageId);
			contact.links.push({ wa: e.messageId, rc, dir: 'out', state: 'sent' });
			await this.contacts.save(contact);
			return 'posted';
		});
	}

	/**
	 * Delivery states of agent messages of one chat (a status webhook, or the outgoing journal): one
	 * read and at most one write; failures are told to the agent in the room.
	 */
	public async statuses(instance: InstanceRecord, chatId: string, events: DeliveryStatusEvent[]): Promise<void> {
		await withChatLock(`${instance.id}:${chatId}`, async () => {
			const contact = await this.contacts.get(instance.id, chatId);
			if (!contact) return;
			const changed: Array<{ e: DeliveryStatusEvent; rc: string }> = [];
			for (const e of events) {
				const link = findLink(contact, { wa: e.messageId });
				// Statuses arrive out of order: keep the furthest.
				if (!link || link.state === e.status || (DELIVERY_RANK[e.status] ?? 0) < (DELIVERY_RANK[link.state || 'pending'] ?? 0)) continue;
				link.state = e.status;
				changed.push({ e, rc: link.rc });
			}
			if (changed.length === 0) return;
			await this.contacts.save(contact);
			const mode = changed.length && contact.roomId ? await this.setting(Setting.DeliveryStatus) : 'none';
			for (const { e, rc } of changed) {
				if (!contact.roomId || mode === 'none') break;
				if (FAILED_STATES.includes(e.status)) {
					const reason = e.description || t(`delivery_reason_${e.status}`);
					// The note quotes the agent's message (a link Rocket.Chat renders as a quote).
					await postNotice(this.a.read, this.a.modify, contact.roomId, `${quoteLink(await this.siteUrl(), contact.roomId, rc)}⚠️ ${t('notice_delivery_failed', { reason })}`);
				} else if (mode === 'all' && (e.status === 'delivered' || e.status === 'read')) {
					await this.react(rc, e.status === 'read' ? ':eyes:' : ':white_check_mark:');
				}
			}
		});
	}

	private async giveUp(instance: InstanceRecord, msg: InboundMessage, reason: string, contact: ContactRecord | undefined): Promise<void> {
		const text = `⚠️ ${t('notice_inbound_given_up', { name: msg.sender.name, chat: msg.chatId, reason })}`;
		if (contact?.roomId) await postNotice(this.a.read, this.a.modify, contact.roomId, text);
		else await alertAdmins(this.a.read, this.a.modify, `[${instance.id}] ${text}`);
	}


	private async tryUpdate(rcId: string, text: string): Promise<boolean> {
		try {
			return await updateMessageText(this.a.read, this.a.modify, rcId, text);
		} catch {
			return false; // RC may refuse edits of visitor messages: the caller posts the change instead
		}
	}

	private async react(rcId: string, reaction: string): Promise<void> {
		try {
			const appUser = await this.a.read.getUserReader().getAppUser();
			const updater = (this.a.modify.getUpdater() as unknown as { getMessageUpdater?: () => { addReaction(id: string, uid: string, r: string): Promise<void> } }).getMessageUpdater;
			if (appUser && updater) await updater.call(this.a.modify.getUpdater()).addReaction(rcId, appUser.id, reaction);
		} catch {
			// Reactions are a courtesy (older servers lack the API); the state is stored either way.
		}
	}

	private async defaultDepartment(): Promise<string | undefined> {
		const value = await this.setting(Setting.DefaultDepartment);
		if (typeof value !== 'string' || !value.trim()) return undefined;
		const dept = await this.a.read.getLivechatReader().getLivechatDepartmentByIdOrName(value.trim());
		return dept?.id;
	}

	private async setting(id: Setting): Promise<unknown> {
		return (await this.a.read.getEnvironmentReader().getSettings().getById(id))?.value;
	}

	private async siteUrl(): Promise<string> {
		return String((await serverSetting(this.a.read, 'Site_Url')) || '');
	}
}

/**
 * The tick only takes over items whose own retry job is overdue by this much: on a cluster, the job
 * and the tick may run on different nodes, and they should not drain the same chat at once.
 */
export const TICK_GRACE_MS = 2 * 60_000;

/** 30 s, 1, 2, 4 … minutes, capped at 30 minutes, with ±20 % jitter. */
export function backoffMs(attempts: number, random = Math.random): number {
	const base = Math.min(30 * 60_000, 30_000 * 2 ** attempts);
	return Math.round(base * (0.8 + 0.4 * random()));
}

