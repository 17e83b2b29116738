// The project's hostile-input suite: seeded, generated webhook requests by class and `/whatsapp`
// argument lists by role, against the packaged app on the real engine with the fake GREEN-API.
//
// After each batch:
//   crashes         the app process is the same and alive, and a valid message from a probe chat still posts
//                   (a request that hangs past REQUEST_TIMEOUT_MS counts too);
//   stateChanges    a request that must change nothing (no credentials, malformed envelope, a chat that is not a
//                   customer's, a wrong method, a command) changed state or sent something to WhatsApp, or a
//                   request posted garbage (an empty message, a JavaScript value shown as text, a visitor without
//                   a name);
//   foreignFetches  a request the app made to anything but the fake GREEN-API's hosts (all on 127.0.0.1; the test
//                   runtime's HTTP bridge records refused non-loopback attempts as well);
//   secretLeaks     the API token or the webhook token (or 24+ characters of one) in a message, notice, visitor,
//                   room, upload, job, persistence record other than the instance record, or a line the app logged;
//   serverErrors    an answer >= 500, or a command that failed, answered nothing, or answered an internal error.
// It prints one JSON line `{"suite":"hostile","requests":N,...}` and fails with the examples when a counter is not 0.
import * as net from 'net';
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from '../integration/support/world';
import { CommandCase, CommandInputs, ROLES, Role } from './commandInputs';
import { Observer, within } from './observer';
import { Prng } from './prng';
import { WebhookCase, WebhookInputs } from './webhookInputs';

const SEED = Number(process.env.HOSTILE_SEED || 0x11);
const BATCH_SIZE = 50;
const REQUEST_TIMEOUT_MS = 15_000;
// Each test sends hundreds of requests, one batch after another, each batch waiting for the app to settle: about a
// minute on an idle machine, several on a loaded one. The limit only has to catch a hang.
const LONG_TEST_MS = 600_000;
const COMMANDS_PER_ROLE = 60;
const PROBE_CHAT = '79009999999@c.us';

type Counter = 'crashes' | 'stateChanges' | 'foreignFetches' | 'secretLeaks' | 'serverErrors';
const COUNTERS: Counter[] = ['crashes', 'stateChanges', 'foreignFetches', 'secretLeaks', 'serverErrors'];

class Tally {
	readonly total: Record<Counter, number> = { crashes: 0, stateChanges: 0, foreignFetches: 0, secretLeaks: 0, serverErrors: 0 };
	requests = 0;
	/** Answer statuses per class, printed with HOSTILE_VERBOSE=1 (to see what each class was answered). */
	readonly statuses = new Map<string, Record<string, number>>();
	private readonly byClass = new Map<string, { requests: number; counts: Record<Counter, number>; examples: string[] }>();

	count(cls: string, counter: Counter, example: string): void {
		this.total[counter] += 1;
		const c = this.cls(cls);
		c.counts[counter] += 1;
		if (c.examples.length < (process.env.HOSTILE_VERBOSE ? 50 : 4)) c.examples.push(`${counter}: ${example.slice(0, 300)}`);
	}

	sent(cls: string): void {
		this.requests += 1;
		this.cls(cls).requests += 1;
	}

	answered(cls: string, status: string): void {
		const s = this.statuses.get(cls) ?? {};
		s[status] = (s[status] ?? 0) + 1;
		this.statuses.set(cls, s);
	}

	/** Classes with a non-zero counter, with their examples. */
	report(classes: string[]): string {
		return [...this.byClass.entries()]
			.filter(([cls, c]) => classes.includes(cls) && COUNTERS.some((k) => c.counts[k] > 0))
			.map(([cls, c]) => `${cls} (${c.requests} requests): ${COUNTERS.filter((k) => c.counts[k]).map((k) => `${k}=${c.counts[k]}`).join(' ')}\n  ${c.examples.join('\n  ')}`)
			.join('\n');
	}

	totalsFor(classes: string[]): Record<Counter, number> {
		const out: Record<Counter, number> = { crashes: 0, stateChanges: 0, foreignFetches: 0, secretLeaks: 0, serverErrors: 0 };
		for (const cls of classes) for (const k of COUNTERS) out[k] += this.byClass.get(cls)?.counts[k] ?? 0;
		return out;
	}

