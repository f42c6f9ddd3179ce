/**
 * Generated values, from the injected Random (deterministic in tests): Guid and RandomString.
 *
 * RandomString draws from the character classes of Windows' password-complexity rules (the doc links
 * them): digits, upper- and lower-case ASCII letters, and the specials ~!@#$%^&*_-+=`|\(){}[]:;"'<>,.?/.
 * It places the required minimum of each class, fills the rest from all classes, shuffles (Fisher–Yates),
 * and leaves out CharactersToAvoid. Length is at most 256 and at least the sum of the minimums.
 */
import { EXPR_CODES } from '../codes.js';
import { defineFunction, optional, type CallContext, type FunctionDef } from '../function-def.js';
import { requiredInt, str } from '../runtime/coerce.js';
import type { Value } from '../types.js';

const guid = defineFunction('Guid', 'a new random GUID', [], (_args, call) => call.ctx.random.uuid());

const DIGITS = '0123456789';
const SPECIALS = '~!@#$%^&*_-+=`|\\(){}[]:;"\'<>,.?/';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const MAX_LENGTH = 256;

function count(v: Value, call: CallContext, param: string): number {
  const n = requiredInt(v, call, param);
  if (n < 0) return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, `RandomString: ${param} must not be negative, got ${n}`);
  return n;
}

const randomString = defineFunction(
  'RandomString',
  'a random string with minimum numbers of digits, specials, capitals and lower-case letters',
  ['Length', 'MinimumNumbers', 'MinimumSpecialCharacters', 'MinimumCapital', 'MinimumLowerCase', optional('CharactersToAvoid')],
  ([length, numbers, specials, capitals, lowers, avoid], call) => {
    const total = count(length ?? null, call, 'Length');
    const minimums = [
      count(numbers ?? null, call, 'MinimumNumbers'),
      count(specials ?? null, call, 'MinimumSpecialCharacters'),
      count(capitals ?? null, call, 'MinimumCapital'),
      count(lowers ?? null, call, 'MinimumLowerCase'),
    ];
    if (total > MAX_LENGTH) return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, `RandomString: Length is at most ${MAX_LENGTH}, got ${total}`);
    const required = minimums.reduce((a, b) => a + b, 0);
    if (required > total)
      return call.fail(EXPR_CODES.EVAL_OUT_OF_RANGE, `RandomString: Length ${total} is less than the sum of the minimums (${required})`);
    const excluded = new Set(str(avoid ?? null, call, 'CharactersToAvoid') ?? '');
    const pools = [DIGITS, SPECIALS, UPPER, LOWER].map((p) => [...p].filter((c) => !excluded.has(c)));
    const all = pools.flat();
    const names = ['numbers', 'special characters', 'capitals', 'lower-case letters'];
    const random = call.ctx.random;
    const pick = (pool: readonly string[]): string => pool[Math.min(pool.length - 1, Math.floor(random.next() * pool.length))]!;
    const chars: string[] = [];
    minimums.forEach((min, i) => {
      const pool = pools[i]!;
      if (min > 0 && pool.length === 0)
        call.fail(EXPR_CODES.EVAL_BAD_ARGUMENT, `RandomString: CharactersToAvoid excludes every one of the ${names[i]}`);
      for (let k = 0; k < min; k++) chars.push(pick(pool));
    });
    if (chars.length < total && all.length === 0)
      return call.fail(EXPR_CODES.EVAL_BAD_ARGUMENT, 'RandomString: CharactersToAvoid excludes every character');
    while (chars.length < total) chars.push(pick(all));
    for (let i = chars.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(random.next() * (i + 1)));
      [chars[i], chars[j]] = [chars[j]!, chars[i]!];
    }
    return chars.join('');
  },
);

export const GENERATOR_FUNCTIONS: readonly FunctionDef[] = [guid, randomString];
