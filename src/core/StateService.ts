import { t } from '../i18n/translate';
import { InstanceStore } from '../store/InstanceStore';
import { InstanceRecord } from '../store/records';
import { Store } from '../store/Store';
import { alertAdmins } from './alerts';
import { Accessors } from './InboundService';

/** States that need an admin at once. */
const ALERT_NOW = ['notAuthorized', 'blocked', 'yellowCard'];
/** States that are normal for a while (reboot, phone briefly offline) and worth an alert only when long. */
const ALERT_IF_LONG = ['starting', 'sleepMode'];
export const LONG_STATE_MS = 10 * 60_000;

/**
 * Instance authorisation state, from `stateInstanceChanged` and from polling `getStateInstance`
 * (GREEN-API can skip a transition). Admins are told once per change, and once on recovery.
 */
export class StateService {
	private readonly instances: InstanceStore;

	constructor(private readonly a: Accessors) {
		this.instances = new InstanceStore(new Store(a.read.getPersistenceReader(), a.persis));
	}

	public async record(instance: InstanceRecord, state: string, at: number, now = Date.now()): Promise<InstanceRecord> {
		const current = (await this.instances.get(instance.id, true)) || instance; // compare with what is stored
		let next = current;
		if (current.state !== state) next = { ...current, state, stateChangedAt: at || now };
		const since = now - (next.stateChangedAt || now);
		const needsAlert = ALERT_NOW.includes(state) || (ALERT_IF_LONG.includes(state) && since >= LONG_STATE_MS);
		if (needsAlert && next.alertedState !== state) {
			next = { ...next, alertedState: state };
			await alertAdmins(this.a.read, this.a.modify, `⚠️ ${t('alert_instance_state', { instance: next.id, number: displayNumber(next.wid), state, hint: t(`state_hint_${state}`, { instance: next.id }) })}`);
		} else if (state === 'authorized' && next.alertedState) {
			next = { ...next, alertedState: undefined };
			await alertAdmins(this.a.read, this.a.modify, `✅ ${t('alert_instance_recovered', { instance: next.id, number: displayNumber(next.wid) })}`);
		}
		if (next !== current) await this.instances.save(next);
		return next;
	}

}

export function displayNumber(wid: string | undefined): string {
	return wid ? `+${wid.split('@')[0]}` : '?';
}
