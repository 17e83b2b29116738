// The Cloud API adapters against a recording HttpClient: what goes on the wire (paths, auth, bodies) and
// how answers are read (ids, errors, pages, media), for Meta's Graph API and for 360dialog.
import { HttpRequest } from '../../../src/core/ports/http';
import { InstanceLookup, WebhookRequest } from '../../../src/core/ports/provider';
import { InstanceRecord } from '../../../src/core/ports/records';
import { describeFailure } from '../../../src/core/failures';
import { CloudProvider, verifyTokenOf } from '../../../src/providers/cloud/CloudProvider';
import { GRAPH_API_VERSION } from '../../../src/providers/cloud/graph';
import { templateInfo } from '../../../src/providers/cloud/templates';
import { metaJson, sign, SignaturePolicy, signaturePolicy } from '../../../src/providers/cloud/signature';
import { dialog360InstanceId, Dialog360Provider, DIALOG360_SECRET_HEADER, headerSecretOf } from '../../../src/providers/dialog360/Dialog360Provider';
import { parseMultipart } from '../../fakes/multipart';
import { body, CLOUD, cloudInstance, msg, template, value } from '../../fixtures/cloud';
import { bytes, FakeHttp, json, text } from '../fakeHttp';

const G = `https://graph.facebook.com/${GRAPH_API_VERSION}`;
const instance = cloudInstance();
const sent = (id = 'wamid.OUT1') => json(200, { messaging_product: 'whatsapp', contacts: [{ input: CLOUD.customer, wa_id: CLOUD.customer }], messages: [{ id }] });
const graphError = (status: number, code: number, message: string, details?: string) =>
	json(status, { error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, ...(details && { error_data: { messaging_product: 'whatsapp', details } }), fbtrace_id: 'A1' } });
const bodyOf = (r: HttpRequest) => r.json as Record<string, any>;

describe('sending text', () => {
	const provider = new CloudProvider();

	it('POSTs /{phone_number_id}/messages with the bearer token; preview only when there is a link; the quote as context', async () => {
		const http = new FakeHttp().reply(sent('wamid.A'), sent('wamid.B'));
		expect(await provider.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'Hello Anna' })).toEqual({ ok: true, messageId: 'wamid.A' });
		expect(http.requests[0]).toMatchObject({ method: 'POST', url: `${G}/${CLOUD.phoneNumberId}/messages`, headers: { Authorization: `Bearer ${CLOUD.accessToken}` } });
		expect(bodyOf(http.requests[0])).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CLOUD.customer, type: 'text', text: { preview_url: false, body: 'Hello Anna' } });
		await provider.session(http, instance).sendText({ chatId: CLOUD.customer, text: 'ships today: https://t.example/42', quotedMessageId: 'wamid.Q' });
		expect(bodyOf(http.requests[1])).toMatchObject({ context: { message_id: 'wamid.Q' }, text: { preview_url: true } });
	});

	it('a customer known only by BSUID is addressed through `recipient`', async () => {
		const http = new FakeHttp().reply(sent());
		await provider.session(http, instance).sendText({ chatId: CLOUD.bsuid, text: 'hi' });
		expect(bodyOf(http.last)).toMatchObject({ recipient: CLOUD.bsuid });
		expect(bodyOf(http.last)).not.toHaveProperty('to');
	});

	it('splits texts over 4096 characters, quoting the first part only; a later failure is permanent', async () => {
		const long = `${'a'.repeat(4000)}\n${'b'.repeat(3000)}`;
		const http = new FakeHttp().reply(sent('wamid.1'), sent('wamid.2'));
		expect(await provider.session(http, instance).sendText({ chatId: CLOUD.customer, text: long, quotedMessageId: 'wamid.Q' })).toEqual({ ok: true, messageId: 'wamid.2' });
		expect(http.requests.map((r) => bodyOf(r).text.body.length)).toEqual([4000, 3000]);
		expect(bodyOf(http.requests[1])).not.toHaveProperty('context');
		const failing = new FakeHttp().reply(sent('wamid.1'), graphError(500, 131000, 'Something went wrong'));
		expect(await provider.session(failing, instance).sendText({ chatId: CLOUD.customer, text: long })).toMatchObject({ ok: false, retryable: false, code: 'parts_failed' });
		expect(await provider.session(new FakeHttp(), instance).sendText({ chatId: CLOUD.customer, text: '  ' })).toMatchObject({ ok: false, retryable: false, code: 'empty_text' });
	});
});

