/**
 * Conformance tests: the real command function against the real embedded target over HTTP on 127.0.0.1,
 * with every report written to a temp dir and read back; a proxy that misbehaves on purpose (echoes the
 * token, loses responses); and a small XML well-formedness checker (no XML parser is a dependency).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceCommand, type ConformanceCommandOptions } from '../../src/cli/commands/conformance.js';
import type { CliDeps } from '../../src/cli/io.js';
import type { ConformanceReport } from '../../src/conformance/types.js';
import { systemClock } from '../../src/shared/clock.js';
import { seededRandom, type Random } from '../../src/shared/random.js';

export interface CliRun {
  exitCode: number;
  report: ConformanceReport;
  stdout: string;
  stderr: string;
  junit: string;
  json: string;
  html: string;
  dir: string;
}

const dirs: string[] = [];

/** Runs `provsim conformance` (the command function) writing all three reports; returns everything it produced. */
export async function runCli(
  target: string,
  options: Partial<ConformanceCommandOptions> = {},
  env: Record<string, string> = {},
  extra: Partial<CliDeps> & { random?: Random } = {},
): Promise<CliRun> {
  const dir = extra.cwd ?? tempDir();
  const out = { stdout: '', stderr: '' };
  const deps: CliDeps = {
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
    env,
    clock: systemClock,
    random: seededRandom(2026),
    isTTY: false,
    cwd: dir,
    ...extra,
  };
  const result = await conformanceCommand(
    { target, junit: 'reports/junit.xml', jsonFile: 'reports/report.json', html: 'reports/report.html', ...options },
    deps,
  );
  const read = (name: string): string => readFileSync(join(dir, 'reports', name), 'utf8');
  return {
    exitCode: result.exitCode,
    report: result.report,
    ...out,
    junit: read('junit.xml'),
    json: read('report.json'),
    html: read('report.html'),
    dir,
  };
}

/** A temp dir removed by removeTempDirs. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'provsim-conformance-test-'));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function failedIds(report: ConformanceReport, part?: string): string[] {
  return report.checks
    .filter((c) => c.status === 'failed' && (part === undefined || c.part === part))
    .map((c) => c.id)
    .sort();
}

/** The independent failures (root causes), sorted. */
export function rootCauses(report: ConformanceReport, severity?: 'mandatory' | 'optional'): string[] {
  return report.checks
    .filter((c) => c.status === 'failed' && c.consequence === undefined && (severity === undefined || c.severity === severity))
    .map((c) => c.id)
    .sort();
}

/** Each consequence: its id → [root cause, ...via]. */
export function consequencesOf(report: ConformanceReport): Record<string, string[]> {
  return Object.fromEntries(
    report.checks.filter((c) => c.consequence !== undefined).map((c) => [c.id, [c.consequence!.of, ...c.consequence!.via]]),
  );
}

// ── a misbehaving proxy ─────────────────────────────────────────────────────────────────────────────────

export interface ProxyOptions {
  /** Echo the Authorization header back: in a response header, and in the detail of every error body. */
  echoAuthorization?: boolean;
  /** Forward the request, then drop the connection before the answer (the client cannot know the outcome). */
  loseResponse?: (method: string, url: string, body: string) => boolean;
  /** Answer the request here, without forwarding it, when this returns an answer (no body: `body` undefined). */
  answer?: (method: string, url: string, body: string) => { status: number; body?: unknown } | null;
}

export interface TestProxy {
  url: string;
  lost: Array<{ method: string; url: string }>;
  close(): Promise<void>;
}

