import { IApp } from '@rocket.chat/apps-engine/definition/IApp';
import { IProcessor } from '@rocket.chat/apps-engine/definition/scheduler';
import { flushLogLines, Log } from '../core/log';

/**
 * One call into the app (endpoint, event, command, job, UIKit action) with its log. The app's runtime
 * keeps one logger per process and replaces it at the start of every call
 * (packages/apps-engine/deno-runtime/main.ts `requestRouter`: `AppObjectRegistry.set('logger', new
 * Logger(method))` and `app.logger = logger`); an answer carries whichever logger is current when it
 * is sent (deno-runtime/lib/messenger.ts `successResponse`/`errorResponse`). A line written to a
 * call's own logger after another call started is never sent. The lines are handed over as a call
 * ends instead: nothing but promise callbacks runs between that and the answer, so they go out with it
 * (under the current logger's method, possibly another call's, and again if that call answers later).
 */
export async function withLog<T>(app: Pick<IApp, 'getLogger'>, work: (log: Log) => Promise<T>): Promise<T> {
	try {
		return await work(new Log());
	} finally {
		flushLogLines(app.getLogger());
	}
}

/** The same for every run of scheduled jobs. */
export function withLogs(app: Pick<IApp, 'getLogger'>, processors: IProcessor[]): IProcessor[] {
	return processors.map((p) => ({ ...p, processor: (...args: Parameters<IProcessor['processor']>) => withLog(app, () => p.processor(...args)) }));
}
