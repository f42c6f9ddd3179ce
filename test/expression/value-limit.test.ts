/** Expression values are capped at MAX_VALUE_LENGTH characters: amplifying calls fail the evaluation instead of exhausting the heap. */
import { describe, expect, it } from 'vitest';
import { evaluate, MAX_VALUE_LENGTH, parseExpression, type EvalResult } from '../../src/expression/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';

function run(expr: string, attributes: Record<string, string | string[]>): EvalResult {
  const parsed = parseExpression(expr);
  if (!parsed.expression) throw new Error(JSON.stringify(parsed.diagnostics));
  return evaluate(parsed.expression, { attributes, appRoleAssignments: [], clock: new ManualClock(), random: seededRandom(1) });
}

/** `levels` nested Replace calls, each turning every "a" into ten. */
const nested = (levels: number): string => {
  let expr = '[s]';
  for (let i = 0; i < levels; i++) expr = `Replace(${expr}, "a", , , "aaaaaaaaaa", , )`;
  return expr;
};

describe('the value length cap', () => {
  it('is 1,048,576 characters', () => expect(MAX_VALUE_LENGTH).toBe(1_048_576));

  it('ten nested Replace calls fail at the level that passes the cap, naming Replace and the cap', () => {
    const result = run(nested(10), { s: 'a'.repeat(100) });
    expect(result).toMatchObject({ ok: false, error: { code: 'EXPR_EVAL_TOO_LONG' } });
    if (result.ok) return;
    expect(result.error.message).toBe(
      "Replace: the result would be 10,000,000 characters, more than the 1,048,576 provsim allows for a value; a nested Replace or Join multiplies a value's length at each level",
    );
  });

  it('a value up to the cap passes', () => {
    const result = run(nested(4), { s: 'a'.repeat(100) });
    expect(result).toMatchObject({ ok: true });
    if (result.ok) expect((result.value as string).length).toBe(1_000_000);
  });

  it('a regex replacement that copies the whole value for each match ($_) stops at the cap', () => {
    const result = run('Replace([s], , "a", , "$_$_", , )', { s: 'a'.repeat(2000) });
    expect(result).toMatchObject({ ok: false, error: { code: 'EXPR_EVAL_TOO_LONG' } });
  });

  it('template and regex-group modes are capped too', () => {
    expect(run('Replace([s], "x", , , , , [t])', { s: 'a'.repeat(1000), t: 'x'.repeat(2000) })).toMatchObject({
      ok: false,
      error: { code: 'EXPR_EVAL_TOO_LONG' },
    });
    expect(run('Replace([s], , "(?<g>a)", "g", [r], , )', { s: 'a'.repeat(2000), r: 'b'.repeat(1000) })).toMatchObject({
      ok: false,
      error: { code: 'EXPR_EVAL_TOO_LONG' },
    });
  });

  it('Join of many long values fails before it builds them', () => {
    const long = 'x'.repeat(300_000);
    expect(run('Join(",", [a], [a], [a], [a])', { a: long })).toMatchObject({ ok: false, error: { code: 'EXPR_EVAL_TOO_LONG' } });
    expect(run('Join(",", [a], [a], [a])', { a: long })).toMatchObject({ ok: true });
  });
});
