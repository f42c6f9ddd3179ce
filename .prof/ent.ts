import { computeEntitlements } from '../src/scoping/entitlement.js';
import { evaluateSource } from '../src/engine/source-state.js';
import { defaultJob, tenantOf } from '../bench/engine-harness.js';
import { ManualClock } from '../src/shared/clock.js';
import { seededRandom } from '../src/shared/random.js';
const job = await defaultJob();
const tenant = tenantOf(10_000, 500, 50);
console.log('assignments', tenant.assignments.length, 'users', tenant.users.length);
for (let i = 0; i < 8; i++) {
  let t = performance.now();
  computeEntitlements(tenant, job.job.settings);
  const e = performance.now() - t;
  t = performance.now();
  const s = evaluateSource(tenant, job, { clock: new ManualClock(), random: seededRandom(1) }, { retainViews: true });
  let h = 0; for (const x of s) h += x.hash.length;
  console.log('ent', e.toFixed(1), 'evaluate+hash', (performance.now() - t).toFixed(1));
}
