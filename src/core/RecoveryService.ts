import { lastActivity } from './activity';
import { CoreDeps, sessionOf } from './Core';
import { DeliveryStatusEvent } from './ports/events';
import { DeliveryStatusService } from './DeliveryStatusService';
import { errorText } from './failures';
import { InboundService } from './InboundService';
import { SessionRecovery } from './ports/provider';
import { InstanceRecord } from './ports/records';
import { StateService } from './StateService';

/** How often instances are polled (state + journal). */
export const RECOVERY_EVERY_MS = 5 * 60_000;
/** Journal entries can lag; look back a little before the last check. */
const MARGIN_MS = 3 * 60_000;
/** The provider keeps its journal about a day. */
const MAX_LOOKBACK_MS = 24 * 60 * 60_000;

// Per process: the first tick after a (re)start recovers at once, later ones every RECOVERY_EVERY_MS.
// Cache: when this process last recovered; losing it only makes the next recovery come at once.
let lastRunAt = 0;

export function recoveryDue(now: number): boolean {
	return now - lastRunAt >= RECOVERY_EVERY_MS;
}

/**
 * Missed-message recovery and instance health: for every instance whose provider offers them, poll
 * its health, then feed journal entries since the last check through the normal inbound path (same
 * dedupe as webhooks). Providers without a journal rely on their own redelivery.
 */
export class RecoveryService {
	constructor(private readonly deps: CoreDeps) {}

	public async run(now = Date.now()): Promise<{ instances: number; fed: number; posted: number }> {
		lastRunAt = now;
		const instances = await this.deps.instances.list();
		let fed = 0;
		let posted = 0;
		for (const instance of instances) {
			try {
				const r = await this.recoverInstance(instance, now);
				fed += r.fed;
				posted += r.posted;
			} catch (e) {
				await this.deps.instances.save({ ...((await this.deps.instances.get(instance.id, true)) || instance), lastError: errorText(e) });
			}
		}
		return { instances: instances.length, fed, posted };
	}

	private async recoverInstance(instance: InstanceRecord, now: number): Promise<{ fed: number; posted: number }> {
		const session = sessionOf(this.deps, instance);
		let current = instance;
		if (session.health) {
			const reading = await session.health();
			if (reading.ok) current = await new StateService(this.deps).record(instance, reading.health, reading.detail, now, now);
			if (!reading.ok || reading.health !== 'connected') return { fed: 0, posted: 0 };
		}
		const recovery = session.recovery;
		let fed = 0;
		let posted = 0;
		if (recovery) {
			const from = Math.max(current.recoveredUntil ?? current.createdAt, now - MAX_LOOKBACK_MS) - MARGIN_MS;
			const minutes = Math.ceil((now - from) / 60_000);
			const missed = await recovery.fetchMissed(minutes);
			const inbound = new InboundService(this.deps);
			for (const msg of missed.sort((x, y) => x.timestamp - y.timestamp)) {
				if (msg.timestamp && msg.timestamp < from) continue;
				const outcome = await inbound.receive(current, msg);
				if (outcome === 'posted' || outcome === 'queued') posted += 1;
			}
			fed = missed.length;
			await this.reconcileStatuses(recovery, current, minutes);
		}
		const latest = (await this.deps.instances.get(instance.id, true)) || current;
		await this.deps.instances.save({ ...latest, recoveredUntil: now, lastHeardAt: lastActivity(instance.id, latest.lastHeardAt), lastError: undefined });
		return { fed, posted };
	}

	/** Status webhooks can be missed too: apply the outgoing journal's states, one read per chat. */
	private async reconcileStatuses(recovery: SessionRecovery, instance: InstanceRecord, minutes: number): Promise<void> {
		const byChat = new Map<string, DeliveryStatusEvent[]>();
		for (const e of await recovery.fetchStatuses(minutes)) if (e.chatId) byChat.set(e.chatId, [...(byChat.get(e.chatId) || []), e]);
		const statuses = new DeliveryStatusService(this.deps);
		for (const [chatId, events] of byChat) await statuses.apply(instance, chatId, events);
	}
}
