/**
 * Graph v1.0 user properties → the source attribute names Entra's provisioning mappings use (and the fixture
 * format uses). Entra's provisioning engine still names user attributes as Azure AD Graph did
 * (`telephoneNumber`, `mobile`, `facsimileTelephoneNumber`, `physicalDeliveryOfficeName`, `extensionAttribute1`),
 * while Graph v1.0 renamed or nested them (`businessPhones`, `mobilePhone`, `faxNumber`, `officeLocation`,
 * `onPremisesExtensionAttributes.extensionAttribute1`). Each row cites where the pairing is documented
 * (`evidence.ts`); the README's "Graph exports" table lists the same rows (a test compares them).
 *
 * The table drives the reader: rows of shape `string`, `first` and `list` are read by `readAttributes`
 * below; the other shapes are read by `read-graph-users.ts` and appear here so the table is complete.
 */
import { isExtensionAttribute } from '../fixture-attributes.js';
import type { SourceValue } from '../../model/directory.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { child } from './graph-report.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { describeValue, hasData, isJsonObject, propertiesOf } from './json-values.js';
import type { Property } from './json-values.js';
import type { EvidenceKey } from './evidence.js';
import type { UnusedProperties } from './unused-properties.js';

/**
 * How a Graph value becomes an Entra value:
 * - `string`: a string, as is;
 * - `first`: the first string of a list (Entra's attribute is single-valued); more are reported;
 * - `list`: a list of strings;
 * - `boolean`, `id`, `upn`, `reference`, `deleted`, `extension`: read by the user reader (see the note).
 */
export type TranslationShape = 'string' | 'first' | 'list' | 'boolean' | 'id' | 'upn' | 'reference' | 'deleted' | 'extension';

export interface Translation {
  /** The Graph v1.0 property: a name, a nested `a.b`, or `businessPhones[0]`. */
  graph: string;
  /** Entra's source attribute name (what a mapping's `source:` and the fixture format use). */
  entra: string;
  shape: TranslationShape;
  note?: string;
  evidence: readonly EvidenceKey[];
}

const same = (name: string, evidence: readonly EvidenceKey[]): Translation => ({ graph: name, entra: name, shape: 'string', evidence });
const TUTORIAL_AND_SCHEMA: readonly EvidenceKey[] = ['entra-scim-tutorial', 'entra-scim-api-schema'];
const SCHEMA: readonly EvidenceKey[] = ['entra-scim-api-schema'];

const EXTENSION_ATTRIBUTES: Translation[] = Array.from({ length: 15 }, (_, i) => ({
  graph: `onPremisesExtensionAttributes.extensionAttribute${i + 1}`,
  entra: `extensionAttribute${i + 1}`,
  shape: 'string',
  evidence: ['entra-scim-api-schema', 'entra-scim-tutorial', 'cross-tenant-attributes'],
}));

