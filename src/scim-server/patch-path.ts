import type SCIMMY from 'scimmy';
import { findAttribute, isSchemaDefinition, extensionsOf } from './resource-schemas.js';

type SchemaDefinition = SCIMMY.Types.SchemaDefinition;
type Attribute = SCIMMY.Types.Attribute;

/** One step of a PATCH path: an attribute name and, for multi-valued attributes, an optional value filter. */
export interface PathSegment {
  /** Canonical attribute name; for the first segment of an extension attribute, `<extension URN>:<name>`. */
  name: string;
  /** The filter text between `[` and `]`, if any. */
  filter?: string;
  /** The attribute this segment resolves to (undefined when the name is unknown to the schema). */
  attribute?: Attribute | SchemaDefinition;
}

// Same splitting rule as SCIMMY's PatchOp (messages.js `pathSeparator`): a dot splits unless it sits inside a
// `[...]` filter or between digits (the `2.0` of a schema URN).
const PATH_SEPARATOR = /(?<![^\w]\d)\.(?!\d[^\w]|[^[]*])/g;
const SEGMENT = /^(.+?)(?:\[(.*)\])?$/s;

/**
 * Split a PATCH path (RFC 7644 §3.5.2 `attrPath [valuePath] [.subAttr]`) into segments with canonical names.
 * Unknown names are kept as written (SCIMMY then answers `invalidPath`). The canonical form matters because
 * SCIMMY's PatchOp resolves the attribute case-insensitively but then walks the object with the name as
 * written, so `USERNAME` or a core-URN-qualified `urn:…:core:2.0:User:userName` fail there.
 */
export function parsePatchPath(definition: SchemaDefinition, path: string): PathSegment[] {
  const parts = path.split(PATH_SEPARATOR).filter((p) => p.length > 0);
  const segments: PathSegment[] = [];
  let resolvedSoFar: string[] = [];
  for (const [index, part] of parts.entries()) {
    const match = SEGMENT.exec(part);
    const rawName = match?.[1] ?? part;
    const filter = match?.[2];
    const lookup = [...resolvedSoFar, rawName].join('.');
    const attribute = findAttribute(definition, lookup);
    let name = rawName;
    if (attribute && !isSchemaDefinition(attribute)) {
      name = attribute.name;
      if (index === 0 && rawName.toLowerCase().startsWith('urn:')) {
        const extension = extensionsOf(definition).find((e) => rawName.toLowerCase().startsWith(`${e.id.toLowerCase()}:`));
        // A core-URN-qualified name (`urn:…:core:2.0:User:userName`) collapses to the plain name.
        if (extension) name = `${extension.id}:${attribute.name}`;
      }
    } else if (attribute && isSchemaDefinition(attribute)) {
      name = attribute.id;
    }
    segments.push({ name, ...(filter !== undefined ? { filter } : {}), ...(attribute ? { attribute } : {}) });
    resolvedSoFar = [...resolvedSoFar, rawName];
  }
  return segments;
}

export function formatPatchPath(segments: readonly PathSegment[]): string {
  return segments.map((s) => (s.filter !== undefined ? `${s.name}[${s.filter}]` : s.name)).join('.');
}

/** The path with value filters removed, for attribute lookup: `emails[type eq "work"].value` → `emails.value`. */
export function attributePathOf(segments: readonly PathSegment[]): string {
  return segments.map((s) => s.name).join('.');
}
