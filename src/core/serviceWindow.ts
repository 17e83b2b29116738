import { Failure } from './ports/failure';
import { ProviderCapabilities } from './ports/provider';

// WhatsApp's customer-service window (Cloud API: 24 h after the customer's last message): outside it
// only templates go. Decided from the provider's capabilities alone.

export type WindowState =
	/** The provider has no window: free text always goes. */
	| { applies: false }
	/** `until`: when it closes (closed: when it closed); absent when the customer never wrote. */
	| { applies: true; open: boolean; until?: number };

export function serviceWindow(capabilities: Pick<ProviderCapabilities, 'serviceWindowMs'>, lastInboundAt: number | undefined, now: number): WindowState {
	const length = capabilities.serviceWindowMs;
	if (!length) return { applies: false };
	if (!lastInboundAt) return { applies: true, open: false };
	const until = lastInboundAt + length;
	return { applies: true, open: now < until, until };
}

/** A provider's answer (send or delivery status) saying the window is closed. */
export function isWindowClosedFailure(capabilities: Pick<ProviderCapabilities, 'windowClosedCodes'>, failure: Pick<Failure, 'code'> | undefined): boolean {
	return !!failure?.code && (capabilities.windowClosedCodes || []).includes(failure.code);
}

/** Whole hours of the window, for the note ("more than 24 hours"). */
export function windowHours(capabilities: Pick<ProviderCapabilities, 'serviceWindowMs'>): number {
	return Math.round((capabilities.serviceWindowMs || 0) / 3_600_000);
}
