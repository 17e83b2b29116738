import * as http from 'http';
import { FakeGreenApi, GreenApiFailures, MultipartPart, buildMultipart } from './FakeGreenApi';
import { parseMultipart } from './multipart';

interface Res {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	text: string;
	json?: any;
}

function request(
	url: string,
	opts: { method?: string; headers?: Record<string, string>; body?: Buffer | string; timeoutMs?: number; agent?: http.Agent | false } = {},
): Promise<Res> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: opts.agent ?? false }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				const text = body.toString('utf8');
				let json: unknown;
				if ((res.headers['content-type'] ?? '').startsWith('application/json')) json = JSON.parse(text);
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
			});
		});
		if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(new Error('client timeout')));
		req.on('error', reject);
		req.end(opts.body);
	});
}

const postJson = (url: string, body: unknown, extra: { timeoutMs?: number } = {}): Promise<Res> =>
	request(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), ...extra });

const ID = '7103000001';
const TOKEN = 'tok-secret-1';
const ID2 = '7103000002';
const TOKEN2 = 'tok-secret-2';
const CHAT = '79001234567@c.us';

let fake: FakeGreenApi;
const api = (method: string, id = ID, token = TOKEN): string => `${fake.apiUrl}/waInstance${id}/${method}/${token}`;
const media = (method: string, id = ID, token = TOKEN): string => `${fake.mediaUrl}/waInstance${id}/${method}/${token}`;

beforeEach(async () => {
	fake = await FakeGreenApi.start();
	fake.addInstance({ idInstance: ID, apiTokenInstance: TOKEN, wid: '79876543210@c.us' });
	fake.addInstance({ idInstance: ID2, apiTokenInstance: TOKEN2 });
});

afterEach(async () => {
	await fake.stop();
});

