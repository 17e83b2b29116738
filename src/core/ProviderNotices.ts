import { t } from '../i18n/translate';
import { CoreDeps, displayNumber } from './Core';
import { alertAdmins } from './notices';
import { ProviderNoticeEvent } from './ports/events';
import { InstanceRecord } from './ports/records';
import { own } from './ports/lookup';

/**
 * What a provider tells about the number itself (a plan limit used up, …), for admins: told once per
 * change — a redelivery, or the same notice on every later webhook, is not repeated. What was said is
 * remembered on the instance record.
 */
export class ProviderNotices {
	constructor(private readonly deps: CoreDeps) {}

	public async received(instance: InstanceRecord, event: ProviderNoticeEvent): Promise<void> {
		const said = signature(event);
		// The cached record answers the common case (the same notice again) without a read.
		if (own(instance.providerNotices, event.code) === said) return;
		const current = (await this.deps.instances.get(instance.id, true)) || instance;
		if (own(current.providerNotices, event.code) === said) return;
		// Remembered first: an alert that cannot be delivered is logged by alertAdmins, not retried forever.
		const next = { ...current, providerNotices: { ...(current.providerNotices || {}), [event.code]: said } };
		await this.deps.instances.save(next);
		await alertAdmins(this.deps, next, `⚠️ ${t(`alert_provider_${event.code}`, { ...event.params, instance: next.id, number: displayNumber(next.number) })}`);
	}
}

/** The notice's content, independent of key order. */
function signature(event: ProviderNoticeEvent): string {
	return JSON.stringify(Object.keys(event.params).sort().map((k) => [k, event.params[k]]));
}
