// The sandbox page: renders the state the server pushes (Server-Sent Events) and posts actions as JSON.
// Plain DOM, no framework. Inputs live outside the re-rendered parts, so typing survives updates.
'use strict';

const $ = (sel) => document.querySelector(sel);
const ui = {
	state: null,
	customerId: 'c1',
	roomId: null,
	phoneQuote: null, // { id, text }
	phoneEdit: null, // { id, text }
	agentQuote: null, // { id, author, text }
	agentFile: null, // { name, mimeType, base64 }
	seenSent: new Set(),
	modalKey: '', // the modal as last drawn: redrawn only when the client's view or errors change
	modalDirty: {}, // actionId → { blockId, actionId, value } typed or picked since the last submission
	toasts: 0,
};

// ───────── helpers ─────────

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const EMOJI = { ':white_check_mark:': '✅', ':eyes:': '👀', ':warning:': '⚠️' };
/** Rocket.Chat-ish markdown: *bold*, _italic_, ~strike~, `code`, [text](url), bare links, emoji codes, newlines. */
function md(text) {
	let h = esc(text);
	h = h.replace(/`([^`\n]+)`/g, '<code>$1</code>');
	h = h.replace(/\[([^\]]*)\]\((https?:\/\/[^)\s]+)\)/g, (_, t, u) => `<a href="${u}" target="_blank" rel="noreferrer">${t || u}</a>`);
	h = h.replace(/(^|[\s(])(https?:\/\/[^\s<)]+)/g, (_, p, u) => `${p}<a href="${u}" target="_blank" rel="noreferrer">${u}</a>`);
	h = h.replace(/(^|[\s>])\*([^*\n]+)\*/g, '$1<b>$2</b>').replace(/(^|[\s>])_([^_\n]+)_/g, '$1<i>$2</i>').replace(/(^|[\s>])~([^~\n]+)~/g, '$1<s>$2</s>');
	h = h.replace(/:[a-z_]+:/g, (c) => EMOJI[c] ?? c);
	return h.replace(/\n/g, '<br>');
}
const time = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const kb = (n) => (n > 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

let toastTimer;
function toast(text, bad = true) {
	const t = $('#toast');
	t.textContent = text;
	t.className = `toast ${bad ? 'bad' : ''}`;
	clearTimeout(toastTimer);
	toastTimer = setTimeout(() => t.classList.add('hidden'), 5000);
}

async function act(name, body = {}) {
	try {
		const res = await fetch(`/sandbox/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		const out = await res.json().catch(() => ({}));
		if (!res.ok) throw new Error(out.error || `HTTP ${res.status}`);
		return out;
	} catch (e) {
		toast(e.message);
		return null;
	}
}

function readFile(input) {
	const f = input.files && input.files[0];
	if (!f) return Promise.resolve(null);
	return new Promise((resolve, reject) => {
		const r = new FileReader();
		r.onload = () => resolve({ name: f.name, mimeType: f.type || 'application/octet-stream', base64: String(r.result).split(',')[1] || '' });
		r.onerror = () => reject(r.error);
		r.readAsDataURL(f);
	});
}

/** A file shown inline the way a chat app shows it. */
function fileHtml(url, name, mime, size) {
	const m = mime || '';
	if (m.startsWith('image/')) return `<a href="${esc(url)}" target="_blank"><img class="media" src="${esc(url)}" alt="${esc(name)}"></a>`;
	if (m.startsWith('audio/')) return `<audio class="media" controls preload="none" src="${esc(url)}"></audio><div class="small muted">🎤 ${esc(name)}</div>`;
	if (m.startsWith('video/')) return `<video class="media" controls preload="none" src="${esc(url)}"></video>`;
	return `<a class="doc" href="${esc(url)}" target="_blank">📄 ${esc(name)}${size ? ` <span class="muted small">${kb(size)}</span>` : ''}</a>`;
}

// ───────── UIKit blocks, rendered generically ─────────

