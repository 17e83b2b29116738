// WhatsApp's rules for a filled template (src/core/templateRules.ts) and the one check every entry point
// calls (prepareTemplate in src/core/templates.ts): media headers from the room's files, authentication
// codes, buttons, lengths — each refusal with the reason an agent reads.
import { RoomFile, TemplateInfo } from '../../src/core/ports/templates';
import { isAuthentication, mediaHeaderProblem, TEMPLATE_RULES, templateRuleProblems } from '../../src/core/templateRules';
import { needsRoomFiles, prepareTemplate, renderTemplate, templateMessage, templateSlots } from '../../src/core/templates';

const MB = 1024 * 1024;
const info = (over: Partial<TemplateInfo> = {}): TemplateInfo => ({
	name: 'spring_sale', language: 'en', status: 'APPROVED', category: 'MARKETING', parameterFormat: 'positional',
	body: 'Hi {{1}}, our sale starts today.', bodyParameters: ['1'], buttons: [], ...over,
});
const imageHeader = info({ header: { format: 'image', parameters: ['link'] } });
const file = (name: string, type: string, size?: number): RoomFile => ({ id: `f-${name}`, name, type, ...(size !== undefined && { size }) });
const ROOM: RoomFile[] = [file('sale.png', 'image/png', 200_000), file('terms.pdf', 'application/pdf', 3 * MB), file('huge.jpg', 'image/jpeg', 6 * MB), file('clip.mp4', 'video/mp4', 2 * MB)];
const problemsOf = (i: TemplateInfo, values: Parameters<typeof prepareTemplate>[1], files?: RoomFile[]) => {
	const r = prepareTemplate(i, values, files);
	return r.ok ? [] : r.problems;
};

describe('media headers: a link, a file of the room, or a media id', () => {
	it('a file named in the room becomes the header (its id, name, type and size), and reads as its name in the room', () => {
		const r = prepareTemplate(imageHeader, { body: { 1: 'Ann' }, header: { link: 'SALE.png' } }, ROOM);
		expect(r).toMatchObject({ ok: true, message: { header: { file: { id: 'f-sale.png', name: 'sale.png', type: 'image/png', size: 200_000 } }, body: { 1: 'Ann' } } });
		if (r.ok) expect(renderTemplate(r.message).split('\n')[0]).toBe('image: sale.png');
		expect(prepareTemplate(imageHeader, { body: { 1: 'Ann' }, header: { link: 'https://cdn.test/a.png' } })).toMatchObject({ ok: true, message: { header: { link: 'https://cdn.test/a.png' } } });
		expect(prepareTemplate(imageHeader, { body: { 1: 'Ann' }, header: { mediaId: '1479537139650973' } })).toMatchObject({ ok: true, message: { header: { mediaId: '1479537139650973' } } });
	});

	it('refuses a file of the wrong kind, over the kind\'s size, missing from the room — with the reason', () => {
		expect(problemsOf(imageHeader, { body: { 1: 'Ann' }, header: { link: 'terms.pdf' } }, ROOM)).toEqual(['terms.pdf is application/pdf: the image header takes image/jpeg, image/png']);
		expect(problemsOf(imageHeader, { body: { 1: 'Ann' }, header: { link: 'huge.jpg' } }, ROOM)).toEqual(['huge.jpg is larger than WhatsApp allows for the image header (5 MB)']);
		expect(problemsOf(imageHeader, { body: { 1: 'Ann' }, header: { link: 'gone.png' } }, ROOM)).toEqual([
			'Header image (a link, or the name of a file in this room): there is no file named "gone.png" in this room (give a link, or the name of a file posted here)',
		]);
		// Without the room's files (the REST endpoint has no room yet) a name is not a link.
		expect(problemsOf(imageHeader, { body: { 1: 'Ann' }, header: { link: 'sale.png' } })).toEqual(['Header image (a link, or the name of a file in this room) must be an http(s) link']);
		const documentHeader = info({ header: { format: 'document', parameters: ['link'] } });
		expect(problemsOf(documentHeader, { body: { 1: 'Ann' }, header: { link: 'terms.pdf' } }, ROOM)).toEqual([]);
		const videoHeader = info({ header: { format: 'video', parameters: ['link'] } });
		expect(problemsOf(videoHeader, { body: { 1: 'Ann' }, header: { link: 'clip.mp4' } }, ROOM)).toEqual([]);
	});

	it('the limits are data, per kind; documents are PDF only (the stricter of Meta\'s pages)', () => {
		expect(TEMPLATE_RULES.headerMedia.document.mimeTypes).toEqual(['application/pdf']);
		expect(mediaHeaderProblem('video', file('v.mp4', 'video/mp4', 16 * MB))).toBeUndefined();
		expect(mediaHeaderProblem('video', file('v.mp4', 'video/mp4', 16 * MB + 1))).toMatch(/larger than WhatsApp allows/);
		expect(mediaHeaderProblem('image', file('a.png', 'image/png; charset=binary', 10))).toBeUndefined();
		expect(mediaHeaderProblem('image', file('a.png', 'image/png', 0))).toBe('a.png is empty');
		expect(mediaHeaderProblem('image', file('a.webp', 'image/webp', 10), { ...TEMPLATE_RULES, headerMedia: { ...TEMPLATE_RULES.headerMedia, image: { mimeTypes: ['image/webp'], maxBytes: 100 } } })).toBeUndefined();
	});

	it('the room\'s files are read only for a media header given by name', () => {
		expect(needsRoomFiles(imageHeader, { body: {}, header: { link: 'sale.png' } })).toBe(true);
		expect(needsRoomFiles(imageHeader, { body: {}, header: { link: 'https://x.test/a.png' } })).toBe(false);
		expect(needsRoomFiles(imageHeader, { body: {}, header: { mediaId: '1' } })).toBe(false);
		expect(needsRoomFiles(info(), { body: {}, header: { link: 'sale.png' } })).toBe(false);
	});
});

