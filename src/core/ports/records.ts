// What the core persists, and the small repositories it reaches persistence through (implemented in
// src/store). The shapes are the core's; the store only keeps them.

import { DeliveryState, InboundMessage, InstanceHealth, MessagePricing } from './events';
import { InteractiveMessage } from './interactive';
import { TemplateMessage } from './templates';

/** A WhatsApp number connected to Rocket.Chat, on one provider. */
export interface InstanceRecord {
	/** Unique across providers (GREEN-API idInstance; Cloud API phone_number_id). */
	id: string;
	/** WhatsAppProvider.name. */
	provider: string;
	/** Business number, digits only (E.164 without '+'), learnt from the provider. */
	number?: string;
	/** Secret the webhook presents (query, header or bearer: the provider's business); also keys visitor tokens. */
	webhookSecret: string;
	/** Provider-owned credentials and options (tokens, hosts, account ids). Never logged. */
	credentials: Record<string, string>;
	/** Omnichannel department id new conversations go to (else the default setting / RC routing). */
	departmentId?: string;
	/** The provider's own state name (shown to admins), and its neutral health. */
	state?: string;
	health?: InstanceHealth;
	stateChangedAt?: number;
	/** Last message carried (in or out), as of the last recovery run; see core/activity.ts. */
	lastHeardAt?: number;
	lastError?: string;
	/** The trouble state admins were last told about (cleared, with a recovery note, when connected). */
	alertedState?: string;
	/** Up to when the provider's journal was checked for missed messages, ms. */
	recoveredUntil?: number;
	/** Conditions admins were told about (`omnichannel-off`, `department:<id>`): each is told once, until it clears. */
	alerts?: string[];
	/** The Rocket.Chat user who added the number: told of alerts when no alert room is picked. */
	addedBy?: string;
	/** Per-number send rate override (e.g. an upgraded Cloud API number). */
	sendsPerSecond?: number;
	/**
	 * The number is also used in the WhatsApp Business app (a coexistence number): learnt from the first
	 * business-app webhook (echo, history, address book). Such numbers have a fixed, lower throughput.
	 */
	businessApp?: boolean;
	/** Department menu a new conversation answers first (core/DepartmentMenu.ts); absent = off. */
	menu?: DepartmentMenuConfig;
	/** Provider notices admins were told about (core/notices.ts, ProviderNotices): code → what was said, so a redelivery or the same notice again is not repeated. */
	providerNotices?: Record<string, string>;
	createdAt: number;
}

/** The departments a customer chooses from, in menu order (names as the admin gave them, to show and match). */
export interface DepartmentMenuConfig {
	departments: Array<{ id: string; name: string }>;
}

/** One WA message id ↔ RC message id pair, newest last. */
export interface MessageLink {
	wa: string;
	rc: string;
	/** 'in' from the customer, 'out' from an agent. */
	dir: 'in' | 'out';
	state?: DeliveryState;
	/** The note that shows its delivered / read state where the app may not react (edited as the state moves on). */
	stateNoteId?: string;
	/** `rc` is the app's note of a message the business wrote in the WhatsApp Business app (its edits rewrite it). */
	businessApp?: boolean;
	/** What WhatsApp said it costs (the first status that told; counted once in the month's totals). */
	pricing?: MessagePricing;
}

/**
 * Conversation state of one customer chat on one instance: the visitor, the open room, and a bounded
 * window of recent message ids (dedupe + id map), so an inbound text costs one read and one write.
 *
 * Its fields form sections, each written by one module only (test/architecture checks it):
 * identity (RoomOpener), room (RoomOpener), dedupe (Dedupe), queues (ChatQueue),
 * menu (DepartmentMenu), window (WindowReminder), links (contacts.ts, DeliveryStatusService for states),
 * marketing (MarketingPreferences), and the bookkeeping of inbound (InboundService), outbound
 * (OutboundService) and read receipts (ReadReceipts).
 */
