// Where a Cloud API call goes and how it authenticates: the one thing Meta's Graph API and 360dialog
// (the same Cloud API payloads behind another host and key header) do differently for messaging.

import { HostRule } from '../../core/mediaPolicy';
import { InstanceRecord } from '../../core/ports/records';

export interface TemplatesPage {
	/** Raw template objects of this page. */
	items: unknown[];
	/** Cursor / offset of the next page; absent on the last page. */
	next?: string;
}

export interface CloudTransport {
	/** Shown in reasons ("WhatsApp Cloud API", "360dialog"). */
	readonly label: string;
	/** Request headers that authenticate the instance. */
	authHeaders(instance: InstanceRecord): Record<string, string>;
	/** The instance's credentials, removed from every text that leaves the adapter. */
	secrets(instance: InstanceRecord): string[];
	/** POST: messages, reactions, read receipts, templates. */
	messagesUrl(instance: InstanceRecord): string;
	/** POST multipart: media upload. */
	mediaUploadUrl(instance: InstanceRecord): string;
	/** GET: media id → `{url, mime_type, file_size}`. */
	mediaInfoUrl(instance: InstanceRecord, mediaId: string): string;
	/**
	 * Where to download what `url` (from the media info) points at, with `authHeaders` (then checked
	 * against `mediaHosts`); undefined when the credentials must not go there at all.
	 */
	downloadUrl(instance: InstanceRecord, url: string): string | undefined;
	/** The hosts the credentials may be sent to for a download (besides those an admin allowed). */
	mediaHosts(instance: InstanceRecord): HostRule[];
	/** GET: the business number's fields (display number, name, quality, status, health_status). */
	phoneNumberUrl(instance: InstanceRecord, fields: string[]): string;
	/** GET: one page of the account's templates. */
	templatesUrl(instance: InstanceRecord, page?: string): string;
	templatesPage(json: unknown): TemplatesPage;
}

/** `https://host[:port]` of a base URL without trailing slashes. */
export function trimBase(url: string): string {
	return url.trim().replace(/\/+$/, '');
}

export function parseUrl(url: string): URL | undefined {
	try {
		const u = new URL(url);
		return u.protocol === 'https:' || u.protocol === 'http:' ? u : undefined;
	} catch {
		return undefined;
	}
}

export function query(params: Record<string, string | number | undefined>): string {
	const q = Object.entries(params)
		.filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
		.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
		.join('&');
	return q ? `?${q}` : '';
}
