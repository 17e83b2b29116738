// What a user does to an existing message from the Rocket.Chat client — react, edit, delete — and the app
// event each fires, copied from Rocket.Chat:
// - reactions: apps/meteor/app/reactions/server/setReaction.ts (executeSetReaction: the name must be in emoji.list or a
//   custom emoji, then setReaction), which ends with
//   `Apps.self?.triggerEvent(IPostMessageReacted, message, user, reaction, isReacted)`;
// - edits: apps/meteor/app/lib/server/functions/updateMessage.ts behind chat.update's canEditMessage
//   (apps/meteor/app/authorization/server/functions/canEditMessage.ts): IPostMessageUpdated with the new message;
// - deletes: apps/meteor/app/lib/server/functions/deleteMessage.ts behind canDeleteMessage: the message is removed
//   (Message_KeepHistory and Message_ShowDeletedStatus off by default), then IPostMessageDeleted(message, user);
// and apps/meteor/app/apps/server/bridges/listeners.ts, which hands the engine `{ message, user, reaction,
// isReacted }` for reactions and `{ message, user }` for deletions.
import { clone, meteorError, RcState, StoredMessage, StoredUser } from '../state';
import { applyEdit } from './messages';

const PRIVILEGED = ['admin', 'livechat-manager', 'livechat-monitor'];

function mustMessage(rc: RcState, id: string): StoredMessage {
	const m = rc.message(id);
	if (!m) throw meteorError('error-not-allowed', 'Not allowed');
	return m;
}

/** canAccessRoom for the rooms tests use: livechat rooms for the serving agent and managers, others for members. */
function canAccess(rc: RcState, user: StoredUser, rid: string): boolean {
	const room = rc.room(rid);
	if (!room) return false;
	if (user.roles.some((r) => PRIVILEGED.includes(r))) return true;
	return room.type === 'l' ? room.servedBy?.id === user.id : room.memberIds.includes(user.id) || room.type === 'c';
}

/**
 * emoji.list: what emoji-emojione/server/lib.ts fills from emoji-toolkit (JoyPixels, lib/getEmojiConfig.ts): every
 * emoji's shortname and its alternates. The package is the same list (version 7.0.1 here; the one a given Rocket.Chat
 * release pins was not read).
 */
let standardNames: Set<string> | undefined;
export function isStandardEmoji(name: string): boolean {
	if (!standardNames) {
		// eslint-disable-next-line @typescript-eslint/no-var-requires
		const list = require('emoji-toolkit/emoji.json') as Record<string, { shortname: string; shortname_alternates?: string[] }>;
		standardNames = new Set(Object.values(list).flatMap((e) => [e.shortname, ...(e.shortname_alternates || [])]));
	}
	return standardNames.has(name);
}

/** executeSetReaction: toggles (or sets, with shouldReact) the user's reaction; returns isReacted, undefined when nothing changed. */
export function setReaction(rc: RcState, p: { messageId: string; userId: string; reaction: string; shouldReact?: boolean }): boolean | undefined {
	// `emoji.list[reaction]` or a custom emoji by name or alias (EmojiCustom.countByNameOrAlias)
	const bare = p.reaction.replace(/:/g, '');
	const reaction = `:${bare}:`;
	if (!isStandardEmoji(reaction) && !rc.customEmoji.some((e) => e.name === bare || e.aliases.includes(bare))) throw meteorError('error-not-allowed', 'Invalid emoji provided.');
	const user = rc.user(p.userId);
	if (!user) throw meteorError('error-invalid-user', 'Invalid user');
	const message = mustMessage(rc, p.messageId);
	const already = !!message.reactions?.[reaction]?.usernames.includes(user.username);
	const shouldReact = p.shouldReact ?? !already;
	if (already === shouldReact) return undefined;
	if (!canAccess(rc, user, message.rid)) throw meteorError('not-authorized', 'Not Authorized');
	const reactions = message.reactions || {};
	if (already) {
		reactions[reaction].usernames = reactions[reaction].usernames.filter((u) => u !== user.username);
		if (!reactions[reaction].usernames.length) delete reactions[reaction];
	} else {
		reactions[reaction] = { usernames: [...(reactions[reaction]?.usernames || []), user.username] };
	}
	message.reactions = Object.keys(reactions).length ? reactions : undefined;
	rc.effect('message.reacted', { messageId: message.id, userId: user.id, reaction, isReacted: shouldReact });
	rc.fire('IPostMessageReacted', { message: rc.toAppMessage(message), user: rc.toAppUser(user), reaction, isReacted: shouldReact }, { messageId: message.id });
	return shouldReact;
}

const setting = (rc: RcState, id: string, fallback: unknown) => rc.serverSetting(id)?.value ?? fallback;

/** The author may edit/delete their message while the setting allows it and the block-after minutes have not passed; admins always. */
function mayChange(rc: RcState, user: StoredUser, message: StoredMessage, kind: 'Editing' | 'Deleting'): boolean {
	if (user.roles.includes('admin')) return true;
	if (!setting(rc, `Message_Allow${kind}`, true) || message.sender.id !== user.id) return false;
	const minutes = Number(setting(rc, `Message_Allow${kind}_Block${kind === 'Editing' ? 'Edit' : 'Delete'}InMinutes`, 0));
	return !minutes || rc.now().getTime() - message.createdAt.getTime() < minutes * 60_000;
}

/** chat.update: canEditMessage, then updateMessage (editedAt, editedBy) and IPostMessageUpdated. */
export function editMessage(rc: RcState, p: { messageId: string; userId: string; text: string }): StoredMessage {
	const user = rc.user(p.userId);
	const message = mustMessage(rc, p.messageId);
	if (!user || !mayChange(rc, user, message, 'Editing')) throw meteorError('error-action-not-allowed', 'Message editing not allowed');
	applyEdit(rc, message, { text: p.text }, { id: user.id, username: user.username });
	return message;
}

/** chat.delete: canDeleteMessage, then deleteMessage (removed) and IPostMessageDeleted with the deleted message and the user. */
export function deleteMessage(rc: RcState, p: { messageId: string; userId: string }): void {
	const user = rc.user(p.userId);
	const message = mustMessage(rc, p.messageId);
	if (!user || !mayChange(rc, user, message, 'Deleting')) throw meteorError('error-action-not-allowed', 'Not allowed');
	const deleted = rc.toAppMessage(message);
	rc.messages.splice(rc.messages.indexOf(message), 1);
	const room = rc.room(message.rid);
	if (room) room.messageCount = Math.max(0, room.messageCount - 1);
	rc.effect('message.deleted', { messageId: message.id, byUserId: user.id });
	rc.fire('IPostMessageDeleted', { message: clone(deleted), user: rc.toAppUser(user) }, { messageId: message.id });
}
