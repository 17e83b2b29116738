import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IJobContext, IProcessor, StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { InboundService } from '../core/InboundService';
import { OutboundService } from '../core/OutboundService';
import { RecoveryService, recoveryDue } from '../core/RecoveryService';
import { QR_JOB, QrJobData, refreshQr } from '../commands/QrLink';
import { GreenApiProvider } from '../providers/greenapi/GreenApiProvider';
import { readSettings } from '../settings';
import { InstanceStore } from '../store/InstanceStore';
import { Store } from '../store/Store';
import { RETRY_JOB } from './schedule';

export const TICK_JOB = 'gab-tick';
export const TICK_INTERVAL = '60 seconds';

/**
 * RETRY_JOB (data.chatKey, data.direction): one customer's parked inbound or queued outbound messages, now.
 * TICK_JOB: the safety net for anything due whose retry job was lost. Each run is short and idempotent.
 */
export function processors(provider: GreenApiProvider): IProcessor[] {
	const run = async (ctx: IJobContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence) => {
		const a = { read, modify, http, persis };
		const settings = await readSettings(read);
		const policy = { maxAttempts: settings.maxAttempts, maxAgeMs: settings.giveUpAfterMinutes * 60_000 };
		const instances = new InstanceStore(new Store(read.getPersistenceReader(), persis));
		const instanceOf = (id: string) => instances.get(id);
		const inbound = new InboundService(provider, a);
		const outbound = new OutboundService(provider, a);
		const now = Date.now();
		const chatKey = typeof ctx.chatKey === 'string' ? ctx.chatKey : undefined;
		if (chatKey) {
			// (a job without a direction tries both queues)
			if (ctx.direction !== 'out') await inbound.retryChat(instanceOf, chatKey, now, policy);
			if (ctx.direction !== 'in') await outbound.retryChat(chatKey, now, policy);
		} else {
			await inbound.retryDue(instanceOf, now, policy);
			await outbound.retryDue(now, policy);
			if (recoveryDue(now)) await new RecoveryService(provider, a).run(now);
		}
	};
	const qr = async (ctx: IJobContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence) =>
		refreshQr({ read, modify, http, persis }, provider, ctx as unknown as QrJobData);
	return [
		{ id: QR_JOB, processor: qr },
		{ id: TICK_JOB, processor: run, startupSetting: { type: StartupType.RECURRING, interval: TICK_INTERVAL, skipImmediate: true } },
		{ id: RETRY_JOB, processor: run },
	];
}
