// Process plumbing of `npm start` (kept apart from main.ts so it can be tested without booting anything).
import * as fs from 'fs';

/** --port N, --port=N, else PORT, else 0 (the OS picks a free port). */
export function portFrom(argv: string[], env: NodeJS.ProcessEnv): number {
	const i = argv.indexOf('--port');
	const eq = argv.find((a) => a.startsWith('--port='));
	const raw = eq ? eq.slice('--port='.length) : i >= 0 ? argv[i + 1] : env.PORT;
	if (raw === undefined || raw === '') return 0;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port "${raw}" (use --port <0-65535> or PORT)`);
	return port;
}

export const PROVIDERS = ['greenapi', 'cloud', '360dialog'] as const;
export type ProviderId = (typeof PROVIDERS)[number];

/** --provider P, --provider=P, else PROVIDER, else greenapi: which provider the customer's phone is on. */
export function providerFrom(argv: string[], env: NodeJS.ProcessEnv): ProviderId {
	const i = argv.indexOf('--provider');
	const eq = argv.find((a) => a.startsWith('--provider='));
	const raw = eq ? eq.slice('--provider='.length) : i >= 0 ? argv[i + 1] : env.PROVIDER;
	if (raw === undefined || raw === '') return 'greenapi';
	const id = PROVIDERS.find((p) => p === raw.toLowerCase());
	if (!id) throw new Error(`unknown provider "${raw}" (use --provider ${PROVIDERS.join('|')})`);
	return id;
}

/** Child processes of this process and theirs (Linux /proc): the app's Deno subprocess(es). */
export function descendants(root = process.pid): number[] {
	let stats: Array<{ pid: number; ppid: number }>;
	try {
		stats = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).flatMap((d) => {
			try {
				// /proc/<pid>/stat: "pid (comm) state ppid …"; comm may contain spaces and parentheses.
				const s = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
				return [{ pid: Number(d), ppid: Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) }];
			} catch {
				return [];
			}
		});
	} catch {
		return [];
	}
	const out: number[] = [];
	const walk = (p: number) => {
		for (const c of stats.filter((x) => x.ppid === p)) {
			out.push(c.pid);
			walk(c.pid);
		}
	};
	walk(root);
	return out;
}
