import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { backoffMs } from '../../src/core/ChatQueue';
import { isAgentMessageForUs, isNewAgentMessageForUs, messageAuthor, toAgentMessage } from '../../src/rocketchat/agentMessages';

const APP = 'app-1';
const agentMessage = (over: Partial<IMessage> & Record<string, unknown> = {}): IMessage => ({
	id: 'M1',
	room: { id: 'R1', type: 'l', source: { type: 'app', id: APP } } as never,
	sender: { id: 'U1', type: 'user', roles: ['livechat-agent'] } as never,
	text: 'hello',
	...over,
}) as IMessage;

describe('which messages go to WhatsApp', () => {
	it('takes agent messages in our livechat rooms', () => {
		expect(isAgentMessageForUs(agentMessage(), APP)).toBe(true);
	});

	it.each([
		['visitor messages', { token: 'vt' }],
		['system messages', { type: 'livechat-started' }],
		['the app user', { sender: { id: 'A', type: 'app' } }],
		['other rooms', { room: { id: 'R', type: 'c' } }],
		["another app's rooms", { room: { id: 'R', type: 'l', source: { type: 'app', id: 'other' } } }],
		['a template the app showed as the agent\'s message', { blocks: [{ type: 'section' }, { type: 'context', blockId: 'gab-sent-template', appId: APP }] }],
	])('skips %s', (_name, over) => {
		expect(isAgentMessageForUs(agentMessage(over as never), APP)).toBe(false);
	});
});

describe("bots and other apps' users (the *bot messages* setting)", () => {
	const bot = agentMessage({ sender: { id: 'B', type: 'bot', roles: ['bot'] } } as never);
	const otherApp = agentMessage({ sender: { id: 'C', type: 'app', appId: 'chatbot-app' } } as never);
	const ownApp = agentMessage({ sender: { id: 'A', type: 'app', appId: APP } } as never);
	const appWithoutId = agentMessage({ sender: { id: 'X', type: 'app' } } as never);

	it('tells a person, a bot (type bot, or ANOTHER app\'s user) and this app\'s own user apart', () => {
		expect(messageAuthor(agentMessage(), APP)).toBe('person');
		expect(messageAuthor(bot, APP)).toBe('bot');
		expect(messageAuthor(otherApp, APP)).toBe('bot');
		expect(messageAuthor(ownApp, APP)).toBe('none');
		expect(messageAuthor(appWithoutId, APP)).toBe('none'); // could be ours: never sent
		expect(messageAuthor(agentMessage({ token: 'vt' }), APP)).toBe('none');
		expect(messageAuthor(agentMessage({ sender: { id: 'V', type: 'unknown' } } as never), APP)).toBe('none');
	});

	it('sends bots\' messages only when the setting allows, this app\'s notes never', () => {
		expect(isNewAgentMessageForUs(bot, APP)).toBe(false);
		expect(isNewAgentMessageForUs(otherApp, APP)).toBe(false);
		expect(isNewAgentMessageForUs(bot, APP, true)).toBe(true);
		expect(isNewAgentMessageForUs(otherApp, APP, true)).toBe(true);
		expect(isNewAgentMessageForUs(ownApp, APP, true)).toBe(false);
		expect(isNewAgentMessageForUs(appWithoutId, APP, true)).toBe(false);
		expect(isNewAgentMessageForUs(agentMessage(), APP, false)).toBe(true);
	});
});

describe('edited agent messages', () => {
	it('are agent messages (the update hook edits them on WhatsApp), but not new ones to send', () => {
		const edited = agentMessage({ editedAt: new Date() });
		expect(isAgentMessageForUs(edited, APP)).toBe(true);
		expect(isNewAgentMessageForUs(edited, APP)).toBe(false);
		expect(isNewAgentMessageForUs(agentMessage(), APP)).toBe(true);
	});
});

it("another app's block with the same id does not hide an agent message", () => {
	expect(isAgentMessageForUs(agentMessage({ blocks: [{ type: 'context', blockId: 'gab-sent-template', appId: 'other' }] } as never), APP)).toBe(true);
});

describe('toAgentMessage', () => {
	it('strips the quote markup and keeps the quoted id', () => {
		const msg = agentMessage({
			text: '[ ](http://rc.test/live/R1?msg=Q9) yes, that one',
			attachments: [{ text: 'which?', timestampLink: 'http://rc.test/live/R1?msg=Q9' } as never],
		});
		expect(toAgentMessage(msg)).toEqual({ id: 'M1', roomId: 'R1', text: 'yes, that one', quotedRcId: 'Q9', file: undefined });
	});

	it('takes the real file (not the thumbnail) and the caption from the attachment', () => {
		const msg = agentMessage({
			text: '',
			files: [{ _id: 'T', name: 'thumb-a.png', type: 'image/png', typeGroup: 'thumb' }, { _id: 'F', name: 'a.png', type: 'image/png', typeGroup: 'image' }],
			file: { _id: 'F', name: 'a.png', type: 'image/png' },
			attachments: [{ description: 'the part' } as never],
		} as never);
		const out = toAgentMessage(msg);
		expect(out.file).toEqual({ id: 'F', name: 'a.png', type: 'image/png' });
		expect(out.text).toBe('the part');
	});
});

describe('backoffMs', () => {
	it('grows exponentially with jitter and a cap', () => {
		expect(backoffMs(0, () => 0.5)).toBe(30_000);
		expect(backoffMs(2, () => 0.5)).toBe(120_000);
		expect(backoffMs(20, () => 0.5)).toBe(30 * 60_000);
		expect(backoffMs(1, () => 0)).toBe(48_000);
		expect(backoffMs(1, () => 1)).toBe(72_000);
	});
});
