/**
 * A server whose error text carries terminal control sequences (clear screen, a window title, a carriage
 * return that would hide the line before it): the CLI shows them as visible escapes, in the cycle summary
 * and in `provsim logs`, and the state keeps the server's text as it was.
 */
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { Harness, sessionFlags } from '../helpers/harness.js';

const HOSTILE = 'rejected\x1b[2J\x1b]0;owned\x07\r✓ all good';
let h: Harness;
let server: Server | undefined;
afterEach(async () => {
  await h?.stop();
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = undefined;
});

/** Answers every filter GET with an empty list and every POST with a 400 whose detail is HOSTILE. */
async function hostileServer(): Promise<string> {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/scim+json');
      if (req.method === 'GET') {
        res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }));
        return;
      }
      res.statusCode = 400;
      res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '400', detail: HOSTILE }));
    });
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`;
}

describe('control characters from a server', () => {
  it('are shown as escapes in the summary and in logs; the state keeps the text as sent', async () => {
    h = new Harness({}, new ManualClock('2026-05-01T08:00:00Z'));
    const url = await hostileServer();
    const sync = ['sync', ...sessionFlags({ target: url, state: h.state })];
    expect(await h.cli(sync)).toBe(1);
    expect(await h.cli(['logs', '--state', h.state, '--status', 'Failure'])).toBe(0);
    const shown = `${h.out.stdout}${h.out.stderr}`;
    expect(shown).toContain('rejected\\x1b[2J\\x1b]0;owned\\x07\\x0d✓ all good');
    // Nothing raw: no ESC other than a colour's, no BEL, no carriage return.
    expect(shown.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x1b\x07\r]/);
    // The log keeps what the server said (JSON escapes it).
    h.out.stdout = '';
    expect(await h.cli(['logs', '--state', h.state, '--status', 'Failure', '--json'])).toBe(0);
    expect(JSON.stringify(JSON.parse(h.out.stdout))).toContain(JSON.stringify(HOSTILE).slice(1, -1));
  });
});
