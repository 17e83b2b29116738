// The WhatsApp Cloud API side of the provider port, shared by Meta's Graph API (CloudProvider) and
// 360dialog (Dialog360Provider): the same webhook payloads, message bodies, media, templates and
// errors. A subclass brings its transport (host + auth), its webhook checks and its admin setup.

import { InboundEvent } from '../../core/ports/events';
import { checkMediaUrl } from '../../core/mediaPolicy';
import { HttpClient } from '../../core/ports/http';
import {
	DownloadResult, HealthReading, InstanceHealth, InstanceLookup, MediaFetchPolicy, OutboundFile, OutboundTemplate, OutboundText, ProviderAdmin,
	ProviderSession, ProviderCapabilities, ProviderTemplates, ProviderWebhook, SessionAdmin, SendResult, WebhookAuth, WebhookReply, WebhookRequest,
	WhatsAppProvider,
} from '../../core/ports/provider';
import { InstanceRecord } from '../../core/ports/records';
import { sameSecret } from '../../core/tokens';
import { fetchMedia } from '../shared/download';
import { Json, nonEmpty, obj } from '../shared/json';
import { permanent } from '../shared/results';
import { splitText } from '../shared/text';
import { CloudClient, CloudClientOptions } from './client';
import { captionFits, CLOUD_MEDIA, fileKind, MAX_TEXT_LENGTH, mediaBody, reactionBody, contactRequestBody, textBody } from './outbound';
import { templateBody, templateInfos } from './templates';
import { CloudTransport, parseUrl } from './transport';
import { parseCloudWebhook } from './webhook';
import { own } from '../../core/ports/lookup';

import { interactiveBody } from './interactive';

const DAY = 24 * 60 * 60_000;

/** What the Cloud API can do, as data; `redeliveryMs` is the host's (Meta 7 days, 360dialog ≤ 24 h). */
export function cloudCapabilities(redeliveryMs: number): ProviderCapabilities {
	return {
		serviceWindowMs: DAY,
		// Free text outside the window comes back as 131047 (the core then offers a template).
		windowClosedCodes: ['cloud_131047'],
		// The customer stopped the business's marketing messages (a marketing template refused).
		marketingStoppedCodes: ['cloud_131050'],
		// An expired token, a policy block, the spam limit: only an admin can act.
		adminAlertCodes: ['cloud_190', 'cloud_368', 'cloud_131048'],
		sendsPerSecond: 80,
		// Coexistence numbers (Business app + API) are fixed at 20 msg/s by Meta.
		businessAppSendsPerSecond: 20,
		redeliveryMs,
		maxTextLength: MAX_TEXT_LENGTH,
		typing: true,
		media: CLOUD_MEDIA,
	};
}

/** Fields of the phone number node the health is read from. */
export const HEALTH_FIELDS = ['status', 'quality_rating', 'health_status'];

export interface CloudAdapterSpec {
	name: string;
	label: string;
	/** Webhook endpoint path. */
	path: string;
	transport: CloudTransport;
	capabilities: ProviderCapabilities;
}

export abstract class CloudApiAdapter implements WhatsAppProvider {
	readonly name: string;
	readonly label: string;
	readonly capabilities: ProviderCapabilities;
	readonly transport: CloudTransport;
	readonly webhook: ProviderWebhook;
	abstract readonly admin: ProviderAdmin;

	readonly templates: ProviderTemplates = {
		// A customer's chat is their wa_id: the digits of the number (a BSUID-only customer is not reachable by phone).
		chatIdFor: (phoneDigits) => phoneDigits,
	};

	protected constructor(spec: CloudAdapterSpec, protected readonly options: CloudClientOptions = {}) {
		this.name = spec.name;
		this.label = spec.label;
		this.capabilities = spec.capabilities;
		this.transport = spec.transport;
		const webhook: ProviderWebhook = {
			path: spec.path,
			authenticate: (req, lookup) => this.authenticate(req, lookup),
			parse: (req, instances) => this.parse(req, instances),
		};
		if (this.handshake) webhook.handshake = (req, lookup) => (this.handshake as NonNullable<CloudApiAdapter['handshake']>)(req, lookup);
		this.webhook = webhook;
	}

