/**
 * The bearer token: from `PROVSIM_TOKEN` or a file (`--token-file`), never from the command line, where
 * it would land in shell history and process listings. The value is never printed or stored.
 *
 * Nothing alters the token silently: a file's final line break is dropped (editors add one), and anything
 * else that is not visible ASCII — a line break inside the token or at the end of PROVSIM_TOKEN, a space,
 * a tab — is refused with where it is, so the header sent is exactly the token the user meant.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../shared/errors.js';
import { redactSecret } from '../shared/redact-secret.js';

export function resolveToken(env: Readonly<Record<string, string | undefined>>, tokenFile: string | undefined): string | null {
  if (tokenFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(tokenFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EISDIR'
            ? 'it is a directory'
            : code === 'EACCES'
              ? 'permission denied'
              : (code ?? (error as Error).message);
      throw new UsageError(
        `cannot read --token-file ${tokenFile}: ${why}; give the file that holds the bearer token, or set PROVSIM_TOKEN`,
      );
    }
    // The file's final line break(s), LF or CRLF; nothing else.
    const token = text.replace(/(?:\r?\n)+$/, '');
    if (token === '') throw new UsageError(`--token-file ${tokenFile} is empty; put the bearer token on its first line`);
    return checkToken(token, `--token-file ${tokenFile}`);
  }
  const fromEnv = env['PROVSIM_TOKEN'];
  // Set but empty reads as unset, as shells treat `PROVSIM_TOKEN=` in a script.
  return fromEnv === undefined || fromEnv === '' ? null : checkToken(fromEnv, 'PROVSIM_TOKEN');
}

/**
 * A bearer token is visible ASCII (RFC 6750's b64token is a subset): anything else cannot go into an HTTP
 * header, and the HTTP client's own error would blame the URL. `source` names where it came from
 * (`PROVSIM_TOKEN`, `--token-file FILE`, `--token`). The message never quotes the token.
 */
export function checkToken(token: string, source: string): string {
  if (token === '') throw new UsageError(`${source} is empty; give the bearer token, or leave it out for no token`);
  if (token === '…' || token === '...') {
    throw new UsageError(`${source} holds the README's placeholder, not a token; set it to the bearer token your SCIM server expects`);
  }
  const characters = [...token];
  const bad = characters.findIndex((c) => c < '!' || c > '~');
  if (bad < 0) return token;
  const c = characters[bad]!;
  const position = `at character ${bad + 1} of ${characters.length}`;
  if (c === '\r' || c === '\n') {
    const where = bad === characters.length - 1 || /^[\r\n]+$/.test(characters.slice(bad).join('')) ? 'ends with' : 'holds';
    const fix = source.startsWith('--token-file')
      ? 'put the token alone on the first line of the file'
      : 'set it without the line break, e.g. export PROVSIM_TOKEN="$(cat token.txt)" (the shell drops the final newline)';
    throw new UsageError(`${source} ${where} a line break ${position}; a bearer token is one line of visible ASCII: ${fix}`);
  }
  const what =
    c === ' ' ? 'a space' : c === '\t' ? 'a tab' : /\s/.test(c) ? 'a white-space character' : 'a character that is not visible ASCII';
  throw new UsageError(
    `${source} holds ${what} ${position}; a bearer token is visible ASCII only. Set it to the token itself, e.g. export PROVSIM_TOKEN="$(cat token.txt)"`,
  );
}

/**
 * Replaces every form of the token in `text` (as given, JSON-escaped, URL-encoded, base64: see
 * shared/redact-secret.ts), for anything echoed from a server.
 */
export function redact(text: string, token: string | null): string {
  return redactSecret(text, token);
}
