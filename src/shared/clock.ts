/**
 * Time is injected. No module reads `Date.now()` or calls `setTimeout` directly; they receive a Clock.
 * The real clock is the default; tests and simulated cycles use `ManualClock`.
 */
export interface Clock {
  /** The current instant. */
  now(): Date;
  /**
   * Resolves after `ms` of this clock's time, or rejects with the signal's reason when aborted. Any duration is
   * slept in full (`Infinity`: until aborted); a negative or NaN one is 0.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The longest delay one timer takes: Node's setTimeout turns anything above 2³¹−1 ms (24.8 days) into 1 ms, so a
 * `--interval 30d` would run its cycles back to back. Longer sleeps are chained timers of at most this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Real elapsed time in ms from an arbitrary origin (monotonic), for measuring how long the process's own work
 * takes (the memory watchdog paces its collections by their pauses). Never simulated: a `ManualClock` cycle still
 * spends real time collecting garbage. Not for anything a cycle schedules or records; that takes a Clock.
 */
export const elapsedMs = (): number => performance.now();

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      let left = ms > 0 ? ms : 0;
      let timer: ReturnType<typeof setTimeout>;
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const wait = (): void => {
        const chunk = Math.min(left, MAX_TIMER_MS);
        timer = setTimeout(() => {
          left -= chunk;
          if (left > 0) return wait();
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, chunk);
      };
      wait();
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A clock that only moves when told to. `sleep` advances it instantly (simulated time), so retry back-offs
 * and cycle intervals cost nothing in tests; `sleeps` records what was asked for, so tests can assert on it.
 */
export class ManualClock implements Clock {
  private current: number;
  readonly sleeps: number[] = [];

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.current = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
  }

  set(at: Date | string): void {
    this.current = new Date(at).getTime();
  }

  /** Advances the clock by `ms` at once, however long. It cannot stand still forever: `Infinity` is refused. */
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    if (ms === Infinity)
      throw new RangeError('ManualClock.sleep(Infinity): a simulated clock cannot sleep forever; give a finite duration');
    this.sleeps.push(ms);
    this.current += ms > 0 ? ms : 0;
  }
}

/**
 * A clock that stands at a simulated time and runs at real speed from there (`--at`): escrow schedules and
 * quarantine back-off see the simulated time, while waits (Retry-After, back-off) are real.
 */
export function offsetClock(at: Date, base: Clock = systemClock): Clock {
  // Anchored at the first reading, not at creation: the first `now()` is exactly `at`, whatever ran in
  // between (a cycle's start time, and the escrow and quarantine times computed from it, are exact).
  let offset: number | undefined;
  return {
    now: () => {
      const t = base.now().getTime();
      offset ??= at.getTime() - t;
      return new Date(t + offset);
    },
    sleep: (ms, signal) => base.sleep(ms, signal),
  };
}

/** Parses `--at`: an ISO-8601 time (a date alone means midnight UTC). */
export function parseInstant(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) return null;
  const withZone = /T|\s/.test(text.trim()) && !/(Z|[+-]\d{2}:?\d{2})$/.test(text.trim()) ? `${text.trim()}Z` : text.trim();
  const ms = Date.parse(withZone);
  return Number.isNaN(ms) ? null : new Date(ms);
}
