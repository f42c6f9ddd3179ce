/**
 * Loads and validates everything a cycle needs from disk: the fixture tenant, the mapping, and the
 * compiled expressions. All problems come back together as diagnostics, before any request is sent.
 */
import { loadJob, GROUP_SOURCE_ATTRIBUTES, USER_SOURCE_ATTRIBUTES } from '../mapping-file/index.js';
import { compileJob, type CompiledJob } from '../mapping/compile.js';
import { hasErrors, type Diagnostic } from '../shared/diagnostics.js';
import { InputError } from '../shared/errors.js';
import { loadTenant } from '../source/index.js';
import type { Tenant } from '../model/directory.js';

export interface Inputs {
  tenant: Tenant;
  job: CompiledJob;
  warnings: Diagnostic[];
}

export async function loadJobFile(mappingFile: string): Promise<{ job: CompiledJob; warnings: Diagnostic[] }> {
  const loaded = await loadJob(mappingFile);
  const diagnostics = [...loaded.diagnostics];
  let compiled: CompiledJob | null = null;
  if (loaded.job) {
    const c = compileJob(loaded.job, { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES });
    diagnostics.push(...c.diagnostics);
    compiled = c.compiled;
  }
  if (hasErrors(diagnostics) || !compiled) throw new InputError(diagnostics, `the mapping ${mappingFile} has errors`);
  return { job: compiled, warnings: diagnostics };
}

/** Throws InputError with every diagnostic of both inputs. */
export async function loadInputs(fixturesDir: string, mappingFile: string): Promise<Inputs> {
  const [tenantResult, jobResult] = await Promise.allSettled([loadTenant(fixturesDir), loadJobFile(mappingFile)]);
  const diagnostics: Diagnostic[] = [];
  let tenant: Tenant | null = null;
  let job: CompiledJob | null = null;
  if (tenantResult.status === 'fulfilled') {
    diagnostics.push(...tenantResult.value.diagnostics);
    tenant = tenantResult.value.tenant;
  } else throw tenantResult.reason;
  if (jobResult.status === 'fulfilled') {
    diagnostics.push(...jobResult.value.warnings);
    job = jobResult.value.job;
  } else if (jobResult.reason instanceof InputError) diagnostics.push(...jobResult.reason.diagnostics);
  else throw jobResult.reason;
  if (hasErrors(diagnostics) || !tenant || !job) throw new InputError(diagnostics, 'the fixtures or the mapping have errors');
  return { tenant, job, warnings: diagnostics };
}
