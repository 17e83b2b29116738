import { CoreDeps } from './Core';
import { errorText } from './failures';
import { InstanceRecord } from './ports/records';

// Notes for agents and alerts for admins are courtesy output: one that fails (room gone, a Rocket.Chat
// limit) is logged and never blocks a queue nor fails a webhook, which would only repeat it forever.

/** A note from the app user in the room; the note's id, or undefined when it could not be posted. */
export async function noticeInRoom(deps: CoreDeps, roomId: string, text: string): Promise<string | undefined> {
	try {
		return await deps.rc.postNotice(roomId, text);
	} catch (e) {
		deps.log?.error(`note in room ${roomId} not posted: ${errorText(e)}`);
		return undefined;
	}
}

/** An alert for admins: the alert room, else a direct message to whoever added the number. */
export async function alertAdmins(deps: CoreDeps, instance: Pick<InstanceRecord, 'addedBy'> | undefined, text: string): Promise<void> {
	try {
		const delivered = await deps.rc.alertAdmins(text, instance?.addedBy ? [instance.addedBy] : []);
		if (!delivered) deps.log?.error(`admin alert not delivered (pick a room for admin alerts in the app settings): ${text}`);
	} catch (e) {
		deps.log?.error(`admin alert not delivered: ${errorText(e)}: ${text}`);
	}
}
