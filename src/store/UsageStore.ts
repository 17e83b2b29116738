import { MonthlyUsage, UsageRepository } from '../core/ports/records';
import { keysOf, primaryKey } from './keys';
import { Store } from './Store';

/** One record per number and month: what WhatsApp said its messages cost, by category. */
export class UsageStore implements UsageRepository {
	constructor(private readonly store: Store) {}

	public get(instanceId: string, month: string): Promise<MonthlyUsage | undefined> {
		return this.store.get<MonthlyUsage>(primaryKey('usage', `${instanceId}:${month}`));
	}

	public async save(usage: MonthlyUsage): Promise<void> {
		await this.store.put(keysOf('usage', `${usage.instanceId}:${usage.month}`), usage);
	}
}
