/**
 * What `JSON.parse` does not tell: where each object starts in the text, and whether any object repeated a
 * key (`JSON.parse` keeps the last value silently; the YAML parser, like the fixture format, rejects it).
 * One pass over text that `JSON.parse` has already accepted, jumping over strings with `indexOf`, so it costs
 * a few milliseconds per megabyte and allocates one number per object.
 */

export interface JsonStructure {
  /** Offset of every `{` outside strings, in text order (the objects in document order). */
  objectStarts: number[];
  /** The number of key/value pairs in the text (`:` outside strings), duplicates included. */
  pairs: number;
}

/** `text` must be valid JSON (already accepted by `JSON.parse`); the result is meaningless otherwise. */
export function scanJsonStructure(text: string): JsonStructure {
  const objectStarts: number[] = [];
  let pairs = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = stringEnd(text, i);
      continue;
    }
    if (c === 0x7b) objectStarts.push(i);
    else if (c === 0x3a) pairs++;
    i++;
  }
  return { objectStarts, pairs };
}

/** The offset just after the string whose opening quote is at `open` (the text's length if it never closes). */
export function stringEnd(text: string, open: number): number {
  let from = open + 1;
  for (;;) {
    const quote = text.indexOf('"', from);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** The keys of every object in a parsed value (fewer than the text's pairs: an object repeated a key). */
export function countKeys(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let keys = 0;
  if (Array.isArray(value)) for (const item of value) keys += countKeys(item);
  else
    for (const key in value) {
      keys++;
      keys += countKeys((value as Record<string, unknown>)[key]);
    }
  return keys;
}
