import { describe, expect, it } from 'vitest';
import { loadJob } from '../../src/mapping-file/load-job.js';
import type { AttributeMapping, Job } from '../../src/model/job.js';

async function load(file: string): Promise<Job> {
  const { job, diagnostics } = await loadJob(file);
  expect(diagnostics).toEqual([]);
  expect(job).not.toBeNull();
  return job!;
}

/** A row as `target ← source` the way spec §2 tables write it. */
function row(a: AttributeMapping): string {
  const s = a.source;
  const from = s.kind === 'direct' ? s.attribute : s.kind === 'constant' ? `"${s.value}"` : s.text;
  return `${a.target} ← ${from}${a.match === null ? '' : ` (match ${a.match})`}`;
}

const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

describe('mappings/customappsso.yaml', () => {
  it("loads with zero diagnostics and holds spec §2.2's 22 user rows in order and §2.3's 3 group rows", async () => {
    const job = await load('mappings/customappsso.yaml');
    expect(job.settings).toEqual({
      scope: 'assigned',
      skipOutOfScopeDeletions: false,
      accidentalDeletionThreshold: null,
      provisionDefaultAccess: true,
    });
    expect(job.users.attributes.map(row)).toEqual([
      'userName ← userPrincipalName (match 1)',
      `active ← ${ACTIVE}`,
      'displayName ← displayName',
      'title ← jobTitle',
      'emails[type eq "work"].value ← mail',
      'preferredLanguage ← preferredLanguage',
      'name.givenName ← givenName',
      'name.familyName ← surname',
      'name.formatted ← Join(" ", [givenName], [surname])',
      'addresses[type eq "work"].formatted ← physicalDeliveryOfficeName',
      'addresses[type eq "work"].streetAddress ← streetAddress',
      'addresses[type eq "work"].locality ← city',
      'addresses[type eq "work"].region ← state',
      'addresses[type eq "work"].postalCode ← postalCode',
      'addresses[type eq "work"].country ← country',
      'phoneNumbers[type eq "work"].value ← telephoneNumber',
      'phoneNumbers[type eq "mobile"].value ← mobile',
      'phoneNumbers[type eq "fax"].value ← facsimileTelephoneNumber',
      'externalId ← mailNickname',
      `${ENT}:employeeNumber ← employeeId`,
      `${ENT}:department ← department`,
      `${ENT}:manager ← manager`,
    ]);
    expect(job.users.attributes.every((a) => a.apply === 'always' && a.default === null && !a.caseExact)).toBe(true);
    expect(job.groups.enabled).toBe(true);
    expect(job.groups.attributes.map(row)).toEqual(['displayName ← displayName (match 1)', 'externalId ← objectId', 'members ← members']);
  });

  it('gives the active expression the file position of its first character', async () => {
    const job = await load('mappings/customappsso.yaml');
    const active = job.users.attributes[1]!.source;
    if (active.kind !== 'expression') throw new Error('active should be an expression');
    const { readFile } = await import('node:fs/promises');
    const line = (await readFile('mappings/customappsso.yaml', 'utf8')).split('\n')[active.position.line - 1]!;
    expect(line.slice(active.position.column - 1).startsWith(ACTIVE)).toBe(true);
  });
});

describe('mappings/zapier.yaml', () => {
  it('loads with zero diagnostics and holds the spec §2.4 rows', async () => {
    const job = await load('mappings/zapier.yaml');
    expect(job.settings.provisionDefaultAccess).toBe(false);
    expect(job.users.attributes.map(row)).toEqual([
      'userName ← userPrincipalName (match 1)',
      `active ← ${ACTIVE}`,
      'externalId ← mailNickname',
      'name.givenName ← givenName',
      'name.familyName ← surname',
      'emails[type eq "work"].value ← mail',
    ]);
    expect(job.groups.attributes.map(row)).toEqual(['displayName ← displayName (match 1)', 'members ← members']);
  });
});

describe('loadJob', () => {
  it('reports a file that cannot be read', async () => {
    const { job, diagnostics } = await loadJob('mappings/no-such-mapping.yaml');
    expect(job).toBeNull();
    expect(diagnostics.map((d) => [d.code, d.file, d.position])).toEqual([
      ['MAPPING_READ_FAILED', 'mappings/no-such-mapping.yaml', undefined],
    ]);
  });

  it('reads bad-input files with positions', async () => {
    const { job, diagnostics } = await loadJob('test/fixtures/mapping-bad-operator.yaml');
    expect(job).toBeNull();
    expect(diagnostics.map((d) => `${d.code} ${d.file}:${d.position?.line}:${d.position?.column}`)).toEqual([
      'MAPPING_UNKNOWN_OPERATOR test/fixtures/mapping-bad-operator.yaml:6:19',
    ]);
  });
});
