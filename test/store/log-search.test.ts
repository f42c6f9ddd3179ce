/**
 * store/log-search.ts: the folding `provsim logs --user` matches by, the stored search text, and the
 * suggestions for a query that matched nothing. Pure.
 */
import { describe, expect, it } from 'vitest';
import {
  foldText,
  nearQuery,
  rankNear,
  searchText,
  searchTextOf,
  substringDistance,
  substringMatcher,
} from '../../src/store/log-search.js';
import { logEntry } from './log-entry.js';

describe('foldText', () => {
  it.each([
    ['José Müller', 'jose muller'],
    ['JOSÉ', 'jose'],
    ['Søren Øst', 'soren ost'],
    ['Łukasz Nowak', 'lukasz nowak'],
    ['Straße', 'strasse'],
    ['STRASSE', 'strasse'],
    ['ẞ', 'ss'],
    ['Æsa Ærø', 'aesa aero'],
    ['Đorđe', 'dorde'],
    ['Œuvre', 'oeuvre'],
    ['Siobhán O’Connor', 'siobhan o’connor'],
    ['Ana Luísa Gonçalves', 'ana luisa goncalves'],
    ['İstanbul', 'istanbul'],
    // NFKD's compatibility forms: full-width letters, ligatures, roman numerals (which decompose to capitals).
    ['ＪＯＳＥ', 'jose'],
    ['ﬁnance', 'finance'],
    ['Henry Ⅻ', 'henry xii'],
    // Composed and decomposed spellings of the same name fold alike.
    ['Jose\u0301 Mu\u0308ller', 'jose muller'],
    ['  José \t Müller\n', 'jose muller'],
    ['3C9098F3-5C6E', '3c9098f3-5c6e'],
  ])('%j → %j', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });

  it('is idempotent', () => {
    for (const t of ['José Müller', 'Søren Øst', 'Straße', 'ẞ', 'Henry Ⅻ', 'İstanbul']) expect(foldText(foldText(t))).toBe(foldText(t));
  });
});

describe('searchTextOf', () => {
  it('holds the source id, target id, display name, UPN and mail nickname, folded, one per line', () => {
    const e = logEntry(1, {
      sourceIdentity: {
        id: 'S-1',
        type: 'User',
        displayName: 'José Müller',
        details: { userPrincipalName: 'José.Müller@Contoso.com', mailNickname: 'JMüller' },
      },
      targetIdentity: { id: 'T-1', type: 'User', displayName: 'José Müller' },
    });
    expect(searchTextOf(e).split('\n')).toEqual(['s-1', 't-1', 'jose muller', 'jose.muller@contoso.com', 'jmuller']);
  });

  it('leaves a line empty for each identifier the entry lacks, so the fields stay in place', () => {
    const e = logEntry(1, { targetIdentity: { id: null, type: 'User', displayName: 'User 1' } });
    expect(searchTextOf(e).split('\n')).toEqual(['s1', '', 'user 1', '', '']);
  });
});

describe('substringDistance and substringMatcher', () => {
  it.each([
    ['muller', 'jose muller', 0],
    ['mueller', 'jose muller', 1],
    ['jsoe', 'jose muller', 2],
    ['', 'anything', 0],
    ['abc', '', 3],
    ['xyz', 'jose muller', 3],
    ['muller jose', 'jose muller', 5],
  ])('%j in %j: %i edits', (pattern, text, distance) => {
    expect(substringDistance(pattern, text)).toBe(distance);
    expect(substringMatcher(pattern)(text)).toBe(distance);
  });

  it('the bit-parallel matcher agrees with the table on random strings, up to and past its 31-unit limit', () => {
    // A fixed linear congruential sequence: the same strings every run.
    let seed = 12345;
    const next = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    const word = (length: number, alphabet: string): string => Array.from({ length }, () => alphabet[next(alphabet.length)]).join('');
    let compared = 0;
    for (const alphabet of ['ab', 'abcde', 'jose mulr.@']) {
      for (let k = 0; k < 150; k++) {
        const pattern = word(1 + next(36), alphabet);
        const match = substringMatcher(pattern);
        for (let t = 0; t < 4; t++) {
          const text = word(next(50), alphabet);
          expect(match(text), `${JSON.stringify(pattern)} in ${JSON.stringify(text)}`).toBe(substringDistance(pattern, text));
          compared++;
        }
      }
    }
    expect(compared).toBe(1800);
  });
});

describe('nearQuery', () => {
  it('allows about one edit in three characters, and cuts the query into one more piece than that', () => {
    expect(nearQuery('  JOSÉ  Mueller ')).toEqual({ folded: 'jose mueller', within: 4, pieces: ['jo', 'se', ' mu', 'el', 'ler'] });
    expect(nearQuery('ab')).toEqual({ folded: 'ab', within: 1, pieces: ['a', 'b'] });
    expect(nearQuery(' \u0301 ')).toBeNull();
  });

  it('its pieces never lose a name within reach: some piece is unchanged in every name a few edits away', () => {
    const q = nearQuery('jose mueller')!;
    for (const name of ['jose muller', 'josé müler', 'jse mueler', 'xjose muellerx', 'jo muler'].map(foldText)) {
      expect(substringDistance(q.folded, name)).toBeLessThanOrEqual(q.within);
      expect(q.pieces.some((p) => name.includes(p))).toBe(true);
    }
  });
});

describe('rankNear', () => {
  /** Candidates as the store hands them over: an item and its stored search text. */
  const candidate = (item: string, displayName: string, upn?: string, nickname?: string) => ({
    item,
    search: searchText([`src-${item}`, `tgt-${item}`, displayName, upn, nickname]),
  });
  const people = [
    candidate('jose', 'José Müller', 'jose.muller@contoso.com', 'jmuller'),
    candidate('soren', 'Søren Øst', 'soren.ost@contoso.com'),
    candidate('hannah', 'Hannah Schmidt', 'hannah.schmidt@contoso.com'),
    candidate('sales', 'Sales Team', undefined, 'sales-team'),
    candidate('moller', 'Josè Moller'),
  ];
  const rank = (query: string, limit = 3) => rankNear(nearQuery(query)!, people, limit).map((m) => [m.item, m.field, m.distance]);

  it('suggests the names a few typos away, by the same folding, closest first', () => {
    expect(rank('jose mueller')).toEqual([
      ['jose', 'displayName', 1],
      ['moller', 'displayName', 2],
    ]);
  });

  it('compares the UPN and the mail nickname too, and says which name came closest', () => {
    expect(rank('hannah.schmit')).toEqual([['hannah', 'userPrincipalName', 1]]);
    expect(rank('sales-teem')).toEqual([['sales', 'mailNickname', 1]]);
    expect(rank('jmueller')).toEqual([['jose', 'mailNickname', 1]]);
  });

  it('never compares the ids', () => {
    expect(rank('src-jose')).toEqual([]);
  });

  it('suggests nothing for a query nothing resembles, and at most `limit` names', () => {
    expect(rank('xyzzy')).toEqual([]);
    const many = Array.from({ length: 10 }, (_, i) => candidate(`m${i}`, `Mia ${i}`));
    expect(rankNear(nearQuery('mja')!, many, 3)).toHaveLength(3);
    expect(rankNear(nearQuery('mja')!, many, 5)).toHaveLength(5);
  });
});
