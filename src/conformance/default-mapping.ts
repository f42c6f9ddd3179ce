/**
 * The lifecycle runs Entra's default mapping for a non-gallery SCIM app, the file `provsim sync` users
 * start from (mappings/customappsso.yaml, shipped in the package), so "conformant" means "works with what
 * Entra sends by default".
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GROUP_SOURCE_ATTRIBUTES, loadJob, USER_SOURCE_ATTRIBUTES } from '../mapping-file/index.js';
import { compileJob, type CompiledJob } from '../mapping/compile.js';
import { hasErrors } from '../shared/diagnostics.js';
import { InternalError } from '../shared/errors.js';

/** This file sits in src/conformance (or dist/conformance); the package root is two levels up. */
export const DEFAULT_MAPPING_FILE = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'mappings', 'customappsso.yaml');

export async function loadDefaultMapping(file: string = DEFAULT_MAPPING_FILE): Promise<CompiledJob> {
  const loaded = await loadJob(file);
  const compiled = loaded.job ? compileJob(loaded.job, { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES }) : null;
  const diagnostics = [...loaded.diagnostics, ...(compiled?.diagnostics ?? [])];
  if (!compiled?.compiled || hasErrors(diagnostics)) {
    throw new InternalError(
      `the default mapping ${file} does not load (${diagnostics.map((d) => d.message).join('; ')}); reinstall provsim`,
    );
  }
  return compiled.compiled;
}
