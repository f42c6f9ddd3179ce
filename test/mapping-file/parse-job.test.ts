import { describe, expect, it } from 'vitest';
import { jobHash } from '../../src/mapping/compile.js';
import { parseJob } from '../../src/mapping-file/parse-job.js';
import type { Diagnostic } from '../../src/shared/diagnostics.js';

const lines = (...l: string[]): string => l.join('\n') + '\n';
const jobOf = (text: string, file = 'm.yaml') => parseJob({ file, text });

/** `file:line:col` of each diagnostic with this code. */
function where(diagnostics: readonly Diagnostic[], code: string): string[] {
  return diagnostics.filter((d) => d.code === code).map((d) => `${d.file}:${d.position?.line}:${d.position?.column}`);
}

/** `m.yaml:line:col` of the `nth` occurrence of `needle` on 1-based `line` of `text`. */
function at(text: string, line: number, needle: string, nth = 1): string {
  const l = text.split('\n')[line - 1] ?? '';
  let col = -1;
  for (let i = 0; i < nth; i++) col = l.indexOf(needle, col + 1);
  if (col === -1) throw new Error(`${needle} not on line ${line}`);
  return `m.yaml:${line}:${col + 1}`;
}

const USER_MATCH = '    - {target: userName, source: userPrincipalName, match: 1}';

describe('parseJob: valid files', () => {
  it('applies the documented defaults', () => {
    const { job, diagnostics } = jobOf(lines('users:', '  attributes:', USER_MATCH));
    expect(diagnostics).toEqual([]);
    expect(job).toEqual({
      file: 'm.yaml',
      settings: { scope: 'assigned', skipOutOfScopeDeletions: false, accidentalDeletionThreshold: null, provisionDefaultAccess: true },
      users: {
        enabled: true,
        actions: ['create', 'update', 'delete'],
        scoping: [],
        attributes: [
          {
            target: 'userName',
            source: { kind: 'direct', attribute: 'userPrincipalName', position: { line: 3, column: 34 } },
            match: 1,
            apply: 'always',
            default: null,
            caseExact: false,
            position: { line: 3, column: 7 },
          },
        ],
        position: { line: 2, column: 3 },
      },
      groups: { enabled: false, actions: ['create', 'update', 'delete'], scoping: [], attributes: [], position: { line: 1, column: 1 } },
    });
  });

  it('reads every setting and row option', () => {
    const text = lines(
      'settings:',
      '  scope: all',
      '  skipOutOfScopeDeletions: true',
      '  accidentalDeletionThreshold: 500',
      '  provisionDefaultAccess: false',
      'users:',
      '  actions: [create, update]',
      '  scoping:',
      '    - - {attribute: department, operator: EQUALS, value: Sales}',
      '      - {attribute: accountEnabled, operator: IS TRUE}',
      '    - - {attribute: employeeId, operator: Greater_Than, value: 1000}',
      '  attributes:',
      USER_MATCH,
      '    - {target: externalId, constant: "x", apply: on-create, default: "y", caseExact: true}',
      '    - {target: active, constant: true}',
      'groups:',
      '  enabled: false',
    );
    const { job, diagnostics } = jobOf(text);
    expect(diagnostics).toEqual([]);
    expect(job!.settings).toEqual({
      scope: 'all',
      skipOutOfScopeDeletions: true,
      accidentalDeletionThreshold: 500,
      provisionDefaultAccess: false,
    });
    expect(job!.users.actions).toEqual(['create', 'update']);
    expect(job!.users.scoping).toEqual([
      [
        { attribute: 'department', operator: 'EQUALS', value: 'Sales', position: { line: 9, column: 9 } },
        { attribute: 'accountEnabled', operator: 'IS TRUE', position: { line: 10, column: 9 } },
      ],
      [{ attribute: 'employeeId', operator: 'Greater_Than', value: '1000', position: { line: 11, column: 9 } }],
    ]);
    expect(job!.users.attributes[1]).toMatchObject({
      target: 'externalId',
      source: { kind: 'constant', value: 'x', position: { line: 14, column: 39 } },
      match: null,
      apply: 'on-create',
      default: 'y',
      caseExact: true,
    });
    expect(job!.users.attributes[2]!.source).toMatchObject({ kind: 'constant', value: 'True' });
    expect(job!.groups).toMatchObject({ enabled: false, attributes: [] });
  });

  it('keeps expressions as text with the file position of their first character', () => {
    const text = lines(
      'users:',
      '  attributes:',
      USER_MATCH,
      '    - target: displayName',
      '      expression: "Join(\\" \\", [givenName], [surname])"',
      '    - target: title',
      `      expression: 'Join(" ", [givenName])'`,
      '    - target: nickName',
      '      expression: StripSpaces([mail])',
      '    - target: active',
      '      expression: |',
      '        Switch([IsSoftDeleted], , "False", "True", "True", "False")',
      '    - target: locale',
      '      expression: >-',
      '',
      '          ToLower([preferredLanguage])',
    );
    const { job, diagnostics } = jobOf(text);
    expect(diagnostics).toEqual([]);
    const sources = job!.users.attributes.slice(1).map((a) => a.source);
    expect(sources).toEqual([
      { kind: 'expression', text: 'Join(" ", [givenName], [surname])', position: { line: 5, column: 20 } },
      { kind: 'expression', text: 'Join(" ", [givenName])', position: { line: 7, column: 20 } },
      { kind: 'expression', text: 'StripSpaces([mail])', position: { line: 9, column: 19 } },
      { kind: 'expression', text: 'Switch([IsSoftDeleted], , "False", "True", "True", "False")\n', position: { line: 12, column: 9 } },
      { kind: 'expression', text: '\nToLower([preferredLanguage])', position: { line: 16, column: 11 } },
    ]);
    // The position is where the expression's first non-blank character is in the file.
    const fileLines = text.split('\n');
    for (const s of sources) {
      if (s.kind !== 'expression') throw new Error('expected expressions');
      const first = s.text.trimStart().slice(0, 5);
      expect(fileLines[s.position.line - 1]!.slice(s.position.column - 1, s.position.column - 1 + 5)).toBe(first);
    }
  });

  it('reads JSON mapping files, with expression positions inside the JSON string', () => {
    const text = [
      '{"users": {"attributes": [',
      '  {"target": "userName", "source": "userPrincipalName", "match": 1},',
      '  {"target": "active", "expression": "Not([IsSoftDeleted])"}',
      ']}}',
    ].join('\n');
    const { job, diagnostics } = jobOf(text, 'm.json');
    expect(diagnostics).toEqual([]);
    expect(job!.users.attributes[1]!.source).toEqual({
      kind: 'expression',
      text: 'Not([IsSoftDeleted])',
      position: { line: 3, column: 39 },
    });
  });

  it('accepts a disabled group mapping without a matching attribute', () => {
    const { diagnostics } = jobOf(
      lines(
        'users:',
        '  attributes:',
        USER_MATCH,
        'groups:',
        '  enabled: false',
        '  attributes:',
        '    - {target: displayName, source: displayName}',
      ),
    );
    expect(diagnostics).toEqual([]);
  });
});