	private cls(cls: string) {
		let c = this.byClass.get(cls);
		if (!c) this.byClass.set(cls, (c = { requests: 0, counts: { crashes: 0, stateChanges: 0, foreignFetches: 0, secretLeaks: 0, serverErrors: 0 }, examples: [] }));
		return c;
	}
}

/** A 127.0.0.1 port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const port = (server.address() as net.AddressInfo).port;
	await new Promise<void>((r) => server.close(() => r()));
	return port;
}

/** A short label for a case in a report: never the whole (possibly 90 kB) body. */
function describeCase(c: WebhookCase): string {
	const body = c.content === undefined ? '' : typeof c.content === 'string' ? c.content : JSON.stringify(c.content);
	return `${c.method} ${c.path} ${JSON.stringify(c.query).slice(0, 60)} auth=${JSON.stringify((c.headers.authorization ?? '').slice(0, 20))} ${body.slice(0, 160)}`;
}

/** Consecutive cases of one class with the same expectation, at most BATCH_SIZE each. */
function batches(cases: WebhookCase[]): WebhookCase[][] {
	const out: WebhookCase[][] = [];
	for (const c of cases) {
		const last = out[out.length - 1];
		if (last && last.length < BATCH_SIZE && last[0].expect === c.expect) last.push(c);
		else out.push([c]);
	}
	return out;
}

