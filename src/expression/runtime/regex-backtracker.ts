/**
 * A backtracking regex engine with a step limit, for the patterns and inputs the linear engine cannot run
 * (lookarounds, backreferences, `\b` on non-ASCII values…; see `re2-pattern.ts`). It runs the tree of
 * `regex-ast.ts` with the JS translation's semantics, as a program on an explicit stack (no recursion but one
 * level per nested lookaround, so long values do not overflow the call stack), and counts every instruction:
 * past the budget it throws `RegexStepLimitExceeded`, as .NET throws RegexMatchTimeoutException past its match
 * timeout. Steps, not time: the same pattern and value fail the same way on every machine.
 *
 * Semantics, where JS and .NET differ: a capture inside a repetition keeps the value of the last turn that set
 * it (.NET and RE2, so both engines agree; JS resets it each turn); an optional turn that matches nothing fails
 * (JS); a backreference to a group that did not capture matches empty (JS).
 */
import { contains, MAX_CODE_POINT, singleton, union, type CharSet } from './char-set.js';
import { canBeEmpty, type AssertKind, type RegexNode, type RegexTree } from './regex-ast.js';

/** Thrown when a match needs more steps than its budget allows. */
export class RegexStepLimitExceeded extends Error {
  constructor(readonly limit: number) {
    super(`the regular expression needed more than ${limit.toLocaleString('en-US')} backtracking steps`);
    this.name = 'RegexStepLimitExceeded';
  }
}

/** Steps left for one operation (one Replace, one scoping test); shared by every search within it. */
export interface StepBudget {
  left: number;
  readonly limit: number;
}

const enum Op {
  Char,
  Split,
  Jump,
  Save,
  Mark,
  Progress,
  Assert,
  BackReference,
  Look,
  Match,
}

interface Instruction {
  op: Op;
  /** Split: first choice; Jump: target; Save: slot; Mark/Progress: register; BackReference: group. */
  a: number;
  /** Split: second choice. */
  b: number;
  /** Char, BackReference: read backwards (inside a lookbehind). Look: behind. */
  back: boolean;
  negate: boolean;
  test: ((cp: number) => boolean) | null;
  assert: AssertKind | null;
  sub: Instruction[] | null;
}

const instruction = (op: Op, fields: Partial<Instruction> = {}): Instruction => ({
  op,
  a: 0,
  b: 0,
  back: false,
  negate: false,
  test: null,
  assert: null,
  sub: null,
  ...fields,
});

/** Largest program accepted: a repetition count is unrolled, so `(?=x)\w{1,50000}` would not fit. */
export const MAX_PROGRAM_SIZE = 50_000;

export interface Backtracker {
  /** The first match at or after `from`: `[start0, end0, start1, end1, …]` by JS group index, -1 for a group that did not capture. */
  exec(input: string, from: number, budget: StepBudget): number[] | null;
}

const LINE_TERMINATORS: CharSet = union(singleton(0x0a), singleton(0x0d), singleton(0x2028), singleton(0x2029));

/**
 * Compiles the tree, or explains why it is too large to run. `names`: group name → JS group index;
 * `word`: the word characters of `\b` and `\B`.
 */
export function compileBacktracker(tree: RegexTree, names: ReadonlyMap<string, number>, word: CharSet): Backtracker | { error: string } {
  const compiler = new Compiler(tree.ignoreCase, names);
  let program: Instruction[];
  try {
    program = compiler.program(tree.root, false);
  } catch (e) {
    if (e instanceof ProgramTooLarge || e instanceof UnknownGroup) return { error: e.message };
    throw e;
  }
  const slots = (tree.groupCount + 1) * 2;
  const registers = compiler.registers;
  const anchored = startsAnchored(tree.root);
  const dotStar = startsWithDotStar(tree.root, tree.ignoreCase);
  const wordBits = bmpBitmap(word);
  return {
    exec(input, from, budget) {
      const caps = new Array<number>(slots);
      const regs = new Array<number>(registers);
      for (let start = from; start <= input.length; start += isPair(input, start) ? 2 : 1) {
        if (anchored && start > 0) return null;
        caps.fill(-1);
        regs.fill(-1);
        const end = run(program, input, start, caps, regs, budget, wordBits);
        if (end >= 0) {
          caps[0] = start;
          caps[1] = end;
          return caps;
        }
        // A pattern that starts with `.*` and failed here fails at every later start before the next line
        // terminator too (the `.*` of this attempt tried them all): skip there, as V8 does.
        if (dotStar) {
          while (start < input.length && !contains(LINE_TERMINATORS, input.charCodeAt(start))) start++;
        }
      }
      return null;
    },
  };
}

