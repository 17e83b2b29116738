// What the sandbox needs from a WhatsApp provider to play the customer's phone. The page and the Sandbox only
// speak these types; a provider adapter turns them into that provider's webhooks and reads back what the app
// sent through that provider's (fake) API. GREEN-API (GreenApiPhone), the Cloud API and 360dialog (CloudPhone).

export interface Customer {
	id: string;
	name: string;
	/** digits only, international format without '+' */
	phone: string;
}

export interface PhoneFile {
	name: string;
	mimeType: string;
	bytes: Buffer;
}

/** A message of the chat the customer points at (reply, reaction, edit, delete). */
export interface MessageRef {
	messageId: string;
	/** written by the business (an agent's message) rather than by the customer */
	fromBusiness: boolean;
	/** its text, as the customer's phone shows it (providers quote it) */
	text: string;
}

/** What the customer does on the phone. */
export type PhoneAction =
	| { kind: 'text'; text: string; quote?: MessageRef }
	| { kind: 'image' | 'document' | 'voice'; file: PhoneFile; caption?: string; quote?: MessageRef }
	| { kind: 'location'; latitude: number; longitude: number; name?: string; address?: string; quote?: MessageRef }
	| { kind: 'contact'; name: string; phone: string; quote?: MessageRef }
	| { kind: 'reaction'; emoji: string; target: MessageRef }
	| { kind: 'edit'; text: string; target: MessageRef }
	| { kind: 'delete'; target: MessageRef };

/** A message the app sent to a customer, as the provider accepted it. */
export interface BusinessMessage {
	id: string;
	customerPhone: string;
	kind: 'text' | 'file' | 'location' | 'contact' | 'other';
	text?: string;
	caption?: string;
	file?: { name: string; mimeType: string; size: number };
	quotedMessageId?: string;
	/** the provider method that carried it (shown in the inside view) */
	method: string;
	at: number;
}

export type DeliveryState = 'sent' | 'delivered' | 'read';

/** One notification the provider owes the app's webhook (it keeps it until the app answers 2xx). */
export interface Notification {
	seq: number;
	label: string;
	state: 'queued' | 'delivering' | 'retrying' | 'acknowledged' | 'rejected';
	attempts: number;
	/** HTTP status of the last attempt (0: no answer) */
	lastStatus?: number;
	/** the phone message it carries, if any */
	messageId?: string;
	customerPhone?: string;
	at: number;
}

export interface ProviderFaults {
	/** every API call answers 5xx */
	down: boolean;
	/** every API call takes seconds */
	slow: boolean;
	/** sends answer 429 */
	rateLimited: boolean;
}

export interface ProviderInstanceView {
	id: string;
	/** the business number, digits */
	number: string;
	state: string | null;
	/** where the app told the provider to send webhooks (no secrets) */
	webhookUrl: string;
}

export interface PhoneProvider {
	readonly id: string;
	readonly label: string;
	/** the customer can edit and delete sent messages (GREEN-API; not the Cloud API for normal numbers) */
	readonly canEditOrDelete: boolean;
	start(): Promise<void>;
	stop(): Promise<void>;
	/** `/whatsapp …` arguments an admin types to connect this provider's number to `department`. */
	connectCommand(department: string): string[];
	/** Hosts the customer's files are served from, which an admin allows in "Extra media hosts" (the fake is not on the provider's real hosts). */
	mediaHosts(): string[];
	/** Reads what the app configured at the provider (webhook address and secret) or told the admin (`answer`: its private answers to `instance add`); throws if neither. */
	afterConnect(answer: string): void;
	/** The provider's clock is the sandbox's (for a customer-service window that "advance clock" can close). */
	useClock?(now: () => number): void;
	/** The Site_Url Rocket.Chat must run with when the provider cannot reach `localUrl` as it is (the provider delivers to `localUrl` anyway). */
	publicSiteUrl?(localUrl: string): string;
	instance(): ProviderInstanceView;
	/** The customer does something on the phone; returns the provider's message id (queued for the webhook). */
	customerActs(customer: Customer, action: PhoneAction): string;
	/**
	 * The business types on its own phone (a coexistence number: the WhatsApp Business app beside the API);
	 * returns the message id (queued as the provider's echo webhook). Absent: the provider has no such numbers.
	 */
	businessAppTypes?(customer: Customer, text: string): string;
	/** The customer's phone reports a delivery state of a business message. */
	reportDelivery(customerPhone: string, messageId: string, state: DeliveryState): void;
	/** Everything the app sent through the provider, oldest first. */
	businessMessages(): BusinessMessage[];
	/** Bytes of a file a business message carried. */
	businessFile(messageId: string): PhoneFile | undefined;
	notifications(): Notification[];
	setFaults(faults: ProviderFaults): void;
	/** The business phone is unlinked (QR needed) / linked again; the provider notifies the app. */
	setLinked(linked: boolean): void;
	/** A number that changes whenever requests or notifications changed (for live updates). */
	version(): string;
	/** The last requests the app made to the provider, newest last (secrets removed). */
	recentRequests(n: number): Array<{ seq: number; method: string; status?: number; outcome?: string; ms?: number }>;
}