export interface ContactRecord {
	// identity
	instanceId: string;
	chatId: string;
	name: string;
	phone?: string;
	visitorId?: string;
	visitorToken?: string;
	/** Rocket.Chat fills message authors from these (guest-N style username). */
	visitorUsername?: string;
	/** Every id the customer was seen under (`kind:value`, core/identity.ts), each also in the person index. */
	people?: string[];
	/** Where messages go when not to `chatId` (the key): the id WhatsApp answered or the customer changed to. */
	sendTo?: string;
	// room
	/** The open room, unset once it was closed. */
	roomId?: string;
	conversationStartedAt?: number;
	/** Where the chat's next room opens (the menu's choice, /whatsapp start); used once, when it opens. */
	next?: { departmentId?: string; agentId?: string };
	// dedupe
	dedupe: DedupeSection;
	// queues
	queues?: QueueSection;
	// menu
	/** The department menu was shown and is not answered yet: when, invalid answers so far, messages it holds. */
	menu?: { shownAt: number; tries: number; held: string[] };
	// window
	lastInboundAt?: number;
	/** Customer-service window reminder: when its check job is due, and the inbound time already reminded about. */
	windowCheckAt?: number;
	windowRemindedFor?: number;
	// links
	links: MessageLink[];
	// inbound
	/** Since when Rocket.Chat refuses this contact (its channel blocked); cleared once a message gets through. */
	blockedSince?: number;
	// outbound
	lastOutboundAt?: number;
	/** When the newest agent message the app took for sending was written (catch-up after a restart). */
	lastAgentAt?: number;
	// read receipts
	/** The customer message last marked read on WhatsApp (read receipts). */
	readUpTo?: string;
	// question
	/** A question sent as a numbered text (no buttons on this number): a typed "1" or "Yes" is read as that choice. */
	question?: OpenQuestion;
	// marketing
	/** The customer's choice about the business's marketing messages on this number; absent: never told (subscribed). */
	marketing?: MarketingPreference;
}

/** Reply options the customer saw as a numbered text, until answered, replaced or expired (core/questions.ts). */
export interface OpenQuestion {
	/** The WhatsApp message id of the question. */
	messageId: string;
	askedAt: number;
	options: Array<{ id: string; title: string }>;
}

/** A customer's marketing-messages preference (core/MarketingPreferences.ts). */
export interface MarketingPreference {
	stopped: boolean;
	/** When the customer chose (the provider's time), ms: an older word never overrides a newer one. */
	at: number;
	/** 'preference': the customer's own stop / resume; 'refusal': WhatsApp refused a marketing template for it. */
	via: 'preference' | 'refusal';
}

/** Inbound ids already handled (core/Dedupe.ts). */
export interface DedupeSection {
	/** Recently processed inbound message ids, newest last; older ones are archived. */
	ids: string[];
	/** When the app received each id (its own clock), parallel to `ids` (absent in records of 0.1.0). */
	times?: number[];
	/** When the newest archived id was received: only a message stamped before (give or take clock skew) can be in the archive. */
	archivedUntil?: number;
}

/** Each queue's "waiting" marker (core/ChatQueue.ts): keys of the chat's items still queued, in order. */
export interface QueueSection {
	/** Inbound message ids parked in the inbox: later messages queue behind them. */
	in?: string[];
	/** Outbox keys (RC message ids) waiting to be sent. */
	out?: string[];
}

// The contact record travels in full on every read and write (msgpack over the app's stdio, a Mongo
// document in production): keep the windows small. 200 ids cover far more than the journal overlap;
// older ids are archived for the provider's redelivery time (core/Dedupe.ts).
export const SEEN_WINDOW = 200;
export const LINK_WINDOW = 100;

/** What every queued item carries: who it is for, and its retry schedule. */
export interface QueueItem {
	/** Unique within the queue (inbound: instance:chat:message id; outbound: the RC message id). */
	key: string;
	/** `instanceId:chatId`: items of one chat are handled in order. */
	chatKey: string;
	attempts: number;
	firstAt: number;
	nextAt: number;
	lastError?: string;
}

/** An inbound message acknowledged to the provider but not yet in Rocket.Chat (no agent online, media…). */
export interface InboxItem extends QueueItem {
	event: InboundMessage;
	/** The note standing at a file's place while it is fetched again (later messages flow meanwhile). */
	placeholderId?: string;
}

/** An agent message recorded before it is sent, kept until WhatsApp accepted it or it was given up. */
export interface OutboxItem extends QueueItem {
	instanceId: string;
	chatId: string;
	roomId: string;
	text: string;
	file?: { id: string; name: string; type: string };
	quotedMessageId?: string;
	/** 'app': a text the app itself sends (menu, closing message); absent: an agent's message. */
	origin?: 'app';
	/** A template instead of free text (`text` is then its rendering, for notes). */
	template?: TemplateMessage;
	/** Reply buttons or a list instead of free text (`text` is then its rendering, for notes). */
	interactive?: InteractiveMessage;
}

