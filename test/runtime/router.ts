// RC's router for app endpoints (app/apps/server/bridges/router.ts): express.urlencoded({ extended: false }) and
// express.json() at their defaults parse the body before AppApiManager.executeApi sees the request.
import * as querystring from 'querystring';
import { RcState, StoredUser } from './state';
import { authenticatedUser } from './uikit';

/** express.json() / express.urlencoded() defaults: limit '100kb' (102,400 bytes), JSON strict (objects and arrays).
 *  RC 6.13 parsed app endpoint bodies with its REST stack's 50 MB instead (`limit`, see engine.ts). */
export const ROUTER_BODY_LIMIT = 100 * 1024;
export function parseRouterBody(contentType: string | undefined, raw: string | undefined, limit = ROUTER_BODY_LIMIT): { body: unknown } | { status: number; content: string } {
	if (raw === undefined) return { body: {} };
	const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
	const json = mime === 'application/json';
	const form = mime === 'application/x-www-form-urlencoded';
	if (!json && !form) return { body: {} };
	if (Buffer.byteLength(raw) > limit) return { status: 413, content: 'Payload Too Large' };
	if (form) return { body: { ...querystring.parse(raw) } };
	if (raw.length === 0) return { body: {} };
	if (!/^[\x20\x09\x0a\x0d]*[{[]/.test(raw)) return { status: 400, content: 'Bad Request' };
	try {
		return { body: JSON.parse(raw) };
	} catch {
		return { status: 400, content: 'Bad Request' };
	}
}


/**
 * `req.query` as the apps router hands it to AppApisBridge._appApiExecutor (`query: req.query`): Express 4's default
 * "extended" query parser, qs.parse(str, { allowPrototypes: true }), copied in its steps (qs lib/parse.js, lib/utils.js):
 * - parseValues: split on `&` (1,000 parameters at most), `+` is a space, percent-decoding (a malformed escape stays as
 *   written); the same raw key twice combines into an array: `?a=1&a=2` → `{ a: ['1', '2'] }`;
 * - parseKeys: brackets nest, 5 levels at most (the rest stays one literal key): `a[]=1` → `{ a: ['1'] }`, `a[0]=x` →
 *   `{ a: ['x'] }` (indices up to 20, else object keys), `a[b]=1` → `{ a: { b: '1' } }`; `__proto__` segments are dropped;
 * - merge: `a=1&a[]=2` → `['1', '2']`, `a=1&a[b]=2` → `['1', { b: '2' }]`, `a[b]=2&a=1` → `{ b: '2', 1: true }`;
 *   compact: holes of sparse arrays removed.
 */
export function parseQuery(raw: string): Record<string, unknown> {
	const flat = new Map<string, unknown>();
	for (const part of raw.replace(/^\?/, '').split('&').slice(0, 1000)) {
		if (!part) continue;
		const eq = part.indexOf(']=') >= 0 ? part.indexOf(']=') + 1 : part.indexOf('=');
		const key = decode(eq < 0 ? part : part.slice(0, eq));
		const value = eq < 0 ? '' : decode(part.slice(eq + 1));
		if (!key) continue;
		flat.set(key, flat.has(key) ? ([] as unknown[]).concat(flat.get(key), value) : value);
	}
	let out: any = {};
	for (const [key, value] of flat) {
		const built = parseKeys(key, value);
		if (built !== undefined) out = merge(out, built);
	}
	return compact(out);
}
const decode = (s: string) => {
	const spaced = s.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(spaced);
	} catch {
		return spaced;
	}
};
function parseKeys(key: string, value: unknown): Record<string, unknown> | undefined {
	const first = key.indexOf('[');
	const parent = first < 0 ? key : key.slice(0, first);
	const segs: string[] = [];
	if (parent) segs.push(parent);
	if (first >= 0) {
		let rest = key.slice(first);
		let m: RegExpExecArray | null;
		let depth = 0;
		while (depth < 5 && (m = /^\[[^[\]]*]/.exec(rest))) {
			segs.push(m[0]);
			rest = rest.slice(m[0].length);
			depth++;
		}
		if (rest) segs.push(`[${rest}]`);
	}
	let leaf: unknown = value;
	for (let i = segs.length - 1; i >= 0; i--) {
		const seg = segs[i];
		if (seg === '[]') {
			leaf = ([] as unknown[]).concat(leaf);
			continue;
		}
		const clean = seg.startsWith('[') && seg.endsWith(']') ? seg.slice(1, -1) : seg;
		if (clean === '__proto__') return undefined;
		const index = Number(clean);
		if (seg !== clean && /^\d+$/.test(clean) && String(index) === clean && index <= 20) {
			const arr: unknown[] = [];
			arr[index] = leaf;
			leaf = arr;
		} else leaf = { [clean]: leaf };
	}
	return leaf as Record<string, unknown>;
}
function merge(target: any, source: any): any {
	if (source === undefined) return target;
	if (typeof source !== 'object' || source === null) {
		if (Array.isArray(target)) target.push(source);
		else if (target && typeof target === 'object') target[source] = true;
		else return [target, source];
		return target;
	}
	if (!target || typeof target !== 'object') return [target].concat(source);
	if (Array.isArray(target) && Array.isArray(source)) {
		source.forEach((item, i) => {
			if (i in target) {
				const t = target[i];
				if (t && typeof t === 'object' && item && typeof item === 'object') target[i] = merge(t, item);
				else target.push(item);
			} else target[i] = item;
		});
		return target;
	}
	const base = Array.isArray(target) ? Object.fromEntries(target.map((v, i) => [String(i), v]).filter(([, v]) => v !== undefined)) : target;
	for (const key of Object.keys(source)) base[key] = Object.prototype.hasOwnProperty.call(base, key) ? merge(base[key], source[key]) : source[key];
	return base;
}
function compact(v: any): any {
	if (Array.isArray(v)) return v.filter((x) => x !== undefined).map(compact);
	if (v && typeof v === 'object') {
		for (const k of Object.keys(v)) v[k] = compact(v[k]);
		return v;
	}
	return v;
}

/** A query given as an object, serialised as a client would send it (qs.stringify with repeated keys): arrays repeat
 *  the key (`{ a: ['1', '2'] }` → `a=1&a=2`), objects nest in brackets (`{ a: { b: '1' } }` → `a[b]=1`); then parsed
 *  like Express does. */
export function queryString(query: Record<string, unknown>): string {
	const pairs: string[] = [];
	const walk = (key: string, v: unknown) => {
		if (Array.isArray(v)) for (const x of v) walk(key, x);
		else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(`${key}[${k}]`, x);
		else if (v !== undefined) pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
	};
	for (const [k, v] of Object.entries(query)) walk(k, v);
	return pairs.join('&');
}

/**
 * authenticationMiddleware({ rejectUnauthorized: !!endpoint.authRequired }) (app/api/server/middlewares/authentication.ts),
 * which api.ts puts before every app endpoint: an endpoint that requires a user answers an anonymous call with
 * `res.status(401).send('Unauthorized')` — plain text (Express: `text/html; charset=utf-8`), before the app.
 */
export const UNAUTHORIZED = { status: 401, content: 'Unauthorized', headers: { 'content-type': 'text/html; charset=utf-8' } };
export function authenticateAppRequest(rc: RcState, authRequired: boolean | undefined, headers: Record<string, string>): { ok: true; user?: StoredUser } | ({ ok: false } & typeof UNAUTHORIZED) {
	const user = authenticatedUser(rc, headers);
	if (authRequired && !user) return { ok: false, ...UNAUTHORIZED, headers: { ...UNAUTHORIZED.headers } };
	return { ok: true, user };
}
