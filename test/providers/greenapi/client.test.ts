import { downloadMedia, GreenApiClient, methodUrl } from '../../../src/providers/greenapi/client';
import { credentialsOf, GreenApiProvider } from '../../../src/providers/greenapi/GreenApiProvider';
import { MAX_TEXT_LENGTH } from '../../../src/providers/greenapi/textSplit';
import * as F from '../../fixtures/greenapi';
import { GA } from '../../fixtures/greenapi';
import { bytes, FakeHttp, json, text } from '../fakeHttp';

const instance = F.greenApiInstance();
const TOKEN = GA.apiToken;

function client(http: FakeHttp) {
	return new GreenApiClient(http, credentialsOf(instance));
}

describe('URLs', () => {
	it('builds {apiUrl}/waInstance{id}/{method}/{token}', () => {
		expect(methodUrl('https://7103.api.greenapi.com', '7103123456', 'sendMessage', 'abc')).toBe('https://7103.api.greenapi.com/waInstance7103123456/sendMessage/abc');
		expect(methodUrl('https://7103.api.greenapi.com///', '7103123456', 'lastIncomingMessages', 'abc', { minutes: 30 })).toBe(
			'https://7103.api.greenapi.com/waInstance7103123456/lastIncomingMessages/abc?minutes=30',
		);
	});

	it('uses the api host for JSON calls and the media host for uploads, with fallbacks', async () => {
		const http = new FakeHttp(() => json(200, { idMessage: 'X' }));
		await client(http).sendMessage({ chatId: GA.chatId, text: 'hi' });
		await client(http).sendFileByUpload({ chatId: GA.chatId, fileName: 'a.txt', mimeType: 'text/plain', bytes: Buffer.from('a') });
		expect(http.requests[0].url).toBe(`${GA.apiUrl}/waInstance${GA.idInstance}/sendMessage/${TOKEN}`);
		expect(http.requests[1].url).toBe(`${GA.mediaUrl}/waInstance${GA.idInstance}/sendFileByUpload/${TOKEN}`);
		const bare = new GreenApiClient(http, { ...credentialsOf(instance), apiUrl: '', mediaUrl: '' });
		expect(bare.url('getSettings')).toBe(`https://api.greenapi.com/waInstance${GA.idInstance}/getSettings/${TOKEN}`);
		expect(bare.url('sendFileByUpload', undefined, 'media')).toBe(`https://media.greenapi.com/waInstance${GA.idInstance}/sendFileByUpload/${TOKEN}`);
	});
});

