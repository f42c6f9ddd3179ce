/**
 * `provsim fixtures import-graph EXPORT_DIR --out DIR`: a Microsoft Graph export (users, groups, members, the
 * app's service principal and its appRoleAssignedTo, saved as Graph returned them) → a fixture tenant that
 * `--fixtures DIR` loads as the same Tenant. Every item the export has that the tenant cannot use is printed
 * with its file and index (`users-2.json:14:5: warning … value[3]: …`); with an error nothing is written (exit 2).
 * With `--anonymize`, whose output is meant for a bug report, diagnostics that could quote the export are printed
 * (and reported by `--json`) with their file, position, code and item only.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { formatDiagnostic, hasErrors } from '../../shared/diagnostics.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { UsageError } from '../../shared/errors.js';
import { mixedListingDiagnostic } from '../../source/graph/export-listing.js';
import { GRAPH_CODES_WITHOUT_DATA } from '../../source/graph/graph-codes.js';
import { itemPathOf } from '../../source/graph/graph-report.js';
import { jsonLinesFiles } from '../../source/load-json-lines-tenant.js';
import { serializeTenantFixtures } from '../../source/graph/serialize-tenant.js';
import type { FixtureFormat } from '../../source/graph/serialize-tenant.js';
import { loadGraphExport } from '../../source/load-graph-export.js';
import { anonymizeTenant } from '../../source/anonymize/anonymize-tenant.js';
import { MAX_FIXTURE_FILE_BYTES } from '../../source/load-tenant.js';
import type { Tenant } from '../../model/directory.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';

export interface FixturesImportGraphOptions {
  /** The Graph export directory. */
  exportDir: string;
  /** Where to write users, groups and assignments. */
  out: string;
  /** Write into a non-empty directory (replacing its fixture files). */
  force?: boolean;
  /** `yaml` (the default) or `json`. */
  format?: string;
  /** The result as JSON on stdout. */
  json?: boolean;
  /** A secret seed: the written tenant is `anonymizeTenant(tenant, {seed, keep})`. */
  anonymize?: string;
  /** With `anonymize`: attributes kept verbatim. */
  keep?: string[];
}

export async function fixturesImportGraphCommand(
  options: FixturesImportGraphOptions,
  deps: CliDeps,
): Promise<CommandResult & { tenant: Tenant | null; diagnostics: Diagnostic[] }> {
  const format = options.format ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format ${format} is not one of yaml, json`);
  const exportDir = shownPath(deps, options.exportDir);
  const outDir = resolve(deps.cwd, options.out);
  if (outDir === resolve(deps.cwd, options.exportDir))
    throw new UsageError(
      `--out ${options.out} is the export directory; write the fixture tenant to a directory of its own (a directory holding both is ambiguous)`,
    );
  const written = serializedNames(format);
  checkOut(outDir, options, written);

  const { tenant, diagnostics } = await loadGraphExport(exportDir, { maxFileBytes: MAX_FIXTURE_FILE_BYTES });
  // With --anonymize the output may go into a bug report: the diagnostics must not carry what anonymizing removes.
  const shown = options.anonymize === undefined ? diagnostics : diagnostics.map(withheld);
  for (const d of shown) deps.stderr.write(formatWithheld(d) + '\n');
  const detailsWithheld = shown.some((d) => !('message' in d));
  if (detailsWithheld)
    deps.stderr.write(
      'provsim: details are withheld because of --anonymize: the diagnostics above show their file, line:col, code and item only, since their messages quote the export (names, mails, values); run without --anonymize to see them\n',
    );
  const reported = detailsWithheld ? { detailsWithheld, diagnostics: shown } : { diagnostics };
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (tenant === null || hasErrors(diagnostics)) {
    deps.stderr.write(`provsim: cannot import ${exportDir} (${plural(errors, 'error')}); nothing was written\n`);
    if (options.json) deps.stdout.write(JSON.stringify({ export: exportDir, out: outDir, written: false, ...reported }) + '\n');
    return { exitCode: EXIT_CODES.usage, tenant: null, diagnostics };
  }

  let output: Tenant = tenant;
  if (options.anonymize !== undefined) {
    try {
      output = anonymizeTenant(tenant, { seed: options.anonymize, keep: options.keep ?? [] });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`--anonymize: ${e.message}`);
      throw e;
    }
  } else if ((options.keep ?? []).length > 0)
    throw new UsageError('--keep only applies with --anonymize SEED; add --anonymize, or drop --keep');

  const header = [
    `Imported by provsim fixtures import-graph from a Microsoft Graph export (${plural(warnings, 'warning')} when imported).`,
    'References (manager, members, principal) are object ids; roles are named by value; an assignment without a role is Default Access.',
    ...(options.anonymize === undefined
      ? []
      : [
          `Anonymized: names, mails, ids, phones and addresses are pseudonyms${(options.keep ?? []).length > 0 ? `; kept verbatim: ${options.keep!.join(', ')}` : ''}.`,
        ]),
  ];
  const files = serializeTenantFixtures(output, format, header);
  try {
    await mkdir(outDir, { recursive: true });
    for (const f of files) await writeFile(join(outDir, f.name), f.text, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot write the fixture tenant to ${options.out}: ${describeFsError(e)}; choose another --out`);
  }

  const counts = { users: output.users.length, groups: output.groups.length, assignments: output.assignments.length };
  if (options.json)
    deps.stdout.write(
      JSON.stringify({
        export: exportDir,
        out: outDir,
        written: true,
        format,
        files: files.map((f) => f.name),
        app: output.app.name,
        anonymized: options.anonymize !== undefined,
        ...counts,
        ...reported,
      }) + '\n',
    );
  else {
    const byCode = new Map<string, number>();
    for (const d of diagnostics) byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    const summary =
      warnings === 0
        ? 'nothing was left out'
        : `${plural(warnings, 'warning')} above (${[...byCode].map(([code, n]) => `${n} ${code}`).join(', ')}): what was left out or changed, with its file and index`;
    deps.stderr.write(
      `provsim: wrote ${plural(counts.users, 'user')}, ${plural(counts.groups, 'group')} and ${plural(counts.assignments, 'assignment')} of ${JSON.stringify(output.app.name)}${options.anonymize === undefined ? '' : ', anonymized,'} to ${options.out} (${files.map((f) => f.name).join(', ')}); ${summary}\n`,
    );
  }
  return { exitCode: EXIT_CODES.ok, tenant: output, diagnostics };
}

