import { leaveQueue, waitingKeys } from './ChatQueue';
import { t } from '../i18n/translate';
import { withChatLock } from './ChatLock';
import { chatKeyOf, findLink } from './contacts';
import { CoreDeps, providerOf } from './Core';
import { emojiOf } from './emoji';
import { describeFailure, errorText } from './failures';
import { MessageActions, SendResult } from './ports/provider';
import { ContactRecord, MessageLink } from './ports/records';
import { quoteLink } from './render';

/** WhatsApp lets the sender edit a message for 15 minutes. */
export const WHATSAPP_EDIT_WINDOW_MS = 15 * 60_000;

/** Each is an optional action of the provider's session, of the same name. */
type Action = 'react' | 'edit' | 'delete';

const ACTION_NAME: Record<Action, string> = { react: 'action_react', edit: 'action_edit', delete: 'action_delete' };

export interface AgentReaction {
	roomId: string;
	messageId: string;
	/** Rocket.Chat's shortcode (`:thumbsup:`). */
	reaction: string;
	/** false: the reaction was taken back. */
	added: boolean;
}

export interface AgentEdit {
	roomId: string;
	messageId: string;
	text: string;
	hasFile: boolean;
	/** Rocket.Chat's times of the message and of the edit (one clock), ms. */
	createdAt?: number;
	editedAt?: number;
}

/** The number's session actions (only those the provider has). */
type Target = MessageActions;

/**
 * What an agent does to a message in a WhatsApp room (react, edit, delete) reaches WhatsApp where the
 * provider can (its session has the action); otherwise, and when WhatsApp refuses, the room gets a note saying why.
 * A message still waiting in the outbound queue is changed (or dropped) there before it is sent.
 */
export class AgentActions {
	constructor(private readonly deps: CoreDeps) {}

	public async react(a: AgentReaction): Promise<void> {
		await this.inChat(a.roomId, async (contact) => {
			const link = findLink(contact, { rc: a.messageId });
			if (!link) return this.note(a.roomId, a.messageId, t('notice_action_not_on_whatsapp', { action: t(ACTION_NAME.react) }));
			const target = await this.target(contact, 'react', a.roomId, a.messageId);
			if (!target?.react) return;
			const emoji = a.added ? emojiOf(a.reaction) : '';
			if (emoji === undefined) return this.note(a.roomId, a.messageId, t('notice_reaction_not_emoji', { reaction: a.reaction }));
			await this.done('react', a.roomId, a.messageId, () => target.react!({ chatId: contact.chatId, messageId: link.wa, emoji }));
		});
	}

	public async edit(a: AgentEdit): Promise<void> {
		await this.inChat(a.roomId, async (contact) => {
			if (await this.changeQueued(contact, a.messageId, a.text)) return;
			const link = outgoing(contact, a.messageId);
			if (!link) return this.note(a.roomId, a.messageId, t('notice_action_not_on_whatsapp', { action: t(ACTION_NAME.edit) }));
			const target = await this.target(contact, 'edit', a.roomId, a.messageId);
			if (!target?.edit) return;
			if (a.hasFile) return this.note(a.roomId, a.messageId, t('notice_edit_file'));
			if (a.createdAt && a.editedAt && a.editedAt - a.createdAt > WHATSAPP_EDIT_WINDOW_MS) {
				return this.note(a.roomId, a.messageId, t('notice_edit_too_late', { minutes: WHATSAPP_EDIT_WINDOW_MS / 60_000 }));
			}
			if (!a.text.trim()) return this.note(a.roomId, a.messageId, t('notice_action_failed', { action: t(ACTION_NAME.edit), reason: t('reason_empty_text') }));
			await this.done('edit', a.roomId, a.messageId, () => target.edit!({ chatId: contact.chatId, messageId: link.wa, text: a.text }));
		});
	}