describe('sendMessage', () => {
	it('POSTs chatId, message and quotedMessageId as JSON', async () => {
		const http = new FakeHttp().reply(json(200, { idMessage: 'BAE5F4886F6F2D05' }));
		const r = await client(http).sendMessage({ chatId: GA.chatId, text: 'Hello Anna', quotedMessageId: 'Q1' });
		expect(r).toEqual({ ok: true, messageId: 'BAE5F4886F6F2D05' });
		expect(http.last).toMatchObject({ method: 'POST', json: { chatId: GA.chatId, message: 'Hello Anna', quotedMessageId: 'Q1' } });
		expect(http.last.timeoutMs).toBeGreaterThan(0);
	});

	it('omits quotedMessageId when absent and refuses empty text', async () => {
		const http = new FakeHttp().reply(json(200, { idMessage: 'A' }));
		await client(http).sendMessage({ chatId: GA.chatId, text: 'x' });
		expect(http.last.json).toEqual({ chatId: GA.chatId, message: 'x' });
		expect(await client(http).sendMessage({ chatId: GA.chatId, text: '  ' })).toMatchObject({ ok: false, retryable: false });
		expect(http.requests).toHaveLength(1);
	});

	it('splits texts over 20000 chars, in order, quote on the first part, returns the last id', async () => {
		const http = new FakeHttp().reply(json(200, { idMessage: 'P1' }), json(200, { idMessage: 'P2' }));
		const long = 'word '.repeat(5000); // 25000 chars
		const r = await client(http).sendMessage({ chatId: GA.chatId, text: long, quotedMessageId: 'Q' });
		expect(r).toEqual({ ok: true, messageId: 'P2' });
		const bodies = http.requests.map((q) => q.json as { message: string; quotedMessageId?: string });
		expect(bodies).toHaveLength(2);
		expect(bodies[0].quotedMessageId).toBe('Q');
		expect(bodies[1].quotedMessageId).toBeUndefined();
		for (const b of bodies) expect(b.message.length).toBeLessThanOrEqual(MAX_TEXT_LENGTH);
		// The one space at the break is dropped; nothing else is lost.
		expect(bodies.map((b) => b.message).join(' ') === long).toBe(true);
	});

	it('a failure on the first part keeps its classification; a later one becomes permanent', async () => {
		const first = new FakeHttp().reply(json(503, {}));
		expect(await client(first).sendMessage({ chatId: GA.chatId, text: 'x'.repeat(30000) })).toMatchObject({ ok: false, retryable: true, status: 503 });
		const later = new FakeHttp().reply(json(200, { idMessage: 'P1' }), json(503, {}));
		const r = await client(later).sendMessage({ chatId: GA.chatId, text: 'x'.repeat(30000) });
		expect(r).toMatchObject({ ok: false, retryable: false, status: 503 });
		expect(!r.ok && r.reason).toMatch(/^sent 1 of 2 parts, then: /);
	});

	it('network errors are retryable and never show the token', async () => {
		const http = new FakeHttp().reply(new Error(`connect ECONNREFUSED ${GA.apiUrl}/waInstance${GA.idInstance}/sendMessage/${TOKEN}`));
		const r = await client(http).sendMessage({ chatId: GA.chatId, text: 'hi' });
		expect(r).toMatchObject({ ok: false, retryable: true });
		expect(JSON.stringify(r)).not.toContain(TOKEN);
	});
});

describe('sendFileByUpload', () => {
	it('sends a byte-exact multipart body', async () => {
		const http = new FakeHttp().reply(json(200, { idMessage: 'F1', urlFile: 'https://sw-media.example/x.png' }));
		const data = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
		const r = await client(http).sendFileByUpload({ chatId: GA.chatId, fileName: 'photo.png', mimeType: 'image/png', bytes: data, caption: 'Here it is', quotedMessageId: 'Q1' });
		expect(r).toEqual({ ok: true, messageId: 'F1' });
		const req = http.last;
		expect(req.method).toBe('POST');
		expect(req.json).toBeUndefined();
		const ct = req.headers?.['Content-Type'] as string;
		const m = /^multipart\/form-data; boundary=(\S+)$/.exec(ct);
		expect(m).not.toBeNull();
		const b = (m as RegExpExecArray)[1];
		const expected = Buffer.concat([
			Buffer.from(
				`--${b}\r\nContent-Disposition: form-data; name="chatId"\r\n\r\n${GA.chatId}\r\n` +
					`--${b}\r\nContent-Disposition: form-data; name="fileName"\r\n\r\nphoto.png\r\n` +
					`--${b}\r\nContent-Disposition: form-data; name="caption"\r\n\r\nHere it is\r\n` +
					`--${b}\r\nContent-Disposition: form-data; name="quotedMessageId"\r\n\r\nQ1\r\n` +
					`--${b}\r\nContent-Disposition: form-data; name="file"; filename="photo.png"\r\nContent-Type: image/png\r\n\r\n`,
			),
			data,
			Buffer.from(`\r\n--${b}--\r\n`),
		]);
		expect(Buffer.isBuffer(req.body)).toBe(true);
		expect((req.body as Buffer).equals(expected)).toBe(true);
	});

	it('uses a fresh random boundary each time and omits optional fields', async () => {
		const http = new FakeHttp(() => json(200, { idMessage: 'F' }));
		const msg = { chatId: GA.chatId, fileName: 'a.txt', mimeType: '', bytes: Buffer.from('hello') };
		await client(http).sendFileByUpload(msg);
		await client(http).sendFileByUpload(msg);
		const [a, b] = http.requests.map((q) => q.headers?.['Content-Type']);
		expect(a).not.toBe(b);
		const body = (http.requests[0].body as Buffer).toString('utf8');
		expect(body).not.toContain('name="caption"');
		expect(body).not.toContain('name="quotedMessageId"');
		expect(body).toContain('Content-Type: application/octet-stream\r\n\r\nhello\r\n');
	});

	it('refuses files over 100 MB without calling GREEN-API', async () => {
		const http = new FakeHttp();
		const big = { length: 100 * 1024 * 1024 + 1 } as unknown as Buffer;
		const r = await client(http).sendFileByUpload({ chatId: GA.chatId, fileName: 'big.bin', mimeType: 'application/octet-stream', bytes: big });
		expect(r).toMatchObject({ ok: false, retryable: false });
		expect(http.requests).toHaveLength(0);
	});
});

