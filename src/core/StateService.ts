import { t, hasKey } from '../i18n/translate';
import { CoreDeps, displayNumber } from './Core';
import { InstanceHealth } from './ports/provider';
import { alertAdmins } from './notices';
import { InstanceRecord } from './ports/records';

/** Health that needs an admin at once. */
const ALERT_NOW: ReadonlyArray<InstanceHealth> = ['unlinked', 'blocked', 'restricted'];
/** Health that is normal for a while (reboot, phone briefly offline) and worth an alert only when long. */
const ALERT_IF_LONG: ReadonlyArray<InstanceHealth> = ['starting', 'offline'];
export const LONG_STATE_MS = 10 * 60_000;

/**
 * Instance health, from state webhooks and from polling (a provider can skip a transition). Admins are
 * told once per change, and once on recovery. The provider's own state name (`detail`) is what is
 * stored and shown; the decision is made on the neutral `health`.
 */
export class StateService {
	constructor(private readonly deps: CoreDeps) {}

	public async record(instance: InstanceRecord, health: InstanceHealth, detail: string, at: number, now = Date.now()): Promise<InstanceRecord> {
		const current = (await this.deps.instances.get(instance.id, true)) || instance; // compare with what is stored
		let next = current;
		if (current.state !== detail) next = { ...current, state: detail, health, stateChangedAt: at || now };
		else if (current.health !== health) next = { ...current, health };
		const since = now - (next.stateChangedAt || now);
		const needsAlert = ALERT_NOW.includes(health) || (ALERT_IF_LONG.includes(health) && since >= LONG_STATE_MS);
		if (needsAlert && next.alertedState !== detail) {
			next = { ...next, alertedState: detail };
			// A hint for the provider's own state when there is one, else for the neutral health.
			const hintKey = hasKey(`state_hint_${detail}`) ? `state_hint_${detail}` : `state_hint_${health}`;
			await alertAdmins(this.deps, next, `⚠️ ${t('alert_instance_state', { instance: next.id, number: displayNumber(next.number), state: detail, hint: t(hintKey, { instance: next.id }) })}`);
		} else if (health === 'connected' && next.alertedState) {
			next = { ...next, alertedState: undefined };
			await alertAdmins(this.deps, next, `✅ ${t('alert_instance_recovered', { instance: next.id, number: displayNumber(next.number) })}`);
		}
		if (next !== current) await this.deps.instances.save(next);
		return next;
	}
}
