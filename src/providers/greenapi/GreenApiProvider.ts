// The GREEN-API adapter of the provider port, composed from the webhook, journal, client and setup modules.

import { DeliveryStatusEvent, InboundEvent, InboundMessage } from '../../core/ports/events';
import { HttpClient } from '../../core/ports/http';
import {
	AddArguments, ConnectResult, DownloadResult, HealthReading, MediaFetchPolicy, OutboundFile, OutboundText, ProviderAdmin, ProviderCapabilities,
	ProviderSession, ProviderWebhook, QrResult, SendResult, WebhookAuth, WebhookRequest, WhatsAppProvider,
} from '../../core/ports/provider';
import { checkMediaUrl, hostsOfUrls } from '../../core/mediaPolicy';
import { InstanceRecord } from '../../core/ports/records';
import { DEFAULT_API_URL, DEFAULT_MEDIA_URL, downloadMedia, GreenApiClient, GreenApiClientOptions, GreenApiCredentials, MAX_UPLOAD_BYTES } from './client';
import { permanent } from './errors';
import { nonEmpty, obj } from '../shared/json';
import { parseJournal, parseOutgoingJournal } from './journal';
import { GREEN_API_MEDIA_HOSTS } from './mediaHosts';
import { chatIdFromPhone } from './phone';
import { MAX_TEXT_LENGTH } from './textSplit';
import { applyWebhook, checkCredentials, clearWebhook } from './setup';
import { instanceHealth } from './statuses';
import { parseWebhook, verifyWebhook, webhookInstanceId } from './webhook';

/** Where the webhook is served; existing instances' URLs carry it, so it never changes. */
export const GREENAPI_WEBHOOK_PATH = 'greenapi';

const ALL_MEDIA = { maxBytes: MAX_UPLOAD_BYTES };

export const GREENAPI_CAPABILITIES: ProviderCapabilities = {
	// GREEN-API allows 50 sends per second per instance: stay a little under.
	sendsPerSecond: 45,
	// Unanswered notifications are redelivered every minute for 24 hours.
	redeliveryMs: 24 * 60 * 60_000,
	maxTextLength: MAX_TEXT_LENGTH,
	typing: false,
	media: { image: ALL_MEDIA, video: ALL_MEDIA, audio: ALL_MEDIA, voice: ALL_MEDIA, document: ALL_MEDIA, sticker: ALL_MEDIA },
};

/** The instance's GREEN-API credential set (hosts default to the universal ones). */
export function credentialsOf(instance: Pick<InstanceRecord, 'id' | 'credentials'>): GreenApiCredentials {
	const c = instance.credentials || {};
	return { id: instance.id, apiToken: c.apiToken || '', apiUrl: c.apiUrl || DEFAULT_API_URL, mediaUrl: c.mediaUrl || DEFAULT_MEDIA_URL };
}

export class GreenApiProvider implements WhatsAppProvider {
	readonly name = 'greenapi';
	readonly label = 'GREEN-API';
	readonly capabilities = GREENAPI_CAPABILITIES;

	readonly webhook: ProviderWebhook = {
		path: GREENAPI_WEBHOOK_PATH,
		authenticate: async (req, instances): Promise<WebhookAuth> => {
			const id = webhookInstanceId(req);
			const instance = id ? await instances.get(id) : undefined;
			// Unknown instance and wrong token look the same from outside.
			if (!instance || instance.provider !== this.name) return { ok: false, reason: `unknown instance ${String(id || '?').slice(0, 20)}` };
			if (!verifyWebhook(req, instance)) return { ok: false, reason: `wrong token for ${instance.id}` };
			return { ok: true, instances: [instance] };
		},
		// One GREEN-API notification carries one event.
		parse: (req: WebhookRequest): InboundEvent[] => [parseWebhook(req.content)],
	};

	/** Per instance: message id → chat of the last outgoing journal read (chatOfSentMessage). */
	private readonly sentChats = new Map<string, { at: number; chats: Map<string, string> }>();

