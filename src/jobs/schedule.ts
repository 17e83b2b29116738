import { IModify } from '@rocket.chat/apps-engine/definition/accessors';

export const RETRY_JOB = 'gab-retry';

/**
 * The scheduler is the timer for retries: one durable one-off job per parked chat, due at `at`.
 * When it fires, that chat's queue is tried regardless of the clock (the scheduler already waited).
 */
export async function scheduleRetry(modify: IModify, chatKey: string, at: number): Promise<void> {
	await modify.getScheduler().scheduleOnce({ id: RETRY_JOB, when: new Date(at), data: { chatKey } });
}
