/**
 * One SIGTERM (what a CI runner or `docker stop` sends before it kills) stops a run promptly: requests in
 * flight to a server that never answers are abandoned, the state is committed, exit 130. The built CLI runs
 * as a child process, since signals are its entry point's.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StateStore } from '../../src/store/store.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
let server: Server | undefined;
let dir: string | undefined;
const hanging: ServerResponse[] = [];
afterEach(async () => {
  for (const res of hanging.splice(0)) res.destroy();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Answers GETs with an empty list and never answers a POST. */
async function blackHole(onPost: () => void): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST') {
        hanging.push(res);
        onPost();
        return;
      }
      res.setHeader('Content-Type', 'application/scim+json');
      res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }));
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`;
}

describe('SIGTERM', () => {
  it('abandons the requests in flight, commits the state and exits 130, long before the request timeout', async () => {
    dir = mkdtempSync(join(tmpdir(), 'provsim-sigterm-'));
    const state = join(dir, 'state.db');
    let posted!: () => void;
    const firstPost = new Promise<void>((r) => (posted = r));
    const url = await blackHole(() => posted());
    const child = spawn(
      process.execPath,
      [
        CLI,
        'sync',
        '--fixtures',
        join(ROOT, 'fixtures', 'contoso'),
        '--mapping',
        join(ROOT, 'mappings', 'customappsso.yaml'),
        '--target',
        url,
        '--state',
        state,
        '--timeout',
        '600000',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    await firstPost;
    child.kill('SIGTERM');
    // The test's own timeout (30 s) is the bound: the requests would otherwise wait 10 minutes.
    expect(await exited, out).toBe(130);
    expect(out).toContain('provsim: terminated: stopping now; requests in flight are abandoned');
    expect(out).toMatch(/initial cycle [0-9a-f]{8}: interrupted/);
    // A stopped cycle retries nothing: the aborted requests are not the server's failures.
    expect(out).not.toContain('retry 1 of');
    const store = new StateStore(state, { readOnly: true, snapshot: false });
    try {
      expect(store.cycles().map((c) => c.status)).toEqual(['interrupted']);
    } finally {
      store.close();
    }
  });
});
