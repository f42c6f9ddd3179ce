import { describe, expect, it } from 'vitest';
import { evaluateSource } from '../../src/engine/desired.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';
import { aGroup, aJob, aTenant, aUser, id } from '../helpers/builders.js';

const deps = () => ({ clock: new ManualClock('2026-05-01T08:00:00Z'), random: seededRandom(1) });

describe('evaluateSource: the facts of each desired object', () => {
  const tenant = aTenant(
    [
      aUser('ana', { department: 'Sales' }),
      aUser('ben', { department: 'Sales', displayName: 'Ben B.' }),
      aUser('cy', { department: 'Marketing' }),
      aUser('dee', { department: 'Sales', enabled: false }),
      aUser('eve', { department: 'Sales', softDeleted: true }),
    ],
    [aGroup('sales', ['ana']), aGroup('unassigned-group', ['ben'])],
    ['ana', 'cy', 'dee', 'eve', 'sales'],
  );
  const job = aJob({ scopeDepartment: 'Sales' });
  const desired = evaluateSource(tenant, job, deps());
  const facts = desired.map((d) => ({
    id: d.id,
    position: d.position,
    objectType: d.objectType,
    displayName: d.displayName,
    provision: d.provision,
    cause: d.cause,
    detailed: d.causeDetail !== null,
    scopeFailure: d.scopeFailure,
  }));

  it('gives the type, position, name, provisioning state and cause of each object, users first', () => {
    expect(facts).toEqual([
      {
        id: id('ana'),
        position: 0,
        objectType: 'User',
        displayName: 'Ana',
        provision: true,
        cause: null,
        detailed: false,
        scopeFailure: null,
      },
      {
        id: id('ben'),
        position: 1,
        objectType: 'User',
        displayName: 'Ben B.',
        provision: false,
        cause: 'unassigned',
        detailed: true,
        scopeFailure: null,
      },
      {
        id: id('cy'),
        position: 2,
        objectType: 'User',
        displayName: 'Cy',
        provision: false,
        cause: 'out-of-scope',
        detailed: true,
        scopeFailure: null,
      },
      {
        id: id('dee'),
        position: 3,
        objectType: 'User',
        displayName: 'Dee',
        provision: false,
        cause: 'disabled',
        detailed: true,
        scopeFailure: null,
      },
      {
        id: id('eve'),
        position: 4,
        objectType: 'User',
        displayName: 'Eve',
        provision: false,
        cause: 'soft-deleted',
        detailed: true,
        scopeFailure: null,
      },
      {
        id: id('sales'),
        position: 5,
        objectType: 'Group',
        displayName: 'sales',
        provision: true,
        cause: null,
        detailed: false,
        scopeFailure: null,
      },
      {
        id: id('unassigned-group'),
        position: 6,
        objectType: 'Group',
        displayName: 'unassigned-group',
        provision: false,
        cause: 'unassigned',
        detailed: true,
        scopeFailure: null,
      },
    ]);
  });

  it('says why an object is not provisioned', () => {
    const byName = new Map(desired.map((d) => [d.displayName, d]));
    expect(byName.get('Ben B.')!.causeDetail).toMatch(/not assigned/);
    expect(byName.get('Dee')!.causeDetail).toBe('accountEnabled is false in Entra');
    expect(byName.get('Eve')!.causeDetail).toMatch(/soft-deleted/);
  });

  it('shows the mapping IsSoftDeleted true exactly for the users it does not provision', () => {
    for (const d of desired.filter((o) => o.objectType === 'User'))
      expect([d.displayName, d.view.attributes['IsSoftDeleted']]).toEqual([d.displayName, d.provision ? 'False' : 'True']);
    const active = (name: string) =>
      desired.find((d) => d.displayName === name)!.mapped.values.find((v) => v.attribute.path.raw === 'active')?.value;
    expect([active('Ana'), active('Dee'), active('Eve')]).toEqual(['True', 'False', 'False']);
  });

  it('builds the mapped values again, the same, after release', () => {
    const ana = desired[0]!;
    const first = ana.mapped;
    ana.release();
    expect(ana.keptView()).toBeNull();
    expect(ana.mapped).not.toBe(first);
    expect(ana.mapped).toEqual(first);
  });

  it('keeps the watermark hashes a state file holds: the same text as before they were kept as bytes', () => {
    // Hashes the store keeps from earlier versions must compare equal, or every object would be worked again.
    expect(desired.map((d) => d.hash)).toEqual([
      'z+15TrlgWrn80NxR8UyuIwatOzY=',
      'XK3savmvQtqLotNNdmtFKboheX0=',
      'DTH7MaaTXO7SbXpbI0JZNHdTjUc=',
      'Ps6Yrg/U0IQWdNIzGFYq2ON1+s4=',
      'zjKNXQKUImM3yMOqQ52ZLtR6VYg=',
      '5ihapmq2b/dWMt9/iE4Tf/1Y+ww=',
      'ePh4gXA8cLxx78ans18+4H1CD10=',
    ]);
  });

  it('is plain facts as JSON', () => {
    expect(JSON.parse(JSON.stringify(desired[1]))).toEqual({
      objectType: 'User',
      id: id('ben'),
      position: 1,
      displayName: 'Ben B.',
      provision: false,
      cause: 'unassigned',
      causeDetail: desired[1]!.causeDetail,
      scopeFailure: null,
      hash: desired[1]!.hash,
    });
  });
});
