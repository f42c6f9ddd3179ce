/**
 * The dependency rules (.dependency-cruiser.cjs, run by `npm run lint`) against a tree with one planted
 * violation per rule (test/fixtures/layout/src), and against the real src/, which must break none.
 */
import { fileURLToPath } from 'node:url';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Cruises `<baseDir>/src` with the repository's rules and tsconfig, as `npm run lint` does for the repository. */
async function violationsIn(baseDir: string): Promise<Violation[]> {
  const options = await extractDepcruiseOptions(`${repo}.dependency-cruiser.cjs`);
  const tsConfig = extractTSConfig(`${repo}tsconfig.json`);
  const { output } = await cruise(['src'], { ...options, baseDir, outputType: 'json' }, {}, { tsConfig });
  const result = (typeof output === 'string' ? JSON.parse(output) : output) as ICruiseResult;
  return result.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

const render = (violations: readonly Violation[]): string => violations.map((v) => `${v.rule}: ${v.from} → ${v.to}`).join('\n');

describe('the dependency rules', () => {
  it('report each planted violation by rule name, and nothing the tree does not break', async () => {
    const found = await violationsIn(fileURLToPath(new URL('../fixtures/layout/', import.meta.url)));
    const planted: Violation[] = [
      { rule: 'scim-below-engine-and-mapping', from: 'src/scim/x.ts', to: 'src/engine/y.ts' },
      { rule: 'pure-core-no-io', from: 'src/expression/z.ts', to: 'fs' },
      // Through src/shared/net-helper.ts: reachability, not only direct imports.
      { rule: 'pure-core-no-io', from: 'src/mapping/m.ts', to: 'http' },
      // A type-only import counts.
      { rule: 'pure-core-no-io', from: 'src/engine/plan.ts', to: 'src/store/s.ts' },
      { rule: 'conformance-never-imports-store', from: 'src/conformance/c.ts', to: 'src/store/s.ts' },
      { rule: 'store-only-from-io-steps-and-cli', from: 'src/shared/uses-store.ts', to: 'src/store/s.ts' },
      { rule: 'store-only-from-io-steps-and-cli', from: 'src/engine/plan.ts', to: 'src/store/s.ts' },
      { rule: 'loaders-do-io-only-in-load-wrappers', from: 'src/source/parse.ts', to: 'fs' },
      { rule: 'nothing-imports-cli', from: 'src/shared/uses-cli.ts', to: 'src/cli/io.ts' },
      { rule: 'commands-do-not-import-commands', from: 'src/cli/commands/a.ts', to: 'src/cli/commands/b.ts' },
      { rule: 'model-is-a-leaf', from: 'src/model/job.ts', to: 'src/scoping/q.ts' },
      { rule: 'model-imports-diagnostics-types-only', from: 'src/model/job.ts', to: 'src/shared/diagnostics.ts' },
      { rule: 'scim-server-self-contained', from: 'src/scim-server/app.ts', to: 'src/scim/x.ts' },
      { rule: 'expression-through-its-index', from: 'src/scoping/s.ts', to: 'src/expression/runtime/r.ts' },
      { rule: 'no-circular', from: 'src/scoping/p.ts', to: 'src/scoping/q.ts' },
      { rule: 'no-orphans', from: 'src/shared/orphan.ts', to: 'src/shared/orphan.ts' },
      { rule: 'no-unresolvable-imports', from: 'src/shared/broken.ts', to: './missing.js' },
    ];
    for (const v of planted) expect(found, render(found)).toContainEqual(v);
    // The dev dependency resolves to a path under node_modules that depends on where node_modules is.
    expect(found).toContainEqual(
      expect.objectContaining({
        rule: 'no-dev-dependencies-in-src',
        from: 'src/shared/dev.ts',
        to: expect.stringMatching(/node_modules\/vitest\//),
      }),
    );
    // What the tree does that is allowed (the store from engine/apply.ts, files read in source/load-tenant.ts,
    // express and src/shared from the embedded server, the two entry points) is reported by no rule.
    expect(found).toHaveLength(planted.length + 1);
  });

  it('find nothing in src/', async () => {
    const found = await violationsIn(repo);
    expect(found, `src/ breaks the dependency rules:\n${render(found)}`).toEqual([]);
  });
});
