// RC's router for app endpoints (app/apps/server/bridges/router.ts): express.urlencoded({ extended: false }) and
// express.json() at their defaults parse the body before AppApiManager.executeApi sees the request.
import * as querystring from 'querystring';

/** express.json() / express.urlencoded() defaults: limit '100kb' (102,400 bytes), JSON strict (objects and arrays). */
export const ROUTER_BODY_LIMIT = 100 * 1024;
export function parseRouterBody(contentType: string | undefined, raw: string | undefined): { body: unknown } | { status: number; content: string } {
	if (raw === undefined) return { body: {} };
	const mime = (contentType ?? '').split(';')[0].trim().toLowerCase();
	const json = mime === 'application/json';
	const form = mime === 'application/x-www-form-urlencoded';
	if (!json && !form) return { body: {} };
	if (Buffer.byteLength(raw) > ROUTER_BODY_LIMIT) return { status: 413, content: 'Payload Too Large' };
	if (form) return { body: { ...querystring.parse(raw) } };
	if (raw.length === 0) return { body: {} };
	if (!/^[\x20\x09\x0a\x0d]*[{[]/.test(raw)) return { status: 400, content: 'Bad Request' };
	try {
		return { body: JSON.parse(raw) };
	} catch {
		return { status: 400, content: 'Bad Request' };
	}
}

