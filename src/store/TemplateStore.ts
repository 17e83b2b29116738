import { TemplateCache, TemplateRepository } from '../core/ports/templates';
import { keysOf, primaryKey } from './keys';
import { Store } from './Store';

/** The approved templates of each instance, one record per instance (read when an agent picks one). */
export class TemplateStore implements TemplateRepository {
	constructor(private readonly store: Store) {}

	public get(instanceId: string): Promise<TemplateCache | undefined> {
		return this.store.get<TemplateCache>(primaryKey('templates', instanceId));
	}

	public async save(cache: TemplateCache): Promise<void> {
		await this.store.put(keysOf('templates', cache.instanceId), cache);
	}
}
