/**
 * Where an item of a Graph export is, and the diagnostics that point at it. Every diagnostic about an item names
 * its file, its index in the file (`value[17]`, or `[17]` in a plain-array page) at the start of the message, and
 * its line and column when they are known.
 */
import { error, warning } from '../../shared/diagnostics.js';
import type { Diagnostic, Position } from '../../shared/diagnostics.js';

/** An item (or a whole file, without `path`) of the export. */
export interface ItemAt {
  /** The file as the user named it (the export directory joined with the file name). */
  file: string;
  /** The item's path in the file, such as `value[17]` or `value[17].manager`. */
  path?: string;
  position?: Position;
}

/** The item path of each diagnostic that has one, kept beside it (the shared Diagnostic has no field for it). */
const ITEM_PATHS = new WeakMap<Diagnostic, string>();

/**
 * The path of the item a diagnostic of the Graph reader is about (`value[3].manager`, `appRoles[1]`), or
 * undefined for a diagnostic about a whole file (or not of the Graph reader). It is the start of the message too.
 */
export function itemPathOf(d: Diagnostic): string | undefined {
  return ITEM_PATHS.get(d);
}

/** Collects diagnostics in the order they are found. */
export class GraphReport {
  readonly diagnostics: Diagnostic[] = [];

  warn(code: string, message: string, at: ItemAt, hint?: string): void {
    this.push(warning(code, prefixed(message, at), where(at, hint)), at);
  }

  error(code: string, message: string, at: ItemAt, hint?: string): void {
    this.push(error(code, prefixed(message, at), where(at, hint)), at);
  }

  private push(d: Diagnostic, at: ItemAt): void {
    if (at.path !== undefined) ITEM_PATHS.set(d, at.path);
    this.diagnostics.push(d);
  }
}

/** `at` with a property path appended: `value[3]` + `manager` → `value[3].manager`. */
export function child(at: ItemAt, property: string): ItemAt {
  return { ...at, path: at.path === undefined ? property : `${at.path}.${property}` };
}

function prefixed(message: string, at: ItemAt): string {
  return at.path === undefined ? message : `${at.path}: ${message}`;
}

function where(at: ItemAt, hint: string | undefined): { file: string; position?: Position; hint?: string } {
  return { file: at.file, ...(at.position ? { position: at.position } : {}), ...(hint === undefined ? {} : { hint }) };
}
