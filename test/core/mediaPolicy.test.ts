// The media host policy: HTTPS from the provider's hosts or admin-listed ones, never a
// literal address that is not public, never userinfo, controls or an oversized URL.
import {
	checkMediaUrl, HostRule, hostsOfUrls, isBlockedAddress, MAX_MEDIA_URL_LENGTH, MediaHostPolicy, parseHostPatterns,
} from '../../src/core/mediaPolicy';
import { GREEN_API_MEDIA_HOSTS } from '../../src/providers/greenapi/mediaHosts';

/** WhatsApp Cloud API: a media id resolves to a short-lived `https://lookaside.fbsbx.com/whatsapp_business/attachments/…` URL. */
const CLOUD_API_MEDIA_HOSTS: ReadonlyArray<HostRule> = ['lookaside.fbsbx.com'];


const greenApi: MediaHostPolicy = { providerHosts: [...GREEN_API_MEDIA_HOSTS, ...hostsOfUrls(['https://1101.api.greenapi.com', 'https://1101.media.greenapi.com'])] };
const withExtras = (...extraHosts: string[]): MediaHostPolicy => ({ ...greenApi, extraHosts });

const allowed = (url: string, policy = greenApi) => expect(checkMediaUrl(url, policy)).toEqual({ ok: true });
const refused = (url: unknown, reason: string, host?: string, policy = greenApi) => {
	const v = checkMediaUrl(url, policy);
	expect(v).toMatchObject({ ok: false, reason, ...(host !== undefined && { host }) });
};

describe('provider hosts', () => {
	it('GREEN-API storage buckets as its docs show them, its API hosts and the instance\'s own hosts', () => {
		allowed('https://sw-media.storage.yandexcloud.net/1101000001/a0128ca6.jpg');
		allowed('https://sw-media-1101.storage.yandexcloud.net/1101000001/15697d2c-397c-4fd0-8e1a-8be95f753aae.jpg');
		allowed('https://SW-MEDIA-3100.storage.yandexcloud.net/3100000000/x.webp?X-Amz-Signature=abc#frag');
		allowed('https://sw-media-1101.storage.yandexcloud.net./1/a.jpg'); // the root dot names the same host
		allowed('https://api.green-api.com/waInstance1/downloadFile/x');
		allowed('https://media.greenapi.com/x');
		allowed('https://1101.api.greenapi.com/x');
		allowed('https://1101.media.greenapi.com/x');
		allowed('https://sw-media.storage.yandexcloud.net:443/1/a.jpg'); // the default port, written out
	});

	it('not other buckets of the same storage, nor look-alikes, nor another instance\'s host', () => {
		refused('https://storage.yandexcloud.net/sw-media/a.jpg', 'not-listed', 'storage.yandexcloud.net');
		refused('https://evil.storage.yandexcloud.net/a.jpg', 'not-listed');
		refused('https://sw-media-x.storage.yandexcloud.net/a.jpg', 'not-listed');
		refused('https://sw-media.storage.yandexcloud.net.evil.com/a.jpg', 'not-listed', 'sw-media.storage.yandexcloud.net.evil.com');
		refused('https://evil.com/sw-media.storage.yandexcloud.net/a.jpg', 'not-listed', 'evil.com');
		refused('https://evil.com?https://sw-media.storage.yandexcloud.net/a.jpg', 'not-listed', 'evil.com');
		refused('https://2202.api.greenapi.com/x', 'not-listed');
		refused('https://xapi.green-api.com/x', 'not-listed');
	});

	it('only on the default port', () => {
		refused('https://sw-media.storage.yandexcloud.net:8443/a.jpg', 'not-listed', 'sw-media.storage.yandexcloud.net:8443');
	});

	it('Cloud API media from lookaside.fbsbx.com', () => {
		const cloud: MediaHostPolicy = { providerHosts: CLOUD_API_MEDIA_HOSTS };
		allowed('https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2&hash=3', cloud);
		refused('https://sw-media.storage.yandexcloud.net/a.jpg', 'not-listed', undefined, cloud);
	});

	it('hostsOfUrls keeps only HTTPS hosts on the default port (a plain-http or odd-port apiUrl allows nothing by itself)', () => {
		expect(hostsOfUrls(['https://1101.api.greenapi.com', 'https://1101.api.greenapi.com/', 'http://127.0.0.1:3000', 'https://x.test:8443', 'nonsense', undefined])).toEqual(['1101.api.greenapi.com']);
	});
});