describe('hostile input (seeded, generated)', () => {
	let w: World;
	let obs: Observer;
	let pid: number | undefined;
	let probeRoomId: string | undefined;
	let probes = 0;
	const tally = new Tally();
	const webhookClasses: string[] = [];
	const commandClasses: string[] = [];

	beforeAll(async () => {
		// Debug logging: the secret check then covers every line the app can write.
		w = await startWorld({ appSettings: { log_level: 'debug' } });
		w.green.serveFile('ok.jpg', Buffer.from('ffd8ffe000104a464946', 'hex'), 'image/jpeg');
		const hosts = [w.green.apiUrl, w.green.mediaUrl, w.green.filesUrl].map((u) => new URL(u).host);
		obs = new Observer(w.rc, [GA.apiToken, w.webhookToken], hosts);
		pid = w.rc.denoPid();
		const first = await probe('start');
		if (first) throw new Error(`the probe message does not go through before any hostile input: ${first}`);
	});

	afterAll(async () => {
		if (process.env.HOSTILE_VERBOSE) process.stdout.write(`${JSON.stringify(Object.fromEntries(tally.statuses))}\n`);
		process.stdout.write(`${JSON.stringify({ suite: 'hostile', requests: tally.requests, ...tally.total })}\n`);
		await w?.stop();
	});

	/** The app process is the one we started, alive, and a valid message still posts. Undefined when fine. */
	async function probe(after: string): Promise<string | undefined> {
		const now = w.rc.denoPid();
		if (!now || now !== pid) return `after ${after}: the app process changed (${pid} → ${now})`;
		try {
			process.kill(now, 0);
		} catch {
			return `after ${after}: the app process ${now} is gone`;
		}
		probes += 1;
		const text = `probe ${probes}`;
		const idMessage = `PROBE${String(probes).padStart(8, '0')}`;
		const res = await within(w.webhook(fx.incoming(fx.textMessage(text), { chatId: PROBE_CHAT, idMessage, senderName: 'Probe' })), REQUEST_TIMEOUT_MS);
		if (res === 'timeout') return `after ${after}: the probe message timed out`;
		if (res.status !== 200 || res.content?.outcome !== 'posted') return `after ${after}: the probe message answered ${res.status} ${JSON.stringify(res.content)}`;
		const posted = w.rc.rc.messages.find((m) => m.text === text);
		if (!posted) return `after ${after}: the probe message is not in the room`;
		probeRoomId = posted.rid;
		// The contact record is written right after the answer: the probe is done when it lists the message.
		const recorded = await w.rc
			.waitFor(() => w.rc.rc.persistence.some((p) => p.data?.chatId === PROBE_CHAT && (p.data?.dedupe?.ids ?? []).includes(idMessage)))
			.catch(() => false);
		if (!recorded) return `after ${after}: the probe message was posted but never recorded`;
		await obs.settle();
		return undefined;
	}

	/** The checks every batch ends with. */
	async function endBatch(cls: string, from: number, label: string): Promise<void> {
		for (const url of obs.foreignRequestsSince(from)) tally.count(cls, 'foreignFetches', `${label}: requested ${url.slice(0, 200)}`);
		for (const place of obs.newSecretLeaks()) tally.count(cls, 'secretLeaks', `${label}: ${place}`);
		const broken = await probe(label);
		if (broken) {
			tally.count(cls, 'crashes', broken);
			// Wait for the engine's restart, so the following batches still test something.
			pid = (await w.rc.waitForAppRestart(pid, 60_000).catch(() => undefined))?.pid ?? w.rc.denoPid();
			await obs.settle();
		}
	}

	async function send(c: WebhookCase) {
		return within(w.rc.callEndpoint(c.path, { method: c.method as 'POST', headers: c.headers, query: c.query as Record<string, string>, content: c.content }), REQUEST_TIMEOUT_MS);
	}

	it('webhook requests by class: no crash, no state change without credentials or envelope, no foreign fetch, no secret, no 5xx', async () => {
		const port = await closedPort();
		const inputs = new WebhookInputs(new Prng(SEED), {
			instanceId: GA.idInstance, webhookToken: w.webhookToken, apiToken: GA.apiToken, wid: GA.wid, appId: w.rc.appId, siteUrl: w.rc.rc.siteUrl, filesUrl: w.green.filesUrl, closedPort: port,
		}).all();
		let total = 0;
		for (const { cls, cases } of inputs) {
			webhookClasses.push(cls);
			total += cases.length;
			// Methods without a handler make the engine print its JsonRpcError to the console: the status is what counts.
			const quiet = cls === 'methods' ? jest.spyOn(console, 'error').mockImplementation(() => undefined) : undefined;
			try {
				for (const [b, batch] of batches(cases).entries()) {
					const label = `${cls} batch ${b + 1}`;
					await obs.settle();
					const unchanged = batch[0].expect === 'unchanged';
					const before = obs.snapshot(true);
					const from = obs.effectCount;
					let attributed = 0;
					for (const c of batch) {
						const start = obs.effectCount;
						const sendsBefore = w.green.allSent().length;
						tally.sent(cls);
						const res = await send(c);
						if (res === 'timeout') {
							tally.count(cls, 'crashes', `${describeCase(c)}: no answer within ${REQUEST_TIMEOUT_MS} ms`);
							continue;
						}
						tally.answered(cls, `${res.status} ${res.content?.outcome ?? ''}`.trim());
						if (res.status >= 500) tally.count(cls, 'serverErrors', `${res.status} for ${describeCase(c)}`);
						if (unchanged) {
							// A message sent to WhatsApp is a change too (recorded by the fake GREEN-API).
							const changes = [...obs.changesSince(start), ...(w.green.allSent().length > sendsBefore ? ['sent to WhatsApp'] : [])];
							if (changes.length) {
								attributed += 1;
								tally.count(cls, 'stateChanges', `${describeCase(c)} → ${res.status} ${JSON.stringify(res.content).slice(0, 60)}; ${[...new Set(changes)].join(', ')}`);
							}
						}
					}
					// Files are fetched by jobs: run them (only where state may change: the recurring tick could be due too).
					if (!unchanged && batch.some((c) => c.fetches)) await w.rc.runDueJobs();
					await obs.settle();
					if (unchanged && attributed === 0 && obs.snapshot(true) !== before) tally.count(cls, 'stateChanges', `${label}: state differs after the batch`);
					for (const g of obs.garbageSince(from)) tally.count(cls, 'stateChanges', `${label}: ${g}`);
					await endBatch(cls, from, label);
				}
			} finally {
				quiet?.mockRestore();
			}
		}
		expect(total).toBeGreaterThanOrEqual(1000);
		const found = tally.totalsFor(webhookClasses);
		if (COUNTERS.some((k) => found[k] > 0)) throw new Error(`hostile webhook requests (seed ${SEED}, ${total} requests):\n${tally.report(webhookClasses)}`);
		expect(found).toEqual({ crashes: 0, stateChanges: 0, foreignFetches: 0, secretLeaks: 0, serverErrors: 0 });
	}, LONG_TEST_MS);

	it('/whatsapp argument lists by role: an answer to the caller, no state change, no internal error, no secret', async () => {
		const users: Record<Role, string> = {
			admin: w.admin.id,
			manager: w.rc.addUser({ username: 'hostile.manager', roles: ROLES.manager }).id,
			agent: w.agent.id,
			plain: w.rc.addUser({ username: 'hostile.user', roles: ROLES.plain }).id,
		};
		await obs.settle();
		const cases = new CommandInputs(new Prng(SEED + 1), { instanceId: GA.idInstance, apiToken: GA.apiToken, apiUrl: w.green.apiUrl, mediaUrl: w.green.mediaUrl }).all(COMMANDS_PER_ROLE);
		const byRole = new Map<Role, CommandCase[]>();
		for (const c of cases) byRole.set(c.role, [...(byRole.get(c.role) ?? []), c]);
		for (const [role, list] of byRole) {
			const cls = `commands (${role})`;
			commandClasses.push(cls);
			for (let i = 0; i < list.length; i += BATCH_SIZE) {
				const label = `${cls} batch ${i / BATCH_SIZE + 1}`;
				await obs.settle();
				const before = obs.snapshot(false);
				const from = obs.effectCount;
				let attributed = 0;
				for (const c of list.slice(i, i + BATCH_SIZE)) {
					const start = obs.effectCount;
					const sendsBefore = w.green.allSent().length;
					const answersFrom = w.rc.rc.notices.length;
					const what = `/whatsapp ${JSON.stringify(c.args).slice(0, 120)}`;
					tally.sent(cls);
					const roomId = c.inWhatsAppRoom ? probeRoomId : undefined;
					const run = await within(w.rc.runCommand('whatsapp', c.args, { userId: users[role], roomId }).then(() => 'ok' as const, (e: Error) => e), REQUEST_TIMEOUT_MS);
					if (run === 'timeout') {
						tally.count(cls, 'crashes', `${what}: no end within ${REQUEST_TIMEOUT_MS} ms`);
						continue;
					}
					if (run instanceof Error) tally.count(cls, 'serverErrors', `${what}: the engine threw ${run.message.slice(0, 120)}`);
					// Replies are notices; the command's own work is done when runCommand returns.
					const changes = [...obs.changesSince(start, /^notice$/), ...(w.green.allSent().length > sendsBefore ? ['sent to WhatsApp'] : [])];
					if (changes.length) {
						attributed += 1;
						tally.count(cls, 'stateChanges', `${what}: ${[...new Set(changes)].join(', ')}`);
					}
					const answers = w.rc.rc.notices.slice(answersFrom).filter((n) => n.userId === users[role]).map((n) => n.text ?? '');
					if (answers.length === 0) tally.count(cls, 'serverErrors', `${what}: no answer`);
					const internal = answers.find((a) => /The command failed|is not a function|role_undefined|\[object Object\]|\bundefined\b|Cannot read prop/.test(a));
					if (internal) tally.count(cls, 'serverErrors', `${what}: answered ${JSON.stringify(internal.slice(0, 160))}`);
				}
				await obs.settle();
				if (attributed === 0 && obs.snapshot(false) !== before) tally.count(cls, 'stateChanges', `${label}: state differs after the batch`);
				await endBatch(cls, from, label);
			}
		}
		expect(cases.length).toBeGreaterThanOrEqual(200);
		const found = tally.totalsFor(commandClasses);
		if (COUNTERS.some((k) => found[k] > 0)) throw new Error(`hostile /whatsapp argument lists (seed ${SEED + 1}, ${cases.length} lists):\n${tally.report(commandClasses)}`);
		expect(found).toEqual({ crashes: 0, stateChanges: 0, foreignFetches: 0, secretLeaks: 0, serverErrors: 0 });
	}, LONG_TEST_MS);
});