function uiText(t) {
	if (!t) return '';
	if (typeof t === 'string') return md(t);
	return t.type === 'plain_text' ? esc(t.text) : md(t.text);
}
/** `ctx.mid`: the blocks of a stored message (its buttons can be clicked, as in Rocket.Chat's client). */
function blocksHtml(blocks, ctx) {
	if (!Array.isArray(blocks) || !blocks.length) return '';
	return `<div class="uikit">${blocks.map((b) => {
		switch (b.type) {
			case 'section':
				return `<div class="uk-section">${uiText(b.text)}${(b.fields || []).map((f) => `<div class="uk-field">${uiText(f)}</div>`).join('')}${b.accessory ? elementHtml(b.accessory, ctx, b.blockId) : ''}</div>`;
			case 'context':
				return `<div class="uk-context">${(b.elements || []).map((e) => (e.type === 'image' ? `<img src="${esc(e.imageUrl)}" alt="${esc(e.altText)}">` : uiText(e))).join(' ')}</div>`;
			case 'divider':
				return '<hr>';
			case 'image':
				return `<figure><img class="media" src="${esc(b.imageUrl)}" alt="${esc(b.altText)}">${b.title ? `<figcaption>${uiText(b.title)}</figcaption>` : ''}</figure>`;
			case 'actions':
				return `<div class="uk-actions">${(b.elements || []).map((e) => elementHtml(e, ctx, b.blockId)).join('')}</div>`;
			case 'header':
				return `<h4>${uiText(b.text)}</h4>`;
			case 'preview':
				return `<div class="uk-section">${(b.title || []).map(uiText).join('')}${(b.description || []).map(uiText).join('')}</div>`;
			default:
				return `<pre class="uk-unknown">${esc(JSON.stringify(b, null, 1))}</pre>`;
		}
	}).join('')}</div>`;
}
function elementHtml(e, ctx, blockId) {
	if (e.type === 'button' && ctx?.mid) return `<button type="button" data-block-action="${esc(e.actionId)}" data-block-id="${esc(blockId)}" data-block-value="${esc(e.value ?? '')}" data-mid="${esc(ctx.mid)}">${uiText(e.text)}</button>`;
	if (e.type === 'button') return `<button type="button" disabled title="buttons of messages only you can see are not wired in the sandbox">${uiText(e.text)}</button>`;
	if (e.type === 'image') return `<img src="${esc(e.imageUrl)}" alt="${esc(e.altText)}">`;
	return `<span class="uk-unknown">${esc(e.type)}</span>`;
}
/** Message attachments (RC's shape): quotes, images (the QR code), titles, texts. */
function attachmentsHtml(list) {
	return (list || []).map((a) => {
		const parts = [];
		if (a.author || a.author_name) parts.push(`<b>${esc(a.author?.name ?? a.author_name ?? a.author)}</b>`);
		const title = a.title?.value ?? a.title;
		if (title && !a.imageUrl) parts.push(a.title?.link ? `<a href="${esc(a.title.link)}" target="_blank">${esc(title)}</a>` : `<b>${esc(title)}</b>`);
		if (a.text) parts.push(md(a.text));
		if (a.description) parts.push(md(a.description));
		if (a.imageUrl) parts.push(`<img class="media qr" src="${esc(a.imageUrl)}" alt="${esc(title || 'image')}">${title ? `<div class="small">${esc(title)}</div>` : ''}`);
		return parts.length ? `<div class="attachment">${parts.join('<br>')}</div>` : '';
	}).join('');
}

// ───────── the phone ─────────

const TICK = { sent: '✓', delivered: '✓✓', read: '✓✓' };

