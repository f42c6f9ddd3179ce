/**
 * Why a whole job failed, in words a person at the keyboard can act on: what went wrong (could not
 * connect, credentials refused, a base URL that answers 404…) and what to try. Built from the failed
 * request's method, URL, status and network code; never from headers, so the token cannot appear.
 */
import type { FailedRequest, JobFailureInfo } from '../../engine/settle.js';

export interface FailureExplanation {
  /** What failed, in one line. */
  what: string;
  /** What to try. */
  hint: string;
}

/** `tokenSent`: whether an Authorization header was sent (PROVSIM_TOKEN or --token-file was set). */
export function explainJobFailure(failure: JobFailureInfo, context: { tokenSent: boolean }): FailureExplanation {
  if (failure.request) return explainRequest(failure.request, context);
  if (failure.reason === 'TooManyDeletes') {
    return {
      what: 'the disables and deletes of this cycle reached the accidental-deletion threshold; none was sent',
      hint: 'check the StagedDelete entries (provsim logs --action StagedDelete); if they are meant, rerun with --allow-deletes',
    };
  }
  if (/Escrow\w*Threshold$/.test(failure.reason)) {
    return {
      what: `too many objects are failing (${failure.message})`,
      hint: 'fix the most common failure first (provsim logs --status Failure), then provsim restart --scope escrows',
    };
  }
  return { what: failure.message, hint: 'see provsim status and provsim logs --status Failure' };
}

/** A failed request explained: connection problems by their network code, refusals by their status. */
export function explainRequest(r: FailedRequest, context: { tokenSent: boolean }): FailureExplanation {
  const url = safeUrl(r.url);
  const where = url ? `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}` : r.url;
  const said = r.detail ? `: ${JSON.stringify(r.detail.length > 200 ? `${r.detail.slice(0, 200)}…` : r.detail)}` : '';
  if (r.status === null) {
    const code = r.network ?? 'no response';
    if (code === 'ECONNREFUSED')
      return {
        what: `could not connect to ${where}: connection refused`,
        hint: `is the SCIM server running and listening there? Check --target (${base(r.url)})`,
      };
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
      return { what: `could not resolve the host ${url?.hostname ?? where} (${code})`, hint: 'check the host name in --target' };
    if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'UND_ERR_CONNECT_TIMEOUT')
      return {
        what: `no answer from ${where} within the timeout (${code})`,
        hint: 'is the server up and reachable from here? A slow server needs a longer --timeout',
      };
    if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET')
      return {
        what: `${where} closed the connection before it answered (${code})`,
        hint: "check the server's log for a crash, and that --target is its HTTP(S) port",
      };
    if (/CERT|SELF_SIGNED|TLS|SSL|UNABLE_TO_VERIFY/.test(code))
      return {
        what: `the TLS certificate of ${where} could not be verified (${code})`,
        hint: 'provsim verifies TLS as Entra does: the server needs a certificate a public CA signed. For a test server whose CA is your own, start provsim with NODE_EXTRA_CA_CERTS=ca.pem (the CA certificate, PEM); or use plain http on loopback',
      };
    return { what: `no response from ${where} (${code})`, hint: `check --target (${base(r.url)}) and that the server is up` };
  }
  if (r.status === 401 || r.status === 403) {
    return {
      what: `the target refused the credentials: ${r.method} ${r.url} → ${r.status}${said}`,
      hint: context.tokenSent
        ? 'check that PROVSIM_TOKEN (or the --token-file) holds the bearer token this server expects'
        : 'no token was sent: set PROVSIM_TOKEN, or pass --token-file FILE',
    };
  }
  if (r.status === 404) {
    return {
      what: `the target answered 404 to ${r.method} ${r.url}${said}`,
      hint: '--target must be the SCIM base URL, the one /Users is served under (often ending in /scim/v2); and a filter that matches nothing must answer 200 with an empty ListResponse, not 404',
    };
  }
  return {
    what: `${r.method} ${r.url} → ${r.status}${said}`,
    hint: 'the connection probe must answer 200 with an empty ListResponse (provsim test-connection shows each request)',
  };
}

/** The lines a command prints for a job failure, indented under its summary line. */
export function renderJobFailure(failure: JobFailureInfo, context: { tokenSent: boolean }, indent = '  '): string {
  const e = explainJobFailure(failure, context);
  return `${indent}✗ ${e.what}\n${indent}  try: ${e.hint}`;
}

function safeUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function base(text: string): string {
  const url = safeUrl(text);
  if (!url) return text;
  url.search = '';
  return url.toString().replace(/\/Users$|\/Groups$/, '');
}
