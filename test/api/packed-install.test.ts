/**
 * The library as a SCIM server author installs it: `npm pack`, then the tarball installed into a scratch
 * project that is not this checkout. The README's vitest example (between its library-example markers) is
 * type-checked there with `tsc` against the package's own declarations, then run with vitest: an initial and
 * an idle cycle of the bundled contoso tenant against `startTarget`, and `runConformance` passing the
 * tolerant target. The `provsim` binary of the install answers too: its version, the demo, and a conformance
 * run against `provsim serve`, as the README's CI job runs them.
 *
 * Slow by nature (a pack, an install that builds better-sqlite3 from the npm cache): one test file, one
 * scratch project. Only the packages of this checkout's lock file are installed, from npm's cache when it
 * has them; vitest, typescript and @types/node are the scratch project's dev tools, linked from this
 * checkout's node_modules rather than installed again.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..', '..');
const MINUTES = 60_000;

/** The README's library example, exactly as the README shows it. */
function readmeExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- library-example:start -->\n```ts\n([\s\S]*?)```\n<!-- library-example:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no library example between <!-- library-example:start --> and <!-- library-example:end -->');
  return block[1]!;
}

describe('the packed tarball, installed into another project', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provsim-packed-'));
  const project = join(dir, 'my-scim-server');

  beforeAll(async () => {
    // `npm pack` runs the prepare script: the tarball holds a fresh build.
    await run('npm', ['pack', '--pack-destination', dir, '--silent'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${dir}`);
    mkdirSync(project);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'my-scim-server', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } }, null, 2),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tarball)], {
      cwd: project,
      maxBuffer: 16 * 1024 * 1024,
    });
    for (const tool of ['vitest', 'typescript', '@types'])
      symlinkSync(join(ROOT, 'node_modules', tool), join(project, 'node_modules', tool), 'dir');
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            types: ['node'],
          },
          include: ['*.test.ts'],
        },
        null,
        2,
      ),
    );
    writeFileSync(join(project, 'provsim.test.ts'), readmeExample());
  }, 10 * MINUTES);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('ships the build, the bundled fixtures and mappings, and declarations for its entry point', () => {
    const installed = join(project, 'node_modules', 'provsim');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(readdirSync(join(installed, 'dist'))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts']));
    expect(readdirSync(join(installed, 'fixtures'))).toEqual(expect.arrayContaining(['contoso', 'contoso-day2', 'starter']));
    expect(readdirSync(join(installed, 'mappings'))).toEqual(expect.arrayContaining(['customappsso.yaml', 'zapier.yaml']));
    // No test, bench or source files ship.
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist', 'fixtures', 'mappings', 'package.json']);
  });

  it(
    "the README's example type-checks against the package's declarations",
    async () => {
      const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
      const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project }).catch(
        (e: { stdout?: string; code?: number }) => e,
      );
      expect((result as { stdout?: string }).stdout ?? '').toBe('');
      expect((result as { code?: number }).code ?? 0).toBe(0);
    },
    2 * MINUTES,
  );

  it(
    "the README's example runs: an initial and an idle cycle of contoso, and the conformance suite passes the tolerant target",
    async () => {
      const vitest = join(project, 'node_modules', 'vitest', 'vitest.mjs');
      const result = await run(process.execPath, [vitest, 'run', '--root', project, '--reporter', 'verbose'], {
        cwd: project,
        env: { ...process.env, NO_COLOR: '1', CI: '1' },
        maxBuffer: 16 * 1024 * 1024,
      }).catch((e: { stdout?: string; stderr?: string; code?: number }) => e);
      const out = `${(result as { stdout?: string }).stdout ?? ''}${(result as { stderr?: string }).stderr ?? ''}`;
      expect(out).toMatch(/provisions the contoso tenant as Entra would, then has nothing left to do/);
      expect(out).toMatch(/survives Entra: the conformance suite passes/);
      expect(out).toMatch(/Tests\s+2 passed \(2\)/);
      expect((result as { code?: number }).code ?? 0).toBe(0);
    },
    5 * MINUTES,
  );

  it(
    'installs the provsim binary: --version, and the demo runs from the bundled fixtures and mappings',
    async () => {
      const provsim = join(project, 'node_modules', '.bin', 'provsim');
      const { stdout } = await run(provsim, ['--version'], { cwd: project });
      expect(stdout.trim()).toBe('0.1.0');
      const demo = await run(provsim, ['demo'], { cwd: project, env: { ...process.env, NO_COLOR: '1' } });
      expect(demo.stdout).toContain('== Day 2');
      expect(demo.stdout).toMatch(/The target now holds 23 users/);
    },
    2 * MINUTES,
  );

  it(
    'from the install, against provsim serve from the install: conformance passes (exit 0); provsim init, then sync with no flags',
    async () => {
      const provsim = join(project, 'node_modules', '.bin', 'provsim');
      const env = { ...process.env, PROVSIM_TOKEN: 'ci-token-1b2c', NO_COLOR: '1' };
      const server = spawn(provsim, ['serve', '--port', '0', '--json'], { cwd: project, env, stdio: ['ignore', 'pipe', 'ignore'] });
      try {
        // `serve --json` prints one line, {"url": …}, once it listens.
        const url = await new Promise<string>((resolveUrl, reject) => {
          let text = '';
          server.stdout.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            if (text.includes('\n')) resolveUrl((JSON.parse(text.split('\n')[0]!) as { url: string }).url);
          });
          server.once('exit', (code) => reject(new Error(`provsim serve exited with ${code}: ${text}`)));
        });
        const result = await run(provsim, ['conformance', '--target', url, '--junit', 'conformance.xml'], { cwd: project, env }).catch(
          (e: { stdout?: string; code?: number }) => e,
        );
        expect((result as { stdout?: string }).stdout ?? '').toMatch(/passed/);
        expect((result as { code?: number }).code ?? 0).toBe(0);
        expect(readFileSync(join(project, 'conformance.xml'), 'utf8')).toContain('<testsuites');

        // The starter files come from the installed package; provsim.yaml then stands for the long flags.
        const starter = join(project, 'starter');
        await run(provsim, ['init', '--dir', starter, '--target', url], { cwd: project, env });
        const sync = await run(provsim, ['sync'], { cwd: starter, env });
        expect(sync.stdout).toMatch(/initial cycle [0-9a-f]{8}: succeeded/);
        expect(sync.stdout).toMatch(/Create\s+Success\s+4/);
      } finally {
        server.kill('SIGTERM');
      }
    },
    2 * MINUTES,
  );
});