	/** Beyond the URL secret: the subclass's own proof (signature, header secret); a reason refuses. */
	protected abstract verifyRequest(req: WebhookRequest, instance: InstanceRecord): Promise<string | undefined>;
	/** The phone number id an instance receives for (undefined: not known, the instance takes its own webhook's). */
	protected abstract phoneNumberId(instance: InstanceRecord): string | undefined;
	/** The WhatsApp Business Account id (account-level webhook fields). */
	protected abstract accountId(instance: InstanceRecord): string | undefined;
	/** GET verification, where the host has one. */
	protected handshake?(req: WebhookRequest, lookup: InstanceLookup): Promise<WebhookReply>;

	/** Other instances a request admitted for `instance` may also speak for. */
	protected async peers(_req: WebhookRequest, _instance: InstanceRecord, _lookup: InstanceLookup): Promise<InstanceRecord[]> {
		return [];
	}

	/** Setting the number up (connect, webhook), the host's business. */
	protected abstract sessionAdmin(client: CloudClient, instance: InstanceRecord): SessionAdmin;

	client(http: HttpClient, instance: InstanceRecord): CloudClient {
		return new CloudClient(http, this.transport, instance, this.options);
	}

	session(http: HttpClient, instance: InstanceRecord): ProviderSession {
		const client = this.client(http, instance);
		return {
			sendText: (msg) => this.sendText(client, msg),
			sendFile: (msg) => this.sendFile(client, msg),
			downloadMedia: (ref, policy) => this.downloadMedia(http, client, instance, ref, policy),
			health: () => this.health(client),
			react: (msg) => client.sendMessage(reactionBody(msg.chatId, msg.messageId, msg.emoji)),
			requestContactInfo: (msg) => client.sendMessage(contactRequestBody(msg.chatId, msg.text)),
			// Read receipts with the typing indicator: the customer sees the agent has read and is answering.
			markRead: async (msg) => {
				const r = await client.markRead(msg.messageId, this.capabilities.typing);
				return r.ok ? { ok: true, messageId: msg.messageId } : r;
			},
			// The Cloud API has no lookup of who is on WhatsApp (the On-Premises /contacts check is gone): a
			// phone number's chat is its digits (the wa_id), and a send to someone who is not on WhatsApp comes
			// back as a failed status (131026). So `exists` only says the number is well-formed.
			checkNumber: async (phone) => {
				const digits = phone.replace(/[\s().-]/g, '').replace(/^\+/, '').replace(/^00/, '');
				if (!/^[1-9]\d{6,14}$/.test(digits)) return { ok: true, chatId: digits, exists: false };
				return { ok: true, chatId: digits, exists: true };
			},
			templates: {
				list: async () => {
					const r = await client.templates();
					if (!r.ok) return { ok: false, reason: r.reason, code: r.code, params: r.params };
					return { ok: true, templates: templateInfos(r.data) };
				},
				send: (msg) => this.sendTemplate(client, msg),
			},
			// Reply buttons and lists go as `type: interactive`; Meta refuses one breaking its limits with 131009.
			interactive: { kinds: ['buttons', 'list'], send: (msg) => client.sendMessage(interactiveBody(msg)) },
			admin: this.sessionAdmin(client, instance),
		};
	}

	// ───────── webhook ─────────

	/** The URL's `instance` and `secret` (constant time) admit a request; then the subclass's check. */
	protected async authenticate(req: WebhookRequest, lookup: InstanceLookup): Promise<WebhookAuth> {
		const id = nonEmpty(req.query?.instance);
		const instance = id ? await lookup.get(id) : undefined;
		// Unknown instance and wrong secret look the same from outside.
		if (!instance || instance.provider !== this.name) return { ok: false, reason: `unknown instance ${String(id || '?').slice(0, 24)}` };
		if (!this.urlSecretOk(req, instance)) return { ok: false, reason: `wrong secret for ${instance.id}` };
		const refused = await this.verifyRequest(req, instance);
		if (refused) return { ok: false, reason: `${refused} for ${instance.id}` };
		return { ok: true, instances: [instance, ...(await this.peers(req, instance, lookup))] };
	}

