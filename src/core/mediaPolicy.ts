// Which media URLs the app may fetch. Each provider adapter applies it with its own media hosts. A webhook's `downloadUrl` is input from whoever holds
// the webhook token; fetching it blindly lets that caller make Rocket.Chat request any address it can reach
// (loopback, the private network, cloud metadata) and store the answer as an upload. So a URL is fetched only
// over HTTPS from the provider's own media hosts or from hosts an admin listed, and never from a literal
// address that is not on the public internet. Pure and provider-neutral: no Rocket.Chat, no network, no DNS.

/** A host the provider serves media from: an exact name, `*.domain` (any subdomain of domain), or a RegExp on the name. */
export type HostRule = string | RegExp;

export interface MediaHostPolicy {
	/** The provider's media hosts (HTTPS on the default port only). */
	providerHosts: ReadonlyArray<HostRule>;
	/**
	 * Hosts an admin added (see parseHostPatterns): `host`, `host:port`, `*.domain`, `*.domain:port`, `[v6]:port`.
	 * HTTPS only, except an explicit `127.0.0.1:<port>`, which also allows http: that is how a test points the
	 * app at a fake provider. Listing never lifts the address rules for anything else.
	 */
	extraHosts?: ReadonlyArray<string>;
}

export type MediaUrlRefusal =
	| 'malformed' // not a string, unparseable, whitespace/controls/backslash in it
	| 'too-long'
	| 'scheme' // not https (or http for an explicitly listed 127.0.0.1:<port>)
	| 'userinfo' // user:pass@ in the authority
	| 'address' // a loopback/private/link-local/CGNAT/multicast/unspecified/metadata address or a local-only name
	| 'not-listed'; // a public host that is neither the provider's nor listed by the admin

export type MediaUrlVerdict = { ok: true } | { ok: false; host: string; reason: MediaUrlRefusal };

/** Presigned storage URLs run to about 1–2 kB; anything near the 100 kB body limit is not a download link. */
export const MAX_MEDIA_URL_LENGTH = 4096;

/** Names that only ever mean something inside a network (or this machine). */
const LOCAL_NAMES = ['localhost', 'local', 'localdomain', 'internal', 'intranet', 'lan', 'home.arpa', 'arpa', 'corp'];
/** Metadata services reachable under a name or a public-looking address. */
const METADATA_NAMES = ['metadata.google.internal', 'metadata.goog', 'metadata', 'instance-data'];
const METADATA_V4 = ['168.63.129.16']; // Azure WireServer (169.254.169.254 and 100.100.100.200 are in blocked ranges)

/** Whether `url` may be fetched as media under `policy`. */
export function checkMediaUrl(url: unknown, policy: MediaHostPolicy): MediaUrlVerdict {
	if (typeof url !== 'string' || url === '') return refuse('', 'malformed');
	if (url.length > MAX_MEDIA_URL_LENGTH) return refuse(roughHost(url), 'too-long');
	// The URL parser silently drops tabs and newlines and reads `\` as `/`: refuse rather than guess.
	if (/[\u0000-\u0020\u007f-\u009f\\]/.test(url)) return refuse(roughHost(url), 'malformed');
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return refuse(roughHost(url), 'malformed');
	}
	const host = parsed.host;
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return refuse(host || roughHost(url), 'scheme');
	if (parsed.username || parsed.password || authorityOf(url).includes('@')) return refuse(host, 'userinfo');
	const name = parsed.hostname.replace(/\.$/, '');
	const port = parsed.port;
	const extras = (policy.extraHosts || []).map((p) => p.toLowerCase());

	if (isAddressLiteral(name)) {
		if (isBlockedAddress(name)) {
			// The one exception: an explicitly listed 127.0.0.1:<port> (a fake provider in tests), http allowed.
			if (name === '127.0.0.1' && port !== '' && extras.includes(`127.0.0.1:${port}`)) return { ok: true };
			return refuse(host, 'address');
		}
	} else if (isLocalName(name)) {
		return refuse(host, 'address');
	}
	if (parsed.protocol !== 'https:') return refuse(host, 'scheme');
	if (port === '' && policy.providerHosts.some((rule) => ruleMatches(rule, name))) return { ok: true };
	if (extras.some((p) => patternMatches(p, name, port))) return { ok: true };
	return refuse(host, 'not-listed');
}

