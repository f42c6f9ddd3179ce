import { describe, expect, it } from 'vitest';
import {
  attributePathOrNull,
  isBooleanPath,
  isIdTarget,
  parseAttributePath,
  readAttributePath,
  targetKey,
  toJsonBoolean,
} from '../../src/scim/attribute-path.js';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from '../../src/scim/types.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('parseAttributePath', () => {
  it.each([
    ['userName', { schema: null, attribute: 'userName', filter: null, subAttribute: null }],
    ['name.givenName', { schema: null, attribute: 'name', filter: null, subAttribute: 'givenName' }],
    [
      'emails[type eq "work"].value',
      { schema: null, attribute: 'emails', filter: { attribute: 'type', value: 'work' }, subAttribute: 'value' },
    ],
    [`${ENTERPRISE}:department`, { schema: ENTERPRISE, attribute: 'department', filter: null, subAttribute: null }],
    [`${ENTERPRISE}:manager.value`, { schema: ENTERPRISE, attribute: 'manager', filter: null, subAttribute: 'value' }],
    [
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter',
      {
        schema: 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User',
        attribute: 'costCenter',
        filter: null,
        subAttribute: null,
      },
    ],
    [
      'roles[primary eq "True"].value',
      { schema: null, attribute: 'roles', filter: { attribute: 'primary', value: 'True' }, subAttribute: 'value' },
    ],
    // A core attribute written with its core schema URN is the same attribute as without it; `raw` keeps the text.
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName', { schema: null, attribute: 'userName', filter: null, subAttribute: null }],
    [
      'URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP:displayName',
      { schema: null, attribute: 'displayName', filter: null, subAttribute: null },
    ],
  ])('accepts %s', (text, path) => {
    expect(parseAttributePath(text)).toEqual({ ok: true, path: { raw: text, ...path } });
  });

  it.each([
    ['', 0, 'the target path is empty'],
    ['emails[type eq "work".value', 6, '`[` is never closed'],
    ['emails]type', 6, '`]` without a matching `[`'],
    ['emails[type eq [x]].value', 15, '`[` inside the filter opened at character 7'],
    [
      'emails[type eq "work"][x].value',
      22,
      'a filtered attribute must be followed by `.<subAttribute>`, e.g. `emails[type eq "work"].value`',
    ],
    ['emails[type eq "work].value', 15, 'the opening `"` of the filter value is never closed'],
    ['user name', 4, 'spaces are not allowed in a target path (outside a filter value)'],
    ['emails[type = "work"].value', 11, 'a filter has the form `[type eq "value"]`'],
    ["emails[type eq 'work'].value", 15, 'the filter value must be in double quotes: `[type eq "value"]`'],
    ['emails[type eq "work"]', 22, 'a filtered attribute must be followed by `.<subAttribute>`, e.g. `emails[type eq "work"].value`'],
    ['name.givenName.first', 14, 'SCIM attributes have at most one level of sub-attributes'],
    ['name.', 5, 'expected a sub-attribute name after `.` at the end of the path'],
    ['9lives', 0, 'expected an attribute name, found `9`'],
    ['urn:ietf', 4, 'a schema URN must be followed by `:<attribute>`'],
    ['urn:x:attr', 5, 'a schema URN has the form urn:<namespace>:<name>, followed by `:<attribute>`'],
    ['urn:ietf::scim:attr', 9, 'empty segment in the schema URN'],
    ['name/givenName', 4, 'unexpected `/`'],
  ])('rejects %j at character %i', (text, index, message) => {
    expect(parseAttributePath(text)).toEqual({ ok: false, index, message });
  });
});

describe('attributePathOrNull', () => {
  it.each([
    ['userName', { schema: null, attribute: 'userName', filter: null, subAttribute: null }],
    ['name.givenName', { schema: null, attribute: 'name', filter: null, subAttribute: 'givenName' }],
    [
      'emails[type eq "work"].value',
      { schema: null, attribute: 'emails', filter: { attribute: 'type', value: 'work' }, subAttribute: 'value' },
    ],
    [
      'roles[primary eq "True"].value',
      { schema: null, attribute: 'roles', filter: { attribute: 'primary', value: 'True' }, subAttribute: 'value' },
    ],
    [`${ENTERPRISE_USER_SCHEMA}:department`, { schema: ENTERPRISE_USER_SCHEMA, attribute: 'department', filter: null, subAttribute: null }],
    [
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter',
      {
        schema: 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User',
        attribute: 'costCenter',
        filter: null,
        subAttribute: null,
      },
    ],
    [`${CORE_USER_SCHEMA}:active`, { schema: null, attribute: 'active', filter: null, subAttribute: null }],
  ])('%s', (raw, expected) => {
    expect(attributePathOrNull(raw)).toEqual({ raw, ...expected });
  });

  it.each(['', 'emails[type eq "work"', 'a b', 'emails[type co "x"].value', 'urn:x'])('rejects %j', (raw) => {
    expect(attributePathOrNull(raw)).toBeNull();
  });
});

