/**
 * `provsim.yaml`: the long flags, written once. Every command reads it (the nearest one from the working
 * directory up to the repository root, or `--config FILE`), and a flag given on the command line wins over
 * it. Paths in it are relative to the file's own folder, so it works from any subfolder.
 *
 * The token is never in this file: `tokenFile` names a file that holds it (kept out of version control), and
 * `PROVSIM_TOKEN` in the environment wins over `tokenFile`, as it would over a default.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isScalar, isSeq } from 'yaml';
import { error, type Diagnostic } from '../shared/diagnostics.js';
import { InputError, UsageError } from '../shared/errors.js';
import { parseYamlFile, rootNode, YamlReader } from '../shared/yaml-file.js';
import { DIALECTS } from '../scim/dialect.js';

export const CONFIG_FILE_NAME = 'provsim.yaml';

/** What `provsim.yaml` may set; each key is the name of the flag it stands for (`tokenFile` is `--token-file`). */
export interface ConfigValues {
  target?: string;
  tokenFile?: string;
  fixtures?: string;
  mapping?: string;
  dialect?: string;
  state?: string;
  /** `--quirk` settings, `name=on|off`. */
  quirk?: string[];
  allowHttp?: boolean;
  /** `--timeout`, in ms. */
  timeout?: number;
}

export interface LoadedConfig {
  /** The file as the user would name it (relative to the working directory when below it). */
  file: string;
  values: ConfigValues;
}

const PATH_KEYS = ['tokenFile', 'fixtures', 'mapping', 'state'] as const;
const STRING_KEYS = ['target', ...PATH_KEYS] as const;
const KNOWN_KEYS = [...STRING_KEYS, 'dialect', 'quirks', 'allowHttp', 'timeout'] as const;
const CODES = { wrongType: 'CONFIG_WRONG_TYPE', unknownKey: 'CONFIG_UNKNOWN_KEY', missingKey: 'CONFIG_MISSING_KEY' };

/**
 * The config file to read: `explicit` (from `--config`; it must exist), else the nearest `provsim.yaml` from
 * `cwd` upwards, stopping after a folder that holds `.git` (the repository's root) or at the file system's root.
 */
export function findConfigFile(cwd: string, explicit?: string): string | null {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`--config ${explicit}: no such file; \`provsim init\` writes a provsim.yaml`);
    if (statSync(file).isDirectory()) throw new UsageError(`--config ${explicit} is a directory; give the path of a provsim.yaml file`);
    return file;
  }
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE_NAME);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(dir);
    if (parent === dir || existsSync(join(dir, '.git'))) return null;
    dir = parent;
  }
}

/** Reads and checks a config file; problems are diagnostics with file, line and column (InputError, exit 2). */
export function readConfigFile(path: string, shownAs: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${shownAs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const { values, diagnostics } = parseConfig(text, shownAs, dirname(path));
  if (diagnostics.some((d) => d.severity === 'error')) throw new InputError(diagnostics, `${shownAs} has errors`);
  return { file: shownAs, values };
}

/** Pure: the config text → its values (paths resolved against `baseDir`) and diagnostics. */
export function parseConfig(text: string, file: string, baseDir: string): { values: ConfigValues; diagnostics: Diagnostic[] } {
  const parsed = parseYamlFile({ file, text }, 'CONFIG_SYNTAX');
  if (!parsed.ok) return { values: {}, diagnostics: parsed.diagnostics };
  const reader = new YamlReader(parsed.yaml, CODES, [...parsed.diagnostics]);
  const root = rootNode(parsed.yaml);
  const values: ConfigValues = {};
  if (root === null) return { values, diagnostics: reader.diagnostics };
  const map = reader.map(root, file, 'provsim.yaml is a map of settings, e.g. `target: http://127.0.0.1:8080/scim/v2`');
  if (!map) return { values, diagnostics: reader.diagnostics };
  const entries = reader.entries(map, file, KNOWN_KEYS, (key, node) => {
    if (key !== 'token') return false;
    reader.error(
      'CONFIG_TOKEN',
      'provsim.yaml must not hold the token itself',
      node,
      'put the token in a file kept out of version control and name it with `tokenFile:`, or set PROVSIM_TOKEN',
    );
    return true;
  });
  for (const key of STRING_KEYS) {
    const node = entries.get(key)?.value;
    if (!node) continue;
    const s = reader.string(node, `\`${key}\``);
    if (s === null) continue;
    values[key] = (PATH_KEYS as readonly string[]).includes(key) ? resolve(baseDir, s) : s;
  }
  const dialect = entries.get('dialect')?.value;
  if (dialect) {
    const d = reader.oneOf(dialect, '`dialect`', DIALECTS, 'CONFIG_BAD_VALUE');
    if (d !== null) values.dialect = d;
  }
  const allowHttp = entries.get('allowHttp')?.value;
  if (allowHttp) {
    const b = reader.boolean(allowHttp, '`allowHttp`');
    if (b !== null) values.allowHttp = b;
  }
  const timeout = entries.get('timeout')?.value;
  if (timeout) {
    const n = reader.integer(timeout, '`timeout` (ms)', 1, 'CONFIG_BAD_VALUE');
    if (n !== null) values.timeout = n;
  }
  const quirks = entries.get('quirks')?.value;
  if (quirks) values.quirk = readQuirks(reader, quirks);
  return { values, diagnostics: reader.diagnostics };
}

/** `quirks: {managerBareId: off}` (a map, as YAML reads it) → `['managerBareId=off']`; names are checked where flags are. */
function readQuirks(reader: YamlReader, node: NonNullable<ReturnType<typeof rootNode>>): string[] {
  if (isSeq(node)) {
    reader.error(
      CODES.wrongType,
      '`quirks` must be a map of quirk names to on or off',
      node,
      'e.g.\n    quirks:\n      managerBareId: off',
    );
    return [];
  }
  const map = reader.map(node, '`quirks`', 'e.g. `quirks: {managerBareId: off}`');
  if (!map) return [];
  const out: string[] = [];
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : null;
    const value = isScalar(pair.value) ? pair.value.value : undefined;
    const setting = value === true || value === 'on' ? 'on' : value === false || value === 'off' ? 'off' : null;
    if (key === null || setting === null) {
      reader.diagnostics.push(
        error(CODES.wrongType, `quirks.${key ?? '?'} must be on or off`, {
          file: reader.file,
          position: reader.position((pair.value ?? pair.key ?? map) as Parameters<YamlReader['position']>[0]),
        }),
      );
      continue;
    }
    out.push(`${key}=${setting}`);
  }
  return out;
}
