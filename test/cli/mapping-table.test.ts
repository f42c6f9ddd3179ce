import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mappingsCheckCommand } from '../../src/cli/commands/mappings.js';
import type { CliDeps } from '../../src/cli/io.js';
import { loadJob } from '../../src/mapping-file/load-job.js';
import { renderMappingTable } from '../../src/cli/render/mapping-table.js';
import { parseJob } from '../../src/mapping-file/parse-job.js';
import type { Job } from '../../src/model/job.js';
import { systemClock } from '../../src/shared/clock.js';
import { InputError } from '../../src/shared/errors.js';
import { seededRandom } from '../../src/shared/random.js';

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

/** The lines of one object mapping's section, from its title to the next blank line. */
function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(title);
  expect(start, `no section ${title}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

/** The attribute table of a section as rows of cells, cut at the columns the dashes line marks. */
function tableOf(lines: readonly string[]): { head: string[]; rows: string[][] } {
  const dashes = lines.findIndex((l) => /^\s+-+(  -+)+$/.test(l));
  expect(dashes, 'no table').toBeGreaterThan(0);
  const columns = [...lines[dashes]!.matchAll(/-+/g)].map((m) => [m.index, m.index + m[0].length] as const);
  const cut = (line: string): string[] =>
    columns.map(([from, to], i) => line.slice(from, i === columns.length - 1 ? undefined : to).trim());
  return { head: cut(lines[dashes - 1]!), rows: lines.slice(dashes + 1).map(cut) };
}

async function load(file: string): Promise<Job> {
  const { job, diagnostics } = await loadJob(file);
  expect(diagnostics).toEqual([]);
  return job!;
}

const USERS = 'Provision Microsoft Entra ID Users';
const GROUPS = 'Provision Microsoft Entra ID Groups';

describe('renderMappingTable: mappings/customappsso.yaml', () => {
  it('lists the 22 user rows in portal order with source, target, precedence, type and apply', async () => {
    const text = renderMappingTable(await load('mappings/customappsso.yaml'));
    const { head, rows } = tableOf(section(text, USERS));
    expect(head).toEqual(['Source attribute', 'Target attribute', 'Matching precedence', 'Mapping type', 'Apply']);
    const direct = (source: string, target: string): string[] => [source, target, '', 'Direct', 'Always'];
    expect(rows).toEqual([
      ['userPrincipalName', 'userName', '1', 'Direct', 'Always'],
      [ACTIVE, 'active', '', 'Expression', 'Always'],
      direct('displayName', 'displayName'),
      direct('jobTitle', 'title'),
      direct('mail', 'emails[type eq "work"].value'),
      direct('preferredLanguage', 'preferredLanguage'),
      direct('givenName', 'name.givenName'),
      direct('surname', 'name.familyName'),
      ['Join(" ", [givenName], [surname])', 'name.formatted', '', 'Expression', 'Always'],
      direct('physicalDeliveryOfficeName', 'addresses[type eq "work"].formatted'),
      direct('streetAddress', 'addresses[type eq "work"].streetAddress'),
      direct('city', 'addresses[type eq "work"].locality'),
      direct('state', 'addresses[type eq "work"].region'),
      direct('postalCode', 'addresses[type eq "work"].postalCode'),
      direct('country', 'addresses[type eq "work"].country'),
      direct('telephoneNumber', 'phoneNumbers[type eq "work"].value'),
      direct('mobile', 'phoneNumbers[type eq "mobile"].value'),
      direct('facsimileTelephoneNumber', 'phoneNumbers[type eq "fax"].value'),
      direct('mailNickname', 'externalId'),
      direct('employeeId', `${ENT}:employeeNumber`),
      direct('department', `${ENT}:department`),
      direct('manager', `${ENT}:manager`),
    ]);
  });

  it('shows the settings, the target object actions, no scoping filters, and the 3 group rows', async () => {
    const text = renderMappingTable(await load('mappings/customappsso.yaml'));
    expect(text.split('\n').slice(0, 7)).toEqual([
      'Mapping mappings/customappsso.yaml',
      '',
      'Settings',
      '  Scope: Sync only assigned users and groups',
      '  Skip out-of-scope deletions: No',
      '  Accidental deletion prevention: Off',
      '  Provision users whose only role is Default Access: Yes',
    ]);
    const users = section(text, USERS);
    expect(users.slice(1, 4)).toEqual(['  Enabled: Yes', '  Target object actions: Create, Update, Delete', '  Scoping filters: none']);
    const groups = section(text, GROUPS);
    expect(tableOf(groups).rows).toEqual([
      ['displayName', 'displayName', '1', 'Direct', 'Always'],
      ['objectId', 'externalId', '', 'Direct', 'Always'],
      ['members', 'members', '', 'Direct', 'Always'],
    ]);
  });
});

describe('renderMappingTable: every kind of row and setting', () => {
  const text = [
    'settings:',
    '  scope: all',
    '  skipOutOfScopeDeletions: true',
    '  accidentalDeletionThreshold: 50',
    '  provisionDefaultAccess: false',
    'users:',
    '  actions: [create, update]',
    '  scoping:',
    '    - - {attribute: department, operator: EQUALS, value: Sales}',
    '      - {attribute: mail, operator: IS NOT NULL}',
    '    - - {attribute: jobTitle, operator: REGEX MATCH, value: "^Chief"}',
    '  attributes:',
    '    - {target: userName, source: userPrincipalName, match: 1}',
    '    - {target: externalId, source: objectId, match: 2, caseExact: true}',
    '    - {target: title, constant: "Say \\"hi\\"", apply: on-create}',
    '    - {target: displayName, expression: \'Join(" ",[givenName],  [surname])\', default: Unknown}',
    'groups:',
    '  enabled: false',
    '  actions: []',
    '  attributes: []',
  ].join('\n');
  const { job, diagnostics } = parseJob({ file: 'm.yaml', text });

  it('constants in quotes, expressions in canonical form, Only during creation, the optional columns', () => {
    expect(diagnostics).toEqual([]);
    const out = renderMappingTable(job!);
    const { head, rows } = tableOf(section(out, USERS));
    expect(head).toEqual([
      'Source attribute',
      'Target attribute',
      'Matching precedence',
      'Mapping type',
      'Apply',
      'Default value if null',
      'Case exact',
    ]);
    expect(rows).toEqual([
      ['userPrincipalName', 'userName', '1', 'Direct', 'Always', '', ''],
      ['objectId', 'externalId', '2', 'Direct', 'Always', '', 'Yes'],
      ['"Say \\"hi\\""', 'title', '', 'Constant', 'Only during creation', '', ''],
      ['Join(" ", [givenName], [surname])', 'displayName', '', 'Expression', 'Always', '"Unknown"', ''],
    ]);
  });

  it('settings, actions, scoping clauses (ANDed within a filter), and a disabled group mapping', () => {
    const out = renderMappingTable(job!);
    expect(out).toContain(
      [
        'Settings',
        '  Scope: Sync all users and groups',
        '  Skip out-of-scope deletions: Yes',
        '  Accidental deletion prevention: On, threshold 50',
        '  Provision users whose only role is Default Access: No',
      ].join('\n'),
    );
    expect(section(out, USERS).slice(1, 7)).toEqual([
      '  Enabled: Yes',
      '  Target object actions: Create, Update',
      '  Scoping filters (an object is in scope when all clauses of any one filter hold):',
      '    Filter 1: department EQUALS "Sales"',
      '          AND mail IS NOT NULL',
      '    Filter 2: jobTitle REGEX MATCH "^Chief"',
    ]);
    expect(section(out, GROUPS)).toEqual([
      GROUPS,
      '  Enabled: No',
      '  Target object actions: none',
      '  Scoping filters: none',
      '  Attribute mappings: none',
    ]);
  });
});

describe('mappingsCheckCommand', () => {
  function deps(): CliDeps & { out: { stdout: string; stderr: string } } {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: {},
      clock: systemClock,
      random: seededRandom(1),
      isTTY: false,
      cwd: process.cwd(),
    };
  }

  it('prints the table, exit 0', async () => {
    const d = deps();
    const r = await mappingsCheckCommand({ mapping: 'mappings/customappsso.yaml' }, d);
    expect(r.exitCode).toBe(0);
    expect(d.out.stdout).toBe(renderMappingTable(r.job) + '\n');
    expect(d.out.stderr).toBe('');
  });

  it('--json prints the Job', async () => {
    const d = deps();
    await mappingsCheckCommand({ mapping: 'mappings/zapier.yaml', json: true }, d);
    const job = JSON.parse(d.out.stdout) as Job;
    expect(job.file).toBe('mappings/zapier.yaml');
    expect(job.settings.provisionDefaultAccess).toBe(false);
    expect(job.users.attributes.map((a) => a.target)).toEqual([
      'userName',
      'active',
      'externalId',
      'name.givenName',
      'name.familyName',
      'emails[type eq "work"].value',
    ]);
  });

  it('a mapping with errors throws InputError with file:line:col diagnostics and prints nothing', async () => {
    const d = deps();
    const error = await mappingsCheckCommand({ mapping: 'test/fixtures/mapping-bad-operator.yaml' }, d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).diagnostics).toMatchObject([
      {
        severity: 'error',
        code: 'MAPPING_UNKNOWN_OPERATOR',
        file: 'test/fixtures/mapping-bad-operator.yaml',
        position: { line: 6, column: 19 },
        hint: 'did you mean `EQUALS`?',
      },
    ]);
    expect(d.out.stdout).toBe('');
  });

  it('an expression error found by the compiler is an InputError too', async () => {
    const d = deps();
    const dir = mkdtempSync(join(tmpdir(), 'provsim-check-'));
    try {
      const file = join(dir, 'm.yaml');
      writeFileSync(
        file,
        "users:\n  attributes:\n    - {target: userName, source: userPrincipalName, match: 1}\n    - {target: title, expression: 'ToLower([jobTitel])'}\n",
      );
      const error = await mappingsCheckCommand({ mapping: file }, d).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).diagnostics).toMatchObject([
        { code: 'EXPR_UNKNOWN_ATTRIBUTE', file, position: { line: 4, column: 44 } },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