describe('errors: retry or not, and why', () => {
	const provider = new CloudProvider();
	const send = (answer: ReturnType<typeof json> | Error) => provider.session(new FakeHttp().reply(answer), instance).sendText({ chatId: CLOUD.customer, text: 'x' });

	it.each([
		[graphError(400, 130429, 'Rate limit hit'), 'cloud_130429', undefined],
		[graphError(400, 131056, 'Pair rate limit hit'), 'cloud_131056', 6000],
		[graphError(400, 131057, 'Account in maintenance mode'), 'cloud_131057', 60000],
		[graphError(500, 131000, 'Something went wrong'), undefined, undefined],
		[graphError(400, 80007, 'Rate limit issues'), undefined, 60000],
		[text(503, 'Service Unavailable'), 'cloud_server_error', undefined],
		[json(429, {}, { 'retry-after': '3' }), 'cloud_130429', 3000],
	])('retryable: %#', async (answer, code, wait) => {
		const r = await send(answer);
		expect(r).toMatchObject({ ok: false, retryable: true });
		if (!r.ok) {
			expect(r.code).toBe(code);
			expect(r.retryAfterMs).toBe(wait);
		}
	});

	it('timeouts and network errors are retryable, without the token in the reason', async () => {
		const t = await send(new Error('ETIMEDOUT: request timed out'));
		expect(t).toMatchObject({ ok: false, retryable: true, code: 'cloud_timeout' });
		const n = await send(new Error(`connect ECONNREFUSED for Bearer ${CLOUD.accessToken}`));
		expect(n).toMatchObject({ ok: false, retryable: true, code: 'network' });
		expect(JSON.stringify(n)).not.toContain(CLOUD.accessToken);
	});

	it.each([
		[graphError(400, 131047, 'Re-engagement message', 'Message failed to send because more than 24 hours have passed'), 'cloud_131047'],
		[graphError(401, 190, 'Error validating access token: Session has expired'), 'cloud_190'],
		[graphError(403, 368, 'Temporarily blocked for policies violations'), 'cloud_368'],
		[graphError(400, 131048, 'Spam rate limit hit'), 'cloud_131048'],
		[graphError(400, 131026, 'Message undeliverable'), 'cloud_131026'],
		[graphError(400, 132001, 'Template name does not exist in the translation'), 'cloud_132001'],
		[json(401, { meta: { success: false, http_code: 401, developer_message: 'Invalid api key' } }), 'cloud_190'],
		[graphError(400, 100, 'Invalid parameter'), undefined],
	])('permanent: %#', async (answer, code) => {
		const r = await send(answer);
		expect(r).toMatchObject({ ok: false, retryable: false });
		if (!r.ok) expect(r.code).toBe(code);
	});

	it('an unknown code keeps Meta\'s words; 2xx without a message id is not retried', async () => {
		const r = await send(graphError(400, 131999, 'Brand new error', 'odd details'));
		expect(!r.ok && describeFailure(r)).toBe('WhatsApp Cloud API: Brand new error (#131999): odd details');
		expect(await send(json(200, { messages: [] }))).toMatchObject({ ok: false, retryable: false, code: 'cloud_no_id' });
	});
});

describe('sending files', () => {
	const provider = new CloudProvider();
	const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

	it('uploads to /media (multipart), then sends by id with caption, filename and quote', async () => {
		const http = new FakeHttp().reply(json(200, { id: 'MEDIA1' }), sent('wamid.F'));
		const r = await provider.session(http, instance).sendFile({ chatId: CLOUD.customer, fileName: 'INV-42.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF-1.4'), caption: 'invoice', quotedMessageId: 'wamid.Q' });
		expect(r).toEqual({ ok: true, messageId: 'wamid.F' });
		const upload = http.requests[0];
		expect(upload).toMatchObject({ method: 'POST', url: `${G}/${CLOUD.phoneNumberId}/media`, headers: { Authorization: `Bearer ${CLOUD.accessToken}` } });
		const parts = parseMultipart(upload.body as Buffer, upload.headers!['Content-Type']);
		expect(parts.map((p) => [p.name, p.filename, p.contentType, p.filename ? p.data.toString() : p.value])).toEqual([
			['messaging_product', undefined, undefined, 'whatsapp'], ['type', undefined, undefined, 'application/pdf'], ['file', 'INV-42.pdf', 'application/pdf', '%PDF-1.4'],
		]);
		expect(bodyOf(http.requests[1])).toEqual({
			messaging_product: 'whatsapp', recipient_type: 'individual', to: CLOUD.customer, context: { message_id: 'wamid.Q' },
			type: 'document', document: { id: 'MEDIA1', caption: 'invoice', filename: 'INV-42.pdf' },
		});
	});

	it('picks the kind from the MIME type; audio carries no caption, so the text follows', async () => {
		const http = new FakeHttp().reply(json(200, { id: 'M2' }), sent('wamid.IMG'), json(200, { id: 'M3' }), sent('wamid.AUD'), sent('wamid.CAP'));
		await provider.session(http, instance).sendFile({ chatId: CLOUD.customer, fileName: 'a.png', mimeType: 'image/png', bytes: PNG, caption: 'label' });
		expect(bodyOf(http.requests[1])).toMatchObject({ type: 'image', image: { id: 'M2', caption: 'label' } });
		expect(await provider.session(http, instance).sendFile({ chatId: CLOUD.customer, fileName: 'v.ogg', mimeType: 'audio/ogg; codecs=opus', bytes: Buffer.from('OggS'), caption: 'listen' })).toEqual({ ok: true, messageId: 'wamid.AUD' });
		expect(bodyOf(http.requests[3])).toEqual(expect.objectContaining({ type: 'audio', audio: { id: 'M3' } }));
		expect(bodyOf(http.requests[4])).toMatchObject({ type: 'text', text: { body: 'listen' } });
	});

	it('refuses, before any upload, types WhatsApp does not take and files over the kind\'s limit', async () => {
		const http = new FakeHttp();
		const gif = await provider.session(http, instance).sendFile({ chatId: CLOUD.customer, fileName: 'a.gif', mimeType: 'image/gif', bytes: Buffer.from('GIF89a') });
		expect(gif).toMatchObject({ ok: false, retryable: false, code: 'cloud_file_type', params: { type: 'image/gif' } });
		const big = await provider.session(http, instance).sendFile({ chatId: CLOUD.customer, fileName: 'a.jpg', mimeType: 'image/jpeg', bytes: Buffer.alloc(5 * 1024 * 1024 + 1) });
		expect(big).toMatchObject({ ok: false, retryable: false, code: 'cloud_file_too_large', params: { kind: 'image', max: 5 * 1024 * 1024 } });
		const sticker = await provider.session(http, instance).sendFile({ chatId: CLOUD.customer, fileName: 's.webp', mimeType: 'image/webp', bytes: Buffer.alloc(200 * 1024) });
		expect(sticker).toMatchObject({ ok: false, code: 'cloud_file_too_large', params: { kind: 'sticker', max: 100 * 1024 } });
		expect(http.requests).toHaveLength(0);
	});

	it('an upload WhatsApp refuses (131053) is permanent', async () => {
		const http = new FakeHttp().reply(graphError(400, 131053, 'Media upload error', 'Unsupported Video/Audio/Image'));
		expect(await provider.session(http, instance).sendFile({ chatId: CLOUD.customer, fileName: 'a.mp4', mimeType: 'video/mp4', bytes: Buffer.from('mp4') })).toMatchObject({ ok: false, retryable: false, code: 'cloud_131053' });
	});
});

