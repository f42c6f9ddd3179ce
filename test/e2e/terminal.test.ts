/**
 * `provsim sync` in a real terminal: tmux runs the built CLI in a pseudo-terminal and the test reads the
 * screen (capture-pane), as a person would see it. A status line shows each step before the plan; the bar
 * runs; batch plan lines stay on screen; Ctrl-C leaves its notice and the summary on clean lines, exit 130;
 * colour on a terminal, none with NO_COLOR. `--rps` slows the cycle so each state can be seen; every wait is
 * for something to appear on screen (bounded), never a timing assertion.
 *
 * tmux is installed by .ci/run; outside CI the test is skipped where tmux is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const MAPPING = join(ROOT, 'mappings', 'customappsso.yaml');
const TMUX = ['/usr/bin/tmux', '/usr/local/bin/tmux'].find((p) => existsSync(p));
/**
 * Each terminal gets a tmux server of its own. `kill-server` returns before the server has gone, and a new
 * session on the same socket could reach the dying server ("server exited unexpectedly", seen in CI).
 */
let socket = '';
let terminals = 0;

let dir: string;
let tenant: string;
let target: RunningTarget;

function tmux(...args: string[]): string {
  return execFileSync(TMUX!, ['-L', socket, ...args], { encoding: 'utf8' });
}

/** Starts `args` under the CLI in a 140×40 terminal; the shell prints EXIT=<code> when it ends. */
function runInTerminal(args: string[], env: Record<string, string> = {}): void {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const exports = Object.entries({ TERM: 'xterm-256color', ...env })
    .map(([k, v]) => `${k}='${v}'`)
    .join(' ');
  socket = `provsim-test-${process.pid}-${++terminals}`;
  tmux(
    'new-session',
    '-d',
    '-s',
    'cli',
    '-x',
    '140',
    '-y',
    '40',
    `cd '${dir}' && env -u CI -u NO_COLOR ${exports} node '${CLI}' ${quoted}; echo EXIT=$?; sleep 60`,
  );
}

/** The screen as text (`escapes`: with colour codes). */
function screen(escapes = false): string {
  return tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-200', '-t', 'cli');
}

/** Waits until the screen matches, reading it every 50 ms; fails with the screen after `limitMs`. */
async function waitFor(pattern: RegExp, limitMs = 60_000): Promise<string> {
  const until = Date.now() + limitMs;
  for (;;) {
    const text = screen();
    if (pattern.test(text)) return text;
    if (Date.now() > until) throw new Error(`the screen never showed ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  if (!TMUX) return;
  dir = mkdtempSync(join(tmpdir(), 'provsim-terminal-'));
  tenant = join(dir, 'tenant');
  execFileSync(process.execPath, [CLI, 'fixtures', 'generate', '--users', '300', '--groups', '5', '--out', tenant]);
});
afterEach(async () => {
  if (!TMUX) return;
  try {
    tmux('kill-server');
  } catch {
    // no server left
  }
  await target?.close();
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sync in a terminal', () => {
  it('is where CI needs it', () => {
    if (process.env['CI']) expect(TMUX, '.ci/run installs tmux; it is missing').toBeDefined();
  });

  it.skipIf(!TMUX)(
    'shows each step before the plan, then the bar; Ctrl-C leaves a clean notice and summary, exit 130',
    async () => {
      target = await startTarget({ port: 0, profile: 'tolerant' });
      runInTerminal(['sync', '--fixtures', tenant, '--mapping', MAPPING, '--target', target.url, '--state', 'a.db', '--rps', '60']);
      // Reading 305 objects at 60 requests a second takes about 5 s: the status line is on screen meanwhile.
      await waitFor(/reading the target: matching 305 objects…/);
      await waitFor(/\d+\/\d+ changes/);
      tmux('send-keys', '-t', 'cli', 'C-c');
      const text = await waitFor(/EXIT=\d+/);
      const lines = text.split('\n');
      // The plan line stayed; the notice and the summary each start on a line of their own, intact.
      expect(lines).toContainEqual(expect.stringMatching(/^plan \(initial cycle, legacy dialect\): \d+ to create/));
      expect(lines).toContain('provsim: stopping after the requests in flight (Ctrl-C again to quit now)');
      expect(lines).toContainEqual(expect.stringMatching(/^initial cycle [0-9a-f]{8}: interrupted in [\d.]+s, \d+ requests/));
      expect(lines).toContain('  stopped before the end: what was sent is saved; the next cycle carries on from there (provsim sync)');
      expect(lines).toContain('EXIT=130');
      // Nothing was drawn over: no bar or status left on screen.
      expect(text).not.toMatch(/changes \| |reading the target/);
    },
    120_000,
  );

  it.skipIf(!TMUX)(
    'a batched cycle: every batch plan line stays on screen above the bar',
    async () => {
      target = await startTarget({ port: 0, profile: 'tolerant' });
      runInTerminal(['sync', '--fixtures', tenant, '--mapping', MAPPING, '--target', target.url, '--state', 'b.db', '--batch-size', '100']);
      const text = await waitFor(/EXIT=\d+/);
      expect(text).toContain('EXIT=0');
      const batches = text.match(/^batch \d+\/\d+: plan \(initial cycle/gm) ?? [];
      expect(batches.length).toBeGreaterThanOrEqual(4);
      expect(text).toMatch(/^initial cycle [0-9a-f]{8}: succeeded/m);
    },
    120_000,
  );

  it.skipIf(!TMUX)(
    'colour on a terminal; none with NO_COLOR',
    async () => {
      target = await startTarget({ port: 0, profile: 'tolerant' });
      const args = ['sync', '--fixtures', tenant, '--mapping', MAPPING, '--target', target.url, '--state', 'c.db', '--dry-run'];
      runInTerminal(args);
      await waitFor(/EXIT=0/);
      // A create is green: SGR 32 before the "+".
      expect(screen(true)).toMatch(/\x1b\[32m\s*\+/);
      tmux('kill-server');
      runInTerminal(args, { NO_COLOR: '1' });
      await waitFor(/EXIT=0/);
      const plain = screen(true);
      expect(plain).toMatch(/^Plan: \d+ to create/m);
      expect(plain).not.toMatch(/\x1b\[3\dm/);
    },
    120_000,
  );
});
