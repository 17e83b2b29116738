// The shape of src/: the core owns its ports and imports nothing of the layers around it; providers
// know nothing of Rocket.Chat; no import cycles between files or folders.
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');

function filesUnder(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

interface Import { from: string; spec: string; target?: string; line: number }

/** Every import/export-from of a file; `target` is the resolved src file for relative specifiers. */
export function importsOf(file: string): Import[] {
	const out: Import[] = [];
	const text = fs.readFileSync(file, 'utf8');
	const re = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
	for (let m = re.exec(text); m; m = re.exec(text)) {
		const spec = m[1] || m[2];
		const line = text.slice(0, m.index).split('\n').length;
		let target: string | undefined;
		if (spec.startsWith('.')) {
			const base = path.resolve(path.dirname(file), spec);
			target = [`${base}.ts`, path.join(base, 'index.ts'), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
			if (!target) throw new Error(`${rel(file)}:${line}: cannot resolve ${spec}`);
		}
		out.push({ from: file, spec, target, line });
	}
	return out;
}

const rel = (f: string) => path.relative(ROOT, f);
const files = filesUnder(SRC);
const imports = files.flatMap(importsOf);
const layerOf = (f: string) => path.relative(SRC, f).split(path.sep)[0];

/** Which src folders (or packages) a layer must not import. */
const FORBIDDEN: Record<string, { folders: string[]; packages: RegExp }> = {
	core: { folders: ['providers', 'jobs', 'commands', 'endpoints', 'rocketchat', 'store', 'compose.ts'], packages: /^@rocket\.chat\// },
	providers: { folders: ['rocketchat', 'store', 'jobs', 'commands', 'endpoints', 'compose.ts'], packages: /^@rocket\.chat\// },
	rocketchat: { folders: ['providers', 'jobs', 'commands', 'endpoints', 'store', 'compose.ts'], packages: /^$/ },
	store: { folders: ['providers', 'rocketchat', 'jobs', 'commands', 'endpoints', 'compose.ts'], packages: /^$/ },
	// Entry layers parse, call the core and render: they reach providers through the registry the
	// composition hands them, persistence through the core (assembled by compose.ts), and do not call each
	// other (the template picker's blocks excepted).
	commands: { folders: ['providers', 'store', 'endpoints', 'jobs'], packages: /^$/ },
	endpoints: { folders: ['providers', 'store', 'commands', 'jobs', 'uikit'], packages: /^$/ },
	jobs: { folders: ['providers', 'store', 'commands', 'endpoints', 'uikit'], packages: /^$/ },
	uikit: { folders: ['providers', 'store', 'commands', 'endpoints', 'jobs'], packages: /^$/ },
};

function violations(list: Import[] = imports): string[] {
	const found: string[] = [];
	for (const i of list) {
		// The ports are the core's vocabulary: they import nothing but each other.
		if (rel(i.from).startsWith('src/core/ports/') && i.target && !rel(i.target).startsWith('src/core/ports/')) found.push(`${rel(i.from)}:${i.line} imports ${rel(i.target)}`);
		const rule = FORBIDDEN[layerOf(i.from)];
		if (!rule) continue;
		if (i.target && rule.folders.includes(layerOf(i.target))) found.push(`${rel(i.from)}:${i.line} imports ${rel(i.target)}`);
		if (!i.target && rule.packages.test(i.spec)) found.push(`${rel(i.from)}:${i.line} imports ${i.spec}`);
	}
	return found;
}

/** Strongly connected components with more than one node (or a self-loop): the cycles. */
function cycles(edges: Map<string, Set<string>>): string[][] {
	let index = 0;
	const idx = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const on = new Set<string>();
	const out: string[][] = [];
	const visit = (v: string) => {
		idx.set(v, index);
		low.set(v, index++);
		stack.push(v);
		on.add(v);
		for (const w of edges.get(v) || []) {
			if (!idx.has(w)) {
				visit(w);
				low.set(v, Math.min(low.get(v)!, low.get(w)!));
			} else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
		}
		if (low.get(v) === idx.get(v)) {
			const comp: string[] = [];
			let w: string;
			do {
				w = stack.pop()!;
				on.delete(w);
				comp.push(w);
			} while (w !== v);
			if (comp.length > 1 || edges.get(v)?.has(v)) out.push(comp.sort());
		}
	};
	for (const v of edges.keys()) if (!idx.has(v)) visit(v);
	return out;
}

function graph(key: (f: string) => string): Map<string, Set<string>> {
	const g = new Map<string, Set<string>>();
	for (const f of files) g.set(key(f), g.get(key(f)) || new Set());
	for (const i of imports) {
		if (!i.target || !i.target.endsWith('.ts')) continue;
		const a = key(i.from);
		const b = key(i.target);
		if (a !== b) g.get(a)!.add(b);
	}
	return g;
}

describe('architecture of src/', () => {
	it('finds the imports (sanity check of the scanner)', () => {
		expect(files.length).toBeGreaterThan(40);
		expect(imports.some((i) => rel(i.from) === 'src/core/InboundService.ts' && i.target && rel(i.target) === 'src/core/ChatQueue.ts')).toBe(true);
		// A forbidden import is reported with file, line and target.
		const probe = path.join(SRC, 'core', '__probe__.ts');
		fs.writeFileSync(probe, "import { Store } from '../store/Store';\n");
		try {
			expect(violations(importsOf(probe))).toEqual(['src/core/__probe__.ts:1 imports src/store/Store.ts']);
		} finally {
			fs.unlinkSync(probe);
		}
	});

	it('keeps commands and jobs off the store and off each other (sanity check of the rule)', () => {
		const probe = path.join(SRC, 'jobs', '__probe__.ts');
		fs.writeFileSync(probe, "import { AdminCommands } from '../commands/AdminCommands';\nimport { Store } from '../store/Store';\n");
		try {
			expect(violations(importsOf(probe))).toEqual(['src/jobs/__probe__.ts:1 imports src/commands/AdminCommands.ts', 'src/jobs/__probe__.ts:2 imports src/store/Store.ts']);
		} finally {
			fs.unlinkSync(probe);
		}
	});

	it('keeps the core free of providers, jobs, commands, endpoints, Rocket.Chat and persistence; entry layers apart', () => {
		expect(violations()).toEqual([]);
	});

	it('has no import cycle between files', () => {
		expect(cycles(graph((f) => rel(f)))).toEqual([]);
	});

	it('has no import cycle between folders', () => {
		const folder = (f: string) => path.relative(ROOT, path.dirname(f));
		expect(cycles(graph(folder))).toEqual([]);
	});

	it('detects a cycle when there is one (sanity check)', () => {
		const g = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set<string>()]]);
		expect(cycles(g)).toEqual([['a', 'b', 'c']]);
	});
});
