// 360dialog: the Cloud API behind `https://waba-v2.360dialog.io` with a `D360-API-KEY` per number —
// the shared Cloud API adapter with this transport, a header secret on webhooks and a webhook the app
// configures itself (`POST /v1/configs/webhook`).
//
// 360dialog cannot verify Meta's signature for us (we do not own the Meta app): a webhook is genuine
// when it carries the instance's URL secret and the header secret the app configured.

import { createHash, createHmac } from 'crypto';
import { hostsOfUrls } from '../../core/mediaPolicy';
import { AddArguments, ConnectResult, ProviderAdmin, SessionAdmin, WebhookRequest } from '../../core/ports/provider';
import { InstanceRecord } from '../../core/ports/records';
import { sameSecret } from '../../core/tokens';
import { CloudApiAdapter, cloudCapabilities, numberHealth } from '../cloud/CloudApiAdapter';
import { CloudClient, CloudClientOptions } from '../cloud/client';
import { CREDENTIAL_CODES } from '../cloud/errors';
import { isGraphId } from '../cloud/ids';
import { CloudTransport, parseUrl, query, TemplatesPage, trimBase } from '../cloud/transport';
import { arr, header, nonEmpty, num, obj } from '../shared/json';

export const DIALOG360_WEBHOOK_PATH = '360dialog';
export const DEFAULT_DIALOG360_URL = 'https://waba-v2.360dialog.io';
/** The header 360dialog adds to every webhook, with the value the app configured. */
export const DIALOG360_SECRET_HEADER = 'X-Webhook-Secret';

const CONNECT_FIELDS = ['display_phone_number', 'verified_name', 'quality_rating'];

export interface Dialog360Credentials {
	apiKey: string;
	/** Base URL (sandbox `https://waba-sandbox.360dialog.io`, tests); default waba-v2. */
	baseUrl: string;
}

export function dialog360Credentials(instance: Pick<InstanceRecord, 'credentials'>): Dialog360Credentials {
	const c = instance.credentials || {};
	return { apiKey: c.apiKey || '', baseUrl: trimBase(c.baseUrl || DEFAULT_DIALOG360_URL) };
}

/** The header secret: derived from the webhook secret, so nothing more is stored. */
export function headerSecretOf(instance: Pick<InstanceRecord, 'webhookSecret'>): string {
	return createHmac('sha256', instance.webhookSecret).update('360dialog webhook header').digest('hex').slice(0, 48);
}

/** One API key is one number; its id is derived from the key (the key itself never appears). */
export function dialog360InstanceId(apiKey: string): string {
	return `d360-${createHash('sha256').update(apiKey).digest('hex').slice(0, 12)}`;
}

const base = (instance: InstanceRecord) => dialog360Credentials(instance).baseUrl;

export const dialog360Transport: CloudTransport = {
	label: '360dialog',
	authHeaders: (instance) => ({ 'D360-API-KEY': dialog360Credentials(instance).apiKey }),
	secrets: (instance) => [dialog360Credentials(instance).apiKey].filter(Boolean),
	messagesUrl: (instance) => `${base(instance)}/messages`,
	mediaUploadUrl: (instance) => `${base(instance)}/media`,
	mediaInfoUrl: (instance, mediaId) => `${base(instance)}/${encodeURIComponent(mediaId)}`,
	// The media info names Meta's lookaside host; 360dialog serves the same path (and query) with the API
	// key. The key goes to 360dialog's host only, never to a host an answer names.
	downloadUrl: (instance, url) => {
		const u = parseUrl(url);
		return u && u.pathname.startsWith('/whatsapp_business/attachments/') ? `${base(instance)}${u.pathname}${u.search}` : undefined;
	},
	mediaHosts: (instance) => ['waba-v2.360dialog.io', 'waba-sandbox.360dialog.io', ...hostsOfUrls([base(instance)])],
	// health_status is always returned; the number's own fields come with `fields`.
	phoneNumberUrl: (instance, fields) => `${base(instance)}/health_status${query({ fields: fields.filter((f) => f !== 'health_status').join(',') })}`,
	templatesUrl: (instance, page) => `${base(instance)}/v1/configs/templates${query({ limit: 100, offset: page })}`,
	templatesPage: (json): TemplatesPage => {
		const o = obj(json);
		const items = arr(o?.waba_templates);
		const offset = num(o?.offset) ?? 0;
		const total = num(o?.total);
		const next = offset + items.length;
		return { items, next: items.length && total !== undefined && next < total ? String(next) : undefined };
	},
};

