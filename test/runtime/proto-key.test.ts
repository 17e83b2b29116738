// Issue 11 item 1: a request body with an own "__proto__" key (JSON.parse and express.json() create one) stops the
// app process before any app code runs. Where: the engine's server side (server/runtime/deno/codec.js, @msgpack/msgpack
// Encoder) writes the request to the app process fine; the Deno side reads its stdin with @msgpack/msgpack's
// Decoder.decodeStream (deno-runtime/main.ts), whose prototype-pollution guard throws "The key __proto__ is not
// allowed" from the stream iterator itself, outside the per-message try/catch: the read loop ends. Then, by engine:
//   1.46.0 (no error handlers): an uncaught rejection, the process crashes (exit 1) and is restarted at once; the 3rd
//          restart is the last, the next such request stops the app for good;
//   1.53+ (error-handlers.ts): the rejection is caught, nothing keeps the process busy, it exits cleanly (code 0);
//          1.58+ have a LivenessManager watchdog that restarts it after its missed pings; before (1.53 .. 1.57) pings
//          stop at the exit and a clean exit is never restarted: the app stays down until Rocket.Chat restarts.
// Every request to the app meanwhile waits for the engine's request timeout (10 s on 1.46.0, else 30 s): 500.
import * as path from 'path';
import { parseRouterBody } from './router';
import { ENGINE, TestRocketChat } from './TestRocketChat';
import { startWorld, World } from '../integration/support/world';
import { customer, report, tally, textFrom, visitorTexts } from '../durability/support';

jest.setTimeout(300_000);