describe('isIdTarget and targetKey', () => {
  const path = (t: string) => {
    const r = parseAttributePath(t);
    if (!r.ok) throw new Error(r.message);
    return r.path;
  };

  it('recognizes the primary key id, with or without the core schema', () => {
    expect(isIdTarget(path('id'))).toBe(true);
    expect(isIdTarget(path('ID'))).toBe(true);
    expect(isIdTarget(path('urn:ietf:params:scim:schemas:core:2.0:User:id'))).toBe(true);
    expect(isIdTarget(path(`${ENTERPRISE}:id`))).toBe(false);
    expect(isIdTarget(path('externalId'))).toBe(false);
  });

  it('compares paths ignoring case and the core schema URN', () => {
    expect(targetKey(path('userName'))).toBe(targetKey(path('urn:ietf:params:scim:schemas:core:2.0:User:USERNAME')));
    expect(targetKey(path('emails[type eq "work"].value'))).toBe(targetKey(path('Emails[Type eq "Work"].Value')));
    expect(targetKey(path('emails[type eq "work"].value'))).not.toBe(targetKey(path('emails[type eq "home"].value')));
    expect(targetKey(path(`${ENTERPRISE}:department`))).not.toBe(targetKey(path('department')));
  });
});

describe('readAttributePath', () => {
  const user = {
    userName: 'Alice@Contoso.com',
    active: false,
    name: { givenName: 'Alice' },
    emails: [
      { type: 'other', value: 'a@other.example' },
      { type: 'Work', value: 'alice@contoso.com', primary: true },
    ],
    [ENTERPRISE_USER_SCHEMA]: { department: 'Sales', manager: { value: 'm-1' } },
  };
  const read = (raw: string): unknown => readAttributePath(user, attributePathOrNull(raw)!);

  it('reads plain, dotted, filtered and extension paths, case-insensitively on names', () => {
    expect(read('username')).toBe('Alice@Contoso.com');
    expect(read('name.givenName')).toBe('Alice');
    expect(read('emails[type eq "work"].value')).toBe('alice@contoso.com');
    expect(read(`${ENTERPRISE_USER_SCHEMA}:department`)).toBe('Sales');
  });

  it('reads a core attribute written with its core schema URN from the top level', () => {
    expect(read(`${CORE_USER_SCHEMA}:userName`)).toBe('Alice@Contoso.com');
  });

  it('normalises booleans to Entra strings and complex manager to its id', () => {
    expect(read('active')).toBe('False');
    expect(read(`${ENTERPRISE_USER_SCHEMA}:manager`)).toBe('m-1');
  });

  it('returns null for absent values and unmatched filters', () => {
    expect(read('title')).toBeNull();
    expect(read('phoneNumbers[type eq "work"].value')).toBeNull();
    expect(read('name.familyName')).toBeNull();
  });
});

describe('isBooleanPath and toJsonBoolean', () => {
  it('treats `active` (any case, with or without the core schema URN) as boolean, nothing else', () => {
    expect(isBooleanPath(attributePathOrNull('active')!)).toBe(true);
    expect(isBooleanPath(attributePathOrNull('Active')!)).toBe(true);
    expect(isBooleanPath(attributePathOrNull(`${CORE_USER_SCHEMA}:active`)!)).toBe(true);
    expect(isBooleanPath(attributePathOrNull(`${ENTERPRISE_USER_SCHEMA}:active`)!)).toBe(false);
    expect(isBooleanPath(attributePathOrNull('name.active')!)).toBe(false);
    expect(isBooleanPath(attributePathOrNull('userName')!)).toBe(false);
  });

  it('turns "True"/"False" in any case into JSON booleans and leaves other text alone', () => {
    expect(toJsonBoolean('True')).toBe(true);
    expect(toJsonBoolean('false')).toBe(false);
    expect(toJsonBoolean('yes')).toBe('yes');
  });
});
