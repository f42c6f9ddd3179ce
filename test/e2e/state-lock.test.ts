/**
 * The state file through the real CLI: one `sync` at a time per state file (a second one exits 2 naming
 * the first and sends nothing; a dry run is not held up), a holder killed with SIGKILL (its cycle shows as
 * abandoned, the next run goes ahead at once), two runs racing for the lock a killed one left, another
 * program's database, a damaged state file, and a disk that fills up (tmpfs, root only).
 *
 * The first run is a child process held at a gate in front of the target (a proxy that holds chosen
 * requests until told), so it holds the lock for as long as the test needs; the second runs in-process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTOSO, CONTOSO_DAY2, DEFAULT_MAPPING, Harness, ROOT } from '../helpers/harness.js';

const CLI = ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')];

/**
 * A proxy in front of the target that holds the requests `hold(n)` picks (n: 1-based count of requests
 * received) until `release()`, and forwards the rest. `received` counts every request, held or not.
 */
interface Gate {
  url: string;
  received: number;
  held: number;
  release(): void;
  /** Holds nothing from now on (held requests stay held until released). */
  openAll(): void;
  close(): Promise<void>;
}

async function startGate(targetUrl: string, hold: (n: number) => boolean): Promise<Gate> {
  const target = new URL(targetUrl);
  const waiting: Array<() => void> = [];
  let holding = hold;
  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse): void => {
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };
  const gate: Gate = {
    url: '',
    received: 0,
    held: 0,
    release: () => waiting.splice(0).forEach((go) => go()),
    openAll: () => void (holding = () => false),
    close: () => new Promise<void>((done) => (gate.release(), server.closeAllConnections(), server.close(() => done()))),
  };
  const server: Server = createServer((req, res) => {
    const n = ++gate.received;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!holding(n)) return forward(req, body, res);
      gate.held++;
      // A held request whose client has gone (killed) is dropped, not sent on.
      waiting.push(() => (req.socket.destroyed ? undefined : forward(req, body, res)));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${target.pathname.replace(/\/$/, '')}`;
  return gate;
}

interface Child {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

function cliChild(args: string[]): Child {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { process: child, exited: new Promise((done) => child.on('exit', (code, signal) => done({ code, signal, output }))) };
}

/** Polls (every 20 ms, at most `ms`) until `ready()`; fails with `what` otherwise. */
async function until(ready: () => boolean, what: string, ms = 20_000): Promise<void> {
  for (let waited = 0; !ready(); waited += 20) {
    if (waited >= ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const syncArgs = (h: Harness, target: string, fixtures = CONTOSO): string[] => [
  'sync',
  '--fixtures',
  fixtures,
  '--mapping',
  DEFAULT_MAPPING,
  '--target',
  target,
  '--state',
  h.state,
];

/** An argument as the recorded command line writes it: quoted when a shell would split or expand it. */
const shellWord = (arg: string): string => (/[\s"'\\$`]/.test(arg) ? JSON.stringify(arg) : arg);
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ISO = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';

/** Users and groups on the target, by name, each once, and how many POSTs created them. */
function created(h: Harness): { users: number; groups: number; userPosts: number; groupPosts: number } {
  const snap = h.target.snapshot();
  const userNames = snap.users.map((u) => String(u['userName']).toLowerCase());
  const groupNames = snap.groups.map((g) => String(g['displayName']).toLowerCase());
  expect(new Set(userNames).size).toBe(userNames.length);
  expect(new Set(groupNames).size).toBe(groupNames.length);
  const posts = (path: string) =>
    h.target.requests().filter((r) => r.method === 'POST' && new URL(r.url, 'http://x').pathname.endsWith(path));
  return { users: userNames.length, groups: groupNames.length, userPosts: posts('/Users').length, groupPosts: posts('/Groups').length };
}

