/**
 * Reads a Microsoft Graph export directory (see `graph/export-listing.ts` for its files) into a Tenant. The I/O
 * of the Graph reader: lists the directory, then reads, decodes and hands over one page file at a time (each
 * capped like a fixture file), so a large export is never held as text all at once.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { error } from '../shared/diagnostics.js';
import { readInputFile } from '../shared/read-input-file.js';
import { decodeText } from './graph/decode-text.js';
import { GRAPH_CODES as C } from './graph/graph-codes.js';
import { GraphExportReader } from './graph/graph-export-reader.js';
import type { GraphExportResult } from './graph/graph-export-reader.js';

export interface LoadGraphExportOptions {
  /** Files larger than this are reported, not read (`MAX_FIXTURE_FILE_BYTES` in `load-tenant.ts`). */
  maxFileBytes: number;
  /** The directory's listing when the caller has it already; otherwise the directory is listed. */
  names?: Iterable<string>;
}

export async function loadGraphExport(dir: string, options: LoadGraphExportOptions): Promise<GraphExportResult> {
  let names: Iterable<string>;
  if (options.names !== undefined) names = options.names;
  else {
    try {
      names = await readdir(dir);
    } catch (e) {
      return {
        tenant: null,
        diagnostics: [
          error(C.GRAPH_READ_FAILED, `cannot read the Graph export directory: ${reason(e)}`, {
            file: dir,
            hint: 'pass the directory holding users.json, servicePrincipal.json, appRoleAssignedTo.json, … (see the README, Graph exports)',
          }),
        ],
      };
    }
  }
  const reader = new GraphExportReader(dir, names);
  for (const name of reader.files) {
    const read = await readInputFile(join(dir, name), options.maxFileBytes);
    if (read.ok) reader.add(name, decodeText(read.bytes));
    else reader.fail(name, read.reason);
  }
  return reader.finish();
}

function reason(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
