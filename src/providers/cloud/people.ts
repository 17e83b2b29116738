// The ids a Cloud API payload names a customer by, as the core's neutral person ids. A phone-based
// `wa_id` is the chat id whenever there is one (it is what sends go to and what a customer known before
// usernames is stored under); a business-scoped user id (BSUID) is the chat id of a username-only customer.

import { PersonId } from '../../core/ports/events';
import { AnsweredRecipient } from '../../core/ports/provider';
import { displayName, Json, obj } from '../shared/json';
import { asBsuid, asWaId } from './ids';

export interface CloudIds {
	waId?: string;
	userId?: string;
	parentUserId?: string;
	username?: string;
}

/** The ids as person ids (the chat id among them is named by the caller as the event's chatId). */
export function cloudPeople(ids: CloudIds): PersonId[] {
	const people: PersonId[] = [];
	if (ids.waId) people.push({ kind: 'chat', value: ids.waId }, { kind: 'phone', value: `+${ids.waId}` });
	if (ids.userId) people.push({ kind: 'chat', value: ids.userId }, { kind: 'user-id', value: ids.userId });
	if (ids.parentUserId) people.push({ kind: 'parent-user-id', value: ids.parentUserId });
	if (ids.username) people.push({ kind: 'username', value: ids.username });
	return people;
}

/** The chat id of a customer with these ids: the wa_id when known, else the BSUID. */
export function chatIdOf(ids: CloudIds): string | undefined {
	return ids.waId ?? ids.userId;
}

/** `contacts[i]` of a webhook or a send's answer → its ids (each only when of the documented shape). */
export function idsOfContact(c: Json | undefined): CloudIds {
	const ids: CloudIds = {};
	const waId = asWaId(c?.wa_id);
	const userId = asBsuid(c?.user_id);
	const parentUserId = asBsuid(c?.parent_user_id);
	const username = displayName(obj(c?.profile)?.username, 64);
	if (waId) ids.waId = waId;
	if (userId) ids.userId = userId;
	if (parentUserId) ids.parentUserId = parentUserId;
	if (username) ids.username = username;
	return ids;
}

/** A send's answer `contacts[0]` (`{input, wa_id}` or `{input, user_id}`): who WhatsApp says received it. */
export function answeredRecipient(c: Json | undefined): AnsweredRecipient | undefined {
	const ids = idsOfContact(c);
	const chatId = chatIdOf(ids);
	return chatId ? { chatId, people: cloudPeople(ids) } : undefined;
}
