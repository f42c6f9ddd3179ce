/**
 * Reads a Graph synchronizationSchema (already parsed JSON) into an ImportPlan: the object mappings provsim
 * can load, row by row, plus notes for everything that could not be carried over. Pure.
 *
 * The plan only holds what `parseJob` and `compileJob` will accept: each row is checked here the way they check
 * it (target path syntax, `id` target, known source attributes, expressions parsed against the known
 * attributes, no target twice, distinct matching precedences, scoping operators and attributes). A row that
 * fails is kept as a `SkippedRow` — written into the YAML as a comment with the reason — so the output always
 * loads and nothing disappears silently.
 *
 * Which object mappings: across all synchronizationRules, in order, the first whose sourceObjectName is `User`
 * (any targetObjectName: `User`, `urn:…:User`) becomes `users`, the first `Group` becomes `groups`; every other
 * object mapping (a second `User`, `Contact`…) is reported and left out.
 */
import { parseExpression } from '../expression/index.js';
import { didYouMean, error, warning } from '../shared/diagnostics.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import { isExtensionAttribute } from '../source/fixture-attributes.js';
import { IMPORT_CODES as C } from './codes.js';
import { isJsonObject, jsonText, rebuildExpression } from './expression.js';
import { OBJECT_ACTIONS } from '../mapping-file/read-object-mapping.js';
import {
  REFERENCE_SOURCE_ATTRIBUTES,
  UNSCOPABLE_SOURCE_ATTRIBUTES,
  isSourceAttribute,
  sourceAttributesOf,
} from '../mapping-file/source-attributes.js';
import type { SourceObjectKind } from '../mapping-file/source-attributes.js';
import { isIdTarget, isReferenceTarget, parseAttributePath, targetKey } from '../scim/attribute-path.js';
import { SCOPING_OPERATORS, UNARY_SCOPING_OPERATORS } from '../model/job.js';
import type { ObjectAction, ScopingOperator } from '../model/job.js';

export type PlannedSource =
  { kind: 'direct'; attribute: string } | { kind: 'constant'; value: string } | { kind: 'expression'; text: string };

export interface PlannedRow {
  skipped: false;
  target: string;
  source: PlannedSource;
  match: number | null;
  apply: 'always' | 'on-create';
  default: string | null;
  caseExact: boolean;
  /** Short remarks written after the row in the YAML (what was approximated). */
  remarks: string[];
}

/** A row that is not imported; rendered as a comment. */
export interface SkippedRow {
  skipped: true;
  /** The row as far as it could be read, e.g. `{target: nickName, source: extensionAttribute1}`. */
  description: string;
  reason: string;
}

export interface PlannedClause {
  attribute: string;
  operator: ScopingOperator;
  value?: string;
}

export interface PlannedObjectMapping {
  kind: SourceObjectKind;
  /** Graph's `name` ("Provision Azure Active Directory Users"), or null. */
  name: string | null;
  sourceObjectName: string;
  targetObjectName: string;
  /** Where it sits in the schema, e.g. `synchronizationRules[0].objectMappings[1]`. */
  path: string;
  enabled: boolean;
  actions: ObjectAction[];
  scoping: PlannedClause[][];
  rows: Array<PlannedRow | SkippedRow>;
}

export interface ImportPlan {
  /** Null when the schema has no User object mapping (then there is an error note). */
  users: PlannedObjectMapping | null;
  /** Null when the schema has no Group object mapping: groups are not provisioned. */
  groups: PlannedObjectMapping | null;
}

type Json = Record<string, unknown>;

const SCHEMA_HINT =
  'export the schema as JSON: in the portal, Provisioning → Mappings → Show advanced options → Review your schema here; or Graph GET /servicePrincipals/{id}/synchronization/jobs/{jobId}/schema';