describe('authentication (one-time code) templates', () => {
	const otp = info({
		name: 'login_code', category: 'AUTHENTICATION', body: '*{{1}}* is your verification code.', footer: 'This code expires in 10 minutes.',
		buttons: [{ type: 'OTP', text: 'Copy code', parameters: ['code'] }],
	});

	it('take the code only: it fills the body and the code button', () => {
		expect(isAuthentication(otp)).toBe(true);
		expect(templateSlots(otp).map((s) => [s.kind, s.key, s.label])).toEqual([['code', '1', 'One-time code']]);
		const r = prepareTemplate(otp, { body: {}, code: ' 482910 ' });
		expect(r).toMatchObject({ ok: true, message: { body: { 1: '482910' }, buttons: { 0: '482910' } } });
		// A positional value (the command line's) is the code too.
		expect(templateMessage(otp, { body: { 1: '777111' } })).toMatchObject({ body: { 1: '777111' }, buttons: { 0: '777111' } });
		if (r.ok) expect(renderTemplate(r.message)).toBe('*482910* is your verification code.\n_This code expires in 10 minutes._\n🔘 Copy code');
	});

	it('refuse a missing code, one over 15 characters, one with spaces', () => {
		expect(problemsOf(otp, { body: {} })).toEqual(['One-time code is missing']);
		expect(problemsOf(otp, { body: {}, code: '1234567890123456' })).toEqual(['One-time code is longer than 15 characters']);
		expect(problemsOf(otp, { body: {}, code: '123456789012345' })).toEqual([]);
		expect(problemsOf(otp, { body: {}, code: '12 34' })).toEqual(['the one-time code cannot contain spaces']);
	});
});

describe('buttons and text lengths', () => {
	const buttons = info({
		buttons: [
			{ type: 'URL', text: 'Shop', parameters: ['1'], url: 'https://shop.test/s/{{1}}' },
			{ type: 'QUICK_REPLY', text: 'Not now', parameters: [] },
			{ type: 'REQUEST_CONTACT_INFO', text: 'Share my number', parameters: [] },
			{ type: 'COPY_CODE', text: 'Copy offer', parameters: ['code'] },
		],
	});
	const base = { body: { 1: 'Ann' }, buttons: { 0: 'A1', 3: 'SPRING25' } };

	it('a request-contact-info button is listed and sent without a value; given one, it is refused', () => {
		expect(templateSlots(buttons).map((s) => s.label)).toEqual(['{{1}}', 'Button 1 "Shop"', 'Button 4 "Copy offer"']);
		expect(prepareTemplate(buttons, base)).toMatchObject({ ok: true, message: { buttons: { 0: 'A1', 3: 'SPRING25' } } });
		expect(problemsOf(buttons, { ...base, buttons: { ...base.buttons, 2: '+49170' } })).toEqual(['Button 3 "Share my number" takes no value']);
		expect(problemsOf(buttons, { ...base, buttons: { ...base.buttons, 7: 'x' } })).toEqual(['the template has no button 8']);
	});

	it('URL suffixes without spaces and within 2000 characters; coupon codes within 15; quick-reply payloads within 256', () => {
		expect(problemsOf(buttons, { ...base, buttons: { ...base.buttons, 0: 'a b' } })).toEqual(['Button 1 "Shop": the end of the link cannot contain spaces']);
		expect(problemsOf(buttons, { ...base, buttons: { ...base.buttons, 0: 'x'.repeat(1981) } })).toEqual(['Button 1 "Shop" is longer than 2000 characters']);
		expect(problemsOf(buttons, { ...base, buttons: { ...base.buttons, 0: 'x'.repeat(1980) } })).toEqual([]);
		expect(problemsOf(buttons, { ...base, buttons: { ...base.buttons, 3: 'SPRING2025-EXTRA' } })).toEqual(['Button 4 "Copy offer" is longer than 15 characters']);
		expect(prepareTemplate(buttons, { ...base, buttons: { ...base.buttons, 1: 'later' } })).toMatchObject({ ok: true, message: { buttons: { 1: 'later' } } });
		expect(problemsOf(buttons, { ...base, buttons: { ...base.buttons, 1: 'p'.repeat(257) } })).toEqual(['Button 2 "Not now" is longer than 256 characters']);
	});

	it('a text header filled to at most 60 characters; body parameters 1024 beside other components', () => {
		const titled = info({ header: { format: 'text', text: 'Order {{1}}', parameters: ['1'] } });
		expect(problemsOf(titled, { body: { 1: 'Ann' }, header: { text: 'x'.repeat(54) } })).toEqual([]);
		expect(problemsOf(titled, { body: { 1: 'Ann' }, header: { text: 'x'.repeat(55) } })).toEqual(['Header is longer than 60 characters']);
		expect(problemsOf(titled, { body: { 1: 'y'.repeat(1025) }, header: { text: 'A1' } })).toEqual(['{{1}} is longer than 1024 characters']);
		expect(templateRuleProblems(templateMessage(info(), { body: { 1: 'y'.repeat(1025) } }))).toEqual([]);
	});
});
