import { describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA, parseTargetPath, readPath } from '../../src/mapping/target-path.js';

describe('parseTargetPath', () => {
  it.each([
    ['userName', { schema: null, attribute: 'userName', filter: null, subAttribute: null }],
    ['name.givenName', { schema: null, attribute: 'name', filter: null, subAttribute: 'givenName' }],
    ['emails[type eq "work"].value', { schema: null, attribute: 'emails', filter: { attribute: 'type', value: 'work' }, subAttribute: 'value' }],
    ['roles[primary eq "True"].value', { schema: null, attribute: 'roles', filter: { attribute: 'primary', value: 'True' }, subAttribute: 'value' }],
    [`${ENTERPRISE_USER_SCHEMA}:department`, { schema: ENTERPRISE_USER_SCHEMA, attribute: 'department', filter: null, subAttribute: null }],
    ['urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter', { schema: 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User', attribute: 'costCenter', filter: null, subAttribute: null }],
  ])('%s', (raw, expected) => {
    expect(parseTargetPath(raw)).toEqual({ raw, ...expected });
  });

  it.each(['', 'emails[type eq "work"', 'a b', 'emails[type co "x"].value', 'urn:x'])('rejects %j', (raw) => {
    expect(parseTargetPath(raw)).toBeNull();
  });
});

describe('readPath', () => {
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
  const read = (raw: string): unknown => readPath(user, parseTargetPath(raw)!);

  it('reads plain, dotted, filtered and extension paths, case-insensitively on names', () => {
    expect(read('username')).toBe('Alice@Contoso.com');
    expect(read('name.givenName')).toBe('Alice');
    expect(read('emails[type eq "work"].value')).toBe('alice@contoso.com');
    expect(read(`${ENTERPRISE_USER_SCHEMA}:department`)).toBe('Sales');
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