export function readSchema(json: unknown, file: string): { plan: ImportPlan | null; notes: Diagnostic[] } {
  const notes: Diagnostic[] = [];
  const note = (code: string, message: string, hint?: string): void =>
    void notes.push(warning(code, message, { file, ...(hint ? { hint } : {}) }));
  const fail = (code: string, message: string, hint: string): { plan: null; notes: Diagnostic[] } => {
    notes.push(error(code, message, { file, hint }));
    return { plan: null, notes };
  };

  // A synchronizationTemplate or synchronizationJob carries the schema in `schema`.
  const root = isJsonObject(json) && !('synchronizationRules' in json) && isJsonObject(json['schema']) ? json['schema'] : json;
  if (!isJsonObject(root))
    return fail(
      C.SCHEMA_NOT_A_SCHEMA,
      `the file is not a synchronizationSchema: it holds ${describeJson(root)}, not an object`,
      SCHEMA_HINT,
    );
  const rules = root['synchronizationRules'];
  if (!Array.isArray(rules)) {
    const found =
      rules === undefined ? 'has no `synchronizationRules`' : `has \`synchronizationRules\` as ${describeJson(rules)}, not a list`;
    return fail(C.SCHEMA_NOT_A_SCHEMA, `the file is not a synchronizationSchema: the object ${found}`, SCHEMA_HINT);
  }

  const directories = Array.isArray(root['directories']) ? root['directories'].filter(isJsonObject) : [];
  let users: PlannedObjectMapping | null = null;
  let groups: PlannedObjectMapping | null = null;
  rules.forEach((rule, r) => {
    const rulePath = `synchronizationRules[${r}]`;
    if (!isJsonObject(rule))
      return note(C.SCHEMA_MALFORMED_ENTRY, `${rulePath} is ${describeJson(rule)}, not a synchronizationRule object; skipped`);
    const mappings = rule['objectMappings'];
    if (!Array.isArray(mappings)) return note(C.SCHEMA_MALFORMED_ENTRY, `${rulePath} has no \`objectMappings\` list; skipped`);
    const targetDirectory = directories.find((d) => d['name'] === rule['targetDirectoryName']) ?? null;
    mappings.forEach((om, m) => {
      const path = `${rulePath}.objectMappings[${m}]`;
      if (!isJsonObject(om)) return note(C.SCHEMA_MALFORMED_ENTRY, `${path} is ${describeJson(om)}, not an objectMapping object; skipped`);
      const source = jsonText(om['sourceObjectName']) ?? '';
      const label = `${path} (${source || 'no sourceObjectName'} → ${jsonText(om['targetObjectName']) ?? '?'})`;
      const kind: SourceObjectKind | null = source.toLowerCase() === 'user' ? 'user' : source.toLowerCase() === 'group' ? 'group' : null;
      if (kind === null) {
        return note(
          C.SCHEMA_OBJECT_MAPPING_SKIPPED,
          `${label} is not imported: provsim provisions Entra users and groups only`,
          'its rows are not in the output',
        );
      }
      if ((kind === 'user' ? users : groups) !== null) {
        return note(
          C.SCHEMA_OBJECT_MAPPING_SKIPPED,
          `${label} is not imported: the ${kind} mapping was already read from an earlier object mapping`,
          'provsim has one user and one group mapping; keep the one you want first',
        );
      }
      const planned = readObjectMapping(om, kind, path, label, targetDirectory, note);
      if (kind === 'user') users = planned;
      else groups = planned;
    });
  });

  if (users === null) {
    return fail(
      C.SCHEMA_NO_USER_MAPPING,
      'the schema has no object mapping with sourceObjectName "User"',
      'a provisioning schema for a SCIM app has one ("Provision Azure Active Directory Users"); check that this is the right export',
    );
  }
  return { plan: { users, groups }, notes };
}

type Note = (code: string, message: string, hint?: string) => void;

function readObjectMapping(
  om: Json,
  kind: SourceObjectKind,
  path: string,
  label: string,
  directory: Json | null,
  note: Note,
): PlannedObjectMapping {
  let enabled = om['enabled'] !== false;
  if (!enabled && kind === 'user') {
    note(
      C.SCHEMA_USER_MAPPING_DISABLED,
      `${label} is disabled in the schema; imported as enabled`,
      'provsim, like the portal, cannot switch the user mapping off; unassign users to keep them out',
    );
    enabled = true;
  }
  const targetObjectName = jsonText(om['targetObjectName']) ?? '';
  const rows = readRows(om['attributeMappings'], kind, path, targetAttributeDefinitions(directory, targetObjectName), note);
  return {
    kind,
    name: jsonText(om['name']),
    sourceObjectName: jsonText(om['sourceObjectName']) ?? '',
    targetObjectName,
    path,
    enabled,
    actions: readFlowTypes(om['flowTypes'], label, note),
    scoping: readScope(om['scope'], kind, path, note),
    rows,
  };
}

