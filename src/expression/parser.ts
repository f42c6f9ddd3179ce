/**
 * The parser: tokens → syntax tree, collecting every syntax error it can instead of stopping at the first.
 * Only grammar is checked here; function names, arity and attribute names are checked by `check.ts`.
 *
 * Grammar (EBNF; whitespace — space, tab, CR, LF — may appear between any two tokens):
 *
 *   expression = operand ;                               (* top level: no comparison *)
 *   operand    = call | attribute | string | number | compare-mode ;
 *   call       = name , "(" , [ argument , { "," , argument } ] , ")" ;
 *   argument   = [ operand , [ comparison-operator , operand ] ] ;   (* empty = omitted *)
 *   comparison-operator = "=" | "<>" | ">" | ">=" | "<" | "<=" ;
 *   attribute  = "[" , attribute-char , { attribute-char } , "]" ;   (* case-sensitive name *)
 *   string     = '"' , { string-char | "\" , any-char } , '"' ;       (* \" and \\ are escapes *)
 *   number     = [ "-" ] , digit , { digit } , [ "." , digit , { digit } ]
 *              | "&H" , hex-digit , { hex-digit } ;
 *   compare-mode = "vbTextCompare" | "vbBinaryCompare" ;
 *   name       = letter , { letter | digit | "_" } ;                  (* case-sensitive *)
 *
 * `f()` has no arguments; `f(,)` has two omitted ones. Comparisons are allowed in any argument (Entra
 * documents them for IIF and CBool); there are no AND/OR operators and no parentheses for grouping.
 */
import type { ComparisonOperator, ExprNode, Span } from './ast.js';
import { EXPR_CODES } from './codes.js';
import type { Token } from './scanner.js';
import type { ExprDiagnostic } from './types.js';

const COMPARE_MODES = new Set(['vbTextCompare', 'vbBinaryCompare']);

export interface ParseTreeResult {
  /** null only when nothing usable was found (empty text). */
  root: ExprNode | null;
  diagnostics: ExprDiagnostic[];
}

export function parseTokens(tokens: readonly Token[], text: string): ParseTreeResult {
  return new Parser(tokens, text).parseExpression();
}

class Parser {
  private pos = 0;
  private readonly diagnostics: ExprDiagnostic[] = [];

  constructor(
    private readonly tokens: readonly Token[],
    private readonly text: string,
  ) {}

  parseExpression(): ParseTreeResult {
    if (this.peek().kind === 'eof') {
      this.report(
        EXPR_CODES.EMPTY,
        'the expression is empty',
        { offset: 0, length: this.text.length },
        'write a function call such as Join(" ", [givenName], [surname]), an [attribute] or a "constant"',
      );
      return { root: null, diagnostics: this.diagnostics };
    }
    const root = this.parseOperand();
    const next = this.peek();
    if (next.kind === 'operator') {
      this.report(
        EXPR_CODES.SYNTAX,
        `comparison \`${next.value}\` outside a function argument`,
        next,
        'comparisons are only allowed inside function arguments, e.g. IIF([country]="USA", "US", "Other") or CBool([a]=[b])',
      );
      this.pos = this.tokens.length - 1;
    } else if (next.kind !== 'eof') {
      this.reportTrailing(next);
    }
    return { root, diagnostics: this.diagnostics };
  }

  private reportTrailing(next: Token): void {
    const prev = this.tokens[this.pos - 1];
    if (next.kind === 'rparen') {
      this.report(EXPR_CODES.SYNTAX, 'unmatched `)`', next, 'remove it, or add the `(` it was meant to close');
    } else if (next.kind === 'attribute' && prev?.kind === 'rparen' && /^\d+$/.test(next.value)) {
      this.report(
        EXPR_CODES.SYNTAX,
        `indexing \`${next.text}\` is not part of the expression language`,
        next,
        `use Item(…, ${Number(next.value) + 1}) instead (Item is 1-based)`,
      );
    } else if (next.kind !== 'invalid') {
      this.report(
        EXPR_CODES.SYNTAX,
        `unexpected \`${next.text}\` after the end of the expression`,
        next,
        'an expression is a single function call, [attribute] or "constant"; combine values with Join or Append',
      );
    }
    this.pos = this.tokens.length - 1;
  }

