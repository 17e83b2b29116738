// Offline stand-in for jsr:@std/cli/parse-args, covering what the runtime passes:
// `--subprocess <appId> --spawnId <n>` and `--key=value`; numeric values become numbers, as in @std/cli.
export function parseArgs(args: string[]): Record<string, unknown> & { _: string[] } {
	const out: Record<string, unknown> & { _: string[] } = { _: [] };
	const coerce = (v: string): unknown => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (!arg.startsWith('--')) {
			out._.push(arg);
			continue;
		}
		const eq = arg.indexOf('=');
		if (eq !== -1) {
			out[arg.slice(2, eq)] = coerce(arg.slice(eq + 1));
		} else if (i + 1 < args.length && !args[i + 1].startsWith('--')) {
			out[arg.slice(2)] = coerce(args[++i]);
		} else {
			out[arg.slice(2)] = true;
		}
	}
	return out;
}
