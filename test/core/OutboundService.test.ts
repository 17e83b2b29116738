import { IMessage } from '@rocket.chat/apps-engine/definition/messages';
import { backoffMs } from '../../src/core/ChatQueue';
import { isAgentMessageForUs, isNewAgentMessageForUs, toAgentMessage } from '../../src/rocketchat/agentMessages';

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
	])('skips %s', (_name, over) => {
		expect(isAgentMessageForUs(agentMessage(over as never), APP)).toBe(false);
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
