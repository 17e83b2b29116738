import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { postNotice } from '../rocketchat/Omnichannel';
import { Setting } from '../settings';

/** A note for admins in the room picked in the settings (nothing when none is picked). */
export async function alertAdmins(read: IRead, modify: IModify, text: string): Promise<void> {
	const roomId = (await read.getEnvironmentReader().getSettings().getById(Setting.AlertRoom))?.value;
	if (typeof roomId === 'string' && roomId) await postNotice(read, modify, roomId, text);
}
