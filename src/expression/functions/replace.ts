/**
 * Replace(source, oldValue, regexPattern, regexGroupName, replacementValue, replacementAttributeName, template)
 * — five modes, chosen by which arguments are written (not by their values), case-sensitive throughout:
 *
 * | written                                              | result                                                    |
 * |------------------------------------------------------|-----------------------------------------------------------|
 * | oldValue + replacementValue                          | every oldValue in source → replacementValue                |
 * | oldValue + template                                  | every oldValue in template → source                        |
 * | regexPattern + replacementValue                      | .NET Regex.Replace; `${name}`, `$1`, `$$`… substitutions   |
 * | regexPattern + regexGroupName + replacementValue     | each match's named group → replacementValue (literal)      |
 * | regexPattern + regexGroupName + replacementAttributeName | source if it has a value, else that group of the first match in the other attribute (null if none) |
 *
 * replacementAttributeName is normally an attribute reference (`[mobile]`, its value is used); a string
 * constant is taken as an attribute *name* and looked up. A null source yields null (except in the last
 * mode); a null replacementValue counts as "". Any other combination is a parse-time error.
 */
import type { CallNode } from '../ast.js';
import { EXPR_CODES } from '../codes.js';
import { defineFunction, optional, type CallContext, type CheckContext, type FunctionDef } from '../function-def.js';
import { str } from '../runtime/coerce.js';
import {
  allMatches,
  budgetFor,
  compileDotNetRegex,
  expandReplacement,
  firstMatch,
  RegexStepLimitExceeded,
  type DotNetRegex,
} from '../runtime/dotnet-regex.js';
import { ensureLength, MAX_VALUE_LENGTH } from '../runtime/value-limit.js';

const SOURCE = 0;
const OLD_VALUE = 1;
const REGEX = 2;
const GROUP = 3;
const REPLACEMENT = 4;
const REPLACEMENT_ATTRIBUTE = 5;
const TEMPLATE = 6;

export type ReplaceMode = 'value' | 'template' | 'regex' | 'regex-group' | 'regex-extract';

const MODES_HINT =
  'Replace modes: (source, oldValue, , , replacementValue, , ), (source, oldValue, , , , , template), (source, , regexPattern, , replacementValue, , ), (source, , regexPattern, regexGroupName, replacementValue, , ), (source, , regexPattern, regexGroupName, , replacementAttributeName, )';

/** The mode for the written argument positions, or why there is none. */
export function replaceMode(given: (index: number) => boolean): ReplaceMode | { problem: string } {
  if (given(OLD_VALUE) && given(REGEX)) return { problem: 'Replace takes either oldValue or regexPattern, not both' };
  if (given(REGEX)) {
    if (given(GROUP) && given(REPLACEMENT_ATTRIBUTE)) return 'regex-extract';
    if (given(GROUP) && given(REPLACEMENT)) return 'regex-group';
    if (given(REPLACEMENT)) return given(GROUP) ? 'regex-group' : 'regex';
    return { problem: 'Replace with a regexPattern also needs a replacementValue (or a regexGroupName and a replacementAttributeName)' };
  }
  if (given(OLD_VALUE)) {
    if (given(TEMPLATE)) return 'template';
    if (given(REPLACEMENT)) return 'value';
    return { problem: 'Replace with an oldValue also needs a replacementValue or a template' };
  }
  return { problem: 'Replace needs an oldValue or a regexPattern' };
}

function check(node: CallNode, { report }: CheckContext): void {
  const given = (i: number): boolean => node.args[i] !== undefined && node.args[i]!.kind !== 'omitted';
  const mode = replaceMode(given);
  if (typeof mode !== 'string') {
    report(EXPR_CODES.INVALID_ARGUMENT, mode.problem, node.nameSpan, MODES_HINT);
    return;
  }
  const pattern = node.args[REGEX];
  if (pattern?.kind !== 'string') return;
  const re = compileDotNetRegex(pattern.value);
  if ('error' in re) {
    report(
      EXPR_CODES.BAD_REGEX,
      `Replace: the regexPattern does not compile: ${re.error}`,
      pattern,
      'backslashes in the pattern are written doubled inside the string, e.g. "\\\\d+"',
    );
    return;
  }
  const group = node.args[GROUP];
  if (group?.kind === 'string' && !re.names.has(group.value)) {
    const names = [...re.names];
    report(
      EXPR_CODES.INVALID_ARGUMENT,
      `Replace: the regexPattern has no group named "${group.value}"`,
      group,
      names.length ? `its named groups are: ${names.join(', ')} (names are case-sensitive)` : 'name a group in the pattern with (?<name>…)',
    );
  }
}

function regexArg(call: CallContext, pattern: string | null): DotNetRegex {
  if (pattern === null) return call.fail(EXPR_CODES.EVAL_BAD_REGEX, 'Replace: the regexPattern is null');
  const re = compileDotNetRegex(pattern);
  if ('error' in re)
    return call.fail(EXPR_CODES.EVAL_BAD_REGEX, `Replace: the regexPattern ${JSON.stringify(pattern)} does not compile: ${re.error}`);
  return re;
}

