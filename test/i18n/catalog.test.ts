// The translation files i18n/*.json against each other, against the code that uses them, and t() itself.
//
// Keys used in code are found with the TypeScript compiler (already a dev dependency), not with regexes:
// calls of the `t` exported by src/i18n/translate.ts (whatever it is imported as) and string values of the
// i18nLabel / i18nDescription / ... properties that Rocket.Chat translates itself (settings, their select
// values, the slash command). A key argument may be a literal, a ternary of literals, a const holding one,
// or a lookup in a const object map (`markerKeys[x]`); a template literal (t(`media_${c.media}`)) defines a
// family of keys (`media_*`). Anything else cannot be checked, and fails the "resolvable" test below.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { catalogs } from '../../src/i18n/catalog';
import { LANGUAGES, setLanguage, t } from '../../src/i18n/translate';

const ROOT = path.resolve(__dirname, '../..');
const I18N_DIR = path.join(ROOT, 'i18n');
const TRANSLATE_FILE = path.join(ROOT, 'src', 'i18n', 'translate.ts');
const LANGS = ['en', 'ru', 'pt-BR', 'de', 'es'];
const TRANSLATIONS = LANGS.filter((l) => l !== 'en');
const I18N_PROPS = new Set(['i18nLabel', 'i18nDescription', 'i18nParamsExample', 'i18nAlert', 'i18nPlaceholder', 'labelI18n']);
/** Keys no code of ours references, used by Rocket.Chat itself. (`labelI18n`: action buttons, translated by Rocket.Chat.) */
const USED_OUTSIDE_CODE = new Set([
	'app_description', // Rocket.Chat shows it as the app's description in the marketplace / app details.
]);

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

// ---------------------------------------------------------------------------------------------------------
// The language files

interface LangFile { file: string; text: string; json: Record<string, unknown> | undefined; error?: string }

function readLang(lang: string): LangFile {
	const file = `i18n/${lang}.json`;
	let text = '';
	try {
		text = fs.readFileSync(path.join(I18N_DIR, `${lang}.json`), 'utf8');
		const json = JSON.parse(text);
		if (!json || typeof json !== 'object' || Array.isArray(json)) return { file, text, json: undefined, error: 'is not a JSON object' };
		return { file, text, json };
	} catch (e) {
		return { file, text, json: undefined, error: (e as Error).message };
	}
}

const files: Record<string, LangFile> = Object.fromEntries(LANGS.map((l) => [l, readLang(l)]));
const en = (files.en.json || {}) as Record<string, string>;
const enKeys = Object.keys(en);

