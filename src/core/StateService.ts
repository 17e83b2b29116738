import { t } from '../i18n/translate';
import { postNotice } from '../rocketchat/Omnichannel';
import { Setting } from '../settings';
import { InstanceStore } from '../store/InstanceStore';
import { InstanceRecord } from '../store/records';
import { Store } from '../store/Store';
import { InstanceStateEvent } from './events';
import { Accessors } from './InboundService';

const TROUBLE = ['notAuthorized', 'blocked', 'yellowCard', 'starting', 'sleepMode'];

/** Instance authorisation state: recorded, and admins told once per change (trouble and recovery). */
export class StateService {
	private readonly instances: InstanceStore;

	constructor(private readonly a: Accessors) {
		this.instances = new InstanceStore(new Store(a.read.getPersistenceReader(), a.persis));
	}

	public async record(instance: InstanceRecord, e: Pick<InstanceStateEvent, 'state' | 'timestamp'>): Promise<void> {
		const fresh = (await this.instances.get(instance.id, true)) || instance; // bypass the cache: compare with the stored state
		if (fresh.state === e.state) return;
		const previous = fresh.state;
		await this.instances.save({ ...fresh, state: e.state, stateChangedAt: e.timestamp || Date.now() });
		const wasTrouble = previous !== undefined && TROUBLE.includes(previous);
		if (TROUBLE.includes(e.state) || (wasTrouble && e.state === 'authorized')) {
			await this.alert(TROUBLE.includes(e.state)
				? `⚠️ ${t('alert_instance_state', { instance: fresh.id, number: displayNumber(fresh.wid), state: e.state, hint: t(`state_hint_${e.state}`, { instance: fresh.id }) })}`
				: `✅ ${t('alert_instance_recovered', { instance: fresh.id, number: displayNumber(fresh.wid) })}`);
		}
	}

	private async alert(text: string): Promise<void> {
		const roomId = (await this.a.read.getEnvironmentReader().getSettings().getById(Setting.AlertRoom))?.value;
		if (typeof roomId === 'string' && roomId) await postNotice(this.a.read, this.a.modify, roomId, text);
	}
}

export function displayNumber(wid: string | undefined): string {
	return wid ? `+${wid.split('@')[0]}` : '?';
}
