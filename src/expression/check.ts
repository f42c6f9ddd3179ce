/**
 * Parse-time meaning checks on a syntax tree: known function names (case-sensitive), arity, required
 * argument positions, per-function argument checks, compare-mode identifiers, and — when a list is given —
 * known attribute names. Every problem is reported; nothing stops at the first.
 */
import { walk, type CallNode, type ExprNode } from './ast.js';
import { EXPR_CODES } from './codes.js';
import { signatureOf, type Report } from './function-def.js';
import { APP_ROLE_ASSIGNMENTS } from './functions/roles.js';
import { FUNCTIONS, SUPPORTED_FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './registry.js';
import { didYouMean } from '../shared/diagnostics.js';

export interface CheckOptions {
  /** Source attribute names that exist; `[appRoleAssignments]` is always known. */
  knownAttributes?: readonly string[];
}

export function checkTree(root: ExprNode, options: CheckOptions, report: Report): void {
  const known = options.knownAttributes ? new Set(options.knownAttributes) : null;
  walk(root, (node, parent) => {
    if (node.kind === 'call') checkCall(node, parent, report);
    else if (node.kind === 'attribute' && known && !known.has(node.name) && node.name !== APP_ROLE_ASSIGNMENTS) {
      const suggestion = didYouMean(node.name, known);
      report(
        EXPR_CODES.UNKNOWN_ATTRIBUTE,
        `unknown source attribute [${node.name}]`,
        node,
        suggestion
          ? `did you mean [${suggestion}]? Attribute names are case-sensitive`
          : 'attribute names are case-sensitive; directory extensions are written [extension_<appId>_<name>]',
      );
    } else if (node.kind === 'enum' && !(parent?.kind === 'call' && parent.name === 'InStr' && parent.args[3] === node)) {
      report(
        EXPR_CODES.INVALID_ARGUMENT,
        `${node.name} can only be InStr's fourth argument (compareType)`,
        node,
        'InStr(value1, value2, start, vbTextCompare)',
      );
    }
  });
}

function checkCall(node: CallNode, parent: ExprNode | null, report: Report): void {
  const def = FUNCTIONS.get(node.name);
  if (!def) {
    const reason = UNSUPPORTED_FUNCTIONS[node.name];
    if (reason !== undefined) {
      report(EXPR_CODES.UNSUPPORTED_FUNCTION, `${node.name} is not supported: ${reason}`, node.nameSpan);
      return;
    }
    const suggestion = didYouMean(node.name, [...SUPPORTED_FUNCTIONS, ...Object.keys(UNSUPPORTED_FUNCTIONS)]);
    const hint = suggestion
      ? `did you mean \`${suggestion}\`?${suggestion.toLowerCase() === node.name.toLowerCase() ? ' Function names are case-sensitive' : ''}`
      : 'function names are case-sensitive; see SUPPORTED_FUNCTIONS for the list';
    report(EXPR_CODES.UNKNOWN_FUNCTION, `unknown function \`${node.name}\``, node.nameSpan, hint);
    return;
  }
  if (node.broken) return;
  const n = node.args.length;
  if (n < def.minArgs || n > def.maxArgs) {
    const expected =
      def.minArgs === def.maxArgs
        ? `${def.minArgs}`
        : def.maxArgs === Infinity
          ? `at least ${def.minArgs}`
          : `${def.minArgs} to ${def.maxArgs}`;
    report(
      EXPR_CODES.WRONG_ARITY,
      `${node.name} takes ${expected} argument${expected === '1' ? '' : 's'}, got ${n}`,
      node.nameSpan,
      signatureOf(def),
    );
  } else {
    def.params.forEach((p, i) => {
      const arg = node.args[i];
      if (p.required && arg?.kind === 'omitted')
        report(EXPR_CODES.MISSING_ARGUMENT, `${node.name}: ${p.name} is required`, arg, signatureOf(def));
    });
  }
  def.check?.(node, { report, parent });
}