describe('downloading media by id', () => {
	const provider = new CloudProvider();
	const policy = { maxBytes: 1000, extraHosts: [] };
	const lookaside = 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=2754859441498128&ext=1&hash=ATs';

	it('resolves the id with the token, then downloads from Meta\'s URL with the token', async () => {
		const http = new FakeHttp().reply(json(200, { messaging_product: 'whatsapp', url: lookaside, mime_type: 'image/jpeg', sha256: 'x', file_size: '8', id: '2754859441498128' }), bytes(200, Buffer.from('JPEGDATA')));
		expect(await provider.session(http, instance).downloadMedia('2754859441498128', policy)).toEqual({ ok: true, bytes: Buffer.from('JPEGDATA'), mimeType: 'image/jpeg' });
		expect(http.requests[0]).toMatchObject({ method: 'GET', url: `${G}/2754859441498128?phone_number_id=${CLOUD.phoneNumberId}`, headers: { Authorization: `Bearer ${CLOUD.accessToken}` } });
		expect(http.requests[1]).toMatchObject({ method: 'GET', url: lookaside, binary: true, headers: { Authorization: `Bearer ${CLOUD.accessToken}` } });
	});

	it('never sends the token to a host that is not Meta\'s, the configured Graph host or one an admin allowed', async () => {
		const http = new FakeHttp().reply(json(200, { url: 'https://evil.example/steal', mime_type: 'image/jpeg' }), json(200, { url: 'http://lookaside.fbsbx.com/x', mime_type: 'image/jpeg' }), json(200, { url: 'https://169.254.169.254/latest', mime_type: 'image/jpeg' }));
		expect(await provider.session(http, instance).downloadMedia('M1', policy)).toMatchObject({ ok: false, retryable: false, code: 'media_host_refused', params: { host: 'evil.example' } });
		expect(await provider.session(http, instance).downloadMedia('M1', policy)).toMatchObject({ ok: false, code: 'media_host_refused' });
		expect(await provider.session(http, instance).downloadMedia('M1', { ...policy, extraHosts: ['169.254.169.254'] })).toMatchObject({ ok: false, code: 'media_host_refused' });
		expect(http.requests).toHaveLength(3);
		const proxy = cloudInstance({ credentials: { ...instance.credentials, graphUrl: 'https://graph-proxy.example.com' } });
		const viaProxy = new FakeHttp().reply(json(200, { url: 'https://graph-proxy.example.com/media/M1', mime_type: 'image/jpeg' }), bytes(200, Buffer.from('x')));
		expect(await provider.session(viaProxy, proxy).downloadMedia('M1', policy)).toMatchObject({ ok: true });
		expect(viaProxy.requests[0].url).toBe(`https://graph-proxy.example.com/${GRAPH_API_VERSION}/M1?phone_number_id=${CLOUD.phoneNumberId}`);
		const fake = cloudInstance({ credentials: { ...instance.credentials, graphUrl: 'http://127.0.0.1:9999' } });
		const viaFake = () => new FakeHttp().reply(json(200, { url: 'http://127.0.0.1:9999/media/M1', mime_type: 'image/jpeg' }), bytes(200, Buffer.from('x')));
		expect(await provider.session(viaFake(), fake).downloadMedia('M1', policy)).toMatchObject({ ok: false, code: 'media_host_refused' });
		expect(await provider.session(viaFake(), fake).downloadMedia('M1', { ...policy, extraHosts: ['127.0.0.1:9999'] })).toMatchObject({ ok: true });
	});

	it('too large by the declared size is refused before downloading; an expired id is gone; 5xx is retried later', async () => {
		const http = new FakeHttp().reply(json(200, { url: lookaside, file_size: 5000 }), graphError(400, 100, 'Unsupported get request. Object with ID does not exist'), graphError(500, 131000, 'Something went wrong'));
		expect(await provider.session(http, instance).downloadMedia('M1', policy)).toMatchObject({ ok: false, retryable: false, code: 'media_too_large' });
		expect(await provider.session(http, instance).downloadMedia('M2', policy)).toMatchObject({ ok: false, retryable: false, code: 'media_gone' });
		expect(await provider.session(http, instance).downloadMedia('M3', policy)).toMatchObject({ ok: false, retryable: true });
		expect(await provider.session(http, instance).downloadMedia('../../etc', policy)).toMatchObject({ ok: false, retryable: false });
		expect(http.requests).toHaveLength(3);
	});
});

