// SchedulerBridge modelled on RC's Agenda bridge. Jobs never run by themselves: runDueJobs() runs every job due on
// the harness clock by calling the processor function the engine registered (AppSchedulerManager.wrapProcessor),
// with `{...data, jobId}` and the internal appId stripped, exactly as RC's _callProcessor does.
import { SchedulerBridge } from '@rocket.chat/apps-engine/server/bridges/SchedulerBridge';
import { clone, objectId, RcState, StoredJob } from '../state';

const UNITS: Array<[RegExp, number]> = [[/^(ms|milliseconds?)$/, 1], [/^(s|secs?|seconds?)$/, 1e3], [/^(m|mins?|minutes?)$/, 6e4], [/^(h|hours?)$/, 36e5], [/^(d|days?)$/, 864e5], [/^(w|weeks?)$/, 6048e5]];
/** human-interval subset: '<n> <unit>' or 'in <n> <unit>' (ms|seconds|minutes|hours|days|weeks, singular or plural). */
export function humanMs(s: string): number | undefined {
	const m = /^\s*(?:in\s+)?(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(s);
	const unit = m && UNITS.find(([re]) => re.test(m[2].toLowerCase()));
	return unit ? Number(m![1]) * unit[1] : undefined;
}
function whenToDate(rc: RcState, when: unknown): Date {
	// rc.shiftAppDates: an absolute time the app computed from its real-time clock, moved onto the harness clock
	const shift = rc.shiftAppDates ? rc.clockOffsetMs : 0;
	if (when instanceof Date) return new Date(when.getTime() + shift);
	if (typeof when === 'string') {
		const ms = humanMs(when);
		if (ms !== undefined) return new Date(rc.now().getTime() + ms);
		if (!Number.isNaN(Date.parse(when))) return new Date(Date.parse(when) + shift);
	}
	throw new Error(`Scheduler: unsupported "when" ${JSON.stringify(when)} (the test runtime supports a Date, an ISO string or "<n> seconds|minutes|hours")`);
}
function intervalToMs(interval: unknown): number {
	if (typeof interval === 'number') return interval;
	if (typeof interval === 'string' && /^\d+$/.test(interval.trim())) return Number(interval);
	const ms = typeof interval === 'string' ? humanMs(interval) : undefined;
	if (ms === undefined) throw new Error(`Scheduler: unsupported interval ${JSON.stringify(interval)} (cron is not implemented by the test runtime)`);
	return ms;
}

export class TestSchedulerBridge extends SchedulerBridge {
	/** `processors`: where registerProcessors puts the engine's wrapped processors (a second engine node keeps its own). */
	constructor(private readonly rc: RcState, private readonly processors: Map<string, (ctx: any) => Promise<void>> = rc.processors) {
		super();
	}
	public async registerProcessors(processors: any[] = [], appId: string): Promise<void | string[]> {
		const after: Array<Promise<void | string | undefined>> = [];
		for (const { id, processor, startupSetting } of processors) {
			this.processors.set(id, processor);
			this.rc.effect('job.processor', { processorId: id });
			if (startupSetting?.type === 'onetime' && !this.rc.jobs.some((j) => j.name === id && j.type === 'onetime')) {
				after.push(this.scheduleOnce({ id, when: startupSetting.when, data: startupSetting.data }, appId));
			} else if (startupSetting?.type === 'recurring') {
				after.push(this.scheduleRecurring({ id, interval: startupSetting.interval, skipImmediate: startupSetting.skipImmediate, data: startupSetting.data }, appId));
			}
		}
		if (after.length) return (await Promise.all(after)) as string[];
	}
	/**
	 * AppSchedulerBridge.scheduleOnce / scheduleRecurring (app/apps/server/bridges/scheduler.ts) wrap Agenda in
	 * try/catch: an error is logged and the app gets undefined, never the error. `rc.schedulerDown` is such an error
	 * (Agenda cannot write). A `when` / interval this runtime does not implement still throws, loudly: that is the
	 * runtime's gap, not Rocket.Chat's behaviour.
	 */
	public async scheduleOnce(job: any, appId: string): Promise<string | undefined> {
		if (this.rc.schedulerDown) return this.swallowed('scheduleOnce', job.id);
		return this.once(job, appId);
	}
	public async scheduleRecurring(job: any, appId: string): Promise<string | undefined> {
		if (this.rc.schedulerDown) return this.swallowed('scheduleRecurring', job.id);
		return this.recurring(job, appId);
	}
	private swallowed(method: string, id: string): undefined {
		this.rc.effect('job.schedule-failed', { method, processorId: id, error: 'agenda: cannot write the job' });
		return undefined;
	}
	private async once({ id, when, data }: any, appId: string): Promise<string> {
		const job: StoredJob = {
			id: objectId(), name: id, processorId: id.replace(`_${appId}`, ''), appId, type: 'onetime', nextRunAt: whenToDate(this.rc, when),
			data: { ...clone(data), appId }, createdAt: this.rc.now(), runCount: 0,
		};
		this.rc.jobs.push(job);
		this.rc.effect('job.scheduled', { jobId: job.id, processorId: job.processorId, type: job.type, nextRunAt: job.nextRunAt });
		return job.id;
	}
	/** Agenda `every` is unique by name: the same processor id updates its single recurring job. */
	private async recurring({ id, interval, skipImmediate = false, data }: any, appId: string): Promise<string> {
		const intervalMs = intervalToMs(interval);
		const now = this.rc.now().getTime();
		let job = this.rc.jobs.find((j) => j.name === id && j.type === 'recurring');
		if (job) {
			Object.assign(job, { interval, intervalMs, data: { ...clone(data), appId } });
			if (skipImmediate) job.nextRunAt = new Date(now + intervalMs);
		} else {
			job = {
				id: objectId(), name: id, processorId: id.replace(`_${appId}`, ''), appId, type: 'recurring', interval, intervalMs,
				nextRunAt: new Date(skipImmediate ? now + intervalMs : now), data: { ...clone(data), appId }, createdAt: this.rc.now(), runCount: 0,
			};
			this.rc.jobs.push(job);
		}
		this.rc.effect('job.scheduled', { jobId: job.id, processorId: job.processorId, type: job.type, interval, nextRunAt: job.nextRunAt });
		return job.id;
	}
	/** An ObjectId-looking first segment cancels that job document; anything else cancels all jobs of that name. */
	public async cancelJob(jobId: string, _appId?: string): Promise<void> {
		const first = jobId.split('_')[0];
		const byId = /^[0-9a-f]{24}$/i.test(first);
		this.drop((j) => (byId ? j.id === first : j.name === jobId), { jobId });
	}
	public async cancelAllJobs(appId: string): Promise<void> {
		this.drop((j) => j.name.endsWith(`_${appId}`), { appId });
	}
	private drop(pred: (j: StoredJob) => boolean, ref: Record<string, unknown>): void {
		const gone = this.rc.jobs.filter(pred);
		this.rc.jobs = this.rc.jobs.filter((j) => !gone.includes(j));
		this.rc.effect('job.cancelled', { ...ref, jobIds: gone.map((j) => j.id) });
	}
}

/** Runs (sequentially, concurrency 1 like RC's Agenda) every job due at the current harness time. One-off jobs are
 *  removed after a successful run (a failed one stays, never retried); recurring ones move to now + interval.
 *  `processors`: the node whose processors run the jobs (default: the first node's). A job another pass is running
 *  (lockedAt) is skipped, as Agenda's lock makes another node skip it. */
export async function runDueJobs(rc: RcState, processors: Map<string, (ctx: any) => Promise<void>> = rc.processors): Promise<number> {
	const now = rc.now().getTime();
	const due = rc.jobs.filter((j) => j.nextRunAt && j.nextRunAt.getTime() <= now && !j.lockedAt).sort((a, b) => a.nextRunAt!.getTime() - b.nextRunAt!.getTime());
	let ran = 0;
	for (const job of due) {
		const processor = processors.get(job.name);
		if (!rc.jobs.includes(job) || !processor || job.lockedAt) continue;
		const { appId: _internal, ...data } = clone(job.data);
		job.lastRunAt = rc.now();
		job.lockedAt = job.lastRunAt;
		job.runCount++;
		ran++;
		let error: string | undefined;
		try {
			await processor({ ...data, jobId: job.id });
		} catch (e) {
			error = e instanceof Error ? e.message : String(e);
		} finally {
			delete job.lockedAt;
		}
		job.lastError = error;
		if (job.type === 'onetime') {
			if (error) job.nextRunAt = null;
			else rc.jobs = rc.jobs.filter((j) => j !== job);
		} else job.nextRunAt = new Date(rc.now().getTime() + job.intervalMs!);
		rc.jobRuns.push({ seq: rc.effect('job.ran', { jobId: job.id, processorId: job.processorId, ok: !error, error }).seq, jobId: job.id, processorId: job.processorId, at: job.lastRunAt, ok: !error, error });
	}
	return ran;
}
