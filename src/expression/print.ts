/**
 * printExpression: the canonical text of an expression — `Name(arg, arg)` with ", " between arguments,
 * empty positions kept (`Switch([IsSoftDeleted], , "False", …)`), one space around comparison operators,
 * strings re-escaped so that parsing the output gives the same tree. Numbers keep their written form.
 */
import type { ExprNode } from './ast.js';
import type { CompiledExpression } from './types.js';

export function printExpression(expression: CompiledExpression): string {
  return printNode(expression.root);
}

export function printNode(node: ExprNode): string {
  switch (node.kind) {
    case 'string':
      return `"${node.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    case 'number':
      return node.raw;
    case 'attribute':
      return `[${node.name}]`;
    case 'enum':
      return node.name;
    case 'omitted':
      return '';
    case 'comparison':
      return `${printNode(node.left)} ${node.operator} ${printNode(node.right)}`;
    case 'call':
      return `${node.name}(${node.args.map(printNode).join(', ')})`;
    case 'error':
      return '<error>';
  }
}
