/**
 * The HTML report in a real headless browser (Debian's Chromium, installed by .ci/run), at a desktop width
 * (1280 px) and a phone's (390 px): it renders the verdict and the overview before the quirk matrix, failed
 * quirk probes and their matrix rows link to each other, evidence is folded in <details>, no backtick is
 * left in the text, it loads nothing from the network, and the page never scrolls sideways. Outside CI the
 * test is skipped when no Chromium is installed; in CI a missing browser fails.
 *
 * The report runs no script, so the layout is measured by a wrapper page the test writes (not the report):
 * it embeds the report in iframes of each width (srcdoc, so the wrapper may read them), measures
 * scrollWidth against clientWidth with every <details> closed and then opened, and writes the numbers into
 * its own DOM, which --dump-dom prints. A control frame with a 1000 px wide element shows the measurement
 * does detect overflow. Screenshots are written to PROVSIM_SCREENSHOT_DIR when it is set (to look at them),
 * otherwise to the temp dir.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import type { ConformanceReport } from '../../src/conformance/types.js';
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
  // Overlay scrollbars, as on a phone: a vertical scrollbar takes no width from the layout.
  '--hide-scrollbars',
];
const WIDTHS = [1280, 390] as const;

let target: RunningTarget;
let dir: string;
let report: ConformanceReport;
let file: string;
beforeAll(async () => {
  target = await startTarget({ port: 0, profile: 'strict' });
  dir = mkdtempSync(join(tmpdir(), 'provsim-browser-'));
  if (!CHROMIUM) return;
  const run = await runCli(target.url);
  report = run.report;
  file = join(dir, 'report.html');
  writeFileSync(file, run.html);
}, 120_000);
afterAll(async () => {
  await target?.close();
  rmSync(dir, { recursive: true, force: true });
});

function browser(args: string[]): string {
  return execFileSync(CHROMIUM!, [...FLAGS, `--user-data-dir=${join(dir, 'profile')}`, ...args], {
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** What the wrapper page measured, per frame. */
interface Measured {
  width: number;
  closed: { scrollWidth: number; clientWidth: number };
  open: { scrollWidth: number; clientWidth: number };
  pre: number;
  preInDetails: number;
  details: number;
  /** The rendered text of the report minus the recorded bodies (<pre>), every <details> open. */
  text: string;
  hrefs: string[];
  ids: string[];
}