	protected urlSecretOk(req: WebhookRequest, instance: InstanceRecord): boolean {
		const given = typeof req.query?.secret === 'string' ? req.query.secret : '';
		// Never accept an unset secret: an empty one would make every caller authentic.
		return !!instance.webhookSecret && sameSecret(given, instance.webhookSecret);
	}

	protected parse(req: WebhookRequest, instances: InstanceRecord[]): InboundEvent[] {
		const events = parseCloudWebhook(req.content, {
			label: this.label,
			instanceFor: (pnid, display) => {
				const exact = instances.find((i) => this.phoneNumberId(i) === pnid);
				if (exact) return exact;
				// One number per key (360dialog), its id not told by the host: the webhook the instance configured
				// speaks for it when the payload names its number — never for a body naming no number or another.
				const only = instances.length === 1 ? instances[0] : undefined;
				return only && this.phoneNumberId(only) === undefined && display !== undefined && display === only.number ? only : undefined;
			},
			instancesOfAccount: (wabaId) => {
				const exact = instances.filter((i) => wabaId !== undefined && this.accountId(i) === wabaId);
				return exact.length || instances.length !== 1 || this.accountId(instances[0]) !== undefined ? exact : [instances[0]];
			},
		});
		return events;
	}

	// ───────── sending ─────────

	/** Texts over 4096 characters go in parts, in order; the quote on the first. A later part failing is permanent (no resend of the earlier ones). */
	private async sendText(client: CloudClient, msg: OutboundText): Promise<SendResult> {
		if (!msg.text.trim()) return permanent('empty_text', 'empty text message');
		const parts = splitText(msg.text, MAX_TEXT_LENGTH);
		let last: SendResult = permanent('empty_text', 'empty text message');
		for (let i = 0; i < parts.length; i++) {
			const r = await client.sendMessage(textBody(msg.chatId, parts[i], i === 0 ? msg.quotedMessageId : undefined));
			if (!r.ok) return i === 0 ? r : { ...permanent('parts_failed', `sent ${i} of ${parts.length} parts, then: ${r.reason}`, { sent: i, total: parts.length }), status: r.status };
			last = r;
		}
		return last;
	}

	/** Checked against the kind's MIME types and size, uploaded to /media, then sent by id. */
	private async sendFile(client: CloudClient, msg: OutboundFile): Promise<SendResult> {
		const kind = fileKind(msg.mimeType, msg.bytes);
		if (!kind.ok) return kind;
		const uploaded = await client.upload(msg.bytes, msg.mimeType.split(';')[0].trim(), msg.fileName);
		if (!uploaded.ok) return uploaded;
		const inline = captionFits(kind.kind, msg.caption);
		const sent = await client.sendMessage(
			mediaBody(msg.chatId, kind.kind, uploaded.data, { caption: inline ? msg.caption : undefined, fileName: msg.fileName, quotedMessageId: msg.quotedMessageId }),
		);
		if (!sent.ok || inline || !msg.caption?.trim()) return sent;
		// Audio and stickers carry no caption (and long ones do not fit): the text follows the file.
		const caption = await this.sendText(client, { chatId: msg.chatId, text: msg.caption });
		return caption.ok ? sent : { ...permanent('parts_failed', `the file was sent, its text not: ${caption.reason}`, { sent: 1, total: 2 }), status: caption.status };
	}

	/** The template as listed (the core keeps the list) shapes the components: order, names, header and button kinds. */
	private async sendTemplate(client: CloudClient, msg: OutboundTemplate): Promise<SendResult> {
		let toSend = msg;
		if (msg.headerFile) {
			// A room file as the media header: uploaded to /media, then named by its id (the message never carries bytes).
			const mime = msg.headerFile.mimeType.split(';')[0].trim();
			const uploaded = await client.upload(msg.headerFile.bytes, mime, msg.headerFile.fileName);
			if (!uploaded.ok) return uploaded;
			toSend = { ...msg, headerFile: undefined, header: { ...msg.header, mediaId: uploaded.data } };
		}
		const built = templateBody(toSend, toSend.info);
		if (!built.ok) return built;
		return client.sendMessage(built.body);
	}

