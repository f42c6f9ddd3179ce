import { describe, expect, it } from 'vitest';
import { GROUP_SOURCE_ATTRIBUTES, parseJob, USER_SOURCE_ATTRIBUTES } from '../../src/mapping-file/index.js';
import { compileJob, jobHash, positionInFile } from '../../src/mapping/compile.js';
import { mapObject } from '../../src/mapping/map-object.js';
import { ManualClock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';

const KNOWN = { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES };

function compile(yaml: string) {
  const { job, diagnostics } = parseJob({ file: 'm.yaml', text: yaml });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return compileJob(job!, KNOWN);
}

const BASE = (extraUserRow: string, scoping = '[]') => `settings: {scope: assigned}
users:
  scoping: ${scoping}
  attributes:
    - {target: userName, source: userPrincipalName, match: 1}
${extraUserRow}
groups:
  attributes:
    - {target: displayName, source: displayName, match: 1}
`;

describe('compileJob', () => {
  it('reports expression errors at the file line and the column inside the expression', () => {
    const row = `    - {target: displayName, expression: 'Join(" ", [givenName], [surName])'}`;
    const { compiled, diagnostics } = compile(BASE(row));
    expect(compiled).toBeNull();
    const d = diagnostics.find((x) => x.code === 'EXPR_UNKNOWN_ATTRIBUTE')!;
    // Line 6, at the column of "[surName]" in that line (1-based).
    expect(d.position).toEqual({ line: 6, column: row.indexOf('[surName]') + 1 });
    expect(d.hint).toContain('surname');
  });

  it('accepts directory extension attributes in expressions', () => {
    const { compiled, diagnostics } = compile(
      BASE(`    - {target: title, expression: 'ToUpper([extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_costCenter])'}`),
    );
    expect(diagnostics).toEqual([]);
    expect(compiled?.users.attributes).toHaveLength(2);
    // The row keeps its expression: it is evaluated, and a change of the extension is watched.
    const ext = 'extension_b7e3f2a1c4d54e6f8a1b2c3d4e5f6071_costCenter';
    expect(compiled!.users.attributes[1]!.expression).not.toBeNull();
    expect(compiled!.users.watched).toContain(ext);
    const mapped = mapObject(
      compiled!.users,
      { attributes: { userPrincipalName: 'ada@contoso.com', [ext]: 'cc-100' }, appRoleAssignments: [] },
      { clock: new ManualClock(), random: seededRandom(1) },
    );
    expect(mapped.values.map((v) => [v.attribute.mapping.target, v.value])).toContainEqual(['title', 'CC-100']);
  });

  it('reports a scoping regex that .NET semantics cannot run', () => {
    const { diagnostics } = compile(BASE('', `\n    - - {attribute: mail, operator: REGEX MATCH, value: '(?>a+)@x'}`));
    expect(diagnostics).toMatchObject([{ code: 'MAPPING_BAD_SCOPING_REGEX', file: 'm.yaml', position: { line: 4 } }]);
  });

  it('recognises manager and members as references and orders matching attributes', () => {
    const { compiled } = compile(`users:
  attributes:
    - {target: externalId, source: mailNickname, match: 2}
    - {target: userName, source: userPrincipalName, match: 1}
    - {target: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', source: manager}
groups:
  attributes:
    - {target: displayName, source: displayName, match: 1}
    - {target: members, source: members}
`);
    expect(compiled!.users.matching.map((a) => a.mapping.target)).toEqual(['userName', 'externalId']);
    expect(compiled!.users.attributes.map((a) => a.reference)).toEqual([null, null, 'manager']);
    expect(compiled!.groups.attributes.map((a) => a.reference)).toEqual([null, 'members']);
  });

  it('the job hash ignores layout but not meaning', () => {
    const a = parseJob({ file: 'a.yaml', text: BASE('') }).job!;
    const b = parseJob({ file: 'b.yaml', text: `# a comment\n${BASE('')}` }).job!;
    const c = parseJob({ file: 'c.yaml', text: BASE('').replace('scope: assigned', 'scope: all') }).job!;
    expect(jobHash(a)).toBe(jobHash(b));
    expect(jobHash(a)).not.toBe(jobHash(c));
  });

  it('positionInFile follows newlines inside block-scalar expressions', () => {
    expect(positionInFile('IIF(\n  [a] = "x",\n  "y", "z")', 8, { line: 10, column: 7 })).toEqual({ line: 11, column: 4 });
    expect(positionInFile('Join(",", [a])', 10, { line: 3, column: 5 })).toEqual({ line: 3, column: 15 });
  });
});
