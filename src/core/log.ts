// The "Log verbosity" setting, applied to what the app writes to its log (Administration → Apps →
// Logs). Kept per process, updated on enable and on setting change. Secrets never reach here: callers
// log ids and provider reasons, which the provider already redacts.
export type LogLevel = 'error' | 'info' | 'debug';
const RANK: Record<LogLevel, number> = { error: 0, info: 1, debug: 2 };
// Cache: the setting's value, applied at enable, on change and by every job run (a log line is written
// synchronously and cannot read the setting); a new process logs at 'info' until the next job run.
let current: LogLevel = 'info';

export function setLogLevel(level: unknown): void {
	current = level === 'error' || level === 'debug' ? level : 'info';
}

/** The part of Rocket.Chat's app logger the app writes to. */
export interface LogSink {
	error(message: string): void;
	info(message: string): void;
	debug(message: string): void;
}

/** Lines kept between two answers before the app says how many more it left out (a recovery run over thousands of chats). */
export const MAX_PENDING_LINES = 500;

// Cache: lines written and not yet handed to Rocket.Chat's logger; a process that dies loses only
// these, and every call that ends hands them over (see flushLogLines).
const pending = { lines: [] as Array<[LogLevel, string]>, leftOut: 0 };

/**
 * What the app writes to its log. Lines wait in the process until a call into the app ends and
 * `flushLogLines` hands them to the logger current then, instead of going to a logger when written:
 * the app process has one logger at a time, replaced by every call that starts, and only the logger
 * current when a call answers goes out with the answer (src/rocketchat/appLog.ts has the engine's code).
 */
export class Log {
	public error(message: string): void {
		keep('error', message);
	}

	public info(message: string): void {
		if (RANK[current] >= RANK.info) keep('info', message);
	}

	public debug(message: string): void {
		if (RANK[current] >= RANK.debug) keep('debug', message);
	}
}

function keep(level: LogLevel, message: string): void {
	// an error is kept over the limit too: it is what the admin looks for
	if (pending.lines.length < MAX_PENDING_LINES || level === 'error') pending.lines.push([level, message]);
	else pending.leftOut++;
}

/** Writes every waiting line, from whichever call wrote it, to `sink`; nothing when none waits. */
export function flushLogLines(sink: LogSink): void {
	for (const [level, message] of pending.lines.splice(0)) sink[level](message);
	if (pending.leftOut) sink.info(`(${pending.leftOut} more log lines left out)`);
	pending.leftOut = 0;
}
