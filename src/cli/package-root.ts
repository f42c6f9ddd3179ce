import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding package.json, fixtures/ and mappings/ (this file sits in src/cli or dist/cli). */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}
