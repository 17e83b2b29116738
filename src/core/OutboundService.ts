import { t } from '../i18n/translate';
import { noteActivity } from './activity';
import { AttemptResult, ChatQueue, GiveUp, QueueHandler } from './ChatQueue';
import { MAX_MEDIA_BYTES } from './budget';
import { monotonicNow } from './clock';
import { addLink, chatKeyOf, findLink } from './contacts';
import { CoreDeps, displayNumber, providerOf } from './Core';
import { describeFailure, errorText } from './failures';
import { OutboundFile, OutboundTemplate, ProviderSession, SendResult, WhatsAppProvider } from './ports/provider';
import { alertOnce, clearAlert, noticeInRoom, windowClosedNotice } from './notices';
import { ContactRecord, InstanceRecord, OutboxItem } from './ports/records';
import { AgentMessage, FileTooLarge } from './ports/rocketchat';
import { TemplateMessage } from './ports/templates';
import { isWindowClosedFailure, serviceWindow, windowHours } from './serviceWindow';
import { megabytes } from './render';
import { renderTemplate } from './templates';
import { numberedText, renderInteractive } from './interactive';
import { InteractiveMessage } from './ports/interactive';
import { askQuestion, closeQuestion } from './questions';
import { sendRate, sendsPerSecondOf } from './RateLimiter';
import { isMarketingStoppedFailure, recordMarketingChoice } from './MarketingPreferences';
import { ReadReceipts } from './ReadReceipts';
import { addressOf, Identity } from './identity';


interface SendState {
	contact?: ContactRecord;
	/** What the last attempt got back (the id map needs the WhatsApp message id). */
	sent?: SendResult;
	/** The last attempt was refused because the customer-service window is closed (ours or the provider's). */
	windowClosed?: { templates: boolean; hours: number };
	/** The number the last attempt went through (admin alerts on its failures). */
	instance?: InstanceRecord;
	/** The last attempt sent reply buttons or a list as a numbered text (its typed answer is read back). */
	numbered?: boolean;
}

/** What became of a template the app queued (the REST endpoint and the picker report it). */
export type QueuedOutcome =
	| { status: 'sent'; messageId: string }
	| { status: 'queued'; reason: string }
	| { status: 'failed'; reason: string };

/** The core's own failure code: free text outside the customer-service window. */
const WINDOW_CLOSED = 'window_closed';

/** What an outbox item carries besides its chat and schedule. */
export type OutboxContent = Pick<OutboxItem, 'text' | 'file' | 'quotedMessageId' | 'origin' | 'template' | 'interactive'>;

/** The one way an outbox item is built: `key` is its Rocket.Chat message id (or the app's own key). */
export function newOutboxItem(contact: Pick<ContactRecord, 'instanceId' | 'chatId'>, key: string, roomId: string, content: OutboxContent, now = monotonicNow()): OutboxItem {
	return { key, chatKey: chatKeyOf(contact.instanceId, contact.chatId), instanceId: contact.instanceId, chatId: contact.chatId, roomId, ...content, attempts: 0, firstAt: now, nextAt: now };
}

/** agent → customer: recorded first, sent in order per customer, retried, failures told in the room. */
export class OutboundService implements QueueHandler<OutboxItem, SendState> {
	private readonly queue: ChatQueue<OutboxItem, SendState>;

	constructor(private readonly deps: CoreDeps) {
		this.queue = new ChatQueue('out', deps.outbox, deps.scheduler, this, deps.contacts, { field: 'out', keyOf: (item) => item.key });
	}

	public async send(msg: AgentMessage): Promise<void> {
		if (!msg.text && !msg.file) return;
		const found = await this.deps.contacts.byRoom(msg.roomId);
		if (!found) return; // not a WhatsApp room of ours (or already closed)
		const item = newOutboxItem(found, msg.id, msg.roomId, { text: msg.text, file: msg.file });
		await this.queue.submit(item, async (waited) => {
			// Another message of this chat was handled meanwhile: our copy of the contact is stale.
			const contact = waited ? (await this.deps.contacts.byRoom(msg.roomId)) || found : found;
			item.firstAt = item.nextAt = monotonicNow();
			item.quotedMessageId = msg.quotedRcId ? findLink(contact, { rc: msg.quotedRcId })?.wa : undefined;
			// Catch-up after a restart sends only what was written after this one.
			if (msg.createdAt && msg.createdAt > (contact.lastAgentAt || 0)) contact.lastAgentAt = msg.createdAt;
			return { contact };
		}, { tryNow: true });
	}

