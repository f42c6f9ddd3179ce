/**
 * Reads a fixture tenant directory (`users`, `groups`, `assignments`, each `.yaml`, `.yml` or `.json`) and
 * hands the texts to `parseTenant`. The only I/O of the source module.
 */
import { readdir } from 'node:fs/promises';
import { readInputFile } from '../shared/read-input-file.js';
import { join } from 'node:path';
import type { Diagnostic } from '../shared/diagnostics.js';
import { error } from '../shared/diagnostics.js';
import type { TextFile } from '../shared/yaml-file.js';
import { FIXTURE_CODES as C } from './fixture-codes.js';
import { parseTenant } from './parse-tenant.js';
import { isGraphExportListing, mixedListingDiagnostic } from './graph/export-listing.js';
import { loadGraphExport } from './load-graph-export.js';
import { jsonLinesFiles, loadJsonLinesTenant, type JsonLinesOptions } from './load-json-lines-tenant.js';
import type { Tenant } from '../model/directory.js';

const EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** One fixture file is decoded into one string: V8 caps a string at about 512 M characters. */
export const MAX_FIXTURE_FILE_BYTES = 512 * 2 ** 20;
const FILES = ['users', 'groups', 'assignments'] as const;

/** How a JSON Lines tenant keeps its users (`JsonLinesOptions`); tests lower both to read small tenants back. */
export type LoadTenantOptions = JsonLinesOptions;

export async function loadTenant(
  dir: string,
  options: LoadTenantOptions = {},
): Promise<{ tenant: Tenant | null; diagnostics: Diagnostic[] }> {
  let names: Set<string>;
  try {
    names = new Set(await readdir(dir));
  } catch (e) {
    return {
      tenant: null,
      diagnostics: [
        error(C.FIXTURE_READ_FAILED, `cannot read the tenant directory: ${reason(e)}`, {
          file: dir,
          hint: 'pass a directory containing users.yaml and assignments.yaml',
        }),
      ],
    };
  }

  // A large tenant: users*.jsonl and groups*.jsonl, streamed.
  const lines = jsonLinesFiles(names);
  if (lines.users.length > 0 || lines.groups.length > 0) return loadJsonLinesTenant(dir, names, options);

  // A Microsoft Graph export (servicePrincipal.json, appRoleAssignedTo*.json, users*.json pages…) has its own reader; both kinds at once is an error.
  if (isGraphExportListing(names)) return loadGraphExport(dir, { maxFileBytes: MAX_FIXTURE_FILE_BYTES, names });
  const mixed = mixedListingDiagnostic(dir, names);
  if (mixed !== null) return { tenant: null, diagnostics: [mixed] };

  const diagnostics: Diagnostic[] = [];
  const files: Partial<Record<(typeof FILES)[number], TextFile>> = {};
  for (const base of FILES) {
    const present = EXTENSIONS.map((ext) => base + ext).filter((n) => names.has(n));
    const chosen = present[0];
    if (chosen === undefined) continue;
    if (present.length > 1) {
      diagnostics.push(
        error(C.FIXTURE_AMBIGUOUS_FILE, `${present.join(' and ')} both exist`, {
          file: join(dir, chosen),
          hint: `keep only one ${base} file`,
        }),
      );
    }
    const file = join(dir, chosen);
    // Read whole, then decoded once: readFile with an encoding decodes chunk by chunk, which took as long
    // as parsing a 90 MB users.json.
    const read = await readInputFile(file, MAX_FIXTURE_FILE_BYTES);
    if (read.ok) files[base] = { file, text: read.bytes.toString('utf8') };
    else {
      diagnostics.push(
        error(C.FIXTURE_READ_FAILED, `cannot read ${chosen}: ${read.reason}`, {
          file,
          hint: 'fixture files are regular YAML or JSON files; a larger tenant loads from JSON (fixtures generate --format json)',
        }),
      );
      // Stand in an empty text so the file is not also reported as missing.
      files[base] = { file, text: '' };
    }
  }

  const parsed = parseTenant({ dir, ...files });
  const all = [...diagnostics, ...parsed.diagnostics];
  return { tenant: diagnostics.length > 0 ? null : parsed.tenant, diagnostics: all };
}

function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