describe('parseJob: file shape', () => {
  it('reports malformed YAML at the parser position', () => {
    const { job, diagnostics } = jobOf(lines('users:', '  attributes: [', '    {target: userName'));
    expect(job).toBeNull();
    // The unclosed map and the unclosed list are both reported where the file ends.
    expect(where(diagnostics, 'MAPPING_SYNTAX')).toEqual(['m.yaml:4:1', 'm.yaml:4:1']);
    expect(diagnostics.map((d) => d.message.slice(-3))).toEqual(['a }', 'a ]']);
  });

  it('reports a top level that is not a map, and an empty file', () => {
    expect(where(jobOf(lines('- users')).diagnostics, 'MAPPING_WRONG_SHAPE')).toEqual(['m.yaml:1:1']);
    expect(where(jobOf('').diagnostics, 'MAPPING_WRONG_SHAPE')).toEqual(['m.yaml:1:1']);
  });

  it('reports missing users and attributes', () => {
    expect(where(jobOf(lines('settings: {scope: all}')).diagnostics, 'MAPPING_MISSING_KEY')).toEqual(['m.yaml:1:1']);
    expect(where(jobOf(lines('users:', '  actions: [create]')).diagnostics, 'MAPPING_MISSING_KEY')).toEqual(['m.yaml:2:3']);
    const groups = jobOf(lines('users:', '  attributes:', USER_MATCH, 'groups:', '  attributes:'));
    expect(where(groups.diagnostics, 'MAPPING_MISSING_KEY')).toEqual(['m.yaml:5:3']);
  });

  it('reports unknown keys anywhere, with a did-you-mean', () => {
    const text = lines(
      'setings: {scope: all}',
      'settings: {scop: all}',
      'users:',
      '  atributes: []',
      '  scoping: [[{attribute: city, operater: EQUALS, value: x}]]',
      '  attributes:',
      '    - {target: userName, sorce: userPrincipalName, match: 1}',
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_UNKNOWN_KEY')).toEqual([
      'm.yaml:1:1',
      at(text, 2, 'scop'),
      'm.yaml:4:3',
      at(text, 5, 'operater'),
      at(text, 7, 'sorce'),
    ]);
    expect(diagnostics.filter((d) => d.code === 'MAPPING_UNKNOWN_KEY').map((d) => d.hint)).toEqual([
      'did you mean `settings`?',
      'did you mean `scope`?',
      'did you mean `attributes`?',
      'did you mean `operator`?',
      'did you mean `source`?',
    ]);
  });
});

