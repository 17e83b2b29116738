import { DeliveryStatusEvent, InboundEvent, InboundMessage } from '../core/events';
import { HttpClient } from './http';

/** A WhatsApp number as the provider knows it (GREEN-API instance). Secrets live here, never in logs. */
export interface ProviderInstance {
	/** GREEN-API idInstance, as a string. */
	id: string;
	provider: 'greenapi';
	apiToken: string;
	apiUrl: string;
	mediaUrl: string;
	/** Business number as `digits@c.us`, learnt from the provider. */
	wid?: string;
	/** Secret GREEN-API sends in `Authorization` with each webhook. */
	webhookToken: string;
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

/**
 * Why something failed, for people: `code` names an i18n text (`reason_<code>`, filled with `params`)
 * the app shows in its language; `reason` is the same in English, for logs and unknown codes.
 */
export interface Failure {
	reason: string;
	code?: string;
	params?: Record<string, string | number>;
}

export type SendResult =
	| { ok: true; messageId: string }
	| {
			ok: false;
			/** Retry later (429, 5xx, timeouts, instance starting, network); false = permanent. */
			retryable: boolean;
			/** Provider-announced wait (429 Retry-After), ms. */
			retryAfterMs?: number;
			status?: number;
	  } & Failure;

export type DownloadResult = { ok: true; bytes: Buffer; mimeType?: string } | ({ ok: false; retryable: boolean } & Failure);

export interface WebhookRequest {
	headers: Record<string, string>;
	query: Record<string, string>;
	content: unknown;
}

export interface WhatsAppProvider {
	readonly name: ProviderInstance['provider'];
	/** Which instance a webhook claims to come from (query `instance`/`idInstance` or payload), before auth. */
	webhookInstanceId(req: WebhookRequest): string | undefined;
	/** Constant-time check of the webhook's credentials against the instance. */
	verifyWebhook(req: WebhookRequest, instance: ProviderInstance): boolean;
	/** Payload → neutral events (one webhook carries one event for GREEN-API). Never throws on odd input. */
	parseWebhook(content: unknown): InboundEvent;
	sendText(http: HttpClient, instance: ProviderInstance, msg: OutboundText): Promise<SendResult>;
	sendFile(http: HttpClient, instance: ProviderInstance, msg: OutboundFile): Promise<SendResult>;
	downloadMedia(http: HttpClient, url: string, maxBytes: number): Promise<DownloadResult>;
	/** Inbound messages of the last `minutes` from the provider's journal (recovery). Rejects when the
	 * journal cannot be read: an empty list would wrongly mean "nothing was missed". */
	fetchMissed(http: HttpClient, instance: ProviderInstance, minutes: number): Promise<InboundMessage[]>;
	/** Delivery states of messages sent in the last `minutes` (reconciles missed status webhooks). */
	fetchStatuses(http: HttpClient, instance: ProviderInstance, minutes: number): Promise<DeliveryStatusEvent[]>;
	getState(http: HttpClient, instance: ProviderInstance): Promise<{ ok: true; state: string } | { ok: false; reason: string }>;
}