describe('HTTPS only', () => {
	it.each(['http://sw-media.storage.yandexcloud.net/a.jpg', 'ftp://sw-media.storage.yandexcloud.net/a.jpg', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'javascript:alert(1)', 'gopher://127.0.0.1:6379/_x'])(
		'%s',
		(url) => {
			const v = checkMediaUrl(url, greenApi);
			expect(v.ok).toBe(false);
			expect(['scheme', 'address']).toContain(!v.ok && v.reason);
		},
	);
});

describe('never a literal address that is not public, however written', () => {
	const everything = withExtras('*.storage.yandexcloud.net', '10.0.0.5', '10.0.0.5:8080', '[::1]:8080', '169.254.169.254', 'metadata.google.internal', 'localhost:8080');
	it.each([
		// loopback, in every spelling the URL parser turns into 127.0.0.1
		['https://127.0.0.1/a', '127.0.0.1'],
		['https://127.0.0.1:3000/api/v1/info', '127.0.0.1:3000'],
		['https://127.1/a', '127.0.0.1'],
		['https://2130706433/a', '127.0.0.1'],
		['https://0x7f000001/a', '127.0.0.1'],
		['https://0x7f.0.0.1/a', '127.0.0.1'],
		['https://0177.0.0.1/a', '127.0.0.1'],
		['https://017700000001/a', '127.0.0.1'],
		['https://127.000.000.001/a', '127.0.0.1'],
		['https://１２７.０.０.１/a', '127.0.0.1'], // full-width digits, mapped by IDNA
		['https://0.0.0.0/a', '0.0.0.0'],
		['https://0/a', '0.0.0.0'],
		// private, CGNAT, link-local, metadata, multicast, reserved
		['https://10.0.0.5/a', '10.0.0.5'],
		['https://10.0.0.5:8080/a', '10.0.0.5:8080'],
		['https://172.16.0.1/a', '172.16.0.1'],
		['https://172.31.255.255/a', '172.31.255.255'],
		['https://192.168.1.1/a', '192.168.1.1'],
		['https://100.64.0.1/a', '100.64.0.1'],
		['https://100.100.100.200/latest/meta-data', '100.100.100.200'],
		['https://169.254.169.254/latest/meta-data/', '169.254.169.254'],
		['https://168.63.129.16/metadata', '168.63.129.16'],
		['https://192.0.0.192/opc/v1', '192.0.0.192'],
		['https://224.0.0.1/a', '224.0.0.1'],
		['https://255.255.255.255/a', '255.255.255.255'],
		['https://198.18.0.1/a', '198.18.0.1'],
		// IPv6: loopback, unspecified, mapped, NAT64, 6to4, ULA, link-local, multicast, documentation
		['https://[::1]/a', '[::1]'],
		['https://[::1]:8080/a', '[::1]:8080'],
		['https://[0:0:0:0:0:0:0:1]/a', '[::1]'],
		['https://[::]/a', '[::]'],
		['https://[::ffff:127.0.0.1]/a', '[::ffff:7f00:1]'],
		['https://[::ffff:7f00:1]/a', '[::ffff:7f00:1]'],
		['https://[::ffff:169.254.169.254]/a', '[::ffff:a9fe:a9fe]'],
		['https://[::127.0.0.1]/a', '[::7f00:1]'],
		['https://[64:ff9b::10.0.0.1]/a', '[64:ff9b::a00:1]'],
		['https://[2002:7f00:1::]/a', '[2002:7f00:1::]'],
		['https://[fd00:ec2::254]/latest/meta-data', '[fd00:ec2::254]'],
		['https://[fc00::1]/a', '[fc00::1]'],
		['https://[fe80::1]/a', '[fe80::1]'],
		['https://[fec0::1]/a', '[fec0::1]'],
		['https://[ff02::1]/a', '[ff02::1]'],
		['https://[2001:db8::1]/a', '[2001:db8::1]'],
		['https://[2001::1]/a', '[2001::1]'],
		// names that only mean something locally
		['https://localhost/a', 'localhost'],
		['https://localhost:8080/a', 'localhost:8080'],
		['https://LOCALHOST./a', 'localhost.'],
		['https://app.localhost/a', 'app.localhost'],
		['https://metadata.google.internal/computeMetadata/v1/', 'metadata.google.internal'],
		['https://metadata/computeMetadata/v1/', 'metadata'],
		['https://rocketchat/api/v1/info', 'rocketchat'],
		['https://printer.local/a', 'printer.local'],
		['https://db.internal/a', 'db.internal'],
	])('%s → refused, naming %s, even when listed', (url, host) => {
		refused(url, 'address', host, everything);
	});

	it('public addresses and names pass the address rules (then need listing)', () => {
		refused('https://8.8.8.8/a', 'not-listed', '8.8.8.8');
		allowed('https://8.8.8.8/a', withExtras('8.8.8.8'));
		refused('https://[2606:4700::1111]/a', 'not-listed', '[2606:4700::1111]');
		allowed('https://[2606:4700::1111]/a', withExtras('[2606:4700::1111]'));
		allowed('https://172.32.0.1/a', withExtras('172.32.0.1'));
		allowed('https://[::ffff:8.8.8.8]/a', withExtras('[::ffff:808:808]'));
	});

	it('isBlockedAddress refuses what it cannot parse', () => {
		for (const a of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '[1:2:3]', '[::1::]', '[12345::]', '[1:2:3:4:5:6:7:8:9]', '[::ffff:1.2.3]', 'x']) expect(isBlockedAddress(a)).toBe(true);
		for (const a of ['8.8.8.8', '[2606:4700::1111]', '[2a00:1450:4001:81c::200e]', '[::ffff:8.8.8.8]']) expect(isBlockedAddress(a)).toBe(false);
	});
});