describe('lifecycle and routing', () => {
	test('distinct loopback base URLs', () => {
		expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(fake.mediaUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
		expect(new Set([fake.apiUrl, fake.mediaUrl, fake.filesUrl]).size).toBe(3);
	});

	test('auth: 403 unknown idInstance, 401 wrong token, 404 unknown method, 405 wrong verb', async () => {
		expect((await request(api('getStateInstance', '999'))).status).toBe(403);
		expect((await request(api('getStateInstance', ID, 'wrong'))).status).toBe(401);
		expect((await request(api('getStateInstance', ID, TOKEN2))).status).toBe(401); // other instance's token
		expect((await request(api('noSuchMethod'))).status).toBe(404);
		expect((await request(`${fake.apiUrl}/waInstance${ID}/getStateInstance`)).status).toBe(404); // no token
		expect((await request(`${fake.apiUrl}/getStateInstance/${TOKEN}`)).status).toBe(404);
		expect((await request(api('getStateInstance') + '/extra')).status).toBe(404);
		expect((await request(api('sendMessage'))).status).toBe(405);
		const ok = await request(api('getStateInstance', ID2, TOKEN2));
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({ stateInstance: 'authorized' });
		expect(fake.requests.map((r) => r.status)).toEqual([403, 401, 401, 404, 404, 404, 404, 405, 200]);
		expect(fake.requests[1]).toMatchObject({ idInstance: ID, method: 'getStateInstance', token: 'wrong', httpMethod: 'GET', host: 'api' });
	});

	test('media methods only on mediaUrl, api methods only on apiUrl', async () => {
		const mp = buildMultipart([
			{ name: 'chatId', value: CHAT },
			{ name: 'file', value: Buffer.from('x'), filename: 'a.txt', contentType: 'text/plain' },
		]);
		const onApi = await request(api('sendFileByUpload'), { method: 'POST', headers: { 'Content-Type': mp.contentType }, body: mp.body });
		expect(onApi.status).toBe(404);
		const upOnApi = await request(api('uploadFile'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
		expect(upOnApi.status).toBe(404);
		expect((await postJson(media('sendMessage'), { chatId: CHAT, message: 'hi' })).status).toBe(404);
		expect(fake.sent[ID]).toHaveLength(0);
	});

	test('token rotation via setToken and updateApiToken', async () => {
		fake.setToken(ID, 'new');
		expect((await request(api('getStateInstance'))).status).toBe(401);
		const r = await request(api('updateApiToken', ID, 'new'));
		expect(r.status).toBe(200);
		const rotated = r.json.apiTokenInstance as string;
		expect((await request(api('getStateInstance', ID, 'new'))).status).toBe(401);
		expect((await request(api('getStateInstance', ID, rotated))).status).toBe(200);
	});
});

describe('sendMessage', () => {
	test('success: unique ids, recorded request and sent message', async () => {
		const a = await postJson(api('sendMessage'), { chatId: CHAT, message: 'hello', quotedMessageId: 'BAE5AAAA' });
		const b = await postJson(api('sendMessage'), { chatId: '120363043968066561@g.us', message: 'group' });
		const c = await postJson(api('sendMessage'), { chatId: '11112222@lid', message: 'lid' });
		const d = await postJson(api('sendMessage'), { chatId: '79001234567-1581234048@g.us', message: 'old group' });
		for (const r of [a, b, c, d]) {
			expect(r.status).toBe(200);
			expect(r.json.idMessage).toMatch(/^BAE5[0-9A-F]{12}$/);
		}
		expect(new Set([a, b, c, d].map((r) => r.json.idMessage)).size).toBe(4);
		expect(fake.sent[ID].map((s) => s.text)).toEqual(['hello', 'group', 'lid', 'old group']);
		expect(fake.sent[ID][0]).toMatchObject({ idInstance: ID, method: 'sendMessage', chatId: CHAT, quotedMessageId: 'BAE5AAAA', idMessage: a.json.idMessage });
		expect(fake.sent[ID2]).toEqual([]);
		const rec = fake.requests[0];
		expect(rec).toMatchObject({
			idInstance: ID,
			method: 'sendMessage',
			token: TOKEN,
			httpMethod: 'POST',
			path: `/waInstance${ID}/sendMessage/${TOKEN}`,
			bodyKind: 'json',
			body: { chatId: CHAT, message: 'hello', quotedMessageId: 'BAE5AAAA' },
			status: 200,
			outcome: 'ok',
		});
		expect(rec.headers['content-type']).toBe('application/json');
		expect(typeof rec.at).toBe('number');
		// outgoing journal is filled by sends
		const j = await request(api('lastOutgoingMessages'));
		expect(j.json.map((e: { idMessage: string }) => e.idMessage).sort()).toEqual([a, b, c, d].map((r) => r.json.idMessage).sort());
	});

	test('validation errors answer 400 with a text reason', async () => {
		const cases: Array<[unknown, RegExp]> = [
			[{ message: 'x' }, /chatId is required/],
			[{ chatId: '+79001234567@c.us', message: 'x' }, /chatId is invalid/],
			[{ chatId: '79001234567', message: 'x' }, /chatId is invalid/],
			[{ chatId: 79001234567, message: 'x' }, /chatId must be a string/],
			[{ chatId: CHAT }, /message is required/],
			[{ chatId: CHAT, message: '' }, /message must not be empty/],
			[{ chatId: CHAT, message: '   ' }, /message must not be empty/],
			[{ chatId: CHAT, message: 5 }, /message must be a string/],
			[{ chatId: CHAT, message: 'x'.repeat(20001) }, /at most 20000/],
			[{ chatId: CHAT, message: 'x', quotedMessageId: 5 }, /quotedMessageId must be a string/],
			[{ chatId: CHAT, message: 'x', quotedMessageId: '' }, /quotedMessageId must not be empty/],
			[[1, 2], /JSON object/],
		];
		for (const [body, re] of cases) {
			const r = await postJson(api('sendMessage'), body);
			expect(r.status).toBe(400);
			expect(r.headers['content-type']).toMatch(/^text\/plain/);
			expect(r.text).toMatch(re);
		}
		const noCt = await request(api('sendMessage'), { method: 'POST', body: JSON.stringify({ chatId: CHAT, message: 'x' }) });
		expect(noCt.status).toBe(400);
		expect(noCt.text).toMatch(/Content-Type must be application\/json/);
		const textCt = await request(api('sendMessage'), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ chatId: CHAT, message: 'x' }) });
		expect(textCt.status).toBe(400);
		const badJson = await request(api('sendMessage'), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"chatId":' });
		expect(badJson.status).toBe(400);
		expect(badJson.text).toMatch(/not valid JSON/);
		expect(fake.requests[fake.requests.length - 1].bodyKind).toBe('raw');
		const empty = await request(api('sendMessage'), { method: 'POST', headers: { 'Content-Type': 'application/json' } });
		expect(empty.status).toBe(400);
		expect(fake.sent[ID]).toHaveLength(0);

		const max = await request(api('sendMessage'), {
			method: 'POST',
			headers: { 'Content-Type': 'application/json; charset=utf-8' },
			body: JSON.stringify({ chatId: CHAT, message: 'y'.repeat(20000) }),
		});
		expect(max.status).toBe(200);
	});

	test('instance state gates sends', async () => {
		fake.setState(ID, 'notAuthorized');
		let r = await postJson(api('sendMessage'), { chatId: CHAT, message: 'x' });
		expect(r.status).toBe(400);
		expect(r.text).toBe('instance account not authorized');
		fake.setState(ID, 'starting');
		r = await postJson(api('sendMessage'), { chatId: CHAT, message: 'x' });
		expect(r.status).toBe(400);
		expect(r.text).toBe('instance in starting process try later');
		expect((await request(api('getStateInstance'))).json).toEqual({ stateInstance: 'starting' });
		fake.setState(ID, 'yellowCard');
		expect((await postJson(api('sendMessage'), { chatId: CHAT, message: 'x' })).status).toBe(200);
		fake.rejectSendsWhenNotAuthorized = false;
		fake.setState(ID, 'notAuthorized');
		expect((await postJson(api('sendMessage'), { chatId: CHAT, message: 'x' })).status).toBe(200);
	});
});

describe('files: sendFileByUpload / uploadFile / sendFileByUrl', () => {
	const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

	test('multipart with every byte value round-trips exactly', async () => {
		// the file contains CRLF, "--" and NULs; repeat it so it spans chunk boundaries too
		const fileBytes = Buffer.concat([allBytes, Buffer.from('\r\n--\r\n\r\n'), allBytes, allBytes]);
		const mp = buildMultipart([
			{ name: 'chatId', value: CHAT },
			{ name: 'caption', value: 'подпись ✓' },
			{ name: 'fileName', value: 'invoice final.pdf' },
			{ name: 'quotedMessageId', value: 'BAE5QUOTED' },
			{ name: 'file', value: fileBytes, filename: 'raw.bin', contentType: 'application/pdf' },
		]);
		const r = await request(media('sendFileByUpload'), { method: 'POST', headers: { 'Content-Type': mp.contentType }, body: mp.body });
		expect(r.status).toBe(200);
		expect(r.json.idMessage).toMatch(/^BAE5[0-9A-F]{12}$/);
		expect(r.json.urlFile).toMatch(new RegExp(`^${fake.filesUrl}/files/`));
		const s = fake.sent[ID][0];
		expect(s).toMatchObject({
			method: 'sendFileByUpload',
			chatId: CHAT,
			caption: 'подпись ✓',
			fileName: 'invoice final.pdf',
			quotedMessageId: 'BAE5QUOTED',
			idMessage: r.json.idMessage,
			urlFile: r.json.urlFile,
		});
		expect(s.file?.mimeType).toBe('application/pdf');
		expect(s.file?.partFileName).toBe('raw.bin');
		expect(s.file?.bytes?.equals(fileBytes)).toBe(true);
		const rec = fake.requests[0];
		expect(rec.host).toBe('media');
		expect(rec.bodyKind).toBe('multipart');
		const parts = rec.body as MultipartPart[];
		expect(parts.map((p) => p.name)).toEqual(['chatId', 'caption', 'fileName', 'quotedMessageId', 'file']);
		expect(parts[4].data.equals(fileBytes)).toBe(true);
		// the returned link serves the same bytes
		const dl = await request(r.json.urlFile);
		expect(dl.status).toBe(200);
		expect(dl.headers['content-type']).toBe('application/pdf');
		expect(dl.body.equals(fileBytes)).toBe(true);
	});

	test('multipart: file name falls back to the part filename; hand-written body with quoted boundary, preamble and filename*', async () => {
		const boundary = 'weird boundary:=?';
		const body = Buffer.concat([
			Buffer.from(`preamble text\r\n--${boundary}\r\nContent-Disposition: form-data; name="chatId"\r\n\r\n${CHAT}\r\n`),
			Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="fallback.bin"; filename*=UTF-8''%D1%84%D0%B0%D0%B9%D0%BB.png\r\nContent-Type: image/png\r\n\r\n`),
			allBytes,
			Buffer.from(`\r\n--${boundary}--\r\nepilogue`),
		]);
		const r = await request(media('sendFileByUpload'), { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary="${boundary}"` }, body });
		expect(r.status).toBe(200);
		const s = fake.sent[ID][0];
		expect(s.fileName).toBe('файл.png');
		expect(s.caption).toBeUndefined();
		expect(s.file?.bytes?.equals(allBytes)).toBe(true);
	});

	test('multipart validation', async () => {
		const up = (contentType: string | undefined, body: Buffer | string): Promise<Res> =>
			request(media('sendFileByUpload'), { method: 'POST', headers: contentType ? { 'Content-Type': contentType } : {}, body });
		const noFile = buildMultipart([{ name: 'chatId', value: CHAT }]);
		expect((await up(noFile.contentType, noFile.body)).text).toMatch(/file is required/);
		const noChat = buildMultipart([{ name: 'file', value: allBytes, filename: 'a.bin' }]);
		expect((await up(noChat.contentType, noChat.body)).text).toMatch(/chatId is required/);
		const fieldNotFile = buildMultipart([
			{ name: 'chatId', value: CHAT },
			{ name: 'file', value: 'just text' },
		]);
		expect((await up(fieldNotFile.contentType, fieldNotFile.body)).text).toMatch(/file part/);
		const emptyFile = buildMultipart([
			{ name: 'chatId', value: CHAT },
			{ name: 'file', value: Buffer.alloc(0), filename: 'a.bin' },
		]);
		expect((await up(emptyFile.contentType, emptyFile.body)).text).toMatch(/empty/);
		const good = buildMultipart([
			{ name: 'chatId', value: CHAT },
			{ name: 'file', value: allBytes, filename: 'a.bin' },
		]);
		// JSON / missing boundary / LF-only / unterminated
		expect((await up('application/json', JSON.stringify({ chatId: CHAT }))).text).toMatch(/multipart\/form-data/);
		expect((await up('multipart/form-data', good.body)).text).toMatch(/boundary/);
		expect((await up(undefined, good.body)).status).toBe(400);
		const lfOnly = Buffer.from(good.body.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
		const lf = await up(good.contentType, lfOnly);
		expect(lf.status).toBe(400);
		expect(lf.text).toMatch(/invalid multipart body/);
		const cut = await up(good.contentType, good.body.subarray(0, good.body.length - 10));
		expect(cut.status).toBe(400);
		expect(cut.text).toMatch(/closing delimiter/);
		const twoFiles = buildMultipart([
			{ name: 'chatId', value: CHAT },
			{ name: 'file', value: allBytes, filename: 'a.bin' },
			{ name: 'file', value: allBytes, filename: 'b.bin' },
		]);
		expect((await up(twoFiles.contentType, twoFiles.body)).text).toMatch(/one file/);
		expect(fake.sent[ID]).toHaveLength(0);
		expect((await up(good.contentType, good.body)).status).toBe(200);
	});

	test('upload size limit', async () => {
		fake.maxUploadBytes = 1000;
		const mp = buildMultipart([
			{ name: 'chatId', value: CHAT },
			{ name: 'file', value: Buffer.alloc(2000, 1), filename: 'big.bin' },
		]);
		const r = await request(media('sendFileByUpload'), { method: 'POST', headers: { 'Content-Type': mp.contentType }, body: mp.body });
		expect(r.status).toBe(500);
		expect(r.text).toMatch(/max upload size/);
	});

	test('uploadFile stores raw bytes', async () => {
		const r = await request(media('uploadFile'), { method: 'POST', headers: { 'Content-Type': 'image/png', 'GA-Filename': 'pic.png' }, body: allBytes });
		expect(r.status).toBe(200);
		expect(Object.keys(r.json)).toEqual(['urlFile']);
		const dl = await request(r.json.urlFile);
		expect(dl.body.equals(allBytes)).toBe(true);
		expect(dl.headers['content-type']).toBe('image/png');
		expect(fake.requests[0].body).toBeInstanceOf(Buffer);
		expect((await request(media('uploadFile'), { method: 'POST', headers: { 'Content-Type': 'image/png' } })).status).toBe(400);
	});

	test('sendFileByUrl validates and optionally fetches', async () => {
		const url = fake.serveFile('doc.pdf', allBytes, 'application/pdf');
		expect((await postJson(api('sendFileByUrl'), { chatId: CHAT, urlFile: url })).text).toMatch(/fileName is required/);
		expect((await postJson(api('sendFileByUrl'), { chatId: CHAT, urlFile: 'ftp://x/y', fileName: 'a.pdf' })).text).toMatch(/http/);
		expect((await postJson(api('sendFileByUrl'), { chatId: CHAT, fileName: 'a.pdf' })).text).toMatch(/urlFile is required/);
		const r = await postJson(api('sendFileByUrl'), { chatId: CHAT, urlFile: url, fileName: 'doc.pdf', caption: 'c', quotedMessageId: 'Q1' });
		expect(r.status).toBe(200);
		expect(fake.sent[ID][0]).toMatchObject({ method: 'sendFileByUrl', urlFile: url, fileName: 'doc.pdf', caption: 'c', quotedMessageId: 'Q1' });
		expect(fake.sent[ID][0].file).toBeUndefined();
		expect(fake.downloadCount('doc.pdf')).toBe(0);
		fake.fetchUrlFiles = true;
		await postJson(api('sendFileByUrl'), { chatId: CHAT, urlFile: url, fileName: 'doc.pdf' });
		expect(fake.sent[ID][1].file?.bytes?.equals(allBytes)).toBe(true);
		expect(fake.downloadCount('doc.pdf')).toBe(1);
		await postJson(api('sendFileByUrl'), { chatId: CHAT, urlFile: fake.serveMissing('gone.pdf'), fileName: 'gone.pdf' });
		expect(fake.sent[ID][2].file?.fetchError).toBe('HTTP 404');
	});
});

// GREEN-API docs: SendReaction {chatId, idMessage, reaction} → {idMessage}; CheckWhatsapp {phoneNumber:int 11–16 digits}
// → {existsWhatsapp}; ReadChat → {setRead}; EditMessage → {idMessage}; DeleteMessage → empty 200.
describe('agent actions: sendReaction / checkWhatsapp / readChat / editMessage / deleteMessage', () => {
	test('sendReaction takes an emoji, or an empty one to take it back; needs the message id', async () => {
		const r = await postJson(api('sendReaction'), { chatId: CHAT, idMessage: 'BAE5', reaction: '👍' });
		expect(r.status).toBe(200);
		expect(typeof r.json.idMessage).toBe('string');
		expect((await postJson(api('sendReaction'), { chatId: CHAT, idMessage: 'BAE5', reaction: '' })).status).toBe(200);
		expect((await postJson(api('sendReaction'), { chatId: CHAT, reaction: '👍' })).status).toBe(400);
		expect((await postJson(api('sendReaction'), { chatId: CHAT, idMessage: 'BAE5' })).status).toBe(400);
		expect(fake.requestsFor('sendReaction').map((q) => (q.body as { reaction?: string }).reaction)).toEqual(['👍', '', '👍', undefined]);
	});

	test('checkWhatsapp answers per number and validates the number like GREEN-API', async () => {
		fake.numbersWithoutWhatsapp.add('79007654321');
		expect((await postJson(api('checkWhatsapp'), { phoneNumber: 79001234567 })).json).toEqual({ existsWhatsapp: true });
		expect((await postJson(api('checkWhatsapp'), { phoneNumber: 79007654321 })).json).toEqual({ existsWhatsapp: false });
		expect((await postJson(api('checkWhatsapp'), { phoneNumber: '79001234567' })).status).toBe(400);
		expect((await postJson(api('checkWhatsapp'), { phoneNumber: 12345 })).status).toBe(400);
	});

	test('readChat, editMessage and deleteMessage answer as documented', async () => {
		expect((await postJson(api('readChat'), { chatId: CHAT, idMessage: 'X1' })).json).toEqual({ setRead: true });
		expect((await postJson(api('editMessage'), { chatId: CHAT, idMessage: 'X1', message: 'fixed' })).json).toEqual({ idMessage: 'X1' });
		const del = await postJson(api('deleteMessage'), { chatId: CHAT, idMessage: 'X1' });
		expect(del.status).toBe(200);
		expect(del.text).toBe('');
	});
});

describe('interactive buttons: sendInteractiveButtonsReply (beta)', () => {
	const buttons = (...texts: string[]) => texts.map((t, i) => ({ buttonId: String(i + 1), buttonText: t }));

	test('refused with 403 while the beta is off for the instance, accepted once it is on', async () => {
		const off = await postJson(api('sendInteractiveButtonsReply'), { chatId: CHAT, body: 'Solved?', buttons: buttons('Yes', 'No') });
		expect(off.status).toBe(403);
		expect(fake.sent[ID]).toEqual([]);
		fake.setInteractiveButtons(ID, true);
		const on = await postJson(api('sendInteractiveButtonsReply'), { chatId: CHAT, header: 'Support', body: 'Solved?', footer: 'Acme', buttons: buttons('Yes', 'No') });
		expect(on.status).toBe(200);
		expect(fake.sent[ID]).toEqual([expect.objectContaining({ method: 'sendInteractiveButtonsReply', chatId: CHAT, idMessage: on.json.idMessage, text: 'Solved?' })]);
	});

	test('validates like GREEN-API: 1–3 buttons, button text ≤ 25, unique ids, a body', async () => {
		fake.setInteractiveButtons(ID, true);
		const send = (b: Record<string, unknown>) => postJson(api('sendInteractiveButtonsReply'), { chatId: CHAT, ...b });
		expect((await send({ body: 'Q', buttons: buttons('a', 'b', 'c', 'd') })).status).toBe(400);
		expect((await send({ body: 'Q', buttons: [] })).status).toBe(400);
		expect((await send({ body: 'Q', buttons: buttons('x'.repeat(26)) })).text).toMatch(/at most 25/);
		expect((await send({ body: 'Q', buttons: buttons('x'.repeat(25)) })).status).toBe(200);
		expect((await send({ body: 'Q', buttons: [{ buttonId: '1', buttonText: 'a' }, { buttonId: '1', buttonText: 'b' }] })).text).toMatch(/unique/);
		expect((await send({ body: '', buttons: buttons('a') })).status).toBe(400);
		expect((await send({ body: 'Q', buttons: buttons('a'), chatId: 'nope' })).status).toBe(400);
		expect(fake.sent[ID]).toHaveLength(1);
	});
});

describe('settings and account', () => {
	test('setSettings clears the webhook (empty URL and token) only with the instance token', async () => {
		await postJson(api('setSettings'), { webhookUrl: 'https://rc.example/hook', webhookUrlToken: 'whsec' });
		expect((await postJson(api('setSettings', ID, 'wrong-token'), { webhookUrl: '', webhookUrlToken: '' })).status).toBe(401);
		expect(fake.webhookSettings(ID)).toMatchObject({ webhookUrl: 'https://rc.example/hook', webhookUrlToken: 'whsec' });
		const r = await postJson(api('setSettings'), { webhookUrl: '', webhookUrlToken: '' });
		expect(r.json).toEqual({ saveSettings: true });
		expect(fake.webhookSettings(ID)).toMatchObject({ webhookUrl: '', webhookUrlToken: '' });
	});

	test('setSettings validates, stores and getSettings returns it', async () => {
		const bad: Array<[unknown, RegExp]> = [
			[{ incomingWebhook: true }, /incomingWebhook must be "yes" or "no"/],
			[{ stateWebhook: 'on' }, /must be "yes" or "no"/],
			[{ webhookUrl: 5 }, /webhookUrl must be a string/],
			[{ webhookUrl: 'not a url' }, /webhookUrl must be an http/],
			[{ webhookUrlToken: 1 }, /webhookUrlToken must be a string/],
			[{ delaySendMessagesMilliseconds: 10 }, /500\.\.600000/],
			[{ incomingWebhooks: 'yes' }, /unknown setting incomingWebhooks/],
		];
		for (const [body, re] of bad) {
			const r = await postJson(api('setSettings'), body);
			expect(r.status).toBe(400);
			expect(r.text).toMatch(re);
		}
		expect(fake.webhookSettings(ID).webhookUrl).toBe('');
		const r = await postJson(api('setSettings'), {
			webhookUrl: 'http://127.0.0.1:3000/api/apps/public/x/webhook',
			webhookUrlToken: 'whsec',
			incomingWebhook: 'yes',
			stateWebhook: 'yes',
			outgoingWebhook: 'yes',
			wid: 'ignored@c.us',
		});
		expect(r.status).toBe(200);
		expect(r.json).toEqual({ saveSettings: true });
		expect(fake.webhookSettings(ID)).toMatchObject({
			webhookUrl: 'http://127.0.0.1:3000/api/apps/public/x/webhook',
			webhookUrlToken: 'whsec',
			incomingWebhook: 'yes',
			stateWebhook: 'yes',
			outgoingWebhook: 'yes',
			pollMessageWebhook: 'no',
		});
		const g = await request(api('getSettings'));
		expect(g.json).toMatchObject({ wid: '79876543210@c.us', webhookUrlToken: 'whsec', incomingWebhook: 'yes' });
		expect(fake.webhookSettings(ID2).webhookUrl).toBe('');
	});

	test('getWaSettings, getStateInstance, qr, reboot, logout', async () => {
		expect((await request(api('getWaSettings'))).json).toMatchObject({ avatar: '', phone: '79876543210', stateInstance: 'authorized' });
		expect((await request(api('qr'))).json).toMatchObject({ type: 'alreadyLogged' });
		fake.setState(ID, 'notAuthorized');
		const qr = await request(api('qr'));
		expect(qr.json.type).toBe('qrCode');
		expect(Buffer.from(qr.json.message, 'base64').subarray(0, 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
		expect((await request(api('getWaSettings'))).json).toMatchObject({ phone: '', stateInstance: 'notAuthorized' });
		fake.setState(ID, null);
		expect((await request(api('getStateInstance'))).json).toEqual({ stateInstance: null });
		fake.setState(ID, 'authorized');
		fake.rebootStartingMs = 100;
		expect((await request(api('reboot'))).json).toEqual({ isReboot: true });
		expect(fake.getState(ID)).toBe('starting');
		await fake.waitFor(() => fake.getState(ID) === 'authorized');
		expect((await request(api('logout'))).json).toEqual({ isLogout: true });
		expect(fake.getState(ID)).toBe('notAuthorized');
	});
});

describe('journals', () => {
	test('lastIncomingMessages filters by minutes (default 1440), newest first', async () => {
		const nowS = Math.floor(Date.now() / 1000);
		fake.addJournalEntry(ID, { idMessage: 'M1', chatId: CHAT, timestamp: nowS - 30, textMessage: 'recent' });
		fake.addJournalEntry(ID, { idMessage: 'M2', chatId: CHAT, timestamp: nowS - 10 * 60, textMessage: 'ten minutes' });
		fake.addJournalEntry(ID, { idMessage: 'M3', chatId: CHAT, timestamp: nowS - 23 * 3600 });
		fake.addJournalEntry(ID, { idMessage: 'M4', chatId: CHAT, timestamp: nowS - 25 * 3600 });
		const auto = fake.addJournalEntry(ID, { chatId: CHAT, textMessage: 'now' });
		expect(auto).toMatchObject({ type: 'incoming', typeMessage: 'textMessage' });
		fake.addJournalEntry(ID2, { idMessage: 'OTHER', timestamp: nowS });
		const ids = async (q: string): Promise<string[]> => {
			const r = await request(api('lastIncomingMessages') + q);
			expect(r.status).toBe(200);
			return r.json.map((e: { idMessage: string }) => e.idMessage);
		};
		expect(await ids('?minutes=1')).toEqual([auto.idMessage, 'M1']);
		expect(await ids('?minutes=15')).toEqual([auto.idMessage, 'M1', 'M2']);
		expect(await ids('')).toEqual([auto.idMessage, 'M1', 'M2', 'M3']);
		expect(await ids('?minutes=2000')).toEqual([auto.idMessage, 'M1', 'M2', 'M3', 'M4']);
		const full = await request(api('lastIncomingMessages') + '?minutes=1');
		expect(full.json[1]).toEqual({ type: 'incoming', idMessage: 'M1', chatId: CHAT, timestamp: nowS - 30, typeMessage: 'textMessage', textMessage: 'recent' });
		expect((await request(api('lastIncomingMessages') + '?minutes=abc')).status).toBe(400);
		expect((await request(api('lastIncomingMessages') + '?minutes=0')).status).toBe(400);
	});

	test('clock is injectable and outgoing entries can be seeded', async () => {
		let now = Date.UTC(2025, 0, 1);
		fake.clock = () => now;
		fake.addOutgoingJournalEntry(ID, { idMessage: 'O1', chatId: CHAT, statusMessage: 'read', sendByApi: false });
		now += 5 * 60 * 1000;
		expect((await request(api('lastOutgoingMessages') + '?minutes=4')).json).toEqual([]);
		expect((await request(api('lastOutgoingMessages') + '?minutes=5')).json).toHaveLength(1);
	});

	test('notification queue: receive / delete / count / clear', async () => {
		expect((await request(api('receiveNotification'))).json).toBeNull();
		const id1 = fake.queueNotification(ID, { typeWebhook: 'incomingMessageReceived', idMessage: 'A' });
		fake.queueNotification(ID, { typeWebhook: 'incomingMessageReceived', idMessage: 'B' });
		expect((await request(api('getWebhooksCount'))).json).toEqual({ count: 2 });
		const r1 = await request(api('receiveNotification') + '?receiveTimeout=5');
		expect(r1.json).toEqual({ receiptId: id1, body: { typeWebhook: 'incomingMessageReceived', idMessage: 'A' } });
		expect((await request(api('receiveNotification'))).json.receiptId).toBe(id1); // not deleted yet
		expect((await request(api('deleteNotification') + `/${id1}`, { method: 'DELETE' })).json).toEqual({ result: true });
		expect((await request(api('deleteNotification') + `/${id1}`, { method: 'DELETE' })).json).toEqual({ result: false });
		expect(fake.requests[fake.requests.length - 1].extra).toEqual([String(id1)]);
		expect((await request(api('deleteNotification'), { method: 'DELETE' })).status).toBe(404);
		expect((await request(api('receiveNotification'))).json.body.idMessage).toBe('B');
		expect((await request(api('clearWebhooksQueue'), { method: 'DELETE' })).json).toEqual({ isCleared: true, reason: '' });
		expect(fake.pendingNotifications(ID)).toBe(0);
	});
});

describe('rate limit', () => {
	test('50 sends per second per instance per method, then 429 with Retry-After: 1', async () => {
		const results = await Promise.all(Array.from({ length: 60 }, (_, i) => postJson(api('sendMessage'), { chatId: CHAT, message: `m${i}` })));
		const ok = results.filter((r) => r.status === 200);
		const limited = results.filter((r) => r.status === 429);
		expect(ok).toHaveLength(50);
		expect(limited).toHaveLength(10);
		expect(limited[0].headers['retry-after']).toBe('1');
		expect(fake.sent[ID]).toHaveLength(50);
		expect(fake.maxObservedSendRatePerSecond).toBe(60);
		expect(fake.maxObservedRate('sendMessage', ID)).toBe(60);
		expect(fake.requests.filter((r) => r.outcome === 'rateLimited')).toHaveLength(10);
		// other method and other instance are separate buckets
		expect((await postJson(api('sendFileByUrl'), { chatId: CHAT, urlFile: 'http://x/a.pdf', fileName: 'a.pdf' })).status).toBe(200);
		expect((await postJson(api('sendMessage', ID2, TOKEN2), { chatId: CHAT, message: 'x' })).status).toBe(200);
		expect((await postJson(api('sendMessage'), { chatId: CHAT, message: 'x' })).status).toBe(429);
		await new Promise((r) => setTimeout(r, 1050));
		expect((await postJson(api('sendMessage'), { chatId: CHAT, message: 'after' })).status).toBe(200);
	});

	test('configurable limits, non-send methods unlimited by default', async () => {
		fake.sendsPerSecondLimit = 2;
		const r = [];
		for (let i = 0; i < 3; i++) r.push((await postJson(api('sendMessage'), { chatId: CHAT, message: 'x' })).status);
		expect(r).toEqual([200, 200, 429]);
		for (let i = 0; i < 5; i++) expect((await request(api('getStateInstance'))).status).toBe(200);
		fake.useRealRateLimits();
		expect((await request(api('lastIncomingMessages'))).status).toBe(200);
		expect((await request(api('lastIncomingMessages'))).status).toBe(429);
	});

	test('paced sender stays under the limit', async () => {
		fake.sendsPerSecondLimit = 10;
		for (let i = 0; i < 12; i++) {
			expect((await postJson(api('sendMessage'), { chatId: CHAT, message: `${i}` })).status).toBe(200);
			await new Promise((r) => setTimeout(r, 110));
		}
		expect(fake.maxObservedSendRatePerSecond).toBeLessThanOrEqual(10);
	});
});

describe('failure injection', () => {
	const send = (msg = 'x', extra: { timeoutMs?: number } = {}): Promise<Res> => postJson(api('sendMessage'), { chatId: CHAT, message: msg }, extra);

	test('failNext: status codes, bodies, Retry-After, then recovery', async () => {
		fake.failNext('sendMessage', 2, GreenApiFailures.serverError);
		fake.failNext('sendMessage', 1, GreenApiFailures.tooManyRequests(7));
		fake.failNext('sendMessage', 1, GreenApiFailures.quotaExceeded());
		fake.failNext('sendMessage', 1, GreenApiFailures.starting);
		fake.failNext('sendMessage', 1, { status: 502 });
		const s = [];
		for (let i = 0; i < 7; i++) s.push(await send());
		expect(s.map((r) => r.status)).toEqual([500, 500, 429, 466, 400, 502, 200]);
		expect(s[2].headers['retry-after']).toBe('7');
		expect(s[3].json.correspondentsStatus.status).toBe('CORRESPONDENTS_QUOTE_EXCEEDED');
		expect(s[4].text).toBe('instance in starting process try later');
		expect(s[5].text).toBe('Bad Gateway');
		expect(fake.sent[ID]).toHaveLength(1);
		expect(fake.requests.filter((r) => r.outcome === 'injected')).toHaveLength(6);
	});

	test('failNext scoped to an instance and "*" wildcard', async () => {
		fake.failNext('*', 1, { status: 503 }, { idInstance: ID2 });
		expect((await send()).status).toBe(200);
		expect((await request(api('getStateInstance', ID2, TOKEN2))).status).toBe(503);
		expect((await request(api('getStateInstance', ID2, TOKEN2))).status).toBe(200);
	});

	test('delay only, delayed failure', async () => {
		fake.failNext('sendMessage', 1, { delayMs: 300 });
		let t = Date.now();
		expect((await send()).status).toBe(200);
		expect(Date.now() - t).toBeGreaterThanOrEqual(280);
		fake.failNext('sendMessage', 1, { delayMs: 200, status: 500 });
		t = Date.now();
		expect((await send()).status).toBe(500);
		expect(Date.now() - t).toBeGreaterThanOrEqual(180);
	});

	test('timeout (hanging request) and connection reset', async () => {
		fake.failNext('sendMessage', 1, 'timeout');
		await expect(send('x', { timeoutMs: 300 })).rejects.toThrow(/client timeout/);
		expect(fake.requests[0].outcome).toBe('timeout');
		expect(fake.requests[0].status).toBeUndefined();
		fake.failNext('sendMessage', 1, 'reset');
		await expect(send()).rejects.toThrow(/socket hang up|ECONNRESET/);
		expect(fake.requests[1].outcome).toBe('reset');
		expect(fake.sent[ID]).toHaveLength(0);
		expect((await send()).status).toBe(200);
	});

	test('processAnyway: the message is sent but the ack is lost', async () => {
		fake.failNext('sendMessage', 1, { action: 'reset', processAnyway: true });
		await expect(send('dup')).rejects.toThrow();
		fake.failNext('sendMessage', 1, { status: 502, processAnyway: true });
		expect((await send('dup')).status).toBe(502);
		expect((await send('dup')).status).toBe(200);
		expect(fake.sent[ID].map((s) => s.text)).toEqual(['dup', 'dup', 'dup']);
	});

	test('failWhile and setFailureMode', async () => {
		const stop = fake.failWhile((r) => r.method === 'sendMessage' && (r.body as { message?: string }).message === 'poison', { status: 500, body: { error: 'x' } });
		const p = await send('poison');
		expect(p.status).toBe(500);
		expect(p.json).toEqual({ error: 'x' });
		expect((await send('fine')).status).toBe(200);
		stop();
		expect((await send('poison')).status).toBe(200);

		let n = 0;
		fake.setFailureMode((req) => (req.method === 'getStateInstance' && n++ < 2 ? { status: 400, body: 'instance in starting process try later' } : undefined));
		expect((await request(api('getStateInstance'))).status).toBe(400);
		expect((await request(api('getStateInstance'))).status).toBe(400);
		expect((await request(api('getStateInstance'))).status).toBe(200);
		fake.setFailureMode(() => 'reset');
		await expect(request(api('getStateInstance'))).rejects.toThrow();
		fake.clearFailures();
		expect((await request(api('getStateInstance'))).status).toBe(200);
	});

	test('auth failures win over injected failures', async () => {
		fake.failNext('sendMessage', 1, { status: 500 });
		expect((await postJson(api('sendMessage', ID, 'bad'), { chatId: CHAT, message: 'x' })).status).toBe(401);
		expect((await send()).status).toBe(500);
	});
});

describe('file hosting', () => {
	test('serveFile: headers, bytes, download counting, HEAD, 404s', async () => {
		const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
		const url = fake.serveFile('a folder/photo 1.jpg', bytes, 'image/jpeg');
		expect(url).toBe(`${fake.filesUrl}/files/a%20folder%2Fphoto%201.jpg`);
		const r = await request(url);
		expect(r.status).toBe(200);
		expect(r.headers['content-type']).toBe('image/jpeg');
		expect(r.headers['content-length']).toBe('256');
		expect(r.body.equals(bytes)).toBe(true);
		await request(url);
		const head = await request(url, { method: 'HEAD' });
		expect(head.headers['content-length']).toBe('256');
		expect(head.body.length).toBe(0);
		expect(fake.downloadCount('a folder/photo 1.jpg')).toBe(2);
		expect((await request(fake.serveMissing('gone.jpg'))).status).toBe(404);
		expect((await request(`${fake.filesUrl}/files/never-registered`)).status).toBe(404);
		expect(fake.downloadCount('gone.jpg')).toBe(0);
		expect(fake.downloads.map((d) => d.status)).toEqual([200, 200, 200, 404, 404]);
		// file host is not the API
		expect((await request(`${fake.filesUrl}/waInstance${ID}/getStateInstance/${TOKEN}`)).status).toBe(404);
	});

	test('serveSlow, chunked, hang, reset, custom status', async () => {
		const bytes = Buffer.alloc(1000, 7);
		const t = Date.now();
		const slow = await request(fake.serveSlow('slow.bin', bytes, 'application/octet-stream', 200, { chunkSize: 250, chunkDelayMs: 50 }));
		expect(Date.now() - t).toBeGreaterThanOrEqual(330);
		expect(slow.body.equals(bytes)).toBe(true);
		const chunked = await request(fake.serveFile('c.bin', bytes, 'application/octet-stream', { omitContentLength: true }));
		expect(chunked.headers['content-length']).toBeUndefined();
		expect(chunked.headers['transfer-encoding']).toBe('chunked');
		expect(chunked.body.equals(bytes)).toBe(true);
		await expect(request(fake.serveFile('h.bin', bytes, 'x/y', { hang: true }), { timeoutMs: 200 })).rejects.toThrow(/client timeout/);
		await expect(request(fake.serveFile('r.bin', bytes, 'x/y', { resetAfterBytes: 100 }))).rejects.toThrow();
		expect((await request(fake.serveFile('s.bin', bytes, 'x/y', { status: 503 }))).status).toBe(503);
	});
});

describe('waiting helpers and shutdown', () => {
	test('waitForSent resolves when sends arrive; waitFor times out', async () => {
		const waiting = fake.waitForSent(ID, 2);
		void send2();
		const sent = await waiting;
		expect(sent).toHaveLength(2);
		await expect(fake.waitFor(() => false, 50, 'never')).rejects.toThrow(/never/);
		async function send2(): Promise<void> {
			await postJson(api('sendMessage'), { chatId: CHAT, message: 'a' });
			await postJson(api('sendMessage'), { chatId: CHAT, message: 'b' });
		}
	});

	test('stop() ends hung requests and keep-alive sockets and is idempotent', async () => {
		fake.failNext('sendMessage', 1, 'timeout');
		fake.serveFile('h', 'x', 'text/plain', { hang: true });
		fake.failNext('getStateInstance', 1, { delayMs: 60000, status: 500 });
		const agent = new http.Agent({ keepAlive: true });
		expect((await request(api('getSettings'), { agent })).status).toBe(200); // leaves an idle keep-alive socket
		const hung = postJson(api('sendMessage'), { chatId: CHAT, message: 'x' }).then(() => new Error('unexpected answer'), (e: Error) => e);
		const hungFile = request(fake.fileUrl('h')).then(() => new Error('unexpected answer'), (e: Error) => e);
		const delayed = request(api('getStateInstance')).then(() => new Error('unexpected answer'), (e: Error) => e);
		await fake.waitFor(() => fake.requests.length === 3 && fake.downloads.length === 1);
		const t = Date.now();
		await fake.stop();
		await fake.stop();
		expect(Date.now() - t).toBeLessThan(10_000); // not the 60 s answer nor the hung ones (bound sized for a loaded machine)
		expect(String((await hung as Error).message)).toMatch(/socket hang up|ECONNRESET/);
		expect(String((await hungFile as Error).message)).toMatch(/socket hang up|ECONNRESET/);
		expect(String((await delayed as Error).message)).toMatch(/socket hang up|ECONNRESET/);
		await expect(request(api('getStateInstance'))).rejects.toThrow(/ECONNREFUSED/);
		agent.destroy();
	});

	test('reset() keeps instances, clears traffic', async () => {
		await postJson(api('sendMessage'), { chatId: CHAT, message: 'a' });
		fake.failNext('sendMessage', 5, { status: 500 });
		fake.reset();
		expect(fake.requests).toHaveLength(0);
		expect(fake.sent[ID]).toHaveLength(0);
		expect((await postJson(api('sendMessage'), { chatId: CHAT, message: 'a' })).status).toBe(200);
	});
});

describe('multipart parser unit', () => {
	test('parses empty-header part, transport padding and field values', () => {
		const b = 'XyZ';
		const body = Buffer.from(`--${b}  \r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--${b}\r\nContent-Disposition: form-data; name="b"; filename=""\r\n\r\n\r\n--${b}--`);
		const parts = parseMultipart(body, `multipart/form-data; charset=utf-8; boundary=${b}`);
		expect(parts.map((p) => [p.name, p.value, p.filename])).toEqual([
			['a', '1', undefined],
			['b', '', ''],
		]);
		expect(() => parseMultipart(Buffer.from(`--${b}\r\n\r\nx\r\n--${b}--`), `multipart/form-data; boundary=${b}`)).toThrow(/Content-Disposition/);
	});
});

describe('hidden numbers (@lid)', () => {
	test('a customer with an alias is named by either id, and sends to either reach them', async () => {
		const lid = '123456789012345@lid';
		expect(() => fake.hideNumber(lid, CHAT)).toThrow(/not a @c.us and a @lid/);
		fake.hideNumber(CHAT, lid);
		expect(fake.otherIdOf(CHAT)).toBe(lid);
		expect(fake.otherIdOf(lid)).toBe(CHAT);
		expect(fake.senderIds(CHAT, 'c.us')).toEqual({ chatId: CHAT, sender: CHAT });
		expect(fake.senderIds(CHAT, 'lid')).toEqual({ chatId: lid, sender: CHAT, senderPhoneNumber: 79001234567 });
		expect(fake.senderIds(CHAT, 'lid-only')).toEqual({ chatId: lid, sender: lid });
		// Without an alias every form is the phone-based id.
		expect(fake.senderIds('79005550000@c.us', 'lid-only')).toEqual({ chatId: '79005550000@c.us', sender: '79005550000@c.us' });
		await postJson(api('sendMessage'), { chatId: CHAT, message: 'by phone' });
		await postJson(api('sendMessage'), { chatId: lid, message: 'by alias' });
		await postJson(api('sendMessage'), { chatId: '79005550000@c.us', message: 'someone else' });
		expect(fake.sentToPerson(ID, lid).map((s) => s.text)).toEqual(['by phone', 'by alias']);
	});
});
