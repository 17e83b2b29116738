// The provider port: what the core needs from a WhatsApp provider (GREEN-API, Cloud API, 360dialog…).
// Owned by the core; adapters under src/providers/<name>/ implement it. What needs no number (webhook
// checks and parsing, `instance add` arguments, secrets) is on the provider; what calls the provider for a
// number is on its session (`provider.session(http, instance)`). An optional feature is a member that
// exists or not; `capabilities` are data only (window, limits, rates, codes). The core never asks a
// provider's name.

import { DeliveryStatusEvent, InboundEvent, InboundMessage, InstanceHealth, MediaKind, PersonId } from './events';
import { Failure } from './failure';
import { HttpClient } from './http';
import { InteractiveKind, OutboundInteractive } from './interactive';
import { InstanceRecord } from './records';
import { TemplateInfo, TemplateMessage, TemplateQuality } from './templates';

export type { TemplateInfo, TemplateMessage, TemplateQuality };

export interface MediaLimit {
	maxBytes: number;
	/** Accepted MIME types (bare, lower case); absent = any. */
	mimeTypes?: ReadonlyArray<string>;
}

/** What a provider can do, as data. */
export interface ProviderCapabilities {
	/** Free-form messages are allowed this long after the customer's last message; absent = always. */
	serviceWindowMs?: number;
	/**
	 * Failure codes (of a send, or of a failed delivery status) meaning "the customer-service window is
	 * closed, only a template can go now" (Cloud API 131047): the core handles them like its own check.
	 */
	windowClosedCodes?: ReadonlyArray<string>;
	/**
	 * Failure codes (of a send or a failed status) meaning "the customer stopped this business's marketing
	 * messages" (Cloud API 131050): the core records the customer's choice as if they had told it.
	 */
	marketingStoppedCodes?: ReadonlyArray<string>;
	/** Sends per second per number the app keeps under. */
	sendsPerSecond: number;
	/** The fixed rate of a number also used in the WhatsApp Business app (InstanceRecord.businessApp); absent = `sendsPerSecond`. */
	businessAppSendsPerSecond?: number;
	/** How long the provider redelivers an unanswered webhook: the dedupe horizon. */
	redeliveryMs: number;
	/** Longest text one send carries (the adapter splits longer ones where the provider allows). */
	maxTextLength: number;
	/** Read receipts also show the customer the typing indicator (the agent is answering). */
	typing: boolean;
	/** Failure codes that need an admin (an expired token, a policy block): told once, until a send works again. */
	adminAlertCodes?: ReadonlyArray<string>;
	/** Outbound file limits per kind; a kind absent here cannot be sent as that kind. */
	media: Partial<Record<MediaKind, MediaLimit>>;
}

export interface OutboundText {
	chatId: string;
	text: string;
	quotedMessageId?: string;
}

export interface OutboundFile {
	chatId: string;
	fileName: string;
	mimeType: string;
	bytes: Buffer;
	caption?: string;
	quotedMessageId?: string;
}

/** A template to send, parameters filled by the agent; `info` is the template as the provider listed it. */
export interface OutboundTemplate extends TemplateMessage {
	chatId: string;
	/** The bytes of `header.file`, read from Rocket.Chat when sending: the provider uploads them first. */
	headerFile?: { bytes: Buffer; fileName: string; mimeType: string };
}

/** Optional message actions of a session: a provider has the ones it supports, and only those (no flag besides). */
export interface MessageActions {
	/** emoji '' removes the reaction. */
	react?(msg: { chatId: string; messageId: string; emoji: string }): Promise<SendResult>;
	edit?(msg: { chatId: string; messageId: string; text: string }): Promise<SendResult>;
	delete?(msg: { chatId: string; messageId: string }): Promise<SendResult>;
	/** Marks the customer's messages up to `messageId` read (read receipts). */
	markRead?(msg: { chatId: string; messageId: string }): Promise<SendResult>;
	/** Asks a customer to share their phone number (Cloud API `request_contact_info`); `text` is shown with WhatsApp's button. */
	requestContactInfo?(msg: { chatId: string; text: string }): Promise<SendResult>;
	/** Does `chatId` (from a phone number) have WhatsApp? Undefined: the provider cannot tell. */
	checkNumber?(phone: string): Promise<{ ok: true; chatId: string; exists: boolean } | ({ ok: false } & Failure)>;
}

