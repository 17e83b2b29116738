import { createHash, createHmac, randomBytes, timingSafeEqual } from 'crypto';

/** Unguessable: a livechat visitor token lets its holder post into the visitor's room. */
export function randomToken(bytes = 24): string {
	return randomBytes(bytes).toString('hex');
}

/**
 * A customer's livechat visitor token: stable for (instance, chat), so a retried first message finds
 * the same visitor, and unguessable (keyed with the instance's secret webhook token), since a visitor
 * token lets its holder post into the visitor's room.
 */
export function visitorToken(secret: string, instanceId: string, chatId: string): string {
	return createHmac('sha256', secret).update(`${instanceId}:${chatId}`).digest('hex').slice(0, 48);
}

/** Constant-time comparison (hashes first, so lengths do not leak). */
export function sameSecret(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given).digest();
	const b = createHash('sha256').update(expected).digest();
	return timingSafeEqual(a, b) && given.length === expected.length;
}

/** For logs, command output and notices: never the secret itself. */
export function mask(secret: string | undefined): string {
	if (!secret) return '';
	return secret.length <= 8 ? '****' : `****${secret.slice(-4)}`;
}
