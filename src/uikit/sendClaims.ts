// A modal's Send goes to a job under a claim (one per view id), so a double click, a retried job or a job
// that died half-way never sends twice: the interaction claims and schedules, the job takes the claim once.

import { IModify, IRead } from '@rocket.chat/apps-engine/definition/accessors';
import { IUser } from '@rocket.chat/apps-engine/definition/users';
import { TemplateSendClaim, TemplateSendClaims } from '../core/ports/templates';
import { notifyUser } from '../rocketchat/RocketChatAdapter';

/** What the claim helpers use of an interaction's or a job's accessors. */
type Accessors = { read: IRead; modify: IModify };

/** How long a claim is kept after its Send: a later duplicate of the same modal is still recognised. */
export const CLAIM_KEPT_MS = 60 * 60_000;

/** Claims `viewId` and schedules its send job now and the claim's cleanup job after CLAIM_KEPT_MS. */
export async function queueClaimedSend(a: Accessors, claims: TemplateSendClaims, jobs: { send: string; cleanup: string }, job: { viewId: string }): Promise<void> {
	await claims.save({ viewId: job.viewId, state: 'queued', at: Date.now() });
	const scheduler = a.modify.getScheduler();
	await scheduler.scheduleOnce({ id: jobs.send, when: new Date(), data: job as never });
	await scheduler.scheduleOnce({ id: jobs.cleanup, when: new Date(Date.now() + CLAIM_KEPT_MS), data: { viewId: job.viewId } });
}

export interface TakenClaim {
	/** The agent who pressed Send (undefined when the user is gone). */
	user?: IUser;
	/** Tells the agent privately in the room (when both still exist). */
	tell(text: string): Promise<void>;
	/** Records how the send ended. */
	finish(outcome: string): Promise<void>;
}

/** The job's side: the claim, taken once (undefined when an earlier run already took it). */
export async function takeClaim(a: Accessors, claims: TemplateSendClaims, job: { viewId: string; userId: string; roomId: string }): Promise<TakenClaim | undefined> {
	const record = await claims.get(job.viewId);
	// Claimed by an earlier run (a retried job, or one that died while sending): never sent twice.
	if (!record || record.state !== 'queued') return undefined;
	await claims.save({ ...record, state: 'sending', at: Date.now() });
	const user = await a.read.getUserReader().getById(job.userId);
	const room = await a.read.getRoomReader().getById(job.roomId);
	return {
		user,
		tell: async (text) => {
			if (user && room) await notifyUser(a.read, a.modify, user, room, text);
		},
		finish: (outcome) => claims.save({ ...record, state: 'done', at: Date.now(), outcome } as TemplateSendClaim),
	};
}
