#!/usr/bin/env node
/**
 * The entry point, and the only module that ends the process or sets its exit code. The codes are in
 * exit-codes.ts (0 ok · 1 failed · 2 bad input or usage · 130 interrupted): a command returns the code of its
 * result, chosen there; `main` maps what is thrown (bad input or usage 2, a job failure 1, anything
 * unexpected an internal error, 1, with a request to report it), and a run ended by a signal exits 130.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { formatDiagnostic } from '../shared/diagnostics.js';
import { FixtureChangedError, InputError, JobFailure, UsageError } from '../shared/errors.js';
import { systemClock } from '../shared/clock.js';
import { systemRandom } from '../shared/random.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';
import type { CliDeps, CommandResult } from './io.js';
import { buildProgram } from './program.js';
import { StateFileIoError } from '../store/sqlite-errors.js';
import { terminalSafe } from './terminal-safe.js';
import { redact } from './token.js';

/** Diagnostics printed for one run; the rest are counted. */
export const MAX_DIAGNOSTICS = 50;

export async function main(argv: string[], given: CliDeps): Promise<ExitCode> {
  // What servers say reaches these writers: control characters are shown, not obeyed (terminal-safe.ts).
  const deps: CliDeps = {
    ...given,
    stdout: { write: (text: string) => given.stdout.write(terminalSafe(text)) },
    stderr: { write: (text: string) => given.stderr.write(terminalSafe(text)) },
  };
  let result: CommandResult | null = null;
  const program = buildProgram(deps, (r) => (result = r));
  const token = deps.env['PROVSIM_TOKEN'] ?? null;
  try {
    await program.parseAsync(argv, { from: 'user' });
    return (result as CommandResult | null)?.exitCode ?? EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    if (error instanceof InputError) {
      // A file that is not YAML at all can raise hundreds: the first ones locate the problem.
      for (const d of error.diagnostics.slice(0, MAX_DIAGNOSTICS)) deps.stderr.write(formatDiagnostic(d) + '\n');
      if (error.diagnostics.length > MAX_DIAGNOSTICS)
        deps.stderr.write(
          `… and ${error.diagnostics.length - MAX_DIAGNOSTICS} more problems (fix these first; many follow from the first)\n`,
        );
      const n = error.diagnostics.filter((d) => d.severity === 'error').length;
      deps.stderr.write(`provsim: ${error.message} (${n} error${n === 1 ? '' : 's'}); nothing was sent\n`);
      return EXIT_CODES.usage;
    }
    // The state file failed during a cycle (a disk that filled up): requests may have been sent.
    if (error instanceof StateFileIoError) {
      deps.stderr.write(`provsim: ${redact(error.message, token)}\n`);
      return EXIT_CODES.failed;
    }
    if (error instanceof UsageError) {
      deps.stderr.write(`provsim: ${redact(error.message, token)}\n`);
      return EXIT_CODES.usage;
    }
    // A fixture file edited while a large tenant was read back from it: the user's doing; requests may have been sent.
    if (error instanceof FixtureChangedError) {
      deps.stderr.write(`provsim: ${error.message}\n`);
      return EXIT_CODES.failed;
    }
    if (error instanceof JobFailure) {
      deps.stderr.write(`provsim: ${redact(error.message, token)} (${error.reason})\n`);
      return EXIT_CODES.failed;
    }
    // Ctrl-C while waiting (for the state file's lock): stopped, not a bug.
    if (deps.signal?.aborted) {
      deps.stderr.write('provsim: interrupted\n');
      return EXIT_CODES.interrupted;
    }
    const e = error as Error;
    deps.stderr.write(
      `provsim: internal error: ${redact(e?.stack ?? String(error), token)}\nThis is a bug; please report it with the command you ran.\n`,
    );
    return EXIT_CODES.failed;
  }
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const controller = new AbortController();
  let interrupts = 0;
  // Ctrl-C (SIGINT) lets the requests in flight finish; SIGTERM (what a CI runner or a container stop sends,
  // then waits only seconds) aborts them. Either way nothing new starts and what was done is saved.
  const requests = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(EXIT_CODES.interrupted);
    // Abort first: its listeners (a progress bar) stop drawing, so this line is not drawn over.
    controller.abort(new Error('interrupted'));
    if (signal === 'SIGTERM') {
      requests.abort(new Error('terminated'));
      process.stderr.write(
        '\nprovsim: terminated: stopping now; requests in flight are abandoned (the next cycle checks the target first)\n',
      );
    } else process.stderr.write('\nprovsim: stopping after the requests in flight (Ctrl-C again to quit now)\n');
  };
  // `provsim logs | head`: a closed pipe ends the output quietly, as Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_CODES.ok);
      throw e;
    });
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
    env: process.env,
    clock: systemClock,
    random: systemRandom,
    isTTY: Boolean(process.stderr.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    signal: controller.signal,
    abortRequests: requests.signal,
    cwd: process.cwd(),
  });
  process.exitCode = controller.signal.aborted && code === EXIT_CODES.ok ? EXIT_CODES.interrupted : code;
}