describe('templates', () => {
	let provider: CloudProvider;
	beforeEach(() => {
		provider = new CloudProvider();
	});
	const ORDER = template({ name: 'order_update_v1', body: 'Hi {{1}}, order {{2}} ships today.', header: { format: 'IMAGE' }, buttons: [{ type: 'URL', text: 'Track', url: 'https://t.example/{{1}}' }, { type: 'QUICK_REPLY', text: 'Stop' }] });
	const RESERVATION = template({ name: 'reservation_confirmation', named: true, body: 'Your table for {{number_of_guests}} on {{day}} is confirmed.', header: { format: 'TEXT', text: 'Hello {{guest}}' } });
	const CODE = template({ name: 'discount', language: 'de', body: 'Ihr Code', buttons: [{ type: 'COPY_CODE', example: 'SAVE10' }], category: 'MARKETING' });
	// The core passes each template as it was listed (its cache), so sends need no list read.
	const info = (raw: unknown) => templateInfo(raw)!;

	it('lists every page of the account\'s templates', async () => {
		const http = new FakeHttp().reply(
			json(200, { data: [ORDER, RESERVATION], paging: { cursors: { before: 'B', after: 'C1' }, next: `${G}/x?after=C1` } }),
			json(200, { data: [CODE], paging: { cursors: { before: 'C1', after: 'C2' } } }),
		);
		const r = await provider.session(http, instance).templates!.list();
		expect(http.requests.map((q) => q.url)).toEqual([
			`${G}/${CLOUD.wabaId}/message_templates?fields=name%2Cstatus%2Ccategory%2Clanguage%2Ccomponents%2Cparameter_format%2Cquality_score&limit=100`,
			`${G}/${CLOUD.wabaId}/message_templates?fields=name%2Cstatus%2Ccategory%2Clanguage%2Ccomponents%2Cparameter_format%2Cquality_score&limit=100&after=C1`,
		]);
		if (!r.ok) throw new Error(r.reason);
		expect(r.templates).toEqual([
			{
				name: 'order_update_v1', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameterFormat: 'positional', body: 'Hi {{1}}, order {{2}} ships today.', bodyParameters: ['1', '2'],
				header: { format: 'image', parameters: ['link'] },
				buttons: [{ type: 'URL', text: 'Track', parameters: ['1'] }, { type: 'QUICK_REPLY', text: 'Stop', parameters: [] }],
			},
			{
				name: 'reservation_confirmation', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameterFormat: 'named', body: 'Your table for {{number_of_guests}} on {{day}} is confirmed.',
				bodyParameters: ['number_of_guests', 'day'], header: { format: 'text', text: 'Hello {{guest}}', parameters: ['guest'] }, buttons: [],
			},
			{ name: 'discount', language: 'de', status: 'APPROVED', category: 'MARKETING', parameterFormat: 'positional', body: 'Ihr Code', bodyParameters: [], buttons: [{ type: 'COPY_CODE', text: 'COPY_CODE', parameters: ['code'] }] },
		]);
	});

	it('sends positional parameters in order, a media header and button parameters', async () => {
		const http = new FakeHttp().reply(sent('wamid.T1'));
		const r = await provider.session(http, instance).templates!.send({
			chatId: CLOUD.customer, name: 'order_update_v1', language: 'en_US', body: { 2: 'A12345', 1: 'Anna' }, header: { link: 'https://cdn.example/h.png' }, buttons: { 0: 'A12345', 1: 'STOP' }, info: info(ORDER),
		});
		expect(r).toEqual({ ok: true, messageId: 'wamid.T1' });
		expect(http.requests).toHaveLength(1);
		expect(bodyOf(http.last)).toEqual({
			messaging_product: 'whatsapp', recipient_type: 'individual', to: CLOUD.customer, type: 'template',
			template: {
				name: 'order_update_v1', language: { code: 'en_US' },
				components: [
					{ type: 'body', parameters: [{ type: 'text', text: 'Anna' }, { type: 'text', text: 'A12345' }] },
					{ type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/h.png' } }] },
					{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'A12345' }] },
					{ type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP' }] },
				],
			},
		});
	});

	it('sends NAMED parameters with their names, and a copy-code button', async () => {
		const http = new FakeHttp().reply(sent('wamid.T2'), sent('wamid.T2b'), sent('wamid.T3'));
		await provider.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'reservation_confirmation', language: 'en_US', body: { day: 'Friday', number_of_guests: '4' }, header: { text: 'Anna' }, info: info(RESERVATION) });
		expect(bodyOf(http.requests[0]).template.components).toEqual([
			{ type: 'body', parameters: [{ type: 'text', parameter_name: 'number_of_guests', text: '4' }, { type: 'text', parameter_name: 'day', text: 'Friday' }] },
			{ type: 'header', parameters: [{ type: 'text', parameter_name: 'guest', text: 'Anna' }] },
		]);
		// Named parameters given by position (the order of the definition) are named on the wire.
		await provider.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'reservation_confirmation', language: 'en_US', body: { 1: '2', 2: 'Monday' }, header: { text: 'Bo' }, info: info(RESERVATION) });
		expect(bodyOf(http.requests[1]).template.components[0]).toEqual({ type: 'body', parameters: [{ type: 'text', parameter_name: 'number_of_guests', text: '2' }, { type: 'text', parameter_name: 'day', text: 'Monday' }] });
		await provider.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'discount', language: 'de', body: {}, buttons: { 0: 'SAVE10' }, info: info(CODE) });
		expect(bodyOf(http.requests[2]).template.components).toEqual([{ type: 'button', sub_type: 'copy_code', index: '0', parameters: [{ type: 'coupon_code', coupon_code: 'SAVE10' }] }]);
	});

	it('a template status update becomes a neutral template-status event (the core refreshes its list)', () => {
		const update = { object: 'whatsapp_business_account', entry: [{ id: CLOUD.wabaId, changes: [{ field: 'message_template_status_update', value: { event: 'PAUSED', message_template_name: 'order_update_v1', message_template_language: 'en_US' } }] }] };
		expect(provider.webhook.parse({ method: 'POST', headers: {}, query: {}, content: update }, [instance])).toEqual([
			{ type: 'template-status', instanceId: instance.id, name: 'order_update_v1', language: 'en_US', status: 'PAUSED', timestamp: expect.any(Number) },
		]);
	});

	it('refuses missing parameters before sending; a template WhatsApp does not know answers 132001', async () => {
		const http = new FakeHttp().reply(graphError(404, 132001, 'Template name does not exist in the translation'));
		const missing = await provider.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'reservation_confirmation', language: 'en_US', body: { day: 'Friday' }, header: { text: 'x' }, info: info(RESERVATION) });
		expect(missing).toMatchObject({ ok: false, retryable: false, code: 'cloud_template_parameters', params: { missing: 'number_of_guests' } });
		const nope = info(template({ name: 'nope', body: 'x {{1}}' }));
		const unknown = await provider.session(http, instance).templates!.send({ chatId: CLOUD.customer, name: 'nope', language: 'en_US', body: { 1: 'x' }, info: nope });
		expect(unknown).toMatchObject({ ok: false, retryable: false, code: 'cloud_132001' });
		expect(bodyOf(http.last).template).toEqual({ name: 'nope', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'x' }] }] });
	});
});

