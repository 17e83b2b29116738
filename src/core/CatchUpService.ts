import { waitingKeys } from './ChatQueue';
import { chatKeyOf, findLink } from './contacts';
import { CoreDeps } from './Core';
import { errorText } from './failures';
import { OutboundService } from './OutboundService';

/** How far back agent messages are caught up (older ones were answered some other way by now). */
export const CATCH_UP_WINDOW_MS = 24 * 60 * 60_000;
/** Newest messages read per room, and rooms looked at per run: bounded cost after a restart. */
const MESSAGES_PER_ROOM = 20;
const MAX_ROOMS = 200;

// The first tick after a start (a new process, or the app enabled again in the same one) catches up.
// Cache: whether this process caught up already; losing it (a new process) is exactly when a catch-up is due.
let caughtUp = false;

export function catchUpDue(): boolean {
	return !caughtUp;
}

/** The app was (re)enabled: agents may have written while it was not running. */
export function requestCatchUp(): void {
	caughtUp = false;
}

/**
 * Rocket.Chat does not replay IPostMessageSent for an app that was not running (restart, update,
 * disable/enable, crash): agent messages written meanwhile would never reach WhatsApp. After a start,
 * the open WhatsApp rooms' newest messages are read, and every agent message written after the newest
 * one the app took (and not already sent or queued) goes out, in order, once.
 */
export class CatchUpService {
	constructor(private readonly deps: CoreDeps) {}

	public async run(now = Date.now()): Promise<{ rooms: number; sent: number }> {
		caughtUp = true;
		const rooms = (await this.deps.openRooms.list()).sort((a, b) => b.openedAt - a.openedAt).slice(0, MAX_ROOMS);
		const appUserId = await this.deps.rc.appUserId();
		let sent = 0;
		for (const room of rooms) {
			try {
				sent += await this.room(room.roomId, appUserId, now);
			} catch (e) {
				this.deps.log?.error(`catch-up of room ${room.roomId}: ${errorText(e)}`);
			}
		}
		if (sent) this.deps.log?.info(`catch-up: ${sent} agent message(s) written while the app was not running sent`);
		return { rooms: rooms.length, sent };
	}

	private async room(roomId: string, appUserId: string | undefined, now: number): Promise<number> {
		const heads = await this.deps.rc.recentMessages(roomId, MESSAGES_PER_ROOM);
		const recent = heads.filter((m) => m.senderId !== appUserId && now - m.createdAt < CATCH_UP_WINDOW_MS);
		if (recent.length === 0) return 0;
		const contact = await this.deps.contacts.byRoom(roomId);
		if (!contact || contact.roomId !== roomId) {
			await this.deps.openRooms.remove(roomId); // closed while the app was not running
			return 0;
		}
		// A contact from before catch-up existed (agent messages sent, no lastAgentAt) has no safe floor.
		const floor = contact.lastAgentAt ?? (contact.links.some((l) => l.dir === 'out') ? undefined : contact.conversationStartedAt ?? 0);
		if (floor === undefined) return 0;
		const fresh = recent.filter((m) => m.senderId !== contact.visitorId && m.createdAt > floor && !findLink(contact, { rc: m.id }));
		if (fresh.length === 0) return 0;
		// Taken but not sent yet (the app stopped mid-send): the outbox has it and its retry sends it.
		const queued = new Set([...waitingKeys(contact, 'out'), ...(await this.deps.outbox.forChat(chatKeyOf(contact.instanceId, contact.chatId))).map((i) => i.key)]);
		const candidates = fresh.filter((m) => !queued.has(m.id)).sort((a, b) => a.createdAt - b.createdAt);
		let sent = 0;
		for (const head of candidates) {
			const msg = await this.deps.rc.agentMessage(head.id);
			if (!msg) continue; // a system message, an app's note
			// Through the normal path: recorded, ordered behind anything queued for this customer, retried.
			await new OutboundService(this.deps).send(msg);
			sent += 1;
		}
		return sent;
	}
}
