/**
 * Mapping and scoping throughput (the expression issue's benchmark): compile Entra's default mapping plus
 * two scoping filter groups, then evaluate them over 100,000 generated users — for each user, the view a
 * mapping sees (Entra's attribute names), both scoping groups, and every mapping row (Direct rows and the
 * Switch/Join expressions). Timed: compile + evaluation. Not timed: generating the tenant and computing the
 * app-role assignments that the view carries.
 */
import { readFile } from 'node:fs/promises';
import { GROUP_SOURCE_ATTRIBUTES, USER_SOURCE_ATTRIBUTES, parseJob } from '../src/mapping-file/index.js';
import { compileJob } from '../src/mapping/compile.js';
import { mapObject } from '../src/mapping/map-object.js';
import { userView } from '../src/source/view.js';
import { computeEntitlements } from '../src/scoping/entitlement.js';
import { evaluateScope } from '../src/scoping/evaluate-scope.js';
import { ManualClock } from '../src/shared/clock.js';
import { seededRandom } from '../src/shared/random.js';
import { generateTenant } from '../src/source/generate/generate-tenant.js';
import type { AppRole, Tenant } from '../src/model/directory.js';
import { SCOPING } from './planning.bench.js';
import type { Benchmark, Measurement } from './types.js';

const USERS = 100_000;
const MAPPING = 'mappings/customappsso.yaml';

let prepared: Promise<{ tenant: Tenant; roles: AppRole[][]; text: string }> | undefined;

async function prepare(): Promise<{ tenant: Tenant; roles: AppRole[][]; text: string }> {
  const tenant = generateTenant({ users: USERS, groups: 100, membersPerGroup: 50, seed: 2026 });
  const text = await readFile(new URL(`../${MAPPING}`, import.meta.url), 'utf8');
  const parsed = parseJob({ file: MAPPING, text });
  const entitlements = computeEntitlements(tenant, parsed.job!.settings);
  return { tenant, roles: tenant.users.map((u) => entitlements.users.get(u.id)!.roles), text };
}

export const benchmark: Benchmark = {
  id: 'mapping',
  title: 'compile + evaluate default mapping and 2 scoping groups, 100k users',
  target: { op: '>=', value: 100_000, unit: 'users/s' },
  async run(): Promise<Measurement> {
    const { tenant, roles, text } = await (prepared ??= prepare());
    const deps = { clock: new ManualClock(), random: seededRandom(1) };

    const cpu = process.cpuUsage();
    const start = performance.now();
    const parsed = parseJob({ file: MAPPING, text });
    const { compiled } = compileJob(
      { ...parsed.job!, users: { ...parsed.job!.users, scoping: SCOPING } },
      { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES },
    );
    const job = compiled!.users;
    let inScope = 0;
    let values = 0;
    const users = tenant.users;
    for (let i = 0; i < users.length; i++) {
      const view = userView(users[i]!, false, roles[i]!);
      if (evaluateScope(job.scoping, view.attributes).inScope) inScope++;
      values += mapObject(job, view, deps).values.length;
    }
    const wallMs = performance.now() - start;
    const { user, system } = process.cpuUsage(cpu);
    if (values < USERS) throw new Error(`only ${values} mapped values for ${USERS} users`);
    return {
      value: USERS / (wallMs / 1000),
      unit: 'users/s',
      wallMs,
      cpuMs: (user + system) / 1000,
      details: { users: USERS, inScope, mappedValues: values },
    };
  },
};
