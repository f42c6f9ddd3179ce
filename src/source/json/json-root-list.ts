/**
 * A JSON text whose root is an object with one long list (the assignments file's `assignments`), read
 * without building the whole tree: the root's other values are parsed as they are met, the list's items one
 * at a time, each with its line and column. `JSON.parse` of the whole file, a map from its objects to their
 * places and the drafts made from them were all alive at once at the end of a large tenant's load, its peak.
 *
 * Contract: a text is accepted only when `JSON.parse` would accept it whole and no object in it repeats a key
 * (which `JSON.parse` accepts silently, keeping the last value; the fixture format rejects it). The text
 * between values is checked here, each value by `JSON.parse` of its own slice. Anything else throws a
 * SyntaxError (or a RangeError for nesting too deep to count the keys of): from the constructor for the root
 * and for a list whose brackets or strings never close, from `forEachItem` for the rest of the list. The list
 * is read from the text each time `forEachItem` runs; the text is held until the reader is dropped. Positions are 1-based:
 * lines start after every `\n` and columns count UTF-16 code units, as `LinePositions` gives them.
 */
import { countKeys, stringEnd } from './structure.js';

/** The root's values by key, in text order, but for the list when it is an array (see `hasList`). */
export class JsonRootList {
  readonly #values = new Map<string, unknown>();
  readonly #text: string;
  /** The offset of the list's `[`, or -1. */
  readonly #list: number;

  constructor(text: string, listKey: string) {
    this.#text = text;
    const scan = new Scanner(text);
    let list = -1;
    let i = scan.skip(0);
    if (text.charCodeAt(i) !== OPEN_OBJECT) fail('the root is not an object', i);
    i = scan.skip(i + 1);
    if (text.charCodeAt(i) !== CLOSE_OBJECT) {
      for (;;) {
        if (text.charCodeAt(i) !== QUOTE) fail('expected a key', i);
        const keyEnd = stringEnd(text, i);
        const key = JSON.parse(text.slice(i, keyEnd)) as string;
        if (this.#values.has(key) || (key === listKey && list !== -1)) fail(`the key ${JSON.stringify(key)} is repeated`, i);
        i = scan.skip(keyEnd);
        if (text.charCodeAt(i) !== COLON) fail('expected a colon', i);
        i = scan.skip(i + 1);
        const end = scan.valueEnd(i);
        if (key === listKey && text.charCodeAt(i) === OPEN_ARRAY) list = i;
        else this.#values.set(key, scan.parse(i, end));
        i = scan.skip(end);
        if (text.charCodeAt(i) === COMMA) {
          i = scan.skip(i + 1);
          continue;
        }
        if (text.charCodeAt(i) !== CLOSE_OBJECT) fail('expected a comma or the end of the root', i);
        break;
      }
    }
    if (scan.skip(i + 1) !== text.length) fail('text after the root', i + 1);
    this.#list = list;
  }

  get values(): ReadonlyMap<string, unknown> {
    return this.#values;
  }

  /** Whether the root's list key holds an array (its items are `forEachItem`'s). */
  get hasList(): boolean {
    return this.#list !== -1;
  }

  /** Visits the list's items in order, each parsed, with the line and column where it starts. */
  forEachItem(visit: (item: unknown, line: number, column: number) => void): void {
    if (this.#list === -1) return;
    const text = this.#text;
    const scan = new Scanner(text);
    let line = 1;
    let lineStart = 0;
    let nextBreak = text.indexOf('\n');
    let i = scan.skip(this.#list + 1);
    if (text.charCodeAt(i) === CLOSE_ARRAY) return;
    for (;;) {
      const end = scan.valueEnd(i);
      const item = scan.parse(i, end);
      while (nextBreak !== -1 && nextBreak < i) {
        line++;
        lineStart = nextBreak + 1;
        nextBreak = text.indexOf('\n', lineStart);
      }
      visit(item, line, i - lineStart + 1);
      i = scan.skip(end);
      const c = text.charCodeAt(i);
      if (c === CLOSE_ARRAY) return;
      if (c !== COMMA) fail('expected a comma or the end of the list', i);
      i = scan.skip(i + 1);
    }
  }
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

function fail(what: string, offset: number): never {
  throw new SyntaxError(`Not a JSON object with a list: ${what} at offset ${offset}`);
}

/** Finds where values end and parses them, counting the keys a value's text holds. */
class Scanner {
  readonly #text: string;
  /** The `:`s outside strings between the start and end of the last `valueEnd`. */
  #colons = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** The first offset from `i` that is not JSON whitespace. */
  skip(i: number): number {
    const text = this.#text;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
      i++;
    }
  }

  /**
   * Where the value starting at `i` ends, if it is valid (`parse` finds out): a string's closing quote, the
   * bracket that closes the one at `i`, or else the next delimiter.
   */
  valueEnd(i: number): number {
    const text = this.#text;
    const n = text.length;
    const c = text.charCodeAt(i);
    this.#colons = 0;
    if (c === QUOTE) return stringEnd(text, i);
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      let depth = 0;
      let colons = 0;
      for (let j = i; j < n;) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) {
          j = stringEnd(text, j);
          continue;
        }
        if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
        else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
          if (--depth === 0) {
            this.#colons = colons;
            return j + 1;
          }
        } else if (d === COLON) colons++;
        j++;
      }
      fail('an unclosed bracket', i);
    }
    let j = i;
    for (; j < n; j++) {
      const d = text.charCodeAt(j);
      if (d === COMMA || d === CLOSE_OBJECT || d === CLOSE_ARRAY || d === 0x20 || d === 0x0a || d === 0x0d || d === 0x09) break;
    }
    if (j === i) fail('expected a value', i);
    return j;
  }

  /** `JSON.parse` of the text from `start` to `end`, the last `valueEnd`'s, rejecting a repeated key. */
  parse(start: number, end: number): unknown {
    const value: unknown = JSON.parse(this.#text.slice(start, end));
    if (this.#colons !== 0 && countKeys(value) !== this.#colons) fail('an object repeats a key', start);
    return value;
  }
}