/** Pre-approved message templates (outside the window, or to start a conversation), for one number. */
export interface SessionTemplates {
	/** The number's templates (every status: the core offers APPROVED ones only). */
	list(): Promise<{ ok: true; templates: TemplateInfo[] } | ({ ok: false } & Failure)>;
	send(msg: OutboundTemplate): Promise<SendResult>;
}

/** What templates need without a number; present exactly where sessions have `templates`. */
export interface ProviderTemplates {
	/** The chat id a message to this phone number (digits, E.164 without '+') goes to: templates start conversations. */
	chatIdFor(phoneDigits: string): string;
}

/** The recipient as WhatsApp answered a send (Cloud API `contacts[0]`): its `wa_id` may differ from the number sent to. */
export interface AnsweredRecipient {
	chatId: string;
	people: PersonId[];
}

export type SendResult =
	| { ok: true; messageId: string; recipient?: AnsweredRecipient }
	| ({
			ok: false;
			/** Retry later (429, 5xx, timeouts, instance starting, network); false = permanent. */
			retryable: boolean;
			/** Provider-announced wait (429 Retry-After), ms. */
			retryAfterMs?: number;
			status?: number;
	  } & Failure);

/** The provider does not offer this here (a beta feature switched off for the number): the core sends a numbered text instead. */
export interface InteractiveUnavailable {
	ok: false;
	unavailable: true;
	reason: string;
}

/** Reply buttons and lists for one number: a session that sends them has this member; one that does not, has none. */
export interface SessionInteractive {
	/** The kinds sent as WhatsApp interactive messages; any other kind goes as a numbered text. */
	readonly kinds: ReadonlyArray<InteractiveKind>;
	send(msg: OutboundInteractive): Promise<SendResult | InteractiveUnavailable>;
}

export type DownloadResult = { ok: true; bytes: Buffer; mimeType?: string } | ({ ok: false; retryable: boolean } & Failure);

/** What the app may fetch media from, besides the provider's own media hosts. */
export interface MediaFetchPolicy {
	maxBytes: number;
	/** Hosts an admin allowed in the settings (`host` or `host:port`). */
	extraHosts: ReadonlyArray<string>;
}

/** The HTTP request a webhook endpoint received, as the provider needs it. */
export interface WebhookRequest {
	method: string;
	headers: Record<string, string>;
	query: Record<string, string>;
	content: unknown;
}

/** An answer the provider wants sent as is (the GET verification handshake). */
export interface WebhookReply {
	status: number;
	/** Sent as text/plain. */
	text?: string;
}

/** Instances as the webhook side may look them up. */
export interface InstanceLookup {
	get(id: string): Promise<InstanceRecord | undefined>;
	list(): Promise<InstanceRecord[]>;
}

export type WebhookAuth = { ok: true; instances: InstanceRecord[] } | { ok: false; reason: string };

export interface ProviderWebhook {
	/** Endpoint path under the app's public API (one per provider). */
	readonly path: string;
	/** GET verification (Cloud API `hub.challenge`); absent when the provider has none. */
	handshake?(req: WebhookRequest, instances: InstanceLookup): Promise<WebhookReply>;
	/**
	 * Which instance(s) the request speaks for, and whether it is genuine (query secret, bearer,
	 * header secret, signature — the provider's business). Constant-time secret checks.
	 */
	authenticate(req: WebhookRequest, instances: InstanceLookup): Promise<WebhookAuth>;
	/** The body → neutral events, each naming one of `instances`. Never throws on odd input. */
	parse(req: WebhookRequest, instances: InstanceRecord[]): InboundEvent[];
}

export type { InstanceHealth };

export type HealthReading = { ok: true; health: InstanceHealth; detail: string } | ({ ok: false } & Failure);

/** Missed inbound messages and delivery states read back from the provider's journal, for one number. */
export interface SessionRecovery {
	/** Inbound messages of the last `minutes`. Rejects when the journal cannot be read: an empty list
	 * would wrongly mean "nothing was missed". */
	fetchMissed(minutes: number): Promise<InboundMessage[]>;
	/** Delivery states of messages sent in the last `minutes` (reconciles missed status webhooks). */
	fetchStatuses(minutes: number): Promise<DeliveryStatusEvent[]>;
	/**
	 * The chat of a message the business sent, for a status that names only the message (GREEN-API's older
	 * format). Called for such statuses only, never on the normal paths; undefined when unknown. Rejects when
	 * the provider cannot be asked now.
	 */
	chatOfSentMessage?(messageId: string): Promise<string | undefined>;
}