describe('the explicit loopback exception (fakes in tests)', () => {
	const fake = withExtras('127.0.0.1:38853');
	it('allows exactly 127.0.0.1:<that port>, over http or https', () => {
		allowed('http://127.0.0.1:38853/files/a.jpg', fake);
		allowed('https://127.0.0.1:38853/files/a.jpg', fake);
	});
	it('not another port, not without a port, not another loopback spelling', () => {
		refused('http://127.0.0.1:38854/files/a.jpg', 'address', '127.0.0.1:38854', fake);
		refused('http://127.0.0.1/files/a.jpg', 'address', '127.0.0.1', withExtras('127.0.0.1'));
		refused('http://127.0.0.2:38853/a', 'address', undefined, fake);
		refused('http://[::1]:38853/a', 'address', undefined, withExtras('[::1]:38853'));
		refused('http://localhost:38853/a', 'address', undefined, withExtras('localhost:38853'));
	});
	it('http stays refused for every other listed host', () => {
		refused('http://media.example.com/a', 'scheme', 'media.example.com', withExtras('media.example.com'));
		allowed('https://media.example.com/a', withExtras('media.example.com'));
	});
});

describe('admin-listed hosts', () => {
	it('exact names, ports and wildcards of subdomains', () => {
		allowed('https://cdn.example.com/a', withExtras('cdn.example.com'));
		refused('https://cdn.example.com:8443/a', 'not-listed', undefined, withExtras('cdn.example.com'));
		allowed('https://cdn.example.com:8443/a', withExtras('cdn.example.com:8443'));
		refused('https://cdn.example.com/a', 'not-listed', undefined, withExtras('cdn.example.com:8443'));
		allowed('https://a.b.files.example.com/a', withExtras('*.files.example.com'));
		refused('https://files.example.com/a', 'not-listed', undefined, withExtras('*.files.example.com'));
		refused('https://evilfiles.example.com/a', 'not-listed', undefined, withExtras('*.files.example.com'));
	});

	it('parseHostPatterns keeps valid patterns (lowercased, deduplicated) and names the others', () => {
		const { patterns, invalid } = parseHostPatterns('cdn.example.com, CDN.example.com\n*.files.example.com;127.0.0.1:38853 [::1]:80  media.example.com:443');
		expect(patterns).toEqual(['cdn.example.com', '*.files.example.com', '127.0.0.1:38853', '[::1]:80', 'media.example.com:443']);
		expect(invalid).toEqual([]);
		const bad = parseHostPatterns('* *.com *.co.uk https://x.com x.com/path user@x.com x.com:0 x.com:70000 -x.com x_y.com');
		expect(bad.patterns).toEqual([]);
		expect(bad.invalid).toEqual(['*', '*.com', '*.co.uk', 'https://x.com', 'x.com/path', 'user@x.com', 'x.com:0', 'x.com:70000', '-x.com', 'x_y.com']);
		expect(parseHostPatterns(undefined)).toEqual({ patterns: [], invalid: [] });
	});
});

