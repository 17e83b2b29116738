// Meta's WhatsApp Cloud API (Graph API) adapter: the shared Cloud API side with the Graph transport,
// Meta's webhook checks (URL secret, `hub.challenge`, `X-Hub-Signature-256`) and its setup.
//
// Webhook URL: `…/cloud?instance=<phone_number_id>&secret=<webhook secret>`; the admin pastes it, with
// the verify token, into the Meta app's dashboard (the app cannot set it there). One Meta app has one
// callback for all its numbers: a request admitted by one instance's secret also speaks for the other
// Cloud instances of the same Meta app (same app secret) its body names.

import { createHmac } from 'crypto';
import { AddArguments, ConnectResult, InstanceLookup, ProviderAdmin, SessionAdmin, WebhookReply, WebhookRequest } from '../../core/ports/provider';
import { InstanceRecord } from '../../core/ports/records';
import { sameSecret } from '../../core/tokens';
import { header, nonEmpty, obj } from '../shared/json';
import { CloudApiAdapter, cloudCapabilities } from './CloudApiAdapter';
import { CloudClient, CloudClientOptions } from './client';
import { CREDENTIAL_CODES } from './errors';
import { DEFAULT_GRAPH_URL, GRAPH_API_VERSION, graphCredentials, graphTransport, graphVersionEnd } from './graph';
import { checkSignature, SignatureCounts, SignaturePolicy } from './signature';
import { parseUrl } from './transport';
import { phoneNumberIds } from './webhook';

export const CLOUD_WEBHOOK_PATH = 'cloud';

/** Fields `instance add` reads to check the token and learn the number. */
export const CONNECT_FIELDS = ['display_phone_number', 'verified_name', 'quality_rating'];

export interface CloudProviderOptions extends CloudClientOptions {
	/** What a signature mismatch does, read on every webhook (the registry binds it to the app's setting). Default: 'log'. */
	signaturePolicy?: () => SignaturePolicy | Promise<SignaturePolicy>;
}

/** The `hub.verify_token` of an instance: derived from its webhook secret, so nothing more is stored. */
export function verifyTokenOf(instance: Pick<InstanceRecord, 'webhookSecret'>): string {
	return createHmac('sha256', instance.webhookSecret).update('hub.verify_token').digest('hex').slice(0, 32);
}

export class CloudProvider extends CloudApiAdapter {
	readonly admin: ProviderAdmin = {
		/** `<phone_number_id> <access_token> <waba_id> <app_secret> [department|-] [graphUrl]`. */
		parseAdd: (args: string[]): AddArguments => {
			const [phoneNumberId, accessToken, wabaId, appSecret, department, graphUrl] = args;
			if (!phoneNumberId || !/^\d{5,20}$/.test(phoneNumberId) || !wabaId || !/^\d{5,20}$/.test(wabaId)) return { ok: false };
			if (!accessToken || !/^\S{20,1024}$/.test(accessToken) || !appSecret || !/^[A-Za-z0-9]{16,128}$/.test(appSecret)) return { ok: false };
			if (graphUrl !== undefined && !parseUrl(graphUrl)) return { ok: false };
			const credentials: Record<string, string> = { accessToken, wabaId, appSecret };
			if (graphUrl && graphUrl.replace(/\/+$/, '') !== DEFAULT_GRAPH_URL) credentials.graphUrl = graphUrl;
			return { ok: true, id: phoneNumberId, credentials, department: department && department !== '-' ? department : undefined };
		},
		webhookQuery: (instance) => ({ instance: instance.id, secret: instance.webhookSecret }),
		primarySecret: (instance) => graphCredentials(instance).accessToken,
		webhookChecks: (instance) => this.signatures.of(instance.id),
		apiVersion: () => ({ version: GRAPH_API_VERSION, endsAt: graphVersionEnd(GRAPH_API_VERSION) }),
		secrets: (instance) => [...this.transport.secrets(instance), instance.webhookSecret, instance.webhookSecret ? verifyTokenOf(instance) : ''].filter(Boolean),
	};

	private readonly policy: () => SignaturePolicy | Promise<SignaturePolicy>;
	/** This process's signature checks per number, for `/whatsapp status`. */
	readonly signatures = new SignatureCounts();