async function statusJson(h: Harness): Promise<{ lastCycles: Array<{ kind: string; status: string; dryRun: boolean }> }> {
  h.out.stdout = '';
  expect(await h.cli(['status', '--state', h.state, '--json'])).toBe(0);
  return JSON.parse(h.out.stdout) as { lastCycles: Array<{ kind: string; status: string; dryRun: boolean }> };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
async function harness(): Promise<Harness> {
  const h = await new Harness().start();
  cleanups.push(() => h.stop());
  return h;
}
async function gate(h: Harness, hold: (n: number) => boolean): Promise<Gate> {
  const g = await startGate(h.target.url, hold);
  cleanups.push(() => g.close());
  return g;
}
function child(args: string[]): Child {
  const c = cliChild(args);
  cleanups.push(async () => {
    if (c.process.exitCode === null && c.process.signalCode === null) c.process.kill('SIGKILL');
    await c.exited;
  });
  return c;
}

describe('one sync at a time on a state file', () => {
  it('a second sync exits 2 naming the first (command, pid, host, since) and sends nothing; a dry run is not held up; the first finishes alone', async () => {
    const h = await harness();
    // Holds the first request (the running sync's connection probe) until released; forwards the rest.
    const g = await gate(h, (n) => n === 1);
    const args = syncArgs(h, g.url);
    const startedAt = Date.now();
    const first = child(args);
    await until(() => g.held === 1, "the first sync's probe");

    expect(await h.cli(args)).toBe(2);
    const message = new RegExp(
      `^provsim: ${escape(h.state)} is in use by ${escape(['provsim', ...args].map(shellWord).join(' '))} \\(pid ${first.process.pid} on ${escape(hostname())}, since (${ISO})\\); wait for it to finish, or pass --wait\\n$`,
    );
    expect(h.out.stderr).toMatch(message);
    const since = Date.parse(message.exec(h.out.stderr)![1]!);
    expect(since).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(since).toBeLessThanOrEqual(Date.now());
    expect(h.out.stderr).not.toMatch(/bug|\n\s+at /);
    // Nothing reached the wire: the gate saw only the first sync's held probe, the target nothing.
    expect(g.received).toBe(1);
    expect(h.target.requests()).toEqual([]);

    // A dry run reads a snapshot: it neither waits for the lock nor takes it.
    h.out.stdout = '';
    h.out.stderr = '';
    expect(await h.cli([...args, '--dry-run'])).toBe(0);
    expect(h.out.stdout).toMatch(/plan \(initial cycle/);
    expect(h.target.requests().length).toBeGreaterThan(0);
    expect(h.target.requests().filter((r) => r.method !== 'GET')).toEqual([]);

    g.release();
    const done = await first.exited;
    expect(done.code, done.output).toBe(0);
    const counts = created(h);
    expect(counts.users).toBeGreaterThan(0);
    // Each user and group created once: by the first sync alone.
    expect(counts.userPosts).toBe(counts.users);
    expect(counts.groupPosts).toBe(counts.groups);
    const status = await statusJson(h);
    expect(status.lastCycles.map((c) => [c.kind, c.status])).toEqual([['initial', 'succeeded']]);
  }, 60_000);
});

describe('a holder killed with SIGKILL', () => {
  it('leaves no lock: status shows its cycle abandoned, and the next sync runs at once and converges', async () => {
    const h = await harness();
    // Let the killed run get some way: its first 10 requests go through, the rest are held.
    const g = await gate(h, (n) => n > 10);
    const killed = child(syncArgs(h, g.url));
    await until(() => g.held > 0, 'the sync to reach its 11th request');
    killed.process.kill('SIGKILL');
    expect((await killed.exited).signal).toBe('SIGKILL');
    g.openAll();

    h.out.stdout = '';
    expect(await h.cli(['status', '--state', h.state])).toBe(0);
    expect(h.out.stdout).toMatch(/^\s+\S+\s+[0-9a-f]{8}\s+initial\s+abandoned\s/m);

    h.out.stderr = '';
    expect(await h.cli(syncArgs(h, g.url)), h.out.stderr).toBe(0);
    const counts = created(h);
    expect(counts.users).toBeGreaterThan(0);
    expect(counts.userPosts).toBe(counts.users);
    const status = await statusJson(h);
    expect(status.lastCycles.map((c) => [c.kind, c.status])).toEqual([
      ['initial', 'abandoned'],
      ['initial', 'succeeded'],
    ]);
  }, 60_000);

  it('two syncs racing for the lock it left: exactly one runs, the other exits 2 naming it; every object is created once', async () => {
    const h = await harness();
    // Everything is held until the race is decided: the killed run never gets past its probe, and the
    // winner of the race cannot finish before the loser has tried.
    const g = await gate(h, () => true);
    const killed = child(syncArgs(h, g.url));
    await until(() => g.held === 1, "the killed sync's probe");
    killed.process.kill('SIGKILL');
    await killed.exited;

    const racers = [child(syncArgs(h, g.url)), child(syncArgs(h, g.url))];
    // The loser exits at once; without a lock both would wait at the gate, each believing it runs alone.
    let timer: NodeJS.Timeout | undefined;
    const firstDone = await Promise.race([
      ...racers.map((r, i) => r.exited.then((e) => ({ ...e, i }))),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('neither sync exited: both are running on one state file')), 20_000);
      }),
    ]).finally(() => clearTimeout(timer));
    g.openAll();
    g.release();
    const loser = racers[firstDone.i]!;
    const winner = racers[1 - firstDone.i]!;
    const won = await winner.exited;
    expect(firstDone.code, firstDone.output).toBe(2);
    expect(won.code, won.output).toBe(0);
    expect(firstDone.output).toMatch(
      new RegExp(
        `provsim: ${escape(h.state)} is in use by (provsim sync .* \\(pid ${winner.process.pid} on .*, since ${ISO}\\)|another provsim process \\(it has not recorded itself yet: it may be opening the file right now\\)); wait for it to finish, or pass --wait`,
      ),
    );
    expect(loser.process.pid).not.toBe(winner.process.pid);
    const counts = created(h);
    expect(counts.users).toBeGreaterThan(0);
    expect(counts.userPosts).toBe(counts.users);
    expect(counts.groupPosts).toBe(counts.groups);
  }, 60_000);
});

