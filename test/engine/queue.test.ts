/**
 * forEachQueued (engine/queue.ts): the same contract as `Promise.all` over `queue.add` of every item, with
 * only a window of them in the queue at once.
 */
import { describe, expect, it } from 'vitest';
import { createQueue, forEachQueued } from '../../src/engine/queue.js';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('forEachQueued', () => {
  it('runs every item once, starting them in order, at most the concurrency at a time', async () => {
    const queue = createQueue({ concurrency: 3 });
    const started: number[] = [];
    let running = 0;
    let most = 0;
    await forEachQueued(queue, [...Array(50).keys()], async (i) => {
      started.push(i);
      most = Math.max(most, ++running);
      await tick();
      running--;
    });
    expect(started).toEqual([...Array(50).keys()]);
    expect(most).toBe(3);
    expect(queue.size + queue.pending).toBe(0);
  });

  it('keeps no more than the window in the queue, and a slot that frees finds a task waiting', async () => {
    const queue = createQueue({ concurrency: 2 });
    let largest = 0;
    let most = 0;
    let running = 0;
    await forEachQueued(
      queue,
      [...Array(40).keys()],
      async () => {
        largest = Math.max(largest, queue.size + queue.pending);
        most = Math.max(most, ++running);
        await tick();
        running--;
      },
      4,
    );
    expect(largest).toBeLessThanOrEqual(4);
    expect(most).toBe(2);
  });

  it('rejects with the first failure as soon as it happens, and still runs every item', async () => {
    const queue = createQueue({ concurrency: 2 });
    const ran: number[] = [];
    const all = forEachQueued(
      queue,
      [...Array(20).keys()],
      async (i) => {
        await tick();
        ran.push(i);
        if (i === 3) throw new Error('three');
        if (i === 7) throw new Error('seven');
      },
      4,
    );
    await expect(all).rejects.toThrow('three');
    expect(ran.length).toBeLessThan(20);
    // The rest go on, as the tasks Promise.all waits for do.
    for (let i = 0; i < 1000 && ran.length < 20; i++) await tick();
    expect([...ran].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it('resolves at once for no items', async () => {
    await expect(forEachQueued(createQueue(), [], async () => {})).resolves.toBeUndefined();
  });
});
