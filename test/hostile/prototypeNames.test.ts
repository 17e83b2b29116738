// Prototype names (`constructor`, `toString`, `__proto__`, `hasOwnProperty`, `valueOf`) in every string
// field of authentic webhooks of all three providers, and in every argument position of every
// `/whatsapp` subcommand, against the packaged app on the real engine with the fake providers.
//
// A name where the payload says what the event is (its kind, a delivery state, the number it is for, the
// message a status is about) or in a command argument must change nothing; elsewhere (a text, a name, a
// file name) it is content and may be posted — as text, never as a JavaScript value. Counters as in
// hostile.test.ts: crashes (the app process changed or a valid probe message no longer posts), stateChanges
// (a change where none may happen, or garbage posted), serverErrors (an answer >= 500, a command with no
// answer or an internal error). One JSON line `{"suite":"hostile-prototype-names",...}`; fails with examples.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { CLOUD, fieldBody, msg, status as cloudStatus } from '../fixtures/cloud';
import { CloudWorld, startCloudWorld } from '../integration/support/cloudWorld';
import { startWorld, World } from '../integration/support/world';
import { TestRocketChat } from '../runtime/TestRocketChat';
import { Observer, within } from './observer';

const NAMES = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
const REQUEST_TIMEOUT_MS = 15_000;
const BATCH_SIZE = 40;

type Counter = 'crashes' | 'stateChanges' | 'serverErrors';
const COUNTERS: Counter[] = ['crashes', 'stateChanges', 'serverErrors'];
type Path = Array<string | number>;

interface Case {
	label: string;
	unchanged: boolean;
	send(): Promise<{ status: number; content?: any }>;
}

class Tally {
	requests = 0;
	readonly total: Record<Counter, number> = { crashes: 0, stateChanges: 0, serverErrors: 0 };
	readonly examples: string[] = [];
	count(counter: Counter, example: string): void {
		this.total[counter] += 1;
		if (this.examples.length < 30) this.examples.push(`${counter}: ${example.slice(0, 300)}`);
	}
}

/** Paths of every string value in `v`. */
function stringPaths(v: unknown, path: Path = []): Path[] {
	if (typeof v === 'string') return [path];
	if (Array.isArray(v)) return v.flatMap((x, i) => stringPaths(x, [...path, i]));
	if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => stringPaths(x, [...path, k]));
	return [];
}

function withValue<T>(body: T, path: Path, value: string): T {
	const copy = JSON.parse(JSON.stringify(body));
	let o = copy;
	for (const k of path.slice(0, -1)) o = o[k];
	o[path[path.length - 1]] = value;
	return copy;
}

/** Sends the cases in batches of one expectation: per case and per batch, changes where none may happen; then a probe. */
async function runCases(rc: TestRocketChat, obs: Observer, tally: Tally, cases: Case[], probe: () => Promise<string | undefined>): Promise<void> {
	const batches: Case[][] = [];
	for (const c of cases) {
		const last = batches[batches.length - 1];
		if (last && last.length < BATCH_SIZE && last[0].unchanged === c.unchanged) last.push(c);
		else batches.push([c]);
	}
	const pid = rc.denoPid();
	for (const batch of batches) {
		await obs.settle();
		const before = obs.snapshot(true);
		const from = obs.effectCount;
		let attributed = 0;
		for (const c of batch) {
			const start = obs.effectCount;
			tally.requests += 1;
			const res = await within(c.send(), REQUEST_TIMEOUT_MS);
			if (res === 'timeout') {
				tally.count('crashes', `${c.label}: no answer within ${REQUEST_TIMEOUT_MS} ms`);
				continue;
			}
			if (res.status >= 500) tally.count('serverErrors', `${res.status} for ${c.label}`);
			const changes = c.unchanged ? obs.changesSince(start) : [];
			if (changes.length) {
				attributed += 1;
				tally.count('stateChanges', `${c.label} → ${res.status} ${JSON.stringify(res.content ?? '').slice(0, 60)}; ${[...new Set(changes)].join(', ')}`);
			}
		}
		await obs.settle();
		if (batch[0].unchanged && attributed === 0 && obs.snapshot(true) !== before) tally.count('stateChanges', `${batch[0].label}…: state differs after the batch`);
		for (const g of obs.garbageSince(from)) tally.count('stateChanges', `${batch[0].label}…: ${g}`);
		const now = rc.denoPid();
		if (!now || now !== pid) tally.count('crashes', `after ${batch[0].label}…: the app process changed (${pid} → ${now})`);
		const broken = await probe();
		if (broken) tally.count('crashes', `after ${batch[0].label}…: ${broken}`);
	}
}

