// Minimal vCard reader for WhatsApp contact cards: a name and the phone numbers.
// WhatsApp puts the number's WhatsApp id in `waid=` on TEL lines; that is the reliable E.164 source,
// the displayed value is free text ("+7 234 567 8901", "8 (900) …").

export interface ParsedContact {
	name: string;
	phones: string[];
}

export function parseVCard(vcard: string | undefined, displayName?: string): ParsedContact {
	const phones: string[] = [];
	let fn: string | undefined;
	let n: string | undefined;
	for (const line of unfold(vcard || '')) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const params = line.slice(0, colon).split(';');
		// Drop the optional group prefix (`item1.TEL`), used by iOS exports.
		const prop = params[0].replace(/^[^.]*\./, '').trim().toUpperCase();
		const value = line.slice(colon + 1).trim();
		if (prop === 'FN' && value) fn = unescapeValue(value);
		else if (prop === 'N' && value) n = structuredName(value);
		else if (prop === 'TEL') {
			const phone = telPhone(params.slice(1), value);
			if (phone && !phones.includes(phone)) phones.push(phone);
		}
	}
	const name = (displayName && displayName.trim()) || fn || n || phones[0] || '';
	return { name, phones };
}

function unfold(text: string): string[] {
	const lines = text.replace(/\r\n?/g, '\n').split('\n');
	const out: string[] = [];
	for (const l of lines) {
		// RFC 6350 folding: a line starting with a space or tab continues the previous one.
		if ((l.startsWith(' ') || l.startsWith('\t')) && out.length) out[out.length - 1] += l.slice(1);
		else out.push(l);
	}
	return out;
}

function unescapeValue(v: string): string {
	return v.replace(/\\([,;\\nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? ' ' : c)).trim();
}

/** `Smit;Alex;;;` → `Alex Smit`. */
function structuredName(v: string): string | undefined {
	const [family, given, middle] = v.split(';').map((p) => unescapeValue(p));
	const full = [given, middle, family].filter((p) => p).join(' ');
	return full || undefined;
}

function telPhone(params: string[], value: string): string | undefined {
	for (const p of params) {
		const m = /^waid=(\d{5,20})$/i.exec(p.trim());
		if (m) return `+${m[1]}`;
	}
	const raw = value.replace(/^tel:/i, '').trim();
	if (!raw) return undefined;
	const digits = raw.replace(/\D/g, '');
	if (!digits) return undefined;
	// Only an explicit '+' makes the number international; otherwise keep it as the customer wrote it.
	return raw.startsWith('+') ? `+${digits}` : raw;
}
