import { describe, expect, it } from 'vitest';
import { JsonRootList } from '../../src/source/json/json-root-list.js';
import { LinePositions } from '../../src/source/json/line-positions.js';
import { scanJsonStructure } from '../../src/source/json/structure.js';
import { seededRandom, type Random } from '../../src/shared/random.js';

interface Read {
  /** A Map: compared by entries, not order (`Object.entries` puts integer-like keys first). */
  values: Map<string, unknown>;
  hasList: boolean;
  items: { item: unknown; line: number; column: number }[];
}

function read(text: string, listKey = 'list'): Read | 'rejected' {
  try {
    const root = new JsonRootList(text, listKey);
    const items: Read['items'] = [];
    root.forEachItem((item, line, column) => items.push({ item, line, column }));
    return { values: new Map(root.values), hasList: root.hasList, items };
  } catch (e) {
    expect(e).toBeInstanceOf(SyntaxError);
    return 'rejected';
  }
}

/** The keys of every object in a parsed value. */
function keyCount(v: unknown): number {
  if (typeof v !== 'object' || v === null) return 0;
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + keyCount(x), 0);
  return Object.entries(v).reduce((n, [, x]) => n + 1 + keyCount(x), 0);
}

/** What the reader must give: `JSON.parse` of the whole text, refused when a key repeats or the root is no object. */
function reference(text: string, listKey = 'list'): (Omit<Read, 'items'> & { items: unknown[] }) | 'rejected' {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return 'rejected';
  }
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return 'rejected';
  if (keyCount(root) !== scanJsonStructure(text).pairs) return 'rejected';
  const entries = Object.entries(root);
  const list = entries.find(([k, v]) => k === listKey && Array.isArray(v));
  return {
    values: new Map(entries.filter((e) => e !== list)),
    hasList: list !== undefined,
    items: list === undefined ? [] : (list[1] as unknown[]),
  };
}

/** A random JSON value (objects' keys are k0, k1…, so an edit that writes `"k0"` can repeat one). */
function value(r: Random, depth: number): unknown {
  const k = Math.floor(r.next() * (depth > 2 ? 5 : 8));
  switch (k) {
    case 0:
      return null;
    case 1:
      return r.next() < 0.5;
    case 2:
      return Math.round((r.next() - 0.5) * 1e6) / 100;
    case 3:
      return ['', 'a', 'é', 'a "quoted" \\ back\\slash', 'line\nbreak', '{[:,]}', '\u2028', 'ü\u{1F600}'][Math.floor(r.next() * 8)];
    case 4:
      return `s${Math.floor(r.next() * 100)}`;
    case 5:
    case 6:
      return Object.fromEntries(Array.from({ length: Math.floor(r.next() * 4) }, (_, i) => [`k${i}`, value(r, depth + 1)]));
    default:
      return Array.from({ length: Math.floor(r.next() * 4) }, () => value(r, depth + 1));
  }
}

const WHITESPACE = ['', '', '', ' ', '\n', '\r\n', '\t', ' \n  '];

