// Each section of the contact record is written by its module only: a reader anywhere, a writer in
// one place, so what a field means and when it changes is decided once. Covers every folder of src/.
import * as fs from 'fs';
import * as path from 'path';
import { contactWrites, contactFields } from './contactWrites';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');
const filesUnder = (dir: string): string[] =>
	fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));

/** Section → its fields and the files that may write them. */
const SECTIONS: Record<string, { fields: string[]; writers: string[] }> = {
	identity: { fields: ['instanceId', 'chatId', 'name', 'phone', 'visitorId', 'visitorToken', 'visitorUsername', 'people', 'sendTo'], writers: ['src/core/RoomOpener.ts'] },
	room: { fields: ['roomId', 'conversationStartedAt', 'next'], writers: ['src/core/RoomOpener.ts'] },
	dedupe: { fields: ['dedupe'], writers: ['src/core/Dedupe.ts'] },
	queues: { fields: ['queues'], writers: ['src/core/ChatQueue.ts'] },
	menu: { fields: ['menu'], writers: ['src/core/DepartmentMenu.ts'] },
	window: { fields: ['lastInboundAt', 'windowCheckAt', 'windowRemindedFor'], writers: ['src/core/WindowReminder.ts'] },
	// contacts.ts records links; a link's delivery state moves with the provider's statuses
	links: { fields: ['links'], writers: ['src/core/contacts.ts', 'src/core/DeliveryStatusService.ts'] },
	inbound: { fields: ['blockedSince'], writers: ['src/core/InboundService.ts'] },
	outbound: { fields: ['lastOutboundAt', 'lastAgentAt'], writers: ['src/core/OutboundService.ts'] },
	receipts: { fields: ['readUpTo'], writers: ['src/core/ReadReceipts.ts'] },
	question: { fields: ['question'], writers: ['src/core/questions.ts'] },
	// the customer's marketing choice: their stop / resume, or WhatsApp refusing a marketing template for it
	marketing: { fields: ['marketing'], writers: ['src/core/MarketingPreferences.ts'] },
};

const sectionOf = (field: string) => Object.keys(SECTIONS).find((s) => SECTIONS[s].fields.includes(field));

function violations(files: string[]): string[] {
	return contactWrites(ROOT, files)
		.filter((w) => !SECTIONS[sectionOf(w.field) ?? '']?.writers.includes(w.file))
		.map((w) => `${w.file}:${w.line} writes ${w.field} (${sectionOf(w.field) ?? 'no section'})`);
}

describe('sections of the contact record', () => {
	const files = filesUnder(SRC);

	it('cover every field of ContactRecord, each in one section', () => {
		const listed = Object.values(SECTIONS).flatMap((s) => s.fields);
		expect([...listed].sort()).toEqual(contactFields(ROOT, path.join(SRC, 'core/ports/records.ts')).sort());
		expect(new Set(listed).size).toBe(listed.length);
	});

	it('are written only by their module, in every folder of src/', () => {
		expect(['commands', 'endpoints', 'jobs', 'uikit', 'core', 'store', 'providers', 'rocketchat'].every((d) => files.some((f) => f.startsWith(path.join(SRC, d))))).toBe(true);
		expect(violations(files)).toEqual([]);
	}, 60_000);

	it('a write from another module is reported with file, line, field and section (sanity check)', () => {
		const probe = path.join(SRC, 'commands', '__probe__.ts');
		fs.writeFileSync(probe, [
			"import { ContactRecord } from '../core/ports/records';",
			'export function probe(c: ContactRecord): ContactRecord {',
			"\tc.dedupe.ids.push('x');",
			"\tc.queues = { out: [] };",
			'\treturn { ...c, roomId: undefined };',
			'}',
		].join('\n'));
		try {
			expect(violations([probe])).toEqual([
				'src/commands/__probe__.ts:3 writes dedupe (dedupe)',
				'src/commands/__probe__.ts:4 writes queues (queues)',
				'src/commands/__probe__.ts:5 writes roomId (room)',
			]);
		} finally {
			fs.unlinkSync(probe);
		}
	}, 60_000);
});
