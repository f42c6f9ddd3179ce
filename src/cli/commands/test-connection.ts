/**
 * `provsim test-connection`: the portal's "Test Connection" (spec §1.2): a filter GET for a random GUID on
 * the matching attribute, for users and for groups, expecting 200 and an empty ListResponse. Reports what
 * the portal would report, and why.
 */
import { DEFAULTS } from '../../engine/defaults.js';
import { ScimClient } from '../../scim/client.js';
import { createHttpClient } from '../../scim/http.js';
import { ScimRequestError } from '../../shared/errors.js';
import { passFailExitCode } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';
import { parseTenantUrl } from '../../scim/tenant-url.js';
import { failedRequest } from '../../engine/retry.js';
import { explainRequest } from '../render/job-failure.js';
import { requestEcho } from '../request-echo.js';
import { redact, resolveToken } from '../token.js';

export interface TestConnectionOptions {
  target: string;
  tokenFile?: string;
  /** The user matching attribute the probe filters on. @default 'userName' */
  attribute?: string;
  allowHttp?: boolean;
  json?: boolean;
  timeoutMs?: number;
  /** Write every exchange to this file as JSON lines (token redacted). */
  record?: string;
  /** Print each request on stderr. */
  verbose?: boolean;
  /** Print nothing unless the test fails. */
  quiet?: boolean;
}

export interface ProbeResult {
  request: string;
  ok: boolean;
  status: number | null;
  /** What the portal would say, and what to fix. */
  verdict: string;
  errorCode?: string;
}

export async function testConnectionCommand(
  options: TestConnectionOptions,
  deps: CliDeps,
): Promise<CommandResult & { results: ProbeResult[] }> {
  const url = parseTenantUrl(options.target, options.allowHttp ?? false, '--target');
  const token = resolveToken(deps.env, options.tokenFile);
  const onRequest = requestEcho(options, { cwd: deps.cwd, token, stderr: deps.stderr });
  const client = new ScimClient({
    baseUrl: url.base,
    http: deps.http ?? createHttpClient({ timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs }),
    token,
    clock: deps.clock,
    ...(onRequest ? { onRequest } : {}),
  });
  const results: ProbeResult[] = [];
  const probes: Array<['Users' | 'Groups', string]> = [
    ['Users', options.attribute ?? 'userName'],
    ['Groups', 'displayName'],
  ];
  for (const [resource, attribute] of probes) {
    const value = deps.random.uuid();
    const request = `GET /${resource}?${resource === 'Groups' ? 'excludedAttributes=members&' : ''}filter=${attribute} eq "${value}"`;
    try {
      const found = await client.filter(resource, attribute, value);
      results.push(
        found.length === 0
          ? {
              request,
              ok: true,
              status: 200,
              verdict: 'the supplied credentials are authorized, and a filter that matches nothing returns an empty list',
            }
          : {
              request,
              ok: false,
              status: 200,
              verdict: `a filter for a random GUID returned ${found.length} resource(s): the filter is ignored, so matching would link the wrong objects`,
              errorCode: 'SystemForCrossDomainIdentityManagementServiceIncompatible',
            },
      );
    } catch (error) {
      if (!(error instanceof ScimRequestError)) throw error;
      results.push({ request, ok: false, status: error.status, verdict: verdictFor(error, token !== null), errorCode: error.entraCode });
    }
    if (
      !results[results.length - 1]!.ok &&
      results.length === 1 &&
      (results[0]!.status === 401 || results[0]!.status === 403 || results[0]!.status === null)
    )
      break;
  }
  const ok = results.every((r) => r.ok);
  if (options.json) deps.stdout.write(redact(JSON.stringify({ target: url.base, ok, results }, null, 2), token) + '\n');
  else if (!options.quiet || !ok) {
    for (const r of results)
      deps.stdout.write(
        redact(
          `${r.ok ? '✓' : '✗'} ${r.request} → ${r.status ?? 'no response'}: ${r.verdict}${r.errorCode && !r.ok ? ` (${r.errorCode})` : ''}`,
          token,
        ) + '\n',
      );
    deps.stdout.write(
      ok
        ? 'Test connection succeeded: Entra would let you enable provisioning.\n'
        : 'Test connection failed: Entra would not let you save this configuration (and would quarantine a running job).\n',
    );
  }
  return { exitCode: passFailExitCode(ok), results };
}

/** What failed and what to try (render/job-failure.ts), with what Entra makes of it. */
function verdictFor(e: ScimRequestError, tokenSent: boolean): string {
  const { what, hint } = explainRequest(failedRequest(e), { tokenSent });
  const entra =
    e.status === 401 || e.status === 403
      ? '; Entra reports invalid credentials and quarantines the job (EncounteredQuarantineException)'
      : e.status === 404 && e.entraCode === 'SystemForCrossDomainIdentityManagementServiceIncompatible'
        ? '; a filter that matches nothing must return 200 with an empty ListResponse (a SCIM compliance issue Entra quarantines for)'
        : '';
  return `${what}${entra}. Try: ${hint}`;
}