describe('agent actions and health', () => {
	const provider = new CloudProvider();

	it('reactions, and read receipts with the typing indicator', async () => {
		const http = new FakeHttp().reply(sent('wamid.R'), json(200, { success: true }));
		expect(await provider.session(http, instance).react!({ chatId: CLOUD.customer, messageId: 'wamid.C', emoji: '👍' })).toEqual({ ok: true, messageId: 'wamid.R' });
		expect(bodyOf(http.requests[0])).toMatchObject({ to: CLOUD.customer, type: 'reaction', reaction: { message_id: 'wamid.C', emoji: '👍' } });
		expect(await provider.session(http, instance).markRead!({ chatId: CLOUD.customer, messageId: 'wamid.C' })).toEqual({ ok: true, messageId: 'wamid.C' });
		expect(bodyOf(http.requests[1])).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.C', typing_indicator: { type: 'text' } });
	});

	it('health from the number\'s status, messaging health and quality', async () => {
		const http = new FakeHttp().reply(
			json(200, { status: 'CONNECTED', quality_rating: 'GREEN', health_status: { can_send_message: 'AVAILABLE' }, id: CLOUD.phoneNumberId }),
			json(200, { status: 'CONNECTED', quality_rating: 'RED', health_status: { can_send_message: 'LIMITED' } }),
			json(200, { status: 'BANNED' }),
		);
		expect(await provider.session(http, instance).health!()).toEqual({ ok: true, health: 'connected', detail: 'CONNECTED, quality GREEN' });
		expect(http.last.url).toBe(`${G}/${CLOUD.phoneNumberId}?fields=status%2Cquality_rating%2Chealth_status`);
		expect(await provider.session(http, instance).health!()).toEqual({ ok: true, health: 'restricted', detail: 'CONNECTED, messaging LIMITED, quality RED' });
		expect(await provider.session(http, instance).health!()).toMatchObject({ ok: true, health: 'blocked' });
	});
});