function renderPhone(s) {
	const sel = $('#customer');
	const opts = s.customers.map((c) => `<option value="${c.id}">${esc(c.name)} · +${esc(c.phone)}</option>`).join('');
	if (sel.dataset.opts !== opts) {
		sel.innerHTML = opts;
		sel.dataset.opts = opts;
	}
	sel.value = ui.customerId;
	$('#phone-provider').textContent = `on ${s.provider.label}`;
	$('#phone-business').textContent = 'Support (business)';
	$('#phone-business-number').textContent = `+${s.provider.instance.number} · WhatsApp Business`;
	$('#business-app-form').classList.toggle('hidden', !s.provider.businessApp);
	const c = s.customers.find((x) => x.id === ui.customerId) || s.customers[0];
	if (!c) return;
	const byId = new Map(c.messages.map((m) => [m.id, m]));
	const quoteText = (id) => {
		const q = byId.get(id);
		if (!q) return '…';
		return q.from === 'business' ? q.text || q.caption || q.file?.name || '' : q.editedText ?? phoneText(q.action);
	};
	const html = c.messages.filter((m) => m.from === 'business' || !['reaction', 'edit', 'delete'].includes(m.action.kind)).map((m) => {
		const reaction = c.reactions[m.id];
		if (m.from === 'business') {
			const tick = m.delivery ? `<span class="tick ${m.delivery}" data-testid="tick" data-state="${m.delivery}" title="${m.delivery}">${TICK[m.delivery]}</span>` : '';
			const quote = m.quotedMessageId ? `<div class="quote">${esc(quoteText(m.quotedMessageId))}</div>` : '';
			const body = m.kind === 'file' ? fileHtml(m.fileUrl, m.file.name, m.file.mimeType, m.file.size) + (m.caption ? `<div>${md(m.caption)}</div>` : '') : `<div>${md(m.text || '')}</div>`;
			// Reply buttons / list rows the customer can tap (each tap goes back as the provider's reply webhook).
			const choices = m.choices?.length ? `<div class="choices">${m.choices.map((o) => `<button type="button" data-msg-act="choice" data-option="${esc(o.id)}" data-id="${esc(m.id)}" data-testid="phone-choice" title="${esc(o.description || '')}">🔘 ${esc(o.title)}</button>`).join('')}</div>` : '';
			return `<div class="bubble in" data-id="${esc(m.id)}" data-testid="phone-business-message">${quote}${body}${choices}
				<div class="meta">${reaction ? `<span class="reaction">${esc(reaction)}</span>` : ''}${time(m.at)} ${tick}</div>${menu(m, false)}</div>`;
		}
		const a = m.action;
		const quote = a.quote ? `<div class="quote">${esc(quoteText(a.quote.messageId))}</div>` : '';
		let body;
		if (m.deleted) body = '<div class="muted"><i>🚫 You deleted this message</i></div>';
		else if (a.file) body = fileHtml(a.file.url, a.file.name, a.file.mimeType, a.file.size) + (a.caption ? `<div>${md(a.caption)}</div>` : '');
		else body = `<div>${md(m.editedText ?? phoneText(a))}</div>`;
		const w = m.webhook;
		const state = !w ? '' : w.state === 'acknowledged' ? '<span class="tick delivered" title="the app answered 200">✓✓</span>'
			: w.state === 'rejected' ? `<span class="bad" title="the app refused it">✗ ${w.lastStatus}</span>`
			: w.state === 'retrying' ? `<span class="warn" title="GREEN-API keeps it and redelivers">⟳ ${w.attempts}× HTTP ${w.lastStatus || '—'}</span>`
			: '<span class="muted" title="queued at the provider">🕓</span>';
		return `<div class="bubble out" data-id="${esc(m.id)}" data-testid="phone-own-message" data-webhook="${w ? w.state : ''}">${quote}${body}
			<div class="meta">${reaction ? `<span class="reaction">${esc(reaction)}</span>` : ''}${m.editedText !== undefined && !m.deleted ? '<i>edited</i> ' : ''}${time(m.at)} ${state}</div>${m.deleted ? '' : menu(m, true)}</div>`;
	}).join('');
	const chat = $('#phone-chat');
	const atBottom = chat.scrollHeight - chat.scrollTop - chat.clientHeight < 40;
	if (chat.dataset.html !== html) {
		chat.innerHTML = html || '<div class="empty">Write to the business: the message goes to the app as a GREEN-API webhook.</div>';
		chat.dataset.html = html;
		if (atBottom || !chat.dataset.scrolled) chat.scrollTop = chat.scrollHeight;
		chat.dataset.scrolled = '1';
	}
	// The customer has the chat open: what is on screen is read (blue ticks go back as status webhooks).
	if (document.visibilityState === 'visible') {
		const unread = c.messages.filter((m) => m.from === 'business' && m.delivery && m.delivery !== 'read' && !ui.seenSent.has(m.id)).map((m) => m.id);
		if (unread.length) {
			unread.forEach((id) => ui.seenSent.add(id));
			setTimeout(() => act('phone-seen', { customerId: c.id, ids: unread }), 600);
		}
	}
}
function phoneText(a) {
	switch (a.kind) {
		case 'text': return a.text;
		case 'location': return `📍 ${a.name || ''} (${a.latitude}, ${a.longitude})`;
		case 'contact': return `👤 ${a.name} · ${a.phone}`;
		case 'choice': return `🔘 ${a.optionId}`;
		default: return a.caption || a.file?.name || a.kind;
	}
}
function menu(m, own) {
	// The Cloud API passes on no customer edits or deletions for normal numbers: not offered on that phone.
	const editable = own && ui.state.provider.canEditOrDelete;
	const b = (act, label, title) => `<button type="button" data-msg-act="${act}" data-id="${esc(m.id)}" title="${title}">${label}</button>`;
	return `<div class="msg-menu">${b('reply', '↩', 'Reply')}${['👍', '❤️', '😂', '🙏'].map((e) => `<button type="button" data-msg-act="react" data-emoji="${e}" data-id="${esc(m.id)}" title="React ${e}">${e}</button>`).join('')}${editable && m.action.kind === 'text' ? b('edit', '✎', 'Edit') : ''}${editable ? b('delete', '🗑', 'Delete for everyone') : ''}</div>`;
}

function renderPhoneBars() {
	const bar = $('#phone-reply');
	const q = ui.phoneEdit ? { label: 'Editing', text: ui.phoneEdit.text } : ui.phoneQuote ? { label: 'Replying to', text: ui.phoneQuote.text } : null;
	bar.classList.toggle('hidden', !q);
	if (q) bar.innerHTML = `<div><b>${q.label}</b> ${esc(q.text)}</div><button type="button" id="phone-reply-cancel">✕</button>`;
}

// ───────── the agent ─────────

