/**
 * The evaluation reports its progress (EngineHooks.onEvaluated) every 10,000 source objects, before the
 * cycle reads the target: the CLI's status line and the heap guard look in on a long synchronous step.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVALUATE_PROGRESS_EVERY } from '../../src/engine/desired.js';
import { openProvisioner } from '../../src/engine/open.js';
import { startTarget, type RunningTarget } from '../../src/scim-server/index.js';
import { generateTenant } from '../../src/source/generate/generate-tenant.js';
import { DEFAULT_MAPPING } from '../helpers/harness.js';

let target: RunningTarget;
let dir: string;
beforeAll(async () => {
  target = await startTarget({ port: 0, profile: 'tolerant', token: null });
  dir = mkdtempSync(join(tmpdir(), 'provsim-evaluate-progress-'));
});
afterAll(async () => {
  await target?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('evaluation progress', () => {
  it('is reported every 10,000 objects, users then groups, before the first read', async () => {
    expect(EVALUATE_PROGRESS_EVERY).toBe(10_000);
    const tenant = generateTenant({ users: 25_000, groups: 5_100, membersPerGroup: 2, seed: 7 });
    const provisioner = await openProvisioner({
      fixtures: tenant,
      mapping: DEFAULT_MAPPING,
      target: target.url,
      token: null,
      state: join(dir, 'state.db'),
      readOnly: true,
    });
    const seen: string[] = [];
    const stop = new AbortController();
    try {
      await provisioner.sync({
        dryRun: true,
        signal: stop.signal,
        hooks: {
          onPhase: (p) => {
            seen.push(p.phase);
            // Enough: the evaluation is done when the target is first read.
            if (p.phase === 'observe') stop.abort();
          },
          onEvaluated: ({ done, total }) => seen.push(`${done}/${total}`),
        },
      });
    } finally {
      await provisioner.close();
    }
    expect(seen).toEqual(['probe', 'evaluate', '10000/30100', '20000/30100', '30000/30100', 'observe']);
  });
});
