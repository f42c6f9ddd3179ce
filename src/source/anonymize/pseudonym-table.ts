/**
 * One kind of pseudonym (ids, mail local parts, departments…): each original value gets one pseudonym, the
 * first candidate not yet given to another value and not itself an original value of that kind. So the table
 * is injective (originals distinct under `originalKey` get pseudonyms distinct under `key`, equal ones the same
 * pseudonym) and never hands out a real value. Which candidate wins depends on the order values are asked for,
 * so callers ask in a fixed order.
 */
export class PseudonymTable {
  private readonly given = new Map<string, string>();
  private readonly taken = new Set<string>();

  /**
   * @param key how pseudonyms compare with each other and with the reserved originals (e.g. lower case: no two
   *   pseudonyms, and no pseudonym and original, equal ignoring case).
   * @param reserved original values no pseudonym may equal.
   * @param originalKey which originals are the same value and share a pseudonym; by default `key` (addresses,
   *   compared ignoring case as Entra does). The exact value (`(s) => s`) keeps `Sales` and `SALES` apart.
   */
  constructor(
    private readonly key: (value: string) => string,
    reserved: Iterable<string>,
    private readonly originalKey: (value: string) => string = key,
  ) {
    for (const r of reserved) this.taken.add(key(r));
  }

  /**
   * The pseudonym of `original`. `candidate(attempt)` must give pairwise distinct keys for distinct attempts
   * from some attempt on (e.g. by appending the attempt number), so the search ends.
   */
  get(original: string, candidate: (attempt: number) => string): string {
    const k = this.originalKey(original);
    const known = this.given.get(k);
    if (known !== undefined) return known;
    for (let attempt = 0; ; attempt++) {
      const c = candidate(attempt);
      const ck = this.key(c);
      if (this.taken.has(ck)) continue;
      this.taken.add(ck);
      this.given.set(k, c);
      return c;
    }
  }
}

/** Attempts at an unnumbered candidate (`aino.arnesen`) before candidates carry a number (`aino.arnesen17`). */
const UNNUMBERED_ATTEMPTS = 4;
const NUMBERS_PER_ATTEMPT = 100;

/**
 * The number a candidate carries at `attempt`: none for the first attempts, then one drawn from `random`
 * (in [0, 100)) within a range of its own per attempt (2–101, 102–201, …), so a value's candidates are pairwise
 * distinct (its search ends) and rarely taken (it ends soon, however many values share the words).
 */
export function candidateNumber(attempt: number, random: number): string {
  if (attempt < UNNUMBERED_ATTEMPTS) return '';
  return String(2 + (attempt - UNNUMBERED_ATTEMPTS) * NUMBERS_PER_ATTEMPT + (random % NUMBERS_PER_ATTEMPT));
}