function renderAgent(s) {
	const agent = s.people.agent;
	$('#agent-who').innerHTML = `as <b>${esc(agent.name)}</b> (@${esc(agent.username)}) <span class="presence ${esc(agent.status)}" data-testid="agent-status">${esc(agent.status)}</span> · department ${esc(s.people.department.name)}`;
	if (!ui.roomId || !s.rooms.some((r) => r.id === ui.roomId)) ui.roomId = s.rooms.find((r) => r.isOpen)?.id || s.rooms[0]?.id || null;
	$('#rooms').innerHTML = s.rooms.length ? s.rooms.map((r) => `
		<button type="button" class="room-item ${r.id === ui.roomId ? 'active' : ''} ${r.isOpen ? '' : 'closed'}" data-room="${r.id}" data-testid="room">
			<div><span class="source" title="room source">${esc(r.label)}</span> <b>${esc(r.visitor?.name)}</b></div>
			<div class="small muted">${esc(r.visitor?.phone)} · ${esc(r.department || 'no department')}</div>
			<div class="small muted">${r.isOpen ? (r.servedBy ? `served by @${esc(r.servedBy)}` : 'queued') : 'closed'} · ${r.messages.length} msgs</div>
		</button>`).join('') : '<div class="empty small">No conversations yet. Write from the phone.</div>';
	const room = s.rooms.find((r) => r.id === ui.roomId);
	const head = $('#room-head');
	const list = $('#room-messages');
	if (!room) {
		head.innerHTML = '<span class="muted">No room selected</span>';
		list.innerHTML = '';
		return;
	}
	head.innerHTML = `<div><span class="source">${esc(room.label)}</span> <b data-testid="room-visitor">${esc(room.visitor?.name)}</b> <span class="muted">${esc(room.visitor?.phone)}</span></div>
		<div class="small muted">department <b>${esc(room.department || '—')}</b> · to ${esc(room.destination || '—')} · ${room.isOpen ? `open, served by @${esc(room.servedBy || '—')}` : `closed ${room.closedAt ? time(room.closedAt) : ''}`}</div>
		${room.isOpen ? '<button type="button" id="close-room" data-testid="close-room">Close conversation</button>' : ''}
		${room.isOpen ? (s.uikit?.roomActions || []).map((a) => `<button type="button" data-room-action="${esc(a.actionId)}" data-testid="room-action" title="the app's room action button (Rocket.Chat: the room's kebab menu)">⋮ ${esc(a.label)}</button>`).join('') : ''}`;
	const notices = s.notices.filter((n) => n.userId === agent.id && n.roomId === room.id);
	const items = [...room.messages.map((m) => ({ at: m.at, html: messageHtml(m, agent.id) })), ...notices.map((n) => ({ at: n.at, html: noticeHtml(n) }))].sort((a, b) => new Date(a.at) - new Date(b.at));
	const html = items.map((i) => i.html).join('');
	if (list.dataset.html !== html) {
		const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
		list.innerHTML = html;
		list.dataset.html = html;
		if (atBottom || list.dataset.room !== room.id) list.scrollTop = list.scrollHeight;
		list.dataset.room = room.id;
	}
}
function messageHtml(m, agentId) {
	if (m.system) return `<div class="system" data-testid="rc-system">${esc(m.system === 'livechat-close' ? `Conversation closed by ${m.sender.name}` : `${m.system}: ${m.text}`)}</div>`;
	const kind = m.sender.type === 'visitor' ? 'visitor' : m.sender.type === 'app' ? 'app' : m.sender.id === agentId ? 'mine' : 'user';
	const quotes = m.quotes.map((q) => `<div class="quote"><b>${esc(q.author)}</b><br>${md(q.text)}</div>`).join('');
	const file = m.file ? fileHtml(m.file.url, m.file.name, m.file.type, m.file.size) : '';
	const atts = m.file ? m.attachments.filter((a) => a.description).map((a) => `<div>${md(a.description)}</div>`).join('') : attachmentsHtml(m.attachments);
	return `<div class="rc-msg ${kind}" data-id="${esc(m.id)}" data-testid="rc-message" data-kind="${kind}">
		<div class="rc-head"><b>${esc(m.sender.name)}</b>${kind === 'app' ? ' <span class="badge">App</span>' : ''} <span class="muted small">@${esc(m.sender.username)} · ${time(m.at)}${m.edited ? ' · (edited)' : ''}</span>
		<button type="button" class="quote-btn" data-quote="${esc(m.id)}" title="Quote">❝</button></div>
		${quotes}${m.text ? `<div class="rc-text">${md(m.text)}</div>` : ''}${file}${atts}${blocksHtml(m.blocks, { mid: m.id })}</div>`;
}
function noticeHtml(n) {
	return `<div class="rc-msg notice" data-testid="notice"><div class="rc-head"><b>GREEN-API WhatsApp Bridge</b> <span class="badge">App</span> <span class="muted small">Only you can see this message · ${time(n.at)}</span></div>
		${n.text ? `<div class="rc-text">${md(n.text)}</div>` : ''}${attachmentsHtml(n.attachments)}${blocksHtml(n.blocks)}</div>`;
}
function renderAgentBars() {
	const bar = $('#agent-quote');
	bar.classList.toggle('hidden', !ui.agentQuote);
	if (ui.agentQuote) bar.innerHTML = `<div><b>Quoting ${esc(ui.agentQuote.author)}</b> ${esc(ui.agentQuote.text)}</div><button type="button" id="agent-quote-cancel">✕</button>`;
	const sample = $('#agent-sample').value;
	$('#agent-attachment').textContent = ui.agentFile ? `attached: ${ui.agentFile.name} (the text becomes its caption)` : sample ? `attached sample: ${sample} (the text becomes its caption)` : '';
}

// ───────── admin and inside ─────────

