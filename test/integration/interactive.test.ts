// Agents send reply buttons and lists inside the customer-service window, on the real engine: from
// `/whatsapp buttons|list` and from the composer modal (answered within the client's 5 s, sent by a job).
// The Cloud API sends `type: interactive`; GREEN-API its beta reply buttons where they are on, else a
// numbered text whose typed answer ("1", "Yes") comes back as the customer's choice, as a tap does.
import { CLOUD, msg } from '../fixtures/cloud';
import { GA, incoming, interactiveButtonsReply, textMessage } from '../fixtures/greenapi';
import { FakeGraphApi } from '../fakes/FakeCloudApi';
import { CloudWorld, startCloudWorld } from './support/cloudWorld';
import { startWorld, World } from './support/world';
import { TRIGGER_TIMEOUT, WebClient } from '../runtime/uikit';

const textOf = (view: any) => JSON.stringify(view.blocks);

/** The webhook answers once the message is in the room; the contact record follows: wait until the room is the customer's for the app. */
async function roomReady(w: { rc: CloudWorld['rc']; answers: CloudWorld['answers'] }, userId: string, roomId: string): Promise<void> {
	await w.rc.waitFor(async () => !(await w.answers(userId, 'info', roomId)).includes('inside a WhatsApp conversation room'), 20_000, `room ${roomId} known to the app`);
}

