/**
 * A Graph attributeMappingSource → expression text, for sources that carry no `expression` string (Graph
 * normally sends both; a hand-written or trimmed schema may not). Pure.
 *
 *   Attribute  {name: "mail"}                      → [mail]
 *   Constant   {name: "1"}                         → "1"
 *   Function   {name: "Mid", parameters: [{key, value}…]} → Mid(<value>, <value>, …)
 *
 * A nested value's own `expression` is used when present. Parameter order: a key that names a fixed
 * parameter of provsim's definition of the function (case-insensitive, plus Graph's documented spellings)
 * puts its value at that position, gaps become empty arguments (`Replace([x], "-", , , "_")`); a function
 * with a repeating tail (Switch, Join, Coalesce) gets its other values after the fixed ones, in the order
 * listed. Otherwise — an unknown function, or keys that name no parameter — the values are written in the
 * order listed and `orderAssumed` is set, so the caller can ask the user to check.
 */
import { FUNCTIONS } from '../expression/index.js';

export interface RebuiltExpression {
  text: string;
  /** true when parameters were written in list order because their keys did not identify positions. */
  orderAssumed: boolean;
}

type Json = Record<string, unknown>;

export function isJsonObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string, or a number/boolean written as one (Graph sends constants as strings; hand edits may not). */
export function jsonText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** An expression string literal, escaped as the expression scanner reads it (`\"` and `\\`). */
export function quoteExpressionString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The expression for a source, or an error message saying what is missing. */
export function rebuildExpression(source: Json): RebuiltExpression | { error: string } {
  const state = { orderAssumed: false };
  const text = render(source, state, 'source');
  return typeof text === 'string' ? { text, orderAssumed: state.orderAssumed } : text;
}

function render(source: Json, state: { orderAssumed: boolean }, where: string): string | { error: string } {
  const type = jsonText(source['type']) ?? 'Attribute';
  const name = jsonText(source['name']);
  switch (type) {
    case 'Attribute':
      return name === null || name === '' ? { error: `${where} is an Attribute without a name` } : `[${name}]`;
    case 'Constant':
      return name === null ? { error: `${where} is a Constant without a name (its value)` } : quoteExpressionString(name);
    case 'Function': {
      if (name === null || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) return { error: `${where} is a Function without a valid name` };
      const params = Array.isArray(source['parameters']) ? source['parameters'] : [];
      const args: Array<{ key: string; text: string }> = [];
      for (const [i, p] of params.entries()) {
        const pWhere = `${where}.parameters[${i}]`;
        if (!isJsonObject(p) || !isJsonObject(p['value'])) return { error: `${pWhere} has no value` };
        const value = p['value'];
        const own = typeof value['expression'] === 'string' && value['expression'].trim() !== '' ? value['expression'] : null;
        const text = own ?? render(value, state, `${pWhere}.value`);
        if (typeof text !== 'string') return text;
        args.push({ key: jsonText(p['key']) ?? '', text });
      }
      return `${name}(${place(name, args, state).join(', ')})`;
    }
    default:
      return { error: `${where} has type ${JSON.stringify(type)}; expected Attribute, Constant or Function` };
  }
}

/**
 * Parameter keys Graph uses that differ from provsim's parameter names, from the Graph documentation's own
 * examples (objectMapping: `Replace([preferredLanguage], "-", , , "_", , )` with keys source, Find, Replacement).
 */
const KEY_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Replace: { find: 'oldValue', replacement: 'replacementValue' },
};

function place(name: string, args: ReadonlyArray<{ key: string; text: string }>, state: { orderAssumed: boolean }): string[] {
  const def = FUNCTIONS.get(name);
  if (def) {
    const names = def.params.map((p) => p.name.toLowerCase());
    const aliases = KEY_ALIASES[name] ?? {};
    const used = new Set<number>();
    const indexes = args.map((a) => {
      const key = (aliases[a.key.toLowerCase()] ?? a.key).toLowerCase();
      const i = names.indexOf(key);
      if (i < 0 || used.has(i)) return -1;
      used.add(i);
      return i;
    });
    const rest = args.filter((_, k) => indexes[k] === -1);
    if (def.rest || rest.length === 0) {
      // Fixed parameters at their positions (gaps empty); a repeating tail (Switch's key/value pairs, Join's
      // sources) after all of them, in the order listed, which is the tail's own order.
      const fixed = rest.length > 0 ? def.params.length : Math.max(0, ...indexes.map((i) => i + 1));
      const out = new Array<string>(fixed).fill('');
      indexes.forEach((index, k) => {
        if (index >= 0) out[index] = args[k]!.text;
      });
      return [...out, ...rest.map((a) => a.text)];
    }
  }
  // Keys that do not identify positions: the order listed, which is certainly right only for one argument.
  if (args.length > 1) state.orderAssumed = true;
  return args.map((a) => a.text);
}
