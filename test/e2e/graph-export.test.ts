/**
 * End to end: a Microsoft Graph export (test/fixtures/graph-export: three users pages, groups with users, a
 * nested group, a device, a service principal and a contact as members, a members file over two pages, the app
 * with its roles, assignments to users, groups and a service principal) through the CLI against the embedded
 * SCIM target on 127.0.0.1: `fixtures import-graph` then `sync` of the written tenant, and `sync --fixtures` of
 * the export itself; both must leave the target in the same state, and every item left out is printed with its
 * file and index.
 */
import { cp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, Harness, ROOT } from '../helpers/harness.js';

const EXPORT = join(ROOT, 'test', 'fixtures', 'graph-export');
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const SALES_MEMBERS = 'members-26712809-1793-4e95-9af7-c276ace92a7f';
const FINANCE_MEMBERS = 'members-693576cc-e527-4aec-9261-359b5d0186b3';

/** Entra's default mapping plus three rows that read attributes only a Graph export's translations give. */
async function extendedMapping(dir: string): Promise<string> {
  const text = await readFile(DEFAULT_MAPPING, 'utf8');
  const rows = [
    `    - {target: '${ENTERPRISE}:costCenter', source: employeeOrgData.costCenter}`,
    `    - {target: '${ENTERPRISE}:division', source: employeeOrgData.division}`,
    `    - {target: '${ENTERPRISE}:organization', source: extensionAttribute1}`,
  ].join('\n');
  const lines = text.split('\n');
  const last = lines.findIndex((l) => l.includes(`${ENTERPRISE}:manager`));
  expect(last).toBeGreaterThan(0);
  lines.splice(last + 1, 0, rows);
  const file = join(dir, 'mapping.yaml');
  await writeFile(file, lines.join('\n'));
  return file;
}

/** `file:line:col: warning CODE: path` of each diagnostic line printed (the file relative to the export). */
function printedDrops(stderr: string): string[] {
  return [...stderr.matchAll(/^(\S+):(\d+):(\d+): warning (GRAPH_\w+): ([^:\s]+):/gm)].map(
    ([, file, line, col, code, path]) => `${file!.slice(EXPORT.length + 1)}:${line}:${col} ${code} ${path}`,
  );
}

const harnesses: Harness[] = [];
async function harness(): Promise<Harness> {
  const h = await new Harness().start('tolerant');
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.stop();
});

