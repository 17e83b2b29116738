// Figures of the Cloud API path on the real engine with the fake Graph API: bridge calls are
// exact counts; the batch figure is the wall time until the one webhook is answered.
import { CLOUD, msg } from '../fixtures/cloud';
import { FakeGraphApi } from '../fakes/FakeCloudApi';
import { startCloudWorld } from '../integration/support/cloudWorld';
import { emit, note } from './bench';

const customer = (i: number) => `4930${String(2000000 + i)}`;
const settle = () => new Promise((r) => setTimeout(r, 50));

export async function cloudFigures(): Promise<void> {
	const w = await startCloudWorld({ provider: 'cloud', acceptChatsWithNoAgents: true });
	const fake = w.fake as FakeGraphApi;
	try {
		await w.customerSends(msg.text('hello'));
		const roomId = w.roomOf(CLOUD.customer);
		await settle();

		// A text into the open conversation: the answer after the read and the message write, the
		// contact record just after (all counted).
		const inbound = await w.rc.measureCalls(async () => {
			const res = await w.customerSends(msg.text('how are you?'));
			if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
			await settle();
		});
		emit('cloud_inbound_text_bridge_calls', inbound.calls, 'calls', '<= 3');
		note(`cloud inbound text: ${JSON.stringify(inbound.byMethod)}`);

		// An agent text until the Graph API sees the send (the Http call carrying it not included).
		let atRequest = -1;
		const before = w.rc.rc.calls.snapshot();
		fake.setFailureMode((rec) => {
			const b = rec.body as { type?: string } | undefined;
			if (atRequest < 0 && rec.method === 'messages' && b?.type === 'text') {
				const now = w.rc.rc.calls.snapshot();
				const http = (now.byMethod['Http.doCall'] ?? 0) - (before.byMethod['Http.doCall'] ?? 0);
				atRequest = now.total - before.total - http;
			}
			return undefined;
		});
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'on its way' });
		await fake.waitFor(() => fake.sent.some((s) => s.type === 'text'), 5000, 'the agent text');
		fake.setFailureMode(undefined);
		emit('cloud_outbound_text_bridge_calls', atRequest, 'calls', '<= 3');

		// One webhook carrying 100 messages of 20 customers whose conversations are open.
		const customers = 20;
		for (let c = 0; c < customers; c++) await w.customerSends(msg.text('hi', { from: customer(c) }));
		await settle();
		const batch = (tag: string, offset: number) =>
			fake.webhook(CLOUD.phoneNumberId, { messages: Array.from({ length: 100 }, (_, i) => msg.text(`${tag} ${i}`, { from: customer(offset + (i % customers)) })) }, CLOUD.appSecret);
		const open = batch('batch', 0);
		const t0 = process.hrtime.bigint();
		const res = await w.post(open);
		const ms = Number(process.hrtime.bigint() - t0) / 1e6;
		if (res.status !== 200) throw new Error(`batch webhook answered ${res.status}`);
		emit('cloud_batch_100_ms', ms, 'ms', '< 5000 (360dialog answer limit)');
		const posted = (res.content?.outcomes || []).filter((o: string) => o === 'posted').length;
		note(`cloud batch of 100 (20 open conversations): ${ms.toFixed(0)} ms, ${posted} posted in the call`);

		// The same with 20 customers writing for the first time (their rooms open inside the call).
		const fresh = batch('first', 1000);
		const t1 = process.hrtime.bigint();
		const res2 = await w.post(fresh);
		const ms2 = Number(process.hrtime.bigint() - t1) / 1e6;
		note(`cloud batch of 100 (20 new conversations): ${ms2.toFixed(0)} ms, status ${res2.status}`);
	} finally {
		await w.stop();
	}
}
