import { IRead } from '@rocket.chat/apps-engine/definition/accessors';

// Server settings change rarely and each read is a bridge call: keep them a minute per process.
const TTL_MS = 60_000;
// Cache: server setting values for TTL_MS; losing it costs one bridge call per setting.
const cache = new Map<string, { value: unknown; at: number }>();

export async function serverSetting(read: IRead, id: string): Promise<unknown> {
	const hit = cache.get(id);
	if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
	let value: unknown;
	try {
		value = await read.getEnvironmentReader().getServerSettings().getValueById(id);
	} catch {
		value = undefined; // RC throws for unknown settings
	}
	cache.set(id, { value, at: Date.now() });
	return value;
}
