/**
 * How provsim.yaml's values become flag values: a value fills in a flag the command line left out (commander
 * records it with the source 'config'); a flag given on the command line wins. `tokenFile` yields to
 * `PROVSIM_TOKEN` in the environment. Quirk settings add up: the file's first, the command line's after
 * (a later setting of the same quirk wins).
 */
import { relative, isAbsolute } from 'node:path';
import type { Command } from 'commander';
import type { ConfigValues } from './config-file.js';

export const CONFIG_KEYS: ReadonlySet<keyof ConfigValues> = new Set([
  'target',
  'tokenFile',
  'fixtures',
  'mapping',
  'dialect',
  'state',
  'quirk',
  'allowHttp',
  'timeout',
]);

export function applyConfig(command: Command, values: ConfigValues, env: Readonly<Record<string, string | undefined>>): void {
  for (const option of command.options) {
    const key = option.attributeName() as keyof ConfigValues;
    if (!CONFIG_KEYS.has(key) || values[key] === undefined) continue;
    if (key === 'tokenFile' && env['PROVSIM_TOKEN']) continue;
    const source = command.getOptionValueSource(key);
    if (key === 'quirk') {
      const fromCli = source === 'cli' ? ((command.getOptionValue(key) as string[] | undefined) ?? []) : [];
      command.setOptionValueWithSource(key, [...(values.quirk ?? []), ...fromCli], source === 'cli' ? 'cli' : 'config');
      continue;
    }
    if (source === undefined || source === 'default') command.setOptionValueWithSource(key, values[key], 'config');
  }
}

/** A path as a person would type it from `cwd`: relative when below it, else absolute. */
export function shownPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
