// Finding a customer by any id a webhook names them by: the person index (one entry per id → the chat the
// contact is keyed by), else a contact stored under the id itself (records older than the index). Kept apart
// from core/identity.ts, which links ids and opens conversations, so lookups import nothing that opens rooms.

import type { CoreDeps } from './Core';
import { PersonId } from './ports/events';
import { ContactRecord } from './ports/records';

type LookupDeps = Pick<CoreDeps, 'contacts' | 'people'>;

/** `kind:value`, as stored in the index and in `ContactRecord.people`. */
export function personKey(id: PersonId): string {
	return `${id.kind}:${id.value}`;
}

/** The ids an event names its customer by: its chat id first, then the others (the sender's phone among them), each once. */
export function personIdsOf(e: { chatId: string; people?: PersonId[]; isGroup?: boolean; sender?: { phone?: string } }): PersonId[] {
	if (e.isGroup) return [];
	const all: PersonId[] = [{ kind: 'chat', value: e.chatId }, ...(e.people || []), ...(e.sender?.phone ? [{ kind: 'phone' as const, value: e.sender.phone }] : [])];
	const seen = new Set<string>();
	return all.filter((id) => !seen.has(personKey(id)) && !!seen.add(personKey(id)));
}

/** Kinds whose value may be the key of a contact stored before the person index existed. */
const KEY_KINDS = new Set<PersonId['kind']>(['chat', 'user-id', 'lid']);

/** The contact any of `ids` is linked to (in the order given), else one stored under one of them as its key. */
export async function findContactByAnyPersonId(deps: LookupDeps, instanceId: string, ids: PersonId[]): Promise<ContactRecord | undefined> {
	const chatId = await findChatOfAnyPersonId(deps, instanceId, ids);
	return chatId ? deps.contacts.get(instanceId, chatId) : undefined;
}

/** The chat (contact key) any of `ids` belongs to; `noContactAt`: a chat the caller just read and found no contact under. */
export async function findChatOfAnyPersonId(deps: LookupDeps, instanceId: string, ids: PersonId[], noContactAt?: string): Promise<string | undefined> {
	for (const id of ids) {
		const chatId = await deps.people.chatOf(instanceId, personKey(id));
		if (chatId) return chatId;
	}
	for (const id of ids) {
		if (!KEY_KINDS.has(id.kind) || id.value === noContactAt) continue;
		if (await deps.contacts.get(instanceId, id.value)) return id.value;
	}
	return undefined;
}