describe('a Microsoft Graph export, imported and synced', () => {
  it('import-graph prints every drop with its file and index; the written tenant and the export sync to the same target state', async () => {
    const h = await harness();
    const out = join(h.dir, 'tenant');
    expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', out])).toBe(0);
    expect(printedDrops(h.out.stderr)).toEqual([
      'users-3.json:4:5 GRAPH_UNRESOLVED_MANAGER value[0].manager',
      'appRoleAssignedTo-2.json:37:5 GRAPH_SERVICE_PRINCIPAL_ASSIGNMENT value[3]',
      `${SALES_MEMBERS}.json:36:5 GRAPH_UNSUPPORTED_MEMBER value[2]`,
      `${SALES_MEMBERS}-2.json:20:5 GRAPH_UNSUPPORTED_MEMBER value[1]`,
      `${FINANCE_MEMBERS}.json:52:5 GRAPH_UNSUPPORTED_MEMBER value[3]`,
      `${FINANCE_MEMBERS}.json:63:5 GRAPH_UNRESOLVED_MEMBER value[4]`,
    ]);
    expect(h.out.stderr).toContain(
      'value[2]: member 6c6081f5-c5cd-472f-bcd3-128977e8e518 ("KIOSK-OSL-01") of group "Sales – EMEA" is a device',
    );
    expect(h.out.stderr).toContain('the assignment of service principal "Payroll Connector"');
    expect(h.out.stderr).toMatch(/GRAPH_UNUSED_PROPERTY: 8 properties .* createdDateTime \(value\[0\] and 3 more\)/);
    expect(h.out.stderr).toMatch(/provsim: wrote 11 users, 4 groups and 7 assignments of "Woodgrove SCIM App" to .*; 10 warnings above/);
    expect((await readdir(out)).sort()).toEqual(['assignments.yaml', 'groups.yaml', 'users.yaml']);

    const mapping = await extendedMapping(h.dir);
    expect(await h.cli(['sync', ...h.flags({ fixtures: out, mapping })])).toBe(0);
    const snap = h.target.snapshot();
    // In scope: assigned directly (Ingrid, Jürgen, María, Li Wěi by Default Access; Åsa is disabled) or as a direct
    // member of an assigned group (Zoë, François, Siobhán in Sales – EMEA; Bjørn in Finance Systems). Antonín is
    // only in the nested Sales Interns, Noor is not assigned.
    expect(snap.users.map((u) => u['userName']).sort()).toEqual([
      'bjorn.odegard@woodgrove.com',
      'francois.duboeuf@woodgrove.com',
      'ingrid.lovas@woodgrove.com',
      'juergen.weiss@woodgrove.com',
      'li.wei@woodgrove.com',
      'maria.garcia@fabrikam.com',
      'siobhan.nibhriain@woodgrove.com',
      'zoe.celik@woodgrove.com',
    ]);
    const ingrid = h.userByName('ingrid.lovas@woodgrove.com')!;
    expect(ingrid).toMatchObject({
      displayName: 'Ingrid Løvås',
      name: { givenName: 'Ingrid', familyName: 'Løvås' },
      phoneNumbers: expect.arrayContaining([
        expect.objectContaining({ type: 'work', value: '+47 22 00 11 01' }),
        expect.objectContaining({ type: 'mobile', value: '+47 915 00 101' }),
        expect.objectContaining({ type: 'fax', value: '+47 22 00 11 99' }),
      ]),
      addresses: [expect.objectContaining({ type: 'work', formatted: 'Oslo HQ', locality: 'Oslo', postalCode: '0191' })],
    });
    expect(ingrid[ENTERPRISE]).toMatchObject({
      costCenter: 'CC-100',
      division: 'Group Management',
      organization: 'EXEC',
      employeeNumber: 'W1001',
    });
    expect(h.userByName('zoe.celik@woodgrove.com')![ENTERPRISE]).toMatchObject({
      manager: { value: h.userByName('juergen.weiss@woodgrove.com')!['id'] },
    });
    expect((h.userByName('li.wei@woodgrove.com')![ENTERPRISE] as Record<string, unknown>)['manager']).toBeUndefined();
    expect(h.userByName('maria.garcia@fabrikam.com')).toMatchObject({
      displayName: 'María García',
      externalId: 'maria.garcia_fabrikam.com#EXT#',
    });

    const shape = h.shape() as { groups: Array<{ displayName: string; members: string[] }> };
    expect(shape.groups.map((g) => [g.displayName, g.members])).toEqual([
      ['Finance Systems', ['bjorn.odegard@woodgrove.com', 'li.wei@woodgrove.com']],
      ['Sales – EMEA', ['francois.duboeuf@woodgrove.com', 'siobhan.nibhriain@woodgrove.com', 'zoe.celik@woodgrove.com']],
    ]);

    // The export itself, read by --fixtures, against a fresh target and state: the same target state.
    const direct = await harness();
    expect(await direct.cli(['sync', ...direct.flags({ fixtures: EXPORT, mapping })])).toBe(0);
    expect(direct.shape()).toEqual(h.shape());
    expect(printedDrops(direct.out.stderr)).toEqual(printedDrops(h.out.stderr));
  });

  it('writes JSON fixtures with --format json and reports with --json; refuses a non-empty --out without --force', async () => {
    const h = await harness();
    const out = join(h.dir, 'tenant-json');
    expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', out, '--format', 'json', '--json'])).toBe(0);
    const result = JSON.parse(h.out.stdout) as {
      written: boolean;
      users: number;
      files: string[];
      diagnostics: Array<{ code: string; file: string }>;
    };
    expect(result).toMatchObject({
      written: true,
      users: 11,
      groups: 4,
      assignments: 7,
      files: ['users.json', 'groups.json', 'assignments.json'],
    });
    expect(result.diagnostics.filter((d) => d.code === 'GRAPH_UNSUPPORTED_MEMBER')).toHaveLength(3);
    expect(await h.cli(['sync', ...h.flags({ fixtures: out })])).toBe(0);
    expect(h.target.snapshot().users).toHaveLength(8);

    h.out.stderr = '';
    expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', out])).toBe(2);
    expect(h.out.stderr).toContain('is not empty; choose an empty directory, or pass --force');
    h.out.stderr = '';
    expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', out, '--force'])).toBe(2);
    expect(h.out.stderr).toContain('has assignments.json, groups.json, users.json, which would sit beside the written users.yaml');
    expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', out, '--force', '--format', 'json'])).toBe(0);

    // A JSON Lines file left in --out would be read instead of the written users.json: refused like the others.
    for (const stale of ['users.jsonl', 'users-2.jsonl', 'groups.jsonl']) {
      await writeFile(join(out, stale), '');
      h.out.stderr = '';
      expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', out, '--force', '--format', 'json']), stale).toBe(2);
      expect(h.out.stderr).toContain(`has ${stale}, which`);
      expect(h.out.stderr).toContain('JSON Lines');
      await rm(join(out, stale));
    }
    expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', out, '--force', '--format', 'json'])).toBe(0);
  });

  it('an export in which no user can be used (the $select forgot userPrincipalName) is an error, not an empty tenant', async () => {
    const h = await harness();
    const broken = join(h.dir, 'export');
    await cp(EXPORT, broken, { recursive: true });
    for (const name of ['users.json', 'users-2.json', 'users-3.json']) {
      const page = JSON.parse(await readFile(join(broken, name), 'utf8')) as { value: Array<Record<string, unknown>> };
      for (const u of page.value) delete u['userPrincipalName'];
      await writeFile(join(broken, name), JSON.stringify(page, null, 2));
    }
    const out = join(h.dir, 'never');
    expect(await h.cli(['fixtures', 'import-graph', broken, '--out', out])).toBe(2);
    expect(h.out.stderr).toMatch(/users\.json: error GRAPH_NO_USERS: none of the 11 users in the users pages can be used/);
    expect(h.out.stderr).toContain("check the export's $select includes id and userPrincipalName");
    await expect(readdir(out)).rejects.toThrow();
    // sync would deprovision every user of the target: it refuses before sending anything.
    expect(await h.cli(['sync', ...h.flags({ fixtures: broken })])).toBe(2);
    expect(h.writes()).toEqual([]);
  });

  it('an incomplete export is bad input: exit 2, the error names the file, nothing is written', async () => {
    const h = await harness();
    const broken = join(h.dir, 'export');
    await cp(EXPORT, broken, { recursive: true });
    await rm(join(broken, 'users-3.json'));
    await writeFile(
      join(broken, 'groups.json'),
      '{"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges"}}',
    );
    const out = join(h.dir, 'never');
    expect(await h.cli(['fixtures', 'import-graph', broken, '--out', out])).toBe(2);
    expect(h.out.stderr).toMatch(/users-2\.json: error GRAPH_MISSING_PAGE: the page has @odata\.nextLink/);
    expect(h.out.stderr).toMatch(/groups\.json: error GRAPH_NOT_A_PAGE: the file holds a Graph error \(Authorization_RequestDenied/);
    expect(h.out.stderr).toContain('provsim: cannot import');
    await expect(readdir(out)).rejects.toThrow();
    // sync refuses it before sending anything.
    expect(await h.cli(['sync', ...h.flags({ fixtures: broken })])).toBe(2);
    expect(h.writes()).toEqual([]);
  });

  it('--anonymize SEED writes a tenant with no original name, mail or id that syncs the same shape; --keep keeps what scoping reads', async () => {
    const h = await harness();
    const out = join(h.dir, 'tenant-anon');
    expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', out, '--anonymize', 'bug-4711 secret', '--keep', 'department'])).toBe(
      0,
    );
    expect(h.out.stderr).toMatch(/provsim: wrote 11 users, 4 groups and 7 assignments of ".*", anonymized, to /);
    const written = (await Promise.all(['users.yaml', 'groups.yaml', 'assignments.yaml'].map((f) => readFile(join(out, f), 'utf8')))).join(
      '\n',
    );
    const exported = (
      await Promise.all((await readdir(EXPORT)).filter((f) => f.endsWith('.json')).map((f) => readFile(join(EXPORT, f), 'utf8')))
    ).join('\n');
    const users = (JSON.parse(await readFile(join(EXPORT, 'users.json'), 'utf8')) as { value: Array<Record<string, unknown>> }).value;
    for (const u of users) {
      for (const key of ['id', 'userPrincipalName', 'mail', 'displayName', 'surname'] as const)
        if (typeof u[key] === 'string') expect(written).not.toContain(u[key]);
    }
    expect(written).toContain('Anonymized: names, mails, ids, phones and addresses are pseudonyms; kept verbatim: department');
    // Kept: a department of the export appears as it was.
    const department = users.find((u) => typeof u['department'] === 'string')!['department'] as string;
    expect(exported).toContain(department);
    expect(written).toContain(`department: ${department}`);

    // The same seed gives the same files; the tenant syncs to a target of the same shape as the original's.
    const again = join(h.dir, 'tenant-anon-2');
    expect(
      await h.cli(['fixtures', 'import-graph', EXPORT, '--out', again, '--anonymize', 'bug-4711 secret', '--keep', 'department']),
    ).toBe(0);
    expect(await readFile(join(again, 'users.yaml'), 'utf8')).toBe(await readFile(join(out, 'users.yaml'), 'utf8'));
    expect(await h.cli(['sync', ...h.flags({ fixtures: out })])).toBe(0);
    const original = await harness();
    expect(await original.cli(['sync', ...original.flags({ fixtures: EXPORT })])).toBe(0);
    const sizes = (x: Harness) => (x.shape() as { groups: Array<{ members: string[] }> }).groups.map((g) => g.members.length).sort();
    expect(h.target.snapshot().users).toHaveLength(original.target.snapshot().users.length);
    expect(sizes(h)).toEqual(sizes(original));

    // Nothing printed quotes the export: no UPN or group name on stderr, nor in --json's diagnostics.
    const groupNames = (
      JSON.parse(await readFile(join(EXPORT, 'groups.json'), 'utf8')) as { value: Array<{ displayName: string }> }
    ).value.map((g) => g.displayName);
    const allUsers = (
      await Promise.all(
        ['users.json', 'users-2.json', 'users-3.json'].map(
          async (f) => (JSON.parse(await readFile(join(EXPORT, f), 'utf8')) as { value: Array<Record<string, unknown>> }).value,
        ),
      )
    ).flat();
    const upns = allUsers.map((u) => u['userPrincipalName'] as string);
    const personal = [...upns, ...upns.map((u) => u.split('@')[0]!), ...groupNames];
    expect(personal.length).toBeGreaterThan(15);
    const withheld = h.out.stderr;
    for (const p of personal) expect(withheld, p).not.toContain(p);
    expect(withheld).toContain('users-3.json:4:5: warning GRAPH_UNRESOLVED_MANAGER: value[0].manager\n');
    expect(withheld).toContain('details are withheld because of --anonymize');
    h.out.stdout = '';
    h.out.stderr = '';
    expect(
      await h.cli([
        'fixtures',
        'import-graph',
        EXPORT,
        '--out',
        join(h.dir, 'tenant-anon-json'),
        '--anonymize',
        'bug-4711 secret',
        '--json',
      ]),
    ).toBe(0);
    for (const p of personal) {
      expect(h.out.stdout, p).not.toContain(p);
      expect(h.out.stderr, p).not.toContain(p);
    }
    const report = JSON.parse(h.out.stdout) as { diagnostics: Array<Record<string, unknown>> };
    expect(report.diagnostics).toContainEqual({
      severity: 'warning',
      code: 'GRAPH_UNRESOLVED_MANAGER',
      file: join(EXPORT, 'users-3.json'),
      position: { line: 4, column: 5 },
      path: 'value[0].manager',
    });

    h.out.stderr = '';
    expect(await h.cli(['fixtures', 'import-graph', EXPORT, '--out', join(h.dir, 'x'), '--keep', 'department'])).toBe(2);
    expect(h.out.stderr).toContain('--keep only applies with --anonymize SEED');
  });
});