	/**
	 * A template, already shown in the room as message `key` (so statuses and quotes map to it), queued
	 * like an agent's message: same order, retries and give-up. Says what its first try did.
	 */
	public async sendTemplate(contact: ContactRecord, key: string, roomId: string, template: TemplateMessage): Promise<QueuedOutcome> {
		const item = newOutboxItem(contact, key, roomId, { text: renderTemplate(template), template });
		const state: SendState = {};
		const ran = await this.queue.submit(item, () => this.current(contact, state, item), { tryNow: true });
		if (ran === 'behind') return { status: 'queued', reason: t('reason_waiting_for_earlier') };
		if (ran === 'waiting') return { status: 'queued', reason: item.lastError || '' };
		return state.sent?.ok ? { status: 'sent', messageId: state.sent.messageId } : { status: 'failed', reason: state.sent ? describeFailure(state.sent) : '' };
	}

	/**
	 * Reply buttons or a list, already shown in the room as message `key`, queued like an agent's message
	 * (inside the window only, like free text). Says what its first try did.
	 */
	public async sendInteractive(contact: ContactRecord, key: string, roomId: string, message: InteractiveMessage): Promise<QueuedOutcome> {
		const item = newOutboxItem(contact, key, roomId, { text: renderInteractive(message), interactive: message });
		const state: SendState = {};
		const ran = await this.queue.submit(item, () => this.current(contact, state, item), { tryNow: true });
		if (ran === 'behind') return { status: 'queued', reason: t('reason_waiting_for_earlier') };
		if (ran === 'waiting') return { status: 'queued', reason: item.lastError || '' };
		return state.sent?.ok ? { status: 'sent', messageId: state.sent.messageId } : { status: 'failed', reason: state.sent ? describeFailure(state.sent) : '' };
	}

	/** A text the app itself sends to the customer (closing message, start fallback), in the chat's order. */
	public async sendToContact(contact: ContactRecord, key: string, roomId: string, text: string): Promise<void> {
		const item = newOutboxItem(contact, key, roomId, { text, origin: 'app' });
		await this.queue.submit(item, () => this.current(contact, {}, item), { tryNow: true });
	}

	/**
	 * A text the app sends while the caller holds this chat's lock and writes `contact` right after (the
	 * department menu, from the inbound path): recorded with its retry job, then sent as soon as the
	 * caller's work on the chat is done.
	 */
	public async queueFromApp(contact: ContactRecord, key: string, text: string, policy: GiveUp): Promise<void> {
		const item = newOutboxItem(contact, key, contact.roomId || '', { text, origin: 'app' });
		await this.queue.submit(item, { contact }, { locked: true, tryNow: false, callerSaves: true });
		// Waits behind the caller on the chat's lock; the job is the fallback if this process dies first.
		void this.retryChat(item.chatKey, item.firstAt, policy).catch((e) => this.deps.log?.error(`outbound ${item.chatKey} ${key}: ${errorText(e)}`));
	}

	/** The chat's contact record as stored now (the caller's copy may predate other work on the chat). */
	private async current(contact: ContactRecord, state: SendState, item: OutboxItem): Promise<SendState> {
		item.firstAt = item.nextAt = monotonicNow();
		state.contact = (await this.deps.contacts.get(contact.instanceId, contact.chatId)) || contact;
		return state;
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
		state.windowClosed = undefined;
		state.numbered = undefined;
		const result = await this.deliver(item, state);
		state.sent = result;
		if (result.ok) return { ok: true };
		// Only a template can go now: retrying the same message would be refused again.
		if (state.windowClosed) return { ok: false, retryable: false, reason: describeFailure(result) };
		return { ok: false, retryable: result.retryable, reason: describeFailure(result), retryAfterMs: result.retryAfterMs };
	}