/** `"Add, Update, Delete"` (also without spaces) → actions in canonical order. Absent: all three, Graph's default. */
function readFlowTypes(value: unknown, label: string, note: Note): ObjectAction[] {
  if (value === undefined || value === null) return [...OBJECT_ACTIONS];
  const text = jsonText(value);
  if (text === null) {
    note(C.SCHEMA_UNKNOWN_OBJECT_FLOW_TYPE, `${label}: flowTypes is ${describeJson(value)}, not a string; imported as Add, Update, Delete`);
    return [...OBJECT_ACTIONS];
  }
  const wanted = new Set<ObjectAction>();
  for (const token of text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')) {
    const t = token.toLowerCase();
    if (t === 'add') wanted.add('create');
    else if (t === 'update') wanted.add('update');
    else if (t === 'delete') wanted.add('delete');
    else if (t !== 'none')
      note(C.SCHEMA_UNKNOWN_OBJECT_FLOW_TYPE, `${label}: flowTypes ${JSON.stringify(token)} is not Add, Update, Delete or None; ignored`);
  }
  return OBJECT_ACTIONS.filter((a) => wanted.has(a));
}

/** caseExact of each attribute of the target object, from the target directory's definition (name → caseExact). */
function targetAttributeDefinitions(directory: Json | null, objectName: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  const objects = directory && Array.isArray(directory['objects']) ? directory['objects'].filter(isJsonObject) : [];
  const object = objects.find((o) => o['name'] === objectName);
  const attributes = object && Array.isArray(object['attributes']) ? object['attributes'].filter(isJsonObject) : [];
  for (const a of attributes) {
    const name = jsonText(a['name']);
    if (name !== null) out.set(name.toLowerCase(), a['caseExact'] === true);
  }
  return out;
}

function readRows(
  value: unknown,
  kind: SourceObjectKind,
  path: string,
  caseExact: Map<string, boolean>,
  note: Note,
): Array<PlannedRow | SkippedRow> {
  if (!Array.isArray(value)) {
    if (value !== undefined && value !== null)
      note(C.SCHEMA_MALFORMED_ENTRY, `${path}.attributeMappings is ${describeJson(value)}, not a list; no rows imported`);
    return [];
  }
  const rows: Array<PlannedRow | SkippedRow> = [];
  const targets = new Map<string, string>();
  const precedences = new Map<number, string>();
  value.forEach((am, i) => {
    const where = `${path}.attributeMappings[${i}]`;
    const row = readRow(am, kind, where, caseExact, note);
    if (row === null) return;
    if (!row.skipped) {
      const parsed = parseAttributePath(row.target);
      const key = parsed.ok ? targetKey(parsed.path) : row.target;
      const first = targets.get(key);
      if (first !== undefined) {
        const reason = `target ${row.target} is already mapped by ${first}`;
        note(C.SCHEMA_ROW_SKIPPED, `${where} is left out: ${reason}`, 'a target attribute takes one mapping; keep the one you want');
        rows.push({ skipped: true, description: describeRow(row), reason });
        return;
      }
      targets.set(key, where);
      if (row.match !== null) {
        const taken = precedences.get(row.match);
        if (taken !== undefined) {
          note(
            C.SCHEMA_MATCH_DROPPED,
            `${where} (${row.target}): matching priority ${row.match} is already used by ${taken}; imported without matching`,
            'give each matching attribute its own priority',
          );
          row.remarks.push(`matchingPriority ${row.match} dropped: used twice`);
          row.match = null;
        } else precedences.set(row.match, where);
      }
    }
    rows.push(row);
  });
  return rows;
}

