/**
 * Loads and validates everything a cycle needs: the fixture tenant and the mapping with its compiled
 * expressions, from files or as objects already loaded. All problems come back together, as the
 * diagnostics of one InputError (file, line and column each), before any request is sent.
 */
import { loadJob, GROUP_SOURCE_ATTRIBUTES, USER_SOURCE_ATTRIBUTES } from '../mapping-file/index.js';
import { compileJob, type CompiledJob } from '../mapping/compile.js';
import { hasErrors, type Diagnostic } from '../shared/diagnostics.js';
import { InputError } from '../shared/errors.js';
import { loadTenant, type LoadTenantOptions } from '../source/index.js';
import type { Tenant } from '../model/directory.js';

/** The fixture tenant: a directory, or a tenant already loaded (`loadFixtures`, `parseTenant`). */
export type FixturesInput = string | Tenant;
/** The mapping: a YAML file, or a mapping already loaded and compiled (`loadMapping`). */
export type MappingInput = string | CompiledJob;

export interface Inputs {
  tenant: Tenant;
  job: CompiledJob;
  /** Warnings of both inputs (errors throw). */
  warnings: Diagnostic[];
}

/** Loads and compiles a mapping file. Throws InputError with every diagnostic when it has errors. */
export async function loadMapping(mappingFile: string): Promise<{ job: CompiledJob; warnings: Diagnostic[] }> {
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

/** Loads a fixture tenant directory. Throws InputError with every diagnostic when it has errors. */
export async function loadFixtures(dir: string, options: LoadTenantOptions = {}): Promise<{ tenant: Tenant; warnings: Diagnostic[] }> {
  const { tenant, diagnostics } = await loadTenant(dir, options);
  if (hasErrors(diagnostics) || !tenant) throw new InputError(diagnostics, `the fixtures in ${dir} have errors`);
  return { tenant, warnings: diagnostics };
}

/** Throws InputError with every diagnostic of both inputs. */
export async function loadInputs(fixtures: FixturesInput, mapping: MappingInput, options: LoadTenantOptions = {}): Promise<Inputs> {
  const [tenantResult, jobResult] = await Promise.allSettled([
    typeof fixtures === 'string' ? loadFixtures(fixtures, options) : Promise.resolve({ tenant: fixtures, warnings: [] }),
    typeof mapping === 'string' ? loadMapping(mapping) : Promise.resolve({ job: mapping, warnings: [] }),
  ]);
  const diagnostics: Diagnostic[] = [];
  const take = <T extends { warnings: Diagnostic[] }>(result: PromiseSettledResult<T>): T | null => {
    if (result.status === 'fulfilled') {
      diagnostics.push(...result.value.warnings);
      return result.value;
    }
    if (result.reason instanceof InputError) {
      diagnostics.push(...result.reason.diagnostics);
      return null;
    }
    throw result.reason;
  };
  const tenant = take(tenantResult)?.tenant;
  const job = take(jobResult)?.job;
  if (hasErrors(diagnostics) || !tenant || !job) throw new InputError(diagnostics, 'the fixtures or the mapping have errors');
  return { tenant, job, warnings: diagnostics };
}