	readonly admin: ProviderAdmin = {
		parseAdd: (args: string[]): AddArguments => {
			const [id, token, department, apiUrl, mediaUrl] = args;
			if (!id || !/^\d{4,20}$/.test(id) || !token || token.length < 8) return { ok: false };
			return {
				ok: true, id, department: department && department !== '-' ? department : undefined,
				credentials: { apiToken: token, apiUrl: apiUrl || DEFAULT_API_URL, mediaUrl: mediaUrl || DEFAULT_MEDIA_URL },
			};
		},
		// The token travels in the Authorization header; the URL only names the instance.
		webhookQuery: (instance: InstanceRecord) => ({ instance: instance.id }),
		primarySecret: (instance: InstanceRecord) => credentialsOf(instance).apiToken,
		secrets: (instance: InstanceRecord) => [credentialsOf(instance).apiToken, instance.webhookSecret].filter(Boolean),
	};

	constructor(private readonly options: GreenApiClientOptions & { downloadTimeoutMs?: number } = {}) {}

	/** GREEN-API calls beyond the port (settings, reboot), for setup code and tests. */
	client(http: HttpClient, instance: Pick<InstanceRecord, 'id' | 'credentials'>): GreenApiClient {
		return new GreenApiClient(http, credentialsOf(instance), this.options);
	}

	session(http: HttpClient, instance: InstanceRecord): ProviderSession {
		const client = this.client(http, instance);
		const journal = { instanceId: instance.id, wid: widOf(instance) };
		return {
			sendText: (msg: OutboundText) => client.sendMessage(msg),
			sendFile: (msg: OutboundFile) => client.sendFileByUpload(msg),
			downloadMedia: (ref, policy) => this.downloadMedia(http, instance, ref, policy),
			health: async (): Promise<HealthReading> => {
				const r = await client.getStateInstance();
				return r.ok ? { ok: true, health: instanceHealth(r.data), detail: r.data } : { ok: false, reason: r.reason, code: r.code, params: r.params };
			},
			react: (msg) => client.sendReaction(msg),
			edit: (msg) => client.editMessage(msg),
			delete: (msg) => client.deleteMessage(msg),
			markRead: async (msg): Promise<SendResult> => {
				const r = await client.readChat(msg);
				if (r.ok) return { ok: true, messageId: msg.messageId };
				return { ok: false, retryable: r.retryable, reason: r.reason, code: r.code, params: r.params, status: r.status };
			},
			// The chat id is the number's `digits@c.us`; checkWhatsapp says whether WhatsApp knows it.
			checkNumber: async (phone) => {
				const chatId = chatIdFromPhone(phone);
				if (!chatId) {
					const f = permanent('invalid_phone', `not a phone number: ${phone.slice(0, 24)}`);
					return { ok: false, reason: f.reason, code: f.code, params: f.params };
				}
				const r = await client.checkWhatsapp(chatId.split('@')[0]);
				if (!r.ok) return { ok: false, reason: r.reason, code: r.code, params: r.params };
				return { ok: true, chatId, exists: r.data };
			},
			recovery: {
				/** Rejects (with a token-free message) when the journal cannot be read, so recovery retries later instead of believing nothing was missed. */
				fetchMissed: async (minutes: number): Promise<InboundMessage[]> => {
					const r = await client.lastIncomingMessages(minutes);
					if (!r.ok) throw new Error(`lastIncomingMessages failed: ${r.reason}`);
					return parseJournal(r.data, journal);
				},
				fetchStatuses: async (minutes: number): Promise<DeliveryStatusEvent[]> => {
					const r = await client.lastOutgoingMessages(minutes);
					if (!r.ok) throw new Error(`lastOutgoingMessages failed: ${r.reason}`);
					return parseOutgoingJournal(r.data, journal);
				},
				// From the outgoing journal: one provider call, no Rocket.Chat call. A burst of such statuses is served
				// by one journal read (the journal allows 1 request per second).
				chatOfSentMessage: async (messageId: string): Promise<string | undefined> => {
					const cached = this.sentChats.get(instance.id);
					const age = cached ? Date.now() - cached.at : Infinity;
					// A hit is good for a while; a miss only until the journal may be asked again.
					if (cached && (age < JOURNAL_INTERVAL_MS || (age < SENT_CHATS_TTL_MS && cached.chats.has(messageId)))) return cached.chats.get(messageId);
					const r = await client.lastOutgoingMessages(SENT_CHATS_MINUTES);
					if (!r.ok) throw new Error(`lastOutgoingMessages failed: ${r.reason}`);
					const chats = sentChatsOf(r.data);
					this.sentChats.set(instance.id, { at: Date.now(), chats });
					return chats.get(messageId);
				},
			},
			admin: {
				connect: async (): Promise<ConnectResult> => {
					const check = await checkCredentials(client);
					if (!check.ok) return { ok: false, badCredentials: check.badCredentials === true, failure: check.failure || { reason: 'GREEN-API did not answer' } };
					return { ok: true, displayNumber: check.wid?.split('@')[0], detail: check.state, health: check.state ? instanceHealth(check.state) : undefined };
				},
				configureWebhook: async (url: string) => {
					const r = await applyWebhook(client, url, instance.webhookSecret);
					if (r.ok) return { ok: true as const };
					return { ok: false as const, badCredentials: r.badCredentials, ...(r.failure || { reason: 'GREEN-API did not save the settings' }) };
				},
				removeWebhook: async () => {
					const r = await clearWebhook(client);
					if (r.ok) return { ok: true as const };
					return { ok: false as const, ...(r.failure || { reason: 'GREEN-API did not save the settings' }) };
				},
				qr: async (): Promise<QrResult> => {
					const r = await client.qr();
					if (!r.ok) return { ok: false, reason: r.reason, code: r.code, params: r.params };
					if (r.data.type === 'alreadyLogged') return { ok: true, kind: 'linked' };
					if (r.data.type !== 'qrCode') return { ok: false, reason: r.data.message || r.data.type };
					return { ok: true, kind: 'qr', pngBase64: r.data.message };
				},
			},
		};
	}

