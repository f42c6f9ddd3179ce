/**
 * Entra's reading of every response (spec §1.13), through the real engine against a nock-pinned target:
 * each row ends in the documented provisioning-log error code, with method, URL, status and body.
 */
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CycleResult } from '../../src/engine/reconcile.js';
import { emptyFilters, fakeTarget, job, list, tenant, WireRun, writes, type Route } from './scenario.js';

let run: WireRun;
beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.cleanAll();
  run?.close();
});

const USERS = `- {id: 0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef, userPrincipalName: ann@contoso.com, displayName: Ann}\n`;
const ASSIGNED = 'app: {name: App, appRoles: []}\nassignments:\n  - {principal: ann@contoso.com}\n';
const MAPPING = `users:
  attributes:
    - {target: userName, source: userPrincipalName, match: 1}
    - {target: displayName, source: displayName}
    - {target: active, expression: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")'}
`;
const SCIM_ERROR = (status: number, scimType?: string, detail = 'no') => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status: String(status),
  ...(scimType ? { scimType } : {}),
  detail,
});
const probe: Route = (r) => (r.method === 'GET' && /filter=userName\+eq\+%22[0-9a-f]{8}-/.test(r.path) ? [200, list([])] : undefined);

async function once(routes: Route[], users = USERS): Promise<{ result: CycleResult; entry: CycleResult['log'][number] | undefined }> {
  run = new WireRun();
  fakeTarget([probe, ...routes]);
  const result = await run.cycle(tenant(users, ASSIGNED), job(MAPPING));
  return { result, entry: result.log.find((e) => e.sourceIdentity.id === '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef') };
}

describe('filter GET', () => {
  it('more than one match → DuplicateTargetEntries, nothing written', async () => {
    const { entry } = await once([
      (r) =>
        r.method === 'GET'
          ? [
              200,
              list([
                { id: 'a', userName: 'ann@contoso.com' },
                { id: 'b', userName: 'ANN@contoso.com' },
              ]),
            ]
          : undefined,
    ]);
    expect(entry).toMatchObject({ status: 'Failure', errorCode: 'DuplicateTargetEntries' });
  });
  it('exactly one → linked (and compared)', async () => {
    const { entry } = await once([
      (r) => (r.method === 'GET' ? [200, list([{ id: 'a', userName: 'ann@contoso.com', displayName: 'Ann', active: true }])] : undefined),
    ]);
    expect(entry).toMatchObject({ provisioningAction: 'Other', status: 'Skipped', targetIdentity: { id: 'a' } });
  });
  it('an HTML page → SystemForCrossDomainIdentityManagementServiceIncompatible, quoting the body', async () => {
    const { entry } = await once([(r) => (r.method === 'GET' ? [200, '<html>Sign in</html>'] : undefined)]);
    expect(entry).toMatchObject({
      status: 'Failure',
      errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
      errorDetails: { method: 'GET', status: 200, body: '<html>Sign in</html>' },
    });
  });
});

