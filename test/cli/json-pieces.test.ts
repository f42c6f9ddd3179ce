import { describe, expect, it } from 'vitest';
import { jsonPieces } from '../../src/cli/render/json.js';

const requests = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ method: i % 2 ? 'POST' : 'GET', url: `http://127.0.0.1:1/scim/v2/Users?n=${i}`, status: 200 }));

/** What `out` writes: each piece, then a line break. */
const written = (pieces: Iterable<string>): string => [...pieces].map((p) => `${p}\n`).join('');

describe('jsonPieces', () => {
  it('writes the document a thousand requests at a time, and it parses to the same value', () => {
    const doc = { target: 'http://127.0.0.1:1/scim/v2', counts: { 'Create/Success': 2 }, requests: requests(2_500), plan: null, log: [] };
    const pieces = [...jsonPieces(doc, 'requests')];
    // The head, three pieces of requests (1,000, 1,000, 500), the tail.
    expect(pieces).toHaveLength(5);
    expect(pieces[1]!.split('\n')).toHaveLength(1000);
    expect(pieces[3]!.split('\n')).toHaveLength(500);
    expect(JSON.parse(written(pieces))).toEqual(doc);
  });

  it('a last key, an empty list and a list that ends on a piece boundary', () => {
    for (const doc of [
      { a: 1, requests: requests(3) },
      { requests: [], a: 1 },
      { a: 'x', requests: requests(2_000), b: [1, 2] },
    ]) {
      const text = written(jsonPieces(doc, 'requests'));
      expect(JSON.parse(text)).toEqual(doc);
      if (doc.requests.length === 0) expect(text).toBe(`${JSON.stringify(doc, null, 2)}\n`);
    }
  });

  it('a value that looks like the slot it writes the list into is left alone', () => {
    const doc = { note: '\u0000provsim: pieces\u0000', requests: requests(2) };
    expect(JSON.parse(written(jsonPieces(doc, 'requests')))).toEqual(doc);
  });
});
