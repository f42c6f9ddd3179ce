import { describe, expect, it } from 'vitest';
import { isIdTarget, parseTargetPath, targetKey } from '../../src/mapping-file/target-path.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

describe('parseTargetPath', () => {
  it.each([
    ['userName', { schema: null, attribute: 'userName', filter: null, subAttribute: null }],
    ['name.givenName', { schema: null, attribute: 'name', filter: null, subAttribute: 'givenName' }],
    ['emails[type eq "work"].value', { schema: null, attribute: 'emails', filter: { attribute: 'type', value: 'work' }, subAttribute: 'value' }],
    [`${ENTERPRISE}:department`, { schema: ENTERPRISE, attribute: 'department', filter: null, subAttribute: null }],
    [`${ENTERPRISE}:manager.value`, { schema: ENTERPRISE, attribute: 'manager', filter: null, subAttribute: 'value' }],
    [
      'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User:costCenter',
      { schema: 'urn:ietf:params:scim:schemas:extension:CustomExtensionName:2.0:User', attribute: 'costCenter', filter: null, subAttribute: null },
    ],
    ['roles[primary eq "True"].value', { schema: null, attribute: 'roles', filter: { attribute: 'primary', value: 'True' }, subAttribute: 'value' }],
  ])('accepts %s', (text, path) => {
    expect(parseTargetPath(text)).toEqual({ ok: true, path });
  });

  it.each([
    ['', 0, 'the target path is empty'],
    ['emails[type eq "work".value', 6, '`[` is never closed'],
    ['emails]type', 6, '`]` without a matching `[`'],
    ['emails[type eq [x]].value', 15, '`[` inside the filter opened at character 7'],
    ['emails[type eq "work"][x].value', 22, 'a filtered attribute must be followed by `.<subAttribute>`, e.g. `emails[type eq "work"].value`'],
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
    expect(parseTargetPath(text)).toEqual({ ok: false, index, message });
  });
});

describe('isIdTarget and targetKey', () => {
  const path = (t: string) => {
    const r = parseTargetPath(t);
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
