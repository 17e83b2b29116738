// Meta's Graph API as the Cloud API transport: `{graphUrl}/{version}/…` with a bearer token.

import { HostRule, hostsOfUrls } from '../../core/mediaPolicy';
import { InstanceRecord } from '../../core/ports/records';
import { arr, nonEmpty, obj } from '../shared/json';
import { CloudTransport, query, TemplatesPage, trimBase } from './transport';

/** The Graph API version every call uses (one place; any current version carries the same payloads). */
export const GRAPH_API_VERSION = 'v23.0';
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

const TEMPLATE_FIELDS = 'name,status,category,language,components,parameter_format';

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
