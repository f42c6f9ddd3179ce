/**
 * Multi-valued attributes: Split, Item, Count, RemoveDuplicates.
 * A single string counts as a one-value list and null as an empty one.
 *
 * NOTE — Item is 1-based, as Microsoft documents it (`Item([proxyAddresses], 1)` is the first item;
 * "index 0 shouldn't be used"); 0 and indexes past the end give null. Split keeps .NET String.Split
 * semantics: pieces are not trimmed and empty pieces are kept (the doc's example output
 * ["PermissionSetOne", "PermissionSetTwo"] for "PermissionSetOne, PermissionSetTwo" drops the space after
 * the comma; we keep it, as .NET would). RemoveDuplicates compares ordinally (case-sensitive) and keeps
 * first occurrences in order.
 */
import { defineFunction, type FunctionDef } from '../function-def.js';
import { requiredInt, str, values } from '../runtime/coerce.js';

const split = defineFunction('Split', 'string → multi-valued, at each delimiter', ['source', 'delimiter'], ([source, delimiter], call) => {
  const s = str(source ?? null, call, 'source');
  if (s === null) return null;
  const d = str(delimiter ?? null, call, 'delimiter');
  return d === null || d === '' ? [s] : s.split(d);
});

const item = defineFunction(
  'Item',
  'the index-th value (1-based); null when out of range',
  ['attribute', 'index'],
  ([attribute, index], call) => {
    const n = requiredInt(index ?? null, call, 'index');
    const all = values(attribute ?? null, call, 'attribute');
    return n < 1 ? null : (all[n - 1] ?? null);
  },
);

const count = defineFunction('Count', 'number of values', ['attribute'], ([attribute], call) =>
  String(values(attribute ?? null, call, 'attribute').length),
);

const removeDuplicates = defineFunction(
  'RemoveDuplicates',
  'distinct values, first occurrences in order',
  ['attribute'],
  ([attribute], call) => {
    const v = attribute ?? null;
    if (v === null || typeof v === 'string') return v;
    return [...new Set(values(v, call, 'attribute'))];
  },
);

export const MULTI_VALUE_FUNCTIONS: readonly FunctionDef[] = [split, item, count, removeDuplicates];