  private parseOperand(): ExprNode {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.pos++;
        return { kind: 'string', value: t.value, offset: t.offset, length: t.length };
      case 'number':
        this.pos++;
        return { kind: 'number', value: t.value, raw: t.text, offset: t.offset, length: t.length };
      case 'attribute':
        this.pos++;
        return { kind: 'attribute', name: t.value, offset: t.offset, length: t.length };
      case 'ident':
        if (this.peek(1).kind === 'lparen') return this.parseCall();
        this.pos++;
        if (COMPARE_MODES.has(t.value))
          return { kind: 'enum', name: t.value as 'vbTextCompare' | 'vbBinaryCompare', offset: t.offset, length: t.length };
        this.reportIdentifier(t);
        return { kind: 'error', offset: t.offset, length: t.length };
      case 'invalid':
        // Already reported by the scanner.
        this.pos++;
        return { kind: 'error', offset: t.offset, length: t.length };
      case 'eof':
        this.report(EXPR_CODES.SYNTAX, 'the expression ends where a value was expected', t, 'complete the expression');
        return { kind: 'error', offset: t.offset, length: 0 };
      default:
        this.report(
          EXPR_CODES.SYNTAX,
          `expected a value, found \`${t.text}\``,
          t,
          'a value is a function call, an [attribute], a "string" or a number',
        );
        this.pos++;
        return { kind: 'error', offset: t.offset, length: t.length };
    }
  }

  private reportIdentifier(t: Token): void {
    const lower = t.value.toLowerCase();
    if (lower === 'vbtextcompare' || lower === 'vbbinarycompare') {
      this.report(
        EXPR_CODES.UNKNOWN_IDENTIFIER,
        `unknown identifier \`${t.value}\``,
        t,
        `did you mean \`${lower === 'vbtextcompare' ? 'vbTextCompare' : 'vbBinaryCompare'}\`? Identifiers are case-sensitive`,
      );
    } else if (lower === 'true' || lower === 'false' || lower === 'nothing' || lower === 'null') {
      this.report(
        EXPR_CODES.UNKNOWN_IDENTIFIER,
        `unknown identifier \`${t.value}\``,
        t,
        lower === 'true' || lower === 'false'
          ? `booleans are strings in Entra expressions: write "${lower === 'true' ? 'True' : 'False'}"`
          : 'there is no null literal; leave the argument empty instead',
      );
    } else if (lower === 'and' || lower === 'or') {
      this.report(
        EXPR_CODES.UNKNOWN_IDENTIFIER,
        `\`${t.value}\` is not an operator in Entra expressions`,
        t,
        'there are no AND/OR operators; nest IIF calls instead',
      );
    } else {
      this.report(
        EXPR_CODES.UNKNOWN_IDENTIFIER,
        `unknown identifier \`${t.value}\``,
        t,
        `attribute references need brackets: [${t.value}]; string constants need quotes: "${t.value}"`,
      );
    }
  }

  private parseCall(): ExprNode {
    const nameToken = this.next();
    const open = this.next();
    const args: ExprNode[] = [];
    let broken = false;
    const node = (end: number): ExprNode => ({
      kind: 'call',
      name: nameToken.value,
      nameSpan: { offset: nameToken.offset, length: nameToken.length },
      args,
      offset: nameToken.offset,
      length: end - nameToken.offset,
      ...(broken ? { broken: true as const } : {}),
    });

    if (this.peek().kind === 'rparen') {
      const close = this.next();
      return node(close.offset + 1);
    }
    // Invariant at the top of the loop: we are at the start of an argument (just after `(` or `,`).
    for (;;) {
      const t = this.peek();
      if (t.kind === 'comma' || t.kind === 'rparen') {
        // An empty position; before `)` it is the last one: `Replace(…, "", , )`.
        args.push({ kind: 'omitted', offset: t.offset, length: 0 });
        this.pos++;
        if (t.kind === 'rparen') return node(t.offset + 1);
        continue;
      }
      if (t.kind === 'eof') {
        broken = true;
        return this.missingParen(nameToken, open, node);
      }
      args.push(this.parseArgument());
      const after = this.peek();
      if (after.kind === 'comma') {
        this.pos++;
        continue;
      }
      if (after.kind === 'rparen') {
        this.pos++;
        return node(after.offset + 1);
      }
      broken = true;
      if (after.kind === 'eof') return this.missingParen(nameToken, open, node);
      if (after.kind !== 'invalid') {
        const looksLikeValue = after.kind === 'string' || after.kind === 'attribute' || after.kind === 'number' || after.kind === 'ident';
        this.report(
          EXPR_CODES.SYNTAX,
          `expected \`,\` or \`)\` in the arguments of ${nameToken.value}, found \`${after.text}\``,
          after,
          after.kind === 'operator' || (after.kind === 'ident' && /^(and|or|andalso|orelse)$/i.test(after.value))
            ? 'a comparison has exactly two sides; there are no AND/OR operators, nest IIF calls instead'
            : looksLikeValue
              ? 'missing `,` between arguments?'
              : 'remove it',
        );
      }
      if (!this.skipToArgumentEnd()) return this.missingParen(nameToken, open, node);
      const end = this.next();
      if (end.kind === 'rparen') return node(end.offset + 1);
    }
  }

  /** An argument: an operand, optionally compared with another. Empty positions are handled by the caller. */
  private parseArgument(): ExprNode {
    const left = this.parseOperand();
    const op = this.peek();
    if (op.kind !== 'operator') return left;
    this.pos++;
    let operator = op.value;
    if (operator === '==' || operator === '!=') {
      const fixed = operator === '==' ? '=' : '<>';
      this.report(EXPR_CODES.SYNTAX, `\`${operator}\` is not a comparison operator`, op, `write \`${fixed}\``);
      operator = fixed;
    }
    const next = this.peek();
    if (next.kind === 'comma' || next.kind === 'rparen' || next.kind === 'eof') {
      this.report(
        EXPR_CODES.SYNTAX,
        `comparison \`${op.value}\` has no right-hand side`,
        op,
        `write a value after \`${op.value}\`, e.g. [country] = "USA"`,
      );
      return { kind: 'error', offset: left.offset, length: op.offset + op.length - left.offset };
    }
    const right = this.parseOperand();
    return {
      kind: 'comparison',
      operator: operator as ComparisonOperator,
      operatorSpan: { offset: op.offset, length: op.length },
      left,
      right,
      offset: left.offset,
      length: right.offset + right.length - left.offset,
    };
  }

  /** Skips a broken argument up to the `,` or `)` that ends it (nested parentheses balanced). false at EOF. */
  private skipToArgumentEnd(): boolean {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof') return false;
      if (depth === 0 && (t.kind === 'comma' || t.kind === 'rparen')) return true;
      if (t.kind === 'lparen') depth++;
      else if (t.kind === 'rparen') depth--;
      this.pos++;
    }
  }

  private missingParen(nameToken: Token, open: Token, node: (end: number) => ExprNode): ExprNode {
    const last = this.tokens[this.pos - 1];
    // An unclosed string swallowed the rest of the text, `)` included: that is the error to fix, not this one.
    if (!last?.runsToEnd) {
      this.report(
        EXPR_CODES.MISSING_PAREN,
        `missing \`)\` to close \`${nameToken.value}(\``,
        { offset: open.offset, length: 1 },
        `add \`)\` at the end of the arguments of ${nameToken.value}`,
      );
    }
    return node(this.text.length);
  }

  private report(code: string, message: string, span: Span, hint?: string): void {
    this.diagnostics.push({ code, message, offset: span.offset, length: span.length, ...(hint ? { hint } : {}) });
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
}
