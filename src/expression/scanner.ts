/**
 * The scanner: expression text → tokens with offsets. It never fails; malformed pieces become `invalid`
 * tokens plus a diagnostic, so the parser can go on and report further problems.
 *
 * String constants: `\"` is a quote and `\\` a backslash (the doc's rule). Any other backslash pair is kept
 * verbatim, backslash included: `"\d"` is the two characters `\d`. Microsoft's regex examples double their
 * backslashes (`"\\+(?<isdCode>\\d* )"` → `\+(?<isdCode>\d* )`), and single-backslash patterns written by
 * hand (`"\d+"`) still reach the regex engine intact. The one thing that cannot be written is a string ending
 * in a lone backslash; write `\\` for that.
 */
import type { Span } from './ast.js';
import { EXPR_CODES } from './codes.js';
import type { ExprDiagnostic } from './types.js';

export type TokenKind = 'ident' | 'lparen' | 'rparen' | 'comma' | 'attribute' | 'string' | 'number' | 'operator' | 'invalid' | 'eof';

export interface Token extends Span {
  kind: TokenKind;
  /** The token as written. */
  text: string;
  /**
   * ident: the name; attribute: the name between brackets; string: the unescaped value;
   * number: the decimal text (hex converted); operator: the operator; otherwise the raw text.
   */
  value: string;
  /** For `invalid` tokens that ran to the end of the text (unclosed string): later "missing )" errors are consequences. */
  runsToEnd?: boolean;
}

export interface ScanResult {
  tokens: Token[];
  diagnostics: ExprDiagnostic[];
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isHexDigit = (c: string | undefined): boolean => c !== undefined && /^[0-9A-Fa-f]$/.test(c);
const isIdentStart = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z_]$/.test(c);
const isIdentPart = (c: string | undefined): boolean => c !== undefined && /^[A-Za-z0-9_]$/.test(c);
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\u00a0';
/** Characters that cannot be part of an attribute name: seeing one means the `]` is missing. */
const ATTRIBUTE_STOP = new Set(['[', '(', ')', ',', '"', '\n', '\r']);