	public async delete(a: { roomId: string; messageId: string }): Promise<void> {
		await this.inChat(a.roomId, async (contact) => {
			if (await this.dropQueued(contact, a.messageId)) return this.note(a.roomId, undefined, t('notice_delete_before_sent'));
			const link = findLink(contact, { rc: a.messageId });
			if (!link) return this.note(a.roomId, undefined, t('notice_action_not_on_whatsapp', { action: t(ACTION_NAME.delete) }));
			if (link.dir === 'in') return this.note(a.roomId, undefined, t('notice_delete_customer_message'));
			const target = await this.target(contact, 'delete', a.roomId, undefined);
			if (!target?.delete) return;
			await this.done('delete', a.roomId, undefined, () => target.delete!({ chatId: contact.chatId, messageId: link.wa }));
		});
	}

	/** Runs under the chat's lock (an edit right after sending waits for the send and sees its id). */
	private async inChat(roomId: string, work: (contact: ContactRecord) => Promise<void>): Promise<void> {
		const found = await this.deps.contacts.byRoom(roomId);
		if (!found) return; // not a WhatsApp room of ours (or closed)
		await withChatLock(chatKeyOf(found.instanceId, found.chatId), async (waited) => {
			const contact = waited ? (await this.deps.contacts.byRoom(roomId)) || found : found;
			await work(contact);
		});
	}

	/** The provider's action where it has one; else a note and undefined. */
	private async target(contact: ContactRecord, action: Action, roomId: string, messageId: string | undefined): Promise<Target | undefined> {
		const instance = await this.deps.instances.get(contact.instanceId);
		if (!instance) return undefined;
		const provider = providerOf(this.deps, instance);
		const session = provider.session(this.deps.http, instance);
		if (!session[action]) {
			await this.note(roomId, messageId, t('notice_action_unsupported', { action: t(ACTION_NAME[action]), provider: provider.label }));
			return undefined;
		}
		return session;
	}

	private async done(action: Action, roomId: string, messageId: string | undefined, call: () => Promise<SendResult>): Promise<void> {
		let r: SendResult;
		try {
			r = await call();
		} catch (e) {
			r = { ok: false, retryable: true, reason: errorText(e) };
		}
		if (!r.ok) await this.note(roomId, messageId, t('notice_action_failed', { action: t(ACTION_NAME[action]), reason: describeFailure(r) }));
	}

	/** The agent edited a message that is still queued: the queue sends the new text. */
	private async changeQueued(contact: ContactRecord, messageId: string, text: string): Promise<boolean> {
		if (!waitingKeys(contact, 'out').includes(messageId)) return false;
		const item = (await this.deps.outbox.forChat(chatKeyOf(contact.instanceId, contact.chatId))).find((i) => i.key === messageId);
		if (!item) return false;
		await this.deps.outbox.save({ ...item, text });
		return true;
	}

	/** The agent deleted a message that is still queued: it is never sent. */
	private async dropQueued(contact: ContactRecord, messageId: string): Promise<boolean> {
		if (!waitingKeys(contact, 'out').includes(messageId)) return false;
		const item = (await this.deps.outbox.forChat(chatKeyOf(contact.instanceId, contact.chatId))).find((i) => i.key === messageId);
		if (!item) return false;
		await this.deps.outbox.remove(item);
		leaveQueue(contact, 'out', messageId);
		await this.deps.contacts.save(contact);
		return true;
	}

	/** A note for the agents, quoting the message it is about when that is still in the room. */
	private async note(roomId: string, messageId: string | undefined, text: string): Promise<void> {
		try {
			const quote = messageId ? quoteLink(await this.deps.rc.siteUrl(), roomId, messageId) : '';
			await this.deps.rc.postNotice(roomId, `${quote}⚠️ ${text}`);
		} catch (e) {
			this.deps.log?.info(`agent action note in ${roomId} not posted: ${errorText(e)}`);
		}
	}
}

/** Only what the business sent can be edited on WhatsApp. */
function outgoing(contact: ContactRecord, rcId: string): MessageLink | undefined {
	const link = findLink(contact, { rc: rcId });
	return link?.dir === 'out' ? link : undefined;
}
