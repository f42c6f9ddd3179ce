/**
 * .NET's invariant-culture casing maps character by character and never changes the length: "ß" stays "ß"
 * in upper case (JS would give "SS"), "İ" lowers to "i" (JS: "i̇"). JS's full case mappings are used
 * where they map one character to one character; otherwise the .NET simple mapping is applied or the
 * character is kept.
 */

const SIMPLE_LOWER: Readonly<Record<string, string>> = { '\u0130': 'i' };

export function toLowerInvariant(s: string): string {
  let out = '';
  for (const ch of s) {
    const simple = SIMPLE_LOWER[ch];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const m = ch.toLowerCase();
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}

export function toUpperInvariant(s: string): string {
  let out = '';
  for (const ch of s) {
    const m = ch.toUpperCase();
    out += [...m].length === 1 ? m : ch;
  }
  return out;
}