function renderAdmin(s) {
	const i = s.provider.instance;
	$('#instances').innerHTML = `<table class="kv"><tr><th>provider</th><td>${esc(s.provider.label)}</td></tr><tr><th>instance</th><td>${esc(i.id)}</td></tr>
		<tr><th>number</th><td>+${esc(i.number)}</td></tr><tr><th>state</th><td data-testid="instance-state"><span class="state ${esc(i.state)}">${esc(i.state)}</span></td></tr>
		<tr><th>webhook</th><td class="small">${esc(i.webhookUrl)}</td></tr></table>`;
	const adminNotices = s.notices.filter((n) => n.userId === s.people.admin.id).slice(-6).reverse();
	$('#admin-notices').innerHTML = adminNotices.map(noticeHtml).join('');
	$('#alerts').innerHTML = s.alerts.length ? s.alerts.slice(-8).reverse().map((m) => messageHtml(m, '')).join('') : '<div class="muted small">No alerts.</div>';
	const form = $('#settings');
	const sig = JSON.stringify(s.settings);
	if (form.dataset.sig !== sig && !form.contains(document.activeElement)) {
		form.dataset.sig = sig;
		form.innerHTML = s.settings.map((x) => {
			const v = x.value ?? x.packageValue;
			let input;
			if (x.type === 'select') input = `<select name="${esc(x.id)}">${x.values.map((o) => `<option value="${esc(o.key)}" ${o.key === v ? 'selected' : ''}>${esc(o.label)}</option>`).join('')}</select>`;
			else if (x.type === 'boolean') input = `<input type="checkbox" name="${esc(x.id)}" ${v === true ? 'checked' : ''}>`;
			else if (x.type === 'int' || x.type === 'number') input = `<input type="number" name="${esc(x.id)}" value="${esc(v)}">`;
			else if (x.type === 'room') input = `<input name="${esc(x.id)}" value="${esc(v)}" title="room id">`;
			else input = `<input name="${esc(x.id)}" value="${esc(v)}">`;
			return `<label class="setting" title="${esc(x.description)}"><span>${esc(x.label)}</span>${input}</label>`;
		}).join('');
	}
}

function renderInside(s) {
	$('#actions').innerHTML = `<table class="calls"><tr><th>action</th><th>calls</th><th>ms</th></tr>${s.actions.slice(0, 25).map((a) => `
		<tr class="${a.error ? 'bad' : ''}" data-testid="action"><td>${esc(a.label)}${a.result ? ` <span class="muted">→ ${esc(a.result)}</span>` : ''}${a.error ? ` <span class="bad">${esc(a.error)}</span>` : ''}
		<div class="small muted">${Object.entries(a.byMethod).map(([k, v]) => `${esc(k)}×${v}`).join(', ')}</div></td><td class="num">${a.calls}</td><td class="num">${a.ms}</td></tr>`).join('')}</table>`;
	$('#notifications').innerHTML = s.notifications.length ? `<table class="calls">${s.notifications.slice(0, 12).map((n) => `<tr><td>#${n.seq} ${esc(n.label)}</td><td class="${n.state === 'acknowledged' ? 'ok' : n.state === 'retrying' ? 'warn' : n.state === 'rejected' ? 'bad' : ''}">${esc(n.state)}${n.attempts > 1 ? ` (${n.attempts} tries)` : ''}</td><td>${n.lastStatus ?? ''}</td></tr>`).join('')}</table>` : '<div class="muted small">none</div>';
	$('#provider-requests').innerHTML = `<table class="calls">${s.providerRequests.slice().reverse().slice(0, 12).map((r) => `<tr><td>#${r.seq} ${esc(r.method)}</td><td class="${r.status >= 400 ? 'bad' : 'ok'}">${r.status ?? '…'} ${r.outcome && r.outcome !== 'ok' ? esc(r.outcome) : ''}</td><td class="num">${r.ms ?? ''}${r.ms !== undefined ? ' ms' : ''}</td></tr>`).join('')}</table>`;
	$('#jobs').innerHTML = `<div class="small">${s.clock.jobs.map((j) => `${esc(j.name)} (${esc(j.type)}) due ${time(j.due)}`).join('<br>') || 'no jobs'}</div>`;
	const log = $('#log');
	const html = s.log.slice(-120).map((l) => `<div class="log-${esc(l.severity)}"><span class="muted">${time(l.at)}</span> <b>${esc(l.severity)}</b> ${esc(l.method)}: ${esc(l.text)}</div>`).join('');
	if (log.dataset.html !== html) {
		log.innerHTML = html;
		log.dataset.html = html;
		log.scrollTop = log.scrollHeight;
	}
}