describe('prototype names in every string field and every command argument', () => {
	const tally = new Tally();

	afterAll(() => {
		process.stdout.write(`${JSON.stringify({ suite: 'hostile-prototype-names', requests: tally.requests, ...tally.total })}\n`);
	});

	const expectClean = (what: string) => {
		if (COUNTERS.some((k) => tally.total[k] > 0)) throw new Error(`${what}:\n  ${tally.examples.join('\n  ')}`);
		expect(tally.total).toEqual({ crashes: 0, stateChanges: 0, serverErrors: 0 });
	};

	describe('GREEN-API webhooks and /whatsapp commands', () => {
		let w: World;
		let obs: Observer;
		let probes = 0;
		let sentId = '';
		const PROBE_CHAT = '79009999999@c.us';

		beforeAll(async () => {
			w = await startWorld();
			obs = new Observer(w.rc, [GA.apiToken, w.webhookToken], []);
			expect(await probe()).toBeUndefined();
			// An agent's message the statuses below are about (a status of an unknown message changes nothing anyway).
			const roomId = w.rc.rc.messages.find((m) => m.text === 'probe 1')!.rid;
			await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'agent answer' });
			sentId = (await w.green.waitForSent(GA.idInstance, 1))[0].idMessage;
			// Delivered once, genuinely: the same status again (in the cases below) is nothing new.
			expect((await w.webhook(fx.status(sentId, 'delivered', { chatId: PROBE_CHAT }))).status).toBe(200);
			await obs.settle();
		});
		afterAll(async () => {
			await w?.stop();
		});

		async function probe(): Promise<string | undefined> {
			probes += 1;
			const text = `probe ${probes}`;
			const res = await within(w.webhook(fx.incoming(fx.textMessage(text), { chatId: PROBE_CHAT, idMessage: `PROBE${probes}`, senderName: 'Probe' })), REQUEST_TIMEOUT_MS);
			if (res === 'timeout' || res.status !== 200 || res.content?.outcome !== 'posted') return `the probe message answered ${res === 'timeout' ? res : `${res.status} ${JSON.stringify(res.content)}`}`;
			return undefined;
		}

		it('webhooks: a prototype name in each string field', async () => {
			const file = w.green.serveFile('ok.jpg', Buffer.from('ffd8ffe000104a464946', 'hex'), 'image/jpeg');
			const chat = () => `7900${String(1000000 + Math.floor(Math.random() * 8999999))}@c.us`;
			const templates: Array<{ body: () => Record<string, unknown>; unchanged: (p: string) => boolean }> = [
				...[fx.textMessage('hi'), fx.extendedTextMessage('see https://x.example', { title: 't', description: 'd' }), fx.imageMessage(file, 'caption', { fileName: 'ok.jpg' }),
					fx.locationMessage(1, 2, { name: 'Place', address: 'Street' }), fx.contactMessage('Alex', '+7 234 567 8901'), fx.pollMessage('Rate', ['Good', 'Bad']),
					fx.buttonsResponseMessage('Green', '1', 'BAE5X'), fx.listResponseMessage('Two', 'two', 'BAE5X'), fx.reactionMessage('👍', sentId),
					fx.editedMessage(sentId, 'edited'), fx.deletedMessage(sentId), fx.withQuote(fx.textMessage('reply'), fx.quoted(sentId, { text: 'q' }))]
					.map((md) => ({
						body: () => fx.incoming(md, { chatId: chat(), idMessage: fx.nextMessageId(), senderName: 'Mallory' }),
						// The kind of webhook and the chat decide whether there is anything at all.
						unchanged: (p: string) => p === 'typeWebhook' || p === 'senderData.chatId',
					})),
				{ body: () => fx.status(sentId, 'delivered', { chatId: PROBE_CHAT }), unchanged: (p) => p !== 'instanceData.wid' && p !== 'instanceData.typeInstance' },
				{ body: () => fx.status(sentId, 'failed', { chatId: PROBE_CHAT }), unchanged: (p) => ['typeWebhook', 'status', 'idMessage', 'chatId'].includes(p) },
				{ body: () => fx.stateChanged('authorized'), unchanged: (p) => p === 'typeWebhook' || p === 'stateInstance' },
			];
			const cases: Case[] = [];
			for (const t of templates) {
				const sample = t.body();
				for (const path of stringPaths(sample)) {
					for (const name of NAMES) {
						const key = path.join('.');
						const body = withValue(t.body(), path, name);
						cases.push({ label: `GREEN-API ${String(sample.typeWebhook)} ${key}=${name}`, unchanged: t.unchanged(key), send: () => w.webhook(body) });
					}
				}
			}
			expect(cases.length).toBeGreaterThan(400);
			await runCases(w.rc, obs, tally, cases, probe);
			await w.rc.runDueJobs();
			expectClean('GREEN-API webhooks with prototype names');
		});

		it('/whatsapp: a prototype name in each argument position of each subcommand, for each role', async () => {
			const id = GA.idInstance;
			const forms = (x: string): string[][] => [
				[x], ['help', x], ['info', x], ['status', x], ['templates', x], ['template', x], ['template', x, 'a=b'], ['template', 'hello', x],
				['instance', x], ['instance', 'list', x], ['instance', 'remove', x], ['instance', 'department', x, 'Support'], ['instance', 'department', id, x],
				['instance', 'rate', x, '10'], ['instance', 'rate', id, x], ['instance', 'qr', x], ['instance', 'qr', id, x],
				['instance', 'add', x], ['instance', 'add', x, 'wrong-token-123', '-', w.green.apiUrl, w.green.mediaUrl],
				['instance', 'add', '1101000009', x, '-', w.green.apiUrl, w.green.mediaUrl], ['instance', 'add', '1101000009', 'wrong-token-123', x, w.green.apiUrl, w.green.mediaUrl],
				['instance', 'add', 'cloud', x], ['instance', 'add', '360dialog', x], ['instance', 'add', 'greenapi', x],
				['menu', x], ['menu', id, x], ['menu', id, 'Support', x], ['menu', x, 'off'],
				['start', x], ['start', '79001234567', `department=${x}`], ['start', '79001234567', id, `department=${x}`],
			];
			const users = [w.admin.id, w.agent.id, w.rc.addUser({ username: 'proto.manager', roles: ['livechat-manager', 'user'] }).id];
			const probeRoom = w.rc.rc.messages.find((m) => m.text === 'probe 1')!.rid;
			const cases: Case[] = [];
			for (const name of NAMES) {
				for (const args of forms(name)) {
					for (const userId of users) {
						for (const roomId of [undefined, probeRoom]) {
							const label = `/whatsapp ${JSON.stringify(args)} by ${userId}${roomId ? ' in the WhatsApp room' : ''}`;
							cases.push({
								label, unchanged: true,
								send: async () => {
									const from = w.rc.rc.notices.length;
									await w.rc.runCommand('whatsapp', args, { userId, roomId });
									const answers = w.rc.rc.notices.slice(from).filter((n) => n.userId === userId).map((n) => n.text ?? '');
									const internal = answers.find((a) => /The command failed|is not a function|\[object Object\]|\bundefined\b|\[native code\]/.test(a));
									if (answers.length === 0) return { status: 500, content: 'no answer' };
									if (internal) return { status: 500, content: internal.slice(0, 120) };
									return { status: 200 };
								},
							});
						}
					}
				}
			}
			expect(cases.length).toBeGreaterThan(500);
			// The answers are notices: only other changes count.
			const changesSince = obs.changesSince.bind(obs);
			obs.changesSince = (from: number) => changesSince(from, /^notice$/);
			const snapshot = obs.snapshot.bind(obs);
			obs.snapshot = () => snapshot(false);
			try {
				await runCases(w.rc, obs, tally, cases, probe);
			} finally {
				obs.changesSince = changesSince;
				obs.snapshot = snapshot;
			}
			expectClean('/whatsapp argument lists with prototype names');
		});
	});

	for (const provider of ['cloud', '360dialog'] as const) {
		describe(`${provider} webhooks`, () => {
			let w: CloudWorld;
			let obs: Observer;
			let probes = 0;
			let sentId = '';
			const secret = provider === 'cloud' ? CLOUD.appSecret : '';
			const PROBE = '15550009999';

			beforeAll(async () => {
				w = await startCloudWorld({ provider });
				obs = new Observer(w.rc, [], []);
				expect(await probe()).toBeUndefined();
				await w.rc.sendUserMessage({ roomId: w.roomOf(PROBE), userId: w.agent.id, text: 'agent answer' });
				sentId = (await w.fake.waitForSent(1))[0].id;
				// Delivered once, genuinely: the same status again (in the cases below) is nothing new.
				expect((await w.post(w.fake.webhook(CLOUD.phoneNumberId, { statuses: [cloudStatus(sentId, 'delivered', { recipient: PROBE })] }, secret))).status).toBe(200);
				await obs.settle();
			});
			afterAll(async () => {
				await w?.stop();
			});

			async function probe(): Promise<string | undefined> {
				probes += 1;
				const res = await within(w.post(w.fake.webhook(CLOUD.phoneNumberId, { messages: [msg.text(`probe ${probes}`, { from: PROBE })] }, secret)), REQUEST_TIMEOUT_MS);
				if (res === 'timeout' || res.status !== 200 || res.content?.outcome !== 'posted') return `the probe message answered ${res === 'timeout' ? res : `${res.status} ${JSON.stringify(res.content)}`}`;
				return undefined;
			}

			it('a prototype name in each string field', async () => {
				const media = w.fake.addMedia(CLOUD.phoneNumberId, Buffer.from('ffd8ffe000104a464946', 'hex'), 'image/jpeg');
				const from = () => `1555${String(1000000 + Math.floor(Math.random() * 8999999))}`;
				const messages = [
					msg.text('hi'), msg.image(media, 'caption'), msg.location(1, 2, 'Place', 'Street'), msg.contacts(), msg.buttonReply('b1', 'Yes', sentId),
					msg.listReply('r1', 'Two', 'second', sentId), msg.templateButton('Stop', 'STOP', sentId), msg.reaction(sentId, '👍'), msg.order(),
					msg.edit(sentId, 'edited'), msg.revoke(sentId), msg.withReferral(msg.withContext(msg.text('reply'), sentId)), msg.unsupported(),
				];
				// What says what the body is and which number it is for: a prototype name there leaves nothing to do.
				// (360dialog: one key is one number, so the URL and header secrets name it, not the metadata.)
				const envelope = (p: string) => p === 'object' || /^entry\.0\.changes\.0\.field$/.test(p) || (provider === 'cloud' && /metadata\.phone_number_id$/.test(p));
				const templates: Array<{ body: () => Record<string, unknown>; unchanged: (p: string) => boolean }> = [
					...messages.map((m) => ({
						body: () => {
							const b = w.fake.webhook(CLOUD.phoneNumberId, { messages: [{ ...m, from: from(), id: `wamid.${Math.random().toString(36).slice(2)}` }] }, secret).content;
							return b as Record<string, unknown>;
						},
						unchanged: envelope,
					})),
					{ body: () => w.fake.webhook(CLOUD.phoneNumberId, { statuses: [cloudStatus(sentId, 'delivered', { recipient: PROBE })] }, secret).content as Record<string, unknown>, unchanged: (p: string) => !/timestamp$/.test(p) || envelope(p) },
					{ body: () => fieldBody('phone_number_quality_update', { display_phone_number: CLOUD.display, event: 'FLAGGED', current_limit: 'TIER_1K' }), unchanged: (p: string) => envelope(p) || /event$/.test(p) },
				];
				const cases: Case[] = [];
				for (const t of templates) {
					const sample = t.body();
					for (const path of stringPaths(sample)) {
						for (const name of NAMES) {
							const key = path.join('.');
							const signed = w.fake.signed(withValue(t.body(), path, name), secret);
							cases.push({ label: `${provider} ${key}=${name}`, unchanged: t.unchanged(key), send: () => w.post(signed) });
						}
					}
				}
				expect(cases.length).toBeGreaterThan(400);
				await runCases(w.rc, obs, tally, cases, probe);
				await w.rc.runDueJobs();
				expectClean(`${provider} webhooks with prototype names`);
			});
		});
	}
});
