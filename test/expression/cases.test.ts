/**
 * Data-driven expression tests, in the style of jsonata's suite: every `cases/*.json` file holds an array
 * of cases. A case either fails to parse (`diagnostics`: the codes, in order), fails to evaluate (`error`:
 * the code; `errorAt`: the text the error span covers), or evaluates to `expected` (deep equality) or to a
 * string matching `matches`. `redacted` / `ignoreFlow` default to false and are always checked.
 * Defaults: now = 2026-01-01T00:00:00Z, seed = 42, no roles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluate, parseExpression, printExpression, type Value } from '../../src/expression/index.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';
import type { AppRole, SourceValue } from '../../src/model/directory.js';

interface ExpressionCase {
  description?: string;
  source?: string;
  note?: string;
  expr: string;
  attributes?: Record<string, SourceValue>;
  roles?: AppRole[];
  now?: string;
  seed?: number;
  knownAttributes?: string[];
  expected?: Value;
  matches?: string;
  redacted?: boolean;
  ignoreFlow?: boolean;
  error?: string;
  errorAt?: string;
  diagnostics?: string[];
}

const dir = fileURLToPath(new URL('./cases/', import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

function title(c: ExpressionCase, i: number): string {
  const what = c.description ?? c.source ?? '';
  return `#${i} ${c.expr.replace(/\s+/g, ' ').slice(0, 100)}${what ? ` — ${what}` : ''}`;
}

for (const file of files) {
  const cases = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ExpressionCase[];
  describe(file, () => {
    cases.forEach((c, i) => {
      it(title(c, i), () => {
        const parsed = parseExpression(c.expr, c.knownAttributes ? { knownAttributes: c.knownAttributes } : {});
        if (c.diagnostics) {
          expect(parsed.expression).toBeNull();
          expect(parsed.diagnostics.map((d) => d.code)).toEqual(c.diagnostics);
          return;
        }
        expect(parsed.diagnostics).toEqual([]);
        const expression = parsed.expression!;
        // The canonical text parses back to the same canonical text.
        const printed = printExpression(expression);
        const reparsed = parseExpression(printed);
        expect(reparsed.diagnostics).toEqual([]);
        expect(printExpression(reparsed.expression!)).toBe(printed);

        const result = evaluate(expression, {
          attributes: c.attributes ?? {},
          appRoleAssignments: c.roles ?? [],
          clock: new ManualClock(c.now ?? '2026-01-01T00:00:00Z'),
          random: seededRandom(c.seed ?? 42),
        });
        if (c.error) {
          expect(result).toMatchObject({ ok: false, error: { code: c.error } });
          if (!result.ok && c.errorAt !== undefined)
            expect(c.expr.slice(result.error.offset, result.error.offset + result.error.length)).toBe(c.errorAt);
          return;
        }
        if (!result.ok) expect.fail(`evaluation failed: ${result.error.code}: ${result.error.message}`);
        if (c.matches !== undefined) {
          expect(typeof result.value).toBe('string');
          expect(result.value as string).toMatch(new RegExp(c.matches, 'u'));
        } else {
          expect(result.value).toEqual(c.expected === undefined ? null : c.expected);
        }
        expect(result.redacted).toBe(c.redacted ?? false);
        expect(result.ignoreFlow).toBe(c.ignoreFlow ?? false);
      });
    });
  });
}

describe('case files', () => {
  it('hold at least 250 cases, each with an outcome', () => {
    let total = 0;
    for (const file of files) {
      const cases = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ExpressionCase[];
      for (const c of cases) {
        const outcomes = ['expected' in c, c.matches !== undefined, c.error !== undefined, c.diagnostics !== undefined].filter(
          Boolean,
        ).length;
        expect(outcomes, c.expr).toBe(1);
      }
      total += cases.length;
    }
    expect(total).toBeGreaterThanOrEqual(250);
  });
});
