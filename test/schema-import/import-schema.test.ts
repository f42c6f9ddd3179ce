import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseExpression } from '../../src/expression/index.js';
import { mappingsImportCommand } from '../../src/cli/commands/mappings.js';
import type { CliDeps } from '../../src/cli/io.js';
import { importSchema } from '../../src/schema-import/import-schema.js';
import { parseSchemaJson } from '../../src/schema-import/schema-json.js';
import { loadJob } from '../../src/mapping-file/load-job.js';
import { parseJob } from '../../src/mapping-file/parse-job.js';
import type { AttributeMapping, Job } from '../../src/model/job.js';
import { systemClock } from '../../src/shared/clock.js';
import type { Diagnostic } from '../../src/shared/diagnostics.js';
import { seededRandom } from '../../src/shared/random.js';

const FIXTURE = 'test/fixtures/schema/entra-scim-schema.json';
const ENT = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const ACTIVE = 'Switch([IsSoftDeleted], , "False", "True", "True", "False")';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const fixture = (): Json => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Json;
const userMapping = (schema: Json): Json => schema['synchronizationRules'][0]['objectMappings'][1] as Json;
const groupMapping = (schema: Json): Json => schema['synchronizationRules'][0]['objectMappings'][0] as Json;
/** The fixture's user row for a target attribute. */
const userRow = (schema: Json, target: string): Json =>
  (userMapping(schema)['attributeMappings'] as Json[]).find((r) => r['targetAttributeName'] === target)!;

/** A Graph attributeMapping with Graph's defaults. */
function graphRow(targetAttributeName: string, source: Json | null, extra: Json = {}): Json {
  return {
    defaultValue: null,
    exportMissingReferences: false,
    flowBehavior: 'FlowWhenChanged',
    flowType: 'Always',
    matchingPriority: 0,
    source,
    targetAttributeName,
    ...extra,
  };
}
const attr = (name: string): Json => ({ expression: `[${name}]`, name, parameters: [], type: 'Attribute' });

/** A schema with one User mapping holding `rows` after a matching userName row. */
function schemaWith(rows: Json[], extra: Json = {}): Json {
  return {
    synchronizationRules: [
      {
        name: 'USERGROUP_OUTBOUND_USERGROUP',
        objectMappings: [
          {
            enabled: true,
            flowTypes: 'Add, Update, Delete',
            sourceObjectName: 'User',
            targetObjectName: ENT,
            attributeMappings: [graphRow('userName', attr('userPrincipalName'), { matchingPriority: 1 }), ...rows],
            ...extra,
          },
        ],
      },
    ],
  };
}

/** A row as `target ← source` with its options, position-free. */
function row(a: AttributeMapping): string {
  const s = a.source;
  const from = s.kind === 'direct' ? s.attribute : s.kind === 'constant' ? `"${s.value}"` : s.text;
  const opts = [
    a.match === null ? '' : ` match ${a.match}`,
    a.apply === 'on-create' ? ' on-create' : '',
    a.default === null ? '' : ` default ${a.default}`,
    a.caseExact ? ' caseExact' : '',
  ].join('');
  return `${a.target} ← ${from}${opts}`;
}

/** The Job without positions or file name: what the engine acts on. */
function meaning(job: Job): unknown {
  return JSON.parse(JSON.stringify(job, (key, value: unknown) => (key === 'position' || key === 'file' ? undefined : value)));
}

const codes = (notes: readonly Diagnostic[]): string[] => notes.map((n) => `${n.severity} ${n.code}`);