/** `{name}` placeholders, as src/i18n/translate.ts fills them. */
const placeholders = (s: string) => [...new Set(s.match(/\{\w+\}/g) || [])].sort();
/** Markdown code spans: slash-command syntax in help lines, kept verbatim. */
const codeSpans = (s: string) => (s.match(/`[^`]*`/g) || []).sort();
const boldCount = (s: string) => (s.match(/\*[^*\s][^*]*\*/g) || []).length;
const emoji = (s: string) => (s.match(/\p{Extended_Pictographic}/gu) || []).sort();
/** `/whatsapp` and the subcommand words after it (the words of command_params), kept verbatim. */
function commands(s: string): string[] {
	const words = ((en.command_params || '').match(/[a-z][a-z-]*/g) || []).map((w) => w.replace(/[-]/g, '\\-'));
	const word = `(?:${words.join('|') || '(?!)'})`;
	return (s.match(new RegExp(`/whatsapp(?: ${word}(?:\\|${word})*)*`, 'g')) || []).sort();
}

describe('i18n files', () => {
	it.each(LANGS)('i18n/%s.json is a JSON object of non-empty strings without duplicate keys', (lang) => {
		const f = files[lang];
		const problems: string[] = [];
		if (f.error) problems.push(`${f.file}: ${f.error}`);
		for (const [key, value] of Object.entries(f.json || {})) {
			if (typeof value !== 'string') problems.push(`${f.file}: "${key}" is not a string`);
			else if (!value.trim()) problems.push(`${f.file}: "${key}" is empty`);
		}
		const seen = new Set<string>();
		for (const m of f.text.matchAll(/^\s*"((?:[^"\\]|\\.)*)"\s*:/gm)) {
			if (seen.has(m[1])) problems.push(`${f.file}: "${m[1]}" appears more than once (JSON.parse keeps only the last)`);
			seen.add(m[1]);
		}
		expect(problems).toEqual([]);
	});

	it.each(TRANSLATIONS)('i18n/%s.json has exactly the keys of i18n/en.json', (lang) => {
		const f = files[lang];
		const keys = Object.keys(f.json || {});
		const problems = [
			...enKeys.filter((k) => !keys.includes(k)).map((k) => `${f.file}: missing key "${k}"`),
			...keys.filter((k) => !(k in en)).map((k) => `${f.file}: extra key "${k}" (not in i18n/en.json)`),
		];
		expect(problems).toEqual([]);
	});

	it.each(TRANSLATIONS)('i18n/%s.json keeps the placeholders of every English text', (lang) => {
		const f = files[lang];
		const problems: string[] = [];
		for (const key of enKeys) {
			const value = f.json?.[key];
			if (typeof value !== 'string') continue; // reported above
			const want = placeholders(en[key]);
			const got = placeholders(value);
			if (want.join() !== got.join()) problems.push(`${f.file}: "${key}" has placeholders [${got.join(', ')}], English has [${want.join(', ')}]`);
		}
		expect(problems).toEqual([]);
	});

	it.each(TRANSLATIONS)('i18n/%s.json keeps code spans, /whatsapp commands, *bold* and emoji as in English', (lang) => {
		const f = files[lang];
		const problems: string[] = [];
		for (const key of enKeys) {
			const value = f.json?.[key];
			if (typeof value !== 'string') continue;
			const checks: Array<[string, (s: string) => unknown]> = [['code spans', codeSpans], ['/whatsapp commands', commands], ['*bold* spans', boldCount], ['emoji', emoji]];
			for (const [what, get] of checks) {
				const want = JSON.stringify(get(en[key]));
				const got = JSON.stringify(get(value));
				if (want !== got) problems.push(`${f.file}: "${key}" ${what} ${got}, English has ${want}`);
			}
		}
		expect(problems).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------------------
// Keys used in code

interface Family { pattern: RegExp; label: string; where: string }
interface Usage {
	keys: Map<string, string[]>; // key -> where it is used
	families: Family[];
	unresolved: string[]; // call sites whose key cannot be determined
}

function codeFiles(): string[] {
	const out = [path.join(ROOT, 'GreenApiBridgeApp.ts')];
	const walk = (dir: string) => {
		for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
			const full = path.join(dir, e.name);
			if (e.isDirectory()) walk(full);
			else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(full);
		}
	};
	walk(path.join(ROOT, 'src'));
	return out;
}

function scanCode(): Usage {
	const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), ts.sys.readFile).config, ts.sys, ROOT);
	const fileNames = codeFiles();
	const program = ts.createProgram(fileNames, { ...parsed.options, noEmit: true });
	const checker = program.getTypeChecker();
	const usage: Usage = { keys: new Map(), families: [], unresolved: [] };
	const where = (node: ts.Node) => {
		const sf = node.getSourceFile();
		return `${rel(sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
	};
	const addKey = (key: string, at: string) => usage.keys.set(key, [...(usage.keys.get(key) || []), at]);

	const declarationOf = (node: ts.Node): ts.Declaration | undefined => {
		let symbol = checker.getSymbolAtLocation(node);
		if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
		return symbol?.valueDeclaration || symbol?.declarations?.[0];
	};
	const isTranslateCall = (call: ts.CallExpression) => {
		const callee = ts.isPropertyAccessExpression(call.expression) ? call.expression.name : call.expression;
		if (!ts.isIdentifier(callee) || callee.text === '') return false;
		const decl = declarationOf(callee);
		return !!decl && path.resolve(decl.getSourceFile().fileName) === TRANSLATE_FILE && ts.isFunctionDeclaration(decl) && decl.name?.text === 't';
	};
	const literalTypes = (expr: ts.Expression): string[] | undefined => {
		const type = checker.getTypeAtLocation(expr);
		const parts = type.isUnion() ? type.types : [type];
		return parts.every((p) => p.isStringLiteral()) ? parts.map((p) => (p as ts.StringLiteralType).value) : undefined;
	};
	const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

	/** Which keys (or key families) an expression can evaluate to; false if that cannot be told. */
	function collect(expr: ts.Expression, at: string, depth = 0): boolean {
		if (depth > 5) return false;
		if (ts.isStringLiteral(expr) || ts.isNoSubstitutionTemplateLiteral(expr)) return addKey(expr.text, at), true;
		if (ts.isParenthesizedExpression(expr) || ts.isAsExpression(expr) || ts.isNonNullExpression(expr) || ts.isSatisfiesExpression(expr)) return collect(expr.expression, at, depth);
		if (ts.isConditionalExpression(expr)) return [collect(expr.whenTrue, at, depth), collect(expr.whenFalse, at, depth)].every(Boolean);
		if (ts.isBinaryExpression(expr) && [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(expr.operatorToken.kind)) {
			return [collect(expr.left, at, depth), collect(expr.right, at, depth)].every(Boolean);
		}
		if (ts.isTemplateExpression(expr)) {
			const literal = [expr.head.text, ...expr.templateSpans.map((s) => s.literal.text)];
			if (!literal.join('')) return false; // `${x}` could be any key
			const pattern = new RegExp(`^${literal.map(escape).join('.+')}$`);
			usage.families.push({ pattern, label: literal.join('*'), where: at });
			return true;
		}
		if (ts.isIdentifier(expr)) {
			const decl = declarationOf(expr);
			if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const) return collect(decl.initializer, at, depth + 1);
		}
		if (ts.isElementAccessExpression(expr) || ts.isPropertyAccessExpression(expr)) {
			// a lookup in a const map: every value of the map is a possible key
			const decl = declarationOf(expr.expression);
			let init = decl && ts.isVariableDeclaration(decl) && ts.getCombinedNodeFlags(decl) & ts.NodeFlags.Const ? decl.initializer : undefined;
			while (init && (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isParenthesizedExpression(init))) init = init.expression;
			if (init && ts.isObjectLiteralExpression(init)) {
				const props = init.properties;
				if (ts.isPropertyAccessExpression(expr)) {
					const p = props.find((x) => ts.isPropertyAssignment(x) && x.name.getText().replace(/^['"]|['"]$/g, '') === expr.name.text);
					return !!p && ts.isPropertyAssignment(p) && collect(p.initializer, at, depth + 1);
				}
				return props.length > 0 && props.map((p) => ts.isPropertyAssignment(p) && collect(p.initializer, at, depth + 1)).every(Boolean);
			}
		}
		const literals = literalTypes(expr); // e.g. a parameter typed as a union of key literals
		if (literals) return literals.forEach((k) => addKey(k, at)), true;
		return false;
	}

	for (const file of fileNames) {
		const sf = program.getSourceFile(file);
		if (!sf) throw new Error(`TypeScript could not read ${rel(file)}`);
		const visit = (node: ts.Node): void => {
			if (ts.isCallExpression(node) && isTranslateCall(node)) {
				const arg = node.arguments[0];
				if (!arg || !collect(arg, where(node))) usage.unresolved.push(`${where(node)}: ${node.getText().slice(0, 80)}`);
			}
			let value: ts.Expression | undefined;
			let name: string | undefined;
			if ((ts.isPropertyAssignment(node) || ts.isPropertyDeclaration(node)) && node.name && !ts.isComputedPropertyName(node.name) && !ts.isPrivateIdentifier(node.name)) {
				name = node.name.text;
				value = node.initializer;
			} else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(node.left)) {
				name = node.left.name.text;
				value = node.right;
			}
			if (name && I18N_PROPS.has(name) && value && !collect(value, where(node))) usage.unresolved.push(`${where(node)}: ${node.getText().slice(0, 80)}`);
			ts.forEachChild(node, visit);
		};
		visit(sf);
	}
	return usage;
}

describe('i18n keys used in code (GreenApiBridgeApp.ts, src/**/*.ts)', () => {
	let usage: Usage;
	beforeAll(() => {
		usage = scanCode();
	});

	it('finds the app\'s translations at all (sanity check of the scanner)', () => {
		expect(usage.keys.size).toBeGreaterThan(50);
		expect(usage.keys.has('setting_group_chats_ignore')).toBe(true); // i18nLabel inside a setting's `values`
		expect(usage.keys.has('command_description')).toBe(true); // class property of the slash command
		expect(usage.families.map((f) => f.label)).toEqual(expect.arrayContaining(['media_*']));
	});

	it('can tell the key of every t() call and i18n* property', () => {
		// Pass t() a literal, a template literal with a fixed prefix, a const holding one, or a lookup in a const map.
		expect(usage.unresolved).toEqual([]);
	});

	it('uses only keys that exist in i18n/en.json', () => {
		const problems = [...usage.keys.entries()]
			.filter(([key]) => !(key in en))
			.map(([key, at]) => `"${key}" is used in ${at.join(', ')} but missing from i18n/en.json`);
		const families = usage.families
			.filter((f) => !enKeys.some((k) => f.pattern.test(k)))
			.map((f) => `key family "${f.label}" is used in ${f.where} but i18n/en.json has no key matching it`);
		expect([...problems, ...families]).toEqual([]);
	});

	it('uses every key of i18n/en.json', () => {
		const unused = enKeys.filter((key) => !usage.keys.has(key) && !usage.families.some((f) => f.pattern.test(key)) && !USED_OUTSIDE_CODE.has(key));
		expect(unused.map((key) => `i18n/en.json: "${key}" is not used in code (no t()/i18n* reference, no matching t(\`prefix_\${...}\`) family)`)).toEqual([]);
	});
});

// ---------------------------------------------------------------------------------------------------------
// The catalogs the app translates with, and t()

describe('src/i18n/catalog.ts', () => {
	it.each(LANGS)('exports the %s catalog, equal to its JSON file', (lang) => {
		expect(Object.keys(catalogs)).toContain(lang);
		expect(catalogs[lang]).toEqual(files[lang].json);
	});

	it('has a JSON file for every catalog and a language_<code> label for each', () => {
		const problems: string[] = [];
		for (const lang of Object.keys(catalogs)) {
			if (!fs.existsSync(path.join(I18N_DIR, `${lang}.json`))) problems.push(`catalog "${lang}" has no i18n/${lang}.json`);
			const label = `language_${lang.replace(/-/g, '_')}`;
			if (!(label in en)) problems.push(`catalog "${lang}" has no "${label}" in i18n/en.json (the notice language setting needs it)`);
		}
		expect(problems).toEqual([]);
		expect(LANGUAGES).toEqual(Object.keys(catalogs));
	});
});

describe('t()', () => {
	afterEach(() => setLanguage('en'));

	it('fills placeholders, leaves unknown ones and ignores extra params', () => {
		expect(t('instance_unknown', { id: '1101' }, 'en')).toBe('No connected instance 1101.');
		expect(t('inbound_contacts', { count: 3 }, 'en')).toBe('Shared contacts (3)');
		expect(t('sync_ok', { id: 7, url: 'https://x', extra: 'y' }, 'en')).toBe('• 7: webhook set to https://x');
		expect(t('instance_unknown', {}, 'en')).toBe('No connected instance {id}.');
	});

	it.each(TRANSLATIONS)('translates into %s with the current language and fills its placeholders', (lang) => {
		setLanguage(lang);
		expect(t('info_phone')).toBe(catalogs[lang].info_phone);
		expect(t('instance_unknown', { id: '1101' })).toBe(catalogs[lang].instance_unknown.replace('{id}', '1101'));
		expect(t('instance_unknown', { id: '1101' })).not.toContain('{id}');
	});

	it('falls back to English for a key missing in a language, and for an unknown language', () => {
		jest.isolateModules(() => {
			jest.doMock('../../src/i18n/catalog', () => ({
				catalogs: { en: { greet: 'Hello {name}', only_en: 'Only {what} in English' }, ru: { greet: 'Привет, {name}' } },
			}));
			const tr = require('../../src/i18n/translate') as typeof import('../../src/i18n/translate');
			tr.setLanguage('ru');
			expect(tr.t('greet', { name: 'Ann' })).toBe('Привет, Ann');
			expect(tr.t('only_en', { what: 'this' })).toBe('Only this in English');
			tr.setLanguage('xx');
			expect(tr.t('greet', { name: 'Ann' })).toBe('Hello Ann');
			expect(tr.LANGUAGES).toEqual(['en', 'ru']);
		});
		jest.dontMock('../../src/i18n/catalog');
		setLanguage('xx');
		expect(t('info_phone')).toBe('Phone');
	});

	it('returns an unknown key itself', () => {
		expect(t('no_such_key_anywhere')).toBe('no_such_key_anywhere');
		expect(t('no_such_key_anywhere', {}, 'de')).toBe('no_such_key_anywhere');
	});
});
