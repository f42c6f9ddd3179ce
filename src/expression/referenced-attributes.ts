import { walk } from './ast.js';
import type { CompiledExpression } from './types.js';

/** Attribute names referenced with [name], each once, in order of first appearance (for change detection). */
export function referencedAttributes(expression: CompiledExpression): string[] {
  const names: string[] = [];
  walk(expression.root, (node) => {
    if (node.kind === 'attribute' && !names.includes(node.name)) names.push(node.name);
  });
  return names;
}
