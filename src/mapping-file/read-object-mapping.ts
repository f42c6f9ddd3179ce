/**
 * `users:` / `groups:` of a mapping file: `enabled`, `actions`, `scoping`, `appAttributes`, `attributes`.
 * The user mapping cannot be switched off (as in Entra); a group mapping can, and then needs no matching
 * attribute (its rows, if any, are still checked).
 */
import type { ParsedNode } from 'yaml';
import type { YamlReader } from '../shared/yaml-file.js';
import { MAPPING_CODES as C } from './mapping-codes.js';
import { readAttributeMappings } from './read-attribute-mappings.js';
import { readScoping } from './read-scoping.js';
import type { SourceObjectKind } from './source-attributes.js';
import type { ObjectAction, ObjectMapping } from '../model/job.js';

export const OBJECT_ACTIONS: readonly ObjectAction[] = ['create', 'update', 'delete'];
const KEYS = ['enabled', 'actions', 'scoping', 'appAttributes', 'attributes'] as const;
/** An attribute name, as SCIM writes them (RFC 7643 §2.1). */
const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Null when the section is not a map (reported). */
export function readObjectMapping(reader: YamlReader, node: ParsedNode, what: string, kind: SourceObjectKind): ObjectMapping | null {
  const map = reader.map(node, what, `${what} is a map: \`{actions, scoping, attributes}\``);
  if (map === null) return null;
  const e = reader.entries(map, what, KEYS);

  let enabled = true;
  const enabledNode = e.get('enabled')?.value ?? null;
  if (enabledNode !== null) {
    const b = reader.boolean(enabledNode, `${what}.enabled`);
    if (b === false && kind === 'user') {
      reader.error(
        C.MAPPING_INVALID_VALUE,
        'the user mapping cannot be disabled',
        enabledNode,
        'Entra only lets the group mapping be switched off; remove `enabled`',
      );
    } else if (b !== null) enabled = b;
  }

  const actions: ObjectAction[] = [];
  const actionsNode = e.get('actions')?.value ?? null;
  if (actionsNode === null) actions.push(...OBJECT_ACTIONS);
  else {
    const items = reader.list(actionsNode, `${what}.actions`, 'actions is a list, e.g. `[create, update, delete]`') ?? [];
    items.forEach((item, i) => {
      if (item === null) return;
      const action = reader.oneOf(item, `${what}.actions[${i}]`, OBJECT_ACTIONS, C.MAPPING_INVALID_VALUE);
      if (action === null) return;
      if (actions.includes(action))
        reader.error(C.MAPPING_INVALID_VALUE, `action \`${action}\` is listed twice`, item, 'list each action once');
      else actions.push(action);
    });
  }

  const scopingNode = e.get('scoping')?.value ?? null;
  const scoping = scopingNode === null ? [] : readScoping(reader, scopingNode, `${what}.scoping`, kind);

  const appAttributesNode = e.get('appAttributes')?.value ?? null;
  const appAttributes: string[] = [];
  if (appAttributesNode !== null) {
    const items =
      reader.list(
        appAttributesNode,
        `${what}.appAttributes`,
        'appAttributes is a list of attribute names, e.g. `[badgeNumber, costCode]`',
      ) ?? [];
    items.forEach((item, i) => {
      if (item === null) return;
      const name = reader.string(item, `${what}.appAttributes[${i}]`);
      if (name === null) return;
      if (!ATTRIBUTE_NAME.test(name))
        reader.error(
          C.MAPPING_INVALID_VALUE,
          `${what}.appAttributes[${i}] ${JSON.stringify(name)} is not an attribute name`,
          item,
          'a letter, then letters, digits, `_` or `-`',
        );
      else appAttributes.push(name);
    });
  }

  const attributesEntry = e.get('attributes');
  const attributesNode = attributesEntry?.value ?? null;
  if (attributesNode === null && enabled) {
    reader.error(
      C.MAPPING_MISSING_KEY,
      `${what} has no \`attributes\``,
      attributesEntry?.keyNode ?? map,
      'list the attribute rows: `attributes: [{target: …, source: …, match: 1}, …]`',
    );
  }
  const attributes =
    attributesNode === null
      ? []
      : readAttributeMappings(reader, attributesNode, `${what}.attributes`, kind, enabled, attributesEntry?.keyNode ?? map, appAttributes);

  return {
    enabled,
    actions,
    scoping,
    attributes,
    ...(appAttributesNode !== null ? { appAttributes } : {}),
    position: reader.position(map),
  };
}
