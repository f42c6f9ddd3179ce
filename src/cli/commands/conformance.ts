/**
 * `provsim conformance`: the conformance suite against a SCIM endpoint — the lifecycle through the real
 * engine, the quirk matrix and the protocol checks (src/conformance) — with a line per check, and the
 * report as JUnit XML, JSON and/or a self-contained HTML page.
 *
 * Exit codes: 0 every mandatory check passed · 1 a mandatory check failed (a consequence of another
 * failure counts too), or the connection check failed and nothing else ran (bad credentials, no answer, a
 * base URL under which everything is 404) · 2 bad usage (nothing sent) · 130 interrupted (cleanup still ran).
 * The token comes from PROVSIM_TOKEN or --token-file, as for sync, and is redacted from every output.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { renderHtmlReport } from '../../conformance/report-html.js';
import { renderJsonReport } from '../../conformance/report-json.js';
import { renderJunitReport } from '../../conformance/report-junit.js';
import { checkLine, renderTextSummary } from '../../conformance/report-text.js';
import { runConformance } from '../../conformance/run.js';
import type { ConformanceReport } from '../../conformance/types.js';
import { UsageError } from '../../shared/errors.js';
import { conformanceExitCode } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { chooseDialect } from '../session.js';
import { parseTenantUrl } from '../../scim/tenant-url.js';
import { requestEcho } from '../request-echo.js';
import { redact, resolveToken } from '../token.js';

export interface ConformanceCommandOptions {
  target: string;
  tokenFile?: string;
  /** legacy | aadOptscim062020; default from the URL (`?aadOptscim062020`), else legacy. */
  dialect?: string;
  /** Report files. */
  junit?: string;
  jsonFile?: string;
  html?: string;
  /** Print the JSON report to stdout (check lines go to stderr). */
  json?: boolean;
  /** Print nothing unless the run fails; then the failed checks and the summary. */
  quiet?: boolean;
  /** Print each request on stderr. */
  verbose?: boolean;
  /** Write every exchange to this file as JSON lines (token redacted). */
  record?: string;
  /** Check ids or dotted prefixes (`lifecycle`, `quirk.member-remove`); repeatable, comma-separated too. */
  only?: string[];
  allowHttp?: boolean;
  timeoutMs?: number;
}

export async function conformanceCommand(
  options: ConformanceCommandOptions,
  deps: CliDeps,
): Promise<CommandResult & { report: ConformanceReport }> {
  const url = parseTenantUrl(options.target, options.allowHttp ?? false, '--target');
  const dialect = chooseDialect(options.dialect, options.target);
  const token = resolveToken(deps.env, options.tokenFile === undefined ? undefined : resolve(deps.cwd, options.tokenFile));
  const outputs = (
    [
      ['--junit', options.junit, renderJunitReport],
      ['--json-file', options.jsonFile, renderJsonReport],
      ['--html', options.html, renderHtmlReport],
    ] as const
  )
    .filter(([, file]) => file !== undefined)
    .map(([flag, file, render]) => ({ flag, file: prepareOutput(flag, resolve(deps.cwd, file!)), render }));
  // With --json, stdout carries the report alone; the progress lines go to stderr.
  const out = (text: string): void => void (options.json ? deps.stderr : deps.stdout).write(redact(text, token) + '\n');
  const onRequest = requestEcho(options, { cwd: deps.cwd, token, stderr: deps.stderr });

  if (!options.quiet) out(`provsim conformance: ${url.base} (dialect ${dialect})`);
  const report = await runConformance(
    {
      target: url.base,
      dialect,
      allowHttp: options.allowHttp ?? false,
      token,
      ...(options.only && options.only.length > 0 ? { only: options.only } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    },
    {
      clock: deps.clock,
      random: deps.random,
      ...(deps.http ? { http: deps.http } : {}),
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(onRequest ? { onRequest } : {}),
      onCheck: (check) => (options.quiet ? undefined : out(checkLine(check))),
    },
  );

  for (const { file, render } of outputs) writeFileSync(file, redact(render(report), token));
  const exitCode = conformanceExitCode(report);
  if (options.json) deps.stdout.write(redact(renderJsonReport(report), token) + '\n');
  if (options.quiet && exitCode !== 0) for (const check of report.checks) if (check.status === 'failed') out(checkLine(check));
  if (!options.quiet || exitCode !== 0)
    out(
      renderTextSummary(
        report,
        outputs.map((o) => o.file),
      ),
    );
  return { exitCode, report };
}

/** Fails before anything is sent when a report cannot be written there; creates missing directories. */
function prepareOutput(flag: string, file: string): string {
  try {
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory())
      throw new UsageError(`${flag} ${file} is a directory; give the path of the report file to write`);
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${flag} ${file} cannot be written: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return file;
}
