import { describe, expect, it } from 'vitest';
import { ManualClock, offsetClock } from '../../src/shared/clock.js';

describe('offsetClock (--at)', () => {
  it('reads exactly the simulated time first, however long after it was made, then runs with its base', async () => {
    const base = new ManualClock('2026-01-01T00:00:00Z');
    const clock = offsetClock(new Date('2026-06-01T09:00:00Z'), base);
    base.advance(1234); // time passes between creating the clock and the cycle's first reading
    expect(clock.now().toISOString()).toBe('2026-06-01T09:00:00.000Z');
    base.advance(2500);
    expect(clock.now().toISOString()).toBe('2026-06-01T09:00:02.500Z');
    await clock.sleep(1000);
    expect(base.sleeps).toEqual([1000]);
    expect(clock.now().toISOString()).toBe('2026-06-01T09:00:03.500Z');
  });
});
