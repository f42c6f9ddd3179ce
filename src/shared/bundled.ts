/**
 * What the package ships besides its code: the fixture tenants under `fixtures/` and the mappings under
 * `mappings/`, found from the installed package, wherever it is installed.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './errors.js';

/** The directory holding package.json, fixtures/ and mappings/ (this file sits in src/shared or dist/shared). */
export function packageRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Paths of the bundled fixture tenants (`contoso`, `contoso-day2`) and mappings (`customappsso`, `zapier`). */
export const bundled = {
  fixtures: (name: string): string => shipped('fixtures', name, ''),
  mapping: (name: string): string => shipped('mappings', name, '.yaml'),
};

function shipped(folder: string, name: string, extension: string): string {
  const path = resolve(packageRoot(), folder, `${name}${extension}`);
  if (existsSync(path)) return path;
  const known = readdirSync(resolve(packageRoot(), folder)).map((f) => f.replace(/\.yaml$/, ''));
  throw new UsageError(
    `provsim ships no ${folder === 'fixtures' ? 'fixture tenant' : 'mapping'} named ${JSON.stringify(name)}; it ships ${known.join(', ')}`,
  );
}