export function scan(text: string): ScanResult {
  const tokens: Token[] = [];
  const diagnostics: ExprDiagnostic[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value?: string, runsToEnd?: boolean): void => {
    const raw = text.slice(start, end);
    tokens.push({ kind, text: raw, value: value ?? raw, offset: start, length: end - start, ...(runsToEnd ? { runsToEnd } : {}) });
  };

  while (i < text.length) {
    const c = text[i];
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '(') {
      push('lparen', i, ++i);
    } else if (c === ')') {
      push('rparen', i, ++i);
    } else if (c === ',') {
      push('comma', i, ++i);
    } else if (c === '"') {
      i++;
      let value = '';
      let closed = false;
      while (i < text.length) {
        const d = text[i];
        if (d === '\\' && i + 1 < text.length) {
          const e = text[i + 1]!;
          value += e === '"' || e === '\\' ? e : `\\${e}`;
          i += 2;
        } else if (d === '"') {
          i++;
          closed = true;
          break;
        } else {
          value += d;
          i++;
        }
      }
      if (closed) push('string', start, i, value);
      else {
        push('invalid', start, i, undefined, true);
        diagnostics.push({
          code: EXPR_CODES.UNCLOSED_STRING,
          message: 'string constant is not closed',
          offset: start,
          length: i - start,
          hint: 'add the closing `"`; write a quote inside a string as `\\"` and a backslash as `\\\\`',
        });
      }
    } else if (c === '[') {
      i++;
      while (i < text.length && text[i] !== ']' && !ATTRIBUTE_STOP.has(text[i]!)) i++;
      if (text[i] === ']') {
        const name = text.slice(start + 1, i);
        i++;
        if (name.trim() === '') {
          push('invalid', start, i);
          diagnostics.push({
            code: EXPR_CODES.SYNTAX,
            message: 'empty attribute reference `[]`',
            offset: start,
            length: i - start,
            hint: 'write the source attribute name between the brackets, e.g. [userPrincipalName]',
          });
        } else push('attribute', start, i, name);
      } else {
        push('invalid', start, i);
        diagnostics.push({
          code: EXPR_CODES.UNCLOSED_ATTRIBUTE,
          message: `attribute reference \`${text.slice(start, i)}\` is missing its closing \`]\``,
          offset: start,
          length: i - start,
          hint: `write it as \`${text.slice(start, i).trimEnd()}]\``,
        });
      }
    } else if (isDigit(c) || (c === '-' && isDigit(text[i + 1]))) {
      i++;
      while (isDigit(text[i])) i++;
      if (text[i] === '.' && isDigit(text[i + 1])) {
        i++;
        while (isDigit(text[i])) i++;
      }
      push('number', start, i, canonicalNumber(text.slice(start, i)));
    } else if (c === '&' && (text[i + 1] === 'H' || text[i + 1] === 'h')) {
      i += 2;
      while (isHexDigit(text[i])) i++;
      if (i === start + 2) {
        push('invalid', start, i);
        diagnostics.push({
          code: EXPR_CODES.SYNTAX,
          message: 'hex literal `&H` has no digits',
          offset: start,
          length: 2,
          hint: 'write hex numbers as &HF7',
        });
      } else push('number', start, i, BigInt(`0x${text.slice(start + 2, i)}`).toString());
    } else if (isIdentStart(c)) {
      i++;
      while (isIdentPart(text[i])) i++;
      push('ident', start, i);
    } else if (c === "'" || c === '\u2018' || c === '\u201c') {
      // Not string delimiters in Entra; one diagnostic for the whole would-be string.
      const close = c === "'" ? "'" : c === '\u2018' ? '\u2019' : '\u201d';
      const end = text.indexOf(close, i + 1);
      const stop = text.indexOf('\n', i + 1);
      i = end === -1 || (stop !== -1 && stop < end) ? i + 1 : end + 1;
      push('invalid', start, i);
      diagnostics.push({
        code: EXPR_CODES.SYNTAX,
        message: `\`${text.slice(start, i)}\` is not a string constant`,
        offset: start,
        length: i - start,
        hint:
          c === "'"
            ? 'string constants use double quotes: "…"'
            : 'typographic quotes are not string delimiters; use straight double quotes "…"',
      });
    } else if (c === '=' && text[i + 1] === '=') {
      push('operator', i, (i += 2));
    } else if (c === '!' && text[i + 1] === '=') {
      push('operator', i, (i += 2));
    } else if (c === '=') {
      push('operator', i, ++i);
    } else if (c === '<') {
      i++;
      if (text[i] === '>' || text[i] === '=') i++;
      push('operator', start, i);
    } else if (c === '>') {
      i++;
      if (text[i] === '=') i++;
      push('operator', start, i);
    } else {
      // One diagnostic per run of stray characters, not per character.
      i++;
      while (i < text.length && isStray(text[i]!)) i++;
      push('invalid', start, i);
      diagnostics.push(strayDiagnostic(text, start, i));
    }
  }
  tokens.push({ kind: 'eof', text: '', value: '', offset: text.length, length: 0 });
  return { tokens, diagnostics };
}

function isStray(c: string): boolean {
  return !(isSpace(c) || isIdentStart(c) || isDigit(c) || '(),"[]=<>&\'\u2018\u201c'.includes(c));
}

function strayDiagnostic(text: string, start: number, end: number): ExprDiagnostic {
  const piece = text.slice(start, end);
  const d: ExprDiagnostic = { code: EXPR_CODES.SYNTAX, message: `unexpected \`${piece}\``, offset: start, length: end - start };
  if (piece === ']') d.hint = 'attribute references are written [name]; this `]` has no opening `[`';
  else if (piece === '&' || piece.startsWith('&&') || piece === '|' || piece === '||')
    d.hint = 'there are no AND/OR operators; nest IIF calls instead';
  return d;
}

/** `007` → `7`, `-0` → `0`; decimals keep their fraction as written. */
function canonicalNumber(raw: string): string {
  const negative = raw.startsWith('-');
  const body = negative ? raw.slice(1) : raw;
  const [intPart = '0', frac] = body.split('.');
  const int = intPart.replace(/^0+(?=\d)/, '');
  const out = frac === undefined ? int : `${int}.${frac}`;
  return negative && /[1-9]/.test(out) ? `-${out}` : out;
}
