import { IModify } from '@rocket.chat/apps-engine/definition/accessors';
import { QrRefresh, QrScheduler, RetryDirection, RetryScheduler } from '../core/ports/scheduler';

export const RETRY_JOB = 'gab-retry';
export const WINDOW_JOB = 'gab-window';
export const QR_JOB = 'gab-qr';

/**
 * The scheduler is the timer for retries: one durable one-off job per parked chat and direction, due
 * at `at`. When it fires, that queue of that chat is tried regardless of the clock (the scheduler
 * already waited).
 */
export class RocketChatRetryScheduler implements RetryScheduler, QrScheduler {
	constructor(private readonly modify: IModify) {}

	public async scheduleRetry(direction: RetryDirection, chatKey: string, at: number): Promise<void> {
		await this.modify.getScheduler().scheduleOnce({ id: RETRY_JOB, when: new Date(at), data: { chatKey, direction } });
	}

	public async scheduleWindowCheck(chatKey: string, at: number): Promise<void> {
		await this.modify.getScheduler().scheduleOnce({ id: WINDOW_JOB, when: new Date(at), data: { chatKey } });
	}

	public async scheduleQrRefresh(data: QrRefresh, at: number): Promise<void> {
		await this.modify.getScheduler().scheduleOnce({ id: QR_JOB, when: new Date(at), data: { ...data } });
	}
}
