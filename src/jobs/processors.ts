import { IHttp, IModify, IPersistence, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IJobContext, IProcessor, StartupType } from '@rocket.chat/apps-engine/definition/scheduler';
import { InboundService } from '../core/InboundService';
import { OutboundService } from '../core/OutboundService';
import { WhatsAppProvider } from '../providers/Provider';
import { readSettings } from '../settings';
import { InstanceStore } from '../store/InstanceStore';
import { Store } from '../store/Store';

export const TICK_JOB = 'gab-tick';
export const RETRY_JOB = 'gab-retry';
export const TICK_INTERVAL = '30 seconds';

/** Drains parked inbound messages and the outbound queue. Each run is short and idempotent. */
async function drain(provider: WhatsAppProvider, read: IRead, modify: IModify, http: IHttp, persis: IPersistence): Promise<void> {
	const a = { read, modify, http, persis };
	const settings = await readSettings(read);
	const policy = { maxAttempts: settings.maxAttempts, maxAgeMs: settings.giveUpAfterMinutes * 60_000 };
	const instances = new InstanceStore(new Store(read.getPersistenceReader(), persis));
	const now = Date.now();
	await new InboundService(provider, a).retryPending((id) => instances.get(id), now, policy);
	await new OutboundService(provider, a).retryPending(now, policy);
}

export function processors(provider: WhatsAppProvider): IProcessor[] {
	const run = async (_ctx: IJobContext, read: IRead, modify: IModify, http: IHttp, persis: IPersistence) => drain(provider, read, modify, http, persis);
	return [
		{ id: TICK_JOB, processor: run, startupSetting: { type: StartupType.RECURRING, interval: TICK_INTERVAL, skipImmediate: true } },
		{ id: RETRY_JOB, processor: run },
	];
}
