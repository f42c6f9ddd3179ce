import { randomBytes, randomUUID } from 'node:crypto';

/** Randomness is injected, like time: Entra's `Guid()`/`RandomString()`, the probe GUID and retry jitter use it. */
export interface Random {
  /** A version-4 GUID, lowercase. */
  uuid(): string;
  /** A float in [0, 1). */
  next(): number;
}

export const systemRandom: Random = {
  uuid: () => randomUUID(),
  next: () => randomBytes(4).readUInt32BE(0) / 0x1_0000_0000,
};

/** Deterministic randomness (mulberry32) for tests, demos and generated fixtures. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
  const hex = (n: number): string => {
    let s = '';
    for (let i = 0; i < n; i++) s += Math.floor(next() * 16).toString(16);
    return s;
  };
  return {
    next,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`,
  };
}