const POISON = '{"__proto__":{"x":1},"typeWebhook":"incomingMessageReceived"}';
/** What the engine's controller sends for an endpoint call (sendRequest: jsonrpc.request(id, 'api:<path>:<method>', [request])). */
const apiRequest = (content: unknown) => ({ jsonrpc: '2.0', id: 'r1', method: 'api:greenapi:post', params: [{ method: 'post', headers: {}, query: {}, params: {}, content }] });
const exited = (child: any) => new Promise<{ code: number | null; signal: string | null; ms: number }>((resolve) => {
	const t0 = Date.now();
	if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode, ms: 0 });
	else child.once('exit', (code: number | null, signal: string | null) => resolve({ code, signal, ms: Date.now() - t0 }));
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe(`a request body with an own "__proto__" key (Apps-Engine ${ENGINE.version}, Deno ${ENGINE.deno})`, () => {
	it('is encoded by the engine (Node side) and refused by the msgpack decoder the Deno runtime reads its stdin with', () => {
		// the engine's own encoder of requests to the app process (a singleton `encoder` before 1.57, newEncoder() after)
		// eslint-disable-next-line @typescript-eslint/no-var-requires
		const codec = require('@rocket.chat/apps-engine/server/runtime/deno/codec');
		const newEncoder = () => (codec.newEncoder ? codec.newEncoder() : codec.encoder);
		// the very @msgpack/msgpack build the Deno runtime runs, from the engine's Deno cache
		// eslint-disable-next-line @typescript-eslint/no-var-requires
		const denoMsgpack = require(path.join(ENGINE.denoDir, 'npm/registry.npmjs.org/@msgpack/msgpack/3.0.0-beta2/dist/index.js'));
		const mainTs = require('fs').readFileSync(path.join(ENGINE.engineDir, 'deno-runtime/main.ts'), 'utf8') as string;
		expect(mainTs).toMatch(/for await \(const message of decoder\.decodeStream\(Deno\.stdin\.readable\)\)/);

		const bytes = newEncoder().encode(apiRequest(JSON.parse(POISON)));
		expect(bytes.length).toBeGreaterThan(0); // the server side has no objection
		expect(() => new denoMsgpack.Decoder().decode(bytes)).toThrow('The key __proto__ is not allowed');
		// nested, too; and the same request without the key passes
		expect(() => new denoMsgpack.Decoder().decode(newEncoder().encode(apiRequest(JSON.parse('{"a":{"b":[{"__proto__":1}]}}'))))).toThrow('__proto__');
		expect(new denoMsgpack.Decoder().decode(newEncoder().encode(apiRequest(JSON.parse('{"typeWebhook":"x"}'))))).toMatchObject({ method: 'api:greenapi:post' });
		// what reaches the engine from Rocket.Chat's router (express.json / express.urlencoded): other spellings of the
		// same own key — JSON \u escapes, a form field — so a filter in front of Rocket.Chat must decode before matching
		for (const [type, raw] of [['application/json', '{"\\u005f_proto__":{"x":1}}'], ['application/x-www-form-urlencoded', '%5F%5Fproto%5F%5F=1&typeWebhook=x']]) {
			const parsed = parseRouterBody(type, raw) as { body: object };
			expect(Object.keys(parsed.body)).toContain('__proto__');
			expect(() => new denoMsgpack.Decoder().decode(newEncoder().encode(apiRequest(parsed.body)))).toThrow('The key __proto__ is not allowed');
		}
	});

	describe('through the real engine', () => {
		let w: World;
		beforeAll(async () => {
			w = await startWorld();
		});
		afterAll(async () => {
			await w?.stop();
		});

		it('stops the app process before any app code runs; the app recovers by itself where the engine restarts the process (1.46.0, 1.58+: nothing lost, gab-tick still runs) and stays down where it does not (1.53 .. 1.57)', async () => {
			const t = w.rc;
			const [a, b] = [customer(1, 'Proto'), customer(2, 'Proto')];
			const aFirst = textFrom(a, 'before the poison');
			expect((await w.webhook(aFirst)).status).toBe(200);
			const appLogsBefore = t.appLogs().filter((e) => String(e.method).startsWith('api:greenapi')).length;
			const pid = t.denoPid()!;
			const child = t.runtime().deno;
			const exit = exited(child);

			// no token needed: the body never reaches the app
			const started = Date.now();
			const poison = t.callEndpoint('greenapi', { method: 'POST', headers: { 'content-type': 'application/json' }, query: { instance: 'x' }, content: POISON });
			const { code, signal, ms: exitMs } = await exit;
			expect(signal).toBeNull();
			expect(code).toBe(ENGINE.denoErrorHandlers ? 0 : 1);
			// a customer writes while the app is down (GREEN-API redelivers what was not answered 200); 1.46.0 restarts the
			// process at once, and a request that reaches the new process before the app is constructed makes that restart
			// fail (see the last test): there the message comes right after the restart
			const bMsg = textFrom(b, 'during the outage');
			const immediateRestart = !ENGINE.denoErrorHandlers;
			let during = immediateRestart ? undefined : w.webhook(bMsg);

			const restarts = immediateRestart || ENGINE.livenessWatchdog;
			if (!restarts) {
				// 1.53 .. 1.57: the clean exit ends the pings; nothing restarts the process
				await sleep(25_000);
				expect(t.appProcessIds()).toEqual([pid]);
				expect((t.runtime().livenessManager.getRuntimeData?.() ?? t.runtime().livenessManager).restartCount).toBe(0);
				const answers = await Promise.all([poison, during!]);
				expect(answers.map((r) => r.status)).toEqual([500, 500]);
				report('proto-key-body', tally([], []), { engine: ENGINE.version, deno: ENGINE.deno, exitCode: code, exitMs, restarted: false, poisonStatus: 500, poisonMs: Date.now() - started });
				return;
			}
			const restart = await t.waitForAppRestart(pid, 120_000);
			during ??= w.webhook(bMsg);
			const [poisonRes, duringRes] = await Promise.all([poison, during]);
			const poisonMs = Date.now() - started;
			expect(poisonRes.status).toBe(500); // the engine's request timeout
			expect(poisonMs).toBeGreaterThanOrEqual(ENGINE.requestTimeoutMs - 50);
			// no app code ran for it: the only webhook the app handled since is the customer's
			expect(t.appLogs().filter((e) => String(e.method).startsWith('api:greenapi')).length - appLogsBefore).toBeLessThanOrEqual(duringRes.status === 200 ? 1 : 0);

			// recovery: GREEN-API redelivers b's message, a writes again, the tick keeps running
			if (duringRes.status !== 200) expect((await w.webhook(bMsg)).status).toBe(200);
			expect((await w.webhook(bMsg)).status).toBe(200); // a redelivery of something already answered: once
			expect((await w.webhook(textFrom(a, 'after the restart'))).status).toBe(200);
			const ticks = () => t.rc.jobs.filter((j) => j.processorId === 'gab-tick');
			expect(ticks()).toHaveLength(1);
			const runsBefore = t.rc.jobRuns.length;
			t.advanceClock(61_000);
			await t.runDueJobs();
			expect(t.rc.jobRuns.slice(runsBefore).filter((r) => r.processorId === 'gab-tick').map((r) => r.ok)).toEqual([true]);
			// the engine re-enables the app after a restart (onEnable re-asserts gab-tick) from 1.53; 1.46.0 does not
			const reasserted = t.rc.effects.some((e) => e.kind === 'job.scheduled' && e.processorId === 'gab-tick' && (e.seq as number) > 0 && restartSeqBefore(t, pid) < (e.seq as number));
			expect(reasserted).toBe(ENGINE.restartRunsOnEnable);

			const counts = tally(['before the poison', 'during the outage', 'after the restart'], visitorTexts(t));
			report('proto-key-body', counts, {
				engine: ENGINE.version, deno: ENGINE.deno, exitCode: code, exitMs, restarted: true, restartMs: restart.ms, poisonStatus: poisonRes.status, poisonMs,
				duringStatus: duringRes.status, tickReasserted: reasserted,
			});
			expect(counts).toMatchObject({ lost: 0, duplicated: 0 });
			expect(new Set(t.rc.rooms.filter((r) => r.customFields?.whatsappChat === a.chatId).map((r) => r.id)).size).toBe(1);
		});
	});

	(Number.isFinite(ENGINE.maxRestarts) && !ENGINE.denoErrorHandlers ? it : it.skip)("switches the app off for good once the engine's restart limit is used up (1.46.0: 3 restarts)", async () => {
		const t = await TestRocketChat.start();
		try {
			const pending: Array<Promise<unknown>> = [];
			for (let i = 1; i <= ENGINE.maxRestarts; i++) {
				const pid = t.denoPid()!;
				pending.push(t.callEndpoint('health', { method: 'POST', content: POISON }));
				expect((await t.waitForAppRestart(pid, 30_000)).restarts).toBe(i);
			}
			const last = exited(t.runtime().deno);
			pending.push(t.callEndpoint('health', { method: 'POST', content: POISON }));
			await last;
			await t.waitFor(() => t.runtime().getProcessState() === 'stopped', 10_000);
			await Promise.all(pending);
			await expect(t.callEndpoint('health')).resolves.toMatchObject({ status: 500 }); // the app stays stopped
		} finally {
			await t.stop();
		}
	});
});

