/**
 * `attributes:` of an object mapping: one row per target attribute.
 *
 *   {target, source | expression | constant, match?, apply?, default?, caseExact?}
 *
 * Per row: the target path's syntax, that a core or enterprise target names an attribute those schemas have
 * (scim/schema-attributes.ts), exactly one source kind, known Direct source names. Across rows: no
 * target twice, distinct matching precedences, and (when the object mapping is enabled) at least one
 * matching row. Expressions are kept as text for the expression compiler, with the position of their first
 * character (see AttributeSource).
 */
import { isScalar } from 'yaml';
import type { ParsedNode, Scalar } from 'yaml';
import type { Position } from '../shared/diagnostics.js';
import { contentPosition, positionInScalar } from '../shared/yaml-file.js';
import type { YamlReader } from '../shared/yaml-file.js';
import { MAPPING_CODES as C } from './mapping-codes.js';
import { reportUnknownSource } from './read-scoping.js';
import { REFERENCE_SOURCE_ATTRIBUTES, isSourceAttribute } from './source-attributes.js';
import type { SourceObjectKind } from './source-attributes.js';
import { isIdTarget, isReferenceTarget, parseAttributePath, targetKey } from '../scim/attribute-path.js';
import type { AttributePath } from '../scim/attribute-path.js';
import { checkTargetAttribute } from '../scim/schema-attributes.js';
import type { AttributeMapping, AttributeSource } from '../model/job.js';
import { parseExpression, regexWarnings } from '../expression/index.js';

const ROW_KEYS = ['target', 'source', 'expression', 'constant', 'match', 'apply', 'default', 'caseExact'] as const;
const SOURCE_KINDS = ['source', 'expression', 'constant'] as const;
const APPLY_VALUES = ['always', 'on-create'] as const;

interface RowReading {
  mapping: AttributeMapping | null;
  target: { key: string; node: ParsedNode } | null;
  match: { value: number; node: ParsedNode } | null;
}

/**
 * @param keyNode the `attributes` key (or the object mapping when the key is absent): where a missing
 *   matching attribute is reported.
 */
export function readAttributeMappings(
  reader: YamlReader,
  node: ParsedNode | null,
  what: string,
  kind: SourceObjectKind,
  requireMatch: boolean,
  keyNode: ParsedNode,
  /** The object mapping's `appAttributes`: core-schema targets that are the app's own, not checked. */
  appAttributes: readonly string[] = [],
): AttributeMapping[] {
  const declared = new Set(appAttributes.map((a) => a.toLowerCase()));
  const items = node === null ? [] : (reader.list(node, what, 'attributes is a list of rows: `- {target: …, source: …}`') ?? []);
  const rows = items.flatMap((item, i) => (item === null ? [] : [readRow(reader, item, `${what}[${i}]`, kind, declared)]));

  const targets = new Map<string, ParsedNode>();
  const precedences = new Map<number, ParsedNode>();
  for (const row of rows) {
    if (row.target) {
      const first = targets.get(row.target.key);
      if (first) {
        reader.error(
          C.MAPPING_DUPLICATE_TARGET,
          `target ${describeTarget(row.target.node)} is already mapped`,
          row.target.node,
          `first mapped at ${reader.locate(first)}; keep one row per target`,
        );
      } else targets.set(row.target.key, row.target.node);
    }
    if (row.match) {
      const first = precedences.get(row.match.value);
      if (first) {
        reader.error(
          C.MAPPING_DUPLICATE_MATCH_PRECEDENCE,
          `matching precedence ${row.match.value} is already used`,
          row.match.node,
          `first used at ${reader.locate(first)}; give each matching attribute its own precedence (1 is tried first)`,
        );
      } else precedences.set(row.match.value, row.match.node);
    }
  }
  const anyMatch = rows.some((r) => r.match !== null);
  if (requireMatch && !anyMatch) {
    reader.error(
      C.MAPPING_NO_MATCHING_ATTRIBUTE,
      `${what} has no matching attribute`,
      keyNode,
      'add `match: 1` to the row Entra should use to find existing objects (usually userName or displayName)',
    );
  }
  return rows.flatMap((r) => (r.mapping ? [r.mapping] : []));
}