class ProgramTooLarge extends Error {}
class UnknownGroup extends Error {}

/**
 * The pattern starts with a greedy `.*` outside any group: a repetition of a set that holds every character but
 * (at most) the line terminators, also under (?i), where a negated class folds before it is negated.
 */
function startsWithDotStar(node: RegexNode, ignoreCase: boolean): boolean {
  const first = node.kind === 'sequence' ? node.items[0] : node;
  if (first?.kind !== 'repeat' || first.min !== 0 || first.max !== Infinity || !first.greedy || first.body.kind !== 'set') return false;
  const same = (a: CharSet, b: CharSet): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  const all = (set: CharSet): boolean => same(union(set, LINE_TERMINATORS), [0, MAX_CODE_POINT]);
  if (!ignoreCase) return all(first.body.set);
  const fold = first.body.fold;
  if (!fold) return false;
  // Folding adds characters to a positive set, and to the set a negated one takes out.
  return fold.negated ? same(union(fold.positive, LINE_TERMINATORS), LINE_TERMINATORS) : all(fold.positive);
}

function startsAnchored(node: RegexNode): boolean {
  if (node.kind === 'assert') return node.assert === 'start';
  if (node.kind === 'sequence') return node.items.length > 0 && startsAnchored(node.items[0]!);
  if (node.kind === 'group') return startsAnchored(node.body);
  return false;
}

class Compiler {
  registers = 0;
  private size = 0;
  private readonly tests = new Map<CharSet | string, (cp: number) => boolean>();

  constructor(
    private readonly ignoreCase: boolean,
    private readonly names: ReadonlyMap<string, number>,
  ) {}

  program(node: RegexNode, back: boolean): Instruction[] {
    const out: Instruction[] = [];
    this.emit(node, back, out);
    out.push(instruction(Op.Match));
    return out;
  }

  private push(out: Instruction[], i: Instruction): number {
    if (++this.size > MAX_PROGRAM_SIZE)
      throw new ProgramTooLarge(
        `the pattern is too large for provsim's backtracking engine (more than ${MAX_PROGRAM_SIZE.toLocaleString('en-US')} steps once its repetition counts are unrolled); lower the counts`,
      );
    out.push(i);
    return out.length - 1;
  }

  private emit(node: RegexNode, back: boolean, out: Instruction[]): void {
    switch (node.kind) {
      case 'set':
        this.push(out, instruction(Op.Char, { back, test: this.testFor(node) }));
        return;
      case 'sequence': {
        const items = back ? [...node.items].reverse() : node.items;
        for (const item of items) this.emit(item, back, out);
        return;
      }
      case 'alternation': {
        const jumps: number[] = [];
        node.options.forEach((option, i) => {
          const last = i === node.options.length - 1;
          const split = last ? -1 : this.push(out, instruction(Op.Split));
          if (split >= 0) out[split]!.a = out.length;
          this.emit(option, back, out);
          if (!last) {
            jumps.push(this.push(out, instruction(Op.Jump)));
            out[split]!.b = out.length;
          }
        });
        for (const j of jumps) out[j]!.a = out.length;
        return;
      }
      case 'group':
        if (node.index === null) return this.emit(node.body, back, out);
        this.push(out, instruction(Op.Save, { a: node.index * 2 + (back ? 1 : 0) }));
        this.emit(node.body, back, out);
        this.push(out, instruction(Op.Save, { a: node.index * 2 + (back ? 0 : 1) }));
        return;
      case 'repeat':
        return this.repeat(node, back, out);
      case 'look':
        this.push(out, instruction(Op.Look, { back: node.behind, negate: node.negate, sub: this.program(node.body, node.behind) }));
        return;
      case 'assert':
        this.push(out, instruction(Op.Assert, { assert: node.assert }));
        return;
      case 'backreference': {
        const group = typeof node.group === 'number' ? node.group : this.names.get(node.group);
        if (group === undefined) throw new UnknownGroup(`reference to undefined group name ${node.group}`);
        this.push(out, instruction(Op.BackReference, { a: group, back, negate: this.ignoreCase }));
        return;
      }
    }
  }

