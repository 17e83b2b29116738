// WhatsAppProvider for GREEN-API, composed from the webhook, journal and client modules.

import { DeliveryStatusEvent, InboundEvent, InboundMessage } from '../../core/events';
import { HttpClient } from '../http';
import { DownloadResult, OutboundFile, OutboundText, ProviderInstance, SendResult, WebhookRequest, WhatsAppProvider } from '../Provider';
import { downloadMedia, GreenApiClient, GreenApiClientOptions } from './client';
import { parseJournal, parseOutgoingJournal } from './journal';
import { parseWebhook, verifyWebhook, webhookInstanceId } from './webhook';

export class GreenApiProvider implements WhatsAppProvider {
	readonly name = 'greenapi' as const;

	constructor(private readonly options: GreenApiClientOptions & { downloadTimeoutMs?: number } = {}) {}

	/** Admin/setup calls (settings, QR, reboot) that the neutral interface does not cover. */
	client(http: HttpClient, instance: ProviderInstance): GreenApiClient {
		return new GreenApiClient(http, instance, this.options);
	}

	webhookInstanceId(req: WebhookRequest): string | undefined {
		return webhookInstanceId(req);
	}

	verifyWebhook(req: WebhookRequest, instance: ProviderInstance): boolean {
		return verifyWebhook(req, instance);
	}

	parseWebhook(content: unknown): InboundEvent {
		return parseWebhook(content);
	}

	sendText(http: HttpClient, instance: ProviderInstance, msg: OutboundText): Promise<SendResult> {
		return this.client(http, instance).sendMessage(msg);
	}

	sendFile(http: HttpClient, instance: ProviderInstance, msg: OutboundFile): Promise<SendResult> {
		return this.client(http, instance).sendFileByUpload(msg);
	}

	downloadMedia(http: HttpClient, url: string, maxBytes: number): Promise<DownloadResult> {
		return downloadMedia(http, url, maxBytes, this.options.downloadTimeoutMs);
	}

	/** Rejects (with a token-free message) when the journal cannot be read, so recovery retries later instead of believing nothing was missed. */
	async fetchMissed(http: HttpClient, instance: ProviderInstance, minutes: number): Promise<InboundMessage[]> {
		const r = await this.client(http, instance).lastIncomingMessages(minutes);
		if (!r.ok) throw new Error(`lastIncomingMessages failed: ${r.reason}`);
		return parseJournal(r.data, { instanceId: instance.id, wid: instance.wid });
	}

	/** Delivery states from the outgoing journal (missed status webhooks). Rejects like fetchMissed. */
	async fetchStatuses(http: HttpClient, instance: ProviderInstance, minutes: number): Promise<DeliveryStatusEvent[]> {
		const r = await this.client(http, instance).lastOutgoingMessages(minutes);
		if (!r.ok) throw new Error(`lastOutgoingMessages failed: ${r.reason}`);
		return parseOutgoingJournal(r.data, { instanceId: instance.id, wid: instance.wid });
	}

	async getState(http: HttpClient, instance: ProviderInstance): Promise<{ ok: true; state: string } | { ok: false; reason: string }> {
		const r = await this.client(http, instance).getStateInstance();
		return r.ok ? { ok: true, state: r.data } : { ok: false, reason: r.reason };
	}
}
