/**
 * Every shell example in README.md runs as written, through the built CLI, in a scratch folder (with the
 * checkout's `fixtures/` and `mappings/` beside it, as in a checkout), in README order, so later examples see
 * what earlier ones left (a state file, a mapping, provsim.yaml).
 *
 * What "as written" allows, and nothing more:
 * - every SCIM URL in an example (`https://scim.example.com/scim/v2`, `http://127.0.0.1:8080/scim/v2`,
 *   `http://127.0.0.1:3000/scim/v2`) is the embedded target this test starts on a free loopback port, with
 *   the token the examples' `PROVSIM_TOKEN=…` stands for; `serve --port 8080` listens on a free port;
 * - `provsim` (and `npx provsim`) is `node dist/cli/main.js`; `…` in `provsim provision …` stands for the flags
 *   of the example above it, as the README says;
 * - commands that run until Ctrl-C (`watch`, `serve`) get SIGINT once they have done their first thing, and
 *   exit 130.
 * Every example is in EXAMPLES, with how it is run or why it cannot run here: an example added to the README
 * without a decision fails the first test.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const TOKEN = 'readme-token-4c1d';
const MINUTE = 60_000;

type Decision =
  | { run: 'exit'; code: number }
  /** Runs until Ctrl-C: SIGINT once stdout or stderr matches `after`. */
  | { run: 'until'; after: RegExp }
  | { cannot: string };

/** Each README shell example, as extracted (continuations joined, comments dropped, `&&` split). */
const EXAMPLES: Record<string, Decision> = {
  'npm ci': { cannot: 'installs this checkout: CI runs it before this test' },
  'npm start': { run: 'exit', code: 0 },
  'npm test': { cannot: 'is this test suite' },
  'provsim init --target http://127.0.0.1:3000/scim/v2': { run: 'exit', code: 0 },
  'provsim test-connection': { run: 'exit', code: 0 },
  'provsim sync --dry-run': { run: 'exit', code: 0 },
  'provsim init --dir my-provsim --target http://127.0.0.1:8080/scim/v2': { run: 'exit', code: 0 },
  'export PROVSIM_TOKEN=…': { cannot: 'sets the token for the examples after it: this test gives each of them PROVSIM_TOKEN' },
  'provsim sync --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target https://scim.example.com/scim/v2 --dry-run': {
    run: 'exit',
    code: 0,
  },
  'provsim sync --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target http://127.0.0.1:8080/scim/v2 --verbose': {
    run: 'exit',
    code: 0,
  },
  'provsim watch --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target http://127.0.0.1:8080/scim/v2 --interval 30s --on-change':
    { run: 'until', after: /incremental cycle [0-9a-f]{8}: succeeded/ },
  'provsim status': { run: 'exit', code: 0 },
  'provsim restart --scope force-deletes': { run: 'exit', code: 0 },
  'provsim provision --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target http://127.0.0.1:8080/scim/v2 --user jose.muller@contoso.com':
    { run: 'exit', code: 0 },
  'provsim provision … --group "Sales Team" --json': { run: 'exit', code: 0 },
  'PROVSIM_TOKEN=… provsim test-connection --target https://scim.example.com/scim/v2': { run: 'exit', code: 0 },
  'provsim fixtures generate --users 10000 --groups 500 --members-per-group 50 --seed 7 --out tenant-10k': { run: 'exit', code: 0 },
  'provsim fixtures generate --users 2000 --groups 40 --members-per-group 20 --format jsonl --out tenant-jsonl': { run: 'exit', code: 0 },
  'provsim fixtures export-script --mapping mappings/customappsso.yaml --app "Contoso SCIM App"': { run: 'exit', code: 0 },
  'provsim fixtures import-graph fixtures/graph-export --out tenant-from-graph': { run: 'exit', code: 0 },
  'provsim fixtures import-graph fixtures/graph-export --out tenant-for-a-bug-report --anonymize "a secret phrase" --keep department': {
    run: 'exit',
    code: 0,
  },
  'provsim fixtures import-graph fixtures/graph-export --out tenant-from-graph-json --format json': { run: 'exit', code: 0 },
  'provsim sync --fixtures fixtures/graph-export --mapping mappings/customappsso.yaml --target https://scim.example.com/scim/v2 --state graph-export.db --dry-run':
    { run: 'exit', code: 0 },
  'provsim mappings import schema.json > mapping.yaml': { run: 'exit', code: 0 },
  'provsim mappings check mapping.yaml': { run: 'exit', code: 0 },
  'PROVSIM_TOKEN=… provsim conformance --target https://scim.example.com/scim/v2 --junit conformance.xml --html conformance.html': {
    run: 'exit',
    code: 0,
  },
  'provsim logs --cycle last --status Failure': { run: 'exit', code: 0 },
  'provsim logs --user jose --json': { run: 'exit', code: 0 },
  'provsim quirks': { run: 'exit', code: 0 },
  'provsim quirks --json': { run: 'exit', code: 0 },
  'provsim serve --port 8080 --profile strict --token devtoken': { run: 'until', after: /listening on http:\/\/127\.0\.0\.1:\d+/ },
  'provsim watch --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target http://127.0.0.1:8080/scim/v2 --notify-dir mail --notify-email ops@example.com':
    { run: 'until', after: /cycle [0-9a-f]{8}: succeeded/ },
  "git clone <provsim's repository> provsim": {
    cannot: 'fetches from a remote; test/api/packed-install.test.ts packs this checkout instead',
  },
  'cd provsim': { cannot: 'part of the install steps that test/api/packed-install.test.ts runs' },
  'npm pack': { cannot: 'part of the install steps that test/api/packed-install.test.ts runs' },
  'cd ../my-scim-server': { cannot: 'part of the install steps that test/api/packed-install.test.ts runs' },
  'npm install --save-dev ../provsim/provsim-0.1.0.tgz': { cannot: 'test/api/packed-install.test.ts installs the packed tarball' },
  'npx provsim init --target http://127.0.0.1:3000/scim/v2': {
    cannot: 'runs from the install: test/api/packed-install.test.ts runs init and sync there',
  },
  'npx provsim sync --dry-run': { cannot: 'runs from the install: test/api/packed-install.test.ts runs init and sync there' },
};

