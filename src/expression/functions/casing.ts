/**
 * Character transforms: ToLower, ToUpper, PCase, NormalizeDiacritics. All propagate null.
 * Without a culture, casing is .NET's invariant culture (one character to one character: "ß" stays "ß"
 * in ToUpper). With a culture (an RFC 4646 name such as "tr-TR"), the culture's rules apply.
 */
import { EXPR_CODES } from '../codes.js';
import { defineFunction, optional, type CallContext, type FunctionDef } from '../function-def.js';
import { str } from '../runtime/coerce.js';
import { normalizeDiacritics } from '../runtime/diacritics.js';
import { toLowerInvariant, toUpperInvariant } from '../runtime/invariant-case.js';
import { properCase } from '../runtime/title-case.js';
import type { Value } from '../types.js';

function withCulture(
  source: Value,
  culture: Value,
  call: CallContext,
  invariant: (s: string) => string,
  cultural: (s: string, c: string) => string,
): Value {
  const s = str(source, call, 'source');
  if (s === null) return null;
  const c = str(culture, call, 'culture');
  if (c === null || c === '') return invariant(s);
  try {
    return cultural(s, c);
  } catch {
    return call.fail(EXPR_CODES.EVAL_BAD_CULTURE, `${call.node.name}: "${c}" is not a culture name (expected e.g. "en-US" or "tr-TR")`);
  }
}

const toLower = defineFunction(
  'ToLower',
  'lower case (invariant culture unless one is given)',
  ['source', optional('culture')],
  ([source, culture], call) => withCulture(source ?? null, culture ?? null, call, toLowerInvariant, (s, c) => s.toLocaleLowerCase(c)),
);

const toUpper = defineFunction(
  'ToUpper',
  'upper case (invariant culture unless one is given)',
  ['source', optional('culture')],
  ([source, culture], call) => withCulture(source ?? null, culture ?? null, call, toUpperInvariant, (s, c) => s.toLocaleUpperCase(c)),
);

const pCase = defineFunction(
  'PCase',
  'first letter of each word upper case, the rest lower case',
  ['source', optional('wordSeparators')],
  ([source, separators], call) => {
    const s = str(source ?? null, call, 'source');
    if (s === null) return null;
    const sep = str(separators ?? null, call, 'wordSeparators');
    return properCase(s, sep === '' ? null : sep);
  },
);

const normalize = defineFunction(
  'NormalizeDiacritics',
  "accented characters replaced per Microsoft's table",
  ['source'],
  ([source], call) => {
    const s = str(source ?? null, call, 'source');
    return s === null ? null : normalizeDiacritics(s);
  },
);

export const CASING_FUNCTIONS: readonly FunctionDef[] = [toLower, toUpper, pCase, normalize];
