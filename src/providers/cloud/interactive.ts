// Reply buttons and lists → the Cloud API's `type: interactive` body (Graph and 360dialog alike).

import { OutboundInteractive } from '../../core/ports/interactive';
import { Json } from '../shared/json';
import { envelope } from './outbound';

export function interactiveBody(msg: OutboundInteractive): Json {
	const interactive: Json = { type: msg.kind === 'buttons' ? 'button' : 'list', body: { text: msg.body } };
	if (msg.header) interactive.header = { type: 'text', text: msg.header };
	if (msg.footer) interactive.footer = { text: msg.footer };
	interactive.action =
		msg.kind === 'buttons'
			? { buttons: msg.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) }
			: {
					button: msg.button,
					sections: msg.sections.map((s) => ({
						...(s.title ? { title: s.title } : {}),
						rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) })),
					})),
			  };
	return { ...envelope(msg.chatId, msg.quotedMessageId), type: 'interactive', interactive };
}
