/**
 * Job settings end to end: accidental-deletion prevention, skipOutOfScopeDeletions, target object actions,
 * scope "all", and a scoping filter — each checked on the target's final state after day 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

/** The default mapping with some text replaced, written into the harness directory. */
function mapping(h: Harness, edits: Array<[string, string]>): string {
  let text = readFileSync(DEFAULT_MAPPING, 'utf8');
  for (const [from, to] of edits) {
    expect(text).toContain(from);
    text = text.replace(from, to);
  }
  const file = join(h.dir, 'mapping.yaml');
  writeFileSync(file, text);
  return file;
}

describe('accidental-deletion prevention (spec §5.11)', () => {
  // In batches, the disables and deletes of every batch are counted together (they form one last batch).
  it.each([
    ['in one pass', undefined],
    ['in batches of 2', 2],
  ] as const)('holds back every disable and delete once they reach the threshold, until --allow-deletes (%s)', async (_, batchSize) => {
    h = await new Harness().start();
    const file = mapping(h, [['accidentalDeletionThreshold: null', 'accidentalDeletionThreshold: 4']]);
    const batches = batchSize === undefined ? {} : { batchSize };
    await h.sync(CONTOSO, { mapping: file, ...batches });
    const held = await h.sync(CONTOSO_DAY2, { mapping: file, ...batches });
    expect(held.cycle?.batched).toBe(batchSize !== undefined);
    expect(held.exitCode).toBe(1);
    expect(held.cycle?.jobFailure?.reason).toBe('TooManyDeletes');
    // 3 disables + 1 delete = 4: none was sent; other changes went through.
    expect(held.cycle?.counts['StagedDelete/Skipped']).toBe(4);
    expect(h.userByName('hannah.schmidt@contoso.com')).toBeDefined();
    expect(h.userByName('noah.williams@contoso.com')).toMatchObject({ active: true });
    expect(h.userByName('fatima.elamrani@contoso.com')).toBeDefined();

    const forced = await h.sync(CONTOSO_DAY2, { mapping: file, allowDeletes: true, ...batches });
    expect(forced.exitCode).toBe(0);
    expect(h.userByName('hannah.schmidt@contoso.com')).toBeUndefined();
    for (const upn of ['noah.williams@contoso.com', 'tom.fischer@contoso.com', 'emily.carter@contoso.com'])
      expect(h.userByName(upn)).toMatchObject({ active: false });
    expect(h.writesWithoutRead()).toEqual([]);
  });

  it('lets them through below the threshold', async () => {
    h = await new Harness().start();
    const file = mapping(h, [['accidentalDeletionThreshold: null', 'accidentalDeletionThreshold: 5']]);
    await h.sync(CONTOSO, { mapping: file });
    expect((await h.sync(CONTOSO_DAY2, { mapping: file })).exitCode).toBe(0);
    expect(h.userByName('hannah.schmidt@contoso.com')).toBeUndefined();
  });
});

describe('skipOutOfScopeDeletions (spec §4.3)', () => {
  it('leaves unassigned users active, but still disables disabled and soft-deleted ones', async () => {
    h = await new Harness().start();
    const file = mapping(h, [['skipOutOfScopeDeletions: false', 'skipOutOfScopeDeletions: true']]);
    await h.sync(CONTOSO, { mapping: file });
    await h.sync(CONTOSO_DAY2, { mapping: file });
    expect(h.userByName('noah.williams@contoso.com')).toMatchObject({ active: true }); // unassigned
    expect(h.userByName('tom.fischer@contoso.com')).toMatchObject({ active: false }); // accountEnabled false
    expect(h.userByName('emily.carter@contoso.com')).toMatchObject({ active: false }); // soft-deleted
    expect(h.writesWithoutRead()).toEqual([]);
  });
});

describe('target object actions', () => {
  it('without Delete, a hard-deleted user stays in the target and is no longer managed', async () => {
    h = await new Harness().start();
    const file = mapping(h, [['users:\n  actions: [create, update, delete]', 'users:\n  actions: [create, update]']]);
    await h.sync(CONTOSO, { mapping: file });
    const day2 = await h.sync(CONTOSO_DAY2, { mapping: file });
    expect(day2.exitCode).toBe(0);
    expect(h.userByName('hannah.schmidt@contoso.com')).toMatchObject({ active: true });
    expect(h.writes().filter((r) => r.method === 'DELETE')).toEqual([]);
    expect(h.writesWithoutRead()).toEqual([]);
  });

  it('without Create, unmatched users are skipped and matched ones are still updated', async () => {
    h = await new Harness().start();
    await h.sync(CONTOSO);
    const file = mapping(h, [['users:\n  actions: [create, update, delete]', 'users:\n  actions: [update, delete]']]);
    const day2 = await h.sync(CONTOSO_DAY2, { mapping: file });
    expect(day2.cycle?.kind).toBe('initial'); // a mapping change starts a new initial cycle
    expect(h.userByName('fatima.elamrani@contoso.com')).toBeUndefined();
    expect(h.userByName('sofia.rossi@contoso.com')).toMatchObject({ displayName: 'Sofia Bianchi' });
    expect(h.writesWithoutRead()).toEqual([]);
  });
});

describe('scope and scoping filters', () => {
  it('scope all provisions unassigned users too; a scoping filter then disables those who leave it', async () => {
    h = await new Harness().start();
    const all = mapping(h, [['scope: assigned', 'scope: all']]);
    await h.sync(CONTOSO, { mapping: all });
    expect(h.userByName('samuel.lee@contoso.com')).toMatchObject({ active: true });

    const scoped = mapping(h, [
      ['scope: assigned', 'scope: all'],
      [
        'users:\n  actions: [create, update, delete]\n  scoping: []',
        'users:\n  actions: [create, update, delete]\n  scoping:\n    - - {attribute: department, operator: EQUALS, value: Sales}',
      ],
    ]);
    const result = await h.sync(CONTOSO, { mapping: scoped });
    expect(result.cycle?.kind).toBe('initial');
    expect(h.userByName('tom.fischer@contoso.com')).toMatchObject({ active: true });
    expect(h.userByName('samuel.lee@contoso.com')).toMatchObject({ active: false });
    expect(h.userByName('laura.chen@contoso.com')).toMatchObject({ active: false });
  });
});
