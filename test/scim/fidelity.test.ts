/**
 * The evidence inside the product: every quirk and every fixed wire choice names its evidence (kind,
 * source, date, confidence), `provsim quirks` lists them, and the README's Fidelity tables are exactly
 * what `provsim quirks --markdown` prints (so the README cannot drift from the code).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fidelityMarkdown } from '../../src/cli/commands/quirks.js';
import { CONFIDENCES, EVIDENCE_KINDS, type Evidence } from '../../src/scim/evidence.js';
import { QUIRK_NAMES, QUIRKS } from '../../src/scim/quirks.js';
import { WIRE_CHOICES } from '../../src/scim/wire-choices.js';
import { Harness, ROOT } from '../helpers/harness.js';

function checkEvidence(where: string, e: Evidence): void {
  expect(EVIDENCE_KINDS, where).toContain(e.kind);
  expect(CONFIDENCES, where).toContain(e.confidence);
  expect(e.source.length, where).toBeGreaterThan(5);
  expect(e.note.length, where).toBeGreaterThan(5);
  expect(e.date, where).toMatch(/^(\d{4}(-\d{2}(-\d{2})?)?|current|—)$/);
  // Reasoning has no publication date; anything else has one or is a current doc page.
  if (e.kind === 'reasoning') expect(['—', 'current'].includes(e.date) || /^\d{4}/.test(e.date), where).toBe(true);
  else expect(e.date, where).not.toBe('—');
}

describe('evidence for every wire shape', () => {
  it('each quirk is defined once, with its evidence, both defaults and what off means', () => {
    expect(QUIRKS.map((q) => q.name)).toEqual([...QUIRK_NAMES]);
    for (const q of QUIRKS) {
      checkEvidence(q.name, q.evidence);
      expect(typeof q.defaults.legacy, q.name).toBe('boolean');
      expect(typeof q.defaults.aadOptscim062020, q.name).toBe('boolean');
      expect(q.off.length, q.name).toBeGreaterThan(5);
    }
  });

  it('each fixed wire choice has a unique id and its evidence, including the choices nothing documents', () => {
    const ids = WIRE_CHOICES.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of WIRE_CHOICES) checkEvidence(c.id, c.evidence);
    // The issue named these two undocumented choices: they must be listed.
    expect(ids).toEqual(expect.arrayContaining(['delete-404-success', 'member-add-remove-separate']));
  });

  it("the README's Fidelity tables are what `provsim quirks --markdown` prints", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(fidelityMarkdown({ quirks: QUIRKS, choices: WIRE_CHOICES }));
  });

  it('`provsim quirks` prints one line per quirk and choice; --json the data', async () => {
    const h = new Harness();
    try {
      expect(await h.cli(['quirks'])).toBe(0);
      const lines = h.out.stdout.split('\n');
      for (const q of QUIRKS)
        expect(
          lines.filter((l) => l.startsWith(`  ${q.name} `)),
          q.name,
        ).toHaveLength(1);
      for (const c of WIRE_CHOICES)
        expect(
          lines.filter((l) => l.startsWith(`  ${c.id} `)),
          c.id,
        ).toHaveLength(1);
      expect(lines.find((l) => l.startsWith('  readBeforeWrite '))).toMatch(
        /on  \/ on .*microsoft-staff, 2023-04-03, medium-high.*Q&A 1195656/,
      );
      h.out.stdout = '';
      expect(await h.cli(['quirks', '--json'])).toBe(0);
      const data = JSON.parse(h.out.stdout) as { quirks: Array<{ name: string; evidence: Evidence }>; choices: unknown[] };
      expect(data.quirks.map((q) => q.name)).toEqual([...QUIRK_NAMES]);
      expect(data.choices).toHaveLength(WIRE_CHOICES.length);
    } finally {
      await h.stop();
    }
  });
});