describe('downloadMedia', () => {
	const url = `${GA.mediaBase}/a0128ca6.jpg`;

	it('returns the bytes and the bare mime type', async () => {
		const http = new FakeHttp().reply(bytes(200, Buffer.from('JPEGDATA'), { 'content-type': 'image/jpeg; charset=binary' }));
		const r = await downloadMedia(http, url, 1000);
		expect(r).toEqual({ ok: true, bytes: Buffer.from('JPEGDATA'), mimeType: 'image/jpeg' });
		expect(http.last).toMatchObject({ method: 'GET', url, binary: true });
	});

	it('accepts a Uint8Array body', async () => {
		const http = new FakeHttp().reply({ status: 200, headers: {}, body: new Uint8Array([1, 2, 3]) as unknown as Buffer });
		expect(await downloadMedia(http, url, 10)).toEqual({ ok: true, bytes: Buffer.from([1, 2, 3]) });
	});

	it('enforces maxBytes from Content-Length and from the actual size', async () => {
		const declared = new FakeHttp().reply({ status: 200, headers: { 'content-length': '5000' }, body: Buffer.alloc(10) });
		expect(await downloadMedia(declared, url, 1000)).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/too large/) });
		const actual = new FakeHttp().reply({ status: 200, headers: {}, body: Buffer.alloc(1001) });
		expect(await downloadMedia(actual, url, 1000)).toMatchObject({ ok: false, retryable: false, reason: expect.stringMatching(/too large/) });
		const exact = new FakeHttp().reply(bytes(200, Buffer.alloc(1000, 1)));
		expect((await downloadMedia(exact, url, 1000)).ok).toBe(true);
	});

	it.each([
		[404, false],
		[410, false],
		[403, false],
		[408, true],
		[429, true],
		[500, true],
		[503, true],
	])('HTTP %i → retryable %s', async (status, retryable) => {
		const http = new FakeHttp().reply(text(status, 'nope'));
		const r = await downloadMedia(http, url, 1000);
		expect(r).toMatchObject({ ok: false, retryable });
	});

	it('timeouts and network errors are retryable; reasons never contain the URL', async () => {
		const signed = `${url}?X-Amz-Signature=secret123`;
		const http = new FakeHttp().reply(new Error(`timeout of 120000ms exceeded for ${signed}`), new Error(`socket hang up ${signed}`));
		const a = await downloadMedia(http, signed, 1000);
		const b = await downloadMedia(http, signed, 1000);
		expect(a).toMatchObject({ ok: false, retryable: true });
		expect(b).toMatchObject({ ok: false, retryable: true });
		expect(JSON.stringify([a, b])).not.toContain('secret123');
	});

	it('refuses SWE002 markers, bad URLs, text and empty bodies', async () => {
		const http = new FakeHttp();
		expect(await downloadMedia(http, '{{SWE002}}', 1000)).toMatchObject({ ok: false, retryable: false });
		expect(await downloadMedia(http, '', 1000)).toMatchObject({ ok: false, retryable: false });
		expect(http.requests).toHaveLength(0);
		http.reply(text(200, 'decoded as text'), bytes(200, Buffer.alloc(0)));
		expect(await downloadMedia(http, url, 1000)).toMatchObject({ ok: false, retryable: false });
		expect(await downloadMedia(http, url, 1000)).toMatchObject({ ok: false, retryable: false });
	});
});

