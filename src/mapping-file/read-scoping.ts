/**
 * `scoping:` of an object mapping: a list of filter groups (ORed), each a non-empty list of clauses (ANDed)
 * `{attribute, operator, value}`. Operators are spelled exactly as in SCOPING_OPERATORS; `&` and `!&` must be
 * quoted in YAML (a bare `&` starts an anchor, a bare `!` a tag).
 */
import { isMap } from 'yaml';
import type { ParsedNode } from 'yaml';
import { didYouMean } from '../shared/diagnostics.js';
import type { YamlReader } from '../shared/yaml-file.js';
import { MAPPING_CODES as C } from './mapping-codes.js';
import {
  SCOPING_WARNINGS,
  SOURCE_ATTRIBUTE_ALIASES,
  UNSCOPABLE_SOURCE_ATTRIBUTES,
  isSourceAttribute,
  sourceAttributesOf,
} from './source-attributes.js';
import type { SourceObjectKind } from './source-attributes.js';
import { SCOPING_OPERATORS, UNARY_SCOPING_OPERATORS } from '../model/job.js';
import { EXPR_CODES, REGEX_WARNING_HINT, regexPatternWarning } from '../expression/index.js';
import type { ScopingClause, ScopingGroup, ScopingOperator } from '../model/job.js';

const INTEGER_OPERATORS: readonly ScopingOperator[] = ['Greater_Than', 'Greater_Than_OR_EQUALS'];

export function readScoping(reader: YamlReader, node: ParsedNode, what: string, kind: SourceObjectKind): ScopingGroup[] {
  const groups: ScopingGroup[] = [];
  const items = reader.list(node, what, 'scoping is a list of filter groups, each a list of clauses: `[[{attribute, operator, value}]]`');
  items?.forEach((item, i) => {
    const groupWhat = `${what}[${i}]`;
    if (item === null) return;
    if (isMap(item)) {
      reader.wrongType(
        item,
        groupWhat,
        'a list of clauses',
        'each filter group is a list of clauses: wrap this clause in `[ … ]` (or a `- ` item)',
      );
      return;
    }
    const clauses = reader.list(item, groupWhat);
    if (clauses === null) return;
    if (clauses.length === 0) {
      reader.error(
        C.MAPPING_INVALID_VALUE,
        `${groupWhat} is an empty filter group`,
        item,
        'give the group at least one clause, or remove it',
      );
      return;
    }
    const group: ScopingClause[] = [];
    clauses.forEach((c, j) => {
      const clause = c === null ? null : readClause(reader, c, `${groupWhat}[${j}]`, kind);
      if (clause) group.push(clause);
    });
    groups.push(group);
  });
  return groups;
}

function readClause(reader: YamlReader, node: ParsedNode, what: string, kind: SourceObjectKind): ScopingClause | null {
  const map = reader.map(node, what, 'a clause is `{attribute: …, operator: …, value: …}`');
  if (map === null) return null;
  const e = reader.entries(map, what, ['attribute', 'operator', 'value']);
  const attributeNode = reader.required(e, 'attribute', map, what, 'name the source attribute to test, e.g. `department`');
  const operatorNode = reader.required(e, 'operator', map, what, `one of: ${SCOPING_OPERATORS.join(', ')}`);
  const valueNode = e.get('value')?.value ?? null;

  let ok = true;
  let attribute: string | null = null;
  if (attributeNode !== null) {
    attribute = reader.string(attributeNode, `${what}.attribute`);
    if (attribute !== null && !checkScopingAttribute(reader, attribute, attributeNode, what, kind)) ok = false;
  }

  let operator: ScopingOperator | null = null;
  if (operatorNode !== null) {
    const text = reader.string(operatorNode, `${what}.operator`, '`&` and `!&` must be quoted');
    if (text !== null) {
      if ((SCOPING_OPERATORS as readonly string[]).includes(text)) operator = text as ScopingOperator;
      else {
        const suggestion = didYouMean(text, SCOPING_OPERATORS);
        reader.error(
          C.MAPPING_UNKNOWN_OPERATOR,
          `${what}.operator ${JSON.stringify(text)} is not a scoping operator`,
          operatorNode,
          suggestion ? `did you mean \`${suggestion}\`?` : `operators: ${SCOPING_OPERATORS.join(', ')}`,
        );
      }
    }
  }

  let value: string | undefined;
  if (operator !== null) {
    const unary = UNARY_SCOPING_OPERATORS.includes(operator);
    if (unary && valueNode !== null) {
      reader.error(C.MAPPING_UNEXPECTED_SCOPING_VALUE, `${operator} takes no value`, valueNode, 'remove `value`');
      ok = false;
    } else if (!unary && valueNode === null) {
      reader.error(
        C.MAPPING_MISSING_SCOPING_VALUE,
        `${what} uses ${operator}, which needs a \`value\``,
        map,
        `add \`value: …\` to compare ${attribute ?? 'the attribute'} with`,
      );
      ok = false;
    } else if (valueNode !== null) {
      const text = reader.text(valueNode, `${what}.value`);
      if (text === null) ok = false;
      else if (INTEGER_OPERATORS.includes(operator) && !/^-?\d+$/.test(text)) {
        reader.error(
          C.MAPPING_INVALID_VALUE,
          `${operator} compares whole numbers, found ${JSON.stringify(text)}`,
          valueNode,
          'give an integer value',
        );
        ok = false;
      } else {
        value = text;
        const caution = operator === 'REGEX MATCH' || operator === 'NOT REGEX MATCH' ? regexPatternWarning(text) : null;
        if (caution !== null) reader.warn(EXPR_CODES.REGEX_CATASTROPHIC, `${what}.value: ${caution}`, valueNode, REGEX_WARNING_HINT);
      }
    }
  }

  if (!ok || attribute === null || operator === null) return null;
  return { attribute, operator, ...(value === undefined ? {} : { value }), position: reader.position(map) };
}

function checkScopingAttribute(reader: YamlReader, attribute: string, node: ParsedNode, what: string, kind: SourceObjectKind): boolean {
  if (!isSourceAttribute(kind, attribute)) {
    reportUnknownSource(reader, attribute, node, `${what}.attribute`, kind);
    return false;
  }
  const reason = UNSCOPABLE_SOURCE_ATTRIBUTES[attribute];
  if (reason !== undefined) {
    reader.error(
      C.MAPPING_UNSUPPORTED_SCOPING_ATTRIBUTE,
      `Entra cannot scope on ${attribute}: ${reason}`,
      node,
      'scope on a single-valued attribute such as department, or use assignments',
    );
    return false;
  }
  const caution = SCOPING_WARNINGS[attribute];
  if (caution !== undefined)
    reader.warn(C.MAPPING_UNSUPPORTED_SCOPING_ATTRIBUTE, caution, node, 'check the filter in the portal before relying on it');
  return true;
}

/** Shared with Direct rows: unknown source attribute, with a did-you-mean. */
export function reportUnknownSource(reader: YamlReader, name: string, node: ParsedNode, what: string, kind: SourceObjectKind): void {
  const known = sourceAttributesOf(kind);
  const alias = SOURCE_ATTRIBUTE_ALIASES[name];
  const suggestion = alias !== undefined && known.includes(alias) ? alias : didYouMean(name, known);
  reader.error(
    C.MAPPING_UNKNOWN_SOURCE_ATTRIBUTE,
    `${what} ${JSON.stringify(name)} is not a ${kind} attribute Entra knows`,
    node,
    suggestion ? `did you mean \`${suggestion}\`?` : `known ${kind} attributes: ${known.join(', ')}, or extension_<32 hex appId>_<name>`,
  );
}