/**
 * Runs the regex on `input`; a pattern that runs out of backtracking steps (runtime/dotnet-regex.ts) fails the
 * evaluation, as Entra's .NET match timeout fails the object.
 */
function matching<T>(call: CallContext, pattern: string, input: string, run: (budget: ReturnType<typeof budgetFor>) => T): T {
  const budget = budgetFor(input);
  try {
    return run(budget);
  } catch (e) {
    if (!(e instanceof RegexStepLimitExceeded)) throw e;
    return call.fail(
      EXPR_CODES.EVAL_REGEX_TIMEOUT,
      `Replace: the regexPattern ${JSON.stringify(pattern)} needed more than ${e.limit.toLocaleString('en-US')} backtracking steps on a value of ${input.length.toLocaleString('en-US')} characters and was stopped (Entra's .NET engine times out on it and fails the object); rewrite it without a repetition inside a repetition such as (a+)+`,
    );
  }
}

/** `source.split(old).join(by)`, failing before it builds a value over the cap. */
function replaceAll(call: CallContext, source: string, old: string, by: string): string {
  const pieces = source.split(old);
  ensureLength(call, source.length + (pieces.length - 1) * (by.length - old.length), 'the result');
  return pieces.join(by);
}

function groupArg(call: CallContext, re: DotNetRegex, name: string | null): string {
  if (name === null || !re.names.has(name))
    return call.fail(EXPR_CODES.EVAL_BAD_ARGUMENT, `Replace: the regexPattern has no group named ${JSON.stringify(name)}`);
  return name;
}

const replace = defineFunction(
  'Replace',
  'string or .NET-regex replacement, in five modes',
  [
    'source',
    optional('oldValue'),
    optional('regexPattern'),
    optional('regexGroupName'),
    optional('replacementValue'),
    optional('replacementAttributeName'),
    optional('template'),
  ],
  (args, call) => {
    const arg = (i: number): string | null => str(args[i] ?? null, call, PARAM_NAMES[i]!);
    const mode = replaceMode((i) => call.given(i));
    if (typeof mode !== 'string') return call.fail(EXPR_CODES.EVAL_BAD_ARGUMENT, mode.problem);
    const source = arg(SOURCE);
    switch (mode) {
      case 'value': {
        if (source === null) return null;
        const old = arg(OLD_VALUE);
        if (old === null || old === '') return source;
        return replaceAll(call, source, old, arg(REPLACEMENT) ?? '');
      }
      case 'template': {
        const template = arg(TEMPLATE);
        if (source === null || template === null) return null;
        const old = arg(OLD_VALUE);
        if (old === null || old === '') return template;
        return replaceAll(call, template, old, source);
      }
      case 'regex': {
        const pattern = arg(REGEX);
        const re = regexArg(call, pattern);
        if (source === null) return null;
        const replacement = arg(REPLACEMENT) ?? '';
        let out = '';
        let last = 0;
        for (const m of matching(call, pattern!, source, (budget) => allMatches(re, source, budget))) {
          out += source.slice(last, m.index) + expandReplacement(re, replacement, m, source, MAX_VALUE_LENGTH - out.length);
          ensureLength(call, out.length, 'the result');
          last = m.index + m[0].length;
        }
        return out + source.slice(last);
      }
      case 'regex-group': {
        const pattern = arg(REGEX);
        const re = regexArg(call, pattern);
        const group = groupArg(call, re, arg(GROUP));
        if (source === null) return null;
        const replacement = arg(REPLACEMENT) ?? '';
        let out = '';
        let last = 0;
        for (const m of matching(call, pattern!, source, (budget) => allMatches(re, source, budget))) {
          const span = m.indices?.groups?.[group];
          if (!span) continue;
          out += source.slice(last, span[0]) + replacement;
          ensureLength(call, out.length, 'the result');
          last = span[1];
        }
        return out + source.slice(last);
      }
      case 'regex-extract': {
        const pattern = arg(REGEX);
        const re = regexArg(call, pattern);
        const group = groupArg(call, re, arg(GROUP));
        if (source !== null && source !== '') return source;
        const node = call.node.args[REPLACEMENT_ATTRIBUTE];
        const other =
          node?.kind === 'string' ? str(call.attribute(node.value), call, 'replacementAttributeName') : arg(REPLACEMENT_ATTRIBUTE);
        if (other === null) return null;
        return matching(call, pattern!, other, (budget) => firstMatch(re, other, budget))?.groups?.[group] ?? null;
      }
    }
  },
  { minArgs: 2, check },
);

const PARAM_NAMES = replace.params.map((p) => p.name);

export const REPLACE_FUNCTIONS: readonly FunctionDef[] = [replace];
