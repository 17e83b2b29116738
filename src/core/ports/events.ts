// Provider-neutral inbound events: what a WhatsApp provider's webhook (or journal) says happened,
// before anything about Rocket.Chat. Providers produce these; the core consumes them.

import { Failure } from './failure';

/** Neutral instance health; a state event's `detail` keeps the provider's own name for admins. */
export type InstanceHealth = 'connected' | 'unlinked' | 'blocked' | 'restricted' | 'starting' | 'offline' | 'unknown';

export type MediaKind = 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker';

/** WhatsApp-side markers the provider puts in place of content (GREEN-API `{{SWE00x}}`). */
export type ProviderMarker =
	| 'empty-first-message' // SWE001: WhatsApp delivered an empty first message; ask the customer to resend
	| 'file-too-large' // SWE002: the file is over the provider's limit and was not fetched
	| 'decryption-failed' // SWE003: the linked device could not decrypt; relink the phone
	| 'group-too-large'; // SWE004

export type InboundContent =
	| { kind: 'text'; text: string; linkTitle?: string; linkDescription?: string }
	/** `ref` is opaque: the provider downloads it (GREEN-API: a URL; Cloud API: a media id). */
	| { kind: 'media'; media: MediaKind; ref: string; fileName: string; mimeType?: string; caption?: string }
	| { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string }
	/** `emails` where the provider passes them (Cloud API contacts; GREEN-API vCards carry phones only). */
	| { kind: 'contacts'; contacts: Array<{ name: string; phones: string[]; emails?: string[] }> }
	| { kind: 'poll'; question: string; options: string[]; multipleAnswers: boolean }
	| { kind: 'poll-update'; pollMessageId: string; question: string; votes: Array<{ option: string; voters: string[] }> }
	/** A tap on a button / list row / template button the business sent; `description`: the list row's. */
	| { kind: 'choice'; text: string; choiceId?: string; inReplyTo?: string; description?: string }
	/** A message with buttons (a business or a bot wrote it): header, body, footer, and what each button does. */
	| { kind: 'buttons'; header?: string; body: string; footer?: string; buttons: MessageButton[] }
	/** A cart the customer sent from the business's catalog (Cloud API `order`). */
	| { kind: 'order'; catalogId?: string; text?: string; items: OrderItem[] }
	/** WhatsApp itself tells about the customer (Cloud API `system`): a changed number (`newId`: the new one) or user id. */
	| { kind: 'system'; event: 'number-changed' | 'user-id-changed' | 'other'; text: string; newId?: string }
	/** Where the customer came from (a click-to-WhatsApp ad or post, Cloud API `referral`): posted once, before their message. */
	| { kind: 'referral'; sourceType?: string; sourceUrl?: string; sourceId?: string; headline?: string; body?: string }
	/** emoji '' means the reaction was removed. */
	| { kind: 'reaction'; targetMessageId: string; emoji: string }
	| { kind: 'edit'; targetMessageId: string; text: string }
	| { kind: 'delete'; targetMessageId: string }
	/** `fileName` / `caption`: what the provider still says of a file it did not fetch (SWE002). */
	| { kind: 'marker'; marker: ProviderMarker; originalType: string; fileName?: string; caption?: string }
	/** reason 'unreadable': a known type whose fields are missing or of the wrong type; `detail`: what the provider says could not be shown (Cloud API `errors[]`). */
	| { kind: 'unsupported'; type: string; reason?: 'unreadable'; detail?: string };

export interface OrderItem {
	productId: string;
	quantity: number;
	price?: number;
	currency?: string;
}

/** One button of a `buttons` message: `reply` sends its text back; the others copy a code, call a phone, open a URL (`value`). */
export interface MessageButton {
	action: 'reply' | 'copy' | 'call' | 'url';
	text: string;
	id?: string;
	value?: string;
}

/**
 * One of the ids WhatsApp names a person by. Which of them a webhook carries varies (a phone-based id, a
 * business-scoped user id, a username, GREEN-API's `@lid` alias…): the core links them all to one contact.
 * `chat`: an id the provider addresses the person by (Cloud API wa_id or BSUID, GREEN-API `…@c.us` / `…@lid`);
 * `phone`: E.164 with '+'; `user-id` / `parent-user-id`: Cloud API BSUIDs; `username`: a WhatsApp username;
 * `lid`: GREEN-API's hidden-number alias.
 */
export interface PersonId {
	kind: 'chat' | 'phone' | 'user-id' | 'parent-user-id' | 'username' | 'lid';
	value: string;
}

export interface QuotedMessage {
	messageId: string;
	/** Plain-text rendering of the quoted message when the payload carries it. */
	text?: string;
	/** True when the quoted message was sent by the business (our side). */
	fromBusiness?: boolean;
}

export interface InboundMessage {
	type: 'message';
	/** The provider instance (WhatsApp number) key, e.g. GREEN-API idInstance as a string. */
	instanceId: string;
	/** Opaque conversation id (`…@c.us`, `…@g.us`, `…@lid`). */
	chatId: string;
	/** Provider message id; unique within a chat only. */
	messageId: string;
	/** Milliseconds since epoch. */
	timestamp: number;
	/** The customer: in a group, the member who wrote. phone is E.164 (`+…`) when derivable. */
	sender: { id: string; name: string; phone?: string };
	/** Every id the event names the customer by besides `chatId` and `sender.phone` (private chats only). */
	people?: PersonId[];
	isGroup: boolean;
	groupName?: string;
	quoted?: QuotedMessage;
	forwarded?: boolean;
	content: InboundContent;
}

