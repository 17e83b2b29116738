// GREEN-API's own names for delivery and instance states → the neutral ones of the core.

import { DeliveryState } from '../../core/ports/events';
import { Failure } from '../../core/ports/failure';
import { InstanceHealth } from '../../core/ports/provider';
import { own } from '../../core/ports/lookup';

/** Failure states GREEN-API names itself, with the reason they mean (i18n `reason_<code>`). */
const FAILURES: Record<string, Failure> = {
	failed: { reason: 'WhatsApp reported a failure', code: 'delivery_failed' },
	noAccount: { reason: 'this number has no WhatsApp account', code: 'delivery_no_account' },
	notInGroup: { reason: 'the business number is not in this group', code: 'delivery_not_in_group' },
	yellowCard: { reason: 'sending is suspended for this number (spam warning)', code: 'delivery_suspended' },
};
const PROGRESS: ReadonlyArray<DeliveryState> = ['pending', 'sent', 'delivered', 'read'];

/** A GREEN-API status (+ its description) → a neutral state; undefined when the name is unknown. */
export function deliveryStatus(raw: string | undefined, description?: string): { status: DeliveryState; failure?: Failure } | undefined {
	if (!raw) return undefined;
	if ((PROGRESS as string[]).includes(raw)) return { status: raw as DeliveryState };
	const failure = own(FAILURES, raw);
	if (!failure) return undefined;
	// GREEN-API's own description, when it gives one, says more than the state's name.
	return { status: 'failed', failure: description ? describedFailure(description) : failure };
}

/** `SWE004: 1000`, `SWE004: the number of participants in the group has been exceeded - 300`, `{{SWE002}}`. */
const SWE_CODE = /^\s*\{{0,2}\s*(SWE\d{3})\s*\}{0,2}\s*(?:[:\-–]\s*([\s\S]*))?$/i;
const KNOWN_SWE = ['SWE001', 'SWE002', 'SWE003', 'SWE004'];

/**
 * A status description: GREEN-API's `SWE00x` codes become a translated reason (i18n `reason_<code>`);
 * plain text stays as GREEN-API wrote it. The raw description is kept as the English reason (logs).
 */
export function describedFailure(description: string): Failure {
	const m = SWE_CODE.exec(description);
	if (!m) return { reason: description };
	const code = m[1].toUpperCase();
	const detail = (m[2] || '').trim();
	if (!KNOWN_SWE.includes(code)) return { reason: description, code: 'swe_unknown', params: { code } };
	// SWE004 (group too large) ends with the group's limit: `1000`, `… exceeded - 300`.
	const limit = code === 'SWE004' ? /(\d+)\s*$/.exec(detail)?.[1] : undefined;
	return limit ? { reason: description, code: 'swe004_limit', params: { limit } } : { reason: description, code: code.toLowerCase() };
}

const HEALTH: Record<string, InstanceHealth> = {
	authorized: 'connected',
	notAuthorized: 'unlinked',
	blocked: 'blocked',
	yellowCard: 'restricted',
	starting: 'starting',
	sleepMode: 'offline',
};

/** The instance states GREEN-API documents. */
export function isDocumentedState(state: string): boolean {
	return own(HEALTH, state) !== undefined;
}

/** `stateInstance` → neutral health (an unknown name is `unknown`, never alarming by itself). */
export function instanceHealth(state: string): InstanceHealth {
	return own(HEALTH, state) ?? 'unknown';
}
