/** Reads a mapping file and hands it to `parseJob`: the only I/O of the job module. */
import { readFile } from 'node:fs/promises';
import type { Diagnostic } from '../shared/diagnostics.js';
import { error } from '../shared/diagnostics.js';
import { MAPPING_CODES as C } from './mapping-codes.js';
import { parseJob } from './parse-job.js';
import type { Job } from '../model/job.js';

export async function loadJob(file: string): Promise<{ job: Job | null; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : e instanceof Error ? e.message : String(e);
    return {
      job: null,
      diagnostics: [
        error(C.MAPPING_READ_FAILED, `cannot read the mapping file: ${why}`, {
          file,
          hint: 'pass a mapping YAML file such as mappings/customappsso.yaml',
        }),
      ],
    };
  }
  return parseJob({ file, text });
}