	public async waiting(item: OutboxItem, { reason }: { reason: string }, first: boolean): Promise<void> {
		this.deps.log?.info(`outbound ${item.chatKey} ${item.key}: retry ${item.attempts} (${reason})`);
		if (first) await this.notice(item.roomId, `⏳ ${t('notice_outbound_delayed', { reason })}`);
	}

	public async settled(item: OutboxItem, result: AttemptResult, gaveUp: boolean, state: SendState): Promise<void> {
		const contact = state.contact;
		const sent = state.sent;
		if (contact && sent?.ok) {
			addLink(contact, { wa: sent.messageId, rc: item.key, dir: 'out', state: 'pending' });
			await new Identity(this.deps).answered(contact, sent.recipient);
			contact.lastOutboundAt = monotonicNow();
			// A question that went as a numbered text waits for its typed answer; anything else the business says closes the last one.
			if (item.interactive && state.numbered) askQuestion(contact, sent.messageId, item.interactive);
			else if (item.origin !== 'app') closeQuestion(contact);
			noteActivity(item.instanceId);
			// An agent answered: the customer's messages are read (behind a setting).
			if (item.origin !== 'app') await new ReadReceipts(this.deps).agentAnswered(contact);
		}
		await this.alertOnProviderRefusal(state);
		// The room shows buttons; the agent learns the customer got them as a numbered text.
		if (sent?.ok && item.interactive && state.numbered) await this.notice(item.roomId, `ℹ️ ${t('notice_interactive_numbered')}`);
		// WhatsApp refused a marketing template at once because the customer stopped marketing messages.
		if (contact && sent && !sent.ok && state.instance && isMarketingStoppedFailure(providerOf(this.deps, state.instance).capabilities, sent)) {
			recordMarketingChoice(contact, true, Date.now(), 'refusal');
		}
		if (!result.ok) {
			this.deps.log?.info(`outbound ${item.chatKey} ${item.key}: not sent (${result.reason})`);
			const text = item.text.slice(0, 100) || item.file?.name || '';
			if (state.windowClosed) return windowClosedNotice(this.deps, item.roomId, { messageId: item.key, lastInboundAt: contact?.lastInboundAt, ...state.windowClosed });
			const key = gaveUp || result.retryable ? 'notice_outbound_given_up' : 'notice_outbound_failed';
			await this.notice(item.roomId, `⚠️ ${t(key, { reason: result.reason, text })}`);
		}
	}

	/**
	 * Failures the provider declares as needing an admin (an expired token, a policy block) are told once;
	 * a send that works again clears them (the cached record says whether there is anything to clear).
	 */
	private async alertOnProviderRefusal(state: SendState): Promise<void> {
		const { instance, sent } = state;
		if (!instance || !sent) return;
		if (sent.ok) {
			for (const key of (instance.alerts || []).filter((k) => k.startsWith('send:'))) await clearAlert(this.deps, instance, key);
			return;
		}
		const codes = providerOf(this.deps, instance).capabilities.adminAlertCodes || [];
		if (!sent.code || !codes.includes(sent.code)) return;
		await alertOnce(this.deps, instance, `send:${sent.code}`, `⚠️ ${t('alert_provider_refused', { instance: instance.id, number: displayNumber(instance.number), reason: describeFailure(sent) })}`);
	}

	private async deliver(item: OutboxItem, state: SendState): Promise<SendResult> {
		const instance = await this.deps.instances.get(item.instanceId);
		if (!instance) return { ok: false, retryable: false, reason: t('reason_instance_removed') };
		state.instance = instance;
		const provider = providerOf(this.deps, instance);
		const caps = provider.capabilities;
		const closed = { templates: !!provider.templates, hours: windowHours(caps) };
		// Free text and files only go inside the customer-service window; templates always may.
		if (!item.template) {
			const window = serviceWindow(caps, state.contact?.lastInboundAt, Date.now());
			if (window.applies && !window.open) {
				state.windowClosed = closed;
				return { ok: false, retryable: false, reason: t('reason_window_closed'), code: WINDOW_CLOSED };
			}
		}
		await sendRate.take(instance.id, sendsPerSecondOf(instance, caps));
		const result = await this.sendVia(provider, instance, item, state, addressOf(state.contact, item.chatId));
		if (!result.ok && isWindowClosedFailure(caps, result)) state.windowClosed = closed;
		return result;
	}

