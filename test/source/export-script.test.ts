/**
 * The export script's `$select` lists against what each mapping reads, computed here from the raw mapping
 * (Direct rows, `[attribute]`s of expression texts, scoping clauses) and translated with this file's own
 * table; the shell quoting of user-given names; the bash form run against a stub `az` (and, when jq is
 * installed, through every step with paging).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadMapping } from '../../src/engine/load-inputs.js';
import { loadJob } from '../../src/mapping-file/index.js';
import type { ObjectMapping } from '../../src/model/job.js';
import {
  bashQuote,
  graphExportPlan,
  graphUserProperty,
  odataStringInUrl,
  powershellQuote,
  renderExportScript,
} from '../../src/source/graph/export-script.js';

const ROOT = join(import.meta.dirname, '..', '..');
const MAPPINGS = {
  customappsso: join(ROOT, 'mappings', 'customappsso.yaml'),
  zapier: join(ROOT, 'mappings', 'zapier.yaml'),
  expressions: join(ROOT, 'test', 'fixtures', 'export-script', 'expressions.yaml'),
  scoping: join(ROOT, 'test', 'fixtures', 'export-script', 'scoping.yaml'),
  groupsDisabled: join(ROOT, 'test', 'fixtures', 'export-script', 'groups-disabled.yaml'),
};

/** The documented translation, Entra source name → Graph v1.0 property (null: no `$select` property). */
const USER_TO_GRAPH: Record<string, string | null> = {
  objectId: 'id',
  telephoneNumber: 'businessPhones',
  mobile: 'mobilePhone',
  facsimileTelephoneNumber: 'faxNumber',
  physicalDeliveryOfficeName: 'officeLocation',
  originalUserPrincipalName: 'userPrincipalName',
  IsSoftDeleted: 'accountEnabled',
  manager: null,
  appRoleAssignments: null,
};
const GROUP_TO_GRAPH: Record<string, string | null> = { objectId: 'id', members: null, appRoleAssignments: null };
/** What provsim needs whatever the mapping reads. */
const ALWAYS = { users: ['id', 'userPrincipalName', 'accountEnabled', 'displayName'], groups: ['id', 'displayName'] };

/** The source attributes a raw object mapping reads, found without the compiler. */
function reads(mapping: ObjectMapping): Set<string> {
  const out = new Set<string>();
  if (!mapping.enabled) return out;
  for (const row of mapping.attributes) {
    if (row.source.kind === 'direct') out.add(row.source.attribute);
    if (row.source.kind === 'expression') for (const m of row.source.text.matchAll(/\[([^\]]+)\]/g)) out.add(m[1]!);
  }
  for (const group of mapping.scoping) for (const clause of group) out.add(clause.attribute);
  return out;
}

function translated(names: Set<string>, table: Record<string, string | null>): Set<string> {
  const out = new Set<string>();
  for (const n of names) {
    const graph = n in table ? table[n]! : n;
    if (graph !== null) out.add(graph);
  }
  return out;
}

/** The `$select` list of every users or groups URL in the script (one per URL, in order). */
function selects(script: string, collection: 'users' | 'groups'): string[][] {
  const re = new RegExp(`https://graph\\.microsoft\\.com/v1\\.0/${collection}\\?\\$select=([^&'\\s]+)`, 'g');
  return [...script.matchAll(re)].map((m) => m[1]!.split(','));
}

async function scriptFor(file: string, shell: 'bash' | 'powershell' | 'both' = 'both', appName = 'Contoso SCIM App'): Promise<string> {
  const { job } = await loadMapping(file);
  return renderExportScript(job, { appName, shell });
}