describe('parseJob: types and values', () => {
  it('reports wrong types and enum values, listing what is accepted', () => {
    const text = lines(
      'settings:',
      '  scope: everyone',
      '  skipOutOfScopeDeletions: "no"',
      '  accidentalDeletionThreshold: 0',
      '  provisionDefaultAccess: 1',
      'users:',
      '  enabled: false',
      '  actions: [create, remove, create]',
      '  attributes:',
      '    - {target: userName, source: userPrincipalName, match: 1, apply: on_create, caseExact: yes}',
      '    - {target: title, expression: 42, match: 2.5}',
      '    - {target: nickName, expression: "  "}',
    );
    const { job, diagnostics } = jobOf(text);
    expect(job).toBeNull();
    expect(where(diagnostics, 'MAPPING_INVALID_VALUE')).toEqual([
      at(text, 2, 'everyone'),
      at(text, 4, '0'),
      at(text, 7, 'false'),
      at(text, 8, 'remove'),
      at(text, 8, 'create', 2),
      at(text, 10, 'on_create'),
      at(text, 11, '2.5'),
      at(text, 12, '"  "'),
    ]);
    expect(where(diagnostics, 'MAPPING_WRONG_TYPE')).toEqual([
      at(text, 3, '"no"'),
      at(text, 5, '1'),
      at(text, 10, 'yes'),
      at(text, 11, '42'),
    ]);
    const byLine = (line: number) => diagnostics.find((d) => d.position?.line === line)!;
    expect(byLine(2).message).toBe('settings.scope must be one of `assigned`, `all`, found "everyone"');
    expect(byLine(8).message).toBe('users.actions[1] must be one of `create`, `update`, `delete`, found "remove"');
    expect(diagnostics.find((d) => d.message.includes('on_create'))!.hint).toBe('did you mean `on-create`?');
  });

  it('reports unknown source attributes for Direct rows, per object type', () => {
    const text = lines(
      'users:',
      '  attributes:',
      USER_MATCH,
      '    - {target: name.familyName, source: surName}',
      '    - {target: externalId, source: id}',
      '    - {target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:costCenter", source: extension_0123456789abcdef0123456789abcdef_costCenter}',
      'groups:',
      '  attributes:',
      '    - {target: displayName, source: displayName, match: 1}',
      '    - {target: externalId, source: jobTitle}',
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_UNKNOWN_SOURCE_ATTRIBUTE')).toEqual([
      at(text, 4, 'surName'),
      at(text, 5, 'id}'),
      at(text, 10, 'jobTitle'),
    ]);
    expect(diagnostics.map((d) => d.hint)).toEqual([
      'did you mean `surname`?',
      'did you mean `objectId`?',
      expect.stringMatching(/^known group attributes: objectId, displayName/),
    ]);
  });

  it('reports rows with no source, or with several', () => {
    const text = lines(
      'users:',
      '  attributes:',
      USER_MATCH,
      '    - {target: title}',
      '    - {target: nickName, source: mail, constant: x}',
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_SOURCE_KIND')).toEqual([at(text, 4, '{'), at(text, 5, 'constant')]);
  });
});

describe('parseJob: targets', () => {
  it('reports malformed target paths at the offending character', () => {
    const text = lines(
      'users:',
      '  attributes:',
      USER_MATCH,
      `    - {target: 'emails[type eq "work".value', source: mail}`,
      '    - target: display name',
      '      source: displayName',
      '    - {target: "emails[type eq \\"home\\"].value x", source: mail}',
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_INVALID_TARGET')).toEqual([
      at(text, 4, '['),
      at(text, 5, ' name'),
      // Escapes in a double-quoted scalar: the position falls back to the value's first character.
      at(text, 7, 'emails'),
    ]);
    expect(diagnostics[0]!.message).toBe('users.attributes[1].target "emails[type eq \\"work\\".value": `[` is never closed');
  });

  it('reports targets the SCIM core and enterprise schemas do not have, at the typo, with a did-you-mean', () => {
    const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const text = lines(
      'users:',
      '  attributes:',
      USER_MATCH,
      '    - {target: name.givnName, source: givenName}',
      '    - {target: titel, source: jobTitle}',
      `    - {target: "${ENT}:departmnet", source: department}`,
      '    - {target: displayName.value, source: displayName}',
      '    - {target: \'emails[typ eq "work"].value\', source: mail}',
      'groups:',
      '  attributes:',
      '    - {target: displayName, source: displayName, match: 1}',
      '    - {target: descripton, source: description}',
    );
    const { job, diagnostics } = jobOf(text);
    expect(job).toBeNull();
    expect(where(diagnostics, 'MAPPING_UNKNOWN_TARGET')).toEqual([
      at(text, 4, 'givnName'),
      at(text, 5, 'titel'),
      at(text, 6, 'departmnet'),
      at(text, 7, 'value'),
      at(text, 8, 'typ'),
      at(text, 12, 'descripton'),
    ]);
    expect(diagnostics.filter((d) => d.code === 'MAPPING_UNKNOWN_TARGET').map((d) => d.message)).toEqual([
      'users.attributes[1].target "name.givnName": "name" has no sub-attribute "givnName"; did you mean "givenName"?',
      'users.attributes[2].target "titel": the SCIM core User schema has no attribute "titel"; did you mean "title"?',
      `users.attributes[3].target "${ENT}:departmnet": the enterprise User extension has no attribute "departmnet"; did you mean "department"?`,
      'users.attributes[4].target "displayName.value": "displayName" is a simple attribute: it has no sub-attribute "value"',
      'users.attributes[5].target "emails[typ eq \\"work\\"].value": "emails" has no sub-attribute "typ" to filter on; did you mean "type"?',
      'groups.attributes[1].target "descripton": the SCIM core Group schema has no attribute "descripton"',
    ]);
  });

  it("accepts the app's own attributes: under an extension URN, or listed in appAttributes (which does not change the mapping's hash)", () => {
    const CUSTOM = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';
    const base = [
      'users:',
      '  attributes:',
      USER_MATCH,
      `    - {target: "${CUSTOM}:badgeNumber", source: employeeId}`,
      '    - {target: Title, source: jobTitle}',
    ];
    const plain = jobOf(lines(...base));
    expect(plain.diagnostics).toEqual([]);
    const declared = jobOf(
      lines('users:', '  appAttributes: [costCode]', ...base.slice(1), '    - {target: costCode, source: department}'),
    );
    expect(declared.diagnostics).toEqual([]);
    expect(declared.job!.users.appAttributes).toEqual(['costCode']);
    expect(jobOf(lines(...base, '    - {target: costCode, source: department}')).diagnostics.map((d) => d.code)).toEqual([
      'MAPPING_UNKNOWN_TARGET',
    ]);
    const sameRows = jobOf(lines('users:', '  appAttributes: [costCode, spare]', ...base.slice(1)));
    expect(jobHash(sameRows.job!)).toBe(jobHash(plain.job!));
    expect(jobOf(lines('users:', '  appAttributes: ["two words"]', ...base.slice(1))).diagnostics.map((d) => d.code)).toEqual([
      'MAPPING_INVALID_VALUE',
    ]);
  });

  it('reports id as a target', () => {
    const text = lines('users:', '  attributes:', USER_MATCH, '    - {target: id, source: objectId}');
    expect(where(jobOf(text).diagnostics, 'MAPPING_ID_TARGET')).toEqual([at(text, 4, 'id')]);
  });

  it('reports the same target mapped twice', () => {
    const text = lines(
      'users:',
      '  attributes:',
      USER_MATCH,
      '    - {target: name.givenName, source: givenName}',
      '    - {target: Name.GivenName, expression: "Left([givenName], 1)"}',
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_DUPLICATE_TARGET')).toEqual([at(text, 5, 'Name.GivenName')]);
    expect(diagnostics[0]!.hint).toBe(`first mapped at ${at(text, 4, 'name.givenName')}; keep one row per target`);
  });
});

describe('parseJob: matching', () => {
  it('reports an object mapping without a matching attribute', () => {
    const text = lines(
      'users:',
      '  attributes:',
      '    - {target: userName, source: userPrincipalName}',
      'groups:',
      '  attributes:',
      '    - {target: displayName, source: displayName}',
    );
    expect(where(jobOf(text).diagnostics, 'MAPPING_NO_MATCHING_ATTRIBUTE')).toEqual(['m.yaml:2:3', 'm.yaml:5:3']);
  });

  it('reports duplicate matching precedences', () => {
    const text = lines('users:', '  attributes:', USER_MATCH, '    - {target: externalId, source: mailNickname, match: 1}');
    expect(where(jobOf(text).diagnostics, 'MAPPING_DUPLICATE_MATCH_PRECEDENCE')).toEqual([at(text, 4, '1')]);
  });

  it('reports matching on members or manager', () => {
    const text = lines(
      'users:',
      '  attributes:',
      USER_MATCH,
      '    - {target: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager", source: manager, match: 2}',
      '    - {target: externalId, source: manager, match: 3}',
      'groups:',
      '  attributes:',
      '    - {target: displayName, source: displayName, match: 1}',
      '    - {target: members, source: members, match: 2}',
    );
    expect(where(jobOf(text).diagnostics, 'MAPPING_MATCH_ON_REFERENCE')).toEqual([at(text, 4, '2}'), at(text, 5, '3}'), at(text, 9, '2}')]);
  });
});

describe('parseJob: scoping', () => {
  const scoped = (...clauses: string[]) => lines('users:', '  scoping:', ...clauses, '  attributes:', USER_MATCH);

  it('reports unknown operators with a did-you-mean', () => {
    const text = scoped(
      '    - - {attribute: department, operator: EQUAL, value: Sales}',
      '      - {attribute: city, operator: LIKE, value: x}',
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_UNKNOWN_OPERATOR')).toEqual([at(text, 3, 'EQUAL'), at(text, 4, 'LIKE')]);
    expect(diagnostics[0]!.hint).toBe('did you mean `EQUALS`?');
    expect(diagnostics[1]!.hint).toMatch(/^operators: EQUALS, NOT EQUALS, IS TRUE/);
  });

  it('reports a missing value for a binary operator and a value for a unary one', () => {
    const text = scoped(
      '    - - {attribute: city, operator: Includes}',
      '      - {attribute: accountEnabled, operator: IS TRUE, value: "True"}',
      "      - {attribute: employeeId, operator: '!&'}",
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_MISSING_SCOPING_VALUE')).toEqual([at(text, 3, '{'), at(text, 5, '{')]);
    expect(where(diagnostics, 'MAPPING_UNEXPECTED_SCOPING_VALUE')).toEqual([at(text, 4, '"True"')]);
  });

  it('reports scoping on attributes Entra refuses, with the reason', () => {
    const text = scoped(
      '    - - {attribute: manager, operator: IS NOT NULL}',
      '      - {attribute: proxyAddresses, operator: Includes, value: smtp}',
      '      - {attribute: appRoleAssignments, operator: EQUALS, value: Admin}',
      '      - {attribute: departmnt, operator: EQUALS, value: Sales}',
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_UNSUPPORTED_SCOPING_ATTRIBUTE')).toEqual([
      at(text, 3, 'manager'),
      at(text, 4, 'proxyAddresses'),
      at(text, 5, 'appRoleAssignments'),
    ]);
    expect(diagnostics[1]!.message).toBe(
      'Entra cannot scope on proxyAddresses: proxyAddresses is multi-valued, and scoping filters only evaluate single-valued attributes',
    );
    expect(where(diagnostics, 'MAPPING_UNKNOWN_SOURCE_ATTRIBUTE')).toEqual([at(text, 6, 'departmnt')]);
  });

  it('reports group members in group scoping', () => {
    const text = lines(
      'users:',
      '  attributes:',
      USER_MATCH,
      'groups:',
      '  scoping: [[{attribute: members, operator: IS NOT NULL}]]',
      '  attributes:',
      '    - {target: displayName, source: displayName, match: 1}',
    );
    expect(where(jobOf(text).diagnostics, 'MAPPING_UNSUPPORTED_SCOPING_ATTRIBUTE')).toEqual([at(text, 5, 'members')]);
  });

  it('reports malformed scoping structures', () => {
    const text = scoped(
      '    - {attribute: department, operator: EQUALS, value: Sales}',
      '    - []',
      '    - - {attribute: employeeId, operator: Greater_Than, value: ten}',
    );
    const { diagnostics } = jobOf(text);
    expect(where(diagnostics, 'MAPPING_WRONG_TYPE')).toEqual([at(text, 3, '{')]);
    expect(diagnostics[0]!.hint).toContain('wrap this clause');
    expect(where(diagnostics, 'MAPPING_INVALID_VALUE')).toEqual([at(text, 4, '[]'), at(text, 5, 'ten')]);
  });
});
