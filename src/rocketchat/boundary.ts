// Values that cross the process boundary between Rocket.Chat and the app arrive in the form the runtime's transport
// gives them. Rocket.Chat 6.13-8.7 (Deno) and 8.8+ (Node, over the same msgpack frames) hand a Buffer over as a
// Buffer and a Date as a Date; a Uint8Array (msgpack `bin`, or Node's structured-clone IPC that Rocket.Chat plans
// for its Node runtime), a JSON-serialised Buffer (`{ type: 'Buffer', data: [...] }`), an ISO string or epoch
// number (a Date through JSON) or `{ $date }` (EJSON) are the other forms a value can take on the way.

/** Bytes in any of the forms above; undefined for anything else (a string is never guessed to be bytes). */
export function bytesOf(value: unknown): Buffer | undefined {
	if (Buffer.isBuffer(value)) return value;
	if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
	if (value instanceof ArrayBuffer) return Buffer.from(value);
	if (ArrayBuffer.isView(value)) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
	if (isSerializedBuffer(value)) return Buffer.from(value.data);
	return undefined;
}

function isSerializedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
	if (typeof value !== 'object' || value === null) return false;
	const v = value as { type?: unknown; data?: unknown };
	return v.type === 'Buffer' && Array.isArray(v.data) && v.data.every((b) => Number.isInteger(b) && b >= 0 && b <= 255);
}

/** Milliseconds since the epoch of a point in time in any of the forms above; undefined when it is none. */
export function millisOf(value: unknown): number | undefined {
	let n = NaN;
	if (value instanceof Date) n = value.getTime();
	else if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && value.trim()) n = /^\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
	else if (typeof value === 'object' && value !== null && '$date' in value) return millisOf((value as { $date: unknown }).$date);
	return Number.isFinite(n) ? n : undefined;
}
