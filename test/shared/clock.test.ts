/** The clock seam's sleeps: long durations are slept in full, not cut short by Node's 2³¹−1 ms timer limit. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, MAX_TIMER_MS, systemClock } from '../../src/shared/clock.js';

describe('systemClock.sleep', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Whether the promise has settled, after letting pending callbacks run. */
  const settled = async (p: Promise<unknown>): Promise<boolean> => {
    let done = false;
    p.then(
      () => (done = true),
      () => (done = true),
    );
    await vi.advanceTimersByTimeAsync(0);
    return done;
  };

  it('sleeps 2³¹ ms in full: not after 1 s, not after 2³¹−1 ms, but after 2³¹', async () => {
    const sleep = systemClock.sleep(2 ** 31);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await settled(sleep)).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS - 1000);
    expect(await settled(sleep)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(sleep)).toBe(true);
  });

  it('sleeps 30 days (--interval 30d) in full, and asks no timer for more than 2³¹−1 ms', async () => {
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const thirtyDays = 30 * 86_400_000;
    const sleep = systemClock.sleep(thirtyDays);
    await vi.advanceTimersByTimeAsync(thirtyDays - 1);
    expect(await settled(sleep)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(sleep)).toBe(true);
    const delays = spy.mock.calls.map((call) => Number(call[1]));
    expect(delays.length).toBeGreaterThan(1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    spy.mockRestore();
  });

  it('an abort in the second chunk of a long sleep rejects with the reason, and no timer is left', async () => {
    const controller = new AbortController();
    const sleep = systemClock.sleep(2 ** 32, controller.signal);
    const outcome = sleep.then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS + 10);
    controller.abort(new Error('stop'));
    expect(await outcome).toMatchObject({ message: 'stop' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('Infinity sleeps until aborted; a negative or NaN duration is 0', async () => {
    const controller = new AbortController();
    const forever = systemClock.sleep(Infinity, controller.signal);
    await vi.advanceTimersByTimeAsync(10 * MAX_TIMER_MS);
    expect(await settled(forever)).toBe(false);
    controller.abort(new Error('stop'));
    await expect(forever).rejects.toThrow('stop');
    expect(await settled(systemClock.sleep(-5))).toBe(true);
    expect(await settled(systemClock.sleep(Number.NaN))).toBe(true);
  });
});

describe('ManualClock.sleep', () => {
  it('advances by any finite duration at once, 30 days included', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    await clock.sleep(30 * 86_400_000);
    expect(clock.now().toISOString()).toBe('2026-01-31T00:00:00.000Z');
    expect(clock.sleeps).toEqual([30 * 86_400_000]);
  });

  it('refuses to sleep forever, with a message that says so', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    await expect(clock.sleep(Infinity)).rejects.toThrow(/cannot sleep forever/);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