  private repeat(node: Extract<RegexNode, { kind: 'repeat' }>, back: boolean, out: Instruction[]): void {
    for (let k = 0; k < node.min; k++) this.emit(node.body, back, out);
    if (node.max === node.min) return;
    const guard = canBeEmpty(node.body);
    const register = guard ? this.registers++ : -1;
    // One optional turn: split (turn | leave), [mark], body, [progress]. A turn that consumes nothing fails, as
    // in JS, so an empty body cannot loop forever.
    const turn = (): number => {
      const split = this.push(out, instruction(Op.Split));
      out[split]!.a = out.length;
      if (guard) this.push(out, instruction(Op.Mark, { a: register }));
      this.emit(node.body, back, out);
      if (guard) this.push(out, instruction(Op.Progress, { a: register }));
      return split;
    };
    const splits: number[] = [];
    if (node.max === Infinity) {
      const split = turn();
      this.push(out, instruction(Op.Jump, { a: split }));
      splits.push(split);
    } else {
      for (let k = node.min; k < node.max; k++) splits.push(turn());
    }
    for (const split of splits) {
      const s = out[split]!;
      if (node.greedy) s.b = out.length;
      else [s.a, s.b] = [out.length, s.a];
    }
  }

  private testFor(node: Extract<RegexNode, { kind: 'set' }>): (cp: number) => boolean {
    const key = this.ignoreCase ? node.jsText : node.set;
    const hit = this.tests.get(key);
    if (hit) return hit;
    let test: (cp: number) => boolean;
    const set = node.set;
    if (!this.ignoreCase) {
      const bmp = bmpBitmap(set);
      test = (cp) => (cp <= 0xffff ? (bmp[cp >> 3]! & (1 << (cp & 7))) !== 0 : contains(set, cp));
    } else {
      // Case-insensitive membership exactly as the JS translation has it (simple case folding, a negated class
      // folded before it is negated): the JS engine answers, once per code point, for the node's own JS text.
      const folded = new RegExp(`^(?:${node.jsText})$`, 'vi');
      const seen = new Map<number, boolean>();
      test = (cp) => {
        let member = seen.get(cp);
        if (member === undefined) seen.set(cp, (member = folded.test(String.fromCodePoint(cp))));
        return member;
      };
    }
    this.tests.set(key, test);
    return test;
  }
}