describe('URL shape', () => {
	it('no userinfo, whatever it pretends', () => {
		refused('https://user:pass@sw-media.storage.yandexcloud.net/a.jpg', 'userinfo', 'sw-media.storage.yandexcloud.net');
		refused('https://sw-media.storage.yandexcloud.net@evil.com/a.jpg', 'userinfo', 'evil.com');
		refused('https://@sw-media.storage.yandexcloud.net/a.jpg', 'userinfo');
		refused('https://127.0.0.1#@sw-media.storage.yandexcloud.net/a.jpg', 'address', '127.0.0.1');
	});

	it('no controls, whitespace or backslashes (the parser would silently drop or reinterpret them)', () => {
		for (const url of [
			'https://sw-media.storage.yandexcloud.net\u0000.evil.com/a.jpg',
			'https://127.0.0.1\u0000.sw-media.storage.yandexcloud.net/a',
			'https://sw-me\ndia.storage.yandexcloud.net/a.jpg',
			'https://sw-media.storage.yandexcloud.net/a\t.jpg',
			' https://sw-media.storage.yandexcloud.net/a.jpg',
			'https://sw-media.storage.yandexcloud.net/a b.jpg',
			'https://evil.com\\@sw-media.storage.yandexcloud.net/a.jpg',
			'https://sw-media.storage.yandexcloud.net\u007f/a',
		]) {
			refused(url, 'malformed');
		}
	});

	it('bounded length; the refused host is named without the rest', () => {
		const long = `https://sw-media.storage.yandexcloud.net/${'a'.repeat(MAX_MEDIA_URL_LENGTH)}`;
		refused(long, 'too-long', 'sw-media.storage.yandexcloud.net');
		refused(`https://${'a'.repeat(100_000)}.com/x`, 'too-long');
		const v = checkMediaUrl(`https://${'a'.repeat(100_000)}.com/x`, greenApi);
		expect(!v.ok && v.host.length).toBeLessThanOrEqual(101);
		allowed(`https://sw-media.storage.yandexcloud.net/${'a'.repeat(MAX_MEDIA_URL_LENGTH - 60)}`);
	});

	it('not a string, empty, unparseable', () => {
		for (const v of [undefined, null, 42, {}, ['https://sw-media.storage.yandexcloud.net/a'], '', 'sw-media.storage.yandexcloud.net/a.jpg', 'https://', 'https://[::1/a', 'https://a..b/x']) {
			const verdict = checkMediaUrl(v, greenApi);
			expect(verdict.ok).toBe(false);
		}
		refused('//sw-media.storage.yandexcloud.net/a.jpg', 'malformed');
	});

	it('the named host never carries invisible characters', () => {
		const v = checkMediaUrl('https://\u202eevil.com/a', greenApi);
		expect(v.ok).toBe(false);
		expect(!v.ok && v.host).not.toMatch(/[\u202e]/);
	});
});