function readRow(reader: YamlReader, node: ParsedNode, what: string, kind: SourceObjectKind, declared: ReadonlySet<string>): RowReading {
  const result: RowReading = { mapping: null, target: null, match: null };
  const map = reader.map(node, what, 'a row is `{target: …, source: …}`');
  if (map === null) return result;
  const e = reader.entries(map, what, ROW_KEYS);
  let ok = true;

  let target: AttributePath | null = null;
  let targetText: string | null = null;
  const targetNode = reader.required(e, 'target', map, what, 'name the app attribute this row writes, e.g. `userName`');
  if (targetNode !== null) {
    targetText = reader.string(targetNode, `${what}.target`);
    if (targetText !== null) {
      const parsed = parseAttributePath(targetText);
      if (!parsed.ok) {
        reader.error(
          C.MAPPING_INVALID_TARGET,
          `${what}.target ${JSON.stringify(targetText)}: ${parsed.message}`,
          positionInScalar(reader.yaml, targetNode as Scalar, parsed.index),
          'targets look like `userName`, `name.givenName`, `emails[type eq "work"].value` or `urn:…:User:department`',
        );
      } else if (isIdTarget(parsed.path)) {
        reader.error(
          C.MAPPING_ID_TARGET,
          `${what} maps the target \`id\`, which Entra forbids`,
          targetNode,
          "the app assigns `id`; map Entra's object id to `externalId` instead",
        );
      } else {
        const appOwn = parsed.path.schema === null && declared.has(parsed.path.attribute.toLowerCase());
        const unknown = appOwn ? null : checkTargetAttribute(kind === 'user' ? 'User' : 'Group', parsed.path);
        if (unknown) {
          // A typo here passes every other check, and the server drops the value without a word.
          reader.error(
            C.MAPPING_UNKNOWN_TARGET,
            `${what}.target ${JSON.stringify(targetText)}: ${unknown.message}${unknown.suggestion ? `; did you mean "${unknown.suggestion}"?` : ''}`,
            positionInScalar(reader.yaml, targetNode as Scalar, unknown.index),
            "core and enterprise targets are checked against RFC 7643; name an attribute of the app's own under its extension URN (`urn:ietf:params:scim:schemas:extension:<app>:2.0:User:<attribute>`) or list it in `appAttributes`",
          );
        } else {
          target = parsed.path;
          result.target = { key: targetKey(parsed.path), node: targetNode };
        }
      }
    }
  }
  if (target === null) ok = false;

  const given = SOURCE_KINDS.filter((k) => (e.get(k)?.value ?? null) !== null);
  let source: AttributeSource | null = null;
  if (given.length === 0) {
    reader.error(
      C.MAPPING_SOURCE_KIND,
      `${what} has no source`,
      map,
      'give exactly one of `source:` (an Entra attribute), `expression:` or `constant:`',
    );
    ok = false;
  } else if (given.length > 1) {
    const second = e.get(given[1]!)!;
    reader.error(
      C.MAPPING_SOURCE_KIND,
      `${what} has both \`${given[0]}\` and \`${given[1]}\``,
      second.keyNode,
      'a row takes exactly one of `source`, `expression`, `constant`',
    );
    ok = false;
  } else {
    source = readSource(reader, given[0]!, e.get(given[0]!)!.value!, what, kind);
    if (source === null) ok = false;
  }

  let match: number | null = null;
  const matchNode = e.get('match')?.value ?? null;
  if (matchNode !== null) {
    match = reader.integer(matchNode, `${what}.match`, 1, C.MAPPING_INVALID_VALUE);
    if (match === null) ok = false;
    else {
      result.match = { value: match, node: matchNode };
      const reference =
        target !== null && isReferenceTarget(target)
          ? targetText
          : source?.kind === 'direct' && REFERENCE_SOURCE_ATTRIBUTES.includes(source.attribute)
            ? source.attribute
            : null;
      if (reference !== null) {
        reader.error(
          C.MAPPING_MATCH_ON_REFERENCE,
          `${what} matches on ${reference}, a reference attribute`,
          matchNode,
          'match on an attribute with a unique plain value, such as userName, externalId or displayName',
        );
        ok = false;
      }
    }
  }

  let apply: AttributeMapping['apply'] = 'always';
  const applyNode = e.get('apply')?.value ?? null;
  if (applyNode !== null) {
    const a = reader.oneOf(applyNode, `${what}.apply`, APPLY_VALUES, C.MAPPING_INVALID_VALUE);
    if (a === null) ok = false;
    else apply = a;
  }

  let defaultValue: string | null = null;
  const defaultNode = e.get('default')?.value ?? null;
  if (defaultNode !== null) {
    defaultValue = reader.text(defaultNode, `${what}.default`);
    if (defaultValue === null) ok = false;
  }

  let caseExact = false;
  const caseNode = e.get('caseExact')?.value ?? null;
  if (caseNode !== null) {
    const b = reader.boolean(caseNode, `${what}.caseExact`);
    if (b === null) ok = false;
    else caseExact = b;
  }

  if (ok && targetText !== null && source !== null) {
    result.mapping = { target: targetText, source, match, apply, default: defaultValue, caseExact, position: reader.position(map) };
  }
  return result;
}

