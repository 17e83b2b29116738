// Finds every write to the contact record in src/ with the type checker: assignments to a field of a
// ContactRecord (or of one of its sections, or of a MessageLink), mutating array calls on them, object
// literals that spread a contact and override fields, and `delete`.
import * as path from 'path';
import * as ts from 'typescript';

export interface ContactWrite { file: string; line: number; field: string }

const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin']);
const ASSIGNMENTS = new Set([
	ts.SyntaxKind.EqualsToken, ts.SyntaxKind.BarBarEqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.AmpersandAmpersandEqualsToken,
	ts.SyntaxKind.PlusEqualsToken, ts.SyntaxKind.MinusEqualsToken,
]);

export function contactWrites(root: string, files: string[], config = path.join(root, 'tsconfig.json')): ContactWrite[] {
	const parsed = ts.getParsedCommandLineOfConfigFile(config, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
	const program = ts.createProgram(files, { ...(parsed?.options || {}), noEmit: true });
	const checker = program.getTypeChecker();
	const out: ContactWrite[] = [];

	/** The record a type is part of: the contact, one of its sections (named by the contact's field), a link. */
	const ownerField = (type: ts.Type, prop: string): string | undefined => {
		const t = checker.getNonNullableType(type);
		const names = (t.isUnion() ? t.types : [t]).map((x) => (x.aliasSymbol || x.getSymbol())?.getName());
		if (names.includes('ContactRecord')) return prop;
		if (names.includes('MessageLink')) return 'links';
		const section = names.find((n) => n && SECTION_TYPES[n]);
		return section ? SECTION_TYPES[section] : undefined;
	};
	/** `a.b.c` where some receiver on the chain is a contact: the contact field it is under. */
	const fieldOf = (expr: ts.Expression): string | undefined => {
		let e: ts.Expression = expr;
		while (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
		if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
			const prop = ts.isPropertyAccessExpression(e) ? e.name.text : e.argumentExpression.getText();
			return ownerField(checker.getTypeAtLocation(e.expression), prop) ?? fieldOf(e.expression);
		}
		return undefined;
	};

	for (const sf of program.getSourceFiles()) {
		if (!files.includes(path.resolve(sf.fileName))) continue;
		const add = (node: ts.Node, field: string) => out.push({ file: path.relative(root, sf.fileName), line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, field });
		const visit = (n: ts.Node) => {
			if (ts.isBinaryExpression(n) && ASSIGNMENTS.has(n.operatorToken.kind)) {
				const f = fieldOf(n.left);
				if (f) add(n, f);
			} else if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && MUTATORS.has(n.expression.name.text)) {
				const f = fieldOf(n.expression.expression);
				if (f) add(n, f);
			} else if (ts.isDeleteExpression(n)) {
				const f = fieldOf(n.expression);
				if (f) add(n, f);
			} else if ((ts.isPostfixUnaryExpression(n) || ts.isPrefixUnaryExpression(n)) && (n.operator === ts.SyntaxKind.PlusPlusToken || n.operator === ts.SyntaxKind.MinusMinusToken)) {
				const f = fieldOf(n.operand);
				if (f) add(n, f);
			} else if (ts.isObjectLiteralExpression(n) && n.properties.some((p) => ts.isSpreadAssignment(p) && ownerField(checker.getTypeAtLocation(p.expression), '') === '')) {
				// `{ ...contact, roomId }`: a copy of the contact with fields replaced
				for (const p of n.properties) if (!ts.isSpreadAssignment(p) && p.name) add(p, p.name.getText());
			}
			ts.forEachChild(n, visit);
		};
		visit(sf);
	}
	return out;
}

/** Section types (named in src/core/ports/records.ts) → the contact field that holds them. */
export const SECTION_TYPES: Record<string, string> = { DedupeSection: 'dedupe', QueueSection: 'queues' };

/** The fields ContactRecord declares. */
export function contactFields(root: string, recordsFile: string): string[] {
	const program = ts.createProgram([recordsFile], { noEmit: true });
	const sf = program.getSourceFile(recordsFile)!;
	const decl = sf.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === 'ContactRecord');
	void root;
	return (decl?.members || []).flatMap((m) => (m.name ? [m.name.getText(sf)] : []));
}
