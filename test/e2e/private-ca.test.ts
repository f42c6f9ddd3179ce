/**
 * A SCIM server whose certificate a private CA signed (openssl makes both in the test): refused as Entra
 * would (no verification is ever skipped), with a hint naming NODE_EXTRA_CA_CERTS; trusted once the CA is
 * given that way. The built CLI runs as a child process, since Node reads NODE_EXTRA_CA_CERTS at start.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = join(resolve(import.meta.dirname, '..', '..'), 'dist', 'cli', 'main.js');
const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));
let dir: string;
let server: Server;
let url: string;

beforeAll(async () => {
  if (!OPENSSL) return;
  dir = mkdtempSync(join(tmpdir(), 'provsim-ca-'));
  const ssl = (...args: string[]) => execFileSync(OPENSSL, args, { cwd: dir, stdio: 'ignore' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=provsim test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'ext'), 'subjectAltName=IP:127.0.0.1\n');
  ssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '2',
    '-extfile',
    'ext',
  );
  server = createServer({ key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) }, (req, res) => {
    res.setHeader('Content-Type', 'application/scim+json');
    res.end(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `https://127.0.0.1:${(server.address() as { port: number }).port}/scim/v2`;
});
afterAll(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function testConnection(env: Record<string, string>): Promise<{ code: number; out: string }> {
  const { NODE_EXTRA_CA_CERTS: _ignored, ...inherited } = process.env;
  return promisify(execFile)(process.execPath, [CLI, 'test-connection', '--target', url], { env: { ...inherited, ...env } }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );
}

describe('a server with a private CA', () => {
  it('is where CI needs it', () => {
    if (process.env['CI']) expect(OPENSSL, '.ci/run installs openssl; it is missing').toBeDefined();
  });

  it.skipIf(!OPENSSL)('is refused with a hint naming NODE_EXTRA_CA_CERTS, and trusted once the CA is given that way', async () => {
    const refused = await testConnection({});
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('the TLS certificate of 127.0.0.1');
    expect(refused.out).toContain('NODE_EXTRA_CA_CERTS=ca.pem');
    const trusted = await testConnection({ NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem') });
    expect(trusted.out).toContain('Test connection succeeded');
    expect(trusted.code).toBe(0);
  });
});
