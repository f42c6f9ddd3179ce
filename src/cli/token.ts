/**
 * The bearer token: from `PROVSIM_TOKEN` or a file (`--token-file`), never from the command line, where
 * it would land in shell history and process listings. The value is never printed or stored.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../shared/errors.js';

export function resolveToken(env: Readonly<Record<string, string | undefined>>, tokenFile: string | undefined): string | null {
  if (tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(tokenFile, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --token-file ${tokenFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const token = text.trim();
    if (token === '') throw new UsageError(`--token-file ${tokenFile} is empty`);
    return checked(token, `--token-file ${tokenFile}`);
  }
  const fromEnv = env['PROVSIM_TOKEN']?.trim();
  return fromEnv ? checked(fromEnv, 'PROVSIM_TOKEN') : null;
}

/**
 * A bearer token is visible ASCII (RFC 6750's b64token is a subset): anything else cannot go into an HTTP
 * header, and the HTTP client's own error would blame the URL. The message never quotes the token.
 */
function checked(token: string, source: string): string {
  if (token === '…' || token === '...') {
    throw new UsageError(`${source} holds the README's placeholder, not a token; set it to the bearer token your SCIM server expects`);
  }
  const bad = [...token].findIndex((c) => c < '!' || c > '~');
  if (bad >= 0) {
    const what = /\s/.test([...token][bad]!) ? 'a space' : 'a character that is not visible ASCII';
    throw new UsageError(
      `${source} holds ${what} at character ${bad + 1}; a bearer token is visible ASCII only. Set it to the token itself, e.g. export PROVSIM_TOKEN="$(cat token.txt)"`,
    );
  }
  return token;
}

/** Replaces every occurrence of the token in `text` (defence in depth for anything echoed from a server). */
export function redact(text: string, token: string | null): string {
  return token ? text.split(token).join('[REDACTED]') : text;
}
