// The hostile-input suite for the Cloud API side: seeded, generated webhook requests by class
// (CloudWebhookInputs in webhookInputs.ts) against the packaged app on the real engine, once with a Meta
// Cloud API number and once with a 360dialog number (fake Graph API / fake 360dialog on 127.0.0.1).
//
// After each batch, as in hostile.test.ts:
//   crashes         the app process is the same and alive, and a valid message from a probe customer still posts;
//   stateChanges    a request that must change nothing changed state or sent something to WhatsApp, or a request
//                   posted garbage (an empty message, a JavaScript value shown as text, a visitor without a name);
//                   every such authentic request must be answered 200 `ignored`;
//   foreignFetches  a request the app made to anything but the fake's host;
//   secretLeaks     a credential or webhook secret in anything the app wrote after the number was added;
//   serverErrors    an answer >= 500.
// It prints one JSON line per provider `{"suite":"hostile-cloud","provider":…,"requests":N,…}`.
import { CLOUD } from '../fixtures/cloud';
import { metaBytes } from '../fakes/FakeCloudApi';
import { headerSecretOf } from '../../src/providers/dialog360/Dialog360Provider';
import { CloudWorld, D360_KEY, startCloudWorld } from '../integration/support/cloudWorld';
import { Observer, within } from './observer';
import { Prng } from './prng';
import { CloudWebhookInputs, WebhookCase } from './webhookInputs';
import { createHmac } from 'crypto';

const SEED = Number(process.env.HOSTILE_SEED || 0x18);
const BATCH_SIZE = 50;
const REQUEST_TIMEOUT_MS = 15_000;
const PROBE_CUSTOMER = '16505559999';

type Counter = 'crashes' | 'stateChanges' | 'foreignFetches' | 'secretLeaks' | 'serverErrors';
const COUNTERS: Counter[] = ['crashes', 'stateChanges', 'foreignFetches', 'secretLeaks', 'serverErrors'];

function describeCase(c: WebhookCase): string {
	const body = c.content === undefined ? '' : typeof c.content === 'string' ? c.content : JSON.stringify(c.content);
	return `${c.method} ${c.path} ${JSON.stringify(c.query).slice(0, 40)} ${body.slice(0, 220)}`;
}

