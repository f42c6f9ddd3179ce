/**
 * `provsim fixtures export-script`: prints the bash (Azure CLI) and/or PowerShell (Microsoft Graph SDK) script
 * that saves, from a real tenant, the Graph responses `provsim fixtures import-graph` reads, asking Graph only
 * for what the mapping reads. The mapping is loaded and compiled as `sync` loads it (`loadMapping`): its
 * problems are an InputError (exit 2, `main` prints each with file:line:col); warnings go to stderr, the
 * script to stdout.
 */
import { isAbsolute, resolve } from 'node:path';
import { loadMapping } from '../../engine/load-inputs.js';
import { formatDiagnostic } from '../../shared/diagnostics.js';
import { UsageError } from '../../shared/errors.js';
import { EXPORT_SHELLS, renderExportScript, type ExportShell } from '../../source/graph/export-script.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';

export interface FixturesExportScriptOptions {
  /** The mapping YAML whose reads decide the `$select` lists. */
  mapping: string;
  /** The enterprise app's display name. */
  app: string;
  /** `bash`, `powershell` or `both`. @default 'both' */
  shell?: string;
  /** The directory the printed script writes into. @default 'graph-export' */
  outDir?: string;
}

export async function fixturesExportScriptCommand(options: FixturesExportScriptOptions, deps: CliDeps): Promise<CommandResult> {
  const shell = options.shell ?? 'both';
  if (!isShell(shell)) throw new UsageError(`--shell ${shell} is not one of ${EXPORT_SHELLS.join(', ')}; e.g. --shell bash`);
  const file = shownPath(deps, options.mapping);
  const { job, warnings } = await loadMapping(file);
  for (const w of warnings) deps.stderr.write(formatDiagnostic(w) + '\n');
  let script: string;
  try {
    script = renderExportScript(job, {
      appName: options.app,
      shell,
      mappingFile: options.mapping,
      ...(options.outDir !== undefined ? { outDir: options.outDir } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  }
  deps.stdout.write(script);
  return { exitCode: EXIT_CODES.ok };
}

function isShell(value: string): value is ExportShell {
  return (EXPORT_SHELLS as readonly string[]).includes(value);
}

/**
 * The mapping file as diagnostics should name it: as typed when it is absolute or `deps.cwd` is the process's
 * directory (the CLI); resolved against `deps.cwd` otherwise (tests, embedding).
 */
function shownPath(deps: CliDeps, name: string): string {
  return isAbsolute(name) || resolve(deps.cwd) === resolve(process.cwd()) ? name : resolve(deps.cwd, name);
}
