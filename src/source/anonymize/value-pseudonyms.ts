/**
 * Pseudonyms for attribute values that are not addresses: word-based ones for the text people read (departments,
 * titles, places, group names), shape-keeping ones for codes (phone numbers, employee ids, postal codes,
 * extension attributes: letters stay letters, digits stay digits, separators stay), and opaque ones for free
 * text. One table per kind of value, so each kind stays injective.
 */
import type { KeyedHash } from './keyed-hash.js';
import { PseudonymTable, candidateNumber } from './pseudonym-table.js';
import { PSEUDO_WORDS } from './words.js';

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

  /** A word-based pseudonym from `WORD_TEMPLATES[template]`, compared ignoring case (group names must stay unique so). */
  words(kind: string, template: string, value: string): string {
    const pattern = WORD_TEMPLATES[template] ?? '%';
    return this.table(kind, (s) => s.toLowerCase()).get(value, (attempt) => {
      const [w, r] = this.hash.ints(kind, value, attempt, [PSEUDO_WORDS.length, 100]);
      const number = candidateNumber(attempt, r!);
      return pattern.replace('%', number === '' ? PSEUDO_WORDS[w!]! : `${PSEUDO_WORDS[w!]!} ${number}`);
    });
  }

  /** A street address: a house number and a street named by a pseudonym word. */
  street(value: string): string {
    return this.table('streetAddress', (s) => s.toLowerCase()).get(value, (attempt) => {
      const [w, house, r] = this.hash.ints('streetAddress', value, attempt, [PSEUDO_WORDS.length, 999, 100]);
      const number = candidateNumber(attempt, r!);
      return `${house! + 1} ${PSEUDO_WORDS[w!]!} Street${number === '' ? '' : ` ${number}`}`;
    });
  }

  /**
   * A phone number: a leading `+` and the country code (when a separator follows it) are kept, every other digit
   * is replaced, the separators stay.
   */
  phone(value: string): string {
    const cc = /^\+\d{1,3}(?=[\s\-.(])/.exec(value)?.[0] ?? (value.startsWith('+') ? '+' : '');
    return this.table('phone', digitsOnly).get(value, (attempt) => {
      const rest = scramble(this.hash, 'phone', value, attempt, value.slice(cc.length));
      return attempt < TRIES ? cc + rest : `${cc}${rest} ${attempt}`;
    });
  }

  /** Same shape: each letter another letter of its case (ASCII), each digit another digit, everything else kept. */
  shaped(kind: string, value: string): string {
    if (!/[\p{L}\p{N}]/u.test(value)) return value;
    return this.table(kind, (s) => s).get(value, (attempt) => {
      const s = scramble(this.hash, kind, value, attempt, value);
      return attempt < TRIES ? s : `${s}-${attempt}`;
    });
  }

  /** Free text: an opaque token, the same for the same text. */
  text(kind: string, value: string): string {
    if (value.trim() === '') return value;
    return this.table(kind, (s) => s).get(value, (attempt) => `Text ${this.hash.bytes(kind, value, attempt, 5).toString('hex')}`);
  }

  private table(kind: string, key: (s: string) => string): PseudonymTable {
    let table = this.tables.get(kind);
    if (!table) this.tables.set(kind, (table = new PseudonymTable(key, this.originals(kind))));
    return table;
  }
}

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
