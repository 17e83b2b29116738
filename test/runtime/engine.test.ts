// The engine matrix: the facts engine.ts reads from each engine's own files match what the engines are known to do
// (issue 10), and the harness pieces that depend on the engine work on the one in use (GAB_ENGINE, default 1.62.0).
import { ENGINE, engineInfo } from './engine';
import { TestRocketChat } from './TestRocketChat';

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ENGINES, DENO_FOR_ENGINE, enginePaths } = require('./paths') as { ENGINES: string[]; DENO_FOR_ENGINE: Record<string, string>; enginePaths(v: string): { prepared: boolean } };

/** What each Apps-Engine server runtime of the claimed range does (read from the engines' server/runtime/deno/* and
 *  deno-runtime/*): 10 s call budget and 3 restarts only on 1.46; "[object Object]" errors until 1.53's
 *  formatErrorResponse; getDenoRuntime until 1.57; getMessageUpdater only on 1.62; no room source destination and no
 *  re-enable after a restart on 1.46; Deno-side error handlers (a broken read loop exits cleanly) from 1.53; the
 *  LivenessManager watchdog that also restarts a cleanly exited process from 1.58; Rocket.Chat 7 contacts after 1.46;
 *  IMessage `type` from 1.53 and `files` only on 1.62 (definition/messages/IMessage.d.ts); app endpoint bodies up to
 *  50 MB on RC 6.13 (1.46), 100 kB (express defaults in router.ts) with RC 7. */
const KNOWN: Record<string, Partial<ReturnType<typeof engineInfo>>> = {
	'1.46.0': { requestTimeoutMs: 10_000, maxRestarts: 3, runtimeGetter: 'getDenoRuntime', bridgeErrorsAsObjects: true, hasMessageUpdater: false, roomSourceHasDestination: false, restartRunsOnEnable: false, rcHasContacts: false, runtimeInTempDir: false, denoErrorHandlers: false, livenessWatchdog: false , messageHasType: false, messageHasFiles: false, endpointBodyLimitBytes: 50 * 1024 * 1024},
	'1.53.1': { requestTimeoutMs: 30_000, maxRestarts: Infinity, runtimeGetter: 'getDenoRuntime', bridgeErrorsAsObjects: false, hasMessageUpdater: false, roomSourceHasDestination: true, restartRunsOnEnable: true, rcHasContacts: true, runtimeInTempDir: false, denoErrorHandlers: true, livenessWatchdog: false , messageHasType: true, messageHasFiles: false, endpointBodyLimitBytes: 100 * 1024},
	'1.55.1': { requestTimeoutMs: 30_000, maxRestarts: Infinity, runtimeGetter: 'getDenoRuntime', bridgeErrorsAsObjects: false, hasMessageUpdater: false, roomSourceHasDestination: true, restartRunsOnEnable: true, rcHasContacts: true, runtimeInTempDir: false, denoErrorHandlers: true, livenessWatchdog: false , messageHasType: true, messageHasFiles: false, endpointBodyLimitBytes: 100 * 1024},
	'1.57.2': { requestTimeoutMs: 30_000, maxRestarts: Infinity, runtimeGetter: 'getRuntimeController', bridgeErrorsAsObjects: false, hasMessageUpdater: false, roomSourceHasDestination: true, restartRunsOnEnable: true, rcHasContacts: true, runtimeInTempDir: false, denoErrorHandlers: true, livenessWatchdog: false , messageHasType: true, messageHasFiles: false, endpointBodyLimitBytes: 100 * 1024},
	'1.58.1': { requestTimeoutMs: 30_000, maxRestarts: Infinity, runtimeGetter: 'getRuntimeController', bridgeErrorsAsObjects: false, hasMessageUpdater: false, roomSourceHasDestination: true, restartRunsOnEnable: true, rcHasContacts: true, runtimeInTempDir: false, denoErrorHandlers: true, livenessWatchdog: true , messageHasType: true, messageHasFiles: false, endpointBodyLimitBytes: 100 * 1024},
	'1.59.0': { requestTimeoutMs: 30_000, maxRestarts: Infinity, runtimeGetter: 'getRuntimeController', bridgeErrorsAsObjects: false, hasMessageUpdater: false, roomSourceHasDestination: true, restartRunsOnEnable: true, rcHasContacts: true, runtimeInTempDir: false, denoErrorHandlers: true, livenessWatchdog: true , messageHasType: true, messageHasFiles: false, endpointBodyLimitBytes: 100 * 1024},
	'1.62.0': { requestTimeoutMs: 30_000, maxRestarts: Infinity, runtimeGetter: 'getRuntimeController', bridgeErrorsAsObjects: false, hasMessageUpdater: true, roomSourceHasDestination: true, restartRunsOnEnable: true, rcHasContacts: true, runtimeInTempDir: true, denoErrorHandlers: true, livenessWatchdog: true , messageHasType: true, messageHasFiles: true, endpointBodyLimitBytes: 100 * 1024},
};

