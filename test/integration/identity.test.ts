// One customer, one conversation, whatever WhatsApp names them by — on the real engine against the fake
// Graph API. A customer writes under her phone, her business-scoped user id (BSUID), its parent id and her
// username; statuses name her by one id or another; her BSUID changes; a username-only customer is asked
// for the number and shares it; a Brazilian number written with the 9th digit answers from the wa_id
// without it. Each time: one visitor, one room, and the agent's messages reach her.
import { CLOUD, msg, template, wamid } from '../fixtures/cloud';
import { FakeGraphApi, SignedWebhook, waIdFor } from '../fakes/FakeCloudApi';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';
import { startWorld, World } from './support/world';
import { GA, nextMessageId, status, textMessage } from '../fixtures/greenapi';

const API_KEY = 'identity-key-0123456789abcdef0123';

describe('one customer, one conversation, whatever identifies them (Cloud API)', () => {
	let w: CloudWorld;
	let fake: FakeGraphApi;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: 'cloud', appSettings: { template_api_key: API_KEY } });
		fake = w.fake as FakeGraphApi;
		fake.addTemplate(CLOUD.wabaId, template({ name: 'order_update', body: 'Hi {{1}}, order {{2}} ships today.' }));
	});
	afterAll(async () => {
		await w?.stop();
	});

	/**
	 * Posts a webhook and waits until the app recorded each of its messages on a contact (the webhook is
	 * answered as soon as a message is in the room; the contact record is written right after).
	 */
	const send = async (hook: SignedWebhook) => {
		const res = await w.post(hook);
		const ids = ((hook.content as any).entry[0].changes[0].value.messages || []).map((m: any) => m.id as string);
		await w.rc.waitFor(() => ids.every((id: string) => contacts().some((c) => c.dedupe?.ids?.includes(id))), 10_000, `messages ${ids.join(', ')} recorded`);
		return res;
	};
	const post = (value: Parameters<FakeGraphApi['webhook']>[1]) => send(fake.webhook(CLOUD.phoneNumberId, value, CLOUD.appSecret));
	const customerSends = (...messages: Array<Record<string, unknown>>) => post({ messages });
	const texts = (roomId: string) => w.roomMessages(roomId).map((m: any) => m.text as string);
	/** The contact records the app keeps (one per conversation key). */
	const contacts = () => w.rc.rc.persistence.filter((p) => Array.isArray(p.data?.links) && p.data?.instanceId === w.instanceId).map((p) => p.data);
	const contactInRoom = (roomId: string) => contacts().find((c) => c.roomId === roomId);
	const roomsOfVisitor = (token: string) => w.rc.rc.rooms.filter((r: any) => r.type === 'l' && r.visitorToken === token);
	/** Livechat rooms and visitors whose token is this conversation's (the app derives one token per contact). */
	const oneConversation = (roomId: string) => {
		const contact = contactInRoom(roomId)!;
		expect(contact).toBeDefined();
		expect(w.rc.rc.visitors.filter((v: any) => v.name === contact.name || v.token === contact.visitorToken)).toHaveLength(1);
		expect(roomsOfVisitor(contact.visitorToken)).toHaveLength(1);
		return contact;
	};
	const textFrom = (from: string, text: string, extra: Record<string, unknown> = {}) => ({ ...msg.text(text, { from }), ...extra });
	const reactionFrom = (from: string, target: string, emoji: string) => ({ from, id: wamid(), timestamp: String(Math.floor(Date.now() / 1000)), type: 'reaction', reaction: { message_id: target, emoji } });
	const agentWrites = async (roomId: string, text: string) => {
		const before = fake.sent.length;
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text });
		const sent = await fake.waitForSent(before + 1);
		return sent[before];
	};
	const linkState = (roomId: string, wa: string) => contactInRoom(roomId)?.links.find((l: any) => l.wa === wa)?.state;

	it('Ana writes under her phone, then with her BSUID, parent id and username, then under the BSUID alone: one visitor, one room; a read status naming only her user id marks the agent\'s message read; her reaction and quote under the BSUID land there', async () => {
		const ana = { waId: '4915799990001', userId: 'DE.11112222333344445555', parentUserId: 'DE.ENT.99998888777766665555', username: '@ana.k', name: 'Ana Krause' };
		// Before usernames: the phone (wa_id) is all the webhook says.
		expect((await customerSends(msg.text('hello, where is my order?', { from: ana.waId }))).status).toBe(200);
		const roomId = w.roomOf(ana.waId);
		// The 2026 shape: contacts[] with user_id, parent_user_id and username, from_user_id on the message.
		fake.person(ana);
		expect((await customerSends(msg.text('it was order 42', { from: ana.waId }))).status).toBe(200);
		// Her phone withheld: the message names her by BSUID (and username) only.
		expect((await post({ messages: [textFrom(ana.userId, 'writing as @ana.k now', { from_user_id: ana.userId })], contacts: [{ profile: { name: '', username: ana.username }, user_id: ana.userId, parent_user_id: ana.parentUserId }] })).status).toBe(200);
		expect(texts(roomId)).toEqual(['hello, where is my order?', 'it was order 42', 'writing as @ana.k now']);
		const contact = oneConversation(roomId);
		expect(contact.chatId).toBe(ana.waId);
		expect(contact.people).toEqual(expect.arrayContaining([`phone:+${ana.waId}`, `user-id:${ana.userId}`, `parent-user-id:${ana.parentUserId}`, `username:${ana.username}`]));

		// The agent answers; WhatsApp's read status names her by user id only.
		const sent = await agentWrites(roomId, 'It ships today');
		expect(sent.body).toMatchObject({ to: ana.waId, text: { body: 'It ships today' } });
		await w.post(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: sent.id, status: 'delivered', naming: 'user-id' }], CLOUD.appSecret));
		await w.post(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: sent.id, status: 'read', naming: 'user-id' }], CLOUD.appSecret));
		await w.rc.waitFor(() => linkState(roomId, sent.id) === 'read', 10_000, 'the agent\'s message read');

		// Her reaction and her quote of the agent's message, under the BSUID.
		const agentRc = contactInRoom(roomId).links.find((l: any) => l.wa === sent.id).rc;
		await post({ messages: [reactionFrom(ana.userId, sent.id, '👍')], contacts: [{ profile: { name: '' }, user_id: ana.userId }] });
		await post({ messages: [msg.withContext(textFrom(ana.userId, 'thanks!'), sent.id, { from: CLOUD.display })], contacts: [{ profile: { name: '' }, user_id: ana.userId }] });
		expect(texts(roomId).slice(-2)).toEqual([
			`[ ](http://rc.test/live/${roomId}?msg=${agentRc}) Reacted 👍 to this message`,
			`[ ](http://rc.test/live/${roomId}?msg=${agentRc}) thanks!`,
		]);
		oneConversation(roomId);
		expect(contacts().filter((c) => [ana.waId, ana.userId].includes(c.chatId))).toHaveLength(1);
	});

	it('a failed status naming the customer by user id only is told in the room of the customer known by phone', async () => {
		const bo = { waId: '4915799990002', userId: 'DE.22223333444455556666', name: 'Bo' };
		fake.person(bo);
		await customerSends(msg.text('hi', { from: bo.waId }));
		const roomId = w.roomOf(bo.waId);
		const sent = await agentWrites(roomId, 'a file is coming');
		await w.post(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: sent.id, status: 'failed', naming: 'user-id', errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable' }] }], CLOUD.appSecret));
		await w.rc.waitFor(() => texts(roomId).some((t) => t.includes('Not delivered')), 10_000, 'the failure note');
		expect(linkState(roomId, sent.id)).toBe('failed');
	});

	it('a username customer\'s BSUID changes (user_changed_user_id): the new id writes into the same room, and replies go to it', async () => {
		const cy = { userId: 'BR.33334444555566667777', username: '@cy', name: 'Cy' };
		fake.person(cy);
		await post({ messages: [textFrom(cy.userId, 'olá')], contacts: [{ profile: { name: cy.name, username: cy.username }, user_id: cy.userId }] });
		const roomId = w.roomOf(cy.userId);
		const newId = 'BR.77776666555544443333';
		expect((await send(fake.userIdChanged(CLOUD.phoneNumberId, cy.userId, newId, CLOUD.appSecret))).status).toBe(200);
		await post({ messages: [textFrom(newId, 'still me')], contacts: [{ profile: { name: cy.name, username: cy.username }, user_id: newId }] });
		expect(texts(roomId).slice(-1)).toEqual(['still me']);
		const contact = oneConversation(roomId);
		expect(contact).toMatchObject({ chatId: cy.userId, sendTo: newId });
		const sent = await agentWrites(roomId, 'tudo certo');
		expect(sent.body).toMatchObject({ recipient: newId, text: { body: 'tudo certo' } });
		expect(sent.body.to).toBeUndefined();
	});

	it('an agent asks a username-only customer for the number (/whatsapp ask-number); the shared number joins the contact, the visitor and later messages', async () => {
		const di = { waId: '4915799990004', userId: 'DE.44445555666677778888', username: '@di', name: 'Di' };
		fake.person(di);
		await post({ messages: [textFrom(di.userId, 'can you call me?')], contacts: [{ profile: { name: di.name, username: di.username }, user_id: di.userId }] });
		const roomId = w.roomOf(di.userId);
		expect(contactInRoom(roomId).phone ?? undefined).toBeUndefined();

		const before = fake.sent.length;
		const answer = await w.answers(w.agent.id, 'ask-number', roomId);
		expect(answer).toBe('The customer was asked to share their phone number. When they do, it is added to the contact.');
		const [asked] = (await fake.waitForSent(before + 1)).slice(before);
		expect(asked.body).toEqual({
			messaging_product: 'whatsapp', recipient_type: 'individual', recipient: di.userId, type: 'interactive',
			interactive: { type: 'request_contact_info', body: { text: 'Could you share your phone number with us? Tap the button below.' }, action: { name: 'request_contact_info' } },
		});

		// She taps "Share contact info".
		expect((await send(fake.shareContact(CLOUD.phoneNumberId, di.userId, di.waId, CLOUD.appSecret))).status).toBe(200);
		const contact = oneConversation(roomId);
		expect(contact.phone).toBe(`+${di.waId}`);
		expect(contact.people).toEqual(expect.arrayContaining([`phone:+${di.waId}`, `chat:${di.waId}`]));
		expect(w.rc.rc.visitors.find((v: any) => v.token === contact.visitorToken)?.phone).toEqual([{ phoneNumber: `+${di.waId}` }]);
		// From now on WhatsApp names her by the number as well: same room.
		await customerSends(msg.text('this is my number', { from: di.waId }));
		expect(texts(roomId).slice(-1)).toEqual(['this is my number']);
		oneConversation(roomId);
	});

	it('ask-number outside a WhatsApp room, or with the window closed, says why', async () => {
		expect(await w.answers(w.agent.id, 'ask-number')).toBe('/whatsapp ask-number works inside a WhatsApp conversation room.');
		const eve = { userId: 'US.55556666777788889999', name: 'Eve' };
		await post({ messages: [textFrom(eve.userId, 'hi', { timestamp: String(Math.floor(Date.now() / 1000) - 2 * 24 * 3600) })], contacts: [{ profile: { name: eve.name }, user_id: eve.userId }] });
		const roomId = w.roomOf(eve.userId);
		const before = fake.sent.length;
		expect(await w.answers(w.agent.id, 'ask-number', roomId)).toContain('The customer-service window is closed');
		expect(fake.sent.length).toBe(before);
	});

	it('a conversation started with a Brazilian number written with the 9th digit continues in the same room when the customer answers from the wa_id without it', async () => {
		const typed = '5511987654321';
		const waId = waIdFor(typed);
		expect(waId).toBe('551187654321');
		const res = await w.rc.callEndpoint('templateMessage', {
			method: 'POST', headers: { 'x-api-key': API_KEY },
			content: { phoneNumbers: [`+${typed}`], connectedWhatsAppNo: `+${CLOUD.display}`, template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Bruno' }, { type: 'text', text: 'B-7' }] }] } },
		});
		expect(res.status).toBe(200);
		const roomId = res.content.results[0].roomId as string;
		const [templateSent] = fake.sentTo(typed);
		expect(templateSent.body.to).toBe(typed);
		// WhatsApp answered contacts[0].wa_id without the 9th digit: that is the id recorded.
		await w.rc.waitFor(() => contactInRoom(roomId)?.sendTo === waId, 10_000, 'the answered wa_id recorded');
		expect(contactInRoom(roomId)).toMatchObject({ chatId: typed, sendTo: waId, phone: `+${waId}` });

		// The template's statuses and the customer's reply come from the answered wa_id.
		await w.post(fake.statusWebhook(CLOUD.phoneNumberId, [{ id: templateSent.id, status: 'delivered', to: waId }], CLOUD.appSecret));
		await w.rc.waitFor(() => linkState(roomId, templateSent.id) === 'delivered', 10_000, 'the template delivered');
		expect((await customerSends(msg.text('obrigado, chegou', { from: waId }))).status).toBe(200);
		expect(texts(roomId).slice(-1)).toEqual(['obrigado, chegou']);
		oneConversation(roomId);
		expect(contacts().filter((c) => c.chatId === waId)).toHaveLength(0);
		// The agent's answer goes where WhatsApp said she is (inside the window her reply opened).
		const sent = await agentWrites(roomId, 'de nada');
		expect(sent.body).toMatchObject({ to: waId });
	});

	it('one person, every id form in one batch and one by one: exactly one visitor and one room', async () => {
		const fi = { waId: '4915799990006', userId: 'DE.66667777888899990000', parentUserId: 'DE.ENT.12121212121212121212', username: '@fi', name: 'Fi' };
		fake.person(fi);
		// The first message names every id (WhatsApp's 2026 shape); later ones any single one of them.
		const forms = [
			{ messages: [textFrom(fi.waId, 'by all', { from_user_id: fi.userId })], contacts: [{ profile: { name: fi.name, username: fi.username }, wa_id: fi.waId, user_id: fi.userId, parent_user_id: fi.parentUserId }] },
			{ messages: [textFrom(fi.waId, 'by phone')], contacts: [{ profile: { name: fi.name }, wa_id: fi.waId }] },
			{ messages: [textFrom(fi.userId, 'by user id')], contacts: [{ profile: { name: fi.name }, user_id: fi.userId }] },
			{ messages: [textFrom(fi.userId, 'by username', { from_user_id: fi.userId })], contacts: [{ profile: { name: '', username: fi.username }, user_id: fi.userId }] },
			{ messages: [{ ...textFrom(fi.userId, 'by user id only'), from: undefined, from_user_id: fi.userId }], contacts: [{ profile: { name: '' }, user_id: fi.userId }] },
		];
		for (const f of forms) expect((await post(f)).status).toBe(200);
		// One batch carrying the person under two forms.
		expect((await post({ messages: [textFrom(fi.waId, 'batch: phone'), textFrom(fi.userId, 'batch: user id')], contacts: [{ profile: { name: fi.name }, wa_id: fi.waId, user_id: fi.userId }] })).status).toBe(200);
		const roomId = w.roomOf(fi.waId);
		expect(texts(roomId)).toEqual(['by all', 'by phone', 'by user id', 'by username', 'by user id only', 'batch: phone', 'batch: user id']);
		oneConversation(roomId);
		expect(contacts().filter((c) => [fi.waId, fi.userId].includes(c.chatId))).toHaveLength(1);
	});
});

