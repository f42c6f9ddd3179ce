/** provsim.yaml, read on its own: values, paths against the file's folder, and problems with file:line:col. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfigFile, parseConfig } from '../../src/cli/config-file.js';

const BASE = join(tmpdir(), 'provsim-config-base');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('parseConfig', () => {
  it('reads every key, resolving paths against the file’s folder', () => {
    const { values, diagnostics } = parseConfig(
      [
        'target: http://127.0.0.1:3000/scim/v2',
        'tokenFile: secrets/token',
        'fixtures: provsim/fixtures',
        'mapping: provsim/mapping.yaml',
        'dialect: aadOptscim062020',
        'state: .provsim/state.db',
        'allowHttp: true',
        'timeout: 5000',
        'quirks:',
        '  managerBareId: off',
        '  charsetInContentType: on',
      ].join('\n'),
      'provsim.yaml',
      BASE,
    );
    expect(diagnostics).toEqual([]);
    expect(values).toEqual({
      target: 'http://127.0.0.1:3000/scim/v2',
      tokenFile: join(BASE, 'secrets/token'),
      fixtures: join(BASE, 'provsim/fixtures'),
      mapping: join(BASE, 'provsim/mapping.yaml'),
      dialect: 'aadOptscim062020',
      state: join(BASE, '.provsim/state.db'),
      allowHttp: true,
      timeout: 5000,
      quirk: ['managerBareId=off', 'charsetInContentType=on'],
    });
  });

  it.each([
    [
      'an unknown key, with a did-you-mean',
      'target: http://127.0.0.1/scim\nmaping: m.yaml\n',
      'CONFIG_UNKNOWN_KEY',
      2,
      1,
      /did you mean `mapping`/,
    ],
    ['the token itself', 'target: http://127.0.0.1/scim\ntoken: abc\n', 'CONFIG_TOKEN', 2, 1, /tokenFile/],
    ['an unknown dialect', 'dialect: v3\n', 'CONFIG_BAD_VALUE', 1, 10, /legacy/],
    ['a number where a path goes', 'fixtures: 12\n', 'CONFIG_WRONG_TYPE', 1, 11, /string/],
    ['quirks as a list', 'quirks:\n  - managerBareId=off\n', 'CONFIG_WRONG_TYPE', 2, 3, /managerBareId: off/],
    ['a quirk set to neither on nor off', 'quirks:\n  managerBareId: maybe\n', 'CONFIG_WRONG_TYPE', 2, 18, /on or off/],
    ['broken YAML (an unclosed list: the parser points at the end)', 'target: [http://x\n', 'CONFIG_SYNTAX', 2, null, /invalid YAML/],
  ])('reports %s at its line and column', (_what, text, code, line, column, text2) => {
    const { diagnostics } = parseConfig(text, 'provsim.yaml', BASE);
    const d = diagnostics.find((x) => x.code === code);
    expect(d, JSON.stringify(diagnostics)).toBeDefined();
    expect(d!.file).toBe('provsim.yaml');
    expect(d!.position?.line).toBe(line);
    if (column !== null) expect(d!.position?.column).toBe(column);
    expect(`${d!.message} ${d!.hint ?? ''}`).toMatch(text2);
  });

  it('an empty file sets nothing', () => {
    expect(parseConfig('# nothing yet\n', 'provsim.yaml', BASE)).toEqual({ values: {}, diagnostics: [] });
  });
});

describe('findConfigFile', () => {
  it('finds the nearest provsim.yaml upwards, and stops at the repository root', () => {
    const root = mkdtempSync(join(tmpdir(), 'provsim-config-find-'));
    dirs.push(root);
    const repo = join(root, 'repo');
    const deep = join(repo, 'a', 'b');
    mkdirSync(deep, { recursive: true });
    mkdirSync(join(repo, '.git'));
    // Above the repository root: never read from inside the repository.
    writeFileSync(join(root, 'provsim.yaml'), 'target: http://127.0.0.1:1/scim\n');
    expect(findConfigFile(deep)).toBeNull();
    writeFileSync(join(repo, 'provsim.yaml'), 'target: http://127.0.0.1:2/scim\n');
    expect(findConfigFile(deep)).toBe(join(repo, 'provsim.yaml'));
    writeFileSync(join(repo, 'a', 'provsim.yaml'), 'target: http://127.0.0.1:3/scim\n');
    expect(findConfigFile(deep)).toBe(join(repo, 'a', 'provsim.yaml'));
  });

  it('--config must name an existing file', () => {
    const root = mkdtempSync(join(tmpdir(), 'provsim-config-explicit-'));
    dirs.push(root);
    expect(() => findConfigFile(root, 'nope.yaml')).toThrow(/--config nope.yaml: no such file; `provsim init` writes a provsim.yaml/);
    expect(() => findConfigFile(root, '.')).toThrow(/is a directory/);
  });
});
