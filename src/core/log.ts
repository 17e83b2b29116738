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

export class Log {
	constructor(private readonly logger: LogSink) {}

	public error(message: string): void {
		this.logger.error(message);
	}

	public info(message: string): void {
		if (RANK[current] >= RANK.info) this.logger.info(message);
	}

	public debug(message: string): void {
		if (RANK[current] >= RANK.debug) this.logger.debug(message);
	}
}
