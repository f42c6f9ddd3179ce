/**
 * The groups file (optional): a list of groups with `id`, `displayName`, optional `mailNickname`,
 * `description`, `mail`, extension attributes, and `members` (user or group ids, or user UPNs). Members are
 * resolved later, in `resolve-tenant.ts`.
 */
import { isSeq } from 'yaml';
import type { ParsedNode } from 'yaml';
import { describeNode, rootNode } from '../shared/yaml-file.js';
import type { YamlReader } from '../shared/yaml-file.js';
import { GROUP_FIXTURE_KEYS, GROUP_STRING_ATTRIBUTES, isExtensionAttribute } from './fixture-attributes.js';
import { FIXTURE_CODES as C } from './fixture-codes.js';
import { checkExtensionKey } from './check-extension-key.js';
import { isGuid } from './guid.js';
import { readAttributeValue } from './read-attribute-value.js';
import type { SourceValue } from '../model/directory.js';

export interface GroupDraft {
  node: ParsedNode;
  id: string | null;
  idNode: ParsedNode | null;
  displayName: string | null;
  members: { ref: string; node: ParsedNode }[];
  attributes: Record<string, SourceValue>;
}

const STRING_ATTRIBUTES: readonly string[] = GROUP_STRING_ATTRIBUTES;

export function readGroups(reader: YamlReader): GroupDraft[] | null {
  const root = rootNode(reader.yaml);
  // An empty groups file is a tenant without groups.
  if (root === null) return [];
  if (!isSeq(root)) {
    reader.error(
      C.FIXTURE_WRONG_SHAPE,
      `the groups file must be a list of groups, found ${describeNode(root)}`,
      root,
      'write the groups as a list: `- id: …`',
    );
    return null;
  }
  const groups: GroupDraft[] = [];
  (reader.list(root, 'the groups file') ?? []).forEach((item, i) => {
    const what = `groups[${i}]`;
    if (item === null) return;
    const map = reader.map(item, what, 'each group is a map: `- id: …`');
    if (map === null) return;
    const entries = reader.entries(map, what, GROUP_FIXTURE_KEYS, (key, keyNode) => checkExtensionKey(reader, key, keyNode, what));
    const draft: GroupDraft = { node: map, id: null, idNode: null, displayName: null, members: [], attributes: {} };

    const idNode = reader.required(entries, 'id', map, what, 'give each group an object id (a GUID)');
    if (idNode !== null) {
      const id = reader.string(idNode, `${what}.id`);
      if (id !== null) {
        draft.id = id;
        draft.idNode = idNode;
        if (!isGuid(id))
          reader.error(
            C.FIXTURE_INVALID_ID,
            `${what}.id ${JSON.stringify(id)} is not a GUID`,
            idNode,
            'object ids look like 6f1c0f1e-2b9a-4c55-8a3e-0d6a1b2c3d4e',
          );
      }
    }

    const nameNode = reader.required(entries, 'displayName', map, what, 'give each group a displayName');
    if (nameNode !== null) draft.displayName = reader.text(nameNode, `${what}.displayName`);

    const membersNode = entries.get('members')?.value ?? null;
    if (membersNode !== null) {
      const items = reader.list(membersNode, `${what}.members`, 'members is a list of user or group ids, or user UPNs');
      items?.forEach((m, j) => {
        if (m === null) return;
        const ref = reader.string(m, `${what}.members[${j}]`, 'a member is a user or group id, or a user UPN');
        if (ref !== null) draft.members.push({ ref, node: m });
      });
    }

    for (const [key, { value }] of entries) {
      if (value === null) continue;
      const shape = STRING_ATTRIBUTES.includes(key) ? 'single' : isExtensionAttribute(key) ? 'either' : null;
      if (shape === null) continue;
      const v = readAttributeValue(reader, value, `${what}.${key}`, shape);
      if (v !== undefined) draft.attributes[key] = v;
    }
    groups.push(draft);
  });
  return groups;
}
