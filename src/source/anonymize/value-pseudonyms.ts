/**
 * Pseudonyms for attribute values that are not addresses: word-based ones for the text people read (departments,
 * titles, places, group names), shape-keeping ones for codes (phone numbers, employee ids, postal codes,
 * extension attributes: letters stay letters, digits stay digits, separators stay), shifted dates for ISO 8601
 * dates (`dates.ts`), and opaque ones for free text. One table per kind of value, keyed on the exact value, so
 * each kind stays injective: equal values share a pseudonym, distinct ones (`Sales` and `SALES`, `+47 915 00 101`
 * and `+4791500101`) get distinct ones, and word pseudonyms differ even ignoring case.
 */
import type { KeyedHash } from './keyed-hash.js';
import { PseudonymTable, candidateNumber } from './pseudonym-table.js';
import { PSEUDO_WORDS } from './words.js';
import { shiftedDate } from './dates.js';

/** Attempts at a scrambled candidate before it takes its attempt number (which always ends the search). */
const TRIES = 8;
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();

/** Word-based templates: `%` is the pseudonym word. */
export const WORD_TEMPLATES: Readonly<Record<string, string>> = {
  department: '% Department',
  jobTitle: '% Specialist',
  companyName: '% Ltd.',
  city: '%ford',
  state: '% Province',
  country: '%land',
  physicalDeliveryOfficeName: '% Office',
  employeeType: '% Staff',
  groupDisplayName: '% Group',
  appName: '% App',
};

export class ValuePseudonyms {
  private readonly tables = new Map<string, PseudonymTable>();

  /** @param originals every original value of each kind (no pseudonym of that kind equals one). */
  constructor(
    private readonly hash: KeyedHash,
    private readonly originals: (kind: string) => Iterable<string>,
  ) {}

  /** A word-based pseudonym from `WORD_TEMPLATES[template]`; pseudonyms differ ignoring case too (as group names must). */
  words(kind: string, template: string, value: string): string {
    const pattern = WORD_TEMPLATES[template] ?? '%';
    return this.table(kind, lowerCase).get(value, (attempt) => {
      const [w, r] = this.hash.ints(kind, value, attempt, [PSEUDO_WORDS.length, 100]);
      const number = candidateNumber(attempt, r!);
      return pattern.replace('%', number === '' ? PSEUDO_WORDS[w!]! : `${PSEUDO_WORDS[w!]!} ${number}`);
    });
  }

  /** A street address: a house number and a street named by a pseudonym word. */
  street(value: string): string {
    return this.table('streetAddress', lowerCase).get(value, (attempt) => {
      const [w, house, r] = this.hash.ints('streetAddress', value, attempt, [PSEUDO_WORDS.length, 999, 100]);
      const number = candidateNumber(attempt, r!);
      return `${house! + 1} ${PSEUDO_WORDS[w!]!} Street${number === '' ? '' : ` ${number}`}`;
    });
  }

  /**
   * A phone number: a leading `+` and the country code (when a separator follows it) are kept, every other digit
   * is replaced, the separators stay. No two pseudonyms have the same digits.
   */
  phone(value: string): string {
    const cc = /^\+\d{1,3}(?=[\s\-.(])/.exec(value)?.[0] ?? (value.startsWith('+') ? '+' : '');
    return this.table('phone', digitsOnly).get(value, (attempt) => {
      const rest = scramble(this.hash, 'phone', value, attempt, value.slice(cc.length));
      return attempt < TRIES ? cc + rest : `${cc}${rest} ${attempt}`;
    });
  }

  /**
   * Same shape: each letter another letter of its case (ASCII), each digit another digit, everything else kept.
   * An ISO 8601 date is shifted instead (`shiftedDate`), so it stays a valid date in the same format.
   */
  shaped(kind: string, value: string): string {
    if (!/[\p{L}\p{N}]/u.test(value)) return value;
    const date = shiftedDate(this.hash, value);
    if (date !== null) return date;
    return this.table(kind, exact).get(value, (attempt) => {
      const s = scramble(this.hash, kind, value, attempt, value);
      return attempt < TRIES ? s : `${s}-${attempt}`;
    });
  }

  /** Free text: an opaque token, the same for the same text. */
  text(kind: string, value: string): string {
    if (value.trim() === '') return value;
    return this.table(kind, exact).get(value, (attempt) => `Text ${this.hash.bytes(kind, value, attempt, 5).toString('hex')}`);
  }

  /** The kind's table: originals keyed on their exact value, pseudonyms compared (with each other and the originals) by `key`. */
  private table(kind: string, key: (s: string) => string): PseudonymTable {
    let table = this.tables.get(kind);
    if (!table) this.tables.set(kind, (table = new PseudonymTable(key, this.originals(kind), exact)));
    return table;
  }
}

const exact = (s: string): string => s;
const lowerCase = (s: string): string => s.toLowerCase();

function digitsOnly(s: string): string {
  return s.replace(/\D/g, '');
}

function scramble(hash: KeyedHash, kind: string, value: string, attempt: number, text: string): string {
  const chars = [...text];
  const bytes = hash.bytes(kind, value, attempt, Math.max(1, chars.length));
  return chars
    .map((c, i) => {
      const b = bytes[i]!;
      if (/\p{N}/u.test(c)) return String(b % 10);
      if (/\p{Lu}/u.test(c)) return UPPER[b % 26]!;
      if (/\p{L}/u.test(c)) return LOWER[b % 26]!;
      return c;
    })
    .join('');
}