describe('a Cloud API customer gets reply buttons and a list, and answers them', () => {
	let w: CloudWorld;
	let fake: FakeGraphApi;
	let roomId: string;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: 'cloud' });
		fake = w.fake as FakeGraphApi;
		await w.customerSends(msg.text('My parcel has not arrived'));
		roomId = w.roomOf(CLOUD.customer);
		await roomReady(w, w.agent.id, roomId);
	}, 120_000);
	afterAll(async () => {
		await w?.stop();
	});

	const texts = () => w.roomMessages(roomId).map((m: any) => m.text as string);
	const interactiveSent = () => fake.sent.filter((s) => s.type === 'interactive');

	it('/whatsapp buttons: the customer gets up to three reply buttons, the room shows what was sent as the agent\'s message', async () => {
		const answer = await w.answers(w.agent.id, 'buttons "Did the courier call you?" | Yes | No', roomId);
		expect(answer).toContain('Sent to WhatsApp.');
		const [sent] = interactiveSent();
		expect(sent.to).toBe(CLOUD.customer);
		expect(sent.body.interactive).toEqual({
			type: 'button',
			body: { text: 'Did the courier call you?' },
			action: { buttons: [{ type: 'reply', reply: { id: 'b1', title: 'Yes' } }, { type: 'reply', reply: { id: 'b2', title: 'No' } }] },
		});
		const shown = w.roomMessages(roomId).slice(-1)[0];
		expect(shown.sender.username).toBe(w.agent.username);
		expect(shown.text).toBe('Did the courier call you?\n🔘 Yes  🔘 No');
		// The app's own hook does not send the shown message a second time.
		await w.rc.runDueJobs();
		expect(fake.sent).toHaveLength(1);
	});

	it('the customer taps "No": the room shows the choice', async () => {
		const question = interactiveSent()[0].id;
		expect((await w.customerSends(msg.buttonReply('b2', 'No', question))).status).toBe(200);
		await w.rc.waitFor(() => texts().some((t) => /🔘 .*: No$/.test(t)), 20_000, 'the choice in the room');
	});

	it('/whatsapp list: sections and rows with descriptions; the customer picks a row', async () => {
		const answer = await w.answers(w.agent.id, 'list How should we resend it? | Shipping | # Fast | Express -- 1-2 days | # Cheap | Standard -- 3-5 days | Pickup', roomId);
		expect(answer).toContain('Sent to WhatsApp.');
		const sent = interactiveSent()[1];
		expect(sent.body.interactive).toEqual({
			type: 'list',
			body: { text: 'How should we resend it?' },
			action: {
				button: 'Shipping',
				sections: [
					{ title: 'Fast', rows: [{ id: 'r1', title: 'Express', description: '1-2 days' }] },
					{ title: 'Cheap', rows: [{ id: 'r2', title: 'Standard', description: '3-5 days' }, { id: 'r3', title: 'Pickup' }] },
				],
			},
		});
		expect(texts().slice(-1)[0]).toBe('How should we resend it?\n📋 Shipping\n*Fast*\n• Express — 1-2 days\n*Cheap*\n• Standard — 3-5 days\n• Pickup');
		await w.customerSends(msg.listReply('r1', 'Express', '1-2 days', sent.id));
		await w.rc.waitFor(() => texts().some((t) => /🔘 .*: Express — 1-2 days$/.test(t)), 20_000, 'the picked row in the room');
	});

	it('bad input gets the reason and the usage, and nothing reaches WhatsApp', async () => {
		const before = fake.sent.length;
		expect(await w.answers(w.agent.id, 'buttons Only a question', roomId)).toContain('Usage: `/whatsapp buttons <question> | <button 1> | <button 2> [| <button 3>]`');
		const four = await w.answers(w.agent.id, 'buttons Pick | a | b | c | d', roomId);
		expect(four).toContain('reply buttons need 1 to 3 buttons (given: 4)');
		const long = await w.answers(w.agent.id, 'buttons Pick | Yes please, call me back | No', roomId);
		expect(long).toContain('Button "Yes please, call me back" is too long: 24 characters, WhatsApp allows 20');
		const rows = Array.from({ length: 11 }, (_, i) => `row${i}`).join(' | ');
		expect(await w.answers(w.agent.id, `list Pick | Options | ${rows}`, roomId)).toContain('a list needs 1 to 10 rows (given: 11)');
		expect(await w.answers(w.agent.id, 'list Pick | Options | Same | same', roomId)).toContain('two options have the same title');
		expect(await w.answers(w.agent.id, 'buttons Pick | Yes | No', w.rc.general.id)).toContain('inside a WhatsApp conversation room');
		expect(fake.sent.length).toBe(before);
	});

	it('the composer modal: opened by /whatsapp buttons within its 5 s, Send answers at once and a job sends', async () => {
		const c: WebClient = w.rc.webClient(w.agent.id);
		const from = c.shown.length;
		await c.slashCommand('whatsapp', ['buttons'], roomId);
		const viewId = c.modal!.view.id;
		expect(c.modal!.view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.blockId)).toEqual(['ia-body', 'ia-options']);
		// Too many buttons: the client shows the error on the input and the modal stays open.
		c.setValue('ia-body', 'ia-body', 'Shall we refund you?');
		c.setValue('ia-options', 'ia-options', 'Yes\nNo\nLater\nNever');
		expect((await c.submit()).answer).toBe('errors');
		expect(c.modal!.errors).toEqual({ 'ia-options': expect.stringContaining('1 to 3 buttons') });
		c.setValue('ia-options', 'ia-options', 'Yes\nNo');
		const before = interactiveSent().length;
		const answer = await c.submit();
		expect(answer).toMatchObject({ answer: 'modal.update', late: false });
		expect(answer.ms).toBeLessThan(TRIGGER_TIMEOUT);
		expect(textOf(c.modal!.view)).toContain('Sending…');
		// Nothing went to WhatsApp between the click and the answer: the job sends it.
		expect(interactiveSent().length).toBe(before);
		await w.rc.runDueJobs();
		await w.rc.waitFor(() => interactiveSent().length > before, 20_000, 'the composer\'s buttons sent');
		expect(interactiveSent()[before].body.interactive.action.buttons.map((b: any) => b.reply.title)).toEqual(['Yes', 'No']);
		expect(texts().slice(-1)[0]).toBe('Shall we refund you?\n🔘 Yes  🔘 No');
		// A second Send of the same modal is not a second message.
		await w.rc.runDueJobs();
		expect(interactiveSent().length).toBe(before + 1);
		expect(c.shown.slice(from).every((s) => s.view.id === viewId)).toBe(true);
		expect(c.dropped).toEqual([]);
		expect(c.toasts).toEqual([]);
	});

	it('"Send a list" in the room\'s menu opens the list composer; the list goes out from the job', async () => {
		const c: WebClient = w.rc.webClient(w.agent.id);
		const answer = await c.clickActionButton({ rid: roomId, actionId: 'gab-send-list' });
		expect(answer).toMatchObject({ answer: 'modal.open', late: false });
		expect(c.modal!.view.blocks.filter((b: any) => b.type === 'input').map((b: any) => b.blockId)).toEqual(['ia-body', 'ia-options', 'ia-list-button']);
		c.setValue('ia-body', 'ia-body', 'When shall we come?');
		c.setValue('ia-options', 'ia-options', 'Morning -- 8-12\nAfternoon -- 12-18');
		c.setValue('ia-list-button', 'ia-list-button', 'Time slots');
		const before = interactiveSent().length;
		expect(await c.submit()).toMatchObject({ answer: 'modal.update', late: false });
		await w.rc.runDueJobs();
		await w.rc.waitFor(() => interactiveSent().length > before, 20_000, 'the list sent');
		expect(interactiveSent()[before].body.interactive).toMatchObject({ type: 'list', action: { button: 'Time slots', sections: [{ rows: [{ title: 'Morning', description: '8-12' }, { title: 'Afternoon', description: '12-18' }] }] } });
	});

	it('outside the 24-hour window: refused with the reason, nothing is sent', async () => {
		const customer = '16505550177';
		const dayAndAHourAgo = Math.floor((Date.now() - 25 * 60 * 60_000) / 1000);
		await w.customerSends(msg.text('an old question', { from: customer, timestamp: String(dayAndAHourAgo) }));
		const oldRoom = w.roomOf(customer);
		await roomReady(w, w.agent.id, oldRoom);
		const before = fake.sent.length;
		const answer = await w.answers(w.agent.id, 'buttons Still there? | Yes | No', oldRoom);
		expect(answer).toContain("the customer's 24-hour window closed at");
		expect(answer).toContain('send a template instead');
		expect(fake.sent.length).toBe(before);
		expect(w.roomMessages(oldRoom).map((m: any) => m.text)).not.toContain('Still there?\n🔘 Yes  🔘 No');
	});
});

