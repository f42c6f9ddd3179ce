/**
 * An ImportPlan → mapping YAML text, pure. The layout follows mappings/customappsso.yaml: a header comment,
 * `settings`, then `users` and `groups`, one flow-style row per attribute. Rows that were left out stay
 * visible as `# left out: … — reason` comments; approximated rows carry a trailing `# …` remark.
 *
 * Scalars are written plain only when that is unambiguous in a flow collection (a letter first; letters,
 * digits, `_ . - @ /` and single inner spaces after; not a YAML keyword such as `true` or `null`), otherwise
 * single-quoted. Expressions are always single-quoted (they are full of `"`, `,` and brackets), except one
 * with a line break or another control character, which is double-quoted because single-quoted YAML folds
 * line breaks into spaces. The caller re-parses the result with `parseJob`, so a mistake here shows up as a
 * diagnostic rather than as a silently different mapping.
 */
import type { Diagnostic } from '../shared/diagnostics.js';
import { parseAttributePath } from '../scim/attribute-path.js';
import { checkTargetAttribute } from '../scim/schema-attributes.js';
import type { ImportPlan, PlannedClause, PlannedObjectMapping, PlannedRow, SkippedRow } from './read-schema.js';
import { DEFAULT_JOB_SETTINGS } from '../mapping-file/read-settings.js';

export interface ImportHeader {
  /** The schema file, as the user named it. */
  schemaFile: string;
  /** Every note of the import, in order; listed in the header. */
  notes: readonly Diagnostic[];
}

export function renderImportYaml(plan: ImportPlan, header: ImportHeader): string {
  const out: string[] = [...renderHeader(header), ''];
  const s = DEFAULT_JOB_SETTINGS;
  out.push(
    'settings:',
    `  scope: ${s.scope}`,
    `  skipOutOfScopeDeletions: ${String(s.skipOutOfScopeDeletions)}`,
    `  accidentalDeletionThreshold: ${s.accidentalDeletionThreshold === null ? 'null' : String(s.accidentalDeletionThreshold)}`,
    `  provisionDefaultAccess: ${String(s.provisionDefaultAccess)}`,
    '',
  );
  if (plan.users) out.push(...renderObjectMapping('users', plan.users), '');
  if (plan.groups) out.push(...renderObjectMapping('groups', plan.groups));
  else out.push('# The schema has no Group object mapping: groups are not provisioned.', 'groups:', '  enabled: false', '  attributes: []');
  return out.join('\n') + '\n';
}

function renderHeader(header: ImportHeader): string[] {
  const lines = [
    `Imported by \`provsim mappings import\` from ${header.schemaFile} (an Entra synchronizationSchema).`,
    '',
    'Settings are provsim\'s defaults: a synchronizationSchema does not hold them. In Entra, "Sync only assigned',
    'users and groups", SkipOutOfScopeDeletions and accidental-deletion prevention are job settings and secrets;',
    'set them below to match your job.',
    '',
  ];
  if (header.notes.length === 0) lines.push('Notes: none; everything in the User and Group object mappings was carried over.');
  else {
    lines.push(`Notes (${header.notes.length}):`);
    for (const n of header.notes) {
      lines.push(`- ${n.severity} ${n.code}: ${oneLine(n.message)}`);
      if (n.hint) lines.push(`  hint: ${oneLine(n.hint)}`);
    }
  }
  return lines.map((l) => (l === '' ? '#' : `# ${l}`));
}