describe('$select lists: what the mapping reads, in Graph names, plus what provsim needs', () => {
  for (const [name, file] of Object.entries(MAPPINGS)) {
    it(`${name}: users and groups, in both shells, both directions`, async () => {
      const { job } = await loadJob(file);
      const userReads = reads(job!.users);
      const groupReads = reads(job!.groups);
      const script = await scriptFor(file);
      for (const [collection, mappingReads, table] of [
        ['users', userReads, USER_TO_GRAPH],
        ['groups', groupReads, GROUP_TO_GRAPH],
      ] as const) {
        const lists = selects(script, collection);
        expect(lists).toHaveLength(2); // bash and PowerShell
        expect(lists[1]).toEqual(lists[0]);
        const printed = new Set(lists[0]);
        const expected = translated(mappingReads, table);
        // Nothing the mapping reads is missing…
        expect([...expected].filter((p) => !printed.has(p))).toEqual([]);
        // …and nothing is there beyond it but the documented always-needed properties.
        expect([...printed].filter((p) => !expected.has(p) && !ALWAYS[collection].includes(p))).toEqual([]);
        for (const p of ALWAYS[collection]) expect(printed).toContain(p);
        expect(lists[0]!.length).toBe(printed.size); // no duplicates
      }
      // The manager comes through $expand exactly when the mapping reads it.
      const expands = [...script.matchAll(/\/v1\.0\/users\?[^'\s]*\$expand=manager\(\$select=id\)/g)];
      expect(expands).toHaveLength(userReads.has('manager') ? 2 : 0);
      expect(script).not.toMatch(/transitiveMembers\?/);
    });
  }

  it('the test mappings cover what they are for', async () => {
    const expressions = (await loadJob(MAPPINGS.expressions)).job!;
    const r = reads(expressions.users);
    for (const n of ['extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_costCenter', 'manager', 'telephoneNumber', 'IsSoftDeleted'])
      expect(r).toContain(n);
    const scoping = (await loadJob(MAPPINGS.scoping)).job!;
    expect(scoping.users.scoping.flat().map((c) => c.attribute)).toContain('facsimileTelephoneNumber');
    expect(scoping.groups.scoping.flat().map((c) => c.attribute)).toEqual(['description']);
  });

  it('customappsso: the list as documented', async () => {
    const { job } = await loadMapping(MAPPINGS.customappsso);
    expect(graphExportPlan(job)).toEqual({
      users: {
        select: [
          'id',
          'userPrincipalName',
          'accountEnabled',
          'displayName',
          'jobTitle',
          'mail',
          'preferredLanguage',
          'givenName',
          'surname',
          'officeLocation',
          'streetAddress',
          'city',
          'state',
          'postalCode',
          'country',
          'businessPhones',
          'mobilePhone',
          'faxNumber',
          'mailNickname',
          'employeeId',
          'department',
        ],
        expandManager: true,
      },
      groups: { select: ['id', 'displayName'] },
      membersOf: 'assigned',
    });
  });

  it('a directory extension read only inside an expression is selected', async () => {
    const script = await scriptFor(MAPPINGS.expressions, 'bash');
    expect(selects(script, 'users')[0]).toContain('extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_costCenter');
  });

  it("Graph's names for on-premises extension attributes and employeeOrgData", () => {
    expect(graphUserProperty('extensionAttribute3')).toBe('onPremisesExtensionAttributes');
    expect(graphUserProperty('extensionAttribute15')).toBe('onPremisesExtensionAttributes');
    expect(graphUserProperty('extensionAttribute16')).toBe('extensionAttribute16');
    expect(graphUserProperty('employeeOrgData.costCenter')).toBe('employeeOrgData');
    expect(graphUserProperty('extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_costCenter')).toBe(
      'extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_costCenter',
    );
  });

  it('members: of the assigned groups, or of every group when the job syncs all; direct members only', async () => {
    const assigned = await scriptFor(MAPPINGS.customappsso, 'bash');
    expect(assigned).toContain(`select(.principalType == "Group") | .principalId' "$out"/appRoleAssignedTo*.json`);
    const all = await scriptFor(MAPPINGS.scoping, 'both');
    expect(all).toContain(`jq -r '.value[].id' "$out"/groups*.json`);
    expect(all).toContain("-Filter 'groups*.json'");
    for (const s of [assigned, all]) {
      expect(s).toMatch(/\/groups\/'"\$group_id"'\/members\?\$select=id,displayName&\$top=999'/);
      expect(s).not.toContain('transitiveMembers?');
    }
  });

  it('the header names the permissions, $top=999 and no ConsistencyLevel header', async () => {
    const script = await scriptFor(MAPPINGS.customappsso, 'both');
    expect(script).toContain('User.Read.All, Group.Read.All, Application.Read.All');
    expect(script).toContain("Connect-MgGraph -Scopes 'User.Read.All', 'Group.Read.All', 'Application.Read.All'");
    expect(script).toContain('No ConsistencyLevel header');
    expect(script).not.toMatch(/^[^#].*ConsistencyLevel/m);
    for (const url of script.matchAll(/https:\/\/graph\.microsoft\.com\/v1\.0\/(users|groups)\?[^'\s]*/g))
      expect(url[0]).toContain('$top=999');
  });

  it('is deterministic', async () => {
    expect(await scriptFor(MAPPINGS.expressions)).toBe(await scriptFor(MAPPINGS.expressions));
  });

  it('refuses an empty app name, control characters and an unknown shell, saying which option', async () => {
    const { job } = await loadMapping(MAPPINGS.customappsso);
    expect(() => renderExportScript(job, { appName: ' ' })).toThrow(/--app is empty/);
    expect(() => renderExportScript(job, { appName: 'a\nb' })).toThrow(/--app "a\\nb" holds a control character/);
    expect(() => renderExportScript(job, { appName: 'a', outDir: 'x\ry' })).toThrow(/--out-dir/);
    expect(() => renderExportScript(job, { appName: 'a', shell: 'zsh' as 'bash' })).toThrow(
      /--shell zsh is not one of bash, powershell, both/,
    );
  });
});

/** Names a shell or OData would act on, were they not quoted. */
const HOSTILE = [
  `O'Brien's "App" $(touch pwned1) \`touch pwned2\` $HOME; touch pwned3 & | > pwned4`,
  `‘smart’ ’quotes‛ ‚x’ '' '; Write-Host pwned; '`,
  `$env:PATH ${'${IFS}'} \\' %27 %20 & # not a comment`,
];

/** PowerShell's verbatim string at `text[start]`: its value and where it ends, by PowerShell's rules. */
function readPowershellLiteral(text: string, start: number): { value: string; end: number } {
  const quotes = "'\u2018\u2019\u201a\u201b";
  expect(quotes).toContain(text[start]);
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    if (quotes.includes(text[i]!)) {
      if (i + 1 < text.length && quotes.includes(text[i + 1]!)) {
        value += text[i + 1];
        i++;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += text[i];
  }
  throw new Error('unterminated literal');
}

describe('user-given names are inert in both shells', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it('the OData literal doubles quotes and the URL holds nothing a shell reads', () => {
    for (const name of HOSTILE) {
      const inUrl = odataStringInUrl(name);
      expect(inUrl).toMatch(/^[A-Za-z0-9\-_.~%]+$/);
      expect(decodeURIComponent(inUrl)).toBe(`'${name.replace(/'/g, "''")}'`);
    }
  });

  it('PowerShell: the name is one verbatim string, and the URL holds no quote', async () => {
    for (const name of HOSTILE) {
      const script = await scriptFor(MAPPINGS.customappsso, 'powershell', name);
      const line = script.split('\n').find((l) => l.startsWith('$appName = '))!;
      const literal = readPowershellLiteral(line, '$appName = '.length);
      expect(literal).toEqual({ value: name, end: line.length });
      expect(powershellQuote(name)).toBe(line.slice('$appName = '.length));
      const lookup = script.split('\n').find((l) => l.includes('/servicePrincipals?$filter='))!;
      const uri = readPowershellLiteral(lookup, lookup.indexOf("-Uri '") + '-Uri '.length);
      expect(uri.value).toMatch(
        /^https:\/\/graph\.microsoft\.com\/v1\.0\/servicePrincipals\?\$filter=displayName%20eq%20[A-Za-z0-9\-_.~%]+&\$select=id$/,
      );
      // Outside that line and the escaped header, the name appears nowhere.
      const elsewhere = script
        .split('\n')
        .filter((l) => !l.startsWith('$appName = ') && !l.startsWith('#'))
        .join('\n');
      expect(elsewhere).not.toContain(name);
    }
  });

  it('bash: run against a stub az, the name reaches the URL encoded and the message verbatim, and runs nothing', async () => {
    dir = mkdtempSync(join(tmpdir(), 'provsim-export-script-'));
    const log = join(dir, 'az.log');
    // A stub az: records its arguments and finds no service principal.
    writeFileSync(join(dir, 'az'), `#!/usr/bin/env bash\nprintf '%s\\0' "$@" >> ${bashQuote(log)}\n`);
    chmodSync(join(dir, 'az'), 0o755);
    for (const [i, name] of HOSTILE.entries()) {
      const script = await scriptFor(MAPPINGS.customappsso, 'bash', name);
      expect(spawnSync('bash', ['-n'], { input: script }).status).toBe(0);
      rmSync(log, { force: true });
      const run = spawnSync('bash', ['-s'], {
        input: script,
        cwd: dir,
        env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}`, HOME: dir },
        encoding: 'utf8',
      });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).toContain(`export: 0 service principals are named "${name}"`);
      const args = readFileSync(log, 'utf8').split('\0').slice(0, -1);
      const url = args[args.indexOf('--url') + 1]!;
      const filter = new URL(url).searchParams.get('$filter');
      expect(filter, `name ${i}`).toBe(`displayName eq '${name.replace(/'/g, "''")}'`);
      expect(readdirSync(dir).filter((f) => f.startsWith('pwned'))).toEqual([]);
      rmSync(join(dir, 'graph-export'), { recursive: true, force: true });
    }
  });

  it('bash: the output directory is quoted too', async () => {
    const { job } = await loadMapping(MAPPINGS.customappsso);
    const outDir = `-out $(touch pwned) 'x'`;
    const script = renderExportScript(job, { appName: 'a', shell: 'bash', outDir });
    expect(script).toContain(`out=${bashQuote(`./${outDir}`)}`);
    const ps = renderExportScript(job, { appName: 'a', shell: 'powershell', outDir });
    expect(ps).toContain(`$out = ${powershellQuote(`./${outDir}`)}`);
  });
});

const hasJq = spawnSync('jq', ['--version']).status === 0;

describe('bash: every step against a stub Graph', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  it.skipIf(!hasJq)('saves each page, follows @odata.nextLink, and fetches the direct members of assigned groups', async () => {
    dir = mkdtempSync(join(tmpdir(), 'provsim-export-run-'));
    const G = 'https://graph.microsoft.com/v1.0';
    const sp = '11111111-2222-4333-8444-555555555555';
    const group = 'b3a87958-10ff-4944-9400-5d9ecd945612';
    const script = await scriptFor(MAPPINGS.customappsso, 'bash');
    const usersUrl = /save_pages users '([^']+)'/.exec(script)![1]!;
    const groupsUrl = /save_pages groups '([^']+)'/.exec(script)![1]!;
    const routes: Record<string, unknown> = {
      [`${G}/servicePrincipals?$filter=displayName%20eq%20%27Contoso%20SCIM%20App%27&$select=id`]: { value: [{ id: sp }] },
      [`${G}/servicePrincipals/${sp}?$select=id,appId,displayName,appRoles`]: { id: sp, displayName: 'Contoso SCIM App', appRoles: [] },
      [`${G}/servicePrincipals/${sp}/appRoleAssignedTo?$top=999`]: {
        value: [
          { principalId: group, principalType: 'Group', appRoleId: '00000000-0000-0000-0000-000000000000' },
          { principalId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', principalType: 'User', appRoleId: '00000000-0000-0000-0000-000000000000' },
        ],
      },
      [usersUrl]: { value: [{ id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }], '@odata.nextLink': `${G}/users?$skiptoken=page2` },
      [`${G}/users?$skiptoken=page2`]: { value: [{ id: 'ffffffff-bbbb-4ccc-8ddd-eeeeeeeeeeee' }] },
      [groupsUrl]: { value: [{ id: group, displayName: 'Sales Team' }] },
      [`${G}/groups/${group}/members?$select=id,displayName&$top=999`]: {
        value: [{ '@odata.type': '#microsoft.graph.user', id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }],
      },
    };
    writeFileSync(join(dir, 'routes.json'), JSON.stringify(routes));
    writeFileSync(
      join(dir, 'az.mjs'),
      [
        "import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';",
        'const args = process.argv.slice(2);',
        'const get = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);',
        "const url = get('--url');",
        "appendFileSync(process.env.AZ_LOG, url + '\\n');",
        "const body = JSON.parse(readFileSync(process.env.AZ_ROUTES, 'utf8'))[url];",
        "if (body === undefined) { process.stderr.write('no route for ' + url + '\\n'); process.exit(3); }",
        "if (get('--output-file')) writeFileSync(get('--output-file'), JSON.stringify(body));",
        "else if (get('--query') === 'value[].id') process.stdout.write(body.value.map((v) => v.id + '\\n').join(''));",
        'else process.stdout.write(JSON.stringify(body));',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'az'), `#!/bin/sh\nexec ${bashQuote(process.execPath)} ${bashQuote(join(dir, 'az.mjs'))} "$@"\n`);
    chmodSync(join(dir, 'az'), 0o755);
    const run = spawnSync('bash', ['-s'], {
      input: script,
      cwd: dir,
      env: {
        ...process.env,
        PATH: `${dir}:${process.env['PATH'] ?? ''}`,
        AZ_LOG: join(dir, 'az.log'),
        AZ_ROUTES: join(dir, 'routes.json'),
      },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const out = join(dir, 'graph-export');
    expect(readdirSync(out).sort()).toEqual([
      'appRoleAssignedTo.json',
      'groups.json',
      `members-${group}.json`,
      'servicePrincipal.json',
      'users-2.json',
      'users.json',
    ]);
    expect(JSON.parse(readFileSync(join(out, 'users-2.json'), 'utf8'))).toEqual(routes[`${G}/users?$skiptoken=page2`]);
    expect(JSON.parse(readFileSync(join(out, 'servicePrincipal.json'), 'utf8'))).toMatchObject({ id: sp });
    expect(readFileSync(join(dir, 'az.log'), 'utf8')).not.toContain('transitiveMembers');

    // A second run refuses the directory it filled: stale pages would be imported too.
    const again = spawnSync('bash', ['-s'], {
      input: script,
      cwd: dir,
      env: { ...process.env, PATH: `${dir}:${process.env['PATH'] ?? ''}` },
      encoding: 'utf8',
    });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('graph-export is not empty');
    expect(existsSync(join(out, 'users-3.json'))).toBe(false);
  });
});