describe('a GREEN-API customer: buttons where the beta is on, else a numbered text answered by number or text', () => {
	let w: World;
	let roomId: string;

	beforeAll(async () => {
		w = await startWorld();
		await w.customerSends(textMessage('Hello, I need help'));
		await w.rc.waitFor(() => w.rc.rc.rooms.find((r: any) => r.visitorToken && w.roomMessages(r.id).length > 0), 20_000, 'the room');
		roomId = w.rc.rc.rooms.find((r: any) => w.roomMessages(r.id).some((m: any) => m.text === 'Hello, I need help'))!.id;
		await w.rc.waitFor(async () => !(await answers(['info'])).includes('inside a WhatsApp conversation room'), 20_000, 'the room known to the app');
	}, 120_000);
	afterAll(async () => {
		await w?.stop();
	});

	const sent = () => w.green.sent[GA.idInstance];
	const texts = () => w.roomMessages(roomId).map((m: any) => m.text as string);
	const answers = async (args: string[]) => {
		const before = w.rc.rc.notices.length;
		await w.rc.runCommand('whatsapp', args, { userId: w.agent.id, roomId });
		return w.rc.rc.notices.slice(before).map((n: any) => n.text).join('\n');
	};

	it('beta on: real reply buttons; the tap comes back as the choice', async () => {
		w.green.setInteractiveButtons(GA.idInstance, true);
		expect(await answers(['buttons', 'Rate', 'us', '|', 'Good', '|', 'Bad'])).toContain('Sent to WhatsApp.');
		const question = sent().slice(-1)[0];
		expect(question).toMatchObject({ method: 'sendInteractiveButtonsReply', fields: { chatId: GA.chatId, body: 'Rate us', buttons: [{ buttonId: 'b1', buttonText: 'Good' }, { buttonId: 'b2', buttonText: 'Bad' }] } });
		expect(texts()).toContain('Rate us\n🔘 Good  🔘 Bad');
		await w.webhook(incoming(interactiveButtonsReply('Good', 'b1', question.idMessage)));
		await w.rc.waitFor(() => texts().some((t) => /🔘 .*: Good$/.test(t)), 20_000, 'the tap as the choice');
	});

	it('beta off: the buttons go as a numbered text, and the customer answering "2" is the choice "No"', async () => {
		w.green.setInteractiveButtons(GA.idInstance, false);
		expect(await answers(['buttons', 'Is', 'it', 'solved?', '|', 'Yes', '|', 'No'])).toContain('Sent to WhatsApp.');
		expect(w.green.requestsFor('sendInteractiveButtonsReply').map((r) => r.status)).toEqual([200, 403]);
		const question = sent().slice(-1)[0];
		expect(question).toMatchObject({ method: 'sendMessage', text: 'Is it solved?\n\n1. Yes\n2. No\n\nReply with the number or the text of your choice.' });
		// The room shows the question as the agent sent it, with its buttons.
		expect(texts()).toContain('Is it solved?\n🔘 Yes  🔘 No');
		await w.rc.waitFor(() => texts().some((t) => t.includes('Sent as a numbered text')), 20_000, 'the note that it went as a numbered text');
		await w.customerSends(textMessage('2'));
		await w.rc.waitFor(() => texts().some((t) => /🔘 .*: No$/.test(t)), 20_000, 'the typed answer read as the choice');
		// Answered: a later "2" is just text.
		await w.customerSends(textMessage('2'));
		await w.rc.waitFor(() => texts().slice(-1)[0] === '2', 20_000, 'a second "2" as plain text');
	});

	it('a list goes as a numbered text too (GREEN-API has no list method); the answer can be the row\'s title, in any case', async () => {
		await answers(['list', 'Which', 'day?', '|', 'Days', '|', 'Monday', '|', 'Tuesday', '--', 'after', '2 pm']);
		expect(sent().slice(-1)[0].text).toBe('Which day?\n\n1. Monday\n2. Tuesday — after 2 pm\n\nReply with the number or the text of your choice.');
		expect(w.green.requestsFor('sendInteractiveButtonsReply')).toHaveLength(2); // lists never try the buttons method
		await w.customerSends(textMessage('tuesday'));
		await w.rc.waitFor(() => texts().some((t) => /🔘 .*: Tuesday$/.test(t)), 20_000, 'the title read as the choice');
	});

	it('anything the agent writes after the question closes it: a later "1" is text', async () => {
		await answers(['buttons', 'Call', 'you?', '|', 'Yes', '|', 'No']);
		await w.rc.sendUserMessage({ roomId, userId: w.agent.id, text: 'Actually, I will just call you.' });
		await w.rc.waitFor(() => sent().slice(-1)[0]?.text === 'Actually, I will just call you.', 20_000, 'the agent\'s text sent');
		await w.customerSends(textMessage('1'));
		await w.rc.waitFor(() => texts().slice(-1)[0] === '1', 20_000, '"1" as plain text');
		expect(texts().filter((t) => /🔘 .*: Yes$/.test(t))).toEqual([]);
	});

});

