/**
 * Finding a user in the provisioning log the way a person remembers them: by a part of the display name,
 * the UPN (or the part before its '@'), the mail nickname, the source id or the target id, without caring
 * about case or accents. Pure.
 *
 * Each log row stores `searchTextOf(entry)`: those identifiers, each folded by `foldText`, one per line. A
 * query matches a row when `foldText(query)` is a substring of that text (`instr` in SQL, no JS per row);
 * a query that folds to nothing matches every row.
 * A UPN's local part needs no field of its own: it is a substring of the UPN. The fields are joined by a
 * newline, which no folded query contains, so a match never spans two identifiers.
 */
import type { LogEntry } from '../model/records.js';

/** Letters NFKD leaves whole (they are letters of their own, not a base letter plus a mark), lower case. */
const WHOLE_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const WHOLE_LETTER = /[ßøæœđðłþıħ]/g;
const MARKS = /\p{Mn}+/gu;
const ASCII = /^[\x00-\x7f]*$/;
const SPACES = /\s+/g;
const PRINTABLE_ASCII_WORD = /^[\x21-\x7e]*$/;

/**
 * Accent- and case-folded text: NFKD, combining marks removed, lower case, and the letters NFKD does not
 * decompose replaced by their usual Latin spelling (ß → ss, ø → o, æ → ae, đ → d, ł → l, …); runs of white
 * space become one space, and the ends are trimmed. So "José Müller" → "jose muller", "Søren Øst" →
 * "soren ost", "Łukasz" → "lukasz". Idempotent.
 * Lower case comes after NFKD because NFKD can produce capitals (Ⅻ → XII) and before the letter table
 * because the table holds lower-case letters only (ẞ → ß → ss).
 */
export function foldText(text: string): string {
  // Most identifiers (ids, UPNs, nicknames) are printable ASCII without spaces: lower case is all they need.
  if (PRINTABLE_ASCII_WORD.test(text)) return text.toLowerCase();
  const folded = ASCII.test(text)
    ? text.toLowerCase()
    : text
        .normalize('NFKD')
        .replace(MARKS, '')
        .toLowerCase()
        .replace(WHOLE_LETTER, (c) => WHOLE_LETTERS[c]!);
  return folded.replace(SPACES, ' ').trim();
}

/**
 * The identifiers a person may search an entry by, in the order the stored text holds them: source id,
 * target id, display name, UPN, mail nickname.
 */
export function searchFieldsOf(e: LogEntry): Array<string | null | undefined> {
  return [
    e.sourceIdentity.id,
    e.targetIdentity.id,
    e.sourceIdentity.displayName,
    e.sourceIdentity.details?.userPrincipalName,
    e.sourceIdentity.details?.mailNickname,
  ];
}

/** The stored, searchable text of an entry: its search fields, folded, one per line. */
export function searchTextOf(e: LogEntry): string {
  return searchText(searchFieldsOf(e));
}

/** The searchable text of fields in `searchFieldsOf`'s order (absent ones are empty lines). */
export function searchText(fields: ReadonlyArray<string | null | undefined>): string {
  return fields.map((f) => (f ? foldText(f) : '')).join('\n');
}

/** An object the log has entries for, as its latest entry matching a near query names it. */
export interface LogIdentity {
  sourceId: string;
  type: LogEntry['sourceIdentity']['type'];
  displayName: string;
  userPrincipalName?: string;
  mailNickname?: string;
}

/** A suggestion for a query that matched nothing: the identity and the one of its names that came closest. */
export interface NearIdentity {
  identity: LogIdentity;
  /** The display name, UPN or mail nickname that came closest, as logged (not folded). */
  name: string;
  /** Edits (insert, delete, replace one character) between the folded query and the closest part of that name. */
  distance: number;
}

/** The lines of a search text a person knows an object by: display name, UPN, mail nickname. */
export const NAME_LINES = { displayName: 2, userPrincipalName: 3, mailNickname: 4 } as const;
export type NameField = keyof typeof NAME_LINES;
const FIELD_OF_LINE: ReadonlyArray<NameField | undefined> = [undefined, undefined, 'displayName', 'userPrincipalName', 'mailNickname'];

/**
 * An approximate query: the folded text, the most edits a suggestion may be away (about one in three
 * characters, at least one), and `pieces`, which narrow the candidates without losing one: the query cut
 * into `within + 1` parts, at least one of which a text within `within` edits contains unchanged (each
 * edit touches at most one part). Null when the query folds to nothing.
 */
export interface NearQuery {
  folded: string;
  within: number;
  pieces: string[];
}