function renderTop(s) {
	const i = s.provider.instance;
	$('#status').innerHTML = `<span class="dot ${s.app.restarting ? 'warn' : 'ok'}"></span> app ${s.app.restarting ? '<b>restarting…</b>' : `running (Deno pid <span data-testid="deno-pid">${s.app.pid}</span>)`}${s.app.restarts.length ? ` · restarts ${s.app.restarts.length}` : ''}
		· ${esc(s.provider.label)} ${esc(i.id)} <span class="state ${esc(i.state)}">${esc(i.state)}</span>`;
	const offset = s.clock.offsetMs ? ` (+${Math.round(s.clock.offsetMs / 60000)} min)` : '';
	$('#clock').textContent = `clock ${time(s.clock.now)}${offset}`;
	$('#auto-scheduler').checked = s.clock.autoScheduler;
	for (const b of document.querySelectorAll('[data-fault]')) b.classList.toggle('on', !!s.faults[b.dataset.fault]);
	const l = s.ledger;
	const lost = l.customerWritten - l.acknowledgedByApp - l.waitingAtProvider - l.rejected;
	$('#ledger').innerHTML = `Phone → app: <b>${l.acknowledgedByApp}</b>/${l.customerWritten} acknowledged${l.waitingAtProvider ? `, <span class="warn">${l.waitingAtProvider} waiting at ${esc(s.provider.label)}</span>` : ''}${lost > 0 ? `, <span class="bad">${lost} lost</span>` : ''}
		· Agent → phone: <b data-testid="ledger-received">${l.receivedOnPhone}</b>/<span data-testid="ledger-written">${l.agentWritten}</span> received`;
}

// ───────── the agent's modal, as Rocket.Chat's web client shows it (the server keeps the client's state) ─────────

function modalInputHtml(b, errors) {
	const e = b.element || {};
	const error = errors?.[e.actionId] ?? errors?.[b.blockId];
	let field = `<span class="uk-unknown">${esc(e.type)}</span>`;
	const data = `data-block="${esc(b.blockId)}" data-action="${esc(e.actionId)}"`;
	if (e.type === 'plain_text_input') field = `<input type="text" ${data} value="${esc(e.initialValue ?? '')}" placeholder="${esc(e.placeholder?.text ?? '')}">`;
	if (e.type === 'static_select') {
		const initial = e.initialOption?.value ?? e.initialValue;
		field = `<select ${data}><option value="">${esc(e.placeholder?.text ?? '')}</option>${(e.options || []).map((o) => `<option value="${esc(o.value)}" ${o.value === initial ? 'selected' : ''}>${esc(o.text?.text ?? o.value)}</option>`).join('')}</select>`;
	}
	return `<label class="uk-input">${uiText(b.label)}${field}${error ? `<span class="uk-error" data-testid="modal-error">${esc(error)}</span>` : ''}</label>`;
}
function renderModal(s) {
	const m = s.uikit?.modal;
	const key = m ? JSON.stringify(m) : '';
	if (s.uikit && s.uikit.toasts > ui.toasts) toast('The app did not answer within 5 seconds (UIKit_Interaction_Timeout)', true);
	ui.toasts = s.uikit?.toasts ?? 0;
	if (key === ui.modalKey) return; // typing survives other updates; a dropped update changes nothing
	const box = $('#uikit-modal');
	if (m?.view?.id !== JSON.parse(ui.modalKey || 'null')?.view?.id) ui.modalDirty = {};
	ui.modalKey = key;
	if (!m) {
		box.classList.add('hidden');
		box.innerHTML = '';
		return;
	}
	const v = m.view;
	const body = (v.blocks || []).map((b) => (b.type === 'input' ? modalInputHtml(b, m.errors) : blocksHtml([b]))).join('');
	box.innerHTML = `<div class="modal-card" data-testid="uikit-modal" data-view-id="${esc(v.id)}">
		<h3>${uiText(v.title)}</h3><div class="modal-body">${body}</div>
		<div class="modal-foot">${v.close ? `<button type="button" data-testid="modal-close" data-modal="close">${uiText(v.close.text)}</button>` : ''}
		${v.submit ? `<button type="button" class="primary" data-testid="modal-submit" data-modal="submit">${uiText(v.submit.text)}</button>` : ''}</div></div>`;
	box.classList.remove('hidden');
}

function render(s) {
	ui.state = s;
	if (!s.customers.some((c) => c.id === ui.customerId)) ui.customerId = s.customers[0]?.id;
	renderTop(s);
	renderPhone(s);
	renderAgent(s);
	renderAdmin(s);
	renderInside(s);
	renderModal(s);
	const samples = $('#agent-sample');
	if (samples.options.length === 1) for (const x of s.samples) samples.add(new Option(x.name, x.id));
	document.body.dataset.ready = '1';
}

// ───────── events ─────────

function connect() {
	const es = new EventSource('/sandbox/events');
	es.addEventListener('state', (e) => render(JSON.parse(e.data)));
	es.onerror = () => {
		$('#status').innerHTML = '<span class="dot bad"></span> disconnected — is `npm start` still running?';
		document.body.dataset.ready = '';
	};
}

$('#customer').addEventListener('change', (e) => {
	ui.customerId = e.target.value;
	ui.phoneQuote = ui.phoneEdit = null;
	renderPhoneBars();
	if (ui.state) renderPhone(ui.state);
});
$('#customer-form').addEventListener('submit', async (e) => {
	e.preventDefault();
	const f = new FormData(e.target);
	const c = await act('customer', { name: f.get('name'), phone: f.get('phone') });
	if (c) {
		ui.customerId = c.id;
		e.target.reset();
		e.target.closest('details').open = false;
	}
});