describe('a 360dialog customer gets the same interactive messages (the Cloud API body, 360dialog\'s host and key)', () => {
	let w: CloudWorld;

	beforeAll(async () => {
		w = await startCloudWorld({ provider: '360dialog' });
	}, 120_000);
	afterAll(async () => {
		await w?.stop();
	});

	it('a list goes as type interactive to 360dialog\'s /messages, and the picked row comes back', async () => {
		await w.customerSends(msg.text('Which plans do you have?'));
		const roomId = w.roomOf(CLOUD.customer);
		await roomReady(w, w.agent.id, roomId);
		expect(await w.answers(w.agent.id, 'list Our plans | See plans | Basic -- 5 EUR a month | Pro -- 15 EUR a month', roomId)).toContain('Sent to WhatsApp.');
		const sent = w.fake.sent.find((s) => s.type === 'interactive')!;
		expect(w.fake.requests.find((r) => r.method === 'messages' && (r.body as any)?.type === 'interactive')).toMatchObject({ path: '/messages', headers: expect.objectContaining({ 'd360-api-key': expect.any(String) }) });
		expect(sent.body.interactive.action.sections[0].rows.map((r: any) => r.title)).toEqual(['Basic', 'Pro']);
		await w.customerSends(msg.listReply('r2', 'Pro', '15 EUR a month', sent.id));
		await w.rc.waitFor(() => w.roomMessages(roomId).some((m: any) => /🔘 .*: Pro — 15 EUR a month$/.test(m.text)), 20_000, 'the picked plan in the room');
	});
});