describe('importSchema: the fixture (a customappsso schema)', () => {
  const result = importSchema(fixture(), FIXTURE);

  it('converts with no notes into the User and Group mappings, in schema order', () => {
    expect(result.notes).toEqual([]);
    expect(result.job).not.toBeNull();
    const job = result.job!;
    expect(job.settings).toEqual({
      scope: 'assigned',
      skipOutOfScopeDeletions: false,
      accidentalDeletionThreshold: null,
      provisionDefaultAccess: true,
    });
    expect(job.users.actions).toEqual(['create', 'update', 'delete']);
    expect(job.users.attributes.map(row)).toEqual([
      'userName ← userPrincipalName match 1',
      `active ← ${ACTIVE}`,
      'displayName ← displayName',
      'title ← jobTitle',
      'emails[type eq "work"].value ← mail',
      'preferredLanguage ← preferredLanguage default en-US',
      'name.givenName ← givenName',
      'name.familyName ← surname',
      'name.formatted ← Join(" ", [givenName], [surname])',
      'addresses[type eq "work"].formatted ← physicalDeliveryOfficeName',
      'addresses[type eq "work"].streetAddress ← streetAddress',
      'addresses[type eq "work"].locality ← city',
      'addresses[type eq "work"].region ← state',
      'addresses[type eq "work"].postalCode ← postalCode',
      'addresses[type eq "work"].country ← country',
      'phoneNumbers[type eq "work"].value ← telephoneNumber',
      'phoneNumbers[type eq "mobile"].value ← mobile',
      'phoneNumbers[type eq "fax"].value ← facsimileTelephoneNumber',
      'externalId ← mailNickname caseExact',
      `${ENT}:employeeNumber ← employeeId on-create`,
      `${ENT}:department ← department`,
      `${ENT}:manager ← manager`,
      `${ENT}:organization ← "Contoso"`,
    ]);
    expect(job.users.scoping.map((g) => g.map((c) => `${c.attribute} ${c.operator} ${c.value ?? ''}`.trim()))).toEqual([
      ['department EQUALS Sales', 'userPrincipalName ENDS_WITH @contoso.com'],
      ['jobTitle REGEX MATCH ^Chief .* Officer$'],
    ]);
    expect(job.groups.enabled).toBe(true);
    expect(job.groups.attributes.map(row)).toEqual([
      'displayName ← displayName match 1',
      'externalId ← objectId caseExact',
      'members ← members',
    ]);
  });

  it('round-trips: parseJob on the YAML gives zero errors and the same Job', () => {
    const again = parseJob({ file: FIXTURE.replace(/\.json$/, '.yaml'), text: result.yaml });
    expect(again.diagnostics).toEqual([]);
    expect(again.job).toEqual(result.job);
  });

  it("is Entra's default customappsso mapping plus exactly the fixture's customisations", async () => {
    const { job: defaults } = await loadJob('mappings/customappsso.yaml');
    const imported = meaning(result.job!) as {
      users: { attributes: unknown[]; scoping: unknown[] };
      groups: { attributes: Array<{ caseExact: boolean }> };
    };
    const expected = meaning(defaults!) as typeof imported;
    // groups: the defaults, with externalId caseExact from the target directory's definition
    expected.groups.attributes[1]!.caseExact = true;
    expect(imported.groups).toEqual(expected.groups);
    const users = expected.users.attributes as Array<Record<string, unknown>>;
    users[5]!['default'] = 'en-US';
    users[18]!['caseExact'] = true;
    users[19]!['apply'] = 'on-create';
    users.push({
      target: `${ENT}:organization`,
      source: { kind: 'constant', value: 'Contoso' },
      match: null,
      apply: 'always',
      default: null,
      caseExact: false,
    });
    expect(imported.users.attributes).toEqual(users);
  });

  it('writes a readable YAML: header naming the file and the settings, one flow row per attribute, quoted expressions', () => {
    const lines = result.yaml.split('\n');
    expect(lines[0]).toBe(`# Imported by \`provsim mappings import\` from ${FIXTURE} (an Entra synchronizationSchema).`);
    expect(result.yaml).toContain("# Settings are provsim's defaults: a synchronizationSchema does not hold them.");
    expect(result.yaml).toContain('# Notes: none;');
    expect(lines).toContain(`    - {target: active, expression: '${ACTIVE}'}`);
    expect(lines).toContain('    - {target: userName, source: userPrincipalName, match: 1}');
    expect(lines).toContain(`    - {target: '${ENT}:employeeNumber', source: employeeId, apply: on-create}`);
    expect(lines).toContain(`    - {target: '${ENT}:organization', constant: Contoso}`);
    expect(lines).toContain("      - {attribute: userPrincipalName, operator: ENDS_WITH, value: '@contoso.com'}");
    expect(lines.filter((l) => l.startsWith('    - {target: '))).toHaveLength(23 + 3);
  });

  it('every expression in the output parses with parseExpression', () => {
    const expressions = [...result.job!.users.attributes, ...result.job!.groups.attributes].flatMap((a) =>
      a.source.kind === 'expression' ? [a.source.text] : [],
    );
    expect(expressions).toEqual([ACTIVE, 'Join(" ", [givenName], [surname])']);
    for (const text of expressions) expect(parseExpression(text).diagnostics).toEqual([]);
  });
});

