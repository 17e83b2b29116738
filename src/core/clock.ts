// Queue items of one chat are ordered by when they were recorded; two can be recorded in the same
// millisecond. A strictly increasing "now" (per process) keeps their order.
// Cache: the last moment handed out; a new process starts from the clock again, past what the old one gave.
let last = 0;

export function monotonicNow(): number {
	const now = Date.now();
	last = now > last ? now : last + 0.001;
	return last;
}

/** A moment for people: `YYYY-MM-DD HH:MM UTC`, or '—' when unknown. */
export function formatUtc(ms: number | undefined): string {
	return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '—';
}