describe('engine facts, read from each prepared engine', () => {
	it('covers every engine of the matrix', () => {
		expect(Object.keys(KNOWN)).toEqual(ENGINES);
		expect(Object.keys(DENO_FOR_ENGINE)).toEqual(ENGINES);
	});
	const prepared = ENGINES.filter((v) => enginePaths(v).prepared);
	it.each(prepared)('%s', (v) => {
		if (process.env.APPS_ENGINE_RUNTIME_TIMEOUT) return; // the 30 s default is what the table states
		expect(engineInfo(v)).toMatchObject({ ...KNOWN[v], version: v, deno: DENO_FOR_ENGINE[v] });
	});
});

describe(`the harness on the engine in use (${ENGINE.version}, Deno ${ENGINE.deno})`, () => {
	let t: TestRocketChat;
	beforeAll(async () => {
		t = await TestRocketChat.start();
	});
	afterAll(async () => {
		await t?.stop();
	});

	it('runs the app on that engine and Deno', async () => {
		expect(t.runtime()).toBeDefined();
		expect((await t.callEndpoint('health')).status).toBe(200);
		expect(require.resolve('@rocket.chat/apps-engine/server/AppManager')).toContain(ENGINE.engineDir);
	});

	it('reads the Deno process memory (VmRSS, VmHWM) and restarts the peak measurement', () => {
		const before = t.denoMemory()!;
		expect(before.pid).toBe(t.denoPid());
		expect(before.rssMb).toBeGreaterThan(10);
		expect(before.peakMb).toBeGreaterThanOrEqual(before.rssMb);
		expect(t.resetDenoPeakRss()).toBe(true);
		const after = t.denoMemory()!;
		// The reset sets the peak to the resident size of that moment; the live process may grow a little before
		// the read (then both move together), so the peak is compared with the current size, not the old peak.
		expect(after.peakMb).toBeGreaterThanOrEqual(after.rssMb - 1);
		expect(after.peakMb - after.rssMb).toBeLessThanOrEqual(2);
	});

	it(`answers a JSON body over ${ENGINE.endpointBodyLimitBytes} bytes with 413 before the app runs (app/apps/server/bridges/router.ts; RC 6.13: 50 MB)`, async () => {
		const logsBefore = t.appLogs().length;
		const body = JSON.stringify({ typeWebhook: 'incomingMessageReceived', pad: 'p'.repeat(ENGINE.endpointBodyLimitBytes) });
		const res = await t.callEndpoint('health', { method: 'POST', content: body });
		expect(res).toEqual({ status: 413, content: 'Payload Too Large' });
		expect(t.appLogs()).toHaveLength(logsBefore);
		expect(t.rc.effects.filter((e) => e.kind === 'http.rejected')).toMatchObject([{ path: 'health', status: 413 }]);
	});
});
