/**
 * The HTML report in a real headless browser (Debian's Chromium, installed by .ci/run): it renders the
 * summary, the quirk matrix and the failures, loads nothing from the network, and looks right in a
 * screenshot. Outside CI the test is skipped when no Chromium is installed; in CI a missing browser fails.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import { runCli } from './helpers.js';

const CHROMIUM = [process.env['PROVSIM_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => !!p && existsSync(p),
);
const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-extensions',
];

let target: RunningTarget;
let dir: string;
beforeAll(async () => {
  target = await startTarget({ port: 0, profile: 'strict' });
  dir = mkdtempSync(join(tmpdir(), 'provsim-browser-'));
});
afterAll(async () => {
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the HTML report in headless Chromium', () => {
  it('is installed where CI needs it', () => {
    if (process.env['CI']) expect(CHROMIUM, '.ci/run installs Debian chromium; it is missing').toBeDefined();
  });

  it.skipIf(!CHROMIUM)(
    'renders the summary, the quirk matrix and each failure with its request and response',
    async () => {
      const run = await runCli(target.url);
      const file = join(dir, 'report.html');
      const { writeFileSync } = await import('node:fs');
      writeFileSync(file, run.html);
      const browser = (args: string[]) =>
        execFileSync(CHROMIUM!, [...FLAGS, `--user-data-dir=${join(dir, 'profile')}`, ...args], {
          timeout: 60_000,
          stdio: ['ignore', 'pipe', 'pipe'],
        }).toString();

      const dom = browser(['--dump-dom', `file://${file}`]);
      expect(dom).toContain('id="summary"');
      expect(dom).toMatch(/id="quirk-matrix-table"[\s\S]*member-remove[\s\S]*accepted, wrong result/);
      expect(dom).toContain('id="failures"');
      expect(dom).toMatch(/rejectCapitalisedOps/);
      // Self-contained: no script or stylesheet from elsewhere.
      expect(dom).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);

      const png = join(dir, 'report.png');
      browser(['--window-size=1280,1600', `--screenshot=${png}`, `file://${file}`]);
      expect(statSync(png).size).toBeGreaterThan(20_000);
      expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    },
    120_000,
  );
});