	// ───────── media ─────────

	/** `ref` is the media id: resolved to a URL with the token, downloaded with the token from that URL only. */
	private async downloadMedia(http: HttpClient, client: CloudClient, instance: InstanceRecord, ref: string, policy: MediaFetchPolicy): Promise<DownloadResult> {
		if (!ref || !/^[A-Za-z0-9_.:-]{1,200}$/.test(ref)) return permanent('media_invalid_url', 'invalid media id');
		const info = await client.mediaInfo(ref);
		if (!info.ok) {
			// An id WhatsApp no longer knows (ids live 7 days) will not come back.
			if (!info.retryable && (info.status === 404 || info.status === 400)) return permanent('media_gone', `media no longer available (HTTP ${info.status})`, { status: info.status });
			return { ok: false, retryable: info.retryable, reason: info.reason, code: info.code, params: info.params };
		}
		if (info.data.fileSize !== undefined && info.data.fileSize > policy.maxBytes) {
			return permanent('media_too_large', `media too large (${info.data.fileSize} bytes, limit ${policy.maxBytes})`, { size: info.data.fileSize, max: policy.maxBytes });
		}
		// The URL comes from the provider's answer, and the credentials go with it: only to its media hosts
		// (or hosts an admin allowed), under the core's media URL policy.
		const url = this.transport.downloadUrl(instance, info.data.url);
		const verdict = url ? checkMediaUrl(url, { providerHosts: this.transport.mediaHosts(instance), extraHosts: policy.extraHosts }) : undefined;
		if (!url || !verdict?.ok) {
			const host = (verdict && !verdict.ok && verdict.host) || parseUrl(info.data.url)?.host || '?';
			return permanent('media_host_refused', `media host ${host} is not allowed (${verdict && !verdict.ok ? verdict.reason : 'not-listed'})`, { host });
		}
		const got = await fetchMedia(http, url, { maxBytes: policy.maxBytes, timeoutMs: client.downloadTimeoutMs, headers: client.authHeaders, secrets: client.secrets });
		if (got.ok && !got.mimeType && info.data.mimeType) got.mimeType = info.data.mimeType.split(';')[0].trim().toLowerCase();
		return got;
	}

	// ───────── health ─────────

	private async health(client: CloudClient): Promise<HealthReading> {
		const r = await client.phoneNumber(HEALTH_FIELDS);
		if (!r.ok) return { ok: false, reason: r.reason, code: r.code, params: r.params };
		return { ok: true, ...numberHealth(r.data) };
	}
}

const STATUS_HEALTH: Record<string, InstanceHealth> = {
	CONNECTED: 'connected',
	FLAGGED: 'restricted',
	RESTRICTED: 'restricted',
	RATE_LIMITED: 'restricted',
	BANNED: 'blocked',
	DISABLED: 'blocked',
	DELETED: 'blocked',
	PENDING: 'starting',
	UNVERIFIED: 'starting',
	DISCONNECTED: 'offline',
	MIGRATED: 'offline',
	OFFLINE: 'offline',
};
const CAN_SEND_HEALTH: Record<string, InstanceHealth> = { AVAILABLE: 'connected', LIMITED: 'restricted', BLOCKED: 'blocked' };

/** A phone number node (status, quality_rating, health_status) → neutral health and the provider's words. */
export function numberHealth(node: Json): { health: InstanceHealth; detail: string } {
	const status = nonEmpty(node.status)?.toUpperCase();
	const quality = nonEmpty(node.quality_rating)?.toUpperCase();
	const canSend = nonEmpty(obj(node.health_status)?.can_send_message)?.toUpperCase();
	// What the number can do right now wins over the registration status.
	const health = (canSend !== 'AVAILABLE' ? own(CAN_SEND_HEALTH, canSend) : undefined) ?? own(STATUS_HEALTH, status) ?? own(CAN_SEND_HEALTH, canSend) ?? 'unknown';
	const detail = [status, canSend && canSend !== 'AVAILABLE' ? `messaging ${canSend}` : undefined, quality ? `quality ${quality}` : undefined].filter(Boolean).join(', ') || 'unknown';
	return { health, detail };
}
