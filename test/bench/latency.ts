// Where the time of one inbound text goes. Per text into an open conversation (customers taking turns, as on a
// real number), the bench times, interleaved so that a busy machine weighs on all alike:
// - the bridge's webhook (the app under test);
// - the same request to a minimal app (test/bench/floor-app) that answers it with nothing: the engine's dispatch;
// - the same text to the minimal app's `required` endpoint, which only does what any bridge must (read the chat's
//   record, post the text as the visitor, send the record's write, answer): the floor of the answer path;
// - the app's no-op endpoint (`health`), the denominator of the ratio.
// Bridge time is the test runtime's host time of the app's requests (arrival to answer written back) within the
// webhook call; the app's share is the rest of the call minus the engine's dispatch.
import * as fs from 'fs';
import * as path from 'path';
import { AppPackageParser } from '@rocket.chat/apps-engine/server/compiler/AppPackageParser';
import { incoming, textMessage } from '../fixtures/greenapi';
import { startWorld, World } from '../integration/support/world';
import { runtimeControllerOf } from '../runtime/engine';
import { TestRocketChat } from '../runtime/TestRocketChat';
import { emit, median, note } from './bench';

const chat = (i: number) => `7900${String(1000000 + i)}@c.us`;
const CUSTOMERS = 40;
const MESSAGES = 400;
const WARMUP = 40;

interface Interval {
	start: number;
	end: number;
}

/** ms of `intervals` inside [from, to]: host requests overlapping the window count for their part inside it. */
function overlap(intervals: Interval[], from: number, to: number): number {
	let ms = 0;
	for (const i of intervals) ms += Math.max(0, Math.min(i.end, to) - Math.max(i.start, from));
	return ms;
}

/** The minimal app's zip, built from test/bench/floor-app as it is (plain CommonJS: nothing to compile). */
export function floorAppZip(): Buffer {
	// eslint-disable-next-line @typescript-eslint/no-var-requires
	const AdmZip = require('adm-zip');
	const dir = path.join(__dirname, 'floor-app');
	const zip = new AdmZip();
	for (const f of fs.readdirSync(dir)) zip.addFile(f, fs.readFileSync(path.join(dir, f)));
	return zip.toBuffer();
}

/** Installs and enables the minimal app beside the bridge, in the same engine; returns its id. */
export async function installFloorApp(rc: TestRocketChat): Promise<string> {
	const zip = floorAppZip();
	const { permissions } = (await new AppPackageParser().unpackageApp(zip)).info;
	const aff = await rc.manager.add(zip, { enable: true, user: rc.rc.toAppUser(rc.admin), permissionsGranted: permissions });
	const app = aff.getApp();
	if (!app) throw new Error(`the floor app did not install: ${JSON.stringify(aff.getStorageError())}`);
	return app.getID();
}

interface Call {
	appId: string;
	path: string;
	method: 'get' | 'post';
	headers?: Record<string, string>;
	query?: Record<string, string>;
	content?: unknown;
}

/**
 * One request through the engine's API manager as Rocket.Chat's router hands it over (body already parsed: the
 * router's parsing is Rocket.Chat's, the same for every app). Returns the wall time and the host time of the app's
 * bridge requests inside it.
 */
interface Timed {
	ms: number;
	bridgeMs: number;
	requests: number;
	/** from the request handed to the engine to the app's first request arriving on the host */
	toFirstMs: number;
	/** from the answer to the app's second request (the post) written back to the endpoint's answer */
	afterPostMs: number;
}

async function timed(rc: TestRocketChat, intervals: Interval[], c: Call): Promise<Timed> {
	const request = {
		method: c.method, headers: { host: 'localhost', ...c.headers }, query: c.query ?? {}, params: {}, content: c.content,
		privateHash: rc.manager.getOneById(c.appId).getStorageItem()._id,
	};
	const before = intervals.length;
	const t0 = performance.now();
	const res = await rc.manager.getApiManager().executeApi(c.appId, c.path, request as never);
	const t1 = performance.now();
	if (!res || res.status !== 200) throw new Error(`${c.path} answered ${res?.status}: ${JSON.stringify(res?.content)}`);
	const inside = intervals.filter((x) => x.end >= t0 && x.start <= t1);
	const mine = intervals.slice(before).filter((x) => x.start <= t1).sort((a, b) => a.start - b.start);
	return {
		ms: t1 - t0, bridgeMs: overlap(inside, t0, t1), requests: mine.length,
		toFirstMs: mine.length ? mine[0].start - t0 : NaN, afterPostMs: mine.length > 1 ? t1 - mine[1].end : NaN,
	};
}

/**
 * Waits until nothing of an earlier request is still running (post-event listeners, engine -> app requests of either
 * app, app -> host requests), so that each request is timed from a quiet start. Polls on the event loop: no sleep.
 */
async function quiet(rc: TestRocketChat, appIds: string[]): Promise<void> {
	const busy = () =>
		(rc as unknown as { eventsInFlight: number }).eventsInFlight + rc.rc.calls.inFlight +
		appIds.reduce((n, id) => n + ((runtimeControllerOf(rc.manager.getOneById(id))?.eventNames?.() ?? []) as unknown[]).filter((e) => String(e).startsWith('result:')).length, 0);
	for (let still = 0; still < 2; ) {
		await new Promise((r) => setImmediate(r));
		still = busy() ? 0 : still + 1;
	}
}