async function phoneSend(body) {
	const quoteId = ui.phoneQuote?.id;
	const out = await act('phone', { customerId: ui.customerId, ...(quoteId && { quoteId }), ...body });
	if (out) {
		ui.phoneQuote = null;
		renderPhoneBars();
	}
	return out;
}
$('#phone-form').addEventListener('submit', async (e) => {
	e.preventDefault();
	const input = $('#phone-text');
	const text = input.value;
	if (!text.trim()) return;
	input.value = ''; // at once, as a chat app does; put back if the send is refused
	const out = ui.phoneEdit ? await act('phone', { customerId: ui.customerId, kind: 'edit', targetId: ui.phoneEdit.id, text }) : await phoneSend({ kind: 'text', text });
	if (out) {
		ui.phoneEdit = null;
		renderPhoneBars();
	} else if (!input.value) input.value = text;
});
// The business answers this customer from the WhatsApp Business app (a coexistence number).
$('#business-app-form').addEventListener('submit', async (e) => {
	e.preventDefault();
	const input = $('#business-app-text');
	const text = input.value;
	if (!text.trim()) return;
	input.value = '';
	if (!(await act('business-app', { customerId: ui.customerId, text })) && !input.value) input.value = text;
});
$('#phone-attach-toggle').addEventListener('click', () => $('#phone-attach').classList.toggle('hidden'));
for (const b of document.querySelectorAll('[data-phone-sample]')) {
	b.addEventListener('click', async () => {
		const sample = b.dataset.phoneSample;
		const kind = ui.state.samples.find((x) => x.id === sample).kind;
		const caption = $('#phone-text').value;
		if (await phoneSend({ kind, sample, caption })) $('#phone-text').value = '';
		$('#phone-attach').classList.add('hidden');
	});
}
$('#phone-file').addEventListener('change', async (e) => {
	const file = await readFile(e.target);
	e.target.value = '';
	if (!file) return;
	const kind = file.mimeType.startsWith('image/') ? 'image' : file.mimeType.startsWith('audio/') ? 'voice' : 'document';
	if (await phoneSend({ kind, file, caption: $('#phone-text').value })) $('#phone-text').value = '';
	$('#phone-attach').classList.add('hidden');
});
$('#phone-location').addEventListener('submit', async (e) => {
	e.preventDefault();
	const f = new FormData(e.target);
	await phoneSend({ kind: 'location', name: f.get('name'), latitude: f.get('latitude'), longitude: f.get('longitude') });
	$('#phone-attach').classList.add('hidden');
});
$('#phone-contact').addEventListener('submit', async (e) => {
	e.preventDefault();
	const f = new FormData(e.target);
	await phoneSend({ kind: 'contact', name: f.get('name'), phone: f.get('phone') });
	$('#phone-attach').classList.add('hidden');
});
$('#phone-chat').addEventListener('click', async (e) => {
	const b = e.target.closest('[data-msg-act]');
	if (!b) return;
	const id = b.dataset.id;
	const bubble = b.closest('.bubble');
	const text = bubble.querySelector(':scope > div:not(.meta):not(.msg-menu):not(.quote)')?.textContent || bubble.querySelector('.doc, .small')?.textContent || '';
	switch (b.dataset.msgAct) {
		case 'reply':
			ui.phoneQuote = { id, text };
			ui.phoneEdit = null;
			$('#phone-text').focus();
			break;
		case 'react':
			await act('phone', { customerId: ui.customerId, kind: 'reaction', targetId: id, emoji: b.dataset.emoji });
			break;
		case 'choice':
			await act('phone', { customerId: ui.customerId, kind: 'choice', targetId: id, optionId: b.dataset.option });
			break;
		case 'edit':
			ui.phoneEdit = { id, text };
			ui.phoneQuote = null;
			$('#phone-text').value = text;
			$('#phone-text').focus();
			break;
		case 'delete':
			await act('phone', { customerId: ui.customerId, kind: 'delete', targetId: id });
			break;
	}
	renderPhoneBars();
});
$('#phone-reply').addEventListener('click', (e) => {
	if (e.target.id !== 'phone-reply-cancel') return;
	if (ui.phoneEdit) $('#phone-text').value = '';
	ui.phoneQuote = ui.phoneEdit = null;
	renderPhoneBars();
});

