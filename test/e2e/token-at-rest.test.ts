/**
 * The bearer token at rest and in every output, through the real CLI (main() in-process) against a hostile
 * SCIM server on 127.0.0.1 that echoes the Authorization header back — as given, base64-encoded and
 * URL-encoded, in its 400 error body and in a response header — with a token that holds `"`, `\`, `/` and `+`,
 * so that JSON, URL and base64 encoders all change it. Neither stdout, stderr, the `--record` transcript,
 * the state file's bytes (main file and WAL) nor `provsim logs --json` may hold the token in any form.
 *
 * Also: a token with a line break is refused (exit 2, nothing sent) instead of being altered.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/shared/clock.js';
import { CONTOSO, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

const TOKEN = 'tok"en\\with/slash+plus-0123456789abcdef';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
}

interface Hostile {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** A SCIM error body whose detail and extra fields carry `header` raw, base64-encoded and URL-encoded. */
function echoError(status: number, header: string): string {
  const b64 = Buffer.from(header, 'utf8').toString('base64');
  const encoded = encodeURIComponent(header);
  return JSON.stringify({
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(status === 400 ? { scimType: 'invalidValue' } : {}),
    detail: `refused; you sent Authorization: ${header} (base64 ${b64}, url ${encoded})`,
    echo: { raw: header, base64: b64, url: encoded },
  });
}

/**
 * `refuse-writes`: lists are empty (so every user and group is created), every POST is refused with 400 and
 * the header echoed (echoError), and every response carries it again in `X-Echo-Authorization`.
 * `refuse-all`: every request, the connection probe first, gets 401 with the header echoed.
 */
async function startHostile(mode: 'refuse-writes' | 'refuse-all' = 'refuse-writes'): Promise<Hostile> {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const authorization = req.headers.authorization;
      received.push({ method: req.method ?? '', url: req.url ?? '', authorization });
      const header = authorization ?? '';
      res.setHeader('Content-Type', 'application/scim+json');
      res.setHeader('X-Echo-Authorization', header);
      if (mode === 'refuse-writes' && req.method === 'GET') {
        res.statusCode = 200;
        res.end(JSON.stringify({ schemas: [LIST_SCHEMA], totalResults: 0, Resources: [], startIndex: 1, itemsPerPage: 0, echo: header }));
        return;
      }
      res.statusCode = mode === 'refuse-all' ? 401 : 400;
      res.end(echoError(res.statusCode, header));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    received,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/**
 * The token's forms, computed here independently of the redactor: as given, JSON-escaped once and twice,
 * URL-encoded, base64 and base64url of the token alone, and the middle of the base64 of `Bearer <token>` (its
 * first and last four characters may mix in the neighbouring bytes).
 */
function tokenForms(token: string): Record<string, string> {
  const once = JSON.stringify(token).slice(1, -1);
  const bearer64 = Buffer.from(`Bearer ${token}`, 'utf8').toString('base64');
  return {
    raw: token,
    jsonEscaped: once,
    jsonEscapedTwice: JSON.stringify(once).slice(1, -1),
    urlEncoded: encodeURIComponent(token),
    base64: Buffer.from(token, 'utf8').toString('base64').replace(/=+$/, ''),
    base64url: Buffer.from(token, 'utf8').toString('base64url'),
    bearerBase64: bearer64.slice(12, -4),
  };
}

function expectNoForm(where: string, text: string): void {
  for (const [form, value] of Object.entries(tokenForms(TOKEN))) {
    expect(text.includes(value), `${where} holds the token (${form})`).toBe(false);
  }
}

/** The state file's bytes, main file and WAL, as latin1 text (the token is ASCII). */
function stateBytes(state: string): string {
  return [state, `${state}-wal`]
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f).toString('latin1'))
    .join('\n');
}

let h: Harness;
let hostile: Hostile | undefined;
afterEach(async () => {
  await hostile?.close();
  hostile = undefined;
  await h?.stop();
});

const sync = (target: string, state: string, ...extra: string[]): string[] => [
  'sync',
  '--fixtures',
  CONTOSO,
  '--mapping',
  DEFAULT_MAPPING,
  '--target',
  target,
  '--state',
  state,
  ...extra,
];