describe('admin', () => {
	const provider = new CloudProvider();

	it('parses `cloud <phone_number_id> <access_token> <waba_id> <app_secret> [department] [graphUrl]`', () => {
		expect(provider.admin.parseAdd([CLOUD.phoneNumberId, CLOUD.accessToken, CLOUD.wabaId, CLOUD.appSecret, 'Support'])).toEqual({
			ok: true, id: CLOUD.phoneNumberId, department: 'Support', credentials: { accessToken: CLOUD.accessToken, wabaId: CLOUD.wabaId, appSecret: CLOUD.appSecret },
		});
		expect(provider.admin.parseAdd([CLOUD.phoneNumberId, CLOUD.accessToken, CLOUD.wabaId, CLOUD.appSecret, '-', 'http://127.0.0.1:8080'])).toMatchObject({ ok: true, department: undefined, credentials: { graphUrl: 'http://127.0.0.1:8080' } });
		for (const bad of [[], ['abc', CLOUD.accessToken, CLOUD.wabaId, CLOUD.appSecret], [CLOUD.phoneNumberId, 'short', CLOUD.wabaId, CLOUD.appSecret], [CLOUD.phoneNumberId, CLOUD.accessToken, CLOUD.wabaId], [CLOUD.phoneNumberId, CLOUD.accessToken, CLOUD.wabaId, CLOUD.appSecret, '-', 'ftp://x']]) {
			expect(provider.admin.parseAdd(bad)).toEqual({ ok: false });
		}
	});

	it('connect reads the number with the token and subscribes the app to the account', async () => {
		const http = new FakeHttp().reply(json(200, { display_phone_number: '+1 555-078-3881', verified_name: 'Acme Support', quality_rating: 'GREEN', id: CLOUD.phoneNumberId }), json(200, { success: true }));
		expect(await provider.session(http, instance).admin.connect()).toEqual({ ok: true, displayNumber: CLOUD.display, health: 'connected', detail: 'Acme Support, quality GREEN' });
		expect(http.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
			`GET ${G}/${CLOUD.phoneNumberId}?fields=display_phone_number%2Cverified_name%2Cquality_rating`,
			`POST ${G}/${CLOUD.wabaId}/subscribed_apps`,
		]);
	});

	it('a token the subscription is not allowed for still connects; a rejected token is bad credentials', async () => {
		const http = new FakeHttp().reply(json(200, { display_phone_number: '15550783881' }), graphError(403, 200, 'Permissions error'), graphError(401, 190, 'Invalid OAuth access token'));
		expect(await provider.session(http, instance).admin.connect()).toMatchObject({ ok: true, displayNumber: CLOUD.display, detail: expect.stringContaining('webhooks not subscribed') });
		const bad = await provider.session(http, instance).admin.connect();
		expect(bad).toMatchObject({ ok: false, badCredentials: true, failure: { code: 'cloud_190' } });
	});

	it('the webhook is pasted by the admin: URL query with the secret, a derived verify token; every secret is known for scrubbing', async () => {
		expect(provider.admin.webhookQuery(instance)).toEqual({ instance: CLOUD.phoneNumberId, secret: CLOUD.webhookSecret });
		expect(await provider.session(new FakeHttp(), instance).admin.configureWebhook('https://rc.example/hook')).toEqual({ ok: true, manual: true, verifyToken: verifyTokenOf(instance) });
		expect(verifyTokenOf(instance)).toMatch(/^[0-9a-f]{32}$/);
		expect(verifyTokenOf(instance)).not.toBe(verifyTokenOf({ webhookSecret: 'other' }));
		expect(provider.admin.primarySecret(instance)).toBe(CLOUD.accessToken);
		expect(provider.admin.secrets(instance).sort()).toEqual([CLOUD.accessToken, CLOUD.appSecret, CLOUD.webhookSecret, verifyTokenOf(instance)].sort());
	});
});