/** `v` as JSON with random whitespace between tokens. */
function spaced(v: unknown, r: Random, ws = (): string => WHITESPACE[Math.floor(r.next() * WHITESPACE.length)]!): string {
  if (Array.isArray(v)) return `[${ws()}${v.map((x) => spaced(x, r, ws)).join(`${ws()},${ws()}`)}${ws()}]`;
  if (v !== null && typeof v === 'object')
    return `{${ws()}${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}${ws()}:${ws()}${spaced(x, r, ws)}`)
      .join(`${ws()},${ws()}`)}${ws()}}`;
  return JSON.stringify(v);
}

/** A root with the list somewhere among other keys, its items written with their offsets. */
function document(r: Random): { text: string; starts: number[]; items: unknown[] } {
  const ws = (): string => WHITESPACE[Math.floor(r.next() * WHITESPACE.length)]!;
  const items = Array.from({ length: Math.floor(r.next() * 12) }, () => value(r, 1));
  const others = Array.from({ length: Math.floor(r.next() * 3) }, (_, i) => [`o${i}`, value(r, 1)] as const);
  const at = Math.floor(r.next() * (others.length + 1));
  let text = `${ws()}{${ws()}`;
  const starts: number[] = [];
  const pairs: (() => void)[] = others.map(
    ([k, v]) =>
      () =>
        void (text += `${JSON.stringify(k)}${ws()}:${ws()}${spaced(v, r)}`),
  );
  pairs.splice(at, 0, () => {
    text += `"list"${ws()}:${ws()}[${ws()}`;
    items.forEach((item, i) => {
      if (i > 0) text += `${ws()},${ws()}`;
      starts.push(text.length);
      text += spaced(item, r);
    });
    text += `${ws()}]`;
  });
  pairs.forEach((write, i) => {
    if (i > 0) text += `${ws()},${ws()}`;
    write();
  });
  text += `${ws()}}${ws()}`;
  return { text, starts, items };
}

describe('JsonRootList', () => {
  it('gives each item of the list with the line and column where it starts, and the other values parsed', () => {
    for (let seed = 0; seed < 400; seed++) {
      const r = seededRandom(seed);
      const { text, starts, items } = document(r);
      const got = read(text);
      const want = reference(text);
      if (want === 'rejected') throw new Error(`the generator wrote an invalid text: ${JSON.stringify(text)}`);
      const lines = new LinePositions(text);
      expect(got).toEqual({
        values: want.values,
        hasList: true,
        items: items.map((item, i) => ({ item, ...lines.position(starts[i]!) })),
      });
    }
  });

  it('accepts a text exactly when JSON.parse does and no object repeats a key (random one-character edits)', () => {
    const r = seededRandom(42);
    const EDITS = ['', ',', ':', '"', '\\', '{', '}', '[', ']', ' ', 'x', '1', 'n', '\r', '\u0000', '"k0"', '"list"'];
    let accepted = 0;
    let rejected = 0;
    for (let n = 0; n < 4000; n++) {
      const { text } = document(r);
      const at = Math.floor(r.next() * (text.length + 1));
      const cut = Math.floor(r.next() * 3);
      const edited = text.slice(0, at) + EDITS[Math.floor(r.next() * EDITS.length)] + text.slice(at + cut);
      const want = reference(edited);
      const got = read(edited);
      if (want === 'rejected') {
        expect(got, JSON.stringify(edited)).toBe('rejected');
        rejected++;
      } else {
        expect(got, JSON.stringify(edited)).not.toBe('rejected');
        const g = got as Read;
        expect({ values: g.values, hasList: g.hasList, items: g.items.map((i) => i.item) }).toEqual(want);
        accepted++;
      }
    }
    // Both answers were exercised.
    expect(accepted).toBeGreaterThan(400);
    expect(rejected).toBeGreaterThan(400);
  });

  it('refuses what is not one object with unique keys', () => {
    for (const text of [
      '',
      ' ',
      'null',
      '[]',
      '"list"',
      '{"list": [1], "list": [2]}',
      '{"list": [1], "list": 2}',
      '{"a": 1, "a": 2, "list": []}',
      '{"a": 1, "\\u0061": 2}',
      '{"list": [{"k": 1, "k": 2}]}',
      '{"list": [1,]}',
      '{"list": [,1]}',
      '{"list": [1 2]}',
      '{"list": [1]',
      '{"list": [1]} x',
      '{"list": [1]}}',
      '{"list": [01]}',
      '{"list": ["a\nb"]}',
      '{"list": [{"k": [}]]}',
      "{'list': []}",
    ])
      expect(read(text), text).toBe('rejected');
  });

  it('takes a list key whose value is no array as a value, and reads an empty root and an empty list', () => {
    const values = (entries: [string, unknown][]) => new Map(entries);
    expect(read('{"list": null, "a": [1]}')).toEqual({
      values: values([
        ['list', null],
        ['a', [1]],
      ]),
      hasList: false,
      items: [],
    });
    expect(read('{}')).toEqual({ values: values([]), hasList: false, items: [] });
    expect(read('{"list": [ ]}')).toEqual({ values: values([]), hasList: true, items: [] });
    expect(read('{"\\u006cist": [true]}')).toEqual({ values: values([]), hasList: true, items: [{ item: true, line: 1, column: 16 }] });
    // The root's values in text order, integer-like keys included.
    expect([...new JsonRootList('{"b": 1, "2": 2, "list": [], "a": 3}', 'list').values.keys()]).toEqual(['b', '2', 'a']);
  });
});
