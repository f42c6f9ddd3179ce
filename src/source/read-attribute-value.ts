/**
 * Fixture attribute values → Entra's source values: a scalar becomes a string (see `scalarText`), a list of
 * scalars a string list. Reports the offending node when the shape does not fit the attribute.
 */
import { scalarText } from '../shared/yaml-file.js';
import type { YamlReader } from '../shared/yaml-file.js';
import type { ParsedNode } from 'yaml';
import { isSeq } from 'yaml';
import type { SourceValue } from '../model/directory.js';

export type ValueShape = 'single' | 'multi' | 'either';

/** Reads an attribute value of the given shape; undefined when it was reported as wrong. */
export function readAttributeValue(reader: YamlReader, node: ParsedNode, what: string, shape: ValueShape): SourceValue | undefined {
  if (isSeq(node)) {
    if (shape === 'single') {
      reader.wrongType(node, what, 'a single value', 'this attribute is single-valued; give one string');
      return undefined;
    }
    return readStringList(reader, node, what);
  }
  if (shape === 'multi') {
    reader.wrongType(node, what, 'a list of strings', `write \`${lastSegment(what)}: [${describeScalarForHint(node)}]\``);
    return undefined;
  }
  const text = reader.text(node, what);
  return text === null ? undefined : text;
}

function readStringList(reader: YamlReader, node: ParsedNode, what: string): string[] | undefined {
  const items = reader.list(node, what);
  if (items === null) return undefined;
  const out: string[] = [];
  let ok = true;
  items.forEach((item, i) => {
    const itemWhat = `${what}[${i}]`;
    if (item === null) {
      reader.wrongType(node, itemWhat, 'a string', 'remove the empty list item');
      ok = false;
      return;
    }
    const text = reader.text(item, itemWhat);
    if (text === null) ok = false;
    else out.push(text);
  });
  return ok ? out : undefined;
}

function lastSegment(what: string): string {
  return what.slice(what.lastIndexOf('.') + 1);
}

function describeScalarForHint(node: ParsedNode): string {
  const t = scalarText(node);
  return typeof t === 'string' ? JSON.stringify(t) : '…';
}