describe('writes', () => {
  const created: Route = (r) => (r.method === 'POST' ? [201, { ...(r.body as object), id: 'new' }] : undefined);
  it.each([
    [409, 'uniqueness', 'EntryConflict'],
    [400, 'invalidValue', 'UnprocessableEntity'],
    [400, 'invalidPath', 'SchemaAttributeNotFound'],
    [422, undefined, 'UnprocessableEntity'],
    [501, undefined, 'NotImplemented'],
  ] as const)('POST → %i %s → %s with the SCIM error body', async (status, scimType, code) => {
    const body = SCIM_ERROR(status, scimType, `refused with ${status}`);
    const { entry, result } = await once([emptyFilters, (r) => (r.method === 'POST' ? [status, body] : undefined)]);
    expect(entry).toMatchObject({
      provisioningAction: 'Create',
      status: 'Failure',
      errorCode: code,
      errorDetails: { method: 'POST', url: 'http://127.0.0.1:9/scim/Users', status, body },
    });
    expect(result.status).toBe('entry-level-errors');
  });

  it('PATCH answered 200 with a body or 204 without both succeed', async () => {
    for (const answer of [[200, { id: 'a' }], [204]] as const) {
      const existing = { id: 'a', userName: 'ann@contoso.com', displayName: 'Old', active: true };
      const { entry } = await once([
        (r) => (r.method === 'GET' ? [200, list([existing])] : undefined),
        (r) => (r.method === 'PATCH' ? ([...answer] as [number, unknown?]) : undefined),
      ]);
      expect(entry).toMatchObject({ provisioningAction: 'Update', status: 'Success' });
      run.close();
      nock.cleanAll();
    }
  });

  it('404 on a linked object → InvalidAnchor', async () => {
    run = new WireRun();
    fakeTarget([probe, emptyFilters, created, (r) => (r.method === 'PATCH' ? [404, SCIM_ERROR(404)] : undefined)]);
    await run.cycle(tenant(USERS, ASSIGNED), job(MAPPING));
    const second = await run.cycle(tenant(USERS.replace('displayName: Ann', 'displayName: Anna'), ASSIGNED), job(MAPPING));
    expect(second.log[0]).toMatchObject({
      provisioningAction: 'Update',
      status: 'Failure',
      errorCode: 'InvalidAnchor',
      errorDetails: { method: 'PATCH', url: 'http://127.0.0.1:9/scim/Users/new', status: 404 },
    });
  });

  it('DELETE answered 204, or 404 (already gone), ends the link', async () => {
    for (const status of [204, 404]) {
      run = new WireRun();
      const captured = fakeTarget([probe, emptyFilters, created, (r) => (r.method === 'DELETE' ? [status] : undefined)]);
      await run.cycle(tenant(USERS, ASSIGNED), job(MAPPING));
      const gone = await run.cycle(tenant('[]', 'app: {name: App, appRoles: []}\nassignments: []\n'), job(MAPPING));
      expect(gone.log[0]).toMatchObject({ provisioningAction: 'Delete', status: 'Success' });
      expect(writes(captured).at(-1)).toMatchObject({ method: 'DELETE', path: '/scim/Users/new' });
      expect(run.links().size).toBe(0);
      run.close();
      nock.cleanAll();
    }
  });

  it('401 or 403 on a write stops the cycle: a job-level failure (EncounteredQuarantineException)', async () => {
    for (const status of [401, 403]) {
      const { result } = await once([emptyFilters, (r) => (r.method === 'POST' ? [status, SCIM_ERROR(status)] : undefined)]);
      expect(result).toMatchObject({ status: 'failed', jobFailure: { reason: 'EncounteredQuarantineException' } });
      // As bad credentials at the probe do: the job is quarantined and its next cycle backs off.
      expect(result.quarantine).toMatchObject({ reason: 'EncounteredQuarantineException', seriesCount: 1 });
      run.close();
      nock.cleanAll();
    }
  });
});

describe('expression failures at run time', () => {
  it('a mapping expression that fails on this object is a per-object failure; nothing is sent for it', async () => {
    run = new WireRun();
    const captured = fakeTarget([probe, emptyFilters]);
    const mapping = MAPPING.replace(
      '    - {target: displayName, source: displayName}',
      "    - {target: displayName, expression: 'Mid([displayName], [displayName], 2)'}",
    );
    const result = await run.cycle(tenant(USERS, ASSIGNED), job(mapping));
    expect(result.log[0]).toMatchObject({
      status: 'Failure',
      errorCode: 'ExpressionEvaluationFailed',
      errorReason: expect.stringContaining('EXPR_EVAL_NOT_A_NUMBER'),
    });
    expect(writes(captured)).toEqual([]);
  });

  it('the same expression on a user who is not assigned is not evaluated: the user is skipped as not entitled', async () => {
    run = new WireRun();
    const captured = fakeTarget([probe, emptyFilters]);
    const mapping = MAPPING.replace(
      '    - {target: displayName, source: displayName}',
      "    - {target: displayName, expression: 'Mid([displayName], [displayName], 2)'}",
    );
    const result = await run.cycle(tenant(USERS, 'app: {name: App, appRoles: []}\nassignments: []\n'), job(mapping));
    expect(result.log).toHaveLength(1);
    expect(result.log[0]).toMatchObject({ status: 'Skipped', errorCode: null });
    expect(JSON.stringify(result.log[0])).toContain('NotEffectivelyEntitled');
    expect(JSON.stringify(result.log[0])).not.toContain('EXPR_EVAL');
    expect(writes(captured)).toEqual([]);
  });
});
