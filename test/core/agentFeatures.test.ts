// Agent features of the core (actions, read receipts, window reminders…) with providers the packaged app does not have: capabilities false (the agent gets a
// note, nothing is called), a customer-service window (reminder, template required). Pure helpers too.
import { AgentActions } from '../../src/core/AgentActions';
import { Outreach } from '../../src/core/Outreach';
import { choose, isKeyword, renderMenu } from '../../src/core/DepartmentMenu';
import { emojiOf } from '../../src/core/emoji';
import { REMIND_BEFORE_MS, WindowReminder } from '../../src/core/WindowReminder';
import { isOurRoom, isPerson } from '../../src/rocketchat/agentMessages';
import { templateParameters } from '../../src/endpoints/OutboundPhoneProvider';
import { memoryDeps, NO_TEMPLATES, SETTINGS, stubProvider } from './support/memoryDeps';

const DAY = 24 * 60 * 60_000;

describe('agent actions where the provider cannot (no such action)', () => {
	const calls: string[] = [];
	const provider = stubProvider({}, {});

	it('calls nothing and tells the agent in the room, naming the provider and the action', async () => {
		const m = memoryDeps(provider);
		await m.deps.contacts.save(m.contact({ roomId: 'R1', links: [{ wa: 'W-in', rc: 'M-in', dir: 'in' }, { wa: 'W-out', rc: 'M-out', dir: 'out' }] }));
		const actions = new AgentActions(m.deps);
		await actions.react({ roomId: 'R1', messageId: 'M-in', reaction: ':thumbsup:', added: true });
		await actions.edit({ roomId: 'R1', messageId: 'M-out', text: 'new', hasFile: false });
		await actions.delete({ roomId: 'R1', messageId: 'M-out' });
		expect(calls).toEqual([]);
		expect(m.notices.map((n) => n.text)).toEqual([
			'[ ](http://rc.test/live/R1?msg=M-in) ⚠️ Not sent to WhatsApp (reaction): Stub WA cannot do that.',
			'[ ](http://rc.test/live/R1?msg=M-out) ⚠️ Not sent to WhatsApp (edit): Stub WA cannot do that.',
			'⚠️ Not sent to WhatsApp (deletion): Stub WA cannot do that.',
		]);
	});


	it('edits of a message still in the outbound queue change what will be sent; a delete drops it', async () => {
		const m = memoryDeps(provider);
		await m.deps.contacts.save(m.contact({ roomId: 'R1', queues: { out: ['Q1', 'Q2'] } }));
		const base = { chatKey: '1:15557654321@c.us', instanceId: '1', chatId: '15557654321@c.us', roomId: 'R1', attempts: 1, firstAt: 1, nextAt: 2 };
		await m.deps.outbox.save({ ...base, key: 'Q1', text: 'old' });
		await m.deps.outbox.save({ ...base, key: 'Q2', text: 'oops' });
		const actions = new AgentActions(m.deps);
		await actions.edit({ roomId: 'R1', messageId: 'Q1', text: 'corrected', hasFile: false });
		await actions.delete({ roomId: 'R1', messageId: 'Q2' });
		expect((await m.deps.outbox.all()).map((i) => [i.key, i.text])).toEqual([['Q1', 'corrected']]);
		expect((await m.deps.contacts.get('1', '15557654321@c.us'))!.queues?.out).toEqual(['Q1']);
		expect(m.notices.map((n) => n.text)).toEqual(['⚠️ The deleted message had not been sent yet: it will not go to WhatsApp.']);
		expect(calls).toEqual([]);
	});

	it('rooms that are not WhatsApp rooms of ours are left alone', async () => {
		const m = memoryDeps(provider);
		await new AgentActions(m.deps).react({ roomId: 'elsewhere', messageId: 'M', reaction: ':x:', added: true });
		expect(m.notices).toEqual([]);
	});
});

