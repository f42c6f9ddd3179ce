/**
 * The syntax tree of an attribute-mapping expression. Every node carries its span in the expression text
 * (0-based offset, length in UTF-16 code units) so diagnostics and evaluation errors can point at it.
 */

export interface Span {
  offset: number;
  length: number;
}

/** `Name(arg, …)`. `args` keeps omitted positions (`Switch([x], , "a", "b")`) as `omitted` nodes. */
export interface CallNode extends Span {
  kind: 'call';
  name: string;
  nameSpan: Span;
  args: ExprNode[];
  /** Set when the argument list had a syntax error (or no `)`): its arity is not checked, to avoid follow-on noise. */
  broken?: true;
}

/** `[attributeName]`; the name is case-sensitive and kept verbatim. */
export interface AttributeNode extends Span {
  kind: 'attribute';
  name: string;
}

/** `"text"`, `value` with escapes resolved. */
export interface StringNode extends Span {
  kind: 'string';
  value: string;
}

/** Integer/decimal literal (`3`, `-10`) or VB hex literal (`&HF7`). `value` is the decimal text; `raw` is as written. */
export interface NumberNode extends Span {
  kind: 'number';
  value: string;
  raw: string;
}

/** The VB compare-mode identifiers accepted by InStr. */
export type EnumName = 'vbTextCompare' | 'vbBinaryCompare';
export interface EnumNode extends Span {
  kind: 'enum';
  name: EnumName;
}

export type ComparisonOperator = '=' | '<>' | '>' | '>=' | '<' | '<=';

/** `left op right`, only inside function arguments (IIF conditions, CBool). Evaluates to "True"/"False". */
export interface ComparisonNode extends Span {
  kind: 'comparison';
  operator: ComparisonOperator;
  operatorSpan: Span;
  left: ExprNode;
  right: ExprNode;
}

/** An empty argument position: evaluates to null ("not provided"). `offset` is where it would have been. */
export interface OmittedNode extends Span {
  kind: 'omitted';
}

/** Placeholder left by the parser where a syntax error was reported. Never present in a compiled expression. */
export interface ErrorNode extends Span {
  kind: 'error';
}

export type ExprNode = CallNode | AttributeNode | StringNode | NumberNode | EnumNode | ComparisonNode | OmittedNode | ErrorNode;

/** Depth-first, pre-order walk (node before its children; arguments left to right). */
export function walk(node: ExprNode, visit: (node: ExprNode, parent: ExprNode | null) => void, parent: ExprNode | null = null): void {
  visit(node, parent);
  if (node.kind === 'call') for (const arg of node.args) walk(arg, visit, node);
  else if (node.kind === 'comparison') {
    walk(node.left, visit, node);
    walk(node.right, visit, node);
  }
}