/** The README's shell examples, in order. */
export function readmeShellCommands(readme: string): string[] {
  const commands: string[] = [];
  for (const block of readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const joined = block[1]!.replace(/\\\n\s*/g, '');
    for (const raw of joined.split('\n')) {
      const line = stripComment(raw).trim();
      if (line === '') continue;
      for (const part of line.split(' && ')) commands.push(part.trim());
    }
  }
  return commands;
}

/** Drops a `# comment` that is not inside quotes (a quote opens only at a word's start: `provsim's` is a word). */
function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if ((c === '"' || c === "'") && (i === 0 || /\s/.test(line[i - 1]!))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i);
  }
  return line;
}

/** Splits a command line into words (single and double quotes; no expansion). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

let dir: string;
let target: RunningTarget;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'provsim-readme-'));
  symlinkSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'));
  symlinkSync(join(ROOT, 'mappings'), join(dir, 'mappings'));
  copyFileSync(join(ROOT, 'test', 'fixtures', 'schema', 'entra-scim-schema.json'), join(dir, 'schema.json'));
  target = await startTarget({ port: 0, profile: 'tolerant', token: TOKEN });
});
afterAll(async () => {
  await target?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The example with the test's substitutions (see the header). */
function substitute(command: string, previous: string[]): string[] {
  const origin = new URL(target.url).origin;
  let line = command
    .replace(/^PROVSIM_TOKEN=… /, '')
    .replace('https://scim.example.com', origin)
    .replace('http://127.0.0.1:8080', origin)
    .replace('http://127.0.0.1:3000', origin)
    .replace('--port 8080', '--port 0');
  if (line.startsWith('provsim provision … ')) {
    const above = [...previous].reverse().find((p) => p.startsWith('provsim provision --'))!;
    line = line.replace('provsim provision … ', `${above.replace(/ --user \S+$/, '')} `);
    line = substitute(line, []).join('\u0000');
    return line.split('\u0000');
  }
  return words(line);
}