/** Neutral delivery states; a provider's own failure names become `failed` with a `failure`. */
export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'read' | 'played' | 'failed';

export interface DeliveryStatusEvent {
	type: 'status';
	instanceId: string;
	/**
	 * Absent in a provider's older status format that names only the message: the core then asks the
	 * provider (`recovery.chatOfSentMessage`), a call made for such statuses only.
	 */
	chatId?: string;
	/** Every id the status names the customer by besides `chatId`. */
	people?: PersonId[];
	messageId: string;
	status: DeliveryState;
	/** Why it failed (status `failed`), in the provider's words or as a translated code. */
	failure?: Failure;
	/** What WhatsApp says the message costs (Cloud API `pricing` of sent / delivered statuses). */
	pricing?: MessagePricing;
	timestamp: number;
}

/**
 * How WhatsApp prices one message (Cloud API `statuses[].pricing`): its category (`marketing`, `utility`,
 * `authentication`, `authentication_international`, `service`, `marketing_lite`, `referral_conversion`…,
 * kept as the provider names it) and whether it is charged. The app knows no prices, only these.
 */
export interface MessagePricing {
	category: string;
	/** True when WhatsApp does not charge it (a free customer-service reply or free entry point). */
	free: boolean;
	/** The provider's own type (`regular`, `free_customer_service`, `free_entry_point`), when given. */
	type?: string;
	/** `PMP` (per message) or `CBP` (per conversation, older free entry points), when given. */
	model?: string;
}

/** A customer stopped or resumed the business's marketing messages (Cloud API `user_preferences`). */
export interface MarketingPreferenceEvent {
	type: 'marketing-preference';
	instanceId: string;
	chatId: string;
	/** E.164 (`+…`) when the provider gives the phone. */
	phone?: string;
	name?: string;
	preference: 'stopped' | 'resumed';
	timestamp: number;
}

export interface InstanceStateEvent {
	type: 'state';
	instanceId: string;
	health: InstanceHealth;
	/** The provider's own state name (authorized, notAuthorized, …), shown to admins. */
	detail: string;
	timestamp: number;
}

/**
 * A message the business sent from its own phone (not through Rocket.Chat): shown to agents. An `edit`
 * or `delete` content is the business changing its own earlier phone message.
 */
export interface BusinessMessageEvent {
	type: 'business-message';
	instanceId: string;
	/** The customer, as the provider's own chat id rule names them (a BSUID when known, else the phone). */
	chatId: string;
	/** Every other id the payload names for the same customer (a phone beside a BSUID, …): the customer is found by any. */
	customerIds?: string[];
	messageId: string;
	timestamp: number;
	content: InboundContent;
}

/** One past message of a chat the business had in its phone app before the number was connected. */
export interface HistoryMessage {
	messageId: string;
	timestamp: number;
	/** Written by the business (from its phone), else by the customer. */
	fromBusiness: boolean;
	content: InboundContent;
}

/** Past messages of one customer chat (a coexistence number's history sync), in any order. */
export interface ChatHistoryEvent {
	type: 'chat-history';
	instanceId: string;
	chatId: string;
	customerIds?: string[];
	messages: HistoryMessage[];
}

/** The name the business gave a customer in its phone's address book (undefined: the entry was removed). */
export interface ContactNameEvent {
	type: 'contact-name';
	instanceId: string;
	/** The customer's phone, digits (as chat ids of phone customers are). */
	chatId: string;
	name?: string;
	timestamp: number;
}

/** A template's review status changed (Cloud API `message_template_status_update`): the cached list is out of date. */
export interface TemplateStatusEvent {
	type: 'template-status';
	instanceId: string;
	name: string;
	language?: string;
	/** The provider's status name (APPROVED, REJECTED, PAUSED, DISABLED…). */
	status: string;
	timestamp: number;
}

/**
 * Something the provider tells about the number itself that admins must hear of (GREEN-API
 * `quotaExceeded`: the plan's monthly chat limit is used up). `code` names the alert text
 * (`alert_provider_<code>`, filled with `params` plus `instance` and `number`); admins are told once
 * per distinct (code, params).
 */
export interface ProviderNoticeEvent {
	type: 'provider-notice';
	instanceId: string;
	code: ProviderNoticeCode;
	params: Record<string, string>;
	timestamp: number;
}

export type ProviderNoticeCode = 'quota_exceeded' | 'quota_exceeded_plain';

export interface IgnoredEvent {
	type: 'ignored';
	instanceId?: string;
	reason: string;
}

export type InboundEvent =
	| InboundMessage | BusinessMessageEvent | ChatHistoryEvent | ContactNameEvent | DeliveryStatusEvent | InstanceStateEvent | TemplateStatusEvent | ProviderNoticeEvent
	| MarketingPreferenceEvent | IgnoredEvent;

/** Instance-wide dedupe key: message ids are unique only within a chat. */
export function inboundKey(e: { instanceId: string; chatId: string; messageId: string }): string {
	return `${e.instanceId}:${e.chatId}:${e.messageId}`;
}
