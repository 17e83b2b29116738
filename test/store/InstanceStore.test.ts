import { upgradeInstance } from '../../src/store/InstanceStore';
import { STORED_BY_0_1_0 } from '../fixtures/legacy';

describe('instance records stored by 0.1.0', () => {
	it('read as neutral fields plus provider credentials; the webhook token stays the webhook secret', () => {
		expect(upgradeInstance(STORED_BY_0_1_0)).toEqual({
			id: '1101000001',
			provider: 'greenapi',
			number: '79990000000',
			webhookSecret: 'whk_3f9a1c7e5b2d4e6f8a0b',
			credentials: { apiToken: STORED_BY_0_1_0.apiToken, apiUrl: STORED_BY_0_1_0.apiUrl, mediaUrl: STORED_BY_0_1_0.mediaUrl },
			departmentId: 'dep1',
			state: 'authorized',
			stateChangedAt: 1733146000000,
			lastHeardAt: 1733146100000,
			alertedState: 'notAuthorized',
			recoveredUntil: 1733146200000,
			createdAt: 1733140000000,
		});
	});

	it('leaves records of the current shape alone', () => {
		const current = upgradeInstance(STORED_BY_0_1_0);
		expect(upgradeInstance(current)).toBe(current);
	});

	it('copes with a record without number or optional fields', () => {
		const { wid, departmentId, ...bare } = STORED_BY_0_1_0;
		void wid;
		void departmentId;
		const r = upgradeInstance(bare);
		expect(r.number).toBeUndefined();
		expect(r.departmentId).toBeUndefined();
		expect(r.webhookSecret).toBe(STORED_BY_0_1_0.webhookToken);
	});
});
