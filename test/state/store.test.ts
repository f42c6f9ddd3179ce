import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/state/store.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'provsim-state-'));
  dirs.push(d);
  return join(d, 'nested', 'state.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('StateStore', () => {
  it('persists anchors, watermarks, memberships and escrows across reopen', () => {
    const file = fresh();
    const a = new StateStore(file);
    a.putAnchor({ objectType: 'User', sourceId: 's1', targetId: 't1', displayName: 'Ann', status: 'active', exported: { userName: 'ann@x' } });
    a.putWatermark('s1', 'User', 'h1');
    a.recordMembership('g1', ['s1', 's2'], []);
    a.recordMembership('g1', [], ['s2']);
    a.putEscrow({ sourceId: 's3', objectType: 'User', firstFailureAt: '2026-01-01T00:00:00.000Z', lastFailureAt: '2026-01-01T01:00:00.000Z', attempts: 2, errorCode: 'EntryConflict', nextRetryAt: '2026-01-01T06:00:00.000Z' });
    a.setQuarantine({ reason: 'TooManyDeletes', error: 'x', currentBegan: 'a', seriesBegan: 'a', seriesCount: 1, nextAttempt: 'b' });
    a.setFlag('force-deletes', true);
    a.close();
    const b = new StateStore(file);
    expect(b.anchors().get('s1')).toEqual({ objectType: 'User', sourceId: 's1', targetId: 't1', displayName: 'Ann', status: 'active', exported: { userName: 'ann@x' } });
    expect(b.watermarks().get('s1')).toBe('h1');
    expect([...(b.membersOf('g1') ?? [])]).toEqual(['s1']);
    expect(b.escrows().get('s3')).toMatchObject({ attempts: 2, firstFailureAt: '2026-01-01T00:00:00.000Z', lastFailureAt: '2026-01-01T01:00:00.000Z', nextRetryAt: '2026-01-01T06:00:00.000Z' });
    expect(b.quarantine()).toMatchObject({ reason: 'TooManyDeletes', seriesCount: 1 });
    expect(b.flag('force-deletes')).toBe(true);
    expect(b.flag('initial')).toBe(false);
    b.deleteAnchor('s1');
    expect(b.anchors().has('s1')).toBe(false);
    expect(b.membersOf('g1')).toBeUndefined();
    b.close();
  });

  it('only completed, non-dry-run cycles count as the last completed cycle', () => {
    const s = new StateStore(fresh());
    expect(s.lastCompletedCycle()).toBeNull();
    s.beginCycle({ id: 'c1', kind: 'initial', startedAt: '2026-01-01T00:00:00Z', dryRun: false, jobHash: 'h' });
    expect(s.lastCompletedCycle()).toBeNull();
    s.finishCycle('c1', 'entry-level-errors', '2026-01-01T00:01:00Z', { 'Create/Success': 1 });
    s.beginCycle({ id: 'c2', kind: 'incremental', startedAt: '2026-01-01T00:02:00Z', dryRun: false, jobHash: 'h' });
    s.finishCycle('c2', 'interrupted', '2026-01-01T00:03:00Z', {});
    expect(s.lastCompletedCycle()?.id).toBe('c1');
    s.close();
  });
});

describe('WriteBehind', () => {
  it('commits in batches and on flush; nothing queued is visible before its commit', async () => {
    const { WriteBehind } = await import('../../src/state/write-behind.js');
    const s = new StateStore(fresh());
    const writes = new WriteBehind(s, 3);
    const anchor = (id: string) => ({ objectType: 'User' as const, sourceId: id, targetId: `t-${id}`, displayName: id, status: 'active' as const, exported: {} });
    writes.push((st) => st.putAnchor(anchor('a')));
    writes.push((st) => st.putAnchor(anchor('b')));
    expect(s.anchors().size).toBe(0);
    writes.push((st) => st.putAnchor(anchor('c')));
    expect(s.anchors().size).toBe(3);
    writes.push((st) => st.putAnchor(anchor('d')));
    expect(s.anchors().size).toBe(3);
    writes.flush();
    expect([...s.anchors().keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(() => new WriteBehind(s, 0)).toThrow(/Expected `batchSize`/);
    s.close();
  });
});

describe('StateStore on a file that is not its own', () => {
  it('refuses it with a usage error naming the file, and leaves it untouched', async () => {
    const { writeFileSync, readFileSync } = await import('node:fs');
    const { StateFileError } = await import('../../src/shared/errors.js');
    const file = fresh();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'not a database, just text\n'.repeat(200));
    expect(() => new StateStore(file)).toThrow(StateFileError);
    expect(() => new StateStore(file)).toThrow(/is not a provsim state file .*pass --state with a new file/);
    expect(readFileSync(file, 'utf8')).toBe('not a database, just text\n'.repeat(200));
  });
});