describe('importSchema: source types', () => {
  it('Attribute → source, Constant → constant, Function → expression (its expression text)', () => {
    const r = importSchema(
      schemaWith([
        graphRow('displayName', attr('displayName')),
        graphRow('title', { expression: '"Engineer"', name: 'Engineer', parameters: [], type: 'Constant' }),
        graphRow('nickName', {
          expression: 'ToLower([mailNickname], )',
          name: 'ToLower',
          parameters: [{ key: 'source', value: attr('mailNickname') }],
          type: 'Function',
        }),
      ]),
      's.json',
    );
    expect(r.notes).toEqual([]);
    expect(r.job!.users.attributes.map((a) => a.source).map(({ position: _p, ...s }) => s)).toEqual([
      { kind: 'direct', attribute: 'userPrincipalName' },
      { kind: 'direct', attribute: 'displayName' },
      { kind: 'constant', value: 'Engineer' },
      { kind: 'expression', text: 'ToLower([mailNickname], )' },
    ]);
    expect(r.yaml).toContain("{target: nickName, expression: 'ToLower([mailNickname], )'}");
  });

  it('a Function without expression text is rebuilt from name and parameters, with a note', () => {
    const c = (v: string): Json => ({ expression: `"${v}"`, name: v, parameters: [], type: 'Constant' });
    const r = importSchema(
      schemaWith([
        // Graph's own examples (objectMapping resource): Mid, and Replace with the keys Find and Replacement
        graphRow('nickName', {
          name: 'Mid',
          type: 'Function',
          parameters: [
            { key: 'source', value: attr('userPrincipalName') },
            { key: 'start', value: c('1') },
            { key: 'length', value: c('8') },
          ],
        }),
        graphRow('preferredLanguage', {
          name: 'Replace',
          type: 'Function',
          parameters: [
            { key: 'source', value: attr('preferredLanguage') },
            { key: 'Find', value: c('-') },
            { key: 'Replacement', value: c('_') },
          ],
        }),
        // Switch without its default value: the key/value pairs follow an empty position
        graphRow('active', {
          name: 'Switch',
          type: 'Function',
          parameters: [
            { key: 'source', value: attr('IsSoftDeleted') },
            { key: 'key', value: c('False') },
            { key: 'value', value: c('True') },
            { key: 'key', value: c('True') },
            { key: 'value', value: c('False') },
          ],
        }),
        // nested Function without text, and a Constant whose value needs escaping
        graphRow('displayName', {
          name: 'Join',
          type: 'Function',
          parameters: [
            { key: 'separator', value: { name: 'a "b"', type: 'Constant' } },
            {
              key: 'source',
              value: {
                name: 'ToUpper',
                type: 'Function',
                parameters: [{ key: 'source', value: { name: 'givenName', type: 'Attribute' } }],
              },
            },
          ],
        }),
      ]),
      's.json',
    );
    expect(r.job!.users.attributes.slice(1).map((a) => (a.source.kind === 'expression' ? a.source.text : a.source.kind))).toEqual([
      'Mid([userPrincipalName], "1", "8")',
      'Replace([preferredLanguage], "-", , , "_")',
      ACTIVE,
      'Join("a \\"b\\"", ToUpper([givenName]))',
    ]);
    expect(codes(r.notes)).toEqual(Array(4).fill('warning SCHEMA_EXPRESSION_REBUILT'));
    expect(r.notes[0]!.hint).toBeUndefined();
  });

  it('a Function whose parameter keys do not give positions is rebuilt in listed order, and the note asks to check', () => {
    const r = importSchema(
      schemaWith([
        graphRow('nickName', {
          name: 'Mid',
          type: 'Function',
          parameters: [
            { key: 'a', value: attr('mail') },
            { key: 'b', value: { name: '2', type: 'Constant' } },
            { key: 'c', value: { name: '3', type: 'Constant' } },
          ],
        }),
      ]),
      's.json',
    );
    expect(r.job!.users.attributes[1]!.source).toMatchObject({ kind: 'expression', text: 'Mid([mail], "2", "3")' });
    expect(r.notes[0]).toMatchObject({ code: 'SCHEMA_EXPRESSION_REBUILT', hint: expect.stringContaining('check the argument order') });
  });

  it('matchingPriority > 0 → match, defaultValue → default, "" default → none; a None mapping → constant on create', () => {
    const r = importSchema(
      schemaWith([
        graphRow('externalId', attr('objectId'), { matchingPriority: 2, defaultValue: '' }),
        graphRow('title', attr('jobTitle'), { defaultValue: 'Staff' }),
        graphRow('locale', null, { defaultValue: 'en_US' }),
        graphRow('timezone', null),
      ]),
      's.json',
    );
    expect(r.job!.users.attributes.map(row)).toEqual([
      'userName ← userPrincipalName match 1',
      'externalId ← objectId match 2',
      'title ← jobTitle default Staff',
      'locale ← "en_US" on-create',
    ]);
    expect(codes(r.notes)).toEqual(['warning SCHEMA_NONE_MAPPING', 'warning SCHEMA_ROW_SKIPPED']);
    expect(r.notes[1]!.message).toContain('attributeMappings[4] (timezone) is left out: it has no source and no default value');
    expect(r.yaml).toContain('    # left out: {target: timezone, no source} — it has no source and no default value');
  });
});