describe('engines that restart a crashed app process at once (1.46.0)', () => {
	(!ENGINE.denoErrorHandlers ? it : it.skip)('a request that reaches the new process before the app is constructed makes the restart fail (app:construct or app:initialize time out)', async () => {
		const t = await TestRocketChat.start();
		try {
			const pid = t.denoPid()!;
			const exit = exited(t.runtime().deno);
			const poison = t.callEndpoint('health', { method: 'POST', content: POISON });
			await exit; // the engine has just spawned the new process and waits for it to say ready
			const early = t.callEndpoint('health');
			await t.waitFor(() => t.rc.effects.find((e) => e.kind === 'runtime.restart-failed'), 2 * ENGINE.requestTimeoutMs + 5000);
			const failed = t.rc.effects.find((e) => e.kind === 'runtime.restart-failed')!;
			expect(String(failed.error)).toMatch(/method "app:(construct|initialize)" timed out/);
			expect(t.appProcessIds().length).toBeGreaterThanOrEqual(2);
			expect(t.appProcessIds()[0]).toBe(pid);
			await Promise.all([poison, early]);
			report('proto-key-restart-race', tally([], []), { engine: ENGINE.version, restartFailed: String(failed.error).replace(/^\[[^\]]*\] /, ''), processes: t.appProcessIds().length, restartCount: t.runtime().livenessManager.restartCount });
		} finally {
			await t.stop();
		}
	});
});

/** seq of the last effect before the app process `oldPid` was replaced (the first stderr / spawn bookkeeping of the new one). */
function restartSeqBefore(t: TestRocketChat, oldPid: number): number {
	const newer = t.rc.effects.find((e) => e.kind === 'runtime.spawned' && e.pid !== oldPid && (e.previousPid === oldPid));
	return newer ? newer.seq : Number.MAX_SAFE_INTEGER;
}