export const USER_TRANSLATIONS: readonly Translation[] = [
  {
    graph: 'id',
    entra: 'objectId',
    shape: 'id',
    note: 'the fixture’s `id`; must be a GUID',
    evidence: ['entra-scim-tutorial'],
  },
  {
    graph: 'userPrincipalName',
    entra: 'userPrincipalName',
    shape: 'upn',
    note: 'a guest’s `#EXT#` form is kept; mappings see it without `#EXT#`, and as is in `originalUserPrincipalName`',
    evidence: TUTORIAL_AND_SCHEMA,
  },
  {
    graph: 'accountEnabled',
    entra: 'accountEnabled',
    shape: 'boolean',
    note: 'true/false; mappings see "True"/"False". Absent: enabled (a warning when no user has it)',
    evidence: SCHEMA,
  },
  {
    graph: 'deletedDateTime',
    entra: 'IsSoftDeleted',
    shape: 'deleted',
    note: 'set (an export of deleted items): soft-deleted. `/users` never lists soft-deleted users',
    evidence: ['graph-user'],
  },
  {
    graph: 'manager.id',
    entra: 'manager',
    shape: 'reference',
    note: 'from `$expand=manager($select=id)`; must be a user of the export',
    evidence: ['entra-scim-tutorial'],
  },
  same('displayName', TUTORIAL_AND_SCHEMA),
  same('givenName', TUTORIAL_AND_SCHEMA),
  same('surname', TUTORIAL_AND_SCHEMA),
  same('mail', TUTORIAL_AND_SCHEMA),
  same('mailNickname', TUTORIAL_AND_SCHEMA),
  same('jobTitle', TUTORIAL_AND_SCHEMA),
  same('department', TUTORIAL_AND_SCHEMA),
  same('employeeId', TUTORIAL_AND_SCHEMA),
  same('streetAddress', TUTORIAL_AND_SCHEMA),
  same('city', SCHEMA),
  same('state', SCHEMA),
  same('postalCode', TUTORIAL_AND_SCHEMA),
  same('country', SCHEMA),
  same('preferredLanguage', SCHEMA),
  same('companyName', SCHEMA),
  same('employeeType', SCHEMA),
  { ...same('userType', SCHEMA), note: '`Member` or `Guest`' },
  {
    graph: 'businessPhones[0]',
    entra: 'telephoneNumber',
    shape: 'first',
    note: 'Graph allows one business phone; further ones are reported and left out',
    evidence: ['aad-graph-differences', 'entra-scim-tutorial'],
  },
  { graph: 'mobilePhone', entra: 'mobile', shape: 'string', evidence: ['aad-graph-differences', 'entra-scim-tutorial'] },
  {
    graph: 'faxNumber',
    entra: 'facsimileTelephoneNumber',
    shape: 'string',
    evidence: ['aad-graph-differences', 'entra-scim-tutorial'],
  },
  {
    graph: 'officeLocation',
    entra: 'physicalDeliveryOfficeName',
    shape: 'string',
    note: "Azure AD Graph's name; the migration page's list of renamed properties omits this pair",
    evidence: ['entra-scim-tutorial', 'graph-user'],
  },
  { graph: 'otherMails', entra: 'otherMails', shape: 'list', evidence: SCHEMA },
  { graph: 'proxyAddresses', entra: 'proxyAddresses', shape: 'list', evidence: TUTORIAL_AND_SCHEMA },
  {
    graph: 'employeeHireDate',
    entra: 'employeeHireDate',
    shape: 'string',
    note: 'kept as Graph writes it (ISO 8601)',
    evidence: ['cross-tenant-attributes', 'entra-scim-api-schema'],
  },
  {
    graph: 'employeeLeaveDateTime',
    entra: 'employeeLeaveDateTime',
    shape: 'string',
    note: 'kept as Graph writes it (ISO 8601)',
    evidence: ['cross-tenant-attributes', 'entra-scim-api-schema'],
  },
  {
    graph: 'employeeOrgData.costCenter',
    entra: 'employeeOrgData.costCenter',
    shape: 'string',
    evidence: ['cross-tenant-attributes', 'entra-scim-api-schema'],
  },
  {
    graph: 'employeeOrgData.division',
    entra: 'employeeOrgData.division',
    shape: 'string',
    evidence: ['cross-tenant-attributes', 'entra-scim-api-schema'],
  },
  ...EXTENSION_ATTRIBUTES,
  {
    graph: 'extension_<appId>_<name>',
    entra: 'extension_<appId>_<name>',
    shape: 'extension',
    note: 'as named (case-sensitive); numbers become text, booleans "True"/"False", lists stay lists',
    evidence: ['customize-attributes'],
  },
];