describe('importSchema: flow types and other things that cannot be carried over', () => {
  it('ObjectAddOnly → apply: on-create, silently; MultiValueAddOnly, ValueAddOnly, AttributeAddOnly and FlowAlways → a warning each', () => {
    const r = importSchema(
      schemaWith([
        graphRow('displayName', attr('displayName'), { flowType: 'ObjectAddOnly' }),
        graphRow('emails[type eq "other"].value', attr('otherMails'), { flowType: 'MultiValueAddOnly' }),
        graphRow('title', attr('jobTitle'), { flowType: 'ValueAddOnly' }),
        graphRow('nickName', attr('mailNickname'), { flowType: 'AttributeAddOnly' }),
        graphRow('preferredLanguage', attr('preferredLanguage'), { flowBehavior: 'FlowAlways' }),
      ]),
      's.json',
    );
    expect(r.job).not.toBeNull();
    expect(r.job!.users.attributes.map((a) => `${a.target} ${a.apply}`)).toEqual([
      'userName always',
      'displayName on-create',
      'emails[type eq "other"].value always',
      'title always',
      'nickName always',
      'preferredLanguage always',
    ]);
    expect(codes(r.notes)).toEqual([
      'warning SCHEMA_UNSUPPORTED_FLOW_TYPE',
      'warning SCHEMA_UNSUPPORTED_FLOW_TYPE',
      'warning SCHEMA_UNSUPPORTED_FLOW_TYPE',
      'warning SCHEMA_UNSUPPORTED_FLOW_BEHAVIOR',
    ]);
    expect(r.notes.map((n) => n.message)).toEqual([
      'synchronizationRules[0].objectMappings[0].attributeMappings[2] (emails[type eq "other"].value): flowType MultiValueAddOnly cannot be carried over; imported as apply: always',
      'synchronizationRules[0].objectMappings[0].attributeMappings[3] (title): flowType ValueAddOnly cannot be carried over; imported as apply: always',
      'synchronizationRules[0].objectMappings[0].attributeMappings[4] (nickName): flowType AttributeAddOnly cannot be carried over; imported as apply: always',
      'synchronizationRules[0].objectMappings[0].attributeMappings[5] (preferredLanguage): flowBehavior FlowAlways cannot be carried over; provsim sends the attribute only when it changed (FlowWhenChanged)',
    ]);
    for (const n of r.notes) expect(n.file).toBe('s.json');
    // every note is in the header too, and the rows say what they were
    expect(r.yaml).toContain('# Notes (4):');
    expect(r.yaml).toContain(
      '# - warning SCHEMA_UNSUPPORTED_FLOW_TYPE: synchronizationRules[0].objectMappings[0].attributeMappings[3] (title): flowType ValueAddOnly',
    );
    expect(r.yaml).toContain('    - {target: title, source: jobTitle}  # Graph flowType ValueAddOnly');
  });

  it('a disabled Group mapping → enabled: false; no Group mapping → groups off; other object mappings and a second User mapping → notes', () => {
    const schema = fixture();
    groupMapping(schema)['enabled'] = false;
    const rule = schema['synchronizationRules'][0] as Json;
    rule['objectMappings'].push(
      { ...userMapping(schema), name: 'Second users' },
      { sourceObjectName: 'Contact', targetObjectName: 'Contact', attributeMappings: [] },
    );
    const r = importSchema(schema, 's.json');
    expect(r.job!.groups.enabled).toBe(false);
    expect(r.job!.groups.attributes).toHaveLength(3);
    expect(r.yaml).toMatch(/^groups:\n {2}enabled: false$/m);
    expect(r.notes.map((n) => n.message)).toEqual([
      'synchronizationRules[0].objectMappings[2] (User → urn:ietf:params:scim:schemas:extension:enterprise:2.0:User) is not imported: the user mapping was already read from an earlier object mapping',
      'synchronizationRules[0].objectMappings[3] (Contact → Contact) is not imported: provsim provisions Entra users and groups only',
    ]);

    const noGroups = fixture();
    noGroups['synchronizationRules'][0]['objectMappings'].splice(0, 1);
    const g = importSchema(noGroups, 's.json');
    expect(g.notes).toEqual([]);
    expect(g.job!.groups).toMatchObject({ enabled: false, attributes: [] });
    expect(g.yaml).toContain('# The schema has no Group object mapping: groups are not provisioned.');
  });

  it('flowTypes → actions, with or without spaces; a disabled User mapping is imported enabled, with a warning', () => {
    const r = importSchema(schemaWith([], { flowTypes: 'Add,Update', enabled: false }), 's.json');
    expect(r.job!.users.actions).toEqual(['create', 'update']);
    expect(r.job!.users.enabled).toBe(true);
    expect(codes(r.notes)).toEqual(['warning SCHEMA_USER_MAPPING_DISABLED']);
  });

  it('rows provsim cannot load are left out as comments, with the reason; the rest still loads', () => {
    const r = importSchema(
      schemaWith([
        graphRow('nickName', attr('onPremisesSamAccountName')),
        graphRow('id', attr('objectId')),
        graphRow('displayName', { expression: 'Jion(" ", [givenName])', name: 'Jion', parameters: [], type: 'Function' }),
        graphRow('userName', attr('mail')),
        graphRow('title', {
          expression: '[extension_0123456789abcdef0123456789abcdef_title]',
          name: 'extension_0123456789abcdef0123456789abcdef_title',
          parameters: [],
          type: 'Attribute',
        }),
      ]),
      's.json',
    );
    expect(r.job!.users.attributes.map(row)).toEqual([
      'userName ← userPrincipalName match 1',
      'title ← extension_0123456789abcdef0123456789abcdef_title',
    ]);
    expect(codes(r.notes)).toEqual(Array(4).fill('warning SCHEMA_ROW_SKIPPED'));
    expect(r.notes[0]!.message).toBe(
      "synchronizationRules[0].objectMappings[0].attributeMappings[1] (nickName) is left out: onPremisesSamAccountName is not a user attribute provsim's fixtures have",
    );
    expect(r.notes[2]!.message).toContain('its expression Jion(" ", [givenName]) does not load in provsim');
    expect(r.notes[2]!.hint).toContain('Join');
    expect(r.notes[3]!.message).toContain(
      'target userName is already mapped by synchronizationRules[0].objectMappings[0].attributeMappings[0]',
    );
    expect(r.yaml).toContain(
      '    # left out: {target: nickName, source: onPremisesSamAccountName} — onPremisesSamAccountName is not a user attribute',
    );
    expect(r.yaml).toContain('    # left out: {target: id, source: objectId} — it maps the target `id`');
  });

  it('scoping: operators in other spellings are read, unknown operators and unscopable attributes drop their filter group, extra values are noted', () => {
    const schema = schemaWith([], {
      scope: {
        groups: [
          {
            name: 'A',
            clauses: [
              { operatorName: 'NOT_EQUALS', sourceOperandName: 'department', targetOperand: { values: ['Sales', 'Legal'] } },
              { operatorName: 'IS NOT NULL', sourceOperandName: 'mail', targetOperand: { values: [] } },
            ],
          },
          { name: 'B', clauses: [{ operatorName: 'STARTS_WITH', sourceOperandName: 'department', targetOperand: { values: ['S'] } }] },
          { name: 'C', clauses: [{ operatorName: 'EQUALS', sourceOperandName: 'manager', targetOperand: { values: ['x'] } }] },
        ],
        inputFilterGroups: [{ name: 'early', clauses: [] }],
      },
    });
    const r = importSchema(schema, 's.json');
    expect(r.job!.users.scoping.map((g) => g.map(({ position: _p, ...c }) => c))).toEqual([
      [
        { attribute: 'department', operator: 'NOT EQUALS', value: 'Sales' },
        { attribute: 'mail', operator: 'IS NOT NULL' },
      ],
    ]);
    expect(codes(r.notes)).toEqual([
      'warning SCHEMA_EXPERIMENTAL_FILTER',
      'warning SCHEMA_SCOPING_VALUES',
      'warning SCHEMA_SCOPING_GROUP_SKIPPED',
      'warning SCHEMA_SCOPING_GROUP_SKIPPED',
    ]);
    expect(r.notes[2]!.message).toContain(
      'groups[1] ("B") is left out: synchronizationRules[0].objectMappings[0].scope.groups[1].clauses[0] uses the operator "STARTS_WITH"',
    );
    expect(r.notes[3]!.message).toContain('tests manager: manager is a reference attribute');
  });

  it('a loader warning about the output (scoping on userType) is a note too, and listed in the header', () => {
    const r = importSchema(
      schemaWith([], {
        scope: {
          groups: [
            {
              name: 'members',
              clauses: [{ operatorName: 'NOT EQUALS', sourceOperandName: 'userType', targetOperand: { values: ['Guest'] } }],
            },
          ],
        },
      }),
      'app.json',
    );
    expect(r.job).not.toBeNull();
    expect(r.notes).toHaveLength(1);
    expect(r.notes[0]).toMatchObject({ severity: 'warning', code: 'MAPPING_UNSUPPORTED_SCOPING_ATTRIBUTE', file: 'app.yaml' });
    const line = r.yaml.split('\n').findIndex((l) => l.includes('attribute: userType')) + 1;
    expect(r.notes[0]!.position?.line).toBe(line);
    expect(r.yaml).toContain('# - warning MAPPING_UNSUPPORTED_SCOPING_ATTRIBUTE: ');
  });

  it('values that need quoting survive the round trip', () => {
    const tricky = [
      'true',
      '123',
      'a: b',
      'x # y',
      "it's",
      ' lead',
      'tail ',
      '@at',
      '- dash',
      'line\nbreak',
      'tab\there',
      'null',
      '',
      '{x}',
      'é ü',
    ];
    const r = importSchema(
      schemaWith(tricky.map((v, i) => graphRow(`a${i}`, { name: v, type: 'Constant' }, { defaultValue: v }))),
      's.json',
    );
    expect(r.notes).toEqual([]);
    const rows = r.job!.users.attributes.slice(1);
    expect(rows.map((a) => (a.source.kind === 'constant' ? a.source.value : null))).toEqual(tricky);
    expect(rows.map((a) => a.default)).toEqual(tricky.map((v) => (v === '' ? null : v)));
  });
});