/** The host[:port] of each URL (the instance's own apiUrl/mediaUrl), for MediaHostPolicy.providerHosts. */
export function hostsOfUrls(urls: ReadonlyArray<string | undefined>): string[] {
	const out: string[] = [];
	for (const u of urls) {
		try {
			const parsed = new URL(u || '');
			if (parsed.protocol === 'https:' && parsed.port === '' && !out.includes(parsed.hostname)) out.push(parsed.hostname);
		} catch {
			// Not a URL: nothing to allow.
		}
	}
	return out;
}

const PATTERN = /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\d{1,5})?$|^\[[0-9a-f:.]+\](?::\d{1,5})?$/;

/**
 * The admin's setting (host patterns separated by commas, spaces or new lines) → valid patterns, and the entries
 * that are not (to tell the admin). A wildcard needs a domain of two labels at least (`*.example.com`, not `*.com`).
 */
export function parseHostPatterns(text: unknown): { patterns: string[]; invalid: string[] } {
	const patterns: string[] = [];
	const invalid: string[] = [];
	if (typeof text !== 'string') return { patterns, invalid };
	for (const raw of text.split(/[\s,;]+/)) {
		if (!raw) continue;
		const p = raw.toLowerCase();
		const port = /:(\d+)$/.exec(p)?.[1];
		const wildcardTooBroad = p.startsWith('*.') && p.replace(/:\d+$/, '').split('.').length < 4;
		const badPort = port !== undefined && (Number(port) < 1 || Number(port) > 65535);
		if (p.length > 260 || !PATTERN.test(p) || wildcardTooBroad || badPort) invalid.push(raw);
		else if (!patterns.includes(p)) patterns.push(p);
	}
	return { patterns, invalid };
}

function refuse(host: string, reason: MediaUrlRefusal): MediaUrlVerdict {
	return { ok: false, host: shownHost(host), reason };
}