function renderObjectMapping(key: 'users' | 'groups', m: PlannedObjectMapping): string[] {
  const title = m.name === null ? '' : `${JSON.stringify(m.name)} `;
  const out = [`# ${oneLine(`${title}(${m.path}): ${m.sourceObjectName} → ${m.targetObjectName}`)}`, `${key}:`];
  if (key === 'groups') out.push(`  enabled: ${String(m.enabled)}`);
  out.push(`  actions: [${m.actions.join(', ')}]`);
  if (m.scoping.length === 0) out.push('  scoping: []');
  else {
    out.push('  scoping:');
    for (const group of m.scoping) group.forEach((clause, i) => out.push(`${i === 0 ? '    - - ' : '      - '}${renderClause(clause)}`));
  }
  const planned = m.rows.filter((r): r is PlannedRow => !r.skipped);
  const own = appAttributesOf(m.kind, planned);
  if (own.length > 0) {
    out.push("  # Attributes of the app beyond SCIM's core and enterprise schemas (its attribute list in Entra).");
    out.push(`  appAttributes: [${own.map((a) => JSON.stringify(a)).join(', ')}]`);
  }
  out.push(planned.length === 0 ? '  attributes: []' : '  attributes:');
  for (const row of m.rows) out.push(`    ${row.skipped ? renderSkipped(row) : renderRow(row)}`);
  return out;
}

function renderClause(c: PlannedClause): string {
  const parts = [`attribute: ${yamlScalar(c.attribute)}`, `operator: ${yamlScalar(c.operator)}`];
  if (c.value !== undefined) parts.push(`value: ${yamlScalar(c.value)}`);
  return `{${parts.join(', ')}}`;
}

function renderRow(row: PlannedRow): string {
  const parts = [`target: ${yamlScalar(row.target)}`];
  switch (row.source.kind) {
    case 'direct':
      parts.push(`source: ${yamlScalar(row.source.attribute)}`);
      break;
    case 'constant':
      parts.push(`constant: ${yamlScalar(row.source.value)}`);
      break;
    case 'expression':
      parts.push(`expression: ${yamlQuoted(row.source.text)}`);
      break;
  }
  if (row.match !== null) parts.push(`match: ${row.match}`);
  if (row.apply !== 'always') parts.push(`apply: ${row.apply}`);
  if (row.default !== null) parts.push(`default: ${yamlScalar(row.default)}`);
  if (row.caseExact) parts.push('caseExact: true');
  const remark = row.remarks.length === 0 ? '' : `  # ${oneLine(row.remarks.join('; '))}`;
  return `- {${parts.join(', ')}}${remark}`;
}

function renderSkipped(row: SkippedRow): string {
  return `# left out: ${oneLine(row.description)} — ${oneLine(row.reason)}`;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_.@/-]*(?: [A-Za-z0-9_.@/-]+)*$/;
/** Words a YAML 1.1 or 1.2 reader may take for a boolean or null. */
const KEYWORDS = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n']);

/** A string as a YAML flow scalar that reads back as exactly that string. */
export function yamlScalar(value: string): string {
  if (PLAIN.test(value) && !KEYWORDS.has(value.toLowerCase())) return value;
  return yamlQuoted(value);
}

/** Characters a single-quoted scalar carries as they are: YAML's printable set minus line breaks (NEL and U+2028/9 included, for YAML 1.1 readers). */
const SINGLE_QUOTABLE = /^[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]*$/u;

/**
 * Always quoted: single quotes (`'` doubled), or — for text with line breaks, control or other non-printable
 * characters — a JSON string (valid YAML double-quoted) with the characters JSON leaves raw escaped as `\uXXXX`.
 */
export function yamlQuoted(value: string): string {
  if (SINGLE_QUOTABLE.test(value)) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** Targets without a schema URN that SCIM's core and enterprise schemas do not have: the app's own attributes. */
function appAttributesOf(kind: PlannedObjectMapping['kind'], rows: readonly PlannedRow[]): string[] {
  const own = new Map<string, string>();
  for (const row of rows) {
    const parsed = parseAttributePath(row.target);
    if (!parsed.ok || parsed.path.schema !== null) continue;
    if (checkTargetAttribute(kind === 'user' ? 'User' : 'Group', parsed.path) === null) continue;
    own.set(parsed.path.attribute.toLowerCase(), parsed.path.attribute);
  }
  return [...own.values()];
}