describe.each(['cloud', '360dialog'] as const)('hostile Cloud API webhooks (%s, seeded, generated)', (provider) => {
	let w: CloudWorld;
	let obs: Observer;
	let pid: number | undefined;
	let probes = 0;
	const totals: Record<Counter, number> = { crashes: 0, stateChanges: 0, foreignFetches: 0, secretLeaks: 0, serverErrors: 0 };
	const examples: string[] = [];
	let requests = 0;

	const count = (counter: Counter, example: string) => {
		totals[counter] += 1;
		if (examples.length < 40) examples.push(`${counter}: ${example.slice(0, 400)}`);
	};

	beforeAll(async () => {
		w = await startCloudWorld({ provider, appSettings: { log_level: 'debug' } });
		const secrets = [CLOUD.accessToken, CLOUD.appSecret, D360_KEY, w.query.secret, headerSecretOf({ webhookSecret: w.query.secret })];
		obs = new Observer(w.rc, secrets, [new URL(w.fake.apiUrl).host]);
		// The setup answer (Cloud: the URL to paste) is meant for the admin: only what follows is checked.
		obs.newSecretLeaks();
		pid = w.rc.denoPid();
		const first = await probe('start');
		if (first) throw new Error(`the probe message does not go through before any hostile input: ${first}`);
	});

	afterAll(async () => {
		process.stdout.write(`${JSON.stringify({ suite: 'hostile-cloud', provider, requests, ...totals })}\n`);
		await w?.stop();
	});

	/** A request as the provider sends it: Meta's bytes, signed by the app secret on the Cloud API. */
	function send(c: WebhookCase) {
		const raw = c.content !== null && typeof c.content === 'object' ? metaBytes(c.content) : c.content;
		const headers = { ...c.headers };
		if (provider === 'cloud' && typeof raw === 'string') headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', CLOUD.appSecret).update(raw, 'utf8').digest('hex')}`;
		return within(w.rc.callEndpoint(c.path, { method: c.method as 'POST', headers, query: c.query as Record<string, string>, content: raw }), REQUEST_TIMEOUT_MS);
	}

	async function probe(after: string): Promise<string | undefined> {
		const now = w.rc.denoPid();
		if (!now || now !== pid) return `after ${after}: the app process changed (${pid} → ${now})`;
		probes += 1;
		const text = `probe ${probes}`;
		const id = `wamid.PROBE${String(probes).padStart(8, '0')}`;
		const body = { object: 'whatsapp_business_account', entry: [{ id: CLOUD.wabaId, changes: [{ field: 'messages', value: {
			messaging_product: 'whatsapp', metadata: { display_phone_number: CLOUD.display, phone_number_id: CLOUD.phoneNumberId },
			contacts: [{ profile: { name: 'Probe' }, wa_id: PROBE_CUSTOMER }],
			messages: [{ from: PROBE_CUSTOMER, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
		} }] }] };
		const res = await send({ cls: 'probe', expect: 'may-change', path: w.path, method: 'POST', headers: { 'content-type': 'application/json', ...w.headers }, query: w.query, content: body });
		if (res === 'timeout') return `after ${after}: the probe message timed out`;
		if (res.status !== 200 || res.content?.outcome !== 'posted') return `after ${after}: the probe message answered ${res.status} ${JSON.stringify(res.content)}`;
		if (!w.rc.rc.messages.some((m) => m.text === text)) return `after ${after}: the probe message is not in the room`;
		const recorded = await w.rc.waitFor(() => w.rc.rc.persistence.some((p) => p.data?.chatId === PROBE_CUSTOMER && (p.data?.dedupe?.ids ?? []).includes(id)), 5000).catch(() => false);
		if (!recorded) return `after ${after}: the probe message was posted but never recorded`;
		await obs.settle();
		return undefined;
	}

	it('no state change from bodies off the documented shapes, no garbage, no crash, no foreign fetch, no secret, no 5xx', async () => {
		const inputs = new CloudWebhookInputs(new Prng(SEED), {
			provider, path: w.path, query: w.query, headers: w.headers, phoneNumberId: CLOUD.phoneNumberId, display: CLOUD.display, wabaId: CLOUD.wabaId,
			secrets: [CLOUD.accessToken, CLOUD.appSecret, D360_KEY, w.query.secret],
		}).all();
		let total = 0;
		for (const { cls, cases } of inputs) {
			total += cases.length;
			for (let b = 0; b < cases.length; b += BATCH_SIZE) {
				const batch = cases.slice(b, b + BATCH_SIZE);
				const label = `${cls} batch ${b / BATCH_SIZE + 1}`;
				await obs.settle();
				const from = obs.effectCount;
				for (const c of batch) {
					const start = obs.effectCount;
					const sendsBefore = w.fake.sent.length;
					requests += 1;
					const res = await send(c);
					if (res === 'timeout') {
						count('crashes', `${describeCase(c)}: no answer within ${REQUEST_TIMEOUT_MS} ms`);
						continue;
					}
					if (res.status >= 500) count('serverErrors', `${res.status} for ${describeCase(c)}`);
					if (c.expect !== 'unchanged') continue;
					// An authentic body off the documented shapes is answered 200 `ignored` (every entry of a batch);
					// a status of a message the app never sent may be taken as a status (it changes nothing). A body
					// that is no JSON object never reaches the app (Rocket.Chat's parser answers 400).
					const authentic = !cls.endsWith('no-credentials');
					const accepted = cls.endsWith('statuses') ? ['ignored', 'status'] : ['ignored'];
					const notAnObject = c.content === null || typeof c.content !== 'object' || Array.isArray(c.content);
					const outcomes: unknown[] = res.content?.outcomes ?? [res.content?.outcome];
					const fine = (res.status === 200 && outcomes.length > 0 && outcomes.every((o) => accepted.includes(o as string))) || (notAnObject && res.status >= 400 && res.status < 500);
					if (authentic && !fine) count('stateChanges', `${describeCase(c)} answered ${res.status} ${JSON.stringify(res.content).slice(0, 80)}, not 200 ignored`);
					await obs.settle();
					const changes = [...obs.changesSince(start), ...(w.fake.sent.length > sendsBefore ? ['sent to WhatsApp'] : [])];
					if (changes.length) count('stateChanges', `${describeCase(c)} → ${[...new Set(changes)].join(', ')}`);
				}
				await obs.settle();
				for (const g of obs.garbageSince(from)) count('stateChanges', `${label}: ${g}`);
				for (const url of obs.foreignRequestsSince(from)) count('foreignFetches', `${label}: requested ${url.slice(0, 200)}`);
				for (const place of obs.newSecretLeaks()) count('secretLeaks', `${label}: ${place}`);
				const broken = await probe(label);
				if (broken) {
					count('crashes', broken);
					pid = (await w.rc.waitForAppRestart(pid, 60_000).catch(() => undefined))?.pid ?? w.rc.denoPid();
				}
			}
		}
		expect(total).toBeGreaterThanOrEqual(400);
		if (COUNTERS.some((k) => totals[k] > 0)) throw new Error(`hostile ${provider} webhooks (seed ${SEED}, ${total} requests):\n${examples.join('\n')}`);
		expect(totals).toEqual({ crashes: 0, stateChanges: 0, foreignFetches: 0, secretLeaks: 0, serverErrors: 0 });
	}, 30 * 60_000);
});
