// When each instance last carried a message, as seen by this app process. Kept in memory on the hot
// path (no extra bridge call per message) and written to the instance record by the recovery run.
// Cache: what is lost with a process is at most the times since the last recovery run (the record keeps the rest).
const lastAt = new Map<string, number>();

export function noteActivity(instanceId: string, at = Date.now()): void {
	if ((lastAt.get(instanceId) || 0) < at) lastAt.set(instanceId, at);
}

export function lastActivity(instanceId: string, stored?: number): number | undefined {
	const seen = Math.max(lastAt.get(instanceId) || 0, stored || 0);
	return seen || undefined;
}
