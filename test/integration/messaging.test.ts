// GREEN-API ↔ Omnichannel, both directions, on the real engine: conversations as a customer and an
// agent would have them.
import * as fx from '../fixtures/greenapi';
import { GA } from '../fixtures/greenapi';
import { ENGINE } from '../runtime/TestRocketChat';
import { startWorld, World } from './support/world';

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('a customer writes on WhatsApp, an agent answers in Rocket.Chat', () => {
	let w: World;
	let roomId: string;

	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	const lastText = () => w.roomMessages(roomId).slice(-1)[0]?.text as string;

	it('opens a WhatsApp room for the first message, with the customer as visitor', async () => {
		const res = await w.customerSends(fx.textMessage('Hi, I need help with order 42'));
		expect(res.status).toBe(200);
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		expect(room).toBeDefined();
		roomId = room.id;
		// Rocket.Chat 6.13 (Apps-Engine 1.46.0) has no room source `destination`
		expect(room.source).toMatchObject({ type: 'app', id: w.rc.appId, label: 'WhatsApp', ...(ENGINE.roomSourceHasDestination && { destination: '+79990000000' }) });
		if (!ENGINE.roomSourceHasDestination) expect(room.source?.destination).toBeUndefined();
		expect(room.isOpen).toBe(true);
		const visitor = w.rc.rc.visitors.find((v) => v.token === room.visitorToken)!;
		expect(visitor).toMatchObject({ name: GA.name, phone: [{ phoneNumber: '+79001234567' }] });
		expect(room.departmentId).toBe(w.department.id);
		expect(room.servedBy?.id).toBe(w.agent.id);
		const msgs = w.roomMessages(roomId);
		expect(msgs).toHaveLength(1);
		expect(msgs[0].text).toBe('Hi, I need help with order 42');
		expect(msgs[0].token).toBe(visitor.token);
	});

	it('keeps the conversation in the same room and ignores a redelivered notification', async () => {
		const first = await w.customerSends(fx.textMessage('Are you there?'));
		const again = await w.webhook(first.payload);
		expect(again.status).toBe(200);
		expect(again.content.outcome).toBe('duplicate');
		expect(w.rc.rc.rooms.filter((r) => r.type === 'l')).toHaveLength(1);
		expect(w.roomMessages(roomId).map((m: any) => m.text)).toEqual(['Hi, I need help with order 42', 'Are you there?']);
	});

	it('refuses a wrong token or an unknown instance without any side effect', async () => {
		const before = w.rc.rc.effects.length;
		expect((await w.webhook(fx.incoming(fx.textMessage('x')), { token: 'not-the-token' })).status).toBe(401);
		expect((await w.webhook(fx.incoming(fx.textMessage('x')), { token: '' })).status).toBe(401);
		expect((await w.webhook(fx.incoming(fx.textMessage('x'), { idInstance: '9999999' }), { query: { instance: '9999999' } })).status).toBe(401);
		const after = w.rc.rc.effects.slice(before).filter((e: any) => !/read|get|find/i.test(e.kind));
		expect(after).toEqual([]);
	});

	it('accepts the bare token as well as Bearer', async () => {
		const res = await w.webhook(fx.incoming(fx.textMessage('bare token')), { bearer: false });
		expect(res.status).toBe(200);
		expect(lastText()).toBe('bare token');
	});

	it('brings images, video, documents, voice notes and stickers in as real files, caption as its own message', async () => {
		// [payload, name of the file in Rocket.Chat, caption]; files are served under the same name.
		const cases: Array<[fx.MessageData, string, string]> = [];
		const img = w.green.serveFile('a0128ca6.jpg', PNG, 'image/jpeg');
		cases.push([fx.imageMessage(img, 'broken part'), 'a0128ca6.jpg', 'broken part']);
		const doc = w.green.serveFile('invoice.pdf', Buffer.from('%PDF-1.4 test'), 'application/pdf');
		cases.push([fx.documentMessage(doc, 'invoice.pdf', 'application/pdf'), 'invoice.pdf', '']);
		const voice = w.green.serveFile('801078ab.ogg', Buffer.from('OggS voice'), 'audio/ogg; codecs=opus');
		cases.push([fx.voiceMessage(voice), '801078ab.ogg', '']);
		const video = w.green.serveFile('5b1c9d2e.mp4', Buffer.from('mp4 bytes'), 'video/mp4');
		cases.push([fx.videoMessage(video, 'see'), '5b1c9d2e.mp4', 'see']);
		const track = w.green.serveFile('track.mp3', Buffer.from('ID3 mp3 bytes'), 'audio/mpeg');
		cases.push([fx.audioMessage(track), 'track.mp3', '']);
		const sticker = w.green.serveFile('a0128ca6.webp', Buffer.from('RIFFwebp'), 'image/webp');
		cases.push([fx.stickerMessage(sticker), 'a0128ca6.webp', '']);
		for (const [md, name, caption] of cases) {
			const before = w.roomMessages(roomId).length;
			const res = await w.customerSends(md);
			// The webhook is answered at once; the file is fetched by a job.
			expect(res.status).toBe(200);
			expect(res.content.outcome).toBe('queued');
			await w.rc.runDueJobs();
			const upload = w.rc.rc.uploads.find((u) => u.name === name)!;
			expect(upload).toBeDefined();
			expect(upload.visitorToken).toBeDefined();
			expect(Buffer.compare(upload.bytes, w.green.fileBytes(name)!)).toBe(0);
			const added = w.roomMessages(roomId).slice(before);
			expect(added.some((m: any) => m.file?._id === upload.id || (m.files || []).some((f: any) => f._id === upload.id))).toBe(true);
			if (caption) expect(added.slice(-1)[0].text).toBe(caption);
			else expect(added).toHaveLength(1);
		}
	});

	it('says clearly when a file cannot be fetched', async () => {
		const url = w.green.serveMissing('gone.jpg');
		await w.customerSends(fx.imageMessage(url, 'my receipt'));
		await w.rc.runDueJobs();
		expect(lastText()).toMatch(/Image \(.*\) could not be fetched from WhatsApp/);
		expect(lastText()).toContain('my receipt');
	});

	it('turns locations, contacts, polls and button replies into readable text', async () => {
		await w.customerSends(fx.extendedTextMessage('https://shop.example/p/1', { title: 'Shop', description: 'Red shoes' }));
		expect(lastText()).toBe('https://shop.example/p/1\n> Shop — Red shoes');
		await w.customerSends(fx.locationMessage(44.93, 89.87, { name: 'Warehouse', address: 'Main st 1' }));
		expect(lastText()).toContain('Warehouse, Main st 1');
		expect(lastText()).toContain('https://www.google.com/maps/search/?api=1&query=44.93,89.87');
		await w.customerSends(fx.contactMessage('Alex Smit', '+7 234 567 8901'));
		expect(lastText()).toMatch(/Alex Smit: \+72345678901/);
		await w.customerSends(fx.contactsArrayMessage());
		expect(lastText()).toContain('Shared contacts (2)');
		expect(lastText()).toContain('Maria');
		const poll = await w.customerSends(fx.pollMessage('Rate us', ['Good', 'Bad']));
		expect(lastText()).toBe('📊 Poll: Rate us\n• Good\n• Bad');
		await w.customerSends(fx.pollUpdateMessage(poll.payload.idMessage, 'Rate us', { Good: [GA.chatId], Bad: [] }));
		expect(lastText()).toContain('• Good: 1');
		await w.customerSends(fx.buttonsResponseMessage('Green'));
		expect(lastText()).toBe('🔘 Selected: Green');
		await w.customerSends(fx.listResponseMessage('Option 2'));
		expect(lastText()).toBe('🔘 Selected: Option 2');
		await w.customerSends(fx.templateButtonReplyMessage());
		expect(lastText()).toMatch(/^🔘 Selected: /);
	});

	it('links a reply to the quoted message, or quotes its text when unknown', async () => {
		const original = await w.customerSends(fx.textMessage('Order 42 is late'));
		const originalRc = w.roomMessages(roomId).slice(-1)[0];
		await w.customerSends(fx.withQuote(fx.textMessage('any news?'), fx.quoted(original.payload.idMessage, { text: 'Order 42 is late', participant: GA.chatId } as never)));
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${originalRc.id}) any news?`);
		await w.customerSends(fx.withQuote(fx.textMessage('this one'), fx.quoted('UNKNOWNID', { text: 'Which order?' } as never)));
		expect(lastText()).toBe('> Which order?\nthis one');
		// The older reply form (typeMessage quotedMessage) reads the same way.
		await w.customerSends(fx.legacyQuotedMessage('yes, this one', { stanzaId: original.payload.idMessage, participant: GA.chatId, typeMessage: 'textMessage', textMessage: 'Order 42 is late' }));
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${originalRc.id}) yes, this one`);
	});

	it('applies edits to the mapped message, and shows deletions, reactions, markers and unknown types', async () => {
		const sent = await w.customerSends(fx.textMessage('helo'));
		const rcMessage = w.roomMessages(roomId).slice(-1)[0];
		await w.customerSends(fx.editedMessage(sent.payload.idMessage, 'hello'));
		const edited = w.rc.rc.messages.find((m) => m.id === rcMessage.id)!;
		expect(edited.text).toBe('hello');
		await w.customerSends(fx.reactionMessage('👍', sent.payload.idMessage, GA.chatId));
		expect(lastText()).toContain('Reacted 👍');
		await w.customerSends(fx.deletedMessage(sent.payload.idMessage));
		expect(w.rc.rc.messages.find((m) => m.id === rcMessage.id)!.text).toContain('deleted');
		await w.customerSends(fx.markerMessage('SWE001'));
		expect(lastText()).toContain('send it again');
		await w.customerSends(fx.markerMessage('SWE003'));
		expect(lastText()).toContain('re-link the phone');
		await w.customerSends(fx.otherMessage('groupInviteMessage'));
		expect(lastText()).toContain('Unsupported WhatsApp message type "groupInviteMessage"');
	});

	it('posts an edit as a new message when Rocket.Chat refuses to edit the customer message', async () => {
		const sent = await w.customerSends(fx.textMessage('order 24'));
		const original = w.roomMessages(roomId).slice(-1)[0];
		const bridge = w.rc.bridges.message as unknown as { update: (...args: unknown[]) => Promise<void> };
		const update = bridge.update;
		bridge.update = async () => {
			throw new Error('error-action-not-allowed');
		};
		try {
			await w.customerSends(fx.editedMessage(sent.payload.idMessage, 'order 42'));
		} finally {
			bridge.update = update;
		}
		expect(w.rc.rc.messages.find((m) => m.id === original.id)!.text).toBe('order 24');
		expect(lastText()).toBe('✏️ Edited a message: order 42');
	});

	it('ignores group chats by default', async () => {
		const before = w.rc.rc.messages.length;
		const res = await w.webhook(fx.groupIncoming(fx.textMessage('hello group')));
		expect(res.status).toBe(200);
		expect(res.content.outcome).toBe('ignored');
		expect(w.rc.rc.messages.length).toBe(before);
	});

	it("sends the agent's answer to the customer, mapped for quotes and statuses", async () => {
		const reply = await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'Your order ships today' });
		const [sent] = await w.green.waitForSent(GA.idInstance, 1);
		expect(sent).toMatchObject({ method: 'sendMessage', chatId: GA.chatId, text: 'Your order ships today' });
		// The customer replies quoting the agent: linked to the agent's message.
		await w.rc.settle(); // the app maps the sent message's id after GREEN-API answered
		await w.customerSends(fx.withQuote(fx.textMessage('great, thanks'), fx.quoted(sent.idMessage, { text: 'Your order ships today', participant: GA.wid } as never)));
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${reply.id}) great, thanks`);
		// Delivered and read are stored (seen in /whatsapp info), nothing is posted for them by default.
		const before = w.roomMessages(roomId).length;
		await w.webhook(fx.status(sent.idMessage, 'delivered'));
		await w.webhook(fx.status(sent.idMessage, 'read'));
		await w.webhook(fx.status(sent.idMessage, 'sent')); // late and out of order: ignored
		expect(w.roomMessages(roomId)).toHaveLength(before);
		const info = async () => {
			const n = w.rc.rc.notices.length;
			await w.rc.runCommand('whatsapp', ['info'], { userId: w.agent.id, roomId });
			return w.rc.rc.notices.slice(n).map((x) => x.text).join('\n');
		};
		expect(await info()).toContain('Delivery of the last message: read');
		// A failed status is shown to the agent with the reason, quoting the message.
		await w.webhook(fx.status(sent.idMessage, 'failed', { description: 'recipient unreachable' }));
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${reply.id}) ⚠️ Not delivered to WhatsApp: recipient unreachable`);
		expect(w.roomMessages(roomId).slice(-1)[0].token).toBeUndefined();
		expect(w.roomMessages(roomId).slice(-1)[0].sender.type).toBe('app');
	});

	it('sends files the agent attaches with sendFileByUpload to the media host, caption kept', async () => {
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'the label', file: { name: 'label.png', type: 'image/png', bytes: PNG } });
		const sent = await w.green.waitForSent(GA.idInstance, 2);
		const file = sent[1];
		expect(file).toMatchObject({ method: 'sendFileByUpload', chatId: GA.chatId, fileName: 'label.png', caption: 'the label' });
		expect(Buffer.compare(file.file!.bytes!, PNG)).toBe(0);
		expect(w.green.requestsFor('sendFileByUpload')[0].host).toBe('media');
	});

	it('sends a quoted customer message as quotedMessageId', async () => {
		const asked = await w.customerSends(fx.textMessage('Can I pay by card?'));
		const asRc = w.roomMessages(roomId).slice(-1)[0];
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'Yes', quoteOf: asRc.id });
		const sent = await w.green.waitForSent(GA.idInstance, 3);
		expect(sent[2]).toMatchObject({ text: 'Yes', quotedMessageId: asked.payload.idMessage });
	});

	it('tells the agent in the room when GREEN-API refuses a message', async () => {
		w.green.failNext('sendMessage', 1, { status: 400, body: 'Validation failed: chatId' });
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'will fail' });
		await w.rc.waitFor(() => /Not sent to WhatsApp/.test(lastText()) && lastText());
		expect(lastText()).not.toContain(GA.apiToken);
	});

	it('shows agents what someone typed on the business phone, once, and never sends it back', async () => {
		const sentBefore = w.green.allSent().length;
		const phone = fx.outgoing(fx.textMessage('Answered from my phone'), { idMessage: 'PHONE-1' });
		expect((await w.webhook(phone)).content.outcome).toBe('posted');
		expect((await w.webhook(phone)).content.outcome).toBe('duplicate');
		const note = w.roomMessages(roomId).slice(-1)[0];
		expect(note).toMatchObject({ text: '📱 Sent from the business phone: Answered from my phone', sender: { type: 'app' } });
		expect(w.roomMessages(roomId).filter((m) => m.text.includes('Answered from my phone'))).toHaveLength(1);
		// The customer quoting it is linked to that note.
		await w.customerSends(fx.withQuote(fx.textMessage('ok!'), fx.quoted('PHONE-1', { text: 'Answered from my phone', participant: GA.wid } as never)));
		expect(lastText()).toBe(`[ ](http://rc.test/live/${roomId}?msg=${note.id}) ok!`);
		await w.rc.settle();
		expect(w.green.allSent().length).toBe(sentBefore);
		// A chat without an open room has nobody to show it to.
		expect((await w.webhook(fx.outgoing(fx.textMessage('to someone else'), { chatId: '79005550123@c.us' }))).content.outcome).toBe('ignored');
	});

	it('does not send visitor messages or its own notices back to WhatsApp', async () => {
		const before = w.green.allSent().length;
		await w.customerSends(fx.textMessage('one more'));
		await w.rc.settle();
		expect(w.green.allSent().length).toBe(before);
	});

	it('opens a new room for the same visitor after the agent closed the conversation', async () => {
		const visitorToken = w.roomMessages(roomId).find((m: any) => m.token)!.token;
		await w.rc.closeRoom(roomId, w.agent.id);
		await w.rc.waitFor(() => w.rc.rc.persistence.some((p: any) => p.data?.chatId === GA.chatId && !p.data?.roomId && p.data?.instanceId));
		await w.customerSends(fx.textMessage('Hello again'));
		const rooms = w.rc.rc.rooms.filter((r) => r.type === 'l');
		expect(rooms).toHaveLength(2);
		const second = rooms.find((r) => r.id !== roomId)!;
		expect(second.source).toMatchObject({ label: 'WhatsApp' });
		expect(w.roomMessages(second.id)[0]).toMatchObject({ text: 'Hello again', token: visitorToken });
		expect(w.rc.rc.visitors).toHaveLength(1);
	});
});