export class Dialog360Provider extends CloudApiAdapter {
	readonly admin: ProviderAdmin = {
		/** `<api_key> [department|-] [baseUrl]`. */
		parseAdd: (args: string[]): AddArguments => {
			const [apiKey, department, baseUrl] = args;
			if (!apiKey || !/^[A-Za-z0-9_-]{16,256}$/.test(apiKey)) return { ok: false };
			if (baseUrl !== undefined && !parseUrl(baseUrl)) return { ok: false };
			const credentials: Record<string, string> = { apiKey };
			if (baseUrl && trimBase(baseUrl) !== DEFAULT_DIALOG360_URL) credentials.baseUrl = trimBase(baseUrl);
			return { ok: true, id: dialog360InstanceId(apiKey), credentials, department: department && department !== '-' ? department : undefined };
		},
		webhookQuery: (instance) => ({ instance: instance.id, secret: instance.webhookSecret }),
		primarySecret: (instance) => dialog360Credentials(instance).apiKey,
		secrets: (instance) => [...this.transport.secrets(instance), instance.webhookSecret, instance.webhookSecret ? headerSecretOf(instance) : ''].filter(Boolean),
	};

	constructor(options: CloudClientOptions = {}) {
		// 360dialog redelivers for about 24 hours (its pages disagree; the shorter horizon is assumed).
		super({ name: '360dialog', label: '360dialog', path: DIALOG360_WEBHOOK_PATH, transport: dialog360Transport, capabilities: cloudCapabilities(24 * 60 * 60_000) }, options);
	}

	protected async verifyRequest(req: WebhookRequest, instance: InstanceRecord): Promise<string | undefined> {
		const given = header(req.headers, DIALOG360_SECRET_HEADER) ?? '';
		return given && sameSecret(given, headerSecretOf(instance)) ? undefined : 'wrong header secret';
	}

	/**
	 * Learned at connect from the health entities; for a number added before that (or when the host does
	 * not tell it), undefined: its own webhook then speaks for it when the body names its display number.
	 */
	protected phoneNumberId(instance: InstanceRecord): string | undefined {
		return nonEmpty(instance.credentials?.phoneNumberId);
	}

	protected accountId(instance: InstanceRecord): string | undefined {
		return nonEmpty(instance.credentials?.wabaId);
	}

	protected sessionAdmin(client: CloudClient, instance: InstanceRecord): SessionAdmin {
		return {
			connect: () => this.connect(client),
			configureWebhook: async (url) => {
				const r = await client.call(
					{ method: 'POST', url: `${base(instance)}/v1/configs/webhook`, json: { url, headers: { [DIALOG360_SECRET_HEADER]: headerSecretOf(instance) } } },
					(j) => (obj(j) ? true : undefined),
				);
				if (r.ok) return { ok: true };
				return { ok: false, badCredentials: r.status === 401 || r.status === 403, reason: r.reason, code: r.code, params: r.params };
			},
			// 360dialog documents setting the number's webhook, not deleting it: an empty URL is sent to clear it
			// (how 360dialog takes that is not confirmed; a refusal tells the admin to clear it in the 360dialog Hub).
			removeWebhook: async () => {
				const r = await client.call({ method: 'POST', url: `${base(instance)}/v1/configs/webhook`, json: { url: '' } }, (j) => (obj(j) ? true : undefined));
				if (r.ok) return { ok: true };
				return { ok: false, reason: r.reason, code: r.code, params: r.params };
			},
		};
	}

	private async connect(client: CloudClient): Promise<ConnectResult> {
		const r = await client.phoneNumber(CONNECT_FIELDS);
		if (!r.ok) {
			const code = Number(r.params?.code);
			return { ok: false, badCredentials: r.status === 401 || r.status === 403 || CREDENTIAL_CODES.has(code), failure: r };
		}
		const display = nonEmpty(r.data.display_phone_number)?.replace(/\D/g, '');
		const { health, detail } = numberHealth(r.data);
		const name = nonEmpty(r.data.verified_name);
		// The number's id is in the health entities: webhooks are then taken only when they name it.
		const phoneNumberId = arr(obj(r.data.health_status)?.entities).map(obj).find((e) => e?.entity_type === 'PHONE_NUMBER')?.id;
		const credentials = isGraphId(phoneNumberId) ? { phoneNumberId } : undefined;
		return {
			ok: true, displayNumber: display || undefined, health: health === 'unknown' ? 'connected' : health, detail: [name, detail !== 'unknown' ? detail : undefined].filter(Boolean).join(', ') || 'connected',
			...(credentials && { credentials }),
		};
	}
}
