/**
 * Fixture tenant parsing, pure: the texts of `users`, `groups` (optional) and `assignments` in, a validated
 * and resolved Tenant out, or null with the diagnostics that explain why. All problems are collected, not
 * just the first, and returned in reading order (file, line, column). Warnings alone do not withhold the tenant.
 *
 * `.json` tenants are first read by the fast path (`read-json-tenant.ts`, no YAML nodes); anything it is not
 * sure of, and every other tenant, goes through the YAML-node path, the single source of diagnostics.
 *
 * A file with syntax errors is reported and not read further; cross-file checks (references, duplicate ids)
 * then do not run, since they would report objects as missing that are merely unreadable.
 */
import { join } from 'node:path';
import type { Diagnostic } from '../shared/diagnostics.js';
import { error, hasErrors } from '../shared/diagnostics.js';
import { YamlReader, parseYamlFile, sortByPosition } from '../shared/yaml-file.js';
import type { ShapeCodes, TextFile } from '../shared/yaml-file.js';
import { FIXTURE_CODES as C } from './fixture-codes.js';
import { readAssignments } from './read-assignments.js';
import { readGroups } from './read-groups.js';
import { readJsonTenant } from './json/read-json-tenant.js';
import { readUsers } from './read-users.js';
import { resolveTenant } from './resolve-tenant.js';
import type { Tenant } from '../model/directory.js';

export type { TextFile } from '../shared/yaml-file.js';

export interface TenantFiles {
  /** The tenant directory, as the user named it. */
  dir: string;
  users?: TextFile;
  groups?: TextFile;
  assignments?: TextFile;
}

const SHAPE_CODES: ShapeCodes = {
  wrongType: C.FIXTURE_WRONG_TYPE,
  unknownKey: C.FIXTURE_UNKNOWN_KEY,
  missingKey: C.FIXTURE_MISSING_KEY,
};

export interface ParseTenantOptions {
  /**
   * Try `readJsonTenant` first when every file is `.json` (default true); false always takes the positioned
   * YAML-node path. Both give the same result; the option exists so tests can compare them.
   */
  jsonFastPath?: boolean;
}

export function parseTenant(input: TenantFiles, options: ParseTenantOptions = {}): { tenant: Tenant | null; diagnostics: Diagnostic[] } {
  if (options.jsonFastPath !== false) {
    const tenant = readJsonTenant(input);
    if (tenant !== null) return { tenant, diagnostics: [] };
  }
  const diagnostics: Diagnostic[] = [];
  for (const name of ['users', 'assignments'] as const) {
    if (input[name] === undefined) {
      diagnostics.push(
        error(C.FIXTURE_MISSING_FILE, `the tenant has no ${name} file`, {
          file: join(input.dir, `${name}.yaml`),
          hint: `create ${name}.yaml (or ${name}.yml / ${name}.json) in ${input.dir}`,
        }),
      );
    }
  }

  const open = (file: TextFile | undefined): YamlReader | null => {
    if (file === undefined) return null;
    const parsed = parseYamlFile(file, C.FIXTURE_SYNTAX);
    diagnostics.push(...parsed.diagnostics);
    return parsed.ok ? new YamlReader(parsed.yaml, SHAPE_CODES, diagnostics) : null;
  };
  const usersReader = open(input.users);
  const groupsReader = open(input.groups);
  const assignmentsReader = open(input.assignments);

  const users = usersReader && readUsers(usersReader);
  const groups = groupsReader && readGroups(groupsReader);
  const assignments = assignmentsReader && readAssignments(assignmentsReader);

  const order = (['users', 'groups', 'assignments'] as const).map((name) => input[name]?.file ?? join(input.dir, `${name}.yaml`));
  const sorted = (): Diagnostic[] => sortByPosition(diagnostics, order);
  const groupsUsable = input.groups === undefined || groups !== null;
  if (usersReader && users && assignmentsReader && assignments && groupsUsable) {
    const tenant = resolveTenant({
      dir: input.dir,
      users: { reader: usersReader, drafts: users },
      groups: groupsReader && groups ? { reader: groupsReader, drafts: groups } : null,
      assignments: { reader: assignmentsReader, draft: assignments },
    });
    if (!hasErrors(diagnostics)) return { tenant, diagnostics: sorted() };
  }
  return { tenant: null, diagnostics: sorted() };
}