describe('bad input', () => {
  it('not JSON: SCHEMA_SYNTAX with the line and column of the parser', () => {
    const text = '{\n  "synchronizationRules": [\n    {"name": "x",}\n  ]\n}\n';
    const r = parseSchemaJson({ file: 'bad.json', text });
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({
      severity: 'error',
      code: 'SCHEMA_SYNTAX',
      file: 'bad.json',
      position: { line: 3, column: 18 },
    });
    expect(r.diagnostics[0]!.message).toMatch(/^not valid JSON: /);
    expect(r.diagnostics[0]!.hint).toContain('synchronizationSchema');
    expect(parseSchemaJson({ file: 'empty.json', text: '  \n' }).diagnostics[0]).toMatchObject({
      code: 'SCHEMA_SYNTAX',
      message: 'the schema file is empty',
    });
    expect(parseSchemaJson({ file: 'cut.json', text: '{"a": [1,\n' }).diagnostics[0]!.position).toEqual({ line: 2, column: 1 });
    // V8 gives no position for an unexpected token, and quotes the source; the message stays one line
    const yaml = parseSchemaJson({ file: 'mapping.yaml', text: '# a mapping\nusers:\n' }).diagnostics[0]!;
    expect(yaml.message).toBe("not valid JSON: Unexpected token '#'");
    expect(yaml.hint).toContain('starting with `{`');
  });

  it('JSON that is not a synchronizationSchema: SCHEMA_NOT_A_SCHEMA with a hint where to get one', () => {
    for (const [json, found] of [
      [[1, 2], 'it holds a list, not an object'],
      [{ users: [] }, 'the object has no `synchronizationRules`'],
      [{ synchronizationRules: 'x' }, 'has `synchronizationRules` as the string "x", not a list'],
    ] as const) {
      const r = importSchema(json, 'x.json');
      expect(r.job).toBeNull();
      expect(r.yaml).toBe('');
      expect(r.notes).toHaveLength(1);
      expect(r.notes[0]).toMatchObject({ severity: 'error', code: 'SCHEMA_NOT_A_SCHEMA', file: 'x.json' });
      expect(r.notes[0]!.message).toContain(found);
      expect(r.notes[0]!.hint).toContain('/synchronization/jobs/{jobId}/schema');
    }
  });

  it('a schema without a User object mapping is an error; a synchronizationTemplate wrapping one is read', () => {
    const r = importSchema(
      { synchronizationRules: [{ objectMappings: [{ sourceObjectName: 'Group', attributeMappings: [] }] }] },
      'x.json',
    );
    expect(codes(r.notes)).toEqual(['error SCHEMA_NO_USER_MAPPING']);
    expect(r.job).toBeNull();
    const wrapped = importSchema({ id: 'scim', schema: fixture() }, 'template.json');
    expect(wrapped.notes).toEqual([]);
    expect(wrapped.job!.users.attributes).toHaveLength(23);
  });

  it('an output that would not load (no matching attribute left) is an error, and the job is null', () => {
    const schema = fixture();
    userRow(schema, 'userName')['matchingPriority'] = 0;
    const r = importSchema(schema, 's.json');
    expect(r.job).toBeNull();
    expect(codes(r.notes)).toEqual(['error MAPPING_NO_MATCHING_ATTRIBUTE']);
  });
});

