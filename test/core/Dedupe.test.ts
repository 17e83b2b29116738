// Inbound dedupe keeps an id for the provider's redelivery time, measured on the app's own clock: a
// message's payload time is the sender's word and cannot decide what the archive forgets.
import { IPersistence, IPersistenceRead } from '@rocket.chat/apps-engine/definition/accessors';
import { Dedupe, SEEN_BATCH } from '../../src/core/Dedupe';
import { DepartmentMenu } from '../../src/core/DepartmentMenu';
import { InboundMessage } from '../../src/core/ports/events';
import { SEEN_WINDOW } from '../../src/core/ports/records';
import { SeenArchiveStore } from '../../src/store/SeenArchiveStore';
import { Store } from '../../src/store/Store';
import { memoryDeps, stubProvider } from './support/memoryDeps';

/** Rocket.Chat persistence in memory: records matched by all their associations. */
function memoryPersistence() {
	const records: Array<{ keys: string[]; data: object }> = [];
	const key = (a: unknown) => JSON.stringify(a);
	const matches = (r: { keys: string[] }, keys: unknown[]) => keys.map(key).every((k) => r.keys.includes(k));
	const reader = { readByAssociations: async (keys: unknown[]) => records.filter((r) => matches(r, keys)).map((r) => r.data) };
	const writer = {
		updateByAssociations: async (keys: unknown[], data: object) => {
			const wanted = keys.map(key).sort().join('|');
			const found = records.find((r) => [...r.keys].sort().join('|') === wanted);
			if (found) found.data = data;
			else records.push({ keys: keys.map(key), data });
		},
		removeByAssociations: async (keys: unknown[]) => {
			for (let i = records.length - 1; i >= 0; i--) if (matches(records[i], keys)) records.splice(i, 1);
		},
	};
	return new Store(reader as unknown as IPersistenceRead, writer as unknown as IPersistence);
}

const DAY = 24 * 60 * 60_000;

describe('the dedupe archive', () => {
	it('finds archived ids whatever date their payload claims (2100, or days ago)', async () => {
		const world = memoryDeps(stubProvider({ redeliveryMs: DAY }));
		world.deps.seenArchive = new SeenArchiveStore(memoryPersistence());
		const dedupe = new Dedupe(world.deps);
		const contact = world.contact();
		const now = Date.now();
		for (let i = 0; i < SEEN_WINDOW + SEEN_BATCH + 1; i++) await dedupe.mark(world.instance, contact, `id-${i}`, now + i);
		expect(contact.dedupe.ids).not.toContain('id-0');
		expect(await dedupe.seen(world.instance, contact, 'id-0', now - DAY / 2)).toBe(true);
		expect(await dedupe.seen(world.instance, contact, 'id-10', Date.UTC(2100, 0, 1))).toBe(true);
		expect(await dedupe.seen(world.instance, contact, 'id-never', now - DAY / 2)).toBe(false);
	});

	it('keeps earlier ids when a stored time lies in the future (a record of an earlier version)', async () => {
		const world = memoryDeps(stubProvider({ redeliveryMs: DAY }));
		world.deps.seenArchive = new SeenArchiveStore(memoryPersistence());
		const now = Date.now();
		// Earlier versions archived the payload's date.
		await world.deps.seenArchive.add('1', 'c', [{ id: 'dated-2100', at: Date.UTC(2100, 0, 1) }], DAY);
		await world.deps.seenArchive.add('1', 'c', [{ id: 'next', at: now }], DAY);
		await world.deps.seenArchive.add('1', 'c', [{ id: 'after', at: now + 1 }], DAY);
		for (const id of ['dated-2100', 'next', 'after']) expect(await world.deps.seenArchive.has('1', 'c', id)).toBe(true);
	});

	it('forgets ids past the redelivery time of the app clock', async () => {
		const world = memoryDeps(stubProvider({ redeliveryMs: DAY }));
		world.deps.seenArchive = new SeenArchiveStore(memoryPersistence());
		await world.deps.seenArchive.add('1', 'c', [{ id: 'old', at: Date.now() - 2 * DAY }], DAY);
		await world.deps.seenArchive.add('1', 'c', [{ id: 'new', at: Date.now() }], DAY);
		expect(await world.deps.seenArchive.has('1', 'c', 'old')).toBe(false);
		expect(await world.deps.seenArchive.has('1', 'c', 'new')).toBe(true);
	});
});

describe('ids the department menu takes', () => {
	const keyword = (id: string): InboundMessage => ({
		instanceId: '1', messageId: id, chatId: '15557654321@c.us', isGroup: false, timestamp: Date.now(), sender: { name: 'Ann', phone: '15557654321' },
		content: { kind: 'text', text: '#exit' },
	}) as InboundMessage;

	it('are marked with their time, so every older id keeps its own', async () => {
		const world = memoryDeps(stubProvider({}));
		world.instance.menu = { departments: [{ id: 'd1', name: 'Sales' }] };
		const contact = world.contact({ dedupe: { ids: ['a', 'b'], times: [100, 200] }, menu: { shownAt: Date.now(), tries: 0, held: [] } });
		const menu = new DepartmentMenu(world.deps);
		const outcome = await menu.screen(world.instance, keyword('k'), contact, () => contact, async () => undefined);
		expect(outcome).toBe('ignored');
		const saved = world.contacts.get(`1:${contact.chatId}`)!;
		expect(saved.dedupe.ids).toEqual(['a', 'b', 'k']);
		expect(saved.dedupe.times).toHaveLength(3);
		expect(saved.dedupe.times!.slice(0, 2)).toEqual([100, 200]);
		expect(saved.dedupe.times![2]).toBeGreaterThan(200);
	});
});
