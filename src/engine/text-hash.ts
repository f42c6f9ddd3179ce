/**
 * The hash of the cycle's open-addressing tables (desired-index, target-claims): FNV-1a over the UTF-16 code
 * units, then murmur3's finaliser, so that the low bits (the slot) mix all of them. An unsigned 32-bit
 * integer; the same text always gives the same hash.
 */
export function hashOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
