import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IJobContext, IProcessor, StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { coreDeps } from '../compose';
import { CatchUpService, catchUpDue } from '../core/CatchUpService';
import { InboundService } from '../core/InboundService';
import { InstanceLifecycle } from '../core/InstanceLifecycle';
import { OutboundService } from '../core/OutboundService';
import { ProviderDirectory } from '../core/ports/provider';
import { RecoveryService, recoveryDue } from '../core/RecoveryService';
import { QR_JOB, RETRY_JOB, WINDOW_JOB } from '../rocketchat/RetryScheduler';
import { WindowReminder } from '../core/WindowReminder';
import { readSettings } from '../rocketchat/settings';

export const TICK_JOB = 'gab-tick';
export const TICK_INTERVAL = '60 seconds';

/**
 * RETRY_JOB (data.chatKey, data.direction): one customer's parked inbound or queued outbound messages, now.
 * TICK_JOB: the safety net for anything due whose retry job was lost. Each run is short and idempotent.
 * WINDOW_JOB (data.chatKey): the customer-service window reminder of one chat (core/WindowReminder.ts).
 */
/**
 * `applySettings` re-applies the process-wide settings (notice language, log level) on
 * every run: on Apps-Engine 1.46 a restarted app process never runs onEnable, so they would otherwise
 * fall back to their defaults (settings are read in-process, at no bridge call).
 */
export function processors(providers: ProviderDirectory, applySettings: (read: IRead) => Promise<void>): IProcessor[] {
	const run = async (ctx: IJobContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence) => {
		const deps = coreDeps({ read, modify, http, persis }, providers);
		await applySettings(read);
		const settings = await readSettings(read);
		const policy = { maxAttempts: settings.maxAttempts, maxAgeMs: settings.giveUpAfterMinutes * 60_000 };
		const inbound = new InboundService(deps);
		const outbound = new OutboundService(deps);
		const now = Date.now();
		const chatKey = typeof ctx.chatKey === 'string' ? ctx.chatKey : undefined;
		if (chatKey) {
			// (a job without a direction tries both queues)
			if (ctx.direction !== 'out') await inbound.retryChat(chatKey, now, policy);
			if (ctx.direction !== 'in') await outbound.retryChat(chatKey, now, policy);
		} else {
			if (catchUpDue()) await new CatchUpService(deps).run(now);
			await inbound.retryDue(now, policy);
			await outbound.retryDue(now, policy);
			if (recoveryDue(now)) await new RecoveryService(deps).run(now);
		}
	};
	// The next QR code of a number being linked (core/InstanceLifecycle.ts showQr).
	const qr = async (ctx: IJobContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence) => {
		const { instanceId, userId, roomId, until, inRoom } = ctx;
		if (typeof instanceId !== 'string' || typeof userId !== 'string' || typeof roomId !== 'string' || typeof until !== 'number') return;
		await new InstanceLifecycle(coreDeps({ read, modify, http, persis }, providers)).showQr({ instanceId, userId, roomId, until, inRoom: inRoom === true });
	};
	const window = async (ctx: IJobContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence) => {
		if (typeof ctx.chatKey === 'string') await new WindowReminder(coreDeps({ read, modify, http, persis }, providers)).check(ctx.chatKey);
	};
	return [
		{ id: QR_JOB, processor: qr },
		{ id: WINDOW_JOB, processor: window },
		{ id: TICK_JOB, processor: run, startupSetting: { type: StartupType.RECURRING, interval: TICK_INTERVAL, skipImmediate: true } },
		{ id: RETRY_JOB, processor: run },
	];
}