describe('the customer-service window (a provider with serviceWindowMs)', () => {
	const provider = stubProvider({ serviceWindowMs: DAY }, { templates: NO_TEMPLATES });

	it('schedules one check per window, an hour before it closes, and reminds the agent once when unanswered', async () => {
		const m = memoryDeps(provider);
		const reminder = new WindowReminder(m.deps);
		const t0 = Date.now();
		const c = m.contact({ roomId: 'R1', lastInboundAt: t0, links: [{ wa: 'W1', rc: 'M1', dir: 'in' }] });
		await reminder.noteInbound(m.instance, c, t0);
		await m.deps.contacts.save(c);
		expect(m.scheduled).toEqual([{ kind: 'window', chatKey: '1:15557654321@c.us', at: t0 + DAY - REMIND_BEFORE_MS }]);
		// a later message while the check is pending schedules nothing more
		await reminder.noteInbound(m.instance, c, t0 + 5 * 60_000);
		await m.deps.contacts.save(c);
		expect(m.scheduled).toHaveLength(1);
		// the check fires at its time: the customer wrote since, so it moves to the new due time
		expect(await reminder.check('1:15557654321@c.us', t0 + DAY - REMIND_BEFORE_MS)).toBe('moved');
		expect(m.scheduled[1]).toEqual({ kind: 'window', chatKey: '1:15557654321@c.us', at: t0 + 5 * 60_000 + DAY - REMIND_BEFORE_MS });
		const due = t0 + 5 * 60_000 + DAY - REMIND_BEFORE_MS;
		expect(await reminder.check('1:15557654321@c.us', due)).toBe('reminded');
		expect(m.notices).toEqual([{ roomId: 'R1', text: "⏰ WhatsApp closes this customer's service window in about 60 minutes and their last message is still unanswered. After that only a pre-approved template can reach them." }]);
		expect(await reminder.check('1:15557654321@c.us', due + 1000)).toBe('nothing');
		expect(m.notices).toHaveLength(1);
	});

	it('says nothing when the agent answered, when no room is open, or when the window already closed', async () => {
		const m = memoryDeps(provider);
		const reminder = new WindowReminder(m.deps);
		const t0 = Date.now() - DAY + 30 * 60_000;
		await m.deps.contacts.save(m.contact({ roomId: 'R1', lastInboundAt: t0, links: [{ wa: 'W1', rc: 'M1', dir: 'in' }, { wa: 'W2', rc: 'M2', dir: 'out' }] }));
		expect(await reminder.check('1:15557654321@c.us')).toBe('nothing');
		await m.deps.contacts.save(m.contact({ lastInboundAt: t0, links: [{ wa: 'W1', rc: 'M1', dir: 'in' }] }));
		expect(await reminder.check('1:15557654321@c.us')).toBe('nothing');
		await m.deps.contacts.save(m.contact({ roomId: 'R1', lastInboundAt: Date.now() - DAY - 1, links: [{ wa: 'W1', rc: 'M1', dir: 'in' }] }));
		expect(await reminder.check('1:15557654321@c.us')).toBe('nothing');
		expect(m.notices).toEqual([]);
	});

	it('providers without a window never schedule a check (GREEN-API)', async () => {
		const m = memoryDeps(stubProvider({}));
		const c = m.contact({ roomId: 'R1', lastInboundAt: Date.now() });
		await new WindowReminder(m.deps).noteInbound(m.instance, c, c.lastInboundAt!);
		expect(m.scheduled).toEqual([]);
		expect(c.windowCheckAt).toBeUndefined();
	});

	it('/whatsapp start: with the window closed a template is required, before any room is opened', async () => {
		const m = memoryDeps(stubProvider({ serviceWindowMs: DAY }, {
			templates: NO_TEMPLATES,
			checkNumber: async (phone) => ({ ok: true, chatId: `${phone.replace(/\D/g, '')}@c.us`, exists: true }),
		}));
		const r = await new Outreach(m.deps).start({ instance: m.instance, phone: '+1 555 765 4321', caller: { id: 'U1', isAgent: true } });
		expect(r).toEqual({ ok: false, why: 'template-required', chatId: '15557654321@c.us' });
		expect(m.contacts.size).toBe(0);
	});

	it('/whatsapp start: a provider that cannot check numbers cannot start conversations', async () => {
		const m = memoryDeps(stubProvider({}));
		expect(await new Outreach(m.deps).start({ instance: m.instance, phone: '+15557654321', caller: { id: 'U1', isAgent: true } })).toEqual({ ok: false, why: 'cannot-check' });
	});
});

