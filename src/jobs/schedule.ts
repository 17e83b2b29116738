import { IModify } from '@rocket.chat/apps-engine/definition/accessors';

export const RETRY_JOB = 'gab-retry';

/** Each direction has its own retry chain: one job spends one attempt of one queue. */
export type RetryDirection = 'in' | 'out';

/**
 * The scheduler is the timer for retries: one durable one-off job per parked chat and direction, due
 * at `at`. When it fires, that queue of that chat is tried regardless of the clock (the scheduler
 * already waited).
 */
export async function scheduleRetry(modify: IModify, direction: RetryDirection, chatKey: string, at: number): Promise<void> {
	await modify.getScheduler().scheduleOnce({ id: RETRY_JOB, when: new Date(at), data: { chatKey, direction } });
}
