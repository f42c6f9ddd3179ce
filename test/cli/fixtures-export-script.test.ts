/**
 * `provsim fixtures export-script` as a user runs it (main() with argv, in-process): the script on stdout, the
 * mapping's problems with file:line:col and exit 2, usage errors with exit 2.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAPPING, Harness, ROOT } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const BAD_MAPPING = join(ROOT, 'test', 'fixtures', 'mapping-bad-operator.yaml');

describe('provsim fixtures export-script', () => {
  it('prints both scripts by default, and nothing else on stdout', async () => {
    h = new Harness();
    const code = await h.cli(['fixtures', 'export-script', '--mapping', DEFAULT_MAPPING, '--app', 'Contoso SCIM App']);
    expect(code, h.out.stderr).toBe(0);
    expect(h.out.stdout).toMatch(/^# ===== bash, with the Azure CLI/);
    expect(h.out.stdout).toContain('\n#!/usr/bin/env bash\n');
    expect(h.out.stdout).toContain('# ===== PowerShell, with the Microsoft Graph PowerShell SDK');
    expect(h.out.stdout).toContain("$appName = 'Contoso SCIM App'");
    expect(h.out.stderr).toBe('');
  });

  it('--shell bash prints a bash script bash can parse, writing into --out-dir', async () => {
    h = new Harness();
    const code = await h.cli([
      'fixtures',
      'export-script',
      '--mapping',
      DEFAULT_MAPPING,
      '--app',
      'Contoso SCIM App',
      '--shell',
      'bash',
      '--out-dir',
      'contoso export',
    ]);
    expect(code, h.out.stderr).toBe(0);
    expect(h.out.stdout).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(h.out.stdout).toContain("\nout='contoso export'\n");
    expect(h.out.stdout).not.toContain('Invoke-MgGraphRequest');
    expect(spawnSync('bash', ['-n'], { input: h.out.stdout }).status).toBe(0);
  });

  it('--shell powershell prints only the PowerShell script', async () => {
    h = new Harness();
    expect(
      await h.cli(['fixtures', 'export-script', '--mapping', DEFAULT_MAPPING, '--app', 'Contoso SCIM App', '--shell', 'powershell']),
    ).toBe(0);
    expect(h.out.stdout).toMatch(/^# The Microsoft Graph v1\.0 responses/);
    expect(h.out.stdout).toContain('#Requires -Modules Microsoft.Graph.Authentication');
    expect(h.out.stdout).not.toContain('az rest');
  });

  it('reads the mapping from provsim.yaml when --mapping is left out', async () => {
    h = new Harness();
    writeFileSync(join(h.dir, 'provsim.yaml'), `mapping: ${JSON.stringify(DEFAULT_MAPPING)}\n`);
    expect(await h.cli(['fixtures', 'export-script', '--app', 'Contoso SCIM App', '--shell', 'bash'], { cwd: h.dir })).toBe(0);
    expect(h.out.stdout).toContain('$expand=manager($select=id)');
  });

  it('a bad mapping: exit 2, the problem at its file:line:col, no script', async () => {
    h = new Harness();
    const code = await h.cli(['fixtures', 'export-script', '--mapping', BAD_MAPPING, '--app', 'Contoso SCIM App']);
    expect(code).toBe(2);
    expect(h.out.stderr).toMatch(/mapping-bad-operator\.yaml:6:19: error MAPPING_UNKNOWN_OPERATOR: .*"EQUAL"/);
    expect(h.out.stderr).toContain('did you mean `EQUALS`?');
    expect(h.out.stdout).toBe('');
  });

  it('a mapping file that is not there: exit 2, naming it', async () => {
    h = new Harness();
    const missing = join(h.dir, 'nope.yaml');
    expect(await h.cli(['fixtures', 'export-script', '--mapping', missing, '--app', 'X'])).toBe(2);
    expect(h.out.stderr).toContain(`${missing}: error MAPPING_READ_FAILED: cannot read the mapping file: no such file or directory`);
  });

  it('an unknown shell: exit 2, with the choices', async () => {
    h = new Harness();
    expect(await h.cli(['fixtures', 'export-script', '--mapping', DEFAULT_MAPPING, '--app', 'X', '--shell', 'zsh'])).toBe(2);
    expect(h.out.stderr).toContain("argument 'zsh' is invalid. Allowed choices are bash, powershell, both.");
    expect(h.out.stdout).toBe('');
  });

  it('an app name with a line break: exit 2, saying what to give', async () => {
    h = new Harness();
    expect(await h.cli(['fixtures', 'export-script', '--mapping', DEFAULT_MAPPING, '--app', 'Contoso\nrm -rf /'])).toBe(2);
    expect(h.out.stderr).toContain('provsim: --app "Contoso\\nrm -rf /" holds a control character or line break; give the display name');
    expect(h.out.stdout).toBe('');
  });

  it('without --app or --mapping: exit 2, naming the missing flag', async () => {
    h = new Harness();
    expect(await h.cli(['fixtures', 'export-script', '--mapping', DEFAULT_MAPPING])).toBe(2);
    expect(h.out.stderr).toContain("required option '--app <name>' not specified");
    expect(await h.cli(['fixtures', 'export-script', '--app', 'X'])).toBe(2);
    expect(h.out.stderr).toContain('missing --mapping: give it (e.g. --mapping mappings/customappsso.yaml)');
  });
});
