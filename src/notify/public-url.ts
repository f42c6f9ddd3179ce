/**
 * A URL as a notification may show it: no user or password, no fragment, and the value of every query
 * parameter that is not known to be public replaced by `REDACTED` (an Azure Functions `?code=` key, a token a
 * tenant URL carries). Entra's tenant-URL flags and SCIM's request parameters stay as they were. Pure; never
 * throws: text that is not a URL loses everything after `?` or `#` and anything before an `@` in its authority.
 */

/** Query parameters that carry no secret: Entra's tenant-URL flags and SCIM's request parameters. */
const PUBLIC_PARAMS = new Set([
  'aadOptscim062020',
  'AzureAdScimPatch2017',
  'filter',
  'attributes',
  'excludedAttributes',
  'startIndex',
  'count',
  'sortBy',
  'sortOrder',
]);

export const REDACTED = 'REDACTED';

export function publicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1').replace(/[?#].*$/s, '');
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  // Rebuilt by hand, not through URLSearchParams, so public parameters keep their exact spelling and encoding.
  const query = url.search.replace(/^\?/, '');
  url.search = '';
  if (!query) return url.toString();
  const kept = query.split('&').map((pair) => {
    const name = pair.split('=', 1)[0] ?? '';
    return PUBLIC_PARAMS.has(safeDecode(name)) ? pair : `${name}=${REDACTED}`;
  });
  return `${url.toString()}?${kept.join('&')}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
