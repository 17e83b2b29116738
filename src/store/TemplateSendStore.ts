import { TemplateSendClaim, TemplateSendClaims } from '../core/ports/templates';
import { keysOf, primaryKey } from './keys';
import { Store } from './Store';

/** The picker's confirmed sends, one record per modal (removed by a job an hour after the claim). */
export class TemplateSendStore implements TemplateSendClaims {
	constructor(private readonly store: Store) {}

	public get(viewId: string): Promise<TemplateSendClaim | undefined> {
		return this.store.get<TemplateSendClaim>(primaryKey('templatesend', viewId));
	}

	public async save(claim: TemplateSendClaim): Promise<void> {
		await this.store.put(keysOf('templatesend', claim.viewId), claim);
	}

	public async remove(viewId: string): Promise<void> {
		await this.store.remove(keysOf('templatesend', viewId));
	}
}
