/**
 * A Job as the Entra portal shows it, as plain text, pure: the settings, then per object mapping its target
 * object actions, scoping filters and the attribute-mapping table with the portal's columns
 *
 *   Source attribute | Target attribute | Matching precedence | Mapping type | Apply
 *
 * Source attribute is the attribute name (Direct), the constant in double quotes (Constant), or the expression
 * in canonical form (`printExpression`; the text as written when it does not parse, which a validated Job
 * never has). Two columns the portal only shows in a row's edit pane are added when a mapping uses them:
 * `Default value if null` and `Case exact` (provsim's knob for the update comparison). Cells are not
 * truncated: a check should show every character of an expression, even if the line gets long.
 */
import { parseExpression, printExpression } from '../../expression/index.js';
import type { AttributeMapping, Job, JobSettings, ObjectMapping, ScopingGroup } from '../../model/job.js';

const HEADINGS = ['Source attribute', 'Target attribute', 'Matching precedence', 'Mapping type', 'Apply'] as const;

export function renderMappingTable(job: Job): string {
  return [
    `Mapping ${job.file}`,
    '',
    ...renderSettings(job.settings),
    '',
    ...renderObjectMapping('Provision Microsoft Entra ID Users', job.users),
    '',
    ...renderObjectMapping('Provision Microsoft Entra ID Groups', job.groups),
  ].join('\n');
}

function renderSettings(s: JobSettings): string[] {
  return [
    'Settings',
    `  Scope: ${s.scope === 'assigned' ? 'Sync only assigned users and groups' : 'Sync all users and groups'}`,
    `  Skip out-of-scope deletions: ${s.skipOutOfScopeDeletions ? 'Yes' : 'No'}`,
    `  Accidental deletion prevention: ${s.accidentalDeletionThreshold === null ? 'Off' : `On, threshold ${s.accidentalDeletionThreshold}`}`,
    `  Provision users whose only role is Default Access: ${s.provisionDefaultAccess ? 'Yes' : 'No'}`,
  ];
}

function renderObjectMapping(title: string, m: ObjectMapping): string[] {
  const out = [title, `  Enabled: ${m.enabled ? 'Yes' : 'No'}`];
  const actions = { create: 'Create', update: 'Update', delete: 'Delete' } as const;
  out.push(`  Target object actions: ${m.actions.length === 0 ? 'none' : m.actions.map((a) => actions[a]).join(', ')}`);
  out.push(...renderScoping(m.scoping));
  if (m.attributes.length === 0) {
    out.push('  Attribute mappings: none');
    return out;
  }
  out.push('  Attribute mappings:', ...indent(table(m.attributes), 4));
  return out;
}

function renderScoping(groups: readonly ScopingGroup[]): string[] {
  if (groups.length === 0) return ['  Scoping filters: none'];
  const out = ['  Scoping filters (an object is in scope when all clauses of any one filter hold):'];
  groups.forEach((group, g) => {
    group.forEach((c, i) => {
      const lead = i === 0 ? `    Filter ${g + 1}: ` : `    ${' '.repeat(`Filter ${g + 1}: `.length - 4)}AND `;
      out.push(`${lead}${c.attribute} ${c.operator}${c.value === undefined ? '' : ` ${JSON.stringify(c.value)}`}`);
    });
  });
  return out;
}

function table(rows: readonly AttributeMapping[]): string[] {
  const withDefault = rows.some((r) => r.default !== null);
  const withCase = rows.some((r) => r.caseExact);
  const head: string[] = [...HEADINGS, ...(withDefault ? ['Default value if null'] : []), ...(withCase ? ['Case exact'] : [])];
  const body = rows.map((r) => [
    sourceCell(r),
    r.target,
    r.match === null ? '' : String(r.match),
    mappingType(r),
    r.apply === 'always' ? 'Always' : 'Only during creation',
    ...(withDefault ? [r.default === null ? '' : JSON.stringify(r.default)] : []),
    ...(withCase ? [r.caseExact ? 'Yes' : ''] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)];
}

/** The Source attribute cell: name, "constant", or the expression's canonical text. */
export function sourceCell(row: AttributeMapping): string {
  const s = row.source;
  switch (s.kind) {
    case 'direct':
      return s.attribute;
    case 'constant':
      return JSON.stringify(s.value);
    case 'expression': {
      const parsed = parseExpression(s.text);
      return parsed.expression ? printExpression(parsed.expression) : s.text;
    }
  }
}

export function mappingType(row: AttributeMapping): 'Direct' | 'Constant' | 'Expression' {
  return row.source.kind === 'direct' ? 'Direct' : row.source.kind === 'constant' ? 'Constant' : 'Expression';
}

function indent(lines: readonly string[], n: number): string[] {
  return lines.map((l) => ' '.repeat(n) + l);
}
