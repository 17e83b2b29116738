// Lookups by keys that come from outside (webhook payloads, provider answers, command arguments,
// settings). A plain object also answers inherited names: `table['constructor']` is a function,
// `table['__proto__']` is Object.prototype. Every such lookup goes through `own`.

/** `table[key]` when `table` itself holds `key`; undefined for inherited names and for non-string keys. */
export function own<T>(table: Readonly<Record<string, T>> | undefined, key: unknown): T | undefined {
	return table !== undefined && typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}