	/** As WhatsApp buttons where the provider sends this kind, else (or when the number does not offer them) as a numbered text. */
	private async sendInteractiveVia(session: ProviderSession, instance: InstanceRecord, item: OutboxItem, message: InteractiveMessage, state: SendState, to: string): Promise<SendResult> {
		if (session.interactive?.kinds.includes(message.kind)) {
			const sent = await session.interactive.send({ ...message, chatId: to, quotedMessageId: item.quotedMessageId });
			if (sent.ok || !('unavailable' in sent)) return sent;
			this.deps.log?.info(`outbound ${item.chatKey} ${item.key}: ${message.kind} not offered on ${instance.id} (${sent.reason}), sent as numbered text`);
		}
		state.numbered = true;
		return session.sendText({ chatId: to, text: numberedText(message), quotedMessageId: item.quotedMessageId });
	}

	/** `to`: the chat id the customer is reached at (core/identity.ts). */
	private async sendVia(provider: WhatsAppProvider, instance: InstanceRecord, item: OutboxItem, state: SendState, to: string): Promise<SendResult> {
		try {
			const session = provider.session(this.deps.http, instance);
			if (item.template) {
				if (!session.templates) return { ok: false, retryable: false, reason: t('reason_no_templates', { provider: provider.label }) };
				const template: OutboundTemplate = { ...item.template, chatId: to };
				const file = item.template.header?.file;
				if (file) {
					// A room file as the media header: its bytes go to the provider's media upload first (here, in the
					// outbound queue — a job or the agent's own send, never a UIKit answer).
					try {
						template.headerFile = { bytes: await this.deps.rc.readUpload(file.id), fileName: file.name, mimeType: file.type };
					} catch (e) {
						return { ok: false, retryable: false, reason: t('reason_file_unreadable', { reason: errorText(e) }) };
					}
				}
				return await session.templates.send(template);
			}
			if (item.interactive) return await this.sendInteractiveVia(session, instance, item, item.interactive, state, to);
			if (!item.file) return await session.sendText({ chatId: to, text: item.text, quotedMessageId: item.quotedMessageId });
			let bytes: Buffer;
			try {
				bytes = await this.deps.rc.readUpload(item.file.id, Math.min(largestFile(provider), this.deps.rc.transferLimitBytes()));
			} catch (e) {
				if (e instanceof FileTooLarge) {
					const params = { name: item.file.name, size: megabytes(e.size), max: megabytes(e.max) };
					return { ok: false, retryable: false, code: 'file_over_transfer_limit', params, reason: `${item.file.name} (${e.size} bytes) is over the ${e.max} bytes one call carries` };
				}
				return { ok: false, retryable: false, reason: t('reason_file_unreadable', { reason: errorText(e) }) };
			}
			const file: OutboundFile = {
				chatId: to, fileName: item.file.name, mimeType: item.file.type, bytes,
				caption: item.text || undefined, quotedMessageId: item.quotedMessageId,
			};
			return await session.sendFile(file);
		} catch (e) {
			return { ok: false, retryable: true, reason: errorText(e) };
		}
	}

	private async notice(roomId: string, text: string): Promise<void> {
		// The room may be gone; the outcome is still recorded on the contact.
		await noticeInRoom(this.deps, roomId, text);
	}
}

/** The provider's largest file of any kind (it checks the kind's own limit once it has the bytes). */
function largestFile(provider: WhatsAppProvider): number {
	const limits = Object.values(provider.capabilities.media).map((m) => m?.maxBytes ?? 0);
	return limits.length ? Math.max(...limits) : MAX_MEDIA_BYTES;
}
