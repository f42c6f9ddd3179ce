/**
 * The order of a collection's page files: by the part of the name after the collection's prefix, with numbers
 * compared by value (`users.json`, `users-2.json`, …, `users-10.json`). The bare name (empty suffix) comes first.
 * Independent of locale and of the order the file system lists names in, so every machine reads the same order.
 */

/** Negative when suffix `a` sorts before `b`, positive after, 0 only when they are the same string. */
export function compareSuffixes(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return -1;
  if (b === '') return 1;
  const x = chunks(a);
  const y = chunks(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const c = compareChunk(x[i]!, y[i]!);
    if (c !== 0) return c;
  }
  if (x.length !== y.length) return x.length - y.length;
  // Equal but for case or leading zeros: fall back on the code units, so the order is total.
  return a < b ? -1 : 1;
}

/** Runs of digits and runs of anything else. */
function chunks(s: string): string[] {
  return s.match(/\d+|\D+/g) ?? [];
}

function compareChunk(a: string, b: string): number {
  const aDigits = /^\d/.test(a);
  const bDigits = /^\d/.test(b);
  if (aDigits && bDigits) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length - y.length;
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (aDigits !== bDigits) return aDigits ? -1 : 1;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
