/** What became of an inbound message: in the room, a duplicate, nothing to do, or durably parked. */
export type InboundOutcome = 'posted' | 'duplicate' | 'ignored' | 'queued';