/** The set's BMP members as a bitmap (8 KiB): one lookup per character instead of a search of its ranges. */
function bmpBitmap(set: CharSet): Uint8Array {
  const bits = new Uint8Array(0x2000);
  for (let i = 0; i < set.length && set[i]! <= 0xffff; i += 2)
    for (let cp = set[i]!, hi = Math.min(set[i + 1]!, 0xffff); cp <= hi; cp++) bits[cp >> 3]! |= 1 << (cp & 7);
  return bits;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
const isPair = (s: string, i: number): boolean => isHigh(s.charCodeAt(i)) && isLow(s.charCodeAt(i + 1));

/** The code point at `pos` (-1 at the end). */
function codePointAt(s: string, pos: number): number {
  if (pos >= s.length) return -1;
  const c = s.charCodeAt(pos);
  return isHigh(c) && pos + 1 < s.length && isLow(s.charCodeAt(pos + 1)) ? s.codePointAt(pos)! : c;
}

/** The code point that ends at `pos` (-1 at the start). */
function codePointBefore(s: string, pos: number): number {
  if (pos <= 0) return -1;
  const c = s.charCodeAt(pos - 1);
  return isLow(c) && pos >= 2 && isHigh(s.charCodeAt(pos - 2)) ? s.codePointAt(pos - 2)! : c;
}

const width = (cp: number): number => (cp > 0xffff ? 2 : 1);

const isWordAt = (word: Uint8Array, cp: number): boolean => cp >= 0 && cp <= 0xffff && (word[cp >> 3]! & (1 << (cp & 7))) !== 0;

function assertHolds(kind: AssertKind, s: string, pos: number, word: Uint8Array): boolean {
  switch (kind) {
    case 'start':
      return pos === 0;
    case 'end':
      return pos === s.length;
    case 'end-or-final-newline':
      return pos === s.length || (pos === s.length - 1 && s.charCodeAt(pos) === 0x0a);
    case 'line-start':
      return pos === 0 || contains(LINE_TERMINATORS, s.charCodeAt(pos - 1));
    case 'line-end':
      return pos === s.length || contains(LINE_TERMINATORS, s.charCodeAt(pos));
    case 'boundary':
      return isWordAt(word, codePointBefore(s, pos)) !== isWordAt(word, codePointAt(s, pos));
    case 'non-boundary':
      return isWordAt(word, codePointBefore(s, pos)) === isWordAt(word, codePointAt(s, pos));
  }
}

const foldCache = new Map<number, RegExp>();
/** Whether two code points are equal under the JS translation's case folding (`vi`). */
function foldEquals(a: number, b: number): boolean {
  if (a === b) return true;
  let re = foldCache.get(a);
  if (!re) {
    if (foldCache.size > 1000) foldCache.clear();
    foldCache.set(a, (re = new RegExp(`^\\u{${a.toString(16)}}$`, 'vi')));
  }
  return re.test(String.fromCodePoint(b));
}

/** Matches the group's text at `pos` (forward) or ending at `pos` (backward); the new position, or -1. */
function backReference(s: string, pos: number, start: number, end: number, back: boolean, fold: boolean): number {
  if (start < 0 || end < 0) return pos;
  const length = end - start;
  const from = back ? pos - length : pos;
  if (from < 0 || from + length > s.length) return -1;
  if (!fold) return s.startsWith(s.slice(start, end), from) ? (back ? from : pos + length) : -1;
  for (let i = 0; i < length;) {
    const a = codePointAt(s, start + i);
    const b = codePointAt(s, from + i);
    if (a < 0 || b < 0 || width(a) !== width(b) || !foldEquals(a, b)) return -1;
    i += width(a);
  }
  return back ? from : pos + length;
}

const BRANCH = 0;
const UNDO_CAPTURE = 1;
const UNDO_REGISTER = 2;

/** Runs a program from `start`; the end position of the first match found, or -1. Captures hold the match's on success. */
function run(
  program: Instruction[],
  s: string,
  start: number,
  caps: number[],
  regs: number[],
  budget: StepBudget,
  word: Uint8Array,
): number {
  const stack: number[] = [];
  let pc = 0;
  let pos = start;
  for (;;) {
    if (--budget.left < 0) throw new RegexStepLimitExceeded(budget.limit);
    const i = program[pc]!;
    let ok = true;
    switch (i.op) {
      case Op.Char: {
        const cp = i.back ? codePointBefore(s, pos) : codePointAt(s, pos);
        if (cp < 0 || !i.test!(cp)) ok = false;
        else {
          pos += i.back ? -width(cp) : width(cp);
          pc++;
        }
        break;
      }
      case Op.Split:
        stack.push(BRANCH, i.b, pos);
        pc = i.a;
        break;
      case Op.Jump:
        pc = i.a;
        break;
      case Op.Save:
        stack.push(UNDO_CAPTURE, i.a, caps[i.a]!);
        caps[i.a] = pos;
        pc++;
        break;
      case Op.Mark:
        stack.push(UNDO_REGISTER, i.a, regs[i.a]!);
        regs[i.a] = pos;
        pc++;
        break;
      case Op.Progress:
        if (regs[i.a] === pos) ok = false;
        else pc++;
        break;
      case Op.Assert:
        if (assertHolds(i.assert!, s, pos, word)) pc++;
        else ok = false;
        break;
      case Op.BackReference: {
        const next = backReference(s, pos, caps[i.a * 2]!, caps[i.a * 2 + 1]!, i.back, i.negate);
        if (next < 0) ok = false;
        else {
          pos = next;
          pc++;
        }
        break;
      }
      case Op.Look: {
        const before = caps.slice();
        const matched = run(i.sub!, s, pos, caps, regs, budget, word) >= 0;
        if (matched === i.negate) ok = false;
        // A negative lookaround keeps no capture; a positive one keeps its own, undone when the match backtracks past it.
        if (i.negate && matched) for (let k = 0; k < caps.length; k++) caps[k] = before[k]!;
        if (!i.negate && matched) for (let k = 0; k < caps.length; k++) if (caps[k] !== before[k]) stack.push(UNDO_CAPTURE, k, before[k]!);
        if (ok) pc++;
        break;
      }
      case Op.Match:
        return pos;
    }
    if (ok) continue;
    // Backtrack: undo captures and registers down to the latest branch, and take its other way.
    let resumed = false;
    while (stack.length > 0) {
      const value = stack.pop()!;
      const at = stack.pop()!;
      const kind = stack.pop()!;
      if (kind === UNDO_CAPTURE) caps[at] = value;
      else if (kind === UNDO_REGISTER) regs[at] = value;
      else {
        pc = at;
        pos = value;
        resumed = true;
        break;
      }
    }
    if (!resumed) return -1;
  }
}
