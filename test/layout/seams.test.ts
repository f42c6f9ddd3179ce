/**
 * Two layout rules that are not about imports, checked over every `src/**\/*.ts` with the TypeScript parser:
 * - only `src/cli/main.ts` ends the process: `process.exit(…)` and assignments to `process.exitCode`;
 * - only the seams read time or randomness (`Date.now`, `new Date()`, `performance.now`, `process.hrtime`,
 *   `Math.random`, `setTimeout`, `setInterval`, `randomUUID`): `src/shared/clock.ts`, `src/shared/random.ts`
 *   and the allow-list below, each entry with its reason.
 * Code held in strings (a worker's source text) is searched as text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

interface Finding {
  /** Repository-relative path and line: `src/x.ts:12`. */
  at: string;
  file: string;
  what: string;
}

const SEAMS = new Set(['src/shared/clock.ts', 'src/shared/random.ts']);

/** Reads of time or randomness outside the seams, and why each must stay. Entries that match nothing fail too. */
const CLOCK_ALLOWED: ReadonlyArray<{ file: string; what: string; why: string }> = [
  {
    file: 'src/store/checkpointer.ts',
    what: 'setInterval',
    why: "the checkpoint timer runs inside the worker thread's source text, which cannot receive a Clock",
  },
  {
    file: 'src/cli/commands/watch.ts',
    what: 'setTimeout',
    why: 'the file-change debounce runs on real time while the injected clock may be simulated (the NOTE in watch.ts)',
  },
];

const TIME_CALLS = new Map([
  ['Date', 'now'],
  ['performance', 'now'],
  ['process', 'hrtime'],
  ['Math', 'random'],
]);
const TIME_NAMES = new Set(['setTimeout', 'setInterval', 'randomUUID']);
const TIME_TEXT = /\b(?:Date\.now|performance\.now|process\.hrtime|Math\.random|setTimeout|setInterval|randomUUID)\b|\bnew Date\(\)/g;
const EXIT_TEXT = /\bprocess\.exit\(|\bprocess\.exitCode\s*(?:[-+*/|&?]{0,3})=(?!=)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const isProperty = (node: ts.Node, object: string, name: string): boolean =>
  ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === object && node.name.text === name;

const isAssignment = (node: ts.Node): node is ts.BinaryExpression =>
  ts.isBinaryExpression(node) &&
  node.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
  node.operatorToken.kind <= ts.SyntaxKind.LastAssignment;

/** What a source text does that only the seams, or main, may do. */
function scan(file: string, text: string): { exits: Finding[]; clock: Finding[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const exits: Finding[] = [];
  const clock: Finding[] = [];
  const at = (position: number): string => `${file}:${source.getLineAndCharacterOfPosition(position).line + 1}`;
  const found = (list: Finding[], node: ts.Node, what: string, offset = 0): void =>
    void list.push({ at: at(node.getStart(source) + offset), file, what });
  const searchText = (node: ts.Node, body: string): void => {
    for (const m of body.matchAll(TIME_TEXT)) found(clock, node, m[0], 1 + m.index);
    for (const m of body.matchAll(EXIT_TEXT)) found(exits, node, m[0], 1 + m.index);
  };

  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && isProperty(node.expression, 'process', 'exit')) found(exits, node, 'process.exit(');
    if (isAssignment(node) && isProperty(node.left, 'process', 'exitCode')) found(exits, node, 'process.exitCode =');
    for (const [object, name] of TIME_CALLS) if (isProperty(node, object, name)) found(clock, node, `${object}.${name}`);
    if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Date' &&
      (node.arguments?.length ?? 0) === 0
    )
      found(clock, node, 'new Date()');
    if (ts.isIdentifier(node) && TIME_NAMES.has(node.text)) found(clock, node, node.text);
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isStringLiteral(node)) searchText(node, node.text);
    if (ts.isTemplateExpression(node)) {
      searchText(node.head, node.head.text);
      for (const span of node.templateSpans) searchText(span.literal, span.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { exits, clock };
}

let scanned: { exits: Finding[]; clock: Finding[] } | undefined;
function scanSrc(): { exits: Finding[]; clock: Finding[] } {
  if (scanned) return scanned;
  const all = sourceFiles(join(repo, 'src')).map((path) => scan(relative(repo, path).split('\\').join('/'), readFileSync(path, 'utf8')));
  return (scanned = { exits: all.flatMap((r) => r.exits), clock: all.flatMap((r) => r.clock) });
}

const list = (findings: readonly Finding[]): string => findings.map((f) => `${f.at}: ${f.what}`).join('\n');

describe('only cli/main.ts ends the process', () => {
  it('no other file calls process.exit or sets process.exitCode', () => {
    const { exits } = scanSrc();
    expect(exits.filter((f) => f.file === 'src/cli/main.ts').length, "the scan sees main.ts's own exits").toBeGreaterThan(0);
    const outside = exits.filter((f) => f.file !== 'src/cli/main.ts');
    expect(outside, `exits outside src/cli/main.ts:\n${list(outside)}`).toEqual([]);
  });

  it('the check sees calls, assignments and code in strings, and names file:line', () => {
    const { exits } = scan(
      'src/x.ts',
      [
        'const a = 1;',
        'process.exit(2);',
        'process.exitCode = 1;',
        'process.exitCode ??= 3;',
        'const w = `process.exit(1)`;',
        'if (process.exitCode === 1) a;',
      ].join('\n'),
    );
    expect(exits.map((f) => `${f.at}: ${f.what}`)).toEqual([
      'src/x.ts:2: process.exit(',
      'src/x.ts:3: process.exitCode =',
      'src/x.ts:4: process.exitCode =',
      'src/x.ts:5: process.exit(',
    ]);
  });
});

describe('only the clock and random seams read time or randomness', () => {
  it('outside src/shared/clock.ts and src/shared/random.ts, only the allow-listed reads remain', () => {
    const outside = scanSrc().clock.filter((f) => !SEAMS.has(f.file));
    const unexplained = outside.filter((f) => !CLOCK_ALLOWED.some((a) => a.file === f.file && a.what === f.what));
    expect(unexplained, `time or randomness read outside the seams:\n${list(unexplained)}`).toEqual([]);
    const stale = CLOCK_ALLOWED.filter((a) => !outside.some((f) => a.file === f.file && a.what === f.what));
    expect(stale, 'allow-list entries that match nothing any more: remove them').toEqual([]);
  });

  it('the check sees each kind of read, in code and in code text', () => {
    const text = [
      'const a = Date.now();',
      'const b = new Date();',
      "const c = new Date('2026-01-01');",
      'const d = performance.now() + Math.random();',
      'setTimeout(() => a, 1);',
      "import { randomUUID } from 'node:crypto';",
      'const w = `setInterval(tick, 5)`;',
      'const t = process.hrtime.bigint();',
    ].join('\n');
    expect(scan('src/y.ts', text).clock.map((f) => `${f.at}: ${f.what}`)).toEqual([
      'src/y.ts:1: Date.now',
      'src/y.ts:2: new Date()',
      'src/y.ts:4: performance.now',
      'src/y.ts:4: Math.random',
      'src/y.ts:5: setTimeout',
      'src/y.ts:6: randomUUID',
      'src/y.ts:7: setInterval',
      'src/y.ts:8: process.hrtime',
    ]);
  });
});