describe('one customer, one conversation, whatever identifies them (GREEN-API @lid and @c.us)', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	const contacts = () => w.rc.rc.persistence.filter((p) => Array.isArray(p.data?.links) && p.data?.instanceId === GA.idInstance).map((p) => p.data);
	const recorded = (ids: string[]) => w.rc.waitFor(() => ids.every((id) => contacts().some((c) => c.dedupe?.ids?.includes(id))), 10_000, `messages ${ids.join(', ')} recorded`);

	it('Lev writes as …@c.us, then from his …@lid alias naming the phone, then from the alias alone: one visitor, one room; a status naming the alias reaches the agent\'s message', async () => {
		const phoneId = '79007654321@c.us';
		const lid = '123456789012345@lid';
		w.green.hideNumber(phoneId, lid);
		const say = async (text: string, form: 'c.us' | 'lid' | 'lid-only') => {
			const idMessage = nextMessageId();
			expect((await w.customerSends(textMessage(text), { ...w.green.senderIds(phoneId, form), idMessage, senderName: 'Lev', timestamp: Math.floor(Date.now() / 1000) })).status).toBe(200);
			await recorded([idMessage]);
		};
		await say('privet', 'c.us');
		await say('from my alias', 'lid');
		await say('alias only', 'lid-only');
		const all = contacts().filter((c) => [phoneId, lid].includes(c.chatId));
		expect(all).toHaveLength(1);
		const roomId = all[0].roomId as string;
		expect(w.roomMessages(roomId).map((m: any) => m.text)).toEqual(['privet', 'from my alias', 'alias only']);
		expect(all[0].people).toEqual(expect.arrayContaining([`lid:${lid}`, `chat:${lid}`, 'phone:+79007654321']));
		expect(w.rc.rc.rooms.filter((r: any) => r.type === 'l' && r.visitorToken === all[0].visitorToken)).toHaveLength(1);

		// The agent answers; GREEN-API's status names the chat by the alias.
		const before = w.green.sent[GA.idInstance]?.length ?? 0;
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'zdravstvuyte' });
		const sent = (await w.green.waitForSent(GA.idInstance, before + 1))[before];
		expect(w.green.sentToPerson(GA.idInstance, phoneId)).toContainEqual(sent);
		expect((await w.webhook(status(sent.idMessage, 'read', { chatId: lid, timestamp: Math.floor(Date.now() / 1000) }))).status).toBe(200);
		await w.rc.waitFor(() => contacts().find((c) => c.roomId === roomId)?.links.find((l: any) => l.wa === sent.idMessage)?.state === 'read', 10_000, 'the agent\'s message read');
	});
});