describe('a server that echoes the Authorization header back', () => {
  it('sync --record --json, then --verbose, then logs --json: the token is sent as is and appears in no output, transcript or state', async () => {
    hostile = await startHostile();
    h = new Harness({ PROVSIM_TOKEN: TOKEN }, new ManualClock('2026-05-01T08:00:00Z'));
    const record = join(h.dir, 'record.jsonl');

    expect(await h.cli(sync(hostile.url, h.state, '--record', record, '--json'))).toBe(1);
    const first = { ...h.out };
    // What reached the wire: the token itself, unaltered, on every request; the creates were refused.
    expect(hostile.received.length).toBeGreaterThan(2);
    expect(new Set(hostile.received.map((r) => r.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
    const posts = hostile.received.filter((r) => r.method === 'POST');
    expect(posts.length).toBeGreaterThan(0);

    // The --json result: the failures are there, with the server's echo masked.
    const json = JSON.parse(first.stdout) as { log: Array<{ status: string; errorReason: string | null; errorDetails: unknown }> };
    const failed = json.log.filter((e) => e.status === 'Failure');
    expect(failed).toHaveLength(posts.length);
    expect(failed[0]!.errorReason).toContain('[REDACTED]');
    expectNoForm('sync --json stdout', first.stdout);
    expectNoForm('sync --json stderr', first.stderr);

    // The transcript: one valid JSON line per exchange, the echo masked in bodies and headers.
    const text = readFileSync(record, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { response: { status: number; headers: Record<string, string>; body: unknown } | null });
    expect(lines).toHaveLength(hostile.received.length);
    const refused = lines.find((l) => l.response?.status === 400)!;
    expect(refused.response!.headers['x-echo-authorization']).toContain('[REDACTED]');
    expect(JSON.stringify(refused.response!.body)).toContain('[REDACTED]');
    expectNoForm('the --record file', text);

    // A new initial cycle (the failed objects are escrowed, not yet due) with --verbose: the same refusals.
    h.out.stdout = '';
    h.out.stderr = '';
    const before = hostile.received.length;
    expect(await h.cli(sync(hostile.url, h.state, '--full', '--verbose'))).toBe(1);
    expect(hostile.received.slice(before).filter((r) => r.method === 'POST')).toHaveLength(posts.length);
    expect(h.out.stdout).toContain('400');
    expect(h.out.stdout + h.out.stderr).toContain('[REDACTED]');
    expectNoForm('sync --verbose stdout', h.out.stdout);
    expectNoForm('sync --verbose stderr', h.out.stderr);

    // At rest: the state file's bytes, and the log as `provsim logs --json` prints it (no token given there).
    expectNoForm('the state file', stateBytes(h.state));
    h.out.stdout = '';
    h.out.stderr = '';
    h.env['PROVSIM_TOKEN'] = undefined;
    expect(await h.cli(['logs', '--json', '--state', h.state])).toBe(0);
    const stored = JSON.parse(h.out.stdout) as Array<{
      status: string;
      errorReason: string | null;
      errorDetails: { body: unknown } | null;
    }>;
    const storedFailures = stored.filter((e) => e.status === 'Failure');
    expect(storedFailures).toHaveLength(posts.length * 2);
    expect(storedFailures.every((e) => e.errorReason?.includes('[REDACTED]'))).toBe(true);
    expect(JSON.stringify(storedFailures[0]!.errorDetails?.body)).toContain('[REDACTED]');
    expectNoForm('logs --json', h.out.stdout);
  });

  it('a 401 to the connection probe that echoes the token: the job failure and the quarantine hold no form of it', async () => {
    hostile = await startHostile('refuse-all');
    h = new Harness({ PROVSIM_TOKEN: TOKEN }, new ManualClock('2026-05-01T08:00:00Z'));
    expect(await h.cli(sync(hostile.url, h.state, '--json'))).toBe(1);
    expect(hostile.received).toHaveLength(1);
    expect(hostile.received[0]!.authorization).toBe(`Bearer ${TOKEN}`);
    const json = JSON.parse(h.out.stdout) as { status: string; jobFailure: { reason: string; message: string } };
    expect(json.status).toBe('failed');
    expect(json.jobFailure.reason).toBe('EncounteredQuarantineException');
    expect(json.jobFailure.message).toContain('401');
    expect(json.jobFailure.message).toContain('[REDACTED]');
    expectNoForm('sync --json stdout', h.out.stdout);
    expectNoForm('sync --json stderr', h.out.stderr);
    expectNoForm('the state file', stateBytes(h.state));

    h.out.stdout = '';
    h.env['PROVSIM_TOKEN'] = undefined;
    expect(await h.cli(['status', '--json', '--state', h.state])).toBe(0);
    const status = JSON.parse(h.out.stdout) as { state: string; quarantine: { error: string } };
    expect(status.state).toBe('Quarantine');
    expect(status.quarantine.error).toContain('[REDACTED]');
    expectNoForm('status --json', h.out.stdout);
  });
});

describe('a token with a line break is refused, not altered', () => {
  it('PROVSIM_TOKEN with a line feed inside or at its end: exit 2, says where, nothing sent', async () => {
    hostile = await startHostile();
    for (const [token, message] of [
      ['abc\ndef-0123456789', 'PROVSIM_TOKEN holds a line break at character 4 of 18'],
      ['abcdef-0123456789\r\n', 'PROVSIM_TOKEN ends with a line break at character 18 of 19'],
    ] as const) {
      h = new Harness({ PROVSIM_TOKEN: token });
      expect(await h.cli(sync(hostile.url, h.state))).toBe(2);
      expect(h.out.stderr).toContain(message);
      expect(h.out.stderr).toContain('one line of visible ASCII');
      expect(h.out.stdout + h.out.stderr).not.toContain('abcdef-0123456789');
      expect(h.out.stdout + h.out.stderr).not.toContain('def-0123456789');
      expect(existsSync(h.state)).toBe(false);
      await h.stop();
    }
    expect(hostile.received).toHaveLength(0);
  });

  it('--token-file: a CR/LF inside is refused; the final line break (CRLF too) is dropped and the token sent as is', async () => {
    hostile = await startHostile();
    h = new Harness({});
    const file = join(h.dir, 'token');
    writeFileSync(file, 'first-line\r\nsecond-line\n');
    expect(await h.cli(sync(hostile.url, h.state, '--token-file', file))).toBe(2);
    expect(h.out.stderr).toContain(`--token-file ${file} holds a line break at character 11`);
    expect(h.out.stderr).toContain('put the token alone on the first line of the file');
    expect(h.out.stdout + h.out.stderr).not.toContain('first-line');
    expect(hostile.received).toHaveLength(0);

    writeFileSync(file, 'the-token-0123456789\r\n');
    expect(await h.cli(sync(hostile.url, h.state, '--token-file', file))).toBe(1);
    expect(hostile.received.length).toBeGreaterThan(0);
    expect(new Set(hostile.received.map((r) => r.authorization))).toEqual(new Set(['Bearer the-token-0123456789']));
  });
});