/** `/whatsapp instance add <provider> …`: the provider's own arguments, parsed. */
export type AddArguments =
	| { ok: true; id: string; credentials: Record<string, string>; department?: string }
	/** The provider's usage text is `instance_add_usage_<provider name>`. */
	| { ok: false };

export type ConnectResult =
	| { ok: true; displayNumber?: string; health?: InstanceHealth; detail?: string; /** Learned from the provider (360dialog: the phone number id), stored with the others. */ credentials?: Record<string, string> }
	| { ok: false; badCredentials: boolean; failure: Failure };

export type QrResult = { ok: true; kind: 'qr'; pngBase64: string } | { ok: true; kind: 'linked' } | ({ ok: false } & Failure);

/** Setting the number up at the provider, with its credentials. */
export interface SessionAdmin {
	/** Checks the credentials and learns the business number. */
	connect(): Promise<ConnectResult>;
	/** Points the provider's webhook at `url`; `manual`: the admin must paste it into the provider's console. */
	configureWebhook(
		url: string,
	): Promise<{ ok: true; manual?: boolean; /** Pasted with the URL (Cloud API verify token); shown to the admin privately. */ verifyToken?: string } | ({ ok: false; badCredentials?: boolean } & Failure)>;
	/**
	 * Undoes `configureWebhook` when the number is removed, so the provider stops calling the app;
	 * `manual`: only the admin can (the provider's console), absent = the same.
	 */
	removeWebhook?(): Promise<{ ok: true; manual?: boolean } | ({ ok: false } & Failure)>;
	/** The QR code that links the phone, where the provider links phones that way. */
	qr?(): Promise<QrResult>;
}

/** `/whatsapp instance add` and the admin's views: nothing here calls the provider. */
export interface ProviderAdmin {
	/** Arguments after `instance add [<provider>]`. */
	parseAdd(args: string[]): AddArguments;
	/** Query parameters the webhook URL of `instance` carries. */
	webhookQuery(instance: InstanceRecord): Record<string, string>;
	/** How the number's recent webhooks fared against the provider's signature, for `/whatsapp status`. */
	webhookChecks?(instance: InstanceRecord): { matched: number; mismatched: number; missing: number } | undefined;
	/** The API version the provider's calls are pinned to and the day it stops working (when known), for `/whatsapp status`. */
	apiVersion?(): { version: string; endsAt?: number };
	/** The credential shown (masked) in `instance list`. */
	primarySecret(instance: InstanceRecord): string;
	/** Every secret of the instance, for scrubbing text. */
	secrets(instance: InstanceRecord): string[];
}

/** A provider bound to one number (its credentials) and the call's HTTP client: cheap to make, made per call. */
export interface ProviderSession extends MessageActions {
	sendText(msg: OutboundText): Promise<SendResult>;
	sendFile(msg: OutboundFile): Promise<SendResult>;
	/** Media by the opaque reference the provider put in the event, with the number's credentials. */
	downloadMedia(ref: string, policy: MediaFetchPolicy): Promise<DownloadResult>;
	/** The number's current health (polled by recovery; webhooks may skip a change). */
	health?(): Promise<HealthReading>;
	templates?: SessionTemplates;
	recovery?: SessionRecovery;
	/** Reply buttons and lists, where the provider sends them (absent: the core sends a numbered text). */
	interactive?: SessionInteractive;
	admin: SessionAdmin;
}

export interface WhatsAppProvider {
	/** Stored on InstanceRecord.provider; also the `instance add` keyword. */
	readonly name: string;
	/** Shown to people ("GREEN-API", "WhatsApp Cloud API"). */
	readonly label: string;
	readonly capabilities: ProviderCapabilities;
	readonly webhook: ProviderWebhook;
	readonly admin: ProviderAdmin;
	/** Present exactly where sessions have `templates`. */
	readonly templates?: ProviderTemplates;
	session(http: HttpClient, instance: InstanceRecord): ProviderSession;
}

/** The providers the app was built with (the composition root's registry). */
export interface ProviderDirectory {
	get(name: string): WhatsAppProvider | undefined;
	all(): WhatsAppProvider[];
}
