/**
 * The README's "Graph exports" translation table is the code's (`USER_TRANSLATIONS`, `GROUP_TRANSLATIONS`):
 * same rows, same order, same evidence; the README collapses extensionAttribute1..15 into one row.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVIDENCE } from '../../src/source/graph/evidence.js';
import { GROUP_TRANSLATIONS } from '../../src/source/graph/group-translations.js';
import { USER_TRANSLATIONS } from '../../src/source/graph/user-translations.js';
import type { Translation } from '../../src/source/graph/user-translations.js';

const README = readFileSync(join(resolve(import.meta.dirname, '..', '..'), 'README.md'), 'utf8');

function codeRows(kind: string, rows: readonly Translation[]): string[][] {
  const out: string[][] = [];
  for (const r of rows) {
    const n = /extensionAttribute(\d+)$/.exec(r.graph)?.[1];
    if (n !== undefined && n !== '1') continue;
    out.push([
      kind,
      n === undefined ? r.graph : 'onPremisesExtensionAttributes.extensionAttribute1…15',
      n === undefined ? r.entra : 'extensionAttribute1…15',
      ...r.evidence.map((e) => EVIDENCE[e].url),
    ]);
  }
  return out;
}

describe("the README's Graph translation table", () => {
  it('lists the rows of the code table, with the documents each rests on', () => {
    const links = new Map([...README.matchAll(/^\[([\w-]+)\]: (\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
    const readme = [...README.matchAll(/^\| (user|group) \| `([^`]+)` \| `([^`]+)` \| [^|]* \| ([^|]+) \|$/gm)].map((m) => [
      m[1]!,
      m[2]!,
      m[3]!,
      ...[...m[4]!.matchAll(/\[([\w-]+)\]/g)].map((l) => links.get(l[1]!) ?? `undefined link ${l[1]}`),
    ]);
    expect(readme).toEqual([...codeRows('user', USER_TRANSLATIONS), ...codeRows('group', GROUP_TRANSLATIONS)]);
  });
});
