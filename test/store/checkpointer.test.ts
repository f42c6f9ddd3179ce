import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Checkpointer } from '../../src/store/checkpointer.js';
import { StateStore } from '../../src/store/store.js';
import type { LogEntry } from '../../src/model/records.js';
import { logEntry } from './log-entry.js';

const dirs: string[] = [];
const fresh = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'provsim-checkpoint-'));
  dirs.push(d);
  return join(d, 'state.db');
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** An entry of about 1.5 KB stored, so a few hundred fill a WAL past the test's threshold. */
const entry = (n: number): LogEntry =>
  logEntry(n, {
    modifiedProperties: Array.from({ length: 20 }, (_, k) => ({
      displayName: `attribute${k}`,
      oldValue: null,
      newValue: `value ${k} of user ${n}`,
    })),
    provisioningSteps: [],
  });

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  if (!condition()) throw new Error(`gave up waiting: ${what}`);
}

describe('StateStore with the background checkpointer', () => {
  it('checkpoints on its worker once the WAL has grown, and closing leaves one whole file', async () => {
    const file = fresh();
    let checkpointNow: (() => Promise<void>) | undefined;
    const store = new StateStore(file, { checkpoint: { startBytes: 64 * 1024, onDemand: (c) => (checkpointNow = c) } });
    for (let i = 0; i < 10; i++) store.appendLog(Array.from({ length: 100 }, (_, k) => entry(i * 100 + k)));
    expect(checkpointNow).toBeDefined(); // the WAL passed startBytes: the worker started
    // About 1.5 MB of WAL, far below SQLite's own automatic checkpoint (1000 pages), and the worker has not
    // been asked yet: nothing has copied the frames into the database file.
    expect(statSync(file).size).toBeLessThan(256 * 1024);
    await checkpointNow!();
    // Only the worker's connection checkpointed, while this one stayed idle.
    expect(statSync(file).size).toBeGreaterThan(512 * 1024);
    store.appendLog([entry(1000)]);
    store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new StateStore(file, { checkpoint: false });
    expect(reopened.logs()).toHaveLength(1001);
    expect(reopened.logs({ limit: 1 })[0]).toStrictEqual(entry(0));
    reopened.close();
  });

  it("without onDemand, checkpoints on the worker's own timer", async () => {
    const file = fresh();
    const store = new StateStore(file, { checkpoint: { startBytes: 64 * 1024, intervalMs: 20 } });
    for (let i = 0; i < 10; i++) store.appendLog(Array.from({ length: 100 }, (_, k) => entry(i * 100 + k)));
    await until(() => statSync(file).size > 512 * 1024, 'the database file to receive the checkpointed pages');
    store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('a checkpoint asked for after close() is refused', async () => {
    const file = fresh();
    let checkpointNow: (() => Promise<void>) | undefined;
    const store = new StateStore(file, { checkpoint: { startBytes: 1024, onDemand: (c) => (checkpointNow = c) } });
    store.appendLog([entry(1), entry(2)]);
    await checkpointNow!();
    store.close();
    await expect(checkpointNow!()).rejects.toThrow(/not running/);
  });

  it('never starts a thread for a store that writes little', async () => {
    const file = fresh();
    const checkpointer = new Checkpointer(file, { startBytes: 4 * 1024 * 1024 });
    const store = new StateStore(file, { checkpoint: false });
    store.appendLog([entry(1)]);
    checkpointer.afterCommit();
    expect(checkpointer.started).toBe(false);
    checkpointer.close();
    store.close();
  });

  it('a worker that cannot open the file reports why, and close() does not wait for it', async () => {
    const file = fresh();
    writeFileSync(`${file}-wal`, Buffer.alloc(2048)); // a WAL next to no database: the worker's open fails
    const checkpointer = new Checkpointer(file, { startBytes: 1024, closeTimeoutMs: 60_000 });
    checkpointer.afterCommit();
    expect(checkpointer.started).toBe(true);
    await until(() => checkpointer.failure !== null, 'the worker to report its failure');
    expect(checkpointer.failure).toMatch(/unable to open|does not exist|no such file/i);
    checkpointer.close(); // would block for a minute if the failed worker had not signalled
    expect(checkpointer.started).toBe(false);
  });

  it('a checkpoint asked of a worker that could not open the file is rejected with the reason', async () => {
    const file = fresh();
    writeFileSync(`${file}-wal`, Buffer.alloc(2048));
    let checkpointNow: (() => Promise<void>) | undefined;
    const checkpointer = new Checkpointer(file, { startBytes: 1024, onDemand: (c) => (checkpointNow = c) });
    checkpointer.afterCommit();
    await expect(checkpointNow!()).rejects.toThrow(/unable to open|does not exist|no such file/i);
    expect(checkpointer.failure).toMatch(/unable to open|does not exist|no such file/i);
    checkpointer.close();
  });
});