	constructor(options: CloudProviderOptions = {}) {
		super({ name: 'cloud', label: 'WhatsApp Cloud API', path: CLOUD_WEBHOOK_PATH, transport: graphTransport, capabilities: cloudCapabilities(7 * 24 * 60 * 60_000) }, options);
		this.policy = options.signaturePolicy || (() => 'log');
	}

	/** `hub.mode=subscribe`, the instance's verify token and URL secret → the challenge as plain text; else 403. */
	protected async handshake(req: WebhookRequest, lookup: InstanceLookup): Promise<WebhookReply> {
		const q = req.query || {};
		const id = nonEmpty(q.instance);
		const instance = id ? await lookup.get(id) : undefined;
		const challenge = typeof q['hub.challenge'] === 'string' ? q['hub.challenge'] : '';
		const token = typeof q['hub.verify_token'] === 'string' ? q['hub.verify_token'] : '';
		const ok =
			!!instance && instance.provider === this.name && q['hub.mode'] === 'subscribe' && this.urlSecretOk(req, instance) && sameSecret(token, verifyTokenOf(instance)) &&
			/^[A-Za-z0-9_-]{1,128}$/.test(challenge);
		return ok ? { status: 200, text: challenge } : { status: 403, text: 'Forbidden' };
	}

	/** `X-Hub-Signature-256` over the body as Meta serialises it; counted per instance, refused only under 'reject'. */
	protected async verifyRequest(req: WebhookRequest, instance: InstanceRecord): Promise<string | undefined> {
		const policy = await this.policy();
		if (policy === 'off') return undefined;
		const result = checkSignature(req.content, header(req.headers, 'x-hub-signature-256'), graphCredentials(instance).appSecret);
		this.signatures.record(instance.id, result);
		return policy === 'reject' && result !== 'match' ? `signature ${result}` : undefined;
	}

	/** The body's other numbers that belong to the same Meta app (same app secret). */
	protected async peers(req: WebhookRequest, instance: InstanceRecord, lookup: InstanceLookup): Promise<InstanceRecord[]> {
		const secret = graphCredentials(instance).appSecret;
		const out: InstanceRecord[] = [];
		for (const id of phoneNumberIds(req.content)) {
			if (id === instance.id) continue;
			const other = await lookup.get(id);
			if (other && other.provider === this.name && secret && sameSecret(graphCredentials(other).appSecret, secret)) out.push(other);
		}
		return out;
	}

	protected phoneNumberId(instance: InstanceRecord): string {
		return instance.id;
	}

	protected accountId(instance: InstanceRecord): string | undefined {
		return graphCredentials(instance).wabaId || undefined;
	}

	protected sessionAdmin(client: CloudClient, instance: InstanceRecord): SessionAdmin {
		return {
			connect: () => this.connect(client, instance),
			// Meta takes the callback URL only in the app dashboard: the admin pastes it with the verify token.
			configureWebhook: async () => ({ ok: true, manual: true, verifyToken: verifyTokenOf(instance) }),
			// The callback URL lives in the admin's Meta app, which the app cannot change.
			removeWebhook: async () => ({ ok: true, manual: true }),
		};
	}

	/** The token must read the number; then the app is subscribed to the account's webhooks where the token allows. */
	private async connect(client: CloudClient, instance: InstanceRecord): Promise<ConnectResult> {
		const number = await client.phoneNumber(CONNECT_FIELDS);
		if (!number.ok) {
			const code = Number(number.params?.code);
			return { ok: false, badCredentials: number.status === 401 || number.status === 403 || CREDENTIAL_CODES.has(code), failure: number };
		}
		const display = nonEmpty(number.data.display_phone_number)?.replace(/\D/g, '');
		const { wabaId, graphUrl } = graphCredentials(instance);
		const subscribed = await client.call(
			{ method: 'POST', url: `${graphUrl}/${GRAPH_API_VERSION}/${encodeURIComponent(wabaId)}/subscribed_apps` },
			(j) => (obj(j)?.success === true ? true : undefined),
		);
		const quality = nonEmpty(number.data.quality_rating);
		const detail = [nonEmpty(number.data.verified_name), quality ? `quality ${quality.toUpperCase()}` : undefined, subscribed.ok ? undefined : `webhooks not subscribed: ${subscribed.reason}`]
			.filter(Boolean)
			.join(', ');
		return { ok: true, displayNumber: display || undefined, health: 'connected', detail: detail || 'connected' };
	}
}
