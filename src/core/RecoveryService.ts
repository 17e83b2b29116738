import { WhatsAppProvider } from '../providers/Provider';
import { HttpAdapter } from '../rocketchat/HttpAdapter';
import { errorText } from '../rocketchat/Omnichannel';
import { InstanceStore } from '../store/InstanceStore';
import { InstanceRecord } from '../store/records';
import { Store } from '../store/Store';
import { lastActivity } from './activity';
import { DeliveryStatusEvent } from './events';
import { Accessors, InboundService } from './InboundService';
import { StateService } from './StateService';

/** How often instances are polled (state + journal). */
export const RECOVERY_EVERY_MS = 5 * 60_000;
/** Journal entries can lag; look back a little before the last check. */
const MARGIN_MS = 3 * 60_000;
/** The provider keeps its journal about a day. */
const MAX_LOOKBACK_MS = 24 * 60 * 60_000;

// Per process: the first tick after a (re)start recovers at once, later ones every RECOVERY_EVERY_MS.
let lastRunAt = 0;

export function recoveryDue(now: number): boolean {
	return now - lastRunAt >= RECOVERY_EVERY_MS;
}

/**
 * Missed-message recovery and instance health: for every instance, poll its state, then feed journal
 * entries since the last check through the normal inbound path (same dedupe as webhooks).
 */
export class RecoveryService {
	constructor(private readonly provider: WhatsAppProvider, private readonly a: Accessors) {}

	public async run(now = Date.now()): Promise<{ instances: number; fed: number; posted: number }> {
		lastRunAt = now;
		const store = new Store(this.a.read.getPersistenceReader(), this.a.persis);
		const instances = await new InstanceStore(store).list();
		let fed = 0;
		let posted = 0;
		for (const instance of instances) {
			try {
				const r = await this.recoverInstance(instance, now);
				fed += r.fed;
				posted += r.posted;
			} catch (e) {
				await new InstanceStore(store).save({ ...((await new InstanceStore(store).get(instance.id, true)) || instance), lastError: errorText(e) });
			}
		}
		return { instances: instances.length, fed, posted };
	}

	private async recoverInstance(instance: InstanceRecord, now: number): Promise<{ fed: number; posted: number }> {
		const http = new HttpAdapter(this.a.http);
		const state = await this.provider.getState(http, instance);
		let current = instance;
		if (state.ok) current = await new StateService(this.a).record(instance, state.state, now, now);
		if (!state.ok || state.state !== 'authorized') return { fed: 0, posted: 0 };
		const from = Math.max(current.recoveredUntil ?? current.createdAt, now - MAX_LOOKBACK_MS) - MARGIN_MS;
		const missed = await this.provider.fetchMissed(http, current, Math.ceil((now - from) / 60_000));
		const inbound = new InboundService(this.provider, this.a);
		let posted = 0;
		for (const msg of missed.sort((x, y) => x.timestamp - y.timestamp)) {
			if (msg.timestamp && msg.timestamp < from) continue;
			const outcome = await inbound.receive(current, msg);
			if (outcome === 'posted' || outcome === 'queued') posted += 1;
		}
		await this.reconcileStatuses(http, current, Math.ceil((now - from) / 60_000), inbound);
		const store = new InstanceStore(new Store(this.a.read.getPersistenceReader(), this.a.persis));
		const latest = (await store.get(instance.id, true)) || current;
		await store.save({ ...latest, recoveredUntil: now, lastHeardAt: lastActivity(instance.id, latest.lastHeardAt), lastError: undefined });
		return { fed: missed.length, posted };
	}

	/** Status webhooks can be missed too: apply the outgoing journal's states, one read per chat. */
	private async reconcileStatuses(http: HttpAdapter, instance: InstanceRecord, minutes: number, inbound: InboundService): Promise<void> {
		const byChat = new Map<string, DeliveryStatusEvent[]>();
		for (const e of await this.provider.fetchStatuses(http, instance, minutes)) byChat.set(e.chatId, [...(byChat.get(e.chatId) || []), e]);
		for (const [chatId, events] of byChat) await inbound.statuses(instance, chatId, events);
	}
}