function serializedNames(format: FixtureFormat): string[] {
  return ['users', 'groups', 'assignments'].map((n) => `${n}.${format}`);
}

/**
 * `--out` must be empty (or absent) unless `--force`; with `--force` it must not keep files that would make the
 * written tenant ambiguous: the other format's fixture files, or files of a Graph export.
 */
function checkOut(outDir: string, options: FixturesImportGraphOptions, written: readonly string[]): void {
  if (!existsSync(outDir)) return;
  if (!statSync(outDir).isDirectory())
    throw new UsageError(`--out ${options.out} is a file; name a directory to write the fixture tenant into`);
  const names = readdirSync(outDir);
  if (names.length === 0) return;
  if (!options.force)
    throw new UsageError(`--out ${options.out} is not empty; choose an empty directory, or pass --force to overwrite its fixture files`);
  const stale = names.filter((n) => /^(users|groups|assignments)\.(yaml|yml|json)$/.test(n) && !written.includes(n)).sort();
  if (stale.length > 0)
    throw new UsageError(
      `--out ${options.out} has ${stale.join(', ')}, which would sit beside the written ${written.join(', ')} as a second spelling of the same files; remove ${stale.length === 1 ? 'it' : 'them'} or choose another directory`,
    );
  // The fixture loader reads users*.jsonl / groups*.jsonl (a JSON Lines tenant) before any users or groups file.
  const lines = jsonLinesFiles(names);
  const staleLines = [...lines.users, ...lines.groups];
  if (staleLines.length > 0)
    throw new UsageError(
      `--out ${options.out} has ${staleLines.join(', ')}, which the fixture loader would read as a JSON Lines tenant instead of the written ${written.join(', ')}; remove ${staleLines.length === 1 ? 'it' : 'them'} or choose another directory`,
    );
  if (mixedListingDiagnostic(outDir, [...names, ...written]) !== null)
    throw new UsageError(
      `--out ${options.out} holds files of a Graph export; write the fixture tenant to a directory of its own (a directory holding both is ambiguous)`,
    );
}

/** A diagnostic as `--anonymize` reports it, when its message could quote the export: where it is, not what it says. */
interface WithheldDiagnostic {
  severity: Diagnostic['severity'];
  code: string;
  file?: string;
  position?: Diagnostic['position'];
  /** The item (`value[3]`, `value[3].manager`), when the diagnostic is about one. */
  path?: string;
}

/**
 * The diagnostic with its severity, code, file, position and item path only; in full when its code never quotes
 * the export (`GRAPH_CODES_WITHOUT_DATA`: fixed text, counts and file names).
 */
function withheld(d: Diagnostic): Diagnostic | WithheldDiagnostic {
  if (GRAPH_CODES_WITHOUT_DATA.has(d.code)) return d;
  const path = itemPathOf(d);
  return {
    severity: d.severity,
    code: d.code,
    ...(d.file === undefined ? {} : { file: d.file }),
    ...(d.position === undefined ? {} : { position: d.position }),
    ...(path === undefined ? {} : { path }),
  };
}

/** `file:line:col: warning CODE: value[3]`, the shape of every other diagnostic line, with the item for the message. */
function formatWithheld(d: Diagnostic | WithheldDiagnostic): string {
  return 'message' in d ? formatDiagnostic(d) : formatDiagnostic({ ...d, message: d.path ?? '(details withheld)' });
}

/** A path as diagnostics should name it: as typed when the command runs in the process's directory (the CLI). */
function shownPath(deps: CliDeps, name: string): string {
  return isAbsolute(name) || resolve(deps.cwd) === resolve(process.cwd()) ? name : resolve(deps.cwd, name);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function describeFsError(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is a file';
  if (code === 'ENOSPC') return 'the disk is full';
  return e instanceof Error ? e.message : String(e);
}