export async function startProxy(targetUrl: string, options: ProxyOptions): Promise<TestProxy> {
  const target = new URL(targetUrl);
  const lost: TestProxy['lost'] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const method = req.method ?? 'GET';
      const own = options.answer?.(method, req.url ?? '/', body.toString('utf8')) ?? null;
      if (own) {
        res.writeHead(own.status, { 'Content-Type': 'application/scim+json' });
        res.end(own.body === undefined ? undefined : JSON.stringify(own.body));
        return;
      }
      const lose = options.loseResponse?.(method, req.url ?? '/', body.toString('utf8')) ?? false;
      const upstream = request({ host: target.hostname, port: target.port, method, path: req.url, headers: req.headers }, (up) => {
        const parts: Buffer[] = [];
        up.on('data', (c: Buffer) => parts.push(c));
        up.on('end', () => {
          if (lose) {
            lost.push({ method, url: req.url ?? '/' });
            req.socket.destroy();
            return;
          }
          let text = Buffer.concat(parts).toString('utf8');
          const headers: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && k !== 'content-length') headers[k] = v;
          const auth = req.headers.authorization ?? '';
          if (options.echoAuthorization) {
            headers['x-echo-authorization'] = auth;
            if ((up.statusCode ?? 0) >= 400 && text !== '') {
              const parsed = JSON.parse(text) as Record<string, unknown>;
              text = JSON.stringify({ ...parsed, detail: `${String(parsed['detail'] ?? '')} (you sent ${auth})` });
            }
          }
          res.writeHead(up.statusCode ?? 502, headers);
          res.end(text);
        });
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    lost,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// ── XML well-formedness ─────────────────────────────────────────────────────────────────────────────────

const NAME = '[A-Za-z_:][A-Za-z0-9_:.-]*';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*"([^"<]*)"`, 'y');

/**
 * The problems that make `xml` not well-formed XML 1.0 (empty when it is): one root element, tags that
 * nest and match, quoted attributes without `<` and without duplicates, `&` only in entity references,
 * no characters XML forbids. Enough for the JUnit report, which uses no DTD, CDATA or namespaces.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  if (/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(xml)) problems.push('a character XML 1.0 does not allow');
  const badAmp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(xml);
  if (badAmp) problems.push(`a bare & at ${badAmp.index}`);
  const rest = xml.replace(/^\uFEFF?<\?xml[^?]*\?>/, '');
  const stack: string[] = [];
  let roots = 0;
  let i = 0;
  while (i < rest.length) {
    const lt = rest.indexOf('<', i);
    const textPart = rest.slice(i, lt === -1 ? rest.length : lt);
    if (stack.length === 0 && textPart.trim() !== '') problems.push(`text outside the root at ${i}`);
    if (lt === -1) break;
    if (rest.startsWith('<!--', lt)) {
      const end = rest.indexOf('-->', lt);
      if (end === -1) return [...problems, 'an unclosed comment'];
      i = end + 3;
      continue;
    }
    const close = new RegExp(`</(${NAME})\\s*>`, 'y');
    close.lastIndex = lt;
    const c = close.exec(rest);
    if (c) {
      const open = stack.pop();
      if (open !== c[1]) problems.push(`</${c[1]}> closes <${open ?? 'nothing'}>`);
      i = close.lastIndex;
      continue;
    }
    const openTag = new RegExp(`<(${NAME})`, 'y');
    openTag.lastIndex = lt;
    const o = openTag.exec(rest);
    if (!o) return [...problems, `a '<' that starts no tag at ${lt}: ${rest.slice(lt, lt + 30)}`];
    let j = openTag.lastIndex;
    const seen = new Set<string>();
    for (;;) {
      ATTRIBUTE.lastIndex = j;
      const a = ATTRIBUTE.exec(rest);
      if (!a) break;
      if (seen.has(a[1]!)) problems.push(`attribute ${a[1]} twice on <${o[1]}>`);
      seen.add(a[1]!);
      j = ATTRIBUTE.lastIndex;
    }
    const end = /\s*(\/?)>/y;
    end.lastIndex = j;
    const e = end.exec(rest);
    if (!e) return [...problems, `a malformed <${o[1]}> tag at ${lt}: ${rest.slice(lt, lt + 60)}`];
    if (stack.length === 0) roots += 1;
    if (e[1] !== '/') stack.push(o[1]!);
    i = end.lastIndex;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** Elements named `name` with their attributes (for structure assertions; attribute values unescaped). */
export function xmlElements(xml: string, name: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const m of xml.matchAll(new RegExp(`<${name}((?:\\s+${NAME}\\s*=\\s*"[^"]*")*)\\s*/?>`, 'g'))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? '').matchAll(new RegExp(`(${NAME})\\s*=\\s*"([^"]*)"`, 'g'))) attrs[a[1]!] = unescapeXml(a[2]!);
    out.push(attrs);
  }
  return out;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
