import { DeliveryState } from '../core/events';
import { ProviderInstance } from '../providers/Provider';

/** A WhatsApp number connected to Rocket.Chat. */
export interface InstanceRecord extends ProviderInstance {
	/** Omnichannel department id new conversations go to (else the default setting / RC routing). */
	departmentId?: string;
	state?: string;
	stateChangedAt?: number;
	/** Last message carried (in or out), as of the last recovery run; see core/activity.ts. */
	lastHeardAt?: number;
	lastError?: string;
	/** The trouble state admins were last told about (cleared, with a recovery note, when authorized). */
	alertedState?: string;
	/** Up to when the provider's journal was checked for missed messages, ms. */
	recoveredUntil?: number;
	createdAt: number;
}

/** One WA message id ↔ RC message id pair, newest last. */
export interface MessageLink {
	wa: string;
	rc: string;
	/** 'in' from the customer, 'out' from an agent. */
	dir: 'in' | 'out';
	state?: DeliveryState;
}

/**
 * Conversation state of one customer chat on one instance: the visitor, the open room, and a bounded
 * window of recent message ids (dedupe + id map), so an inbound text costs one read and one write.
 */
export interface ContactRecord {
	instanceId: string;
	chatId: string;
	name: string;
	phone?: string;
	visitorId?: string;
	visitorToken?: string;
	/** Rocket.Chat fills message authors from these (guest-N style username). */
	visitorUsername?: string;
	/** The open room, unset once it was closed. */
	roomId?: string;
	conversationStartedAt?: number;
	lastInboundAt?: number;
	lastOutboundAt?: number;
	/** Recently processed inbound message ids (dedupe), newest last. */
	seen: string[];
	/** Ids parked in the inbox (RetryLater), in arrival order: later messages queue behind them. */
	pending?: string[];
	/** Outbox keys (RC message ids) waiting to be sent, in order. */
	outPending?: string[];
	links: MessageLink[];
}

// The contact record travels in full on every read and write (msgpack over the app's stdio, a Mongo
// document in production): keep the windows small. 200 ids cover far more than the journal overlap.
export const SEEN_WINDOW = 200;
export const LINK_WINDOW = 100;