describe('menu answers', () => {
	const menu = { departments: [{ id: 'd1', name: 'Sales' }, { id: 'd2', name: 'Tech  Support' }] };
	const text = (s: string) => ({ content: { kind: 'text' as const, text: s } });
	it('by number, by name (case and spaces ignored) or by an interactive list row', () => {
		expect(choose(text('1'), menu)?.id).toBe('d1');
		expect(choose(text(' 2. '), menu)?.id).toBe('d2');
		expect(choose(text('tech support'), menu)?.id).toBe('d2');
		expect(choose({ content: { kind: 'choice', text: 'whatever', choiceId: 'd1' } }, menu)?.id).toBe('d1');
		for (const s of ['0', '3', 'sales please', '', '1 2']) expect(choose(text(s), menu)).toBeUndefined();
		expect(choose({ content: { kind: 'location', latitude: 1, longitude: 2 } }, menu)).toBeUndefined();
	});
	it('the keyword, and an empty keyword turns it off', () => {
		expect(isKeyword(text(' #Exit '), '#exit')).toBe(true);
		expect(isKeyword(text('#exit now'), '#exit')).toBe(false);
		expect(isKeyword(text(''), '')).toBe(false);
	});
	it('renders the admin text or the translated one, numbered, with the keyword hint', () => {
		expect(renderMenu(menu, { menuText: 'Choose:', menuExitKeyword: '' }, false)).toBe('Choose:\n1. Sales\n2. Tech  Support');
		expect(renderMenu(menu, { menuText: ' ', menuExitKeyword: SETTINGS.menuExitKeyword }, true)).toBe(
			'Sorry, that is not one of the options.\nHello! Which department can help you? Reply with the number or the name:\n1. Sales\n2. Tech  Support\n\nWrite #exit at any time to end the conversation and come back to this menu.',
		);
	});
});

describe('reactions as WhatsApp takes them', () => {
	it('maps Rocket.Chat shortcodes (aliases, skin tones) to emoji; custom ones are unknown', () => {
		expect(emojiOf(':thumbsup:')).toBe('👍');
		expect(emojiOf(':+1:')).toBe('👍');
		expect(emojiOf(':thumbsup_tone5:')).toBe('👍🏿');
		expect(emojiOf(':heart:')).toBe('❤️');
		expect(emojiOf('🎉')).toBe('🎉');
		expect(emojiOf(':party_parrot:')).toBeUndefined();
		expect(emojiOf('hello')).toBeUndefined();
	});
	it('only people in our rooms count: not the app user, not visitors', () => {
		expect(isPerson({ type: 'user' })).toBe(true);
		expect(isPerson({ type: 'bot' })).toBe(true);
		expect(isPerson({ type: 'app' })).toBe(false);
		expect(isPerson({ type: 'unknown' })).toBe(false);
		expect(isPerson(undefined)).toBe(false);
		expect(isOurRoom({ id: 'R', type: 'l', source: { type: 'app', id: 'me' } } as never, 'me')).toBe(true);
		expect(isOurRoom({ id: 'R', type: 'l', source: { type: 'app', id: 'other' } } as never, 'me')).toBe(false);
		expect(isOurRoom({ id: 'R', type: 'c' } as never, 'me')).toBe(false);
	});
});

describe("Rocket.Chat's outbound wizard template → the port's template", () => {
	it('takes body parameters in order, a text or media header, and button parameters by button index', () => {
		expect(templateParameters({
			name: 'order_ready', language: { code: 'pt_BR' },
			components: [
				{ type: 'header', parameters: [{ type: 'media', link: 'https://x/y.png', format: 'image' }] },
				{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'currency', currency: { fallbackValue: 'R$ 10', code: 'BRL', amount1000: 10000 } }] },
				{ type: 'button', parameters: [] },
				{ type: 'button', parameters: [{ type: 'text', text: 'ord-42' }] },
			],
		})).toEqual({ name: 'order_ready', language: 'pt_BR', body: { 1: 'Ana', 2: 'R$ 10' }, header: { link: 'https://x/y.png' }, buttons: { 1: 'ord-42' } });
		expect(templateParameters({ name: 'hi', language: { code: 'en' } })).toEqual({ name: 'hi', language: 'en', body: {} });
	});
});