async function openConversation(w: World, chatId: string): Promise<{ roomId: string; visitor: unknown }> {
	await w.customerSends(textMessage('hello'), { chatId, senderName: 'Customer' });
	// the contact record is written just after the answer
	const contact = await w.rc.waitFor(() => w.rc.rc.persistence.find((p) => p.appId === w.rc.appId && p.data?.chatId === chatId && p.data?.roomId && p.data?.visitorToken), 10_000, `the room of ${chatId}`);
	const d = contact.data;
	return { roomId: d.roomId, visitor: { id: d.visitorId, token: d.visitorToken, username: d.visitorUsername, name: d.name } };
}

export async function latencyFigures(): Promise<void> {
	const w = await startWorld({ acceptChatsWithNoAgents: true });
	const intervals: Interval[] = [];
	try {
		const floorId = await installFloorApp(w.rc);
		for (let c = 0; c < CUSTOMERS; c++) {
			const { roomId, visitor } = await openConversation(w, chat(c));
			// the minimal app's record of the same conversation
			w.rc.rc.persistence.push({ _id: `floor${c}`, appId: floorId, associations: [{ model: 'misc', id: `floor:${chat(c)}` }], data: { roomId, visitor } });
		}
		w.rc.rc.calls.onTimed = (_m, start, end) => {
			intervals.push({ start, end });
			if (intervals.length > 4000) intervals.splice(0, 2000);
		};
		const series = { app: [] as number[], bridge: [] as number[], requests: [] as number[], engine: [] as number[], required: [] as number[], requiredBridge: [] as number[], noop: [] as number[], appPhases: [] as Timed[], requiredPhases: [] as Timed[] };
		for (let n = 0; n < MESSAGES + WARMUP; n++) {
			const chatId = chat(n % CUSTOMERS);
			const webhook = {
				method: 'post' as const, headers: { 'content-type': 'application/json', authorization: `Bearer ${w.webhookToken}` }, query: { instance: '1101000001' },
				content: incoming(textMessage(`msg ${n}`), { chatId, senderName: 'Customer' }),
			};
			const apps = [w.rc.appId, floorId];
			await quiet(w.rc, apps);
			const app = await timed(w.rc, intervals, { appId: w.rc.appId, path: 'greenapi', ...webhook });
			await quiet(w.rc, apps);
			const engine = await timed(w.rc, intervals, { appId: floorId, path: 'greenapi', ...webhook });
			await quiet(w.rc, apps);
			const required = await timed(w.rc, intervals, { appId: floorId, path: 'required', method: 'post', headers: { 'content-type': 'application/json' }, content: { chatId, text: `Customer: msg ${n}` } });
			await quiet(w.rc, apps);
			const noop = await timed(w.rc, intervals, { appId: w.rc.appId, path: 'health', method: 'get' });
			if (n < WARMUP) continue;
			series.app.push(app.ms);
			series.bridge.push(app.bridgeMs);
			series.requests.push(app.requests);
			series.engine.push(engine.ms);
			series.required.push(required.ms);
			series.requiredBridge.push(required.bridgeMs);
			series.noop.push(noop.ms);
			series.appPhases.push(app);
			series.requiredPhases.push(required);
		}
		const appMs = median(series.app);
		const noopMs = median(series.noop);
		const engineMs = median(series.engine);
		const bridgeMs = median(series.bridge);
		const ownMs = median(series.app.map((t, i) => t - series.bridge[i])) - engineMs;
		const requiredMs = median(series.required);
		emit('inbound_latency_ratio', appMs / noopMs, 'ratio', '<= 3');
		emit('inbound_latency_breakdown_bridge_ms', bridgeMs, 'ms', 'reported (host time of the bridge calls inside the answer)');
		emit('inbound_latency_breakdown_app_ms', ownMs, 'ms', 'reported (the app\'s code and the transport of its calls)');
		emit('inbound_latency_breakdown_engine_ms', engineMs, 'ms', 'reported (a minimal app answering the same request)');
		emit('inbound_latency_floor_ratio', requiredMs / noopMs, 'ratio', 'reported (a minimal app doing only the required calls)');
		note(`inbound text: median ${appMs.toFixed(3)} ms ≈ bridge ${bridgeMs.toFixed(3)} + app ${ownMs.toFixed(3)} + engine ${engineMs.toFixed(3)}; ${median(series.requests)} app requests inside the answer; no-op endpoint ${noopMs.toFixed(3)} ms`);
		note(`floor (read, post, write sent, answer): median ${requiredMs.toFixed(3)} ms, bridge ${median(series.requiredBridge).toFixed(3)} ms; the app above it: ${(appMs - requiredMs).toFixed(3)} ms`);
		const phases = (t: Timed[]) => `first request after ${median(t.map((x) => x.toFirstMs)).toFixed(3)} ms, answer ${median(t.map((x) => x.afterPostMs)).toFixed(3)} ms after the post was answered`;
		note(`app: ${phases(series.appPhases)}; floor: ${phases(series.requiredPhases)}`);
	} finally {
		w.rc.rc.calls.onTimed = undefined;
		await w.stop();
	}
}

if (require.main === module) {
	latencyFigures().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
