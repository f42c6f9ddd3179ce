/**
 * A terminal's view of a running cycle on stderr: a one-line status for each step before the plan
 * (loading, probing, evaluating, reading the target), then a bar of the changes sent. Lines printed while
 * the bar runs (a batch's plan, a retry) go above it and stay. `stop()` clears the bar and the status, so
 * what follows (the Ctrl-C notice, the summary) starts on a clean line; it may be called more than once.
 *
 * Only for a terminal: a CLI writing to a pipe or a CI log uses `plainProgress`, which prints the lines and
 * nothing else.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import type { Writer } from '../io.js';

export interface Progress {
  /** The current step, replacing the previous one (a terminal only). */
  status(text: string): void;
  /** A line that stays (above the bar, when one runs). */
  line(text: string): void;
  /** More changes to send: starts the bar, or raises its total. */
  addWork(changes: number): void;
  /** One change done. */
  tick(): void;
  stop(): void;
}

/** For pipes, CI logs and `--json`: lines as they come, no status and no bar. */
export function plainProgress(stderr: Writer): Progress {
  return {
    status: () => undefined,
    line: (text) => void stderr.write(text + '\n'),
    addWork: () => undefined,
    tick: () => undefined,
    stop: () => undefined,
  };
}

const CLEAR_LINE = '\r\x1b[2K';

/** `stream` must be a terminal's stream (cli-progress moves the cursor through it); process.stderr in the CLI. */
export function terminalProgress(stream: NodeJS.WritableStream): Progress {
  let statusShown = false;
  let bars: MultiBar | null = null;
  let bar: SingleBar | null = null;
  let stopped = false;
  const clearStatus = (): void => {
    if (statusShown) stream.write(CLEAR_LINE);
    statusShown = false;
  };
  return {
    status(text) {
      if (stopped || bars) return;
      stream.write(`${CLEAR_LINE}${text}`);
      statusShown = true;
    },
    line(text) {
      if (bars && !stopped) {
        bars.log(text + '\n');
        bars.update();
        return;
      }
      clearStatus();
      stream.write(text + '\n');
    },
    addWork(changes) {
      if (stopped || changes <= 0) return;
      if (bar) {
        bar.setTotal(bar.getTotal() + changes);
        return;
      }
      clearStatus();
      bars = new MultiBar({
        format: '  {bar} {value}/{total} changes | {eta}s left',
        stream,
        hideCursor: true,
        clearOnComplete: true,
      });
      bar = bars.create(changes, 0);
    },
    tick() {
      bar?.increment();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      bars?.stop();
      clearStatus();
    },
  };
}
