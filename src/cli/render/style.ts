/**
 * Colour for human output. Colour is on only where a person reads it: stderr or stdout is a terminal, and
 * neither `NO_COLOR` (no-color.org) nor `CI` is set; `FORCE_COLOR` (non-empty, not "0") turns it on anywhere.
 * Every renderer takes a `Style` and stays plain text with `plainStyle`, which tests and JSON output use.
 */
import pc from 'picocolors';

export interface Style {
  /** A created object, an added member: green. */
  add(text: string): string;
  /** A changed value: yellow. */
  change(text: string): string;
  /** A removal, a failure: red. */
  remove(text: string): string;
  /** Context a reader may skip: dim. */
  dim(text: string): string;
  bold(text: string): string;
}

const identity = (text: string): string => text;

export const plainStyle: Style = { add: identity, change: identity, remove: identity, dim: identity, bold: identity };

export function colorStyle(): Style {
  const c = pc.createColors(true);
  return { add: c.green, change: c.yellow, remove: c.red, dim: c.dim, bold: c.bold };
}

/** Whether to colour output written to a stream that `isTTY` describes, given the environment. */
export function wantsColor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0') return true;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false') return false;
  return isTTY;
}

export function styleFor(env: Readonly<Record<string, string | undefined>>, isTTY: boolean): Style {
  return wantsColor(env, isTTY) ? colorStyle() : plainStyle;
}
