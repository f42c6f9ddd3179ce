/**
 * YAML text for generated fixture values. Contract relied on by the tenant generator: every value is one
 * line (lists in flow style), so a record's line count is its number of keys, and the in-memory tenant can
 * carry the same `file:line:col` locations as the loaded files.
 *
 * Strings are plain when that is unambiguous in block and flow context alike (a letter first, then letters,
 * digits and `._@'+-()/ `, and not a YAML 1.1/1.2 keyword; or a lowercase GUID); anything else is double-quoted with JSON escapes,
 * which are valid YAML escapes. So postal codes and phone numbers stay strings and `#EXT#` is never a comment.
 */
const PLAIN = /^\p{L}[\p{L}\p{N} ._@'+\-()/]*$/u;
const KEYWORD = /^(true|false|null|yes|no|on|off|y|n)$/i;
/** GUIDs are plain too, though they may start with a digit: no YAML number or timestamp has their shape. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function yamlString(value: string): string {
  if (GUID.test(value)) return value;
  return PLAIN.test(value) && !value.endsWith(' ') && !KEYWORD.test(value) ? value : JSON.stringify(value);
}

export function yamlValue(value: string | readonly string[] | boolean): string {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return yamlString(value);
  return `[${value.map(yamlString).join(', ')}]`;
}

/** `key: value`, indented; keys are Graph attribute names, plain by construction. */
export function yamlEntry(indent: string, key: string, value: string | readonly string[] | boolean): string {
  return `${indent}${key}: ${yamlValue(value)}\n`;
}