describe('state files provsim must not write', () => {
  it("another program's SQLite database: exit 2, what it is and what to do; nothing sent, the file unchanged", async () => {
    const h = await harness();
    const db = new Database(h.state);
    db.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5)');
    db.close();
    const before = readFileSync(h.state);
    expect(await h.cli(syncArgs(h, h.target.url))).toBe(2);
    expect(h.out.stderr).toBe(
      `provsim: ${h.state} is an SQLite database but not a provsim state file (it has table invoices, which provsim never creates); nothing was written to it. Pass --state with a new file\n`,
    );
    expect(h.target.requests()).toEqual([]);
    expect(readFileSync(h.state).equals(before)).toBe(true);
  });

  it('a damaged state file: exit 2, which file and what to do, no stack; nothing sent', async () => {
    const h = await harness();
    expect(await h.cli(syncArgs(h, h.target.url))).toBe(0);
    const sent = h.target.requests().length;
    const fd = openSync(h.state, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, 100);
    closeSync(fd);
    h.out.stderr = '';
    expect(await h.cli(syncArgs(h, h.target.url, CONTOSO_DAY2))).toBe(2);
    expect(h.out.stderr).toBe(
      `provsim: state file ${h.state} is damaged (SQLITE_CORRUPT: database disk image is malformed); restore it from a copy, or move it away and pass --state with a new file (the next cycle is then an initial cycle, which links existing objects again by matching)\n`,
    );
    expect(h.target.requests().length).toBe(sent);
  });
});

/**
 * A full disk needs a small file system: a tmpfs mounted in a mount namespace of its own (`unshare -m`), so
 * it disappears with the shell that uses it. That takes root (CAP_SYS_ADMIN); elsewhere the test is skipped
 * and test/store/state-file.test.ts checks the error mapping with the error better-sqlite3 raises.
 */
