// The timers the core uses (Rocket.Chat's scheduler behind it, see src/rocketchat/RetryScheduler.ts).

/** Each direction has its own retry chain: one job spends one attempt of one queue. */
export type RetryDirection = 'in' | 'out';

export interface RetryScheduler {
	/** One durable one-off job for `chatKey`'s queue in `direction`, due at `at` (ms since epoch). */
	scheduleRetry(direction: RetryDirection, chatKey: string, at: number): Promise<void>;
	/** One durable one-off job checking `chatKey`'s customer-service window at `at` (see core/WindowReminder.ts). */
	scheduleWindowCheck(chatKey: string, at: number): Promise<void>;
}

/** Who is shown a number's QR code, where, and until when (core/InstanceLifecycle.ts). */
export interface QrRefresh {
	instanceId: string;
	userId: string;
	roomId: string;
	until: number;
	/** Also post the code into the room (for admins whose client does not show inline images). */
	inRoom?: boolean;
}

export interface QrScheduler {
	/** One durable one-off job showing the next QR code of a number being linked, at `at`. */
	scheduleQrRefresh(data: QrRefresh, at: number): Promise<void>;
}
