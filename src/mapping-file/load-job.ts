/** Reads a mapping file and hands it to `parseJob`: the only I/O of the job module. */
import { readInputFile } from '../shared/read-input-file.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import { error } from '../shared/diagnostics.js';
import { MAPPING_CODES as C } from './mapping-codes.js';
import { parseJob } from './parse-job.js';
import type { Job } from '../model/job.js';

/** A mapping is a few hundred lines; anything far larger is not one. */
export const MAX_MAPPING_FILE_BYTES = 16 * 2 ** 20;

export async function loadJob(file: string): Promise<{ job: Job | null; diagnostics: Diagnostic[] }> {
  const read = await readInputFile(file, MAX_MAPPING_FILE_BYTES);
  if (!read.ok) {
    const why = read.reason;
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
  return parseJob({ file, text: read.bytes.toString('utf8') });
}
