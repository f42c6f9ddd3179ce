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
    return token;
  }
  const fromEnv = env['PROVSIM_TOKEN']?.trim();
  return fromEnv ? fromEnv : null;
}

/** Replaces every occurrence of the token in `text` (defence in depth for anything echoed from a server). */
export function redact(text: string, token: string | null): string {
  return token ? text.split(token).join('[REDACTED]') : text;
}
