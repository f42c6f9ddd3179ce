/**
 * ASCII folding for generated aliases (UPN local parts, mail nicknames): `Łukasz Søndergaard` →
 * `lukasz`, `sondergaard`. Letters that Unicode does not decompose (ł, ø, æ, ß, ı…) are mapped by hand;
 * combining marks are dropped; anything else outside `[a-z0-9-]` (apostrophes, spaces) is removed.
 */
const NON_DECOMPOSING: Record<string, string> = {
  ł: 'l',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ß: 'ss',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

export function asciiFold(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[łøæœßđðþıħ]/g, (c) => NON_DECOMPOSING[c] ?? '')
    .replace(/[^a-z0-9-]/g, '');
}
