import { matchAnswer, optionsOf, QUESTION_TTL_MS } from './interactive';
import { InboundMessage } from './ports/events';
import { InteractiveMessage } from './ports/interactive';
import { ContactRecord } from './ports/records';

// The contact's open question (its `question` section, written here only): a question that went as a
// numbered text waits for the customer's typed answer. A "1" or "Yes" while it is the business's last
// word comes back as that choice, as a tapped button would; anything the business sends after it, a
// newer question, the answer itself or a day's wait closes it.

/** The question just went as a numbered text (WhatsApp message `messageId`). */
export function askQuestion(contact: ContactRecord, messageId: string, msg: InteractiveMessage, now = Date.now()): void {
	contact.question = { messageId, askedAt: now, options: optionsOf(msg).map((o) => ({ id: o.id, title: o.title })) };
}

/** The business said something else after it (another message, buttons the customer can tap): no typed answer is read as a choice any more. */
export function closeQuestion(contact: ContactRecord): void {
	if (contact.question) contact.question = undefined;
}

/**
 * The customer's message as the choice it names, when it answers the open question; else the message
 * as it came. Changes nothing: once the choice is in the room, `closeQuestion` (a second "1" is just text).
 */
export function answerQuestion(contact: ContactRecord, msg: InboundMessage, now = Date.now()): InboundMessage {
	const q = contact.question;
	if (!q || now - q.askedAt > QUESTION_TTL_MS || msg.content.kind !== 'text') return msg;
	const picked = matchAnswer(q.options, msg.content.text);
	if (!picked) return msg;
	return { ...msg, content: { kind: 'choice', text: picked.title, choiceId: picked.id, inReplyTo: q.messageId } };
}