function readRow(
  am: unknown,
  kind: SourceObjectKind,
  where: string,
  caseExactOf: Map<string, boolean>,
  note: Note,
): PlannedRow | SkippedRow | null {
  if (!isJsonObject(am)) {
    note(C.SCHEMA_MALFORMED_ENTRY, `${where} is ${describeJson(am)}, not an attributeMapping object; skipped`);
    return null;
  }
  const target = jsonText(am['targetAttributeName']);
  if (target === null || target === '') {
    note(C.SCHEMA_MALFORMED_ENTRY, `${where} has no targetAttributeName; skipped`);
    return null;
  }
  const label = `${where} (${target})`;
  const skip = (reason: string, description: string, hint?: string): SkippedRow => {
    note(C.SCHEMA_ROW_SKIPPED, `${label} is left out: ${reason}`, hint);
    return { skipped: true, description, reason };
  };
  const defaultValue = jsonText(am['defaultValue']);
  const def = defaultValue === null || defaultValue === '' ? null : defaultValue;
  const remarks: string[] = [];

  const read = readSource(am['source'], kind, label, def, note);
  const described = `{target: ${target}, ${describeRawSource(am['source'])}}`;
  if (!read.ok) return skip(read.reason, described, read.hint);
  const source = read.source;
  let apply: PlannedRow['apply'] = 'always';
  if (read.noneMapping) {
    apply = 'on-create';
    remarks.push('mapping type None: default applied on create');
  }

  const parsed = parseAttributePath(target);
  if (!parsed.ok)
    return skip(
      `the target is not a SCIM path provsim can write (${parsed.message})`,
      described,
      'provsim writes `attr`, `attr.sub`, `attr[type eq "x"].sub` and `urn:…:attr`',
    );
  if (isIdTarget(parsed.path))
    return skip('it maps the target `id`, which the app assigns', described, "map Entra's objectId to externalId instead");

  let match: number | null = null;
  const priority = am['matchingPriority'];
  if (typeof priority === 'number' && priority > 0) {
    if (!Number.isInteger(priority))
      note(C.SCHEMA_MALFORMED_ENTRY, `${label}: matchingPriority ${priority} is not a whole number; imported without matching`);
    else if (isReferenceTarget(parsed.path) || (source.kind === 'direct' && REFERENCE_SOURCE_ATTRIBUTES.includes(source.attribute))) {
      note(
        C.SCHEMA_MATCH_DROPPED,
        `${label}: matchingPriority ${priority} on a reference attribute cannot be used to find objects; imported without matching`,
      );
      remarks.push(`matchingPriority ${priority} dropped: reference`);
    } else match = priority;
  }

  const flowType = jsonText(am['flowType']) ?? 'Always';
  if (flowType === 'ObjectAddOnly') apply = 'on-create';
  else if (flowType !== 'Always') {
    note(
      C.SCHEMA_UNSUPPORTED_FLOW_TYPE,
      `${label}: flowType ${flowType} cannot be carried over; imported as apply: ${apply}`,
      'provsim knows Always and ObjectAddOnly (Only during creation); check how your app should receive this attribute',
    );
    remarks.push(`Graph flowType ${flowType}`);
  }
  const flowBehavior = jsonText(am['flowBehavior']);
  if (flowBehavior === 'FlowAlways') {
    note(
      C.SCHEMA_UNSUPPORTED_FLOW_BEHAVIOR,
      `${label}: flowBehavior FlowAlways cannot be carried over; provsim sends the attribute only when it changed (FlowWhenChanged)`,
    );
    remarks.push('Graph flowBehavior FlowAlways');
  }

  return {
    skipped: false,
    target,
    source,
    match,
    apply,
    default: read.noneMapping ? null : def,
    caseExact: caseExactOf.get(target.toLowerCase()) ?? false,
    remarks,
  };
}

type SourceReading = { ok: true; source: PlannedSource; noneMapping: boolean } | { ok: false; reason: string; hint?: string };

