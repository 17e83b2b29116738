// `npm run bench`: performance figures of the app on the real engine, one JSON object per line on stdout:
// {"name","value","unit","goal"}. Others add figures with the exported helpers.
import { TestRocketChat } from '../runtime/TestRocketChat';
import { cloudFigures } from './cloud';
import { latencyFigures } from './latency';
import { mediaFigures } from './media';
import { messagingFigures } from './messaging';
import { manyChatsFigures } from './throughput';

export function median(values: number[]): number {
	if (!values.length) return NaN;
	const s = [...values].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
export function emit(name: string, value: number, unit: string, goal: string): void {
	process.stdout.write(`${JSON.stringify({ name, value: Math.round(value * 1000) / 1000, unit, goal })}\n`);
}
export const note = (msg: string): void => void process.stderr.write(`[bench] ${msg}\n`);

/** Median wall time of `fn` over n runs (after `warmup` unmeasured runs), in ms. */
export async function timeMedian(n: number, fn: () => Promise<unknown>, warmup = Math.min(20, n)): Promise<number> {
	for (let i = 0; i < warmup; i++) await fn();
	const times: number[] = [];
	for (let i = 0; i < n; i++) {
		const t0 = process.hrtime.bigint();
		await fn();
		times.push(Number(process.hrtime.bigint() - t0) / 1e6);
	}
	return median(times);
}

async function main(): Promise<void> {
	// Install + enable (spawn Deno, construct, initialize, enable) on a fresh AppManager, 3 times.
	const starts: number[] = [];
	for (let i = 0; i < 3; i++) {
		const t = await TestRocketChat.start();
		starts.push(t.timings.installEnableMs);
		await t.stop();
	}
	emit('engine_start_ms', median(starts), 'ms', '<= 1000');

	const t = await TestRocketChat.start();
	try {
		const noop = await timeMedian(300, async () => {
			const r = await t.callEndpoint('health');
			if (r.status !== 200) throw new Error(`health answered ${r.status}`);
		});
		emit('noop_endpoint_ms', noop, 'ms', '<= 2');

		// The webhook with an unknown instance does exactly one persistence read before refusing.
		const probe = () => t.callEndpoint('greenapi', { method: 'POST', query: { instance: '999' }, content: {} });
		const first = await probe();
		if (first.status === 404) note('persistence_read_ms skipped: the greenapi endpoint is not there yet (404)');
		else {
			const m = await t.measureCalls(probe);
			if (m.calls !== 1) note(`persistence_read_ms: the probe made ${m.calls} bridge calls (${JSON.stringify(m.byMethod)}), expected 1`);
			const webhook = await timeMedian(300, probe);
			const noopAgain = await timeMedian(300, () => t.callEndpoint('health'));
			emit('persistence_read_ms', webhook - noopAgain, 'ms', '<= 1');
		}
	} finally {
		await t.stop();
	}
	await messagingFigures();
	await latencyFigures();
	await cloudFigures();
	await manyChatsFigures();
	await mediaFigures();
}

if (require.main === module) {
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}
