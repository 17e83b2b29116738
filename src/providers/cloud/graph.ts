// Meta's Graph API as the Cloud API transport: `{graphUrl}/{version}/…` with a bearer token.

import { HostRule, hostsOfUrls } from '../../core/mediaPolicy';
import { own } from '../../core/ports/lookup';
import { InstanceRecord } from '../../core/ports/records';
import { arr, nonEmpty, obj } from '../shared/json';
import { CloudTransport, query, TemplatesPage, trimBase } from './transport';

/**
 * The Graph API version every call uses, pinned here and nowhere else: the newest version the fake Graph
 * API models (test/fakes/FakeCloudApi.ts), so what the tests exercise is what runs.
 */
export const GRAPH_API_VERSION = 'v26.0';

/**
 * When Graph API versions stop working: the "Expiration Date" / "Available Until" column of Meta's
 * version table (developers.facebook.com/docs/graph-api/changelog/versions, the revision that lists
 * v26.0, read December 2026). Older revisions of that page still said "TBD" for v21.0–v25.0.
 * v26.0 is "TBD" there too. Meta's platform versioning page promises each version "at least two years
 * from the launch"; every recent version has in fact ended two years after the *next* one was released
 * (v25.0: 2028-07-29, two years after v26.0). v26.0's next version (v27.0, said to be out in 2026-11)
 * is not in the stored Meta pages, so its end is taken at the earliest Meta allows — two years from its
 * own launch (2026-07-29) — which may warn early, never late. Not certain: correct when Meta publishes it.
 */
const GRAPH_API_ENDS: Readonly<Record<string, string>> = {
	'v20.0': '2026-09-24',
	'v21.0': '2027-01-21',
	'v22.0': '2027-05-20',
	'v23.0': '2027-10-08',
	'v24.0': '2028-02-18',
	'v25.0': '2028-07-29',
	'v26.0': '2028-07-29',
};

/** The day (UTC midnight, ms) `version` stops working, when known. */
export function graphVersionEnd(version: string): number | undefined {
	const day = own(GRAPH_API_ENDS, version);
	return day ? Date.parse(`${day}T00:00:00Z`) : undefined;
}

export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';

/** Hosts Meta serves media from (`lookaside.fbsbx.com`…): the token may go there (and to the Graph host). */
const META_MEDIA_HOSTS: ReadonlyArray<HostRule> = ['*.fbsbx.com', '*.facebook.com', '*.fbcdn.net', '*.whatsapp.net'];

/** A Cloud API instance's credentials. The instance id is the phone number id. */
export interface GraphCredentials {
	phoneNumberId: string;
	accessToken: string;
	wabaId: string;
	appSecret: string;
	/** Base URL (tests, on-premises proxies); default graph.facebook.com. */
	graphUrl: string;
}

export function graphCredentials(instance: Pick<InstanceRecord, 'id' | 'credentials'>): GraphCredentials {
	const c = instance.credentials || {};
	return {
		phoneNumberId: instance.id,
		accessToken: c.accessToken || '',
		wabaId: c.wabaId || '',
		appSecret: c.appSecret || '',
		graphUrl: trimBase(c.graphUrl || DEFAULT_GRAPH_URL),
	};
}

const TEMPLATE_FIELDS = 'name,status,category,language,components,parameter_format,quality_score';

export const graphTransport: CloudTransport = {
	label: 'WhatsApp Cloud API',
	authHeaders: (instance) => ({ Authorization: `Bearer ${graphCredentials(instance).accessToken}` }),
	secrets: (instance) => {
		const c = graphCredentials(instance);
		return [c.accessToken, c.appSecret].filter(Boolean);
	},
	messagesUrl: (instance) => `${versioned(instance)}/${encodeURIComponent(instance.id)}/messages`,
	mediaUploadUrl: (instance) => `${versioned(instance)}/${encodeURIComponent(instance.id)}/media`,
	mediaInfoUrl: (instance, mediaId) => `${versioned(instance)}/${encodeURIComponent(mediaId)}${query({ phone_number_id: instance.id })}`,
	downloadUrl: (_instance, url) => url,
	mediaHosts: (instance) => [...META_MEDIA_HOSTS, ...hostsOfUrls([graphCredentials(instance).graphUrl])],
	phoneNumberUrl: (instance, fields) => `${versioned(instance)}/${encodeURIComponent(instance.id)}${query({ fields: fields.join(',') })}`,
	templatesUrl: (instance, page) =>
		`${versioned(instance)}/${encodeURIComponent(graphCredentials(instance).wabaId)}/message_templates${query({ fields: TEMPLATE_FIELDS, limit: 100, after: page })}`,
	templatesPage: (json): TemplatesPage => {
		const o = obj(json);
		const paging = obj(o?.paging);
		const after = nonEmpty(obj(paging?.cursors)?.after);
		// Meta gives `next` only when another page exists; the cursor alone is also on the last page.
		return { items: arr(o?.data), next: nonEmpty(paging?.next) && after ? after : undefined };
	},
};

function versioned(instance: InstanceRecord): string {
	return `${graphCredentials(instance).graphUrl}/${GRAPH_API_VERSION}`;
}
