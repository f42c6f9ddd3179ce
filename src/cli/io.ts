/** What a command may touch of the outside world; tests pass their own. */
import type { watchMemory } from '../shared/memory-watchdog.js';
import type { Axios } from 'axios';
import type { LoadTenantOptions } from '../source/index.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';

export interface Writer {
  write(text: string): unknown;
}

export interface CliDeps {
  stdout: Writer;
  stderr: Writer;
  env: Readonly<Record<string, string | undefined>>;
  clock: Clock;
  random: Random;
  /** Whether stderr is a terminal (progress, colour of what goes to stderr). */
  isTTY: boolean;
  /** Whether stdout is a terminal (colour of plans and summaries). @default false */
  stdoutIsTTY?: boolean;
  /**
   * The terminal itself (process.stderr when it is one), for drawing a progress bar: cursor movements must
   * reach it as they are, while `stderr` shows control characters in text as visible escapes.
   */
  terminal?: NodeJS.WritableStream;
  /** Ends a running cycle cleanly (SIGINT/SIGTERM): nothing new starts, what was done is saved. */
  signal?: AbortSignal;
  /** Aborts the requests in flight too (SIGTERM: CI runners wait seconds, not a request's timeout). */
  abortRequests?: AbortSignal;
  /** The HTTP seam; created from options when absent. */
  http?: Axios;
  /** Stops a cycle before the heap runs out (shared/memory-watchdog.ts); tests pass one that fires. */
  watchMemory?: typeof watchMemory;
  /** How fixture directories are loaded; tests read small JSON Lines tenants back from their files. */
  fixtureOptions?: LoadTenantOptions;
  cwd: string;
}

/** What every command returns to `main`, which alone turns it into a process exit code. */
export interface CommandResult {
  exitCode: 0 | 1 | 2 | 130;
}
