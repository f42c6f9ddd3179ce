/**
 * The text layout of generated `.json` fixture files, and where each object lands in it: one object per line,
 * so locations are known without writing the files. Contract (relied on by `generate-tenant.ts`):
 * - users.json / groups.json: `[` on line 1, object `i` alone on line `2 + i` (column 1), `]` last;
 * - assignments.json: `{"app": {"name": …, "appRoles": [` on line 1, one role per line, `]},` and
 *   `"assignments": [` on the next two lines, then one assignment per line (column 1), `]}` last.
 * Separators go at the end of the previous line, so every file streams element by element. Values are
 * written with `JSON.stringify`, keys in the same order as the YAML files.
 */
import type { Position } from '../../shared/diagnostics.js';
import type { AssignedRole, GroupRecord } from './records.js';
import type { AppRole } from '../../model/directory.js';

type Entry = readonly [key: string, value: string | readonly string[] | boolean];

export const JSON_FIRST_RECORD_LINE = 2;
export const jsonRecordPosition = (line: number): Position => ({ line, column: 1 });
export const jsonFirstAssignmentLine = (roleCount: number): number => 4 + roleCount;

export function jsonObjectText(entries: readonly Entry[]): string {
  return `{${entries.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`).join(', ')}}`;
}

export function jsonGroupText(g: GroupRecord, memberIds: readonly string[]): string {
  return jsonObjectText([['id', g.id], ['displayName', g.displayName], ...Object.entries(g.attributes), ['members', memberIds]]);
}

/** The lines before the first assignment (see the contract above). */
export function jsonAppText(name: string, roles: readonly AppRole[]): string {
  const roleLines = roles
    .map((r) =>
      jsonObjectText([
        ['id', r.id],
        ['value', r.value],
        ['displayName', r.displayName],
      ]),
    )
    .join(',\n');
  return `{"app": {"name": ${JSON.stringify(name)}, "appRoles": [\n${roleLines}${roles.length > 0 ? '\n' : ''}]},\n"assignments": [\n`;
}

export function jsonAssignmentText(principal: string, role: AssignedRole): string {
  return jsonObjectText(
    role === null
      ? [['principal', principal]]
      : [
          ['principal', principal],
          ['role', role],
        ],
  );
}

/** `items` as the lines of a JSON list body: `,\n` after every item but the last, `\n` after the last. */
export function* jsonListBody(items: Iterable<string>): Generator<string> {
  let first = true;
  for (const item of items) {
    yield first ? item : `,\n${item}`;
    first = false;
  }
  if (!first) yield '\n';
}