export function nearQuery(query: string): NearQuery | null {
  const folded = foldText(query);
  if (folded === '') return null;
  const within = Math.max(1, Math.floor(folded.length / 3));
  const parts = within + 1;
  const pieces = new Set<string>();
  for (let k = 0; k < parts; k++)
    pieces.add(folded.slice(Math.floor((k * folded.length) / parts), Math.floor(((k + 1) * folded.length) / parts)));
  return { folded, within, pieces: [...pieces] };
}

/** A candidate's closest name to a near query. */
export interface NearMatch<T> {
  item: T;
  field: NameField;
  /** That name, folded. */
  folded: string;
  distance: number;
}

/**
 * The candidates whose display name, UPN or mail nickname (read from their search text) comes within
 * `query.within` edits of the query, by the fewest edits that turn the folded query into some substring of
 * the folded name (so a query that is part of a name costs only its typos); at most `limit`, closest
 * first, then by folded name.
 */
export function rankNear<T>(query: NearQuery, candidates: Iterable<{ item: T; search: string }>, limit: number): Array<NearMatch<T>> {
  const q = query.folded;
  const distanceTo = substringMatcher(q);
  const out: Array<NearMatch<T>> = [];
  for (const { item, search } of candidates) {
    let best: NearMatch<T> | null = null;
    // Walk the lines in place (no split: this runs once per candidate, up to one per object in the log).
    let start = 0;
    for (let line = 0; start <= search.length && line <= NAME_LINES.mailNickname; line++) {
      let end = search.indexOf('\n', start);
      if (end < 0) end = search.length;
      if (line >= NAME_LINES.displayName && end > start) {
        const name = search.slice(start, end);
        const distance = distanceTo(name);
        if (distance <= query.within && (best === null || distance < best.distance))
          best = { item, field: FIELD_OF_LINE[line]!, folded: name, distance };
      }
      start = end + 1;
    }
    if (best) out.push(best);
  }
  out.sort((a, b) => a.distance - b.distance || (a.folded < b.folded ? -1 : a.folded > b.folded ? 1 : 0));
  return out.slice(0, limit);
}

/**
 * The least edit distance between `pattern` and any substring of `text` (Sellers' algorithm: Levenshtein
 * with a free start and end in `text`), by its table: O(|pattern| × |text|). The reference for
 * `substringMatcher`.
 */
export function substringDistance(pattern: string, text: string): number {
  const m = pattern.length;
  // prev[i]: the least cost of matching pattern[0, i) so that it ends just before text[j].
  let prev = new Uint32Array(m + 1);
  let cur = new Uint32Array(m + 1);
  for (let i = 0; i <= m; i++) prev[i] = i;
  let best = m;
  for (let j = 0; j < text.length; j++) {
    const t = text.charCodeAt(j);
    cur[0] = 0;
    for (let i = 1; i <= m; i++) {
      const replace = prev[i - 1]! + (pattern.charCodeAt(i - 1) === t ? 0 : 1);
      const del = prev[i]! + 1;
      const ins = cur[i - 1]! + 1;
      cur[i] = replace < del ? (replace < ins ? replace : ins) : del < ins ? del : ins;
    }
    if (cur[m]! < best) best = cur[m]!;
    [prev, cur] = [cur, prev];
  }
  return best;
}

/**
 * `substringDistance` for one pattern against many texts. A pattern of up to 31 UTF-16 units (any query a
 * person types for a name) runs Myers' bit-parallel algorithm (J. ACM 46(3), 1999), one column of the
 * table per text character in a few integer operations; a longer one falls back to the table.
 */
export function substringMatcher(pattern: string): (text: string) => number {
  const m = pattern.length;
  if (m === 0) return () => 0;
  if (m > 31) return (text) => substringDistance(pattern, text);
  // peq: for each character, the pattern positions that hold it, as bits.
  const peq = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    const c = pattern.charCodeAt(i);
    peq.set(c, (peq.get(c) ?? 0) | (1 << i));
  }
  const all = m === 31 ? 0x7fffffff : (1 << m) - 1;
  const last = 1 << (m - 1);
  return (text) => {
    // pv, mv: where the last column of the table goes up or down by one, row to row.
    let pv = all;
    let mv = 0;
    let score = m;
    let best = m;
    for (let j = 0; j < text.length; j++) {
      const eq = peq.get(text.charCodeAt(j)) ?? 0;
      const xv = eq | mv;
      const xh = ((((eq & pv) + pv) & all) ^ pv) | eq;
      let ph = mv | (~(xh | pv) & all);
      let mh = pv & xh;
      if (ph & last) score++;
      else if (mh & last) score--;
      // No carry into the first row: a match may start anywhere in the text.
      ph = (ph << 1) & all;
      mh = (mh << 1) & all;
      pv = mh | (~(xv | ph) & all);
      mv = ph & xv;
      if (score < best) best = score;
    }
    return best;
  };
}
