// No module-level mutable state in src/: an app process may be restarted, and several run side by side in a
// cluster, so what a module keeps outlives nothing it can count on. State lives in the store, in the
// objects the composition root builds (the provider registry), or in a call's own objects. The only
// exception is a cache that is safe to lose, said so in a comment directly above that starts with
// `// Cache:` (what it keeps and why losing it is harmless).
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');
const MARKER = /^\/\/ Cache: \S/;

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

/** Built-ins whose instances hold state that methods change. */
const CONTAINERS = new Set(['Map', 'Set', 'WeakMap', 'WeakSet', 'Array']);
/** Built-ins whose instances never change. */
const IMMUTABLE = new Set(['RegExp', 'Date', 'Error', 'URL', 'TextEncoder', 'TextDecoder']);
const MUTATORS = ['set', 'add', 'delete', 'clear', 'push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin'];

export interface ModuleState {
	file: string;
	line: number;
	name: string;
	why: string;
}

/** Is `name` changed anywhere in the file (a mutating method, an element or property assigned, Object.assign)? */
function mutated(text: string, name: string): boolean {
	const n = name.replace(/[$]/g, '\\$');
	const method = new RegExp(`\\b${n}\\s*\\.\\s*(?:${MUTATORS.join('|')})\\s*\\(`);
	const assigned = new RegExp(`\\b${n}\\s*(?:\\[[^\\]]*\\]|\\.\\w+)\\s*(?:[-+*/|&]?=(?!=)|\\+\\+|--)`);
	const assign = new RegExp(`Object\\.assign\\(\\s*${n}\\b`);
	return method.test(text) || assigned.test(text) || assign.test(text);
}

/** Why a top-level declaration is mutable state, or undefined. */
function mutability(decl: ts.VariableDeclaration, flags: ts.NodeFlags, text: string): string | undefined {
	const name = decl.name.getText();
	if (!(flags & (ts.NodeFlags.Const | ts.NodeFlags.Using))) return flags & ts.NodeFlags.Let ? 'top-level let' : 'top-level var';
	let init = decl.initializer;
	while (init && (ts.isAsExpression(init) || ts.isParenthesizedExpression(init) || ts.isSatisfiesExpression(init))) init = init.expression;
	if (!init) return undefined;
	if (ts.isNewExpression(init)) {
		const ctor = init.expression.getText();
		if (IMMUTABLE.has(ctor)) return undefined;
		if (CONTAINERS.has(ctor)) return mutated(text, name) ? `new ${ctor} changed in the module` : undefined;
		// An object of a class: its methods may change it whatever the module does.
		return `new ${ctor}`;
	}
	if (ts.isArrayLiteralExpression(init) || ts.isObjectLiteralExpression(init)) return mutated(text, name) ? 'a literal changed in the module' : undefined;
	return undefined;
}

/** Every module-level mutable state of `file` without the `// Cache:` marker directly above. */
export function moduleStateOf(file: string): ModuleState[] {
	const text = fs.readFileSync(file, 'utf8');
	const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
	const out: ModuleState[] = [];
	for (const stmt of source.statements) {
		if (!ts.isVariableStatement(stmt)) continue;
		const comments = (ts.getLeadingCommentRanges(text, stmt.getFullStart()) || []).map((c) => text.slice(c.pos, c.end));
		// The comment block directly above the declaration; its first line carries the marker.
		const block = comments.filter((c) => c.startsWith('//'));
		const marked = block.some((c) => MARKER.test(c));
		for (const decl of stmt.declarationList.declarations) {
			const why = mutability(decl, stmt.declarationList.flags, text);
			if (why && !marked) out.push({ file: path.relative(ROOT, file), line: source.getLineAndCharacterOfPosition(decl.getStart()).line + 1, name: decl.name.getText(), why });
		}
	}
	return out;
}

describe('module-level state', () => {
	it('src/ keeps none, except caches that are safe to lose (marked `// Cache:`)', () => {
		const found = filesUnder(SRC).flatMap(moduleStateOf).map((s) => `${s.file}:${s.line} ${s.name} (${s.why})`);
		expect(found).toEqual([]);
	});

	describe('the check itself', () => {
		const check = (code: string) => {
			const file = path.join(fs.mkdtempSync(path.join(require('os').tmpdir(), 'module-state-')), 'x.ts');
			fs.writeFileSync(file, code);
			return moduleStateOf(file).map((s) => `${s.name}: ${s.why}`);
		};

		it('finds let, var, class instances and containers or literals the module changes', () => {
			expect(check('let a = 0;\nvar b = 1;\nexport let c = 2;')).toEqual(['a: top-level let', 'b: top-level var', 'c: top-level let']);
			expect(check('const limiter = new RateLimiter(45);')).toEqual(['limiter: new RateLimiter']);
			expect(check('const m = new Map<string, number>();\nexport function f() { m.set("a", 1); }')).toEqual(['m: new Map changed in the module']);
			expect(check('const s = new Set();\nfunction f() { s.add(1); }')).toEqual(['s: new Set changed in the module']);
			expect(check('const list: string[] = [];\nfunction f() { list.push("x"); }')).toEqual(['list: a literal changed in the module']);
			expect(check('const o: Record<string, number> = {};\nfunction f(k: string) { o[k] = 1; }')).toEqual(['o: a literal changed in the module']);
			expect(check('const o = { n: 0 };\nfunction f() { o.n++; }')).toEqual(['o: a literal changed in the module']);
		});

		it('leaves constants alone: tables never changed, immutable values, functions', () => {
			expect(check('const T = new Map([["a", 1]]);\nexport const get = (k: string) => T.get(k);')).toEqual([]);
			expect(check('const L = ["a", "b"];\nconst O = { a: 1 };\nconst R = new RegExp("x");\nconst f = () => 1;\nconst N = 3;')).toEqual([]);
		});

		it('accepts a documented cache, and only with the marker directly above', () => {
			expect(check('// Cache: rebuilt on demand; losing it costs one read.\nconst cache = new Map();\nfunction f() { cache.set(1, 2); }')).toEqual([]);
			expect(check('// Rebuilt on demand.\n// Cache: losing it costs one read.\nlet hits = 0;')).toEqual([]);
			expect(check('// A cache.\nconst cache = new Map();\nfunction f() { cache.set(1, 2); }')).toEqual(['cache: new Map changed in the module']);
			expect(check('/* Cache: not a line comment */\nlet n = 0;')).toEqual(['n: top-level let']);
		});
	});
});