function readSource(
  reader: YamlReader,
  kindKey: (typeof SOURCE_KINDS)[number],
  node: ParsedNode,
  what: string,
  kind: SourceObjectKind,
): AttributeSource | null {
  const position = (n: ParsedNode): Position => (isScalar(n) ? contentPosition(reader.yaml, n) : reader.position(n));
  switch (kindKey) {
    case 'source': {
      const attribute = reader.string(
        node,
        `${what}.source`,
        'a Direct row names one Entra attribute; use `expression:` for anything else',
      );
      if (attribute === null) return null;
      if (!isSourceAttribute(kind, attribute)) {
        reportUnknownSource(reader, attribute, node, `${what}.source`, kind);
        return null;
      }
      return { kind: 'direct', attribute, position: position(node) };
    }
    case 'expression': {
      const text = reader.string(
        node,
        `${what}.expression`,
        'write the expression as a string, e.g. \'Join(" ", [givenName], [surname])\'',
      );
      if (text === null) return null;
      if (text.trim() === '') {
        reader.error(C.MAPPING_INVALID_VALUE, `${what}.expression is empty`, node, 'write an expression, or remove the row');
        return null;
      }
      warnAboutRegexes(reader, text, node);
      return { kind: 'expression', text, position: position(node) };
    }
    case 'constant': {
      const value = reader.text(node, `${what}.constant`);
      return value === null ? null : { kind: 'constant', value, position: position(node) };
    }
  }
}

/**
 * Warnings, at the pattern's own line and column, for each Replace regexPattern that .NET's backtracking can take
 * exponential time on (expression/regex-warnings.ts). The expression is parsed here only for them; an expression
 * with errors gets none (mapping/compile reports its errors).
 */
function warnAboutRegexes(reader: YamlReader, text: string, node: ParsedNode): void {
  if (!text.includes('Replace')) return;
  const { expression } = parseExpression(text);
  if (!expression) return;
  for (const w of regexWarnings(expression)) {
    const at = isScalar(node) ? positionInScalar(reader.yaml, node, w.offset) : node;
    reader.warn(w.code, w.message, at, w.hint);
  }
}

function describeTarget(node: ParsedNode): string {
  return isScalar(node) ? JSON.stringify(node.value) : 'this';
}
