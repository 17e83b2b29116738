// WhatsApp's 24-hour customer-service window and templates, on the real engine with the test-only neutral
// provider (its fake API refuses free text outside the window and checks template parameters, like the
// Cloud API): the window closed → a note with a button → the picker (UIKit modal) → the template sent once
// and shown in the room — every picker driven through Rocket.Chat's web client and its rules (test/runtime/uikit.ts:
// updates reach only the open modal of the same view id, 5 s per interaction); /whatsapp templates, /whatsapp template, the room action button, template status
// updates, the provider's own refusals, the outbound queue, and the marketplace apps' templateMessage API.
import * as path from 'path';
import { FakeNeutralApi, NeutralTemplate, SERVICE_WINDOW_MS } from '../fakes/neutral/FakeNeutralApi';
import { TestRocketChat } from '../runtime/TestRocketChat';
import { TRIGGER_TIMEOUT, WebClient } from '../runtime/uikit';

const ROOT = path.resolve(__dirname, '../..');
// the test build with the neutral provider, packaged before jest runs (test/runtime/variant-zips.js)
const ZIP = path.join(ROOT, 'dist/test/neutral/green-api-whatsapp-bridge_0.1.0.zip');
const NUMBER = '15550001111';
const API_KEY = 'integration-key-0123456789abcdef';
const HOUR = 3_600_000;