describe('webhook authentication', () => {
	const records = new Map<string, InstanceRecord>([[instance.id, instance]]);
	const lookup: InstanceLookup = { get: async (id) => records.get(id), list: async () => [...records.values()] };
	const signed = (content: Record<string, unknown>, secret: string = CLOUD.appSecret) => ({ 'x-hub-signature-256': sign(metaJson(content), secret) });
	const request = (content: unknown, headers: Record<string, string> = {}, query: Record<string, string> = { instance: instance.id, secret: CLOUD.webhookSecret }): WebhookRequest => ({ method: 'POST', headers, query, content });
	const withPolicy = (p: SignaturePolicy) => new CloudProvider({ signaturePolicy: () => p });
	const content = body(value({ messages: [msg.text('Olá 😀 https://x.example/a')] }));

	it('the URL secret admits a request (constant time); a wrong or missing one is refused', async () => {
		const p = withPolicy('log');
		expect(await p.webhook.authenticate(request(content, signed(content)), lookup)).toEqual({ ok: true, instances: [instance] });
		expect(await p.webhook.authenticate(request(content, signed(content), { instance: instance.id, secret: 'wrong' }), lookup)).toMatchObject({ ok: false });
		expect(await p.webhook.authenticate(request(content, signed(content), { instance: instance.id }), lookup)).toMatchObject({ ok: false });
		expect(await p.webhook.authenticate(request(content, signed(content), { instance: '999', secret: CLOUD.webhookSecret }), lookup)).toMatchObject({ ok: false });
		const otherProvider: InstanceRecord = { ...instance, id: 'g1', provider: 'greenapi' };
		records.set('g1', otherProvider);
		expect(await p.webhook.authenticate(request(content, {}, { instance: 'g1', secret: CLOUD.webhookSecret }), lookup)).toMatchObject({ ok: false });
	});

	it('signature policy, read from the setting on every webhook: log only counts a mismatch, reject refuses it, off does not look', async () => {
		// One provider, its setting changed between requests: nothing is applied to it, it reads the setting.
		let setting: unknown = 'log';
		const p = new CloudProvider({ signaturePolicy: async () => signaturePolicy(setting) });
		expect(p.admin.webhookChecks!(instance)).toBeUndefined();
		expect((await p.webhook.authenticate(request(content, signed(content, 'f'.repeat(32))), lookup)).ok).toBe(true);
		setting = 'reject';
		expect((await p.webhook.authenticate(request(content, signed(content)), lookup)).ok).toBe(true);
		expect(await p.webhook.authenticate(request(content, signed(content, 'f'.repeat(32))), lookup)).toMatchObject({ ok: false, reason: expect.stringContaining('signature mismatch') });
		expect(await p.webhook.authenticate(request(content), lookup)).toMatchObject({ ok: false, reason: expect.stringContaining('signature missing') });
		setting = 'off';
		expect((await p.webhook.authenticate(request(content), lookup)).ok).toBe(true);
		setting = 'nonsense';
		expect((await p.webhook.authenticate(request(content, signed(content, 'f'.repeat(32))), lookup)).ok).toBe(true);
		expect(p.admin.webhookChecks!(instance)).toMatchObject({ matched: 1, mismatched: 3, missing: 1 });
		// Another provider object (another registry) counts its own.
		expect(withPolicy('log').admin.webhookChecks!(instance)).toBeUndefined();
	});

	it('a body naming another number of the same Meta app speaks for it too; another app\'s number is not admitted', async () => {
		const sibling = cloudInstance({ id: '106540352242999' });
		const stranger = cloudInstance({ id: '106540352242777', credentials: { ...instance.credentials, appSecret: 'b'.repeat(32) } });
		records.set(sibling.id, sibling);
		records.set(stranger.id, stranger);
		const both = body(value({ messages: [msg.text('a')] }), value({ phoneNumberId: sibling.id, messages: [msg.text('b')] }), value({ phoneNumberId: stranger.id, messages: [msg.text('c')] }));
		const auth = await withPolicy('log').webhook.authenticate(request(both, signed(both)), lookup);
		expect(auth.ok && auth.instances.map((i) => i.id)).toEqual([instance.id, sibling.id]);
		const events = withPolicy('log').webhook.parse(request(both), auth.ok ? auth.instances : []);
		expect(events.map((e) => e.type)).toEqual(['message', 'message', 'ignored']);
	});

	it('GET verification answers the challenge only for subscribe + the verify token + the URL secret', async () => {
		const p = withPolicy('log');
		const get = (q: Record<string, string>) => p.webhook.handshake!({ method: 'GET', headers: {}, query: { instance: instance.id, secret: CLOUD.webhookSecret, ...q }, content: undefined }, lookup);
		expect(await get({ 'hub.mode': 'subscribe', 'hub.verify_token': verifyTokenOf(instance), 'hub.challenge': '1158201444' })).toEqual({ status: 200, text: '1158201444' });
		expect(await get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1158201444' })).toEqual({ status: 403, text: 'Forbidden' });
		expect(await get({ 'hub.mode': 'unsubscribe', 'hub.verify_token': verifyTokenOf(instance), 'hub.challenge': '1' })).toMatchObject({ status: 403 });
		expect(await get({ 'hub.mode': 'subscribe', 'hub.verify_token': verifyTokenOf(instance), 'hub.challenge': '<script>' })).toMatchObject({ status: 403 });
		expect(await get({ secret: 'nope', 'hub.mode': 'subscribe', 'hub.verify_token': verifyTokenOf(instance), 'hub.challenge': '1' })).toMatchObject({ status: 403 });
	});
});

describe('360dialog', () => {
	const provider = new Dialog360Provider();
	const KEY = 'D360keyForTests0123456789abcdef';
	const d360: InstanceRecord = { id: dialog360InstanceId(KEY), provider: '360dialog', webhookSecret: 'w'.repeat(48), credentials: { apiKey: KEY }, createdAt: 0 };
	const B = 'https://waba-v2.360dialog.io';

	it('parses `360dialog <api_key> [department] [baseUrl]`; the id is derived from the key without showing it', () => {
		const r = provider.admin.parseAdd([KEY, 'Sales', 'https://waba-sandbox.360dialog.io/']);
		expect(r).toEqual({ ok: true, id: d360.id, department: 'Sales', credentials: { apiKey: KEY, baseUrl: 'https://waba-sandbox.360dialog.io' } });
		expect(d360.id).toMatch(/^d360-[0-9a-f]{12}$/);
		expect(d360.id).not.toContain(KEY.slice(0, 6));
		expect(provider.admin.parseAdd(['short'])).toEqual({ ok: false });
	});

	it('the same bodies on its own paths, with the D360-API-KEY header', async () => {
		const http = new FakeHttp().reply(sent('wamid.D'), json(200, { id: 'M9' }), sent('wamid.E'));
		await provider.session(http, d360).sendText({ chatId: CLOUD.customer, text: 'hola' });
		expect(http.requests[0]).toMatchObject({ url: `${B}/messages`, headers: { 'D360-API-KEY': KEY } });
		expect(http.requests[0].headers).not.toHaveProperty('Authorization');
		expect(bodyOf(http.requests[0])).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CLOUD.customer, type: 'text', text: { preview_url: false, body: 'hola' } });
		await provider.session(http, d360).sendFile({ chatId: CLOUD.customer, fileName: 'a.pdf', mimeType: 'application/pdf', bytes: Buffer.from('%PDF') });
		expect(http.requests[1].url).toBe(`${B}/media`);
	});

	it('media: the lookaside URL is fetched from 360dialog\'s host with the key', async () => {
		const http = new FakeHttp().reply(json(200, { url: 'https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3', mime_type: 'image/jpeg' }), bytes(200, Buffer.from('IMG')));
		expect(await provider.session(http, d360).downloadMedia('1234', { maxBytes: 100, extraHosts: [] })).toMatchObject({ ok: true, bytes: Buffer.from('IMG') });
		expect(http.requests.map((r) => r.url)).toEqual([`${B}/1234`, `${B}/whatsapp_business/attachments/?mid=1&ext=2&hash=3`]);
		expect(http.requests[1].headers).toEqual({ 'D360-API-KEY': KEY, Range: 'bytes=0-1048575' });
		// The key never goes to a host an answer names, even one an admin allowed for other providers.
		const elsewhere = new FakeHttp().reply(json(200, { url: 'https://evil.example/x' }));
		expect(await provider.session(elsewhere, d360).downloadMedia('1234', { maxBytes: 100, extraHosts: ['evil.example'] })).toMatchObject({ ok: false, code: 'media_host_refused', params: { host: 'evil.example' } });
		expect(elsewhere.requests).toHaveLength(1);
	});

	it('configures the webhook itself, with the header secret; templates by offset', async () => {
		const http = new FakeHttp().reply(json(200, { url: 'https://rc.example/h' }), json(200, { count: 1, total: 2, offset: 0, limit: 100, waba_templates: [template({ name: 'a', body: 'A' })] }), json(200, { count: 1, total: 2, offset: 1, limit: 100, waba_templates: [template({ name: 'b', body: 'B {{1}}' })] }));
		expect(await provider.session(http, d360).admin.configureWebhook('https://rc.example/h?instance=x&secret=y')).toEqual({ ok: true });
		expect(http.requests[0]).toMatchObject({ method: 'POST', url: `${B}/v1/configs/webhook`, json: { url: 'https://rc.example/h?instance=x&secret=y', headers: { [DIALOG360_SECRET_HEADER]: headerSecretOf(d360) } } });
		const list = await provider.session(http, d360).templates!.list();
		expect(list.ok && list.templates.map((t) => t.name)).toEqual(['a', 'b']);
		expect(http.requests.slice(1).map((r) => r.url)).toEqual([`${B}/v1/configs/templates?limit=100`, `${B}/v1/configs/templates?limit=100&offset=1`]);
	});

	it('connect and health read /health_status', async () => {
		const http = new FakeHttp().reply(json(200, { health_status: { can_send_message: 'AVAILABLE', entities: [{ entity_type: 'PHONE_NUMBER', id: '1065', can_send_message: 'AVAILABLE' }] }, display_phone_number: '+49 151 1234567', verified_name: 'Shop' }));
		expect(await provider.session(http, d360).admin.connect()).toEqual({ ok: true, displayNumber: '491511234567', health: 'connected', detail: 'Shop', credentials: { phoneNumberId: '1065' } });
		expect(http.last.url).toBe(`${B}/health_status?fields=display_phone_number%2Cverified_name%2Cquality_rating`);
		const bad = new FakeHttp().reply(json(401, { meta: { success: false, http_code: 401, developer_message: 'Invalid api key' } }));
		expect(await provider.session(bad, d360).admin.connect()).toMatchObject({ ok: false, badCredentials: true });
	});

	it('a webhook needs both the URL secret and the header secret; there is no GET verification', async () => {
		const lookup: InstanceLookup = { get: async (id) => (id === d360.id ? d360 : undefined), list: async () => [d360] };
		const content = body(value({ messages: [msg.text('x')] }));
		const q = { instance: d360.id, secret: d360.webhookSecret };
		expect(await provider.webhook.authenticate({ method: 'POST', headers: { 'x-webhook-secret': headerSecretOf(d360) }, query: q, content }, lookup)).toEqual({ ok: true, instances: [d360] });
		expect(await provider.webhook.authenticate({ method: 'POST', headers: {}, query: q, content }, lookup)).toMatchObject({ ok: false });
		expect(await provider.webhook.authenticate({ method: 'POST', headers: { 'x-webhook-secret': 'nope' }, query: q, content }, lookup)).toMatchObject({ ok: false });
		expect(await provider.webhook.authenticate({ method: 'POST', headers: { 'x-webhook-secret': headerSecretOf(d360) }, query: { ...q, secret: 'nope' }, content }, lookup)).toMatchObject({ ok: false });
		expect(provider.webhook.handshake).toBeUndefined();
		expect(provider.capabilities).toMatchObject({ redeliveryMs: 24 * 60 * 60_000, sendsPerSecond: 80, serviceWindowMs: 24 * 60 * 60_000 });
		expect(new CloudProvider().capabilities).toMatchObject({ redeliveryMs: 7 * 24 * 60 * 60_000, typing: true });
		// Templates, no journal, no QR: the members say so; no edit or delete on the Cloud API.
		const session = new CloudProvider().session(new FakeHttp(), d360);
		expect(Object.keys(session).sort()).toEqual(['admin', 'checkNumber', 'downloadMedia', 'health', 'markRead', 'react', 'sendFile', 'sendText', 'templates']);
		expect(Object.keys(session.admin).sort()).toEqual(['configureWebhook', 'connect', 'removeWebhook']);
	});
});