/** The top-level Graph property a row reads (`employeeOrgData.costCenter` → `employeeOrgData`). */
function topLevel(graph: string): string {
  return /^[^.[]+/.exec(graph)![0];
}

/** The rows `readAttributes` reads (shapes `string`, `first`, `list`), by the top-level Graph property (lower case). */
export function attributeRows(translations: readonly Translation[]): ReadonlyMap<string, readonly Translation[]> {
  const rows = new Map<string, Translation[]>();
  for (const row of translations) {
    if (row.shape !== 'string' && row.shape !== 'first' && row.shape !== 'list') continue;
    const key = topLevel(row.graph).toLowerCase();
    rows.set(key, [...(rows.get(key) ?? []), row]);
  }
  return rows;
}

const ATTRIBUTE_ROWS = attributeRows(USER_TRANSLATIONS);

/** Lower-cased top-level Graph user properties the user reader handles itself. */
export const SPECIAL_USER_PROPERTIES: ReadonlySet<string> = new Set(
  USER_TRANSLATIONS.filter((r) => !ATTRIBUTE_ROWS.has(topLevel(r.graph).toLowerCase()) && r.shape !== 'extension').map((r) =>
    topLevel(r.graph).toLowerCase(),
  ),
);

/**
 * The Entra attributes of one Graph object: every row of `rows` (by default the user rows), then directory
 * extensions. Properties that fit no row and carry data are recorded in `unused`; values of the wrong type are
 * reported and left out. `skip` names (lower case) are read by the caller.
 */
export function readAttributes(
  properties: ReadonlyMap<string, Property>,
  at: ItemAt,
  report: GraphReport,
  unused: UnusedProperties,
  skip: ReadonlySet<string>,
  rows: ReadonlyMap<string, readonly Translation[]> = ATTRIBUTE_ROWS,
): Record<string, SourceValue> {
  const attributes: Record<string, SourceValue> = {};
  for (const [key, { name, value }] of properties) {
    if (skip.has(key)) continue;
    const here = rows.get(key);
    if (here !== undefined) {
      readRows(here, name, value, child(at, name), report, unused, attributes);
      continue;
    }
    if (key.startsWith('extension_')) {
      readExtension(name, value, child(at, name), report, attributes);
      continue;
    }
    if (hasData(value)) unused.add(name, at);
  }
  return attributes;
}

/** The rows of one top-level property: the property itself, or its nested properties (`employeeOrgData.division`). */
function readRows(
  rows: readonly Translation[],
  name: string,
  value: unknown,
  at: ItemAt,
  report: GraphReport,
  unused: UnusedProperties,
  out: Record<string, SourceValue>,
): void {
  const direct = rows.find((r) => topLevel(r.graph) === r.graph.replace(/\[0\]$/, ''));
  if (direct !== undefined) {
    const v = readShaped(direct, name, value, at, report);
    if (v !== undefined) out[direct.entra] = v;
    return;
  }
  if (!hasData(value)) return;
  if (!isJsonObject(value)) {
    report.warn(
      C.GRAPH_UNUSABLE_VALUE,
      `\`${name}\` is ${describeValue(value)}, not an object; ${rows.map((r) => r.entra).join(', ')} were left out`,
      at,
      typeof value === 'string' && /^Microsoft\.Graph\./.test(value)
        ? 'ConvertTo-Json wrote the object’s type name instead of the object: its default depth is 2; pass -Depth 10'
        : `Graph returns ${name} as an object, such as {"${rows[0]!.graph.split('.')[1]}": "…"}`,
    );
    return;
  }
  const nested = propertiesOf(value).properties;
  const byName = new Map(rows.map((r) => [r.graph.split('.')[1]!.toLowerCase(), r]));
  for (const [key, p] of nested) {
    const row = byName.get(key);
    if (row === undefined) {
      if (hasData(p.value)) unused.add(`${name}.${p.name}`, at);
      continue;
    }
    const v = readShaped(row, `${name}.${p.name}`, p.value, child(at, p.name), report);
    if (v !== undefined) out[row.entra] = v;
  }
}

function readShaped(row: Translation, name: string, value: unknown, at: ItemAt, report: GraphReport): SourceValue | undefined {
  if (!hasData(value)) return undefined;
  const leftOut = `; ${row.entra} was left out`;
  if (row.shape === 'string') {
    if (typeof value === 'string') return value;
    report.warn(
      C.GRAPH_UNUSABLE_VALUE,
      `\`${name}\` is ${describeValue(value)}, not a string${leftOut}`,
      at,
      `Graph returns ${name} as a string`,
    );
    return undefined;
  }
  // A lone string where Graph has a list: a hand-made file, or a tool that unwrapped a one-item list.
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : null;
  if (list === null) {
    report.warn(
      C.GRAPH_UNUSABLE_VALUE,
      `\`${name}\` is ${describeValue(value)}, not a list of strings${leftOut}`,
      at,
      `Graph returns ${name} as a list of strings`,
    );
    return undefined;
  }
  const strings: string[] = [];
  list.forEach((item, i) => {
    if (typeof item === 'string') strings.push(item);
    else
      report.warn(
        C.GRAPH_UNUSABLE_VALUE,
        `\`${name}[${i}]\` is ${describeValue(item)}, not a string; that entry was left out of ${row.entra}`,
        at,
        `Graph returns ${name} as a list of strings`,
      );
  });
  if (row.shape === 'list') return strings.length > 0 ? strings : undefined;
  const [first, ...rest] = strings;
  if (rest.length > 0)
    report.warn(
      C.GRAPH_EXTRA_VALUES,
      `\`${name}\` has ${strings.length} values; Entra's ${row.entra} holds one, the first (${JSON.stringify(first)}), so ${rest.map((r) => JSON.stringify(r)).join(', ')} ${rest.length === 1 ? 'was' : 'were'} left out`,
      at,
      `${row.entra} is single-valued in Entra's source schema`,
    );
  return first;
}

/** `extension_<appId>_<name>`: kept as named; other `extension_…` names are reported. */
function readExtension(name: string, value: unknown, at: ItemAt, report: GraphReport, out: Record<string, SourceValue>): void {
  if (!hasData(value)) return;
  if (!isExtensionAttribute(name)) {
    report.warn(
      C.GRAPH_BAD_EXTENSION_NAME,
      `\`${name}\` starts like a directory extension but is not extension_<appId>_<name>; it was left out`,
      at,
      'directory extensions are named extension_ + the owning app id without dashes (32 hex digits) + _ + the property name',
    );
    return;
  }
  const scalar = (v: unknown, where: ItemAt, label: string): string | null => {
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    if (typeof v !== 'number') return null;
    if (mayHaveLostDigits(v))
      report.warn(
        C.GRAPH_IMPRECISE_NUMBER,
        `\`${label}\` is a number with more digits than a JSON number holds exactly (beyond 2^53, or more than 15 significant digits); it was kept as read, but may have lost digits`,
        where,
        'export the value as a string (a String-typed directory extension, or the number in quotes) so every digit is kept',
      );
    return String(v);
  };
  if (Array.isArray(value)) {
    const strings: string[] = [];
    value.forEach((item, i) => {
      const s = scalar(item, { ...at, path: `${at.path ?? ''}[${i}]` }, `${name}[${i}]`);
      if (s !== null) strings.push(s);
      else
        report.warn(
          C.GRAPH_UNUSABLE_VALUE,
          `\`${name}[${i}]\` is ${describeValue(item)}; that entry was left out`,
          at,
          'directory extension values are strings, numbers or booleans',
        );
    });
    if (strings.length > 0) out[name] = strings;
    return;
  }
  const s = scalar(value, at, name);
  if (s !== null) out[name] = s;
  else
    report.warn(
      C.GRAPH_UNUSABLE_VALUE,
      `\`${name}\` is ${describeValue(value)}; it was left out`,
      at,
      'directory extension values are strings, numbers, booleans or lists of them',
    );
}

/**
 * Whether a number read by `JSON.parse` may differ from what the file wrote: an integer beyond 2^53 (the next one
 * up reads the same), or a value whose shortest form has more than 15 significant digits (a double keeps 15 for
 * certain). A long number written with trailing zeros that a double holds exactly is not caught: it reads the same.
 */
export function mayHaveLostDigits(n: number): boolean {
  if (!Number.isFinite(n)) return true;
  if (Number.isInteger(n)) return !Number.isSafeInteger(n);
  const digits = String(Math.abs(n)).replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  return digits.length > 15;
}
