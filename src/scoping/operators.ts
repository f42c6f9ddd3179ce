/**
 * Scoping operators as pure predicates over a source value (spec §4.2).
 *
 * Entra's null rule: every clause except IS NULL / IS NOT NULL is false when the attribute is empty.
 * NOTE: regex anchoring and the `&`/`!&` operators are UNCONFIRMED in Microsoft's docs. Our choices:
 * REGEX MATCH is an unanchored .NET `Regex.IsMatch` (patterns translated to JS, see expression/runtime/dotnet-regex.ts) (a pattern that must match the whole value says so
 * with ^…$), and `&` is "bitwise AND is non-zero" over integers (the flag-attribute reading); `!&` is its
 * negation. Both are documented in the README's known-gaps list.
 */
import type { ScopingOperator } from '../model/job.js';
import type { SourceValue } from '../model/directory.js';
import { compileDotNetRegex, isMatch, RegexStepLimitExceeded } from '../expression/index.js';

export type ScopingPredicate = (value: string, operand: string | undefined) => boolean;

const INTEGER = /^[+-]?\d+$/;

function asIntegers(a: string, b: string | undefined): [bigint, bigint] | null {
  if (b === undefined || !INTEGER.test(a.trim()) || !INTEGER.test(b.trim())) return null;
  return [BigInt(a.trim()), BigInt(b.trim())];
}

/**
 * A clause that cannot be decided for this object: its REGEX MATCH pattern ran out of backtracking steps on the
 * value (Entra: .NET's match timeout, which fails the object). The object is neither in nor out of scope.
 */
export class ScopingClauseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScopingClauseError';
  }
}

/**
 * REGEX MATCH runs .NET patterns (Entra's engine), translated by the expression module's regex layer, in
 * bounded time; null when the pattern does not compile (job compilation refuses it before a cycle).
 */
function regexMatches(operator: string, pattern: string, value: string): boolean | null {
  const re = compileDotNetRegex(pattern);
  if ('error' in re) return null;
  try {
    return isMatch(re, value);
  } catch (e) {
    if (!(e instanceof RegexStepLimitExceeded)) throw e;
    throw new ScopingClauseError(
      `${operator} ${JSON.stringify(pattern)} needed more than ${e.limit.toLocaleString('en-US')} backtracking steps on a value of ${value.length.toLocaleString('en-US')} characters and was stopped (Entra's .NET engine times out on it and fails the object); rewrite the pattern without a repetition inside a repetition such as (a+)+`,
    );
  }
}

/** Predicates for the binary and boolean operators; the NULL tests are handled by `evaluateClause`. */
export const SCOPING_PREDICATES: Record<Exclude<ScopingOperator, 'IS NULL' | 'IS NOT NULL'>, ScopingPredicate> = {
  EQUALS: (v, o) => v === o,
  'NOT EQUALS': (v, o) => v !== o,
  'IS TRUE': (v) => v.toLowerCase() === 'true',
  'IS FALSE': (v) => v.toLowerCase() === 'false',
  'REGEX MATCH': (v, o) => regexMatches('REGEX MATCH', o ?? '', v) === true,
  'NOT REGEX MATCH': (v, o) => regexMatches('NOT REGEX MATCH', o ?? '', v) === false,
  Greater_Than: (v, o) => {
    const n = asIntegers(v, o);
    return n !== null && n[0] > n[1];
  },
  Greater_Than_OR_EQUALS: (v, o) => {
    const n = asIntegers(v, o);
    return n !== null && n[0] >= n[1];
  },
  Includes: (v, o) => o !== undefined && v.includes(o),
  ENDS_WITH: (v, o) => o !== undefined && v.endsWith(o),
  '&': (v, o) => {
    const n = asIntegers(v, o);
    return n !== null && (n[0] & n[1]) !== 0n;
  },
  '!&': (v, o) => {
    const n = asIntegers(v, o);
    return n !== null && (n[0] & n[1]) === 0n;
  },
};

/**
 * True when the clause holds for `value`. Multi-valued attributes are refused at load time; here the first value
 * stands. Throws ScopingClauseError when the clause cannot be decided (a REGEX MATCH out of backtracking steps).
 */
export function evaluateClause(operator: ScopingOperator, value: SourceValue | undefined, operand: string | undefined): boolean {
  const scalar = Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
  const empty = scalar === null || scalar === '';
  if (operator === 'IS NULL') return empty;
  if (operator === 'IS NOT NULL') return !empty;
  if (empty) return false;
  return SCOPING_PREDICATES[operator](scalar, operand);
}

/** Why a REGEX MATCH operand cannot run, or null when it compiles; job compilation reports it before a cycle. */
export function scopingRegexError(pattern: string): string | null {
  const re = compileDotNetRegex(pattern);
  return 'error' in re ? re.error : null;
}
