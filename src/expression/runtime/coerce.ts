/**
 * Argument coercions shared by the functions. Each either returns a usable JS value or fails the call with a
 * stable code; none throws anything but `EvalFailure` (via `call.fail`).
 *
 * Conventions:
 * - null stays null (an absent attribute, an omitted argument); each function decides what null means.
 * - A multi-valued input with exactly one value is that value; with none it is null; with more, a function
 *   that needs one string fails with EXPR_EVAL_MULTIVALUED rather than silently picking one.
 * - Numbers are decimal strings; integers are parsed as VB's CInt would (banker's rounding of decimals).
 */
import { EXPR_CODES } from '../codes.js';
import type { CallContext } from '../function-def.js';
import type { RoleList, Value } from '../types.js';

export const TRUE = 'True';
export const FALSE = 'False';
export const fromBool = (b: boolean): string => (b ? TRUE : FALSE);

export function isRoleList(v: Value): v is RoleList {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** null, "", or a multi-valued attribute without values. */
export function isNullOrEmpty(v: Value): boolean {
  return v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** One string (or null) from any value; see the module comment for multi-valued inputs. */
export function str(v: Value, call: CallContext, param: string): string | null {
  if (v === null || typeof v === 'string') return v;
  if (Array.isArray(v)) {
    if (v.length === 0) return null;
    if (v.length === 1) return v[0]!;
    return call.fail(EXPR_CODES.EVAL_MULTIVALUED, `${call.node.name}: ${param} has ${v.length} values where one string is expected`);
  }
  return call.fail(EXPR_CODES.EVAL_TYPE, `${call.node.name}: ${param} is a role list, which can only be the whole expression`);
}

/** All values of a possibly multi-valued input; null → []. */
export function values(v: Value, call: CallContext, param: string): string[] {
  if (v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return [...v];
  return call.fail(EXPR_CODES.EVAL_TYPE, `${call.node.name}: ${param} is a role list, which can only be the whole expression`);
}

const NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/;

/** A finite number from a decimal string, or null when the text is not one. */
export function parseNumber(s: string): number | null {
  if (!NUMBER.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** Round half to even, as VB's CInt/CLng and .NET's Math.Round do. */
export function roundHalfEven(n: number): number {
  const r = Math.round(n);
  return Math.abs(n % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** A number argument; null stays null; anything else that is not a number fails the call. */
export function num(v: Value, call: CallContext, param: string): number | null {
  const s = str(v, call, param);
  if (s === null) return null;
  const n = parseNumber(s);
  if (n === null) return call.fail(EXPR_CODES.EVAL_NOT_A_NUMBER, `${call.node.name}: ${param} must be a number, got ${JSON.stringify(s)}`);
  return n;
}

/** An integer argument (decimals rounded half to even); null stays null. */
export function int(v: Value, call: CallContext, param: string): number | null {
  const n = num(v, call, param);
  return n === null ? null : roundHalfEven(n);
}

/** A whole number of any size, for FILETIMEs and bit masks. */
export function bigint(v: Value, call: CallContext, param: string): bigint | null {
  const s = str(v, call, param);
  if (s === null) return null;
  const t = s.trim();
  if (/^[+-]?\d+$/.test(t)) return BigInt(t);
  const n = parseNumber(t);
  if (n !== null) return BigInt(roundHalfEven(n));
  return call.fail(EXPR_CODES.EVAL_NOT_A_NUMBER, `${call.node.name}: ${param} must be a whole number, got ${JSON.stringify(s)}`);
}

/**
 * A boolean as Entra reads one: "True"/"False" (any case), or a number (non-zero is true, as VB's CBool).
 * null and "" are false. Anything else fails the call.
 */
export function bool(v: Value, call: CallContext, param: string): boolean {
  const s = str(v, call, param);
  if (s === null || s === '') return false;
  const t = s.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  const n = parseNumber(t);
  if (n !== null) return n !== 0;
  return call.fail(
    EXPR_CODES.EVAL_NOT_BOOLEAN,
    `${call.node.name}: ${param} must be "True" or "False" (or a number), got ${JSON.stringify(s)}`,
  );
}

/** An integer parameter that must be there: null (absent attribute) fails like a non-number. */
export function requiredInt(v: Value, call: CallContext, param: string): number {
  const n = int(v, call, param);
  if (n === null) return call.fail(EXPR_CODES.EVAL_NOT_A_NUMBER, `${call.node.name}: ${param} must be a number, got null`);
  return n;
}
