// Shared pieces of the fault/durability suite: customers, webhook posting to any node, and the
// {sent, delivered, duplicated, lost} accounting every scenario prints as one JSON line.
import { TestRocketChat } from '../runtime/TestRocketChat';
import { GA, incoming, textMessage } from '../fixtures/greenapi';

export interface Customer {
	chatId: string;
	name: string;
	phone: string;
}

/** Customer n: a distinct WhatsApp chat (and phone) per n. */
export function customer(n: number, tag = 'C'): Customer {
	const digits = `7900${String(100000 + n).padStart(7, '0')}`;
	return { chatId: `${digits}@c.us`, name: `${tag}${n}`, phone: `+${digits}` };
}

/** incomingMessageReceived for a text from `c`, stamped now (journal recovery skips old timestamps). */
export function textFrom(c: Customer, text: string, o: { idMessage?: string; timestampSec?: number } = {}): Record<string, unknown> {
	return incoming(textMessage(text), { chatId: c.chatId, senderName: c.name, chatName: c.name, idMessage: o.idMessage, timestamp: o.timestampSec ?? Math.floor(Date.now() / 1000) });
}

/** POSTs a GREEN-API notification to the webhook of one engine node, authenticated like GREEN-API. */
export function webhookVia(node: TestRocketChat, webhookToken: string, content: unknown): Promise<{ status: number; content?: any }> {
	return node.callEndpoint('greenapi', {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: `Bearer ${webhookToken}` },
		query: { instance: GA.idInstance },
		content,
	});
}

export interface Counts {
	sent: number;
	delivered: number;
	duplicated: number;
	lost: number;
}

/** Each expected text counted among `actual`: delivered = present at least once, duplicated = extra copies, lost = absent. */
export function tally(expected: string[], actual: string[]): Counts & { missing: string[]; duplicates: Record<string, number> } {
	const n = new Map<string, number>();
	for (const a of actual) n.set(a, (n.get(a) ?? 0) + 1);
	let delivered = 0;
	let duplicated = 0;
	const missing: string[] = [];
	const duplicates: Record<string, number> = {};
	for (const e of new Set(expected)) {
		const k = n.get(e) ?? 0;
		if (k > 0) delivered++;
		else missing.push(e);
		if (k > 1) {
			duplicated += k - 1;
			duplicates[e] = k;
		}
	}
	return { sent: new Set(expected).size, delivered, duplicated, lost: missing.length, missing, duplicates };
}

/** Texts of the visitor messages in Rocket.Chat (any room), in insertion order (file messages without text left out). */
export function visitorTexts(t: TestRocketChat, roomId?: string): string[] {
	return t.rc.messages.filter((m) => m.sender.type === 'visitor' && !m.type && m.text && (!roomId || m.rid === roomId)).map((m) => m.text);
}

/** The one line a scenario prints: `{"fault": "...", sent, delivered, duplicated, lost, ...}`. */
export function report(fault: string, counts: Counts, extra: Record<string, unknown> = {}): void {
	const { sent, delivered, duplicated, lost } = counts;
	process.stdout.write(`${JSON.stringify({ fault, sent, delivered, duplicated, lost, ...extra })}\n`);
}

/** Per-customer order check: the subsequence of `actual` made of `expected`'s items equals `expected` (first copies). */
export function inOrder(expected: string[], actual: string[]): boolean {
	const want = new Set(expected);
	const seen = new Set<string>();
	const got = actual.filter((a) => want.has(a) && !seen.has(a) && seen.add(a));
	return JSON.stringify(got) === JSON.stringify(expected);
}

/** Outbox / inbox records still in the app's persistence. */
export function outboxLeft(t: TestRocketChat): number {
	return t.rc.persistence.filter((p) => p.associations.some((a: any) => a.id === 'gab:outbox')).length;
}
export function inboxLeft(t: TestRocketChat): number {
	return t.rc.persistence.filter((p) => p.associations.some((a: any) => a.id === 'gab:inbox')).length;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