describe('mappingsImportCommand', () => {
  let dir: string | null = null;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = null;
  });

  function deps(): CliDeps & { out: { stdout: string; stderr: string } } {
    const out = { stdout: '', stderr: '' };
    return {
      out,
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      env: {},
      clock: systemClock,
      random: seededRandom(1),
      isTTY: false,
      cwd: process.cwd(),
    };
  }

  it('prints the YAML to stdout, exit 0; --output writes the file, which loads', async () => {
    const d = deps();
    expect((await mappingsImportCommand({ schema: FIXTURE }, d)).exitCode).toBe(0);
    expect(d.out.stdout).toBe(importSchema(fixture(), FIXTURE).yaml);
    expect(d.out.stderr).toBe('');

    dir = mkdtempSync(join(tmpdir(), 'provsim-import-'));
    const output = join(dir, 'mapping.yaml');
    const d2 = deps();
    const r = await mappingsImportCommand({ schema: FIXTURE, output }, d2);
    expect(r.exitCode).toBe(0);
    expect(d2.out.stdout).toBe('');
    expect(d2.out.stderr).toBe(`provsim: wrote ${output}\n`);
    const loaded = await loadJob(output);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.job).toEqual(r.job);
  });

  it('notes go to stderr as file: warning CODE: message', async () => {
    dir = mkdtempSync(join(tmpdir(), 'provsim-import-'));
    const schema = fixture();
    userRow(schema, 'title')['flowType'] = 'ValueAddOnly';
    const file = join(dir, 'schema.json');
    writeFileSync(file, JSON.stringify(schema));
    const d = deps();
    expect((await mappingsImportCommand({ schema: file }, d)).exitCode).toBe(0);
    expect(d.out.stderr).toBe(
      `${file}: warning SCHEMA_UNSUPPORTED_FLOW_TYPE: synchronizationRules[0].objectMappings[1].attributeMappings[3] (title): flowType ValueAddOnly cannot be carried over; imported as apply: always\n  hint: provsim knows Always and ObjectAddOnly (Only during creation); check how your app should receive this attribute\n`,
    );
    expect(d.out.stdout).toContain('# Notes (1):');
  });

  it('bad JSON, a missing file, not a schema: diagnostics on stderr, nothing written, exit 2', async () => {
    dir = mkdtempSync(join(tmpdir(), 'provsim-import-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "synchronizationRules": [\n');
    const output = join(dir, 'out.yaml');
    const d = deps();
    expect((await mappingsImportCommand({ schema: bad, output }, d)).exitCode).toBe(2);
    expect(d.out.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: error SCHEMA_SYNTAX: not valid JSON`));
    expect(d.out.stdout).toBe('');

    const d2 = deps();
    expect((await mappingsImportCommand({ schema: join(dir, 'nope.json') }, d2)).exitCode).toBe(2);
    expect(d2.out.stderr).toContain('error SCHEMA_READ_FAILED: cannot read the schema file: no such file or directory');

    const notSchema = join(dir, 'job.json');
    writeFileSync(notSchema, '{"id": "scim.x", "status": {}}');
    const d3 = deps();
    expect((await mappingsImportCommand({ schema: notSchema, output }, d3)).exitCode).toBe(2);
    expect(d3.out.stderr).toContain('error SCHEMA_NOT_A_SCHEMA');
    expect(d3.out.stderr).toContain('nothing was written');
    expect(() => readFileSync(output)).toThrow();
  });
});
