/**
 * An assignment of a large tenant, as small as a record can be: its place in the assignments file is kept as
 * the file name (one string for all of them) and two small integers, and `location` is built when read. A
 * million assignments held about 136 MB as plain records with their location and position objects, 72 MB so.
 *
 * Contract: to its readers it is an `Assignment` with the same values; `location` is an accessor, so
 * `{...assignment}` does not copy it (`toJSON` does).
 */
import type { Assignment, SourceLocation } from '../../model/directory.js';

export class CompactAssignment implements Assignment {
  readonly principalKind: Assignment['principalKind'];
  readonly principalId: string;
  readonly roleId: string;
  readonly #file: string;
  readonly #line: number;
  readonly #column: number;

  /** At `line` and `column` (1-based) of `file`. */
  constructor(principalKind: Assignment['principalKind'], principalId: string, roleId: string, file: string, line: number, column: number) {
    this.principalKind = principalKind;
    this.principalId = principalId;
    this.roleId = roleId;
    this.#file = file;
    this.#line = line;
    this.#column = column;
  }

  get location(): SourceLocation {
    return { file: this.#file, position: { line: this.#line, column: this.#column } };
  }

  toJSON(): Assignment {
    const { principalKind, principalId, roleId, location } = this;
    return { principalKind, principalId, roleId, location };
  }
}