const canMountTmpfs = ((): boolean => {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'provsim-tmpfs-probe-'));
  try {
    return spawnSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs "${dir}"`], { stdio: 'ignore' }).status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

describe('a full disk', () => {
  it.skipIf(!canMountTmpfs)(
    'full before the cycle: exit 2, nothing sent; full during it: exit 2 and the disk named; with room again, the next run converges without duplicates',
    async () => {
      const h = await harness();
      const dir = mkdtempSync(join(tmpdir(), 'provsim-full-'));
      cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
      const state = join(dir, 'state.db');
      const sync = (fixtures: string) =>
        ['node', ...CLI, 'sync', '--fixtures', fixtures, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', state, '-q']
          .map((a) => `'${a}'`)
          .join(' ');
      // Each step prints a marker line the test splits on; requests are counted between the steps.
      const script = [
        `mount -t tmpfs -o size=8m tmpfs '${dir}' || exit 90`,
        // 1. Nothing free at all: the run fails before its first request.
        `dd if=/dev/zero of='${dir}/filler' bs=4k 2>/dev/null; echo '#full'; ${sync(CONTOSO)} 2>&1; echo "#exit $?"`,
        `rm -f '${dir}/filler' '${state}' '${state}-wal' '${state}-shm'`,
        // 2. An initial cycle with room, then 128 KiB left: enough to open the file (its -shm and the first WAL frames), not for the day-2 cycle's records.
        `${sync(CONTOSO)} 2>&1; echo "#exit $?"`,
        `dd if=/dev/zero of='${dir}/filler' bs=4k 2>/dev/null; truncate -s -128K '${dir}/filler'; echo '#nearly-full'; ${sync(CONTOSO_DAY2)} 2>&1; echo "#exit $?"`,
        // 3. Room again.
        `rm -f '${dir}/filler'; echo '#room'; ${sync(CONTOSO_DAY2)} 2>&1; echo "#exit $?"`,
      ].join('\n');
      // Each marker line, with how many requests the target had seen when it was printed.
      const marks: Array<{ line: string; requests: number }> = [];
      const shell = spawn('unshare', ['-m', 'sh', '-c', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let partial = '';
      shell.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop()!;
        for (const line of lines) if (line.startsWith('#')) marks.push({ line, requests: h.target.requests().length });
      });
      shell.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const code = await new Promise<number | null>((done) => shell.on('exit', done));
      expect(code, output).toBe(0);
      expect(marks.map((m) => m.line)).toEqual(['#full', '#exit 2', '#exit 0', '#nearly-full', '#exit 1', '#room', '#exit 0']);
      const at = (i: number): number => marks[i]!.requests;
      const full = `provsim: cannot write state file ${state}: the disk is full (SQLITE_FULL: database or disk is full); free space on that disk, or pass --state with a file on another disk. The state keeps what was committed before this error`;
      const steps = output.split(/^#.*\n/m);
      // 1. Refused before the first request.
      expect(steps[1]).toBe(`${full}\n`);
      expect(at(1)).toBe(at(0));
      // 2. Failed during the cycle, after requests were sent, saying what became of them.
      expect(steps[4]).toBe(`${full}. Requests sent before it reached the target; the next run links those objects again by matching\n`);
      expect(at(4)).toBeGreaterThan(at(3));
      expect(
        h.target
          .requests()
          .slice(at(3), at(4))
          .some((r) => r.method !== 'GET'),
      ).toBe(true);
      expect(output).not.toMatch(/bug|\n\s+at /);
      // 3. The next run converges: the target is what two runs that never met a full disk leave, nothing twice.
      const counts = created(h);
      const reference = await harness();
      await reference.sync(CONTOSO);
      await reference.sync(CONTOSO_DAY2);
      expect(h.shape()).toEqual(reference.shape());
      expect(counts.userPosts).toBe(created(reference).userPosts);
    },
    120_000,
  );
});

describe('--wait', () => {
  it('waits for the holder: fails with exit 2 once its bound passes, and runs once the state file is free', async () => {
    const h = await new Harness().start();
    cleanups.push(() => h.stop());
    const { StateStore } = await import('../../src/store/store.js');
    const holder = new StateStore(h.state);
    const args = ['sync', '--fixtures', CONTOSO, '--mapping', DEFAULT_MAPPING, '--target', h.target.url, '--state', h.state];
    expect(await h.cli([...args, '--wait', '300ms'])).toBe(2);
    expect(h.out.stderr).toContain('; waiting for it (at most 300ms)');
    expect(h.out.stderr).toMatch(/is in use by .*wait/);
    expect(h.target.requests()).toEqual([]);
    // Released while the second run waits: it goes ahead.
    setTimeout(() => holder.close(), 300);
    h.out.stderr = '';
    expect(await h.cli([...args, '--wait'])).toBe(0);
    expect(h.out.stderr).toContain('; waiting for it');
    expect(h.target.snapshot().users.length).toBeGreaterThan(0);
    expect(await h.cli([...args, '--wait', 'soon'])).toBe(2);
    expect(h.out.stderr).toContain('--wait "soon" is not a duration');
  });
});
