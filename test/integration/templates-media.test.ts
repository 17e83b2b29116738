// Templates complete, on the real engine against the fake Graph API and the fake 360dialog: a file already in the room (the agent's
// or the customer's) becomes a template's media header — uploaded to the number's /media by the job that
// sends it, never inside a UIKit answer, and sent by its media id; authentication templates take a one-time
// code; a request-contact-info button goes out without a value; and a template WhatsApp would refuse is
// refused before anything is sent, with the reason, in the picker, the command and the templateMessage API.
import { authTemplate, CLOUD, msg, template } from '../fixtures/cloud';
import { FakeDialog360, FakeGraphApi } from '../fakes/FakeCloudApi';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';
import { WebClient } from '../runtime/uikit';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const API_KEY = 'media-templates-key-0123456789abcdef';

describe.each(['cloud', '360dialog'] as const)('templates with media headers, one-time codes and contact-info buttons (%s on the real engine)', (provider) => {
	let w: CloudWorld;
	let fake: FakeGraphApi | FakeDialog360;
	let roomId: string;

	const uploads = () => fake.requests.filter((r) => r.httpMethod === 'POST' && r.path.endsWith('/media'));
	const templatesSent = () => fake.sent.filter((s) => s.type === 'template');
	const modalOf = (c: WebClient) => {
		expect(c.modal).toBeDefined();
		return c.modal!.view;
	};
	const textOf = (view: any) => JSON.stringify(view.blocks);
	const inputIds = (view: any) => view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.blockId);
	const type = (c: WebClient, values: Record<string, string>) => Object.entries(values).forEach(([k, v]) => c.setValue(k, k, v));
	/** `/whatsapp template …` in the agent's client; a list not cached yet is loaded by its job, then Refresh. */
	const openPicker = async (c: WebClient, args: string[]) => {
		await c.slashCommand('whatsapp', ['template', ...args], roomId);
		if (textOf(modalOf(c)).includes('Loading the approved templates')) {
			await w.rc.runDueJobs();
			await c.submit(); // Refresh
		}
		return modalOf(c);
	};
	const templateMessage = (content: Record<string, unknown>) =>
		w.rc.callEndpoint('templateMessage', { method: 'POST', headers: { 'x-api-key': API_KEY }, content: { connectedWhatsAppNo: `+${CLOUD.display}`, phoneNumbers: [`+${CLOUD.customer}`], ...content } });

	beforeAll(async () => {
		w = await startCloudWorld({ provider, appSettings: { template_api_key: API_KEY } });
		fake = w.fake;
		fake.addTemplate(CLOUD.wabaId, template({
			name: 'spring_sale', category: 'MARKETING', header: { format: 'IMAGE', example: { header_handle: ['https://example.test/h.png'] } },
			body: 'Hi {{1}}, our spring sale starts today.', footer: 'Reply STOP to opt out',
			buttons: [{ type: 'URL', text: 'Shop now', url: 'https://shop.test/s/{{1}}' }, { type: 'QUICK_REPLY', text: 'Not now' }, { type: 'REQUEST_CONTACT_INFO', text: 'Share my number' }],
		}));
		fake.addTemplate(CLOUD.wabaId, template({ name: 'invoice_ready', header: { format: 'DOCUMENT' }, body: 'Your invoice {{1}} is attached.' }));
		fake.addTemplate(CLOUD.wabaId, template({ name: 'order_titled', header: { format: 'TEXT', text: 'Order {{1}}' }, body: 'Thanks {{1}}, we got it.' }));
		fake.addTemplate(CLOUD.wabaId, authTemplate({ name: 'login_code' }));
		expect(await w.customerSends(msg.text('Hi, do you have a sale on?'))).toMatchObject({ status: 200 });
		roomId = w.roomOf(CLOUD.customer);
	}, 120_000);
	afterAll(async () => {
		await w?.stop();
	});

	it('the agent posts a picture in the room, then sends the sale template with it as the image header: uploaded by the job, sent by media id', async () => {
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, file: { name: 'sale.png', bytes: PNG } });
		await w.rc.waitFor(() => fake.sent.find((s) => s.type === 'image'));
		const c = w.rc.webClient(w.agent.id);
		const fill = await openPicker(c, ['spring_sale']);
		// The picker names the room's files that fit an image header.
		expect(textOf(fill)).toContain('Files in this room that fit the header: sale.png');
		expect(inputIds(fill)).toEqual(['slot|header-link|image', 'slot|body|1', 'slot|button|0']);
		type(c, { 'slot|header-link|image': 'sale.png', 'slot|body|1': 'Ann', 'slot|button|0': 'ann-42' });
		await c.submit(); // Preview
		expect(textOf(modalOf(c))).toContain('image: sale.png');
		expect(modalOf(c).submit.text.text).toBe('Send');
		const uploadsBefore = uploads().length;
		const sentBefore = templatesSent().length;
		await c.submit(); // Send: the answer only says "Sending"; the upload is the job's
		expect(textOf(modalOf(c))).toContain('Sending *');
		expect(c.answers.filter((a) => a.late)).toEqual([]);
		expect(uploads().length).toBe(uploadsBefore);
		await w.rc.runDueJobs();
		const sent = await w.rc.waitFor(() => templatesSent()[sentBefore]);
		expect(uploads().length).toBe(uploadsBefore + 1);
		const header = sent.body.template.components.find((x: any) => x.type === 'header').parameters[0];
		expect(header).toEqual({ type: 'image', image: { id: expect.any(String) } });
		// The media id is the file the agent posted, byte for byte, uploaded for this number.
		expect(fake.mediaFile(header.image.id)).toMatchObject({ mimeType: 'image/png' });
		expect(Buffer.compare(fake.mediaBytes(header.image.id)!, PNG)).toBe(0);
		// The contact-info and quick-reply buttons go without a value; the URL button with its suffix.
		expect(sent.body.template.components.filter((x: any) => x.type === 'button')).toEqual([{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'ann-42' }] }]);
		const shown = w.roomMessages(roomId).find((m: any) => /spring_sale/.test(m.text || ''));
		expect(shown.text).toContain('image: sale.png');
		expect(shown.text).toContain('🔘 Shop now  🔘 Not now  🔘 Share my number');
	});

	it('a picture of the wrong kind, or a name not in the room, is refused in the preview with the reason; nothing reaches WhatsApp', async () => {
		await w.customerSends(msg.document(fake.addMedia(CLOUD.phoneNumberId, '%PDF-1.4 invoice 42', 'application/pdf'), 'INV-42.pdf', 'my invoice'));
		await w.rc.runDueJobs();
		await w.rc.waitFor(() => w.rc.rc.uploads.find((u) => u.name === 'INV-42.pdf'));
		const requestsBefore = fake.requests.length;
		const c = w.rc.webClient(w.agent.id);
		// The command line: the agent is told why.
		const answer = await w.answers(w.agent.id, 'template spring_sale Ann header=INV-42.pdf button1=a1', roomId);
		expect(answer).toContain('The template spring_sale was not sent:');
		expect(answer).toContain('INV-42.pdf is application/pdf: the image header takes image/jpeg, image/png');
		// The picker: the preview says why, and offers no Send.
		await openPicker(c, ['spring_sale']);
		type(c, { 'slot|header-link|image': 'INV-42.pdf', 'slot|body|1': 'Ann', 'slot|button|0': 'a1' });
		await c.submit();
		expect(textOf(modalOf(c))).toContain('INV-42.pdf is application/pdf: the image header takes image/jpeg, image/png');
		expect(modalOf(c).submit.text.text).toBe('Preview');
		type(c, { 'slot|header-link|image': 'missing.png' });
		await c.submit();
		expect(textOf(modalOf(c))).toContain('there is no file named \\"missing.png\\" in this room');
		expect(modalOf(c).submit.text.text).toBe('Preview');
		expect(fake.requests.length).toBe(requestsBefore);
	});

	it('the customer\'s own PDF goes back as the invoice template\'s document header, from the command line (uploaded by the send job)', async () => {
		const uploadsBefore = uploads().length;
		const sentBefore = templatesSent().length;
		const answer = await w.answers(w.agent.id, 'template invoice_ready INV-42 header=INV-42.pdf', roomId);
		expect(answer).toContain('⏳ Sending *invoice_ready* (en_US) with INV-42.pdf: the file is uploaded to WhatsApp first');
		expect(uploads().length).toBe(uploadsBefore);
		await w.rc.runDueJobs();
		const sent = await w.rc.waitFor(() => templatesSent()[sentBefore]);
		expect(sent.body.template.name).toBe('invoice_ready');
		const header = sent.body.template.components.find((x: any) => x.type === 'header').parameters[0];
		expect(header).toEqual({ type: 'document', document: { id: expect.any(String), filename: 'INV-42.pdf' } });
		expect(fake.mediaBytes(header.document.id)!.toString()).toBe('%PDF-1.4 invoice 42');
		expect(uploads().length).toBe(uploadsBefore + 1);
	});

	it('an authentication template takes the one-time code: in the body and on the copy-code button; a code over 15 characters is refused before sending', async () => {
		const before = templatesSent().length;
		const refused = await w.answers(w.agent.id, 'template login_code 1234567890123456', roomId);
		expect(refused).toContain('One-time code is longer than 15 characters');
		expect(templatesSent().length).toBe(before);
		const ok = await w.answers(w.agent.id, 'template login_code 482910', roomId);
		expect(ok).toContain('✅');
		const sent = templatesSent().slice(-1)[0].body.template;
		expect(sent).toMatchObject({ name: 'login_code', components: [
			{ type: 'body', parameters: [{ type: 'text', text: '482910' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '482910' }] },
		] });
		expect(w.roomMessages(roomId).slice(-2).map((m: any) => m.text).join('\n')).toContain('*482910* is your verification code.');
	});

	it('the authentication template from the picker: one input, the code', async () => {
		const c = w.rc.webClient(w.agent.id);
		expect(inputIds(await openPicker(c, ['login_code']))).toEqual(['slot|code|1']);
		type(c, { 'slot|code|1': '12 34' });
		await c.submit();
		expect(textOf(modalOf(c))).toContain('the one-time code cannot contain spaces');
		type(c, { 'slot|code|1': '551177' });
		await c.submit();
		expect(modalOf(c).submit.text.text).toBe('Send');
		const before = templatesSent().length;
		await c.submit();
		await w.rc.runDueJobs();
		const sent = await w.rc.waitFor(() => templatesSent()[before]);
		expect(sent.body.template.components[1]).toEqual({ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: '551177' }] });
	});

	it('templateMessage: a media id the caller uploaded and an authentication code are sent; a header over 60 characters or a code over 15 are refused with the reason, nothing sent', async () => {
		const mediaId = fake.addMedia(CLOUD.phoneNumberId, PNG, 'image/png');
		const before = templatesSent().length;
		const ok = await templateMessage({ template: { name: 'spring_sale', language: { code: 'en_US' }, components: [
			{ type: 'header', parameters: [{ type: 'image', image: { id: mediaId } }] },
			{ type: 'body', parameters: [{ type: 'text', text: 'Bea' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'bea-1' }] },
		] } });
		expect(ok).toMatchObject({ status: 200, content: { success: true, results: [{ status: 'sent' }] } });
		expect(templatesSent()[before].body.template.components.find((x: any) => x.type === 'header')).toEqual({ type: 'header', parameters: [{ type: 'image', image: { id: mediaId } }] });
		const otp = await templateMessage({ template: { name: 'login_code', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '909090' }] }] } });
		expect(otp).toMatchObject({ status: 200, content: { success: true } });
		expect(templatesSent()[before + 1].body.template.components[1]).toMatchObject({ sub_type: 'url', parameters: [{ text: '909090' }] });

		const requestsBefore = fake.requests.length;
		const long = await templateMessage({ template: { name: 'order_titled', language: { code: 'en_US' }, components: [
			{ type: 'header', parameters: [{ type: 'text', text: 'x'.repeat(60) }] }, { type: 'body', parameters: [{ type: 'text', text: 'Cy' }] },
		] } });
		expect(long).toMatchObject({ status: 400, content: { success: false, error: 'Header is longer than 60 characters' } });
		const code = await templateMessage({ template: { name: 'login_code', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '1234567890123456' }] }] } });
		expect(code).toMatchObject({ status: 400, content: { error: 'One-time code is longer than 15 characters' } });
		const contact = await templateMessage({ template: { name: 'spring_sale', language: { code: 'en_US' }, components: [
			{ type: 'header', parameters: [{ type: 'image', image: { id: mediaId } }] }, { type: 'body', parameters: [{ type: 'text', text: 'Bea' }] },
			{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'bea-1' }] },
			{ type: 'button', sub_type: 'url', index: '2', parameters: [{ type: 'text', text: '+4917012345' }] },
		] } });
		expect(contact).toMatchObject({ status: 400, content: { error: 'Button 3 "Share my number" takes no value' } });
		expect(fake.requests.slice(requestsBefore).filter((r) => r.path.endsWith('/messages'))).toEqual([]);
	});
});
