/**
 * What the users and groups pages share: each item of a page read on its own (left out, with a warning,
 * when it cannot be used), an item accepted only as an object of the page's kind (by `@odata.type` when it
 * has one), each property spelled once, and an id that is a GUID.
 */
import { isGuid } from '../guid.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { child } from './graph-report.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { describeKind, describeValue, hasData, isJsonObject, odataTypeOf, propertiesOf, stringOf } from './json-values.js';
import type { Property } from './json-values.js';
import type { GraphPage } from './read-page.js';

/** The page's items read by `read`, in page order, without those it left out (null). */
export function readItems<T>(page: GraphPage, read: (value: unknown, at: ItemAt) => T | null): T[] {
  const out: T[] = [];
  for (const { value, at } of page.items) {
    const item = read(value, at);
    if (item !== null) out.push(item);
  }
  return out;
}

/**
 * The properties of an item that is a `kind` (`user`, `group`) by name in any case, repeated spellings
 * reported; null, reported, for an item that is not an object or is another kind of directory object.
 */
export function itemProperties(value: unknown, at: ItemAt, report: GraphReport, kind: 'user' | 'group'): Map<string, Property> | null {
  if (!isJsonObject(value)) {
    report.warn(
      C.GRAPH_NOT_AN_OBJECT,
      `the item is ${describeValue(value)}, not a ${kind}; it was left out`,
      at,
      `a ${kind}s page lists ${kind} objects`,
    );
    return null;
  }
  const type = odataTypeOf(value);
  if (type !== null && type !== kind) {
    report.warn(
      C.GRAPH_NOT_AN_OBJECT,
      `the item is ${describeKind(type)} (@odata.type), not a ${kind}; it was left out`,
      at,
      `save GET /v1.0/${kind}s pages in ${kind}s*.json; other directory objects do not belong there`,
    );
    return null;
  }
  const { properties, repeated } = propertiesOf(value);
  reportRepeated(repeated, at, report);
  return properties;
}

/** The item's `id` when it is a GUID (as written); null, reported, when it is missing or is not one. */
export function itemId(
  properties: ReadonlyMap<string, Property>,
  at: ItemAt,
  report: GraphReport,
  who: string,
  kind: 'user' | 'group',
  missingHint: string,
): string | null {
  const id = stringOf(properties, 'id');
  if (id === null) {
    report.warn(C.GRAPH_MISSING_KEY, `${who} has no id; the ${kind} was left out`, at, missingHint);
    return null;
  }
  if (!isGuid(id)) {
    report.warn(
      C.GRAPH_INVALID_ID,
      `${who} has the id ${JSON.stringify(id)}, which is not a GUID; the ${kind} was left out`,
      child(at, 'id'),
      'Entra object ids look like 6f1c0f1e-2b9a-4c55-8a3e-0d6a1b2c3d4e',
    );
    return null;
  }
  return id;
}

/** A warning for each repeated spelling of a property that holds data (the first spelling is the one read). */
export function reportRepeated(repeated: readonly Property[], at: ItemAt, report: GraphReport): void {
  for (const p of repeated)
    if (hasData(p.value))
      report.warn(
        C.GRAPH_UNUSABLE_VALUE,
        `\`${p.name}\` repeats a property of the same name in another case; the first spelling was read and this one left out`,
        child(at, p.name),
        'Graph names each property once',
      );
}