describe('a number whose customer has no WhatsApp account, group bridging, limits, closing message and alerts', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld({ maxUploadBytes: 1000 });
		const alerts = w.rc.addRoom({ name: 'wa-alerts', type: 'c', memberIds: [w.admin.id] });
		await w.rc.setAppSetting('alert_room', alerts.id);
		await w.rc.setAppSetting('group_chats', 'bridge');
		await w.rc.setAppSetting('close_message_enabled', true);
		await w.rc.setAppSetting('close_message_text', 'Thanks for writing to us!');
	});
	afterAll(async () => {
		await w?.stop();
	});
	const textsIn = (roomId: string) => w.roomMessages(roomId).map((m) => m.text);

	it('bridges a group as one conversation, naming who wrote', async () => {
		const res = await w.webhook(fx.groupIncoming(fx.textMessage('hello from the team')));
		expect(res.content.outcome).toBe('posted');
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		expect(textsIn(room.id)).toEqual([`*${GA.memberName}* (${GA.groupName}): hello from the team`]);
		expect(w.rc.rc.visitors[0].name).toBe(GA.groupName);
	});

	it('says when a file is over the upload limit instead of dropping it', async () => {
		const big = w.green.serveFile('big.pdf', Buffer.alloc(5000, 1), 'application/pdf');
		await w.customerSends(fx.documentMessage(big, 'big.pdf', 'application/pdf', 'contract'));
		await w.rc.runDueJobs();
		const room = w.rc.rc.rooms.find((r) => r.type === 'l' && r.visitorToken && w.rc.rc.visitors.find((v) => v.token === r.visitorToken)?.name === GA.name)!;
		const last = textsIn(room.id).slice(-1)[0];
		expect(last).toMatch(/Document \(big\.pdf\) could not be (fetched from WhatsApp|stored in Rocket\.Chat)/);
		expect(last).toContain('contract');
		expect(w.rc.rc.uploads).toHaveLength(0);
	});

	it('tells the agent when the customer has no WhatsApp account', async () => {
		const room = w.rc.rc.rooms.find((r) => r.type === 'l' && w.rc.rc.visitors.find((v) => v.token === r.visitorToken)?.name === GA.name)!;
		await w.rc.sendUserMessage({ roomId: room.id, userId: w.agent.id, text: 'hello?' });
		const [sent] = await w.green.waitForSent(GA.idInstance, 1);
		await w.webhook(fx.status(sent.idMessage, 'noAccount'));
		expect(textsIn(room.id).slice(-1)[0]).toContain('Not delivered to WhatsApp: this number has no WhatsApp account');
	});

	it('sends the closing message when the agent closes the room', async () => {
		const room = w.rc.rc.rooms.find((r) => r.type === 'l' && w.rc.rc.visitors.find((v) => v.token === r.visitorToken)?.name === GA.name)!;
		await w.rc.closeRoom(room.id, w.agent.id);
		const sent = await w.green.waitForSent(GA.idInstance, 2);
		expect(sent[1]).toMatchObject({ chatId: GA.chatId, text: 'Thanks for writing to us!' });
	});

	it('tells admins once when the number needs attention, and when it recovers', async () => {
		const alertRoom = (w.rc.rc.rooms.find((r) => r.name === 'wa-alerts'))!;
		await w.webhook(fx.stateChanged('notAuthorized'));
		await w.webhook(fx.stateChanged('notAuthorized'));
		await w.webhook(fx.stateChanged('authorized'));
		const texts = textsIn(alertRoom.id);
		expect(texts).toHaveLength(2);
		expect(texts[0]).toContain('+79990000000 (instance 1101000001) is notAuthorized');
		expect(texts[0]).toContain('/whatsapp instance qr 1101000001');
		expect(texts[1]).toContain('is authorized again');
	});
});