/** The refused host as it may be shown in a room: bounded, invisible characters escaped. */
function shownHost(host: string): string {
	const cut = host.length > 100 ? `${host.slice(0, 100)}…` : host;
	return cut.replace(/[\u0000-\u0020\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** What lies between `scheme://` and the path, as written (the parser already judged it; this is for naming it). */
function authorityOf(url: string): string {
	const m = /^[a-z][a-z0-9+.-]*:\/*([^/?#]*)/i.exec(url);
	return m ? m[1] : '';
}

function roughHost(url: string): string {
	const authority = authorityOf(url.slice(0, 300));
	return authority.slice(authority.lastIndexOf('@') + 1);
}

function ruleMatches(rule: HostRule, name: string): boolean {
	if (typeof rule !== 'string') return rule.test(name);
	return patternMatches(rule.toLowerCase(), name, '');
}

/** `host`, `host:port`, `*.domain`, `*.domain:port`, `[v6]:port` against a parsed host name and port ('' = default). */
function patternMatches(pattern: string, name: string, port: string): boolean {
	const m = /^(.*?)(?::(\d{1,5}))?$/.exec(pattern);
	if (!m) return false;
	const [, hostPart, patternPort] = m;
	if ((patternPort === '443' ? '' : patternPort ?? '') !== port) return false;
	if (hostPart.startsWith('*.')) {
		const domain = hostPart.slice(2);
		return name.length > domain.length + 1 && name.endsWith(`.${domain}`);
	}
	return hostPart === name;
}

function isLocalName(name: string): boolean {
	if (!name.includes('.')) return true; // a single label resolves through the local search domain
	if (METADATA_NAMES.includes(name)) return true;
	return LOCAL_NAMES.some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}

// ───────────── addresses ─────────────

/** An IP literal as the URL parser leaves it (`1.2.3.4`, `[v6]`), or a numeric name a lax parser might treat as one. */
function isAddressLiteral(name: string): boolean {
	return name.startsWith('[') || /^(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}$/i.test(name);
}

/** True for every address that is not a plain public unicast address; also for anything that does not parse. */
export function isBlockedAddress(literal: string): boolean {
	const text = literal.replace(/^\[|\]$/g, '');
	if (literal.startsWith('[')) {
		const groups = parseIPv6(text);
		return groups === undefined || isBlockedV6(groups);
	}
	const v4 = parseIPv4(text);
	return v4 === undefined || isBlockedV4(v4);
}

type V4 = [number, number, number, number];

function parseIPv4(text: string): V4 | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
	return parts.map(Number) as V4;
}

const V4_BLOCKED: Array<[string, number]> = [
	['0.0.0.0', 8], // "this network", unspecified
	['10.0.0.0', 8], // private
	['100.64.0.0', 10], // CGNAT (also Alibaba's metadata 100.100.100.200)
	['127.0.0.0', 8], // loopback
	['169.254.0.0', 16], // link-local (cloud metadata 169.254.169.254)
	['172.16.0.0', 12], // private
	['192.0.0.0', 24], // IETF protocol assignments (Oracle metadata 192.0.0.192)
	['192.0.2.0', 24], // documentation
	['192.88.99.0', 24], // 6to4 relay anycast
	['192.168.0.0', 16], // private
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation
	['203.0.113.0', 24], // documentation
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4], // reserved, broadcast
];

function v4Number(a: V4): number {
	return ((a[0] << 24) >>> 0) + (a[1] << 16) + (a[2] << 8) + a[3];
}

function isBlockedV4(a: V4): boolean {
	const n = v4Number(a);
	if (METADATA_V4.includes(a.join('.'))) return true;
	return V4_BLOCKED.some(([base, bits]) => {
		const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
		return ((n & mask) >>> 0) === (v4Number(parseIPv4(base)!) & mask) >>> 0;
	});
}

/** Eight 16-bit groups, or undefined. Accepts `::` compression and a trailing dotted IPv4. */
function parseIPv6(text: string): number[] | undefined {
	if (!/^[0-9a-f:.]+$/i.test(text)) return undefined;
	const lastColon = text.lastIndexOf(':');
	if (lastColon < 0) return undefined;
	let body = text;
	let tail: number[] = [];
	if (text.slice(lastColon + 1).includes('.')) {
		const v4 = parseIPv4(text.slice(lastColon + 1));
		if (!v4) return undefined;
		tail = [(v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]];
		body = text.slice(0, lastColon + 1);
		if (!body.endsWith('::')) body = body.slice(0, -1);
	}
	const halves = body.split('::');
	if (halves.length > 2) return undefined;
	const groupsOf = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN)));
	let groups: number[];
	if (halves.length === 2) {
		const head = groupsOf(halves[0]);
		const rest = groupsOf(halves[1]);
		const missing = 8 - head.length - rest.length - tail.length;
		if (missing < 1) return undefined;
		groups = [...head, ...new Array<number>(missing).fill(0), ...rest, ...tail];
	} else {
		groups = [...groupsOf(body), ...tail];
	}
	return groups.length === 8 && groups.every((g) => Number.isInteger(g)) ? groups : undefined;
}

/** Whether the first `bits` bits of `groups` equal those of `prefix` (groups, zero-filled). */
function inPrefix(groups: number[], prefix: number[], bits: number): boolean {
	for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
		const take = Math.min(16, bits);
		const mask = (0xffff << (16 - take)) & 0xffff;
		if ((groups[i] & mask) !== ((prefix[i] || 0) & mask)) return false;
	}
	return true;
}

function embeddedV4(hi: number, lo: number): V4 {
	return [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];
}

function isBlockedV6(g: number[]): boolean {
	// IPv4 inside IPv6: mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach that IPv4 address.
	if (inPrefix(g, [0, 0, 0, 0, 0, 0xffff], 96) || inPrefix(g, [0x64, 0xff9b], 96)) return isBlockedV4(embeddedV4(g[6], g[7]));
	// 6to4 (2002:AABB:CCDD::) routes to the embedded IPv4 address.
	if (inPrefix(g, [0x2002], 16)) return isBlockedV4(embeddedV4(g[1], g[2]));
	const blocked: Array<[number[], number]> = [
		[[], 96], // ::/96: unspecified, loopback, deprecated IPv4-compatible
		[[0x64, 0xff9b, 1], 48], // local-use NAT64
		[[0x100], 64], // discard-only
		[[0x2001], 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
		[[0x2001, 0x0db8], 32], // documentation
		[[0x3fff], 20], // documentation
		[[0x5f00], 16], // SRv6 SIDs
		[[0xfc00], 7], // unique local (AWS metadata fd00:ec2::254)
		[[0xfe80], 10], // link-local
		[[0xfec0], 10], // site-local (deprecated)
		[[0xff00], 8], // multicast
	];
	return blocked.some(([prefix, bits]) => inPrefix(g, prefix, bits));
}