function readSource(value: unknown, kind: SourceObjectKind, label: string, def: string | null, note: Note): SourceReading {
  if (value === undefined || value === null) {
    if (def === null)
      return {
        ok: false,
        reason: 'it has no source and no default value (mapping type None): Entra leaves this attribute alone',
        hint: 'nothing flows from this row; add it by hand if the app needs a value',
      };
    note(
      C.SCHEMA_NONE_MAPPING,
      `${label} has no source (mapping type None); imported as the constant ${JSON.stringify(def)}, applied only during creation`,
      "Entra writes a None mapping's default value when the target attribute is empty, which on a created object it always is",
    );
    return { ok: true, source: { kind: 'constant', value: def }, noneMapping: true };
  }
  if (!isJsonObject(value)) return { ok: false, reason: `its source is ${describeJson(value)}, not an attributeMappingSource object` };
  const type = jsonText(value['type']) ?? 'Attribute';
  const name = jsonText(value['name']);
  const expression = typeof value['expression'] === 'string' && value['expression'].trim() !== '' ? value['expression'] : null;
  switch (type) {
    case 'Attribute': {
      const attribute =
        name !== null && name !== '' ? name : expression !== null ? /^\s*\[([^\]]+)\]\s*$/.exec(expression)?.[1] : undefined;
      if (attribute === undefined) return { ok: false, reason: 'its Attribute source names no attribute' };
      if (!isSourceAttribute(kind, attribute)) return unknownAttribute(kind, attribute);
      return { ok: true, source: { kind: 'direct', attribute }, noneMapping: false };
    }
    case 'Constant': {
      const constant = name ?? (expression !== null ? stringLiteral(expression) : null);
      if (constant === null) return { ok: false, reason: 'its Constant source has no value (`name`)' };
      return { ok: true, source: { kind: 'constant', value: constant }, noneMapping: false };
    }
    case 'Function': {
      let text = expression;
      if (text === null) {
        const rebuilt = rebuildExpression(value);
        if ('error' in rebuilt)
          return { ok: false, reason: `its Function source has no expression text, and it cannot be rebuilt: ${rebuilt.error}` };
        text = rebuilt.text;
        note(
          C.SCHEMA_EXPRESSION_REBUILT,
          `${label}: the source has no expression text; rebuilt from name and parameters as ${text}`,
          rebuilt.orderAssumed
            ? 'the parameters were written in the order listed; check the argument order against the function'
            : undefined,
        );
      }
      const problem = expressionProblem(text, kind);
      if (problem !== null)
        return {
          ok: false,
          reason: `its expression ${text} does not load in provsim: ${problem.message}`,
          ...(problem.hint ? { hint: problem.hint } : {}),
        };
      return { ok: true, source: { kind: 'expression', text }, noneMapping: false };
    }
    default:
      return { ok: false, reason: `its source type ${JSON.stringify(type)} is not Attribute, Constant or Function` };
  }
}

function unknownAttribute(kind: SourceObjectKind, attribute: string): SourceReading {
  const suggestion = didYouMean(attribute, sourceAttributesOf(kind));
  return {
    ok: false,
    reason: `${attribute} is not a ${kind} attribute provsim's fixtures have`,
    hint: suggestion
      ? `did you mean ${suggestion}?`
      : `provsim's ${kind} attributes: ${sourceAttributesOf(kind).join(', ')}, or extension_<appId>_<name>`,
  };
}

/** The first problem `compileJob` would report for this expression, or null. Extension attributes are open-ended there too. */
function expressionProblem(text: string, kind: SourceObjectKind): { message: string; hint?: string } | null {
  const parsed = parseExpression(text, { knownAttributes: sourceAttributesOf(kind) });
  const first = parsed.diagnostics.find(
    (d) =>
      !(d.code === 'EXPR_UNKNOWN_ATTRIBUTE' && isExtensionAttribute(text.slice(d.offset, d.offset + d.length).replace(/^\[|\]$/g, ''))),
  );
  if (!first) return null;
  return { message: `${first.message} (at column ${first.offset + 1})`, ...(first.hint ? { hint: first.hint } : {}) };
}

/** The value of an expression that is a single string literal (`"Contoso"`), else null. */
function stringLiteral(expression: string): string | null {
  const parsed = parseExpression(expression);
  const root = parsed.expression?.root;
  return root?.kind === 'string' ? root.value : null;
}

function readScope(scope: unknown, kind: SourceObjectKind, path: string, note: Note): PlannedClause[][] {
  if (scope === undefined || scope === null) return [];
  const where = `${path}.scope`;
  if (!isJsonObject(scope)) {
    note(C.SCHEMA_MALFORMED_ENTRY, `${where} is ${describeJson(scope)}, not a filter object; no scoping imported`);
    return [];
  }
  for (const experimental of ['inputFilterGroups', 'categoryFilterGroups']) {
    const groups = scope[experimental];
    if (Array.isArray(groups) && groups.length > 0) {
      note(
        C.SCHEMA_EXPERIMENTAL_FILTER,
        `${where}.${experimental} (experimental in Graph) is not imported`,
        'only `groups`, the scoping filter the portal edits, is',
      );
    }
  }
  const groups = scope['groups'];
  if (groups === undefined || groups === null) return [];
  if (!Array.isArray(groups)) {
    note(C.SCHEMA_MALFORMED_ENTRY, `${where}.groups is ${describeJson(groups)}, not a list; no scoping imported`);
    return [];
  }
  const out: PlannedClause[][] = [];
  groups.forEach((group, g) => {
    const gWhere = `${where}.groups[${g}]`;
    const skipGroup = (reason: string, hint?: string): void =>
      note(
        C.SCHEMA_SCOPING_GROUP_SKIPPED,
        `${gWhere}${isJsonObject(group) && typeof group['name'] === 'string' ? ` ("${group['name']}")` : ''} is left out: ${reason}`,
        hint ?? 'filter groups are ORed: without it, objects that only it let in are out of scope; add an equivalent filter by hand',
      );
    if (!isJsonObject(group) || !Array.isArray(group['clauses'])) return skipGroup('it is not a filter group with a `clauses` list');
    if (group['clauses'].length === 0) return skipGroup('it has no clauses');
    const clauses: PlannedClause[] = [];
    for (const [c, clause] of group['clauses'].entries()) {
      const read = readClause(clause, kind, `${gWhere}.clauses[${c}]`, note);
      if (typeof read === 'string') return skipGroup(read);
      clauses.push(read);
    }
    out.push(clauses);
  });
  return out;
}

