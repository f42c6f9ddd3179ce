import { isMap } from 'yaml';
import { describe, expect, it } from 'vitest';
import { contentPosition, parseYamlFile, positionInScalar, rootNode, scalarText } from '../../src/shared/yaml-file.js';
import type { Scalar, YAMLMap } from 'yaml';

function valueOf(text: string, key: string, file = 'f.yaml') {
  const { yaml, ok } = parseYamlFile({ file, text }, 'X_SYNTAX');
  expect(ok).toBe(true);
  const root = rootNode(yaml);
  if (!isMap(root)) throw new Error('expected a map');
  const node = (root as YAMLMap<Scalar, Scalar>).items.find((p) => p.key.value === key)!.value!;
  return { yaml, node };
}

describe('shared/yaml-file', () => {
  it("converts scalars to Entra's string form", () => {
    const text = 'a: 02134\nb: 1.50\nc: 0x1F\nd: true\ne: False\nf: ~\ng: 1e3\n';
    const get = (k: string) => scalarText(valueOf(text, k).node);
    expect([get('a'), get('b'), get('c'), get('d'), get('e'), get('f'), get('g')]).toEqual([
      '02134',
      '1.50',
      '31',
      'True',
      'False',
      null,
      '1000',
    ]);
  });

  it('positions the content of each scalar style', () => {
    const text = 'p: plain\nd: "dq"\ns: \'sq\'\nb: |-\n    block\nt: !!str tagged\n';
    const pos = (k: string) => {
      const { yaml, node } = valueOf(text, k);
      return contentPosition(yaml, node as Scalar);
    };
    expect([pos('p'), pos('d'), pos('s'), pos('b'), pos('t')]).toEqual([
      { line: 1, column: 4 },
      { line: 2, column: 5 },
      { line: 3, column: 5 },
      { line: 5, column: 5 },
      { line: 6, column: 10 },
    ]);
  });

  it('positions a character inside a scalar, falling back to its start when escapes intervene', () => {
    const { yaml, node } = valueOf('a: "x[y"\nb: "\\u0041[y"\n', 'a');
    expect(positionInScalar(yaml, node as Scalar, 1)).toEqual({ line: 1, column: 6 });
    const b = valueOf('a: "x[y"\nb: "\\u0041[y"\n', 'b');
    expect(positionInScalar(b.yaml, b.node as Scalar, 1)).toEqual({ line: 2, column: 5 });
  });

  it('ignores a byte-order mark when computing columns', () => {
    const { yaml, node } = valueOf('\uFEFFa: x\n', 'a');
    expect(contentPosition(yaml, node as Scalar)).toEqual({ line: 1, column: 4 });
  });

  it('rejects unquoted strings in .json files', () => {
    const { ok, diagnostics } = parseYamlFile({ file: 'f.json', text: '{"a": b}' }, 'X_SYNTAX');
    expect(ok).toBe(false);
    expect(diagnostics.map((d) => [d.code, d.position])).toEqual([['X_SYNTAX', { line: 1, column: 7 }]]);
  });
});
