/** `mappings check` warns, at the pattern's file:line:col, about regexes .NET can backtrack on catastrophically. */
import { describe, expect, it } from 'vitest';
import { parseExpression, regexWarnings } from '../../src/expression/index.js';
import { parseJob } from '../../src/mapping-file/parse-job.js';

const lines = (...l: string[]): string => l.join('\n') + '\n';
const USER_MATCH = '    - {target: userName, source: userPrincipalName, match: 1}';

/** `m.yaml:line:col` of `needle` on 1-based `line` of `text`. */
function at(text: string, line: number, needle: string): string {
  const col = (text.split('\n')[line - 1] ?? '').indexOf(needle);
  if (col === -1) throw new Error(`${needle} not on line ${line}`);
  return `m.yaml:${line}:${col + 1}`;
}

describe('EXPR_REGEX_CATASTROPHIC', () => {
  it('a Replace pattern and a scoping pattern with a repetition inside a repetition: warnings at each pattern, the job still loads', () => {
    const text = lines(
      'users:',
      '  scoping:',
      "    - - {attribute: department, operator: NOT REGEX MATCH, value: '^(\\w+\\s?)*$'}",
      '  attributes:',
      USER_MATCH,
      `    - {target: title, expression: 'Replace([jobTitle], , "^(a+)+$", , "A", , )'}`,
      `    - {target: displayName, expression: 'Replace([displayName], , "^a+$", , "A", , )'}`,
    );
    const { job, diagnostics } = parseJob({ file: 'm.yaml', text });
    expect(job).not.toBeNull();
    const warnings = diagnostics.filter((d) => d.code === 'EXPR_REGEX_CATASTROPHIC');
    expect(warnings.map((d) => d.severity)).toEqual(['warning', 'warning']);
    expect(warnings.map((d) => `${d.file}:${d.position?.line}:${d.position?.column}`)).toEqual([
      at(text, 3, "'^("),
      at(text, 6, '"^(a+)+$"'),
    ]);
    expect(warnings[0]!.message).toBe(
      'users.scoping[0][0].value: the pattern "^(\\\\w+\\\\s?)*$" repeats a repetition: .NET\'s backtracking engine, which Entra runs, can take exponential time on a value that almost matches it, and Entra\'s match timeout then fails the object',
    );
    expect(warnings[1]!.message).toMatch(/^Replace: the pattern "\^\(a\+\)\+\$" repeats a repetition/);
    expect(warnings[1]!.hint).toMatch(/no repetition holds another/);
  });

  it('no warning for patterns without nested repetition, nor for a fixed count of a repetition', () => {
    const { diagnostics } = parseJob({
      file: 'm.yaml',
      text: lines(
        'users:',
        '  scoping:',
        "    - - {attribute: department, operator: REGEX MATCH, value: '^\\w+ \\w+$'}",
        '  attributes:',
        USER_MATCH,
        `    - {target: title, expression: 'Replace([jobTitle], , "(\\\\d+){3}", , "#", , )'}`,
      ),
    });
    expect(diagnostics.filter((d) => d.code === 'EXPR_REGEX_CATASTROPHIC')).toEqual([]);
  });
});

describe('regexWarnings on an expression', () => {
  it('points at the pattern literal of each Replace, nested ones too', () => {
    const text = 'Join(" ", Replace([a], , "(x*)*y", , "", , ), Replace([b], , "(?:ab|c+)+", , "", , ))';
    const { expression } = parseExpression(text);
    const warnings = regexWarnings(expression!);
    expect(warnings.map((w) => text.slice(w.offset, w.offset + w.length))).toEqual(['"(x*)*y"', '"(?:ab|c+)+"']);
    expect(warnings.every((w) => w.code === 'EXPR_REGEX_CATASTROPHIC')).toBe(true);
  });
});