describe('nobody online and Rocket.Chat does not accept chats without agents', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld({ agentOnline: false, acceptChatsWithNoAgents: false });
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('keeps the message pending (200 to GREEN-API) and posts it once an agent is online', async () => {
		const res = await w.customerSends(fx.textMessage('Anyone?'));
		expect(res.status).toBe(200);
		expect(res.content.outcome).toBe('queued');
		const second = await w.customerSends(fx.textMessage('Hello??'));
		expect(second.content.outcome).toBe('queued');
		expect(w.rc.rc.rooms).toHaveLength(0);
		w.rc.setAgentStatus(w.agent.id, 'online');
		w.rc.advanceClock(10 * 60_000);
		await w.rc.runDueJobs();
		const room = await w.rc.waitFor(() => w.rc.rc.rooms[0]);
		expect(w.roomMessages(room.id).map((m: any) => m.text)).toEqual(['Anyone?', 'Hello??']);
	});
});

describe('the room icon', () => {
	let w: World;
	beforeAll(async () => {
		w = await startWorld();
	});
	afterAll(async () => {
		await w?.stop();
	});

	it('is served by the app where Rocket.Chat asks for it (get-sidebar-icon), and named on the room', async () => {
		await w.customerSends(fx.textMessage('hi'));
		const room = w.rc.rc.rooms.find((r) => r.type === 'l')!;
		expect(room.source).toMatchObject({ sidebarIcon: 'whatsapp', defaultIcon: 'whatsapp' });
		const icon = await w.rc.callEndpoint('get-sidebar-icon', { method: 'GET', query: { icon: room.source!.sidebarIcon! } });
		expect(icon.status).toBe(200);
		expect(String(icon.content)).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg".*<\/svg>$/);
		expect((await w.rc.callEndpoint('get-sidebar-icon', { method: 'GET', query: { icon: 'other' } })).status).toBe(404);
	});
});