const TEMPLATES: NeutralTemplate[] = [
	{ name: 'order_update', language: 'en', status: 'APPROVED', category: 'UTILITY', format: 'positional', body: 'Hello {{1}}, your order {{2}} has shipped.', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.test/track/{{1}}' }] },
	{ name: 'order_update', language: 'de', status: 'APPROVED', category: 'UTILITY', format: 'positional', body: 'Hallo {{1}}, Ihre Bestellung {{2}} ist unterwegs.', buttons: [{ type: 'URL', text: 'Verfolgen', url: 'https://shop.test/track/{{1}}' }] },
	{ name: 'welcome_named', language: 'en', status: 'APPROVED', category: 'MARKETING', format: 'named', body: 'Hi {{first_name}}, welcome to {{shop}}!', header: { format: 'image' } },
	{ name: 'ping', language: 'en', status: 'APPROVED', category: 'UTILITY', body: 'We have news for you.' },
	{ name: 'draft_offer', language: 'en', status: 'PENDING', category: 'MARKETING', body: 'Soon: {{1}}' },
];

describe('the customer-service window and templates (neutral provider on the real engine)', () => {
	let rc: TestRocketChat;
	let api: FakeNeutralApi;
	let agent: { id: string; username: string };
	let salesAgent: { id: string; username: string };
	let admin: { id: string };

	/** The customer writes (through the provider, which notes the time for its own window). */
	const customerSays = async (chat: string, id: string, text: string, at = Date.now(), providerSaw = at) => {
		api.customerWrote(chat, providerSaw);
		const res = await rc.callEndpoint('neutral', {
			method: 'POST', headers: { 'x-neutral-secret': api.webhook!.secret }, query: { number: '555' },
			content: { events: [{ kind: 'text', chat, name: `Customer ${chat}`, id, text, ts: at }] },
		});
		expect(res.status).toBe(200);
		return rc.waitFor(() => rc.rc.rooms.find((r) => r.customFields?.whatsappChat === chat && r.isOpen));
	};
	const providerEvents = (events: unknown[]) =>
		rc.callEndpoint('neutral', { method: 'POST', headers: { 'x-neutral-secret': api.webhook!.secret }, query: { number: '555' }, content: { events } });
	const sentTo = (chat: string) => api.sent.filter((s) => s.body.to === chat);
	const roomMessages = (roomId: string) => rc.rc.messages.filter((m) => m.rid === roomId);
	const notesIn = (roomId: string) => roomMessages(roomId).filter((m) => m.sender.type === 'app');
	const lastNotice = (userId: string) => [...rc.rc.notices].reverse().find((n) => n.userId === userId)?.text || '';
	const button = (m: { blocks?: any[] } | undefined) => m?.blocks?.flatMap((b) => b.elements || []).find((e: any) => e.type === 'button');
	/** The view a UIKit answer opens or updates to. */
	const viewOf = (res: { status: number; content: any }) => {
		expect(res.status).toBe(200);
		expect(['modal.open', 'modal.update']).toContain(res.content?.type);
		return res.content.view;
	};
	/** What Rocket.Chat's client posts when the agent submits a modal (state grouped by block id). */
	const submit = (view: any, state: Record<string, Record<string, string>>, userId = agent.id) =>
		rc.uiInteraction({ type: 'viewSubmit', triggerId: 'trigger-submit', payload: { view: { ...view, state } } }, { userId });
	const inputIds = (view: any) => view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.blockId);
	/** The modal the agent's client shows. */
	const modalOf = (c: WebClient) => {
		expect(c.modal).toBeDefined();
		return c.modal!.view;
	};
	/** The person types into the open modal's inputs (block id = action id in the picker). */
	const type = (c: WebClient, values: Record<string, string>) => Object.entries(values).forEach(([k, v]) => c.setValue(k, k, v));
	/** Everything the client showed since `from` was one modal (one view id), and nothing was dropped or late. */
	const expectOneModal = (c: WebClient, from: number, viewId: string) => {
		expect(c.shown.slice(from).map((s) => s.view.id)).toEqual(c.shown.slice(from).map(() => viewId));
		expect(c.dropped).toEqual([]);
		expect(c.toasts).toEqual([]);
		expect(c.answers.filter((a) => a.late)).toEqual([]);
	};
	/** From the step the picker is at to "Sending…": preview, then Send; returns what the client submitted last. */
	const previewAndSend = async (c: WebClient) => {
		await c.submit();
		expect(modalOf(c).submit?.text.text).toBe('Send');
		const sentView = { ...modalOf(c), state: c.state() };
		await c.submit();
		expect(textOf(modalOf(c))).toContain('Sending *');
		expect(modalOf(c).submit.text.text).toBe('Close'); // the update replaced the Send button
		return sentView;
	};
	const textOf = (view: any) => JSON.stringify(view.blocks);

	beforeAll(async () => {
		api = await FakeNeutralApi.start('neutral-token-123', NUMBER);
		api.templates = TEMPLATES.map((t) => ({ ...t }));
		rc = await TestRocketChat.start({ zipPath: ZIP, acceptChatsWithNoAgents: false, appSettings: { template_api_key: API_KEY } });
		const support = rc.addDepartment({ name: 'Support' });
		const sales = rc.addDepartment({ name: 'Sales' });
		admin = rc.addUser({ username: 'admin', roles: ['admin', 'user'], status: 'online' });
		agent = rc.addUser({ username: 'agent', roles: ['livechat-agent', 'user'], status: 'online', departmentIds: [support.id] });
		salesAgent = rc.addUser({ username: 'sales.agent', roles: ['livechat-agent', 'user'], status: 'online', departmentIds: [sales.id] });
		await rc.runCommand('whatsapp', ['instance', 'add', 'neutral', '555', 'neutral-token-123', api.url, 'Support'], { userId: admin.id });
		expect(api.webhook?.secret).toBeTruthy();
	}, 120_000);
	afterAll(async () => {
		await rc?.stop();
		await api?.stop();
	});

	it('inside the window an agent\'s free text goes to WhatsApp', async () => {
		const room = await customerSays('c-open', 'o1', 'Hello, is my order on its way?');
		await rc.sendUserMessage({ roomId: room.id, userId: agent.id, text: 'Yes, it left today.' });
		const sent = await rc.waitFor(() => sentTo('c-open').find((s) => s.path === '/messages'));
		expect(sent.body.text).toBe('Yes, it left today.');
		await rc.runCommand('whatsapp', ['info'], { userId: agent.id, roomId: room.id });
		expect(lastNotice(agent.id)).toMatch(/Customer-service window: open until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
	});

	let oldRoom: { id: string };
	it('outside the window the text is not sent: a note says why, with a button for the template picker', async () => {
		const wroteAt = Date.now() - 25 * HOUR;
		oldRoom = await customerSays('c-old', 'x1', 'Any news?', wroteAt);
		const agentMsg = await rc.sendUserMessage({ roomId: oldRoom.id, userId: agent.id, text: 'Sorry for the delay!' });
		const note = await rc.waitFor(() => notesIn(oldRoom.id).find((m) => /more than 24 hours/.test(m.text)));
		expect(note.text).toContain(`msg=${agentMsg.id}`); // quotes the agent's message
		expect(note.text).toContain('/whatsapp template');
		expect(button(note)).toMatchObject({ actionId: 'gab-open-template-picker', text: { text: 'Send template' }, value: oldRoom.id });
		expect(note.blocks![0].text.text).toMatch(/^🕐 Not sent to WhatsApp/); // clients show the blocks, not the text
		expect(sentTo('c-old')).toEqual([]);
		expect(api.refusedOutsideWindow).toEqual([]); // the app's own check: nothing went on the wire
		await rc.runCommand('whatsapp', ['info'], { userId: agent.id, roomId: oldRoom.id });
		expect(lastNotice(agent.id)).toContain(`Customer-service window: closed since ${new Date(wroteAt + SERVICE_WINDOW_MS).toISOString().replace('T', ' ').slice(0, 16)} UTC`);
	});

	it('the note\'s button opens the picker (loading while the list is fetched): pick, fill, preview, send — one modal, the template sent once by a job', async () => {
		const c = rc.webClient(agent.id);
		const from = c.shown.length;
		const note = notesIn(oldRoom.id).find((m) => button(m))!;
		const lists = api.templateLists;
		const opened = await c.clickMessageButton({ rid: oldRoom.id, mid: note.id, actionId: 'gab-open-template-picker', blockId: note.blocks![1].blockId, value: oldRoom.id });
		expect(opened).toMatchObject({ answer: 'modal.open', late: false });
		const viewId = modalOf(c).id;
		// No list cached yet: the answer did not wait for the provider; a job fetches the list.
		expect(textOf(modalOf(c))).toContain('Loading the approved templates');
		expect(api.templateLists).toBe(lists);
		await rc.runDueJobs();
		expect(api.templateLists).toBe(lists + 1);
		await c.submit(); // Refresh
		const pick = modalOf(c);
		const options = pick.blocks.find((b: any) => b.blockId === 'tpl-pick').element.options.map((o: any) => o.text.text);
		expect(options).toEqual(['order_update (de)', 'order_update (en)', 'ping (en)', 'welcome_named (en)']); // not the PENDING one
		expect(textOf(pick)).toContain('closed since');

		await c.submit();
		expect(c.modal!.errors).toEqual({ 'tpl-pick': 'Choose a template first' });

		c.setValue('tpl-pick', 'tpl-pick', JSON.stringify(['order_update', 'en']));
		await c.submit();
		expect(inputIds(modalOf(c))).toEqual(['slot|body|1', 'slot|body|2', 'slot|button|0']);
		expect(textOf(modalOf(c))).toContain('Hello {{1}}, your order {{2}} has shipped.');

		type(c, { 'slot|body|1': 'Ann' });
		await c.submit();
		expect(textOf(modalOf(c))).toContain('{{2}} is missing');

		type(c, { 'slot|body|2': 'A-17', 'slot|button|0': 'A-17' });
		await c.submit();
		expect(textOf(modalOf(c))).toContain('Hello Ann, your order A-17 has shipped.');
		expect(modalOf(c).submit.text.text).toBe('Send');

		// Changed after the preview: previewed again, not sent.
		type(c, { 'slot|body|1': 'Anna' });
		const sentView = await previewAndSend(c);
		expect(textOf(sentView)).toContain('Hello Anna, your order A-17 has shipped.');
		expect(sentTo('c-old')).toEqual([]); // the job sends it
		await c.submit(); // Close
		expect(c.modal).toBeUndefined();
		await rc.runDueJobs();
		const sent = await rc.waitFor(() => sentTo('c-old').find((s) => s.path === '/templates/send'));
		expect(sent.body).toMatchObject({ name: 'order_update', language: 'en', body: { 1: 'Anna', 2: 'A-17' }, buttons: { 0: 'A-17' } });
		expectOneModal(c, from, viewId);
		expect(decodeURIComponent(viewId)).toContain(oldRoom.id);

		const shown = roomMessages(oldRoom.id).filter((m) => /Hello Anna, your order A-17 has shipped/.test(m.text));
		expect(shown).toHaveLength(1);
		expect(shown[0].sender).toMatchObject({ id: agent.id, type: 'user' });
		expect(shown[0].text).toContain('WhatsApp template *order_update* (en)');
		// Rocket.Chat told the app's agent-message hook about it; the hook must not send it again.
		await rc.waitFor(() => rc.rc.effects.find((e) => e.kind === 'event' && e.interface === 'IPostMessageSent' && e.messageId === shown[0].id));
		await rc.drain(2000);
		expect(sentTo('c-old').map((s) => s.path)).toEqual(['/templates/send']);
		expect(notesIn(oldRoom.id).filter((m) => /more than 24 hours/.test(m.text))).toHaveLength(1);

		// The same Send posted again (a retried request, a second click from another tab): not sent again.
		const again = await rc.uiInteraction({ type: 'viewSubmit', triggerId: 'retry-1', payload: { view: sentView } }, { userId: agent.id });
		expect(textOf(again.content.view)).toContain('already sent from this window');
		await rc.runDueJobs();
		expect(sentTo('c-old').map((s) => s.path)).toEqual(['/templates/send']);

		// Statuses map to the message shown in the room.
		await providerEvents([{ kind: 'status', chat: 'c-old', id: sent.id, state: 'failed', reason: 'recipient unreachable' }]);
		const failed = await rc.waitFor(() => notesIn(oldRoom.id).find((m) => /recipient unreachable/.test(m.text)));
		expect(failed.text).toContain(`msg=${shown[0].id}`);

		// The modal's claim is forgotten an hour after the Send, by a job (this one job's hour passes here).
		const claims = () => rc.rc.persistence.filter((p) => p.data?.viewId === sentView.id);
		expect(claims()).toHaveLength(1);
		const cleanup = rc.rc.jobs.find((j) => j.processorId === 'gab-tpl-claim-cleanup' && j.data?.viewId === sentView.id)!;
		expect(cleanup.nextRunAt!.getTime() - Date.now()).toBeGreaterThan(55 * 60_000);
		cleanup.nextRunAt = new Date(rc.rc.now().getTime() - 1);
		await rc.runDueJobs();
		expect(claims()).toHaveLength(0);
	});

	it('a template sent where the window is open is not sent a second time as free text either', async () => {
		const room = rc.rc.rooms.find((r) => r.customFields?.whatsappChat === 'c-open')!;
		const before = sentTo('c-open').length;
		await rc.runCommand('whatsapp', ['template', 'ping'], { userId: agent.id, roomId: room.id });
		expect(lastNotice(agent.id)).toBe('✅ Template ping (en) sent to WhatsApp.');
		const shown = roomMessages(room.id).find((m) => /We have news for you/.test(m.text))!;
		await rc.waitFor(() => rc.rc.effects.find((e) => e.kind === 'event' && e.interface === 'IPostMessageSent' && e.messageId === shown.id));
		// A text sent after it goes out; the template stays the only other send.
		await rc.sendUserMessage({ roomId: room.id, userId: agent.id, text: 'sentinel' });
		await rc.waitFor(() => sentTo('c-open').find((s) => s.body.text === 'sentinel'));
		await rc.settle();
		expect(sentTo('c-open').slice(before).map((s) => `${s.path} ${s.body.name || s.body.text}`)).toEqual(['/templates/send ping', '/messages sentinel']);
	});

	it('/whatsapp template sends named parameters, a media header, another language; refuses incomplete values', async () => {
		const before = sentTo('c-old').length;
		await rc.runCommand('whatsapp', ['template', 'welcome_named', 'first_name=Ann', 'shop="Green', 'Shop"', 'header=https://img.test/a.png'], { userId: agent.id, roomId: oldRoom.id });
		expect(lastNotice(agent.id)).toBe('✅ Template welcome_named (en) sent to WhatsApp.');
		await rc.runCommand('whatsapp', ['template', 'order_update', 'de', 'Bernd', 'B-2', 'button1=B-2'], { userId: agent.id, roomId: oldRoom.id });
		await rc.runCommand('whatsapp', ['template', 'order_update', 'Bernd'], { userId: agent.id, roomId: oldRoom.id });
		expect(lastNotice(agent.id)).toContain('several languages (de, en)');
		await rc.runCommand('whatsapp', ['template', 'order_update', 'en', 'Bernd'], { userId: agent.id, roomId: oldRoom.id });
		expect(lastNotice(agent.id)).toMatch(/was not sent:\n• \{\{2\}\} is missing\n• Button 1 "Track" is missing/);
		expect(sentTo('c-old').slice(before).map((s) => s.body)).toEqual([
			expect.objectContaining({ name: 'welcome_named', language: 'en', body: { first_name: 'Ann', shop: 'Green Shop' }, header: { link: 'https://img.test/a.png' } }),
			expect.objectContaining({ name: 'order_update', language: 'de', body: { 1: 'Bernd', 2: 'B-2' }, buttons: { 0: 'B-2' } }),
		]);
		expect(roomMessages(oldRoom.id).find((m) => /Hi Ann, welcome to Green Shop!/.test(m.text))?.text).toContain('image: https://img.test/a.png');
	});

	it('/whatsapp templates lists the approved templates with their parameters; refresh and a status update fetch them again', async () => {
		const lists = api.templateLists;
		await rc.runCommand('whatsapp', ['templates'], { userId: agent.id, roomId: oldRoom.id });
		const text = lastNotice(agent.id);
		expect(text).toMatch(/^\*Approved templates \(4\)\*/);
		expect(text).toContain('• *order_update* (en) · UTILITY — takes: {{1}}, {{2}}, Button 1 "Track"');
		expect(text).toContain('• *welcome_named* (en) · MARKETING — takes: Header image (a link, or the name of a file in this room), {{first_name}}, {{shop}}');
		expect(text).toContain('• *ping* (en) · UTILITY — no parameters');
		expect(text).toContain('Not sendable: draft_offer (en): PENDING');
		expect(api.templateLists).toBe(lists); // from the cache
		await rc.runCommand('whatsapp', ['templates', 'refresh'], { userId: agent.id, roomId: oldRoom.id });
		expect(api.templateLists).toBe(lists + 1);

		api.templates.find((t) => t.name === 'order_update' && t.language === 'de')!.status = 'PAUSED';
		const res = await providerEvents([{ kind: 'template-status', name: 'order_update', language: 'de', status: 'PAUSED' }]);
		expect(res.content.outcomes).toEqual(['template']);
		await rc.runCommand('whatsapp', ['templates'], { userId: agent.id, roomId: oldRoom.id });
		expect(api.templateLists).toBe(lists + 2);
		expect(lastNotice(agent.id)).toMatch(/^\*Approved templates \(3\)\*/);
		expect(lastNotice(agent.id)).toContain('order_update (de): PAUSED');
		await rc.runCommand('whatsapp', ['templates'], { userId: agent.id, roomId: rc.general.id });
		expect(lastNotice(agent.id)).toBe('/whatsapp info works inside a WhatsApp conversation room.');
	});

	it('the room action button opens the picker from the cached list; a send finished after the window was closed is not repeated', async () => {
		const buttons = await rc.actionButtons();
		expect(buttons).toContainEqual(expect.objectContaining({ appId: rc.appId, actionId: 'gab-send-template', context: 'roomAction', labelI18n: 'action_send_template', when: expect.objectContaining({ roomTypes: ['livechat'] }) }));
		const c = rc.webClient(agent.id);
		const from = c.shown.length;
		const lists = api.templateLists;
		expect(await c.clickActionButton({ rid: oldRoom.id, actionId: 'gab-send-template' })).toMatchObject({ answer: 'modal.open', late: false });
		const viewId = modalOf(c).id;
		expect(modalOf(c).blocks.find((b: any) => b.blockId === 'tpl-pick')).toBeDefined();
		c.setValue('tpl-pick', 'tpl-pick', JSON.stringify(['ping', 'en']));
		await c.submit();
		expect(textOf(modalOf(c))).toContain('We have news for you.');
		const before = sentTo('c-old').length;
		const sentView = await previewAndSend(c);
		await c.close(); // the agent closes the window before the job ran
		expect(c.modal).toBeUndefined();
		await rc.runDueJobs();
		expect(sentTo('c-old').slice(before).map((s) => s.body.name)).toEqual(['ping']);
		expect(api.templateLists).toBe(lists); // nothing asked the provider for the list
		expectOneModal(c, from, viewId);
		const again = await rc.uiInteraction({ type: 'viewSubmit', triggerId: 'retry-2', payload: { view: sentView } }, { userId: agent.id });
		expect(textOf(again.content.view)).toContain('already sent from this window');
		await rc.runDueJobs();
		expect(sentTo('c-old').slice(before).map((s) => s.body.name)).toEqual(['ping']);

		await c.clickActionButton({ rid: rc.general.id, actionId: 'gab-send-template' });
		expect(textOf(modalOf(c))).toContain('works inside a WhatsApp conversation room');
		await c.submit(); // Close
		expect(c.modal).toBeUndefined();
		// Another agent, not serving the room, is told so (and could not post there anyway).
		const other = rc.webClient(salesAgent.id);
		await other.clickActionButton({ rid: oldRoom.id, actionId: 'gab-send-template' });
		expect(textOf(modalOf(other))).toContain('Only the agent serving this conversation');
	});

	it('/whatsapp template without arguments opens the picker in the agent\'s client within its triggerId\'s 5 s; the template is sent', async () => {
		const c = rc.webClient(agent.id);
		const from = c.shown.length;
		await c.slashCommand('whatsapp', ['template'], oldRoom.id);
		const viewId = modalOf(c).id;
		expect(c.shown.slice(from).map((s) => s.type)).toEqual(['modal.open']);
		c.setValue('tpl-pick', 'tpl-pick', JSON.stringify(['welcome_named', 'en']));
		await c.submit();
		expect(inputIds(modalOf(c))).toHaveLength(3);
		expect(inputIds(modalOf(c))).toEqual(expect.arrayContaining(['slot|body|first_name', 'slot|body|shop']));
		type(c, Object.fromEntries(inputIds(modalOf(c)).map((id: string) => [id, id.includes('header') ? 'https://img.test/b.png' : id.endsWith('first_name') ? 'Cleo' : 'Blue Shop'])));
		const before = sentTo('c-old').length;
		await previewAndSend(c);
		await rc.runDueJobs();
		expect(sentTo('c-old').slice(before).map((s) => s.body)).toEqual([expect.objectContaining({ name: 'welcome_named', body: { first_name: 'Cleo', shop: 'Blue Shop' }, header: { link: 'https://img.test/b.png' } })]);
		expectOneModal(c, from, viewId);
	});

	it('/whatsapp template <name> opens the fill step for its parameters; preview and send reach the customer', async () => {
		const c = rc.webClient(agent.id);
		const from = c.shown.length;
		await c.slashCommand('whatsapp', ['template', 'order_update', 'en'], oldRoom.id);
		const viewId = modalOf(c).id;
		expect(inputIds(modalOf(c))).toEqual(['slot|body|1', 'slot|body|2', 'slot|button|0']);
		type(c, { 'slot|body|1': 'Dora', 'slot|body|2': 'D-4', 'slot|button|0': 'D-4' });
		const before = sentTo('c-old').length;
		await previewAndSend(c);
		await rc.runDueJobs();
		expect(sentTo('c-old').slice(before).map((s) => s.body)).toEqual([expect.objectContaining({ name: 'order_update', language: 'en', body: { 1: 'Dora', 2: 'D-4' }, buttons: { 0: 'D-4' } })]);
		expectOneModal(c, from, viewId);
	});

	it('/whatsapp template <name> <values> before the list was ever fetched: the picker loads it, previews those values, and sends them', async () => {
		// as for a number whose templates were never listed: no cached list
		const cache = rc.rc.persistence.filter((p) => p.associations.some((a: any) => a.id === 'gab:templates'));
		expect(cache).toHaveLength(1);
		rc.rc.persistence.splice(rc.rc.persistence.indexOf(cache[0]), 1);
		const c = rc.webClient(agent.id);
		const from = c.shown.length;
		const lists = api.templateLists;
		await c.slashCommand('whatsapp', ['template', 'order_update', 'en', 'Eve', 'E-5', 'button1=E-5'], oldRoom.id);
		const viewId = modalOf(c).id;
		expect(textOf(modalOf(c))).toContain('Loading the approved templates');
		expect(api.templateLists).toBe(lists);
		await rc.runDueJobs();
		await c.submit(); // Refresh
		expect(textOf(modalOf(c))).toContain('Hello Eve, your order E-5 has shipped.');
		expect(modalOf(c).submit.text.text).toBe('Send');
		const before = sentTo('c-old').length;
		await c.submit(); // Send: the prefilled values are not in the client's state; the command line's stand
		expect(textOf(modalOf(c))).toContain('Sending *');
		await rc.runDueJobs();
		expect(sentTo('c-old').slice(before).map((s) => s.body)).toEqual([expect.objectContaining({ name: 'order_update', language: 'en', body: { 1: 'Eve', 2: 'E-5' }, buttons: { 0: 'E-5' } })]);
		expectOneModal(c, from, viewId);
	});

	it(`a slow provider does not hold the picker up: with an outdated list it opens within ${TRIGGER_TIMEOUT} ms and a job refreshes the list`, async () => {
		// a status update makes the cached list outdated
		await providerEvents([{ kind: 'template-status', name: 'ping', language: 'en', status: 'APPROVED' }]);
		api.templateListDelayMs = TRIGGER_TIMEOUT + 500;
		const c = rc.webClient(agent.id);
		const lists = api.templateLists;
		try {
			const opened = await c.clickActionButton({ rid: oldRoom.id, actionId: 'gab-send-template' });
			expect(opened).toMatchObject({ answer: 'modal.open', late: false });
			expect(modalOf(c).blocks.find((b: any) => b.blockId === 'tpl-pick')).toBeDefined();
			expect(c.toasts).toEqual([]);
			expect(api.templateLists).toBe(lists);
		} finally {
			api.templateListDelayMs = 0;
		}
		await rc.runDueJobs();
		expect(api.templateLists).toBe(lists + 1);
		await c.close();
	});

	it('the provider\'s own "window closed" answer (its clock says so) is handled the same way, and so is a failed status with that code', async () => {
		const room = await customerSays('c-skew', 's1', 'Hi again', Date.now(), Date.now() - 30 * HOUR);
		await rc.sendUserMessage({ roomId: room.id, userId: agent.id, text: 'Welcome back' });
		// The app's own clock has the window open (the customer wrote just now by it): the note says what the
		// provider said, without a time that contradicts it.
		const closed = /the customer-service window is closed, so it accepts only an approved template now/;
		const note = await rc.waitFor(() => notesIn(room.id).find((m) => closed.test(m.text)));
		expect(note.text).not.toMatch(/UTC|hours ago/);
		expect(button(note)?.actionId).toBe('gab-open-template-picker');
		expect(sentTo('c-skew')).toEqual([]);
		expect(api.refusedOutsideWindow.map((r) => r.body.to)).toEqual(['c-skew']); // tried once: the provider said no
		expect((await rc.rc.persistence.filter((p) => p.associations.some((a) => a.id === 'gab:outbox')))).toEqual([]); // not retried

		api.customerWrote('c-skew');
		await rc.sendUserMessage({ roomId: room.id, userId: agent.id, text: 'Are you there?' });
		const accepted = await rc.waitFor(() => sentTo('c-skew').find((s) => s.body.text === 'Are you there?'));
		await providerEvents([{ kind: 'status', chat: 'c-skew', id: accepted.id, state: 'failed', reason: 're-engagement required', code: 'window_closed' }]);
		await rc.waitFor(() => notesIn(room.id).filter((m) => closed.test(m.text)).length === 2);
		const second = notesIn(room.id).filter((m) => closed.test(m.text))[1];
		expect(second.text).not.toMatch(/UTC|hours ago/);
		expect(second.text).toContain(`msg=`);
		expect(button(second)?.actionId).toBe('gab-open-template-picker');
	});

	it('a template goes through the outbound queue: retried after a provider outage, sent once', async () => {
		api.failSends = 503;
		await rc.runCommand('whatsapp', ['template', 'ping'], { userId: agent.id, roomId: oldRoom.id });
		expect(lastNotice(agent.id)).toMatch(/^⏳ Template ping is queued and will be retried \(HTTP 503/);
		await rc.waitFor(() => notesIn(oldRoom.id).find((m) => /did not accept the message yet/.test(m.text)));
		api.failSends = undefined;
		const before = sentTo('c-old').length;
		rc.advanceClock(2 * 60_000);
		await rc.runDueJobs();
		await rc.waitFor(() => sentTo('c-old').length > before);
		await rc.settle();
		expect(sentTo('c-old').slice(before).map((s) => s.body.name)).toEqual(['ping']);
	});

	describe('POST templateMessage (the marketplace apps\' API)', () => {
		const body = (over: Record<string, unknown> = {}) => ({
			phoneNumbers: ['+1 555 000-3333', '15550002222'],
			connectedWhatsAppNo: `+${NUMBER}`,
			targetAgent: 'sales.agent',
			targetDepartment: 'Sales',
			template: {
				name: 'order_update', language: { code: 'en', policy: 'deterministic' },
				components: [
					{ type: 'body', parameters: [{ type: 'text', text: 'Chris' }, { type: 'text', text: 'C-3' }] },
					{ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'C-3' }] },
				],
			},
			...over,
		});
		const post = (content: unknown, headers: Record<string, string> = { 'x-api-key': API_KEY }) => rc.callEndpoint('templateMessage', { method: 'POST', headers, content });

		it('refuses a caller without credentials, with a wrong key, or a plain agent, before anything else', async () => {
			const before = api.sent.length;
			expect(await post(body(), {})).toMatchObject({ status: 401, content: { status: 'error', message: 'You must be logged in to do this.' } });
			expect((await post(body(), { 'x-api-key': 'integration-key-0123456789abcdeX' })).status).toBe(401);
			expect((await post(body(), { authorization: `Bearer ${API_KEY.slice(0, -1)}` })).status).toBe(401);
			expect((await post(body(), { 'x-user-id': agent.id, 'x-auth-token': 'forged' })).status).toBe(401);
			const forbidden = await post(body(), { 'x-user-id': agent.id, 'x-auth-token': rc.loginToken(agent.id) });
			expect(forbidden).toMatchObject({ status: 403, content: { success: false } });
			expect(api.sent.length).toBe(before);
		});

		it('answers 400 with the reason for a bad body, an unknown number, template, agent or department, or missing parameters', async () => {
			const cases: Array<[unknown, RegExp]> = [
				[['not', 'an object'], /JSON object/],
				[body({ phoneNumbers: [] }), /phoneNumbers/],
				[body({ phoneNumbers: Array.from({ length: 251 }, (_, i) => `1555${i}`) }), /<= 250/],
				[body({ connectedWhatsAppNo: '4900000' }), /4900000 is not a connected number/],
				[body({ targetAgent: 'nobody' }), /No Agent found with username nobody/],
				[body({ targetDepartment: 'Nowhere' }), /No Department found with id\/Name Nowhere/],
				[body({ template: { name: 'no_such', language: { code: 'en' }, components: [] } }), /No approved template no_such \(en\)/],
				[body({ template: { name: 'order_update', language: { code: 'en' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'x' }] }] } }), /\{\{2\}\} is missing/],
				[body({ template: 'order_update' }), /template must be an object/],
			];
			for (const [content, error] of cases) {
				const res = await post(content);
				expect([res.status, res.content?.error]).toEqual([400, expect.stringMatching(error)]);
			}
		});

		it('sends to two recipients with a result for each: an existing customer\'s room reused, a new one opened for the target agent and department', async () => {
			const existing = await customerSays('15550003333', 'e1', 'I bought something', Date.now() - 2 * HOUR);
			const rooms = rc.rc.rooms.length;
			const res = await post(body());
			expect(res.status).toBe(200);
			expect(res.content.success).toBe(true);
			expect(res.content.results).toEqual([
				{ phoneNumber: '+1 555 000-3333', success: true, status: 'sent', messageId: expect.any(String), roomId: existing.id, room: 'reused' },
				{ phoneNumber: '15550002222', success: true, status: 'sent', messageId: expect.any(String), roomId: expect.any(String), room: 'opened' },
			]);
			expect(rc.rc.rooms.length).toBe(rooms + 1);
			const opened = rc.rc.room(res.content.results[1].roomId)!;
			expect(opened).toMatchObject({ type: 'l', isOpen: true, departmentId: rc.rc.department('Sales')!.id, servedBy: { id: salesAgent.id }, customFields: { whatsappInstance: '555', whatsappChat: '15550002222' } });
			expect(rc.rc.visitor(opened.visitorId)?.phone).toEqual([{ phoneNumber: '+15550002222' }]);
			for (const chat of ['15550003333', '15550002222']) {
				expect(sentTo(chat).map((s) => s.body)).toEqual([expect.objectContaining({ name: 'order_update', body: { 1: 'Chris', 2: 'C-3' }, buttons: { 0: 'C-3' } })]);
			}
			const shown = roomMessages(opened.id).find((m) => /Hello Chris, your order C-3 has shipped/.test(m.text))!;
			expect(shown.sender.type).toBe('app');
			expect(shown.text).toContain('sent through the API');
			// The customer's answer lands in the room the template opened (no second visitor or room).
			await customerSays('15550002222', 'n1', 'Thanks, got it');
			expect(roomMessages(opened.id).map((m) => m.text)).toContain('Thanks, got it');
			expect(rc.rc.rooms.length).toBe(rooms + 1);
			await rc.settle();
			expect(sentTo('15550002222')).toHaveLength(1); // the app's own message was not sent again
		});

		it('works for an admin\'s Rocket.Chat login too, and reports a bad phone number per recipient', async () => {
			const res = await post(body({ phoneNumbers: ['12', '15550003333'], targetAgent: undefined, targetDepartment: undefined }), { 'x-user-id': admin.id, 'x-auth-token': rc.loginToken(admin.id) });
			expect(res.status).toBe(200);
			expect(res.content.success).toBe(false);
			expect(res.content.results).toEqual([
				{ phoneNumber: '12', success: false, status: 'failed', error: 'not a phone number (6 to 15 digits)' },
				expect.objectContaining({ phoneNumber: '15550003333', success: true, status: 'sent', room: 'reused' }),
			]);
			const room = rc.rc.rooms.find((r) => r.customFields?.whatsappChat === '15550003333')!;
			expect(roomMessages(room.id).filter((m) => /sent through the API by admin/.test(m.text))).toHaveLength(1);
		});
	});
});
