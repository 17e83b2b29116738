import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IRoom } from '@rocket.chat/apps-engine/definition/rooms';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { ProviderDirectory } from '../core/ports/provider';
import { describeFailure } from '../core/failures';
import { t } from '../i18n/translate';
import { HttpAdapter } from '../rocketchat/HttpAdapter';
import { notifyUser } from '../rocketchat/RocketChatAdapter';
import { InstanceStore } from '../store/InstanceStore';
import { Store } from '../store/Store';

export const QR_JOB = 'gab-qr';
/** WhatsApp rotates the code about every 20 s; keep showing fresh ones for two minutes. */
export const QR_REFRESH_MS = 20_000;
export const QR_TIMEOUT_MS = 120_000;

export interface QrJobData {
	instanceId: string;
	userId: string;
	roomId: string;
	until: number;
	/** Also post the code into the room (for admins whose client does not show inline images). */
	inRoom?: boolean;
}

interface Ctx {
	read: IRead;
	modify: IModify;
	http: IHttp;
	persis: IPersistence;
}

/**
 * Shows the instance's QR code privately to `user` (and, with `inRoom`, as an image file in the room
 * the admin chose), and keeps refreshing it (a one-off job every QR_REFRESH_MS) until the phone is
 * linked or QR_TIMEOUT_MS passed. Returns false when there was nothing to show (already linked,
 * unknown instance, provider error: the user was told).
 */
export async function showQr(c: Ctx, providers: ProviderDirectory, instanceId: string, user: IUser, room: IRoom, until: number, inRoom = false): Promise<boolean> {
	const say = (text: string, attachment?: object) => notifyUser(c.read, c.modify, user, room, text, attachment);
	const record = await new InstanceStore(new Store(c.read.getPersistenceReader(), c.persis)).get(instanceId, true);
	if (!record) {
		await say(t('instance_unknown', { id: instanceId }));
		return false;
	}
	const qr = providers.get(record.provider)?.admin.qr;
	if (!qr) {
		await say(t('qr_not_applicable', { id: instanceId }));
		return false;
	}
	const r = await qr(new HttpAdapter(c.http), record);
	if (!r.ok) {
		await say(t('qr_failed', { id: instanceId, reason: describeFailure(r) }));
		return false;
	}
	if (r.kind === 'linked') {
		await say(t('qr_already_linked', { id: instanceId }));
		return false;
	}
	if (Date.now() >= until) {
		await say(t('qr_timed_out', { id: instanceId }));
		return false;
	}
	await say(t('qr_scan', { id: instanceId }), { imageUrl: `data:image/png;base64,${r.pngBase64}`, title: { value: t('qr_title', { id: instanceId }) } });
	if (inRoom) {
		const appUser = await c.read.getUserReader().getAppUser();
		await c.modify.getCreator().getUploadCreator().uploadBuffer(Buffer.from(r.pngBase64, 'base64'), { filename: `whatsapp-qr-${instanceId}.png`, room, user: appUser });
	}
	const data: QrJobData = { instanceId, userId: user.id, roomId: room.id, until, inRoom };
	await c.modify.getScheduler().scheduleOnce({ id: QR_JOB, when: new Date(Date.now() + QR_REFRESH_MS), data });
	return true;
}

/** The refresh job: the next code, "linked" once the provider says so, or "timed out". */
export async function refreshQr(c: Ctx, providers: ProviderDirectory, data: QrJobData): Promise<void> {
	const [user, room] = await Promise.all([c.read.getUserReader().getById(data.userId), c.read.getRoomReader().getById(data.roomId)]);
	if (!user || !room) return;
	await showQr(c, providers, data.instanceId, user, room, data.until, data.inRoom === true);
}