export interface ContactRepository {
	get(instanceId: string, chatId: string): Promise<ContactRecord | undefined>;
	byRoom(roomId: string): Promise<ContactRecord | undefined>;
	/**
	 * Writes the record. `stored` says under which room it is stored now (`{ roomId: undefined }` when
	 * without room), or `undefined` when it was never stored.
	 */
	save(contact: ContactRecord, stored?: { roomId?: string }): Promise<void>;
}

/**
 * A past message of a chat kept until the customer's next room opens (a coexistence number's history,
 * or a business-app message sent while the customer had no open room), already rendered.
 */
export interface PendingHistoryEntry {
	messageId: string;
	timestamp: number;
	fromBusiness: boolean;
	/** 'history': from the history sync; 'phone': a business-app message written while no room was open. */
	origin: 'history' | 'phone';
	text: string;
	/** The business deleted it on its phone (kept so the room tells it was there). */
	deleted?: boolean;
	edited?: boolean;
}

/** What a coexistence number's Business app told the app about customers (core/BusinessApp*.ts). */
export interface BusinessAppRecords {
	/** The name the business gave this phone (digits) in its app's address book. */
	contactName(instanceId: string, phone: string): Promise<string | undefined>;
	/** `undefined` forgets it (the entry was removed). */
	setContactName(instanceId: string, phone: string, name: string | undefined): Promise<void>;
	/** Past messages of the chat waiting for its next room, oldest first. */
	pendingHistory(instanceId: string, chatId: string): Promise<PendingHistoryEntry[]>;
	/** Replaces the chat's waiting messages (an empty list removes the record). */
	savePendingHistory(instanceId: string, chatId: string, entries: PendingHistoryEntry[]): Promise<void>;
}

/**
 * Person id (`kind:value`) → the chat id of the contact it belongs to, per number: finds one customer by any
 * id a webhook names them by. Written when an id is first linked, read when an event's chat is not a contact's.
 */
export interface PersonIndex {
	chatOf(instanceId: string, personKey: string): Promise<string | undefined>;
	link(instanceId: string, personKey: string, chatId: string): Promise<void>;
}

/** A WhatsApp room the app opened and that is not closed yet: where agents may write while the app is down. */
export interface OpenRoom {
	roomId: string;
	instanceId: string;
	chatId: string;
	openedAt: number;
}

export interface OpenRoomRepository {
	add(room: OpenRoom): Promise<void>;
	remove(roomId: string): Promise<void>;
	list(): Promise<OpenRoom[]>;
}

/** Inbound ids older than a contact's window, kept for the provider's redelivery time. */
export interface SeenArchive {
	has(instanceId: string, chatId: string, messageId: string): Promise<boolean>;
	/** Adds `entries` (id + message time) and drops what is older than `horizonMs`. */
	add(instanceId: string, chatId: string, entries: Array<{ id: string; at: number }>, horizonMs: number): Promise<void>;
}

/**
 * What WhatsApp said one number's messages of one month cost, by category (one record per
 * instance-month, added to as statuses arrive, so a month is read without scanning messages).
 */
export interface MonthlyUsage {
	instanceId: string;
	/** `YYYY-MM` (UTC). */
	month: string;
	/** One entry per pricing category, in first-seen order (an array: provider names never index objects). */
	categories: Array<{ category: string; billable: number; free: number }>;
	updatedAt: number;
}

export interface UsageRepository {
	get(instanceId: string, month: string): Promise<MonthlyUsage | undefined>;
	save(usage: MonthlyUsage): Promise<void>;
}

export interface InstanceRepository {
	/** `fresh` skips any cache (before a read-modify-write). */
	get(id: string, fresh?: boolean): Promise<InstanceRecord | undefined>;
	list(): Promise<InstanceRecord[]>;
	save(record: InstanceRecord): Promise<void>;
	remove(id: string): Promise<void>;
}

/** A durable per-chat queue, small (items are removed once done). */
export interface QueueRepository<T extends QueueItem> {
	all(): Promise<T[]>;
	forChat(chatKey: string): Promise<T[]>;
	save(item: T): Promise<void>;
	remove(item: T): Promise<void>;
}

