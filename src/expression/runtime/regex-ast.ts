/**
 * The syntax tree of a translated .NET pattern, as `dotnet-regex.ts` builds it beside the JS pattern text: the
 * input of the linear engine's writer (`re2-pattern.ts`), of the step-limited backtracking engine
 * (`regex-backtracker.ts`) and of the catastrophic-backtracking check. It means what the JS pattern means;
 * group numbers are JS group indices (1-based, in order of the opening parenthesis).
 */
import type { CharSet } from './char-set.js';

export type AssertKind =
  /** `\A`, `^` outside multiline */
  | 'start'
  /** `\z` */
  | 'end'
  /** `\Z`, `$` outside multiline: the end, or before a final `\n` */
  | 'end-or-final-newline'
  /** `^` in multiline: the start or after a JS line terminator (\n \r U+2028 U+2029) */
  | 'line-start'
  /** `$` in multiline */
  | 'line-end'
  /** `\b` on .NET's word characters (`\w` plus U+200C and U+200D) */
  | 'boundary'
  | 'non-boundary';

/** A set as `positive`, or its complement when `negated`; `positive` holds no complement of its own. */
export interface FoldForm {
  positive: CharSet;
  negated: boolean;
}

export type RegexNode =
  /**
   * One code point from `set`. `jsText` is its JS translation (a class, a literal); `fold`, when not null, writes
   * the set as one set or one negated set without negation inside, the form RE2's `(?i)` folds as JS does.
   */
  | { kind: 'set'; set: CharSet; jsText: string; fold: FoldForm | null }
  | { kind: 'sequence'; items: RegexNode[] }
  | { kind: 'alternation'; options: RegexNode[] }
  /** `index` null: a non-capturing group. */
  | { kind: 'group'; index: number | null; name: string | null; body: RegexNode }
  | { kind: 'repeat'; min: number; max: number; greedy: boolean; body: RegexNode }
  | { kind: 'look'; behind: boolean; negate: boolean; body: RegexNode }
  | { kind: 'assert'; assert: AssertKind }
  /** A JS group index, or a group name. */
  | { kind: 'backreference'; group: number | string };

export interface RegexTree {
  root: RegexNode;
  /** `(?i)` at the start. */
  ignoreCase: boolean;
  /** Capturing groups, JS numbering. */
  groupCount: number;
}

/** Whether the node can match without consuming a character. */
export function canBeEmpty(node: RegexNode): boolean {
  switch (node.kind) {
    case 'set':
      return false;
    case 'sequence':
      return node.items.every(canBeEmpty);
    case 'alternation':
      return node.options.some(canBeEmpty);
    case 'group':
      return canBeEmpty(node.body);
    case 'repeat':
      return node.min === 0 || canBeEmpty(node.body);
    case 'look':
    case 'assert':
    case 'backreference':
      return true;
  }
}

/** Whether a repetition of the node can take more than one turn: the building block of catastrophic backtracking. */
const repeats = (node: RegexNode): boolean => node.kind === 'repeat' && node.max > 1 && !(node.min === node.max);

function containsRepeat(node: RegexNode): boolean {
  switch (node.kind) {
    case 'repeat':
      return repeats(node) || containsRepeat(node.body);
    case 'sequence':
      return node.items.some(containsRepeat);
    case 'alternation':
      return node.options.some(containsRepeat);
    case 'group':
    case 'look':
      return containsRepeat(node.body);
    default:
      return false;
  }
}

/**
 * The first repetition that holds another repetition (`(a+)+`, `(\w+\s?)*`, `(?:x*y?)+`): the shape that makes a
 * backtracking engine such as .NET's try exponentially many ways to split a value that almost matches. A
 * heuristic, as every such check is: it names the common shape, not every slow pattern.
 */
export function nestedQuantifier(node: RegexNode): RegexNode | null {
  switch (node.kind) {
    case 'repeat':
      if (repeats(node) && containsRepeat(node.body)) return node;
      return nestedQuantifier(node.body);
    case 'sequence':
      for (const item of node.items) {
        const found = nestedQuantifier(item);
        if (found) return found;
      }
      return null;
    case 'alternation':
      for (const option of node.options) {
        const found = nestedQuantifier(option);
        if (found) return found;
      }
      return null;
    case 'group':
    case 'look':
      return nestedQuantifier(node.body);
    default:
      return null;
  }
}