async function run(
  argv: string[],
  decision: Extract<Decision, { run: string }>,
  redirect: string | null,
): Promise<{ code: number | null; out: string }> {
  const [program, ...args] = argv;
  const command = program === 'npm' ? 'npm' : process.execPath;
  const full = program === 'npm' ? args : [CLI, ...(program === 'npx' ? args.slice(1) : args)];
  // npm scripts are the checkout's own (`npm start` is the demo); everything else runs in the scratch folder.
  const child = spawn(command, full, {
    cwd: program === 'npm' ? ROOT : dir,
    env: { ...process.env, PROVSIM_TOKEN: TOKEN, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let out = '';
  let signalled = false;
  const onData = (chunk: Buffer, isStdout: boolean): void => {
    if (isStdout) stdout += chunk.toString();
    out += chunk.toString();
    if (decision.run === 'until' && !signalled && decision.after.test(out)) {
      signalled = true;
      child.kill('SIGINT');
    }
  };
  child.stdout.on('data', (c: Buffer) => onData(c, true));
  child.stderr.on('data', (c: Buffer) => onData(c, false));
  const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
  if (redirect) writeFileSync(join(dir, redirect), stdout);
  return { code, out };
}

describe("the README's shell examples", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const commands = readmeShellCommands(readme);

  it('every example has a decision: how it runs here, or why it cannot', () => {
    expect(commands.filter((c) => !(c in EXAMPLES))).toEqual([]);
    expect(Object.keys(EXAMPLES).filter((c) => !commands.includes(c))).toEqual([]);
  });

  it(
    'each runs as written, in README order, and ends as the README says',
    async () => {
      const ran: string[] = [];
      for (const command of commands) {
        const decision = EXAMPLES[command];
        if (!decision || 'cannot' in decision) continue;
        const [line, redirect] = command.split(' > ') as [string, string | undefined];
        const argv = substitute(line, ran);
        const { code, out } = await run(argv, decision, redirect ?? null);
        const expected = decision.run === 'until' ? 130 : decision.code;
        expect({ command, code, crash: /This is a bug|\n\s+at /.test(out) }, out.slice(-3000)).toEqual({
          command,
          code: expected,
          crash: false,
        });
        ran.push(command);
      }
      // What the examples say they leave behind.
      expect(existsSync(join(dir, 'provsim.yaml'))).toBe(true);
      expect(existsSync(join(dir, 'my-provsim', 'provsim.yaml'))).toBe(true);
      expect(readFileSync(join(dir, 'conformance.xml'), 'utf8')).toContain('<testsuites');
      expect(readFileSync(join(dir, 'conformance.html'), 'utf8')).toContain('<!DOCTYPE html>');
      expect(readFileSync(join(dir, 'mapping.yaml'), 'utf8')).toContain('attributes:');
      expect(existsSync(join(dir, 'tenant-10k', 'users.yaml'))).toBe(true);
      expect(readFileSync(join(dir, 'tenant-jsonl', 'users.jsonl'), 'utf8').split('\n')).toHaveLength(2001);
      expect(readFileSync(join(dir, 'tenant-from-graph', 'users.yaml'), 'utf8')).toContain('userPrincipalName: ingrid.lovas@woodgrove.com');
      expect(existsSync(join(dir, 'tenant-from-graph-json', 'assignments.json'))).toBe(true);
      expect(readFileSync(join(dir, 'tenant-for-a-bug-report', 'users.yaml'), 'utf8')).not.toContain('ingrid.lovas@woodgrove.com');
    },
    10 * MINUTE,
  );
});
