/**
 * A JSON syntax error as a diagnostic can say it without quoting the file. V8's `JSON.parse` messages quote the
 * input around the error (`Unexpected token '+', ..."ilePhone":+47 915}]}" is not valid JSON`), which would put
 * a person's data into the diagnostic, and give no position for that kind of error. `describeJsonSyntaxError`
 * keeps V8's description up to the token, never a quote of the input, and finds the offset itself when V8 does
 * not give one (`firstSyntaxErrorOffset`). Pure.
 */

export interface JsonSyntaxError {
  /** What is wrong, with nothing of the input but, for an unexpected character, that character (or its code point). */
  reason: string;
  /** Where, as a UTF-16 offset into the text, when known. */
  offset?: number;
}

/** `Unexpected token 'x'`: the token is one character, which may be two UTF-16 units (an emoji) or half of them. */
const UNEXPECTED_TOKEN = /^Unexpected token '([\s\S]{1,2}?)'(?=, |$)/u;
const AT_POSITION = /(?: in JSON)? at position (\d+)/;

export function describeJsonSyntaxError(message: string, text: string): JsonSyntaxError {
  const position = AT_POSITION.exec(message);
  const offset = position ? Number(position[1]) : firstSyntaxErrorOffset(text);
  const token = UNEXPECTED_TOKEN.exec(message);
  let reason: string;
  if (token) {
    // V8 names an astral character by its first UTF-16 unit only; the text has the whole character.
    const atOffset = offset === undefined ? undefined : String.fromCodePoint(text.codePointAt(offset) ?? 0);
    const char = atOffset !== undefined && atOffset.startsWith(token[1]!.slice(0, 1)) ? atOffset : token[1]!;
    reason = `Unexpected token ${describeChar(char)}`;
  } else {
    // Anything from a position or a quote of the input on is cut; what remains is V8's fixed wording.
    reason = message
      .replace(AT_POSITION, '')
      .replace(/\s*(?:\(line \d+ column \d+\))?\s*$/, '')
      .replace(/[,:]?\s*(?:\.\.\.)?".*$/s, '')
      .trim();
    if (reason === '') reason = 'invalid JSON';
  }
  return offset === undefined ? { reason } : { reason, offset };
}

/** `'+'` for a printable ASCII character, `U+1F600` for anything else (which a terminal may not show). */
function describeChar(c: string): string {
  const cp = c.codePointAt(0) ?? 0;
  if (cp >= 0x21 && cp <= 0x7e) return `'${c}'`;
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/**
 * The offset of the first character JSON does not allow at its place (the text's length when it ends too
 * early), or undefined when the text is JSON. Iterative: nesting depth costs no stack.
 */
export function firstSyntaxErrorOffset(text: string): number | undefined {
  const n = text.length;
  let i = 0;
  const stack: string[] = [];
  const skipSpace = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      i++;
    }
  };
  /** Moves past a string at `i`; false (with `i` at the bad character) when it is not one. */
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return true;
      }
      if (c === 0x5c) {
        ESCAPE.lastIndex = i;
        if (!ESCAPE.test(text)) {
          i++; // at the character that cannot be escaped, as V8 reports it
          return false;
        }
        i = ESCAPE.lastIndex;
        continue;
      }
      if (c < 0x20) return false;
      i++;
    }
    return false;
  };
  /** Moves past a scalar value at `i` (string, literal, number); false, with `i` at the bad character, when there is none. */
  const scalar = (): boolean => {
    const c = text[i];
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null'])
      if (c === literal[0]) {
        for (const ch of literal) {
          if (text[i] !== ch) return false;
          i++;
        }
        return true;
      }
    NUMBER.lastIndex = i;
    if (c === undefined || !NUMBER.test(text)) return false;
    i = NUMBER.lastIndex;
    return true;
  };

  // What comes next: a value, or an object's `"key": value`; objects and arrays entered are on `stack`.
  let next: 'value' | 'member' = 'value';
  for (;;) {
    skipSpace();
    if (next === 'member') {
      if (!string()) return Math.min(i, n);
      skipSpace();
      if (text[i] !== ':') return Math.min(i, n);
      i++;
      next = 'value';
      continue;
    }
    const c = text[i];
    if (c === '{' || c === '[') {
      i++;
      skipSpace();
      if (text[i] !== (c === '{' ? '}' : ']')) {
        stack.push(c);
        next = c === '{' ? 'member' : 'value';
        continue;
      }
      i++;
    } else if (!scalar()) return Math.min(i, n);
    // After a value: close what it ends, until a comma asks for the next one.
    for (;;) {
      skipSpace();
      const top = stack[stack.length - 1];
      if (top === undefined) return i < n ? i : undefined;
      if (text[i] === ',') {
        i++;
        next = top === '{' ? 'member' : 'value';
        break;
      }
      if (text[i] !== (top === '{' ? '}' : ']')) return Math.min(i, n);
      stack.pop();
      i++;
    }
  }
}