function readClause(clause: unknown, kind: SourceObjectKind, where: string, note: Note): PlannedClause | string {
  if (!isJsonObject(clause)) return `${where} is not a filterClause object`;
  const attribute = jsonText(clause['sourceOperandName']);
  const operatorName = jsonText(clause['operatorName']);
  if (attribute === null || attribute === '') return `${where} has no sourceOperandName`;
  if (operatorName === null) return `${where} has no operatorName`;
  const operator = resolveOperator(operatorName);
  if (operator === null)
    return `${where} uses the operator ${JSON.stringify(operatorName)}, which provsim does not know (${SCOPING_OPERATORS.join(', ')})`;
  if (!isSourceAttribute(kind, attribute)) return `${where} tests ${attribute}, which is not a ${kind} attribute provsim's fixtures have`;
  const unscopable = UNSCOPABLE_SOURCE_ATTRIBUTES[attribute];
  if (unscopable !== undefined) return `${where} tests ${attribute}: ${unscopable}`;
  if (UNARY_SCOPING_OPERATORS.includes(operator)) return { attribute, operator };

  const operand = clause['targetOperand'];
  const values =
    isJsonObject(operand) && Array.isArray(operand['values']) ? operand['values'].map(jsonText).filter((v): v is string => v !== null) : [];
  const value = values[0];
  if (value === undefined) return `${where} uses ${operator}, which needs a value, and targetOperand.values is empty`;
  if ((operator === 'Greater_Than' || operator === 'Greater_Than_OR_EQUALS') && !/^-?\d+$/.test(value))
    return `${where} compares with ${JSON.stringify(value)}, and ${operator} compares whole numbers`;
  if (values.length > 1)
    note(
      C.SCHEMA_SCOPING_VALUES,
      `${where} has ${values.length} values; only the first, ${JSON.stringify(value)}, is imported`,
      'the portal sets one value per clause; write one clause per value if you meant several',
    );
  return { attribute, operator, value };
}

/** An operator as spelled in SCOPING_OPERATORS, accepting other spacing/underscores/case (`NOT_EQUALS`, `IsNotNull`). */
export function resolveOperator(name: string): ScopingOperator | null {
  const exact = SCOPING_OPERATORS.find((o) => o === name);
  if (exact) return exact;
  const squash = (s: string): string => s.replace(/[\s_]+/g, '').toUpperCase();
  return SCOPING_OPERATORS.find((o) => squash(o) === squash(name)) ?? null;
}

export function describeSource(source: PlannedSource): string {
  switch (source.kind) {
    case 'direct':
      return `source: ${source.attribute}`;
    case 'constant':
      return `constant: ${JSON.stringify(source.value)}`;
    case 'expression':
      return `expression: ${source.text}`;
  }
}

/** A Graph source as a mapping-row fragment, for rows that are left out. */
function describeRawSource(value: unknown): string {
  if (!isJsonObject(value)) return 'no source';
  const name = jsonText(value['name']) ?? '?';
  const expression = typeof value['expression'] === 'string' && value['expression'] !== '' ? value['expression'] : null;
  switch (jsonText(value['type']) ?? 'Attribute') {
    case 'Attribute':
      return `source: ${name}`;
    case 'Constant':
      return `constant: ${JSON.stringify(name)}`;
    default:
      return `expression: ${expression ?? `${name}(…)`}`;
  }
}

function describeRow(row: PlannedRow): string {
  return `{target: ${row.target}, ${describeSource(row.source)}}`;
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `the ${typeof value} ${String(value)}`;
}
