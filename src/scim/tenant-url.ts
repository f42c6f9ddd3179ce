/**
 * The tenant URL, as Entra takes it: a SCIM base URL whose query string may carry behaviour flags
 * (`?aadOptscim062020`). Entra only talks HTTPS; plain http is allowed for loopback targets, or with
 * `allowHttp` (`--allow-http`). Messages name the value as the caller calls it (`label`).
 */
import { UsageError } from '../shared/errors.js';

export interface TenantUrl {
  /** The base for requests: no query, no trailing slash. */
  base: string;
  /** The query string (flags), without `?`. */
  flags: string;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function parseTenantUrl(raw: string, allowHttp: boolean, label = 'the target URL'): TenantUrl {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${label} ${JSON.stringify(raw)} is not a URL; give the SCIM base URL, e.g. https://app.example.com/scim/v2`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`${label} must be an http(s) URL, got ${url.protocol}`);
  if (url.username || url.password)
    throw new UsageError(
      `${label} must not carry credentials; pass the token on its own (PROVSIM_TOKEN or --token-file on the command line)`,
    );
  const loopback = LOOPBACK.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'http:' && !loopback && !allowHttp) {
    throw new UsageError(
      `${label} ${url.origin} uses plain http; Entra only talks HTTPS. Use https, a loopback address, or allow plain http (--allow-http)`,
    );
  }
  const flags = url.search.replace(/^\?/, '');
  url.search = '';
  url.hash = '';
  return { base: url.toString().replace(/\/+$/, ''), flags };
}
