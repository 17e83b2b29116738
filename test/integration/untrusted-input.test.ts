// Untrusted input on the real engine: chats that are not a customer's open nothing, a message
// that cannot be read is a short note (never an empty message), and `/whatsapp <Object.prototype member>`
// is an unknown subcommand.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { startWorld, World } from './support/world';

describe('untrusted webhook fields and command names', () => {
	let w: World;

	beforeAll(async () => {
		w = await startWorld({ appSettings: { log_level: 'debug' } });
	});
	afterAll(async () => {
		await w?.stop();
	});

	const counts = () => ({ visitors: w.rc.rc.visitors.length, rooms: w.rc.rc.rooms.length, messages: w.rc.rc.messages.length, uploads: w.rc.rc.uploads.length, jobs: w.rc.rc.jobs.length });

	it.each([
		['a newsletter', '120363025945123456@newsletter'],
		['a broadcast list', '79001234567@broadcast'],
		['the status broadcast', 'status@broadcast'],
		['the business number itself', GA.wid],
		['an id with NUL', '7900\u00001234567@c.us'],
		['an id with an RTL override', '\u202e79001234567@c.us'],
		['HTML', '<b>79001234567</b>@c.us'],
		['full-width digits', '７９００１２３４５６７@c.us'],
		['Arabic-Indic digits', '٧٩٠٠١٢٣٤٥٦٧@c.us'],
		['a leading +', '+79001234567@c.us'],
		['the literal null', 'null'],
		['only a suffix', '@c.us'],
	])('a message from %s is answered 200 and opens nothing', async (_what, chatId) => {
		const before = counts();
		const res = await w.customerSends(fx.textMessage('hello'), { chatId });
		expect(res.status).toBe(200);
		expect(res.content).toMatchObject({ ok: true, outcome: 'ignored' });
		// A file from such a chat is not fetched either (no job is scheduled).
		expect((await w.customerSends(fx.imageMessage(`${w.green.filesUrl}/files/a.jpg`), { chatId })).content.outcome).toBe('ignored');
		expect(counts()).toEqual(before);
	});

	it('reads only plain string query values: repeated or bracketed keys (arrays, objects) are ignored, never a crash', async () => {
		const send = (query: string, text: string) => w.webhook(fx.incoming(fx.textMessage(text), { chatId: '79005550101@c.us' }), { query });
		// the instance in the payload still names the number: the request is authentic and goes through
		for (const q of [`instance=${GA.idInstance}&instance=${GA.idInstance}`, `instance[]=${GA.idInstance}`, `instance[a][b]=1&idInstance=x&idInstance=y`]) {
			const res = await send(q, `via ${q}`);
			expect({ q, status: res.status, outcome: res.content?.outcome }).toEqual({ q, status: 200, outcome: 'posted' });
		}
		// an array never stands in for the instance: a wrong one in plain form is still refused
		expect((await send(`idInstance=999&instance[]=${GA.idInstance}`, 'wrong')).status).toBe(401);
	});

	it('logs why, once per request, with the id escaped', async () => {
		const reasons = () => w.rc.appWrittenLogText().split('\n').filter((l) => l.includes('not a customer chat id: "status@broadcast"')).length;
		const before = reasons();
		const res = await w.customerSends(fx.textMessage('hello'), { chatId: 'status@broadcast' });
		expect(res.content.outcome).toBe('ignored');
		expect(reasons() - before).toBe(1);
		const rtl = await w.customerSends(fx.textMessage('hello'), { chatId: '\u202e79001234567@c.us' });
		expect(rtl.content.outcome).toBe('ignored');
		expect(w.rc.appWrittenLogText()).toContain('not a customer chat id: "\\u202e79001234567@c.us"');
		// (The engine's own request dumps quote the body as it came: the engine's logging, not the app's.)
		expect(w.rc.appWrittenLogText()).not.toContain('\u202e');
	});

	it('a text whose textMessage is missing or of the wrong type reads "could not be read", never empty', async () => {
		const chatId = '79005551111@c.us';
		const variants: unknown[] = [undefined, 42, false, { a: 1 }, '', ['x']];
		const results = [];
		for (const textMessage of variants) {
			results.push(await w.customerSends({ typeMessage: 'textMessage', textMessageData: textMessage === undefined ? {} : { textMessage } }, { chatId, senderName: 'Carl' }));
		}
		results.push(await w.customerSends({ typeMessage: 'textMessage', textMessageData: 'not an object' }, { chatId }));
		results.push(await w.customerSends({ typeMessage: 'extendedTextMessage', extendedTextMessageData: { text: 7 } }, { chatId }));
		for (const r of results) expect(r.status).toBe(200);
		const room = w.rc.rc.rooms.find((r) => w.rc.rc.visitors.find((v) => v.token === r.visitorToken)?.name === 'Carl')!;
		const texts = w.roomMessages(room.id).map((m: any) => m.text as string);
		expect(texts).toHaveLength(variants.length + 2);
		for (const text of texts) {
			expect(text).toBe('⚠️ This WhatsApp message could not be read: ask the customer to send it again.');
		}
	});

	it('/whatsapp constructor (and every Object.prototype member) is an unknown subcommand, for every role', async () => {
		const manager = w.rc.addUser({ username: 'manager', roles: ['livechat-manager', 'user'] });
		const plain = w.rc.addUser({ username: 'plain', roles: ['user'] });
		const names = ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', '__defineGetter__', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString'];
		for (const userId of [w.admin.id, manager.id, w.agent.id, plain.id]) {
			for (const name of names) {
				const before = w.rc.rc.notices.length;
				await w.rc.runCommand('whatsapp', [name], { userId });
				const answers = w.rc.rc.notices.slice(before).map((n: any) => n.text as string);
				expect(answers).toHaveLength(1);
				expect(answers[0]).toContain(`Unknown subcommand "${name.toLowerCase().replace(/_/g, '')}"`);
				expect(answers[0]).not.toMatch(/is not a function|role_undefined|command failed/i);
			}
		}
	});

	it('an unknown subcommand is echoed bounded and without controls or markup', async () => {
		const before = w.rc.rc.notices.length;
		await w.rc.runCommand('whatsapp', [`\u202e*bold*<x>${'y'.repeat(5000)}`], { userId: w.agent.id });
		const answer = w.rc.rc.notices[before].text as string;
		expect(answer).toContain(`Unknown subcommand "bold${'x'}${'y'.repeat(35)}…"`);
		expect(answer).not.toContain('\u202e');
	});
});
