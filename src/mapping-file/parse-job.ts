/**
 * Mapping (job) file parsing, pure: text in, a validated Job out, or null with the diagnostics that explain
 * why. All problems are collected, in reading order. Expressions are not parsed here (mapping/compile does that); they keep
 * their text and the file position of their first character.
 */
import { isMap } from 'yaml';
import type { Diagnostic } from '../shared/diagnostics.js';
import { hasErrors } from '../shared/diagnostics.js';
import { YamlReader, describeNode, parseYamlFile, rootNode, sortByPosition } from '../shared/yaml-file.js';
import type { TextFile } from '../shared/yaml-file.js';
import { MAPPING_CODES as C } from './mapping-codes.js';
import { OBJECT_ACTIONS, readObjectMapping } from './read-object-mapping.js';
import { readSettings } from './read-settings.js';
import type { Job, ObjectMapping } from '../model/job.js';

export type { TextFile } from '../shared/yaml-file.js';

export function parseJob(input: TextFile): { job: Job | null; diagnostics: Diagnostic[] } {
  const parsed = parseYamlFile(input, C.MAPPING_SYNTAX);
  const diagnostics = [...parsed.diagnostics];
  if (!parsed.ok) return { job: null, diagnostics };
  const reader = new YamlReader(
    parsed.yaml,
    { wrongType: C.MAPPING_WRONG_TYPE, unknownKey: C.MAPPING_UNKNOWN_KEY, missingKey: C.MAPPING_MISSING_KEY },
    diagnostics,
  );

  const root = rootNode(parsed.yaml);
  if (root === null || !isMap(root)) {
    const found = root === null ? 'the file is empty' : `found ${describeNode(root)}`;
    reader.error(
      C.MAPPING_WRONG_SHAPE,
      `a mapping file must be a map with \`settings\`, \`users\` and \`groups\`; ${found}`,
      root ?? { line: 1, column: 1 },
      'start from mappings/customappsso.yaml',
    );
    return { job: null, diagnostics };
  }
  const e = reader.entries(root, 'the mapping file', ['settings', 'users', 'groups']);
  const settings = readSettings(reader, e.get('settings')?.value ?? null);

  const usersNode = reader.required(e, 'users', root, 'the mapping file', 'add a `users:` section with `attributes`');
  const users = usersNode === null ? null : readObjectMapping(reader, usersNode, 'users', 'user');

  const groupsNode = e.get('groups')?.value ?? null;
  // No `groups:` section: groups are not provisioned, as with a disabled group mapping.
  const groups: ObjectMapping | null =
    groupsNode === null
      ? { enabled: false, actions: [...OBJECT_ACTIONS], scoping: [], attributes: [], position: reader.position(root) }
      : readObjectMapping(reader, groupsNode, 'groups', 'group');

  const sorted = sortByPosition(diagnostics);
  if (users === null || groups === null || hasErrors(diagnostics)) return { job: null, diagnostics: sorted };
  return { job: { file: input.file, settings, users, groups }, diagnostics: sorted };
}