function measure(html: string): { frames: Measured[]; control: { scrollWidth: number; clientWidth: number } } {
  const frames = WIDTHS.map(
    (w) => `<iframe id="w${w}" style="border:0;width:${w}px;height:1600px;display:block" srcdoc="${attr(html)}"></iframe>`,
  );
  const wrapper = `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
${frames.join('\n')}
<iframe id="control" style="border:0;width:390px;height:200px;display:block" srcdoc="${attr('<div style="width:1000px">wider than the frame</div>')}"></iframe>
<pre id="result">not measured</pre>
<script>
const size = (doc) => ({ scrollWidth: doc.documentElement.scrollWidth, clientWidth: doc.documentElement.clientWidth });
window.addEventListener('load', () => {
  const frames = ${JSON.stringify(WIDTHS)}.map((width) => {
    const doc = document.getElementById('w' + width).contentDocument;
    const closed = size(doc);
    for (const d of doc.querySelectorAll('details')) d.open = true;
    const open = size(doc);
    const body = doc.body.cloneNode(true);
    for (const p of body.querySelectorAll('pre, style')) p.remove();
    return {
      width, closed, open,
      pre: doc.querySelectorAll('pre').length,
      preInDetails: doc.querySelectorAll('details pre').length,
      details: doc.querySelectorAll('details').length,
      text: body.textContent,
      hrefs: [...doc.querySelectorAll('[href]')].map((a) => a.getAttribute('href')),
      ids: [...doc.querySelectorAll('[id]')].map((e) => e.id),
    };
  });
  const control = size(document.getElementById('control').contentDocument);
  document.getElementById('result').textContent = JSON.stringify({ frames, control });
});
</script>
</body></html>`;
  const path = join(dir, 'measure.html');
  writeFileSync(path, wrapper);
  const dom = browser(['--window-size=1400,1800', '--virtual-time-budget=10000', '--dump-dom', pathToFileURL(path).href]);
  const json = /<pre id="result">([\s\S]*?)<\/pre>/.exec(dom)?.[1];
  expect(json, 'the wrapper page wrote its measurements').toBeDefined();
  return JSON.parse(json!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as ReturnType<typeof measure>;
}

describe('the HTML report in headless Chromium', () => {
  it('is installed where CI needs it', () => {
    if (process.env['CI']) expect(CHROMIUM, '.ci/run installs Debian chromium; it is missing').toBeDefined();
  });

  it.skipIf(!CHROMIUM)(
    'at 1280 and 390 px: verdict and overview before the quirk matrix, failures and matrix rows linked both ways, evidence folded, nothing fetched',
    () => {
      const shots = process.env['PROVSIM_SCREENSHOT_DIR'] ?? dir;
      mkdirSync(shots, { recursive: true });
      for (const width of WIDTHS) {
        const dom = browser([`--window-size=${width},2000`, '--dump-dom', pathToFileURL(file).href]);
        expect(dom).toContain('id="summary"');
        expect(dom).toMatch(/id="quirk-matrix-table"[\s\S]*member-remove[\s\S]*accepted, wrong result/);
        expect(dom).toMatch(/rejectCapitalisedOps/);
        // The verdict and the overview of every check come first.
        const at = (id: string): number => dom.indexOf(`id="${id}"`);
        expect(at('verdict'), `${width}`).toBeGreaterThan(0);
        expect(at('verdict')).toBeLessThan(at('overview'));
        expect(at('overview')).toBeLessThan(at('quirk-matrix'));
        expect(at('failures')).toBeGreaterThan(0);
        // Each failed quirk probe links to its matrix row, and the row links back; both anchors exist.
        const probes = report.checks.filter((c) => c.quirk !== undefined && c.status === 'failed' && c.consequence === undefined);
        expect(probes.length).toBeGreaterThan(2);
        for (const probe of probes) {
          const failure = dom.slice(at(`failure-${probe.id}`));
          expect(failure.slice(0, failure.indexOf('\n</div>')), probe.id).toContain(`href="#quirk-row-${probe.quirk}"`);
          expect(at(`quirk-row-${probe.quirk}`), probe.quirk).toBeGreaterThan(0);
          const row = dom.slice(at(`quirk-row-${probe.quirk}`));
          expect(row.slice(0, row.indexOf('</tr>')), probe.quirk).toContain(`href="#failure-${probe.id}"`);
        }
        expect(dom).toContain('<details class="exchange">');
        // Self-contained: no script, stylesheet, image or frame, from anywhere.
        expect(dom).not.toMatch(/<(script|link|img|iframe|object|embed)\b/);

        const png = join(shots, `report-${width}.png`);
        browser([`--window-size=${width},2000`, `--screenshot=${png}`, pathToFileURL(file).href]);
        expect(statSync(png).size).toBeGreaterThan(20_000);
        expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
      }
    },
    120_000,
  );

  it.skipIf(!CHROMIUM)(
    'no sideways scrolling at 390 px (nor at 1280), details closed or open; no backtick in the text; every link in-page or to a public source',
    () => {
      const { frames, control } = measure(readFileSync(file, 'utf8'));
      // The measurement can see overflow: the control frame has it.
      expect(control.scrollWidth).toBeGreaterThan(control.clientWidth);
      for (const f of frames) {
        expect(f.closed.clientWidth, `${f.width}`).toBe(f.width);
        expect(f.closed.scrollWidth, `${f.width} px, details closed`).toBeLessThanOrEqual(f.closed.clientWidth);
        expect(f.open.scrollWidth, `${f.width} px, details open`).toBeLessThanOrEqual(f.open.clientWidth);
        // Every recorded body is folded.
        expect(f.details).toBeGreaterThan(0);
        expect(f.pre).toBeGreaterThan(0);
        expect(f.preInDetails).toBe(f.pre);
        // The texts' Markdown backticks were rendered as code (there are some: the gaps name `provsim …` commands).
        expect(f.text).toContain('provsim provision');
        expect(f.text).not.toContain('`');
        for (const href of f.hrefs) {
          if (href.startsWith('#')) expect(f.ids, href).toContain(href.slice(1));
          else expect(href).toMatch(/^https:\/\/(learn\.microsoft\.com|www\.rfc-editor\.org|datatracker\.ietf\.org)\//);
        }
        expect(f.hrefs.filter((h) => h.startsWith('https://learn.microsoft.com/')).length).toBeGreaterThan(0);
      }
    },
    120_000,
  );
});