$('#rooms').addEventListener('click', (e) => {
	const b = e.target.closest('[data-room]');
	if (!b) return;
	ui.roomId = b.dataset.room;
	ui.agentQuote = null;
	renderAgentBars();
	renderAgent(ui.state);
});
$('#room-head').addEventListener('click', (e) => {
	if (e.target.id === 'close-room') act('agent-close', { roomId: ui.roomId });
	const a = e.target.closest('[data-room-action]');
	if (a) act('ui-click', { kind: 'room', rid: ui.roomId, actionId: a.dataset.roomAction });
});
$('#room-messages').addEventListener('click', (e) => {
	const action = e.target.closest('[data-block-action]');
	if (action) {
		act('ui-click', { kind: 'message', rid: ui.roomId, mid: action.dataset.mid, actionId: action.dataset.blockAction, blockId: action.dataset.blockId, value: action.dataset.blockValue });
		return;
	}
	const b = e.target.closest('[data-quote]');
	if (!b) return;
	const room = ui.state.rooms.find((r) => r.id === ui.roomId);
	const m = room?.messages.find((x) => x.id === b.dataset.quote);
	if (!m) return;
	ui.agentQuote = { id: m.id, author: m.sender.name, text: m.text || m.file?.name || '' };
	renderAgentBars();
	$('#agent-text').focus();
});
$('#agent-quote').addEventListener('click', (e) => {
	if (e.target.id === 'agent-quote-cancel') {
		ui.agentQuote = null;
		renderAgentBars();
	}
});
$('#agent-file').addEventListener('change', async (e) => {
	ui.agentFile = await readFile(e.target);
	e.target.value = '';
	renderAgentBars();
});
$('#agent-sample').addEventListener('change', renderAgentBars);
$('#agent-form').addEventListener('submit', async (e) => {
	e.preventDefault();
	const input = $('#agent-text');
	const text = input.value.trim();
	if (!ui.roomId) return toast('No room selected');
	if (text.startsWith('/')) {
		if (!/^\/whatsapp\b/.test(text)) return toast('Only /whatsapp commands run here');
		if (await act('command', { as: 'agent', roomId: ui.roomId, line: text })) input.value = '';
		return;
	}
	const sample = $('#agent-sample').value;
	if (!text && !sample && !ui.agentFile) return;
	const body = { roomId: ui.roomId, text, quoteOf: ui.agentQuote?.id, ...(ui.agentFile ? { file: ui.agentFile } : sample ? { sample } : {}) };
	// Cleared at once, as Rocket.Chat's composer does; put back if the send is refused.
	const kept = { quote: ui.agentQuote, file: ui.agentFile };
	input.value = '';
	ui.agentQuote = ui.agentFile = null;
	$('#agent-sample').value = '';
	renderAgentBars();
	if (!(await act('agent-send', body)) && !input.value) {
		input.value = text;
		ui.agentQuote = kept.quote;
		ui.agentFile = kept.file;
		$('#agent-sample').value = sample;
		renderAgentBars();
	}
});

$('#admin-form').addEventListener('submit', async (e) => {
	e.preventDefault();
	const line = $('#admin-text').value.trim();
	if (line && (await act('command', { as: 'admin', line }))) $('#admin-text').value = '';
});
for (const b of document.querySelectorAll('[data-admin-cmd]')) {
	b.addEventListener('click', () => {
		let line = b.dataset.adminCmd;
		if (line === 'instance qr') line += ` ${ui.state.provider.instance.id}`;
		act('command', { as: 'admin', line });
	});
}
$('#settings').addEventListener('change', (e) => {
	const el = e.target;
	const setting = ui.state.settings.find((x) => x.id === el.name);
	if (!setting) return;
	const value = el.type === 'checkbox' ? el.checked : el.type === 'number' ? Number(el.value) : el.value;
	act('setting', { id: setting.id, value });
});

for (const b of document.querySelectorAll('[data-fault]')) {
	b.addEventListener('click', () => act('faults', { [b.dataset.fault]: !ui.state.faults[b.dataset.fault] }));
}
document.addEventListener('click', (e) => {
	const b = e.target.closest('[data-act]');
	if (!b) return;
	const a = b.dataset.act;
	if (a === 'jobs') act('jobs');
	else if (a === 'clock') act('clock', { minutes: Number(b.dataset.minutes) });
	else if (a === 'restart') act('restart');
	else if (a === 'unlink') act('link', { linked: false });
	else if (a === 'link') act('link', { linked: true });
});
$('#auto-scheduler').addEventListener('change', (e) => act('scheduler', { auto: e.target.checked }));
for (const tab of document.querySelectorAll('.tab')) {
	tab.addEventListener('click', () => {
		for (const t of document.querySelectorAll('.tab')) t.classList.toggle('active', t === tab);
		$('#tab-admin').classList.toggle('hidden', tab.dataset.tab !== 'admin');
		$('#tab-inside').classList.toggle('hidden', tab.dataset.tab !== 'inside');
	});
}
document.addEventListener('visibilitychange', () => ui.state && renderPhone(ui.state));

connect();

const modalBox = $('#uikit-modal');
const modalTyped = (e) => {
	const f = e.target.closest('[data-action]');
	if (f) ui.modalDirty[f.dataset.action] = { blockId: f.dataset.block, actionId: f.dataset.action, value: f.value };
};
modalBox.addEventListener('input', modalTyped);
modalBox.addEventListener('change', modalTyped);
modalBox.addEventListener('click', async (e) => {
	const b = e.target.closest('[data-modal]');
	if (!b) return;
	if (b.dataset.modal === 'close') return act('ui-close');
	const values = Object.values(ui.modalDirty);
	ui.modalDirty = {};
	await act('ui-submit', { values });
});