	/**
	 * `ref` is the notification's downloadUrl, fetched only from GREEN-API's storage and API hosts, the
	 * instance's own hosts, or hosts an admin allowed — never wherever a payload points.
	 */
	private async downloadMedia(http: HttpClient, instance: InstanceRecord, ref: string, policy: MediaFetchPolicy): Promise<DownloadResult> {
		const c = credentialsOf(instance);
		const verdict = checkMediaUrl(ref, { providerHosts: [...GREEN_API_MEDIA_HOSTS, ...hostsOfUrls([c.apiUrl, c.mediaUrl])], extraHosts: policy.extraHosts });
		if (!verdict.ok) return { ok: false, retryable: false, reason: `media host ${verdict.host || '?'} is not allowed (${verdict.reason})`, code: 'media_host_refused', params: { host: verdict.host || '?' } };
		return downloadMedia(http, ref, policy.maxBytes, this.options.downloadTimeoutMs);
	}
}

/** How far back a status's message is looked for: the journal's default day, GREEN-API's redelivery horizon too. */
const SENT_CHATS_MINUTES = 24 * 60;
const SENT_CHATS_TTL_MS = 10_000;
/** GREEN-API's journals take one request per second per instance. */
const JOURNAL_INTERVAL_MS = 1_000;

/** `lastOutgoingMessages` entries → message id → chat id. */
function sentChatsOf(entries: unknown): Map<string, string> {
	const chats = new Map<string, string>();
	for (const e of Array.isArray(entries) ? entries : []) {
		const id = nonEmpty(obj(e)?.idMessage);
		const chat = nonEmpty(obj(e)?.chatId);
		if (id && chat) chats.set(id, chat);
	}
	return chats;
}

/** GREEN-API names the business number `digits@c.us` (to tell our own quoted messages apart). */
function widOf(instance: InstanceRecord): string | undefined {
	return instance.number ? `${instance.number}@c.us` : undefined;
}
