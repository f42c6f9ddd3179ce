/**
 * `provsim mappings import` and `provsim mappings check`: thin I/O around the pure `importSchema` and
 * `renderMappingTable`.
 *
 * import: reads a synchronizationSchema JSON, writes the mapping YAML to stdout (or `--output FILE`) and every
 * note to stderr. With error notes nothing is written (not even a partial file over an existing one) and the
 * exit code is 2.
 * check: loads and compiles a mapping exactly as `sync` does (`loadMapping`); problems are an InputError
 * (exit 2, `main` prints them), warnings go to stderr, and the portal-style table (or the Job as JSON) to stdout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { importSchema } from '../../schema-import/import-schema.js';
import { IMPORT_CODES } from '../../schema-import/codes.js';
import { parseSchemaJson } from '../../schema-import/schema-json.js';
import { renderMappingTable } from '../render/mapping-table.js';
import type { Job } from '../../model/job.js';
import { error, formatDiagnostic, hasErrors } from '../../shared/diagnostics.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { UsageError } from '../../shared/errors.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { loadMapping } from '../../engine/load-inputs.js';

export interface MappingsImportOptions {
  /** The synchronizationSchema JSON file. */
  schema: string;
  /** Write the YAML here instead of stdout. */
  output?: string;
}

export interface MappingsCheckOptions {
  /** The mapping YAML file. */
  mapping: string;
  /** Print the loaded Job as JSON instead of the table. */
  json?: boolean;
}

export async function mappingsImportCommand(
  options: MappingsImportOptions,
  deps: CliDeps,
): Promise<CommandResult & { notes: Diagnostic[]; job: Job | null }> {
  const schemaFile = inputPath(deps, options.schema);
  const report = (notes: readonly Diagnostic[]): void => {
    for (const n of notes) deps.stderr.write(formatDiagnostic(n) + '\n');
  };

  let text: string;
  try {
    text = await readFile(schemaFile, 'utf8');
  } catch (e) {
    const notes = [
      error(IMPORT_CODES.SCHEMA_READ_FAILED, `cannot read the schema file: ${describeFsError(e)}`, {
        file: schemaFile,
        hint: 'pass the JSON file exported from the schema editor or from Graph …/synchronization/jobs/{jobId}/schema',
      }),
    ];
    report(notes);
    return { exitCode: EXIT_CODES.usage, notes, job: null };
  }
  const parsed = parseSchemaJson({ file: schemaFile, text });
  if (hasErrors(parsed.diagnostics)) {
    report(parsed.diagnostics);
    return { exitCode: EXIT_CODES.usage, notes: parsed.diagnostics, job: null };
  }

  const outputFile = options.output === undefined ? undefined : inputPath(deps, options.output);
  const result = importSchema(parsed.json, schemaFile, outputFile === undefined ? {} : { mappingFile: outputFile });
  report(result.notes);
  if (result.job === null) {
    const n = result.notes.filter((d) => d.severity === 'error').length;
    deps.stderr.write(`provsim: cannot import ${schemaFile} (${n} error${n === 1 ? '' : 's'}); nothing was written\n`);
    return { exitCode: EXIT_CODES.usage, notes: result.notes, job: null };
  }

  if (outputFile === undefined) deps.stdout.write(result.yaml);
  else {
    try {
      await writeFile(outputFile, result.yaml, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot write ${outputFile}: ${describeFsError(e)}; choose another --output, or leave it out to print the YAML`);
    }
    const warnings = result.notes.length;
    deps.stderr.write(
      `provsim: wrote ${outputFile}${warnings === 0 ? '' : ` (${warnings} note${warnings === 1 ? '' : 's'}, also listed in its header)`}\n`,
    );
  }
  return { exitCode: EXIT_CODES.ok, notes: result.notes, job: result.job };
}

export async function mappingsCheckCommand(options: MappingsCheckOptions, deps: CliDeps): Promise<CommandResult & { job: Job }> {
  const { job: compiled, warnings } = await loadMapping(inputPath(deps, options.mapping));
  for (const w of warnings) deps.stderr.write(formatDiagnostic(w) + '\n');
  const job = compiled.job;
  deps.stdout.write(options.json ? JSON.stringify(job, null, 2) + '\n' : renderMappingTable(job) + '\n');
  return { exitCode: EXIT_CODES.ok, job };
}

/**
 * A file argument as diagnostics should name it: as the user typed it when it is absolute or `deps.cwd` is the
 * process's directory (the CLI); resolved against `deps.cwd` otherwise (tests, embedding).
 */
function inputPath(deps: CliDeps, name: string): string {
  return isAbsolute(name) || resolve(deps.cwd) === resolve(process.cwd()) ? name : resolve(deps.cwd, name);
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
