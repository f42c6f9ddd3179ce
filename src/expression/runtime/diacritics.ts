/**
 * NormalizeDiacritics: Microsoft's replacement table, verbatim from the function reference. Only the listed
 * characters change (ø → oe and ß → ss, not o and s); anything else, accented or not, is left as is, since
 * the documented table is the whole contract. Sequences with combining marks (ā́ = ā + U+0301) are matched
 * in NFC, longest first, so precomposed and decomposed input behave the same.
 */

/** [characters, replacement] rows, as in the doc's table (lower case, then upper case). */
const TABLE: readonly (readonly [string, string])[] = [
  ['ä, à, â, ã, å, á, ą, ă, ā, ā́, ā̀, ā̂, ā̃, ǟ, ā̈, ǡ, a̱, å̄', 'a'],
  ['Ä, À, Â, Ã, Å, Á, Ą, Ă, Ā, Ā́, Ā̀, Ā̂, Ā̃, Ǟ, Ā̈, Ǡ, A̱, Å̄', 'A'],
  ['æ, ǣ', 'ae'],
  ['Æ, Ǣ', 'AE'],
  ['ç, č, ć, c̄, c̱', 'c'],
  ['Ç, Č, Ć, C̄, C̱', 'C'],
  ['ď, d̄, ḏ', 'd'],
  ['Ď, D̄, Ḏ', 'D'],
  ['ë, è, é, ê, ę, ě, ė, ē, ḗ, ḕ, ē̂, ē̃, ê̄, e̱, ë̄, e̊̄', 'e'],
  ['Ë, È, É, Ê, Ę, Ě, Ė, Ē, Ḗ, Ḕ, Ē̂, Ē̃, Ê̄, E̱, Ë̄, E̊̄', 'E'],
  ['ğ, ḡ, g̱', 'g'],
  ['Ğ, Ḡ, G̱', 'G'],
  ['ï, î, ì, í, ı, ī, ī́, ī̀, ī̂, ī̃, i̱', 'i'],
  ['Ï, Î, Ì, Í, İ, Ī, Ī́, Ī̀, Ī̂, Ī̃, I̱', 'I'],
  ['ľ, ł, l̄, ḹ, ḻ', 'l'],
  ['Ł, Ľ, L̄, Ḹ, Ḻ', 'L'],
  ['ñ, ń, ň, n̄, ṉ', 'n'],
  ['Ñ, Ń, Ň, N̄, Ṉ', 'N'],
  ['ö, ò, ő, õ, ô, ó, ō, ṓ, ṑ, ō̂, ō̃, ȫ, ō̈, ǭ, ȭ, ȱ, o̱', 'o'],
  ['Ö, Ò, Ő, Õ, Ô, Ó, Ō, Ṓ, Ṑ, Ō̂, Ō̃, Ȫ, Ō̈, Ǭ, Ȭ, Ȱ, O̱', 'O'],
  ['ø, ø̄, œ̄', 'oe'],
  ['Ø, Ø̄, Œ̄', 'OE'],
  ['ř, r̄, ṟ, ṝ', 'r'],
  ['Ř, R̄, Ṟ, Ṝ', 'R'],
  ['ß', 'ss'],
  ['š, ś, ș, ş, s̄, s̱', 's'],
  ['Š, Ś, Ș, Ş, S̄, S̱', 'S'],
  ['ť, ț, t̄, ṯ', 't'],
  ['Ť, Ț, T̄, Ṯ', 'T'],
  ['ü, ù, û, ú, ů, ű, ū, ū́, ū̀, ū̂, ū̃, u̇̄, ǖ, ṻ, ṳ̄, u̱', 'u'],
  ['Ü, Ù, Û, Ú, Ů, Ű, Ū, Ū́, Ū̀, Ū̂, Ū̃, U̇̄, Ǖ, Ṻ, Ṳ̄, U̱', 'U'],
  ['ÿ, ý, ȳ, ȳ́, ȳ̀, ȳ̃, y̱', 'y'],
  ['Ÿ, Ý, Ȳ, Ȳ́, Ȳ̀, Ȳ̃, Y̱', 'Y'],
  ['ź, ž, ż, z̄, ẕ', 'z'],
  ['Ź, Ž, Ż, Z̄, Ẕ', 'Z'],
];

const MAP = new Map<string, string>();
for (const [chars, replacement] of TABLE) {
  for (const c of chars.split(', ')) MAP.set(c.normalize('NFC'), replacement);
}
/** Longest key length in UTF-16 units, for longest-match scanning. */
const LONGEST = Math.max(...[...MAP.keys()].map((k) => k.length));

export function normalizeDiacritics(source: string): string {
  const s = source.normalize('NFC');
  let out = '';
  let i = 0;
  outer: while (i < s.length) {
    for (let len = Math.min(LONGEST, s.length - i); len > 0; len--) {
      const r = MAP.get(s.slice(i, i + len));
      if (r !== undefined) {
        out += r;
        i += len;
        continue outer;
      }
    }
    out += s[i];
    i++;
  }
  return out;
}