describe('state, journal and admin methods', () => {
	it('getStateInstance', async () => {
		const http = new FakeHttp().reply(json(200, { stateInstance: 'authorized' }), json(200, { stateInstance: null }), json(200, {}), json(401, {}));
		const c = client(http);
		expect(await c.getStateInstance()).toEqual({ ok: true, data: 'authorized' });
		expect(await c.getStateInstance()).toEqual({ ok: true, data: 'starting' });
		expect(await c.getStateInstance()).toMatchObject({ ok: false, retryable: false });
		expect(await c.getStateInstance()).toMatchObject({ ok: false, retryable: false, status: 401 });
		expect(http.requests[0]).toMatchObject({ method: 'GET', url: `${GA.apiUrl}/waInstance${GA.idInstance}/getStateInstance/${TOKEN}` });
	});

	it('lastIncomingMessages passes whole minutes', async () => {
		const http = new FakeHttp().reply(json(200, []), json(200, { not: 'an array' }));
		expect(await client(http).lastIncomingMessages(90.2)).toEqual({ ok: true, data: [] });
		expect(http.last.url).toBe(`${GA.apiUrl}/waInstance${GA.idInstance}/lastIncomingMessages/${TOKEN}?minutes=91`);
		expect(await client(http).lastIncomingMessages(0)).toMatchObject({ ok: false });
		expect(http.last.url).toMatch(/\?minutes=1$/);
	});

	it('getWaSettings, getSettings, qr, reboot', async () => {
		const http = new FakeHttp().reply(
			json(200, { avatar: 'https://pps.example/a.jpg', phone: 79990000000, stateInstance: 'authorized', deviceId: 'dev1' }),
			json(200, { wid: GA.wid, webhookUrl: 'https://rc.example/hook', incomingWebhook: 'yes', delaySendMessagesMilliseconds: 1000 }),
			json(200, { type: 'qrCode', message: 'iVBORw0KGgo=' }),
			json(200, { isReboot: true }),
		);
		const c = client(http);
		expect(await c.getWaSettings()).toEqual({ ok: true, data: { avatar: 'https://pps.example/a.jpg', phone: '79990000000', stateInstance: 'authorized', deviceId: 'dev1' } });
		expect(await c.getSettings()).toEqual({ ok: true, data: { wid: GA.wid, webhookUrl: 'https://rc.example/hook', incomingWebhook: 'yes', delaySendMessagesMilliseconds: 1000 } });
		expect(await c.qr()).toEqual({ ok: true, data: { type: 'qrCode', message: 'iVBORw0KGgo=' } });
		expect(await c.reboot()).toEqual({ ok: true, data: true });
		expect(http.requests.map((r) => `${r.method} ${r.url.split('/')[4]}`)).toEqual(['GET getWaSettings', 'GET getSettings', 'GET qr', 'GET reboot']);
	});

	it('setSettings sends only the given subset with yes/no strings', async () => {
		const http = new FakeHttp().reply(json(200, { saveSettings: true }));
		const r = await client(http).setSettings({ webhookUrl: 'https://rc.example/hook', webhookUrlToken: 'wht', incomingWebhook: 'yes', outgoingWebhook: 'no', stateWebhook: undefined });
		expect(r).toEqual({ ok: true, data: true });
		expect(http.last).toMatchObject({ method: 'POST', url: `${GA.apiUrl}/waInstance${GA.idInstance}/setSettings/${TOKEN}` });
		expect(http.last.json).toEqual({ webhookUrl: 'https://rc.example/hook', webhookUrlToken: 'wht', incomingWebhook: 'yes', outgoingWebhook: 'no' });
	});

	it('setSettings validates locally', async () => {
		const http = new FakeHttp();
		expect(await client(http).setSettings({})).toMatchObject({ ok: false, retryable: false });
		expect(await client(http).setSettings({ delaySendMessagesMilliseconds: 100 })).toMatchObject({ ok: false, retryable: false });
		expect(http.requests).toHaveLength(0);
	});
});

