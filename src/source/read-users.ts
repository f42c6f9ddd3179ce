/**
 * The users file: a list of user objects keyed by Graph attribute names. This pass checks each entry on its
 * own (keys, types, required fields, id and UPN format); cross-entry checks (duplicates, manager references)
 * happen in `resolve-tenant.ts` once every file has been read.
 */
import { UPN_FORMAT } from './upn.js';
import { isSeq } from 'yaml';
import type { ParsedNode } from 'yaml';
import { describeNode, rootNode } from '../shared/yaml-file.js';
import type { YamlReader } from '../shared/yaml-file.js';
import {
  USER_FIXTURE_KEYS,
  USER_MULTI_VALUED_ATTRIBUTES,
  USER_STRING_ATTRIBUTES,
  USER_TYPES,
  isExtensionAttribute,
} from './fixture-attributes.js';
import { FIXTURE_CODES as C } from './fixture-codes.js';
import { isGuid } from './guid.js';
import { checkExtensionKey } from './check-extension-key.js';
import { readAttributeValue } from './read-attribute-value.js';
import type { SourceValue } from '../model/directory.js';

/** A user entry as read, before references are resolved. Fields are null when absent or reported as invalid. */
export interface UserDraft {
  node: ParsedNode;
  /** The id as written (validity already reported); used as a lookup key even when malformed, to avoid cascades. */
  id: string | null;
  idNode: ParsedNode | null;
  userPrincipalName: string | null;
  upnNode: ParsedNode | null;
  accountEnabled: boolean;
  softDeleted: boolean;
  manager: { ref: string; node: ParsedNode } | null;
  attributes: Record<string, SourceValue>;
}

const STRING_ATTRIBUTES: readonly string[] = USER_STRING_ATTRIBUTES;
const MULTI_VALUED: readonly string[] = USER_MULTI_VALUED_ATTRIBUTES;

/** Null when the file's top level is not a list (reported). */
export function readUsers(reader: YamlReader): UserDraft[] | null {
  const root = rootNode(reader.yaml);
  if (root === null) {
    reader.error(C.FIXTURE_WRONG_SHAPE, 'the users file is empty', { line: 1, column: 1 }, 'list the users: `- id: <GUID>` …');
    return null;
  }
  if (!isSeq(root)) {
    reader.error(
      C.FIXTURE_WRONG_SHAPE,
      `the users file must be a list of users, found ${describeNode(root)}`,
      root,
      'write the users as a list: `- id: …`',
    );
    return null;
  }
  const items = reader.list(root, 'the users file') ?? [];
  const users: UserDraft[] = [];
  items.forEach((item, i) => {
    const what = `users[${i}]`;
    if (item === null) return;
    const map = reader.map(item, what, 'each user is a map of attributes: `- id: …`');
    if (map === null) return;
    const entries = reader.entries(map, what, USER_FIXTURE_KEYS, (key, keyNode) => checkExtensionKey(reader, key, keyNode, what));
    const draft: UserDraft = {
      node: map,
      id: null,
      idNode: null,
      userPrincipalName: null,
      upnNode: null,
      accountEnabled: true,
      softDeleted: false,
      manager: null,
      attributes: {},
    };

    const idNode = reader.required(entries, 'id', map, what, 'give each user an object id (a GUID)');
    if (idNode !== null) {
      const id = reader.string(idNode, `${what}.id`, 'an object id is a GUID such as 6f1c0f1e-2b9a-4c55-8a3e-0d6a1b2c3d4e');
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

    const upnNode = reader.required(entries, 'userPrincipalName', map, what, 'give each user a userPrincipalName (alias@domain)');
    if (upnNode !== null) {
      const upn = reader.string(upnNode, `${what}.userPrincipalName`);
      if (upn !== null) {
        draft.userPrincipalName = upn;
        draft.upnNode = upnNode;
        if (!UPN_FORMAT.test(upn)) {
          reader.error(
            C.FIXTURE_INVALID_VALUE,
            `${what}.userPrincipalName ${JSON.stringify(upn)} is not of the form alias@domain`,
            upnNode,
            'a UPN has exactly one @ and no spaces or control characters',
          );
        }
      }
    }

    for (const flag of ['accountEnabled', 'softDeleted'] as const) {
      const node = entries.get(flag)?.value ?? null;
      if (node === null) continue;
      const b = reader.boolean(node, `${what}.${flag}`);
      if (b !== null) draft[flag] = b;
    }

    const managerNode = entries.get('manager')?.value ?? null;
    if (managerNode !== null) {
      const ref = reader.string(managerNode, `${what}.manager`, "the manager is another user's id or userPrincipalName");
      if (ref !== null) draft.manager = { ref, node: managerNode };
    }

    for (const [key, { value }] of entries) {
      if (value === null) continue;
      const shape = STRING_ATTRIBUTES.includes(key)
        ? 'single'
        : MULTI_VALUED.includes(key)
          ? 'multi'
          : isExtensionAttribute(key)
            ? 'either'
            : null;
      if (shape === null) continue;
      const v = readAttributeValue(reader, value, `${what}.${key}`, shape);
      if (v === undefined) continue;
      if (key === 'userType' && !(USER_TYPES as readonly string[]).includes(v as string)) {
        reader.error(
          C.FIXTURE_INVALID_VALUE,
          `${what}.userType must be Member or Guest, found ${JSON.stringify(v)}`,
          value,
          'Entra user types are `Member` and `Guest`',
        );
        continue;
      }
      draft.attributes[key] = v;
    }
    users.push(draft);
  });
  return users;
}