describe('token masking', () => {
	it('no failure reason from any client method contains the token', async () => {
		const echo = `failed at ${GA.apiUrl}/waInstance${GA.idInstance}/x/${TOKEN} (token ${TOKEN})`;
		const answers = [text(400, echo), text(500, echo), json(400, { message: echo }), new Error(echo)];
		for (const a of answers) {
			const http = new FakeHttp(() => a);
			const c = client(http);
			const results = [
				await c.sendMessage({ chatId: GA.chatId, text: 'hi' }),
				await c.sendFileByUpload({ chatId: GA.chatId, fileName: 'a', mimeType: 'a/b', bytes: Buffer.from('a') }),
				await c.getStateInstance(),
				await c.lastIncomingMessages(10),
				await c.getWaSettings(),
				await c.getSettings(),
				await c.setSettings({ incomingWebhook: 'yes' }),
				await c.qr(),
				await c.reboot(),
			];
			for (const r of results) {
				expect(r.ok).toBe(false);
				expect(JSON.stringify(r)).not.toContain(TOKEN);
			}
		}
	});

	it('the provider surfaces journal and state failures without the token', async () => {
		const provider = new GreenApiProvider();
		const http = new FakeHttp(() => new Error(`ECONNRESET ${GA.apiUrl}/waInstance${GA.idInstance}/lastIncomingMessages/${TOKEN}`));
		await expect(provider.session(http, instance).recovery!.fetchMissed(60)).rejects.toThrow(/lastIncomingMessages failed: network error/);
		await provider.session(http, instance).recovery!.fetchMissed(60).catch((e: Error) => expect(e.message).not.toContain(TOKEN));
		const s = await provider.session(http, instance).health!();
		expect(s.ok).toBe(false);
		expect(JSON.stringify(s)).not.toContain(TOKEN);
	});
});

describe('GreenApiProvider', () => {
	const provider = new GreenApiProvider();

	it('is the greenapi provider and delegates parsing and auth', async () => {
		expect(provider.name).toBe('greenapi');
		const req = F.webhookRequest(F.incoming(F.textMessage('hi')));
		const lookup = { get: async (id: string) => (id === instance.id ? instance : undefined), list: async () => [instance] };
		expect(await provider.webhook.authenticate(req, lookup)).toEqual({ ok: true, instances: [instance] });
		expect(await provider.webhook.authenticate(F.webhookRequest(req.content, { token: 'wrong-token' }), lookup)).toMatchObject({ ok: false });
		expect(provider.webhook.parse(req, [instance])).toMatchObject([{ type: 'message', content: { kind: 'text', text: 'hi' } }]);
	});

	it('sendText / sendFile / downloadMedia / getState', async () => {
		const http = new FakeHttp().reply(
			json(200, { idMessage: 'T1' }),
			json(200, { idMessage: 'F1' }),
			bytes(200, Buffer.from('x')),
			json(200, { stateInstance: 'yellowCard' }),
		);
		expect(await provider.session(http, instance).sendText({ chatId: GA.chatId, text: 'hi' })).toEqual({ ok: true, messageId: 'T1' });
		expect(await provider.session(http, instance).sendFile({ chatId: GA.chatId, fileName: 'a.txt', mimeType: 'text/plain', bytes: Buffer.from('a') })).toEqual({ ok: true, messageId: 'F1' });
		expect(await provider.session(http, instance).downloadMedia(`${GA.mediaBase}/x`, { maxBytes: 10, extraHosts: [] })).toMatchObject({ ok: true });
		expect(await provider.session(http, instance).health!()).toEqual({ ok: true, health: 'restricted', detail: 'yellowCard' });
	});

	it('fetchMissed parses the journal with the instance id and wid', async () => {
		const hook = F.incoming(F.withQuote(F.textMessage('re'), F.quoted('Q1', { text: 'ours' })));
		const http = new FakeHttp().reply(json(200, [F.journalOf(hook), { ...F.journalEntry('textMessage', { textMessage: 'out' }), type: 'outgoing' }]));
		const out = await provider.session(http, instance).recovery!.fetchMissed(120);
		expect(http.last.url).toBe(`${GA.apiUrl}/waInstance${GA.idInstance}/lastIncomingMessages/${TOKEN}?minutes=120`);
		expect(out).toHaveLength(1);
		expect(out[0]).toMatchObject({ instanceId: GA.idInstance, messageId: hook.idMessage, quoted: { messageId: 'Q1', text: 'ours', fromBusiness: true } });
	});
});
