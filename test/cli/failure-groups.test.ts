import { describe, expect, it } from 'vitest';
import { failureSignature, groupFailures, normaliseDetail, renderFailureGroups } from '../../src/cli/render/failure-groups.js';
import { plainStyle, type Style } from '../../src/cli/render/style.js';
import type { LogEntry } from '../../src/model/records.js';
import { aFailedEntry, aScimError } from '../helpers/builders.js';

const conflict = (name: string, email: string): LogEntry =>
  aFailedEntry(name, {
    method: 'POST',
    status: 409,
    code: 'EntryConflict',
    body: aScimError(409, 'uniqueness', `userName '${email}' already exists`),
  });
const capitalised = (name: string, op = 'Replace', index = 1): LogEntry =>
  aFailedEntry(name, {
    body: aScimError(400, 'invalidSyntax', `Operation ${index} of the PATCH body has op '${op}'; use add, remove or replace`),
  });

describe('normaliseDetail: values that differ from object to object are placeholders', () => {
  it.each([
    ['emails', "userName 'a@x' already exists", "userName 'b@x' already exists"],
    ['emails unquoted', 'user ann@contoso.com exists', 'user bob.smith@fabrikam.co.uk exists'],
    ['GUIDs', 'User 3c9098f3-5c6e-45cd-b346-e6203886c3b2 not found', 'User 4BDF0811-4FBF-4C96-8327-133B70676E71 not found'],
    ['numbers', 'Operation 1 of the PATCH body is invalid', 'Operation 12 of the PATCH body is invalid'],
    ['single-quoted values', "op 'Add' is not supported", "op 'Replace' is not supported"],
    ['double-quoted values', 'value "False" is not a boolean', 'value "True" is not a boolean'],
    ['backquoted values', 'attribute `title` too long', 'attribute `department` too long'],
    ['an apostrophe inside a quoted value', "displayName 'Siobhán O'Connor' is taken", "displayName 'Ann Lee' is taken"],
    ['URLs', 'see http://127.0.0.1:4000/scim/v2/Users/t-1 for details', 'see https://app.example.com/Users/77 for details'],
    ['hex ids', 'object 5f8c1c98e8b34c47a1 is locked', 'object 0a1b2c3d4e5f60718293 is locked'],
    ['spaces and case', 'Invalid   Value', 'invalid value'],
  ])('%s', (_, a, b) => {
    expect(normaliseDetail(a)).toBe(normaliseDetail(b));
  });

  it.each([
    ['the attribute named outside quotes', 'userName already exists', 'displayName already exists'],
    ['the words of the message', "op 'Add' is not supported", "op 'Add' is required"],
    ['an apostrophe in an unquoted word', "O'Connor is invalid", 'Connor is invalid'],
  ])('keeps %s', (_, a, b) => {
    expect(normaliseDetail(a)).not.toBe(normaliseDetail(b));
  });
});

describe('failureSignature: the failing request and answer of an entry', () => {
  it('a SCIM error: method, path shape, status, scimType and detail', () => {
    const s = failureSignature(capitalised('ann'));
    expect(s).toMatchObject({
      method: 'PATCH',
      path: '/Users/{id}',
      status: 400,
      scimType: 'invalidSyntax',
      part: 'object',
      network: null,
    });
    expect(s.detail).toBe("Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace");
  });

  it('a failed reference: what the request wrote', () => {
    expect(failureSignature(aFailedEntry('ann', { part: 'manager' })).part).toBe('manager');
    expect(failureSignature(aFailedEntry('Sales', { type: 'Group', part: 'members' })).part).toBe('members');
  });

  it('a matching query: the filter is part of the path, its value is not', () => {
    const e = aFailedEntry('ann', { method: 'GET', url: 'http://h/scim/v2/Users?filter=userName+eq+%22ann%40contoso.com%22' });
    expect(failureSignature(e).path).toBe('/Users?filter=…');
  });

  it('no response: the network code and the reason from the client message', () => {
    const s = failureSignature(aFailedEntry('ann', { method: 'POST', status: null, code: 'Timeout', network: 'ECONNABORTED' }));
    expect(s).toMatchObject({ status: null, network: 'ECONNABORTED', detail: 'ECONNABORTED: socket hang up' });
  });

  it('no request failed: the reason is the detail', () => {
    const s = failureSignature(aFailedEntry('ann', { method: null, code: 'DuplicateTargetEntries', reason: '2 target objects match' }));
    expect(s).toMatchObject({
      method: null,
      path: null,
      status: null,
      errorCode: 'DuplicateTargetEntries',
      detail: '2 target objects match',
    });
  });

  it('an HTML error page: its text without tags', () => {
    const body = '<html><head><style>p{}</style><title>502 Bad Gateway</title></head><body><h1>Bad   Gateway</h1></body></html>';
    expect(failureSignature(aFailedEntry('ann', { status: 502, body })).detail).toBe('502 Bad Gateway Bad Gateway');
  });

  it('a JSON body that is not a SCIM error: the JSON', () => {
    expect(failureSignature(aFailedEntry('ann', { body: { error: 'nope' } })).detail).toBe('{"error":"nope"}');
  });
});

describe('groupFailures', () => {
  it('one cause for messages that differ only in per-object values, counted and quoted as an example', () => {
    const groups = groupFailures([conflict('Ann', 'ann@contoso.com'), conflict('Bob', 'bob@contoso.com')]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 2, objectType: 'User', detailVaries: true, examples: ['Ann', 'Bob'] });
    expect(groups[0]!.causeLine).toBe(`2 users: POST /Users → 409 uniqueness, e.g. "userName 'ann@contoso.com' already exists"`);
  });

  it('the same message for every object is quoted as it is', () => {
    const groups = groupFailures([capitalised('Ann'), capitalised('Bob')]);
    expect(groups[0]!.causeLine).toBe(
      `2 users: PATCH /Users/{id} → 400 invalidSyntax "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"`,
    );
  });

  it.each<[string, LogEntry]>([
    [
      'the method',
      aFailedEntry('Bob', {
        method: 'POST',
        body: aScimError(400, 'invalidSyntax', "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"),
      }),
    ],
    [
      'the object type',
      aFailedEntry('Bob', {
        type: 'Group',
        body: aScimError(400, 'invalidSyntax', "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"),
      }),
    ],
    [
      'the status',
      aFailedEntry('Bob', {
        status: 422,
        body: aScimError(422, 'invalidSyntax', "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"),
      }),
    ],
    [
      'the scimType',
      aFailedEntry('Bob', {
        body: aScimError(400, 'invalidValue', "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"),
      }),
    ],
    [
      'the error code',
      aFailedEntry('Bob', {
        code: 'SchemaAttributeNotFound',
        body: aScimError(400, 'invalidSyntax', "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"),
      }),
    ],
    [
      'what the request wrote',
      aFailedEntry('Bob', {
        part: 'manager',
        body: aScimError(400, 'invalidSyntax', "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"),
      }),
    ],
    [
      'the words of the detail',
      aFailedEntry('Bob', { body: aScimError(400, 'invalidSyntax', "Operation 1 of the PATCH body has op 'Replace'; use lowercase") }),
    ],
  ])('a different %s is a different cause', (_, other) => {
    expect(groupFailures([capitalised('Ann'), other])).toHaveLength(2);
    expect(groupFailures([capitalised('Ann'), capitalised('Cid', 'Add', 3)])).toHaveLength(1);
  });

  it('the largest group first; equal counts in order of first appearance', () => {
    const groups = groupFailures([
      aFailedEntry('Solo', { status: 500 }),
      conflict('A1', 'a1@x'),
      capitalised('C1'),
      capitalised('C2'),
      conflict('A2', 'a2@x'),
      capitalised('C3'),
    ]);
    expect(groups.map((g) => [g.count, g.examples[0]])).toEqual([
      [3, 'C1'],
      [2, 'A1'],
      [1, 'Solo'],
    ]);
  });

  it('counts objects, not entries: an object that failed in two cycles is one of the count, both entries kept', () => {
    const again = { ...capitalised('Ann'), id: 'log-ann-2', cycleId: 'cycle-2' };
    const [group] = groupFailures([capitalised('Ann'), again, capitalised('Bob')]);
    expect(group).toMatchObject({ count: 2, examples: ['Ann', 'Bob'] });
    expect(group!.entries).toHaveLength(3);
  });

  it('up to 3 examples, by display name', () => {
    const [group] = groupFailures(['A', 'B', 'C', 'D', 'E'].map((n) => capitalised(n)));
    expect(group!.examples).toEqual(['A', 'B', 'C']);
  });

  it('entries that are not failures are left out', () => {
    const ok: LogEntry = { ...capitalised('Ann'), status: 'Success', errorCode: null, errorReason: null, errorDetails: null };
    expect(groupFailures([ok, { ...ok, status: 'Skipped' }])).toEqual([]);
  });

  it('no response, and no request at all, have cause lines of their own', () => {
    const groups = groupFailures([
      aFailedEntry('Ann', { method: 'POST', status: null, code: 'Timeout', network: 'ETIMEDOUT' }),
      aFailedEntry('Bob', { method: null, code: 'DuplicateTargetEntries', reason: '2 target objects have userName eq "bob@x"' }),
    ]);
    expect(groups.map((g) => g.causeLine)).toEqual([
      '1 user: POST /Users → no response (ETIMEDOUT) "ETIMEDOUT: socket hang up"',
      '1 user: DuplicateTargetEntries "2 target objects have userName eq "bob@x""',
    ]);
  });

  it('each group carries the hint its cause gets, or none', () => {
    const groups = groupFailures([capitalised('Ann'), aFailedEntry('Bob', { body: aScimError(400, null, 'nothing recognisable here') })]);
    expect(groups.map((g) => g.hint?.rule ?? null)).toEqual(['capitalised-ops', null]);
  });
});

describe('renderFailureGroups', () => {
  const mixed = (): LogEntry[] => [
    conflict('Ann', 'ann@x'),
    capitalised('Cai'),
    capitalised('Dee', 'Add'),
    capitalised('Eve'),
    capitalised('Fay'),
    aFailedEntry('Gus', { body: aScimError(400, null, 'nothing recognisable here') }),
  ];

  it('largest first, each with its cause, error code and examples, its hint and where the hint comes from; the pointer to every entry', () => {
    const text = renderFailureGroups(groupFailures(mixed()), plainStyle, { token: null });
    expect(text.split('\n')).toEqual([
      'failures (6 objects, 3 causes; every entry: provsim logs --status Failure):',
      `  ✗ 4 users: PATCH /Users/{id} → 400 invalidSyntax, e.g. "Operation 1 of the PATCH body has op 'Replace'; use add, remove or replace"`,
      '      UnprocessableEntity; e.g. Cai, Dee, Eve and 1 more',
      '      first: PATCH http://127.0.0.1:8080/scim/v2/Users/t-Cai → 400',
      expect.stringMatching(/^ {6}hint: your server rejects the legacy dialect's capitalised PATCH ops .*\?aadOptscim062020/),
      '      evidence: legacy-patch-ops (provsim quirks); on its own: provsim conformance --only quirk.capitalised-ops',
      `  ✗ 1 user: POST /Users → 409 uniqueness "userName 'ann@x' already exists"`,
      '      EntryConflict; e.g. Ann',
      '      first: POST http://127.0.0.1:8080/scim/v2/Users → 409',
      expect.stringMatching(/^ {6}hint: an object with this userName already exists in the target/),
      '      evidence: filter-encoding (provsim quirks); RFC 7644 §3.12; on its own: provsim conformance --only protocol.filter',
      '  ✗ 1 user: PATCH /Users/{id} → 400 "nothing recognisable here"',
      '      UnprocessableEntity; e.g. Gus',
      '      first: PATCH http://127.0.0.1:8080/scim/v2/Users/t-Gus → 400',
    ]);
  });

  it('a hint already shown for a larger group is referred to, not repeated', () => {
    const text = renderFailureGroups(
      groupFailures([
        capitalised('Ann'),
        capitalised('Bob'),
        aFailedEntry('Cid', { part: 'manager', body: aScimError(400, 'invalidSyntax', "op 'Add' is not valid") }),
      ]),
      plainStyle,
      { token: null },
    );
    expect(text.match(/hint: your server rejects the legacy dialect's capitalised/g)).toHaveLength(1);
    expect(text).toContain('      hint: as above (capitalised-ops)');
  });

  it('more causes than maxGroups: the rest counted in one line with the pointer', () => {
    const text = renderFailureGroups(groupFailures(mixed()), plainStyle, { token: null }, { maxGroups: 1 });
    expect(text).toContain('  ✗ 4 users:');
    expect(text).not.toContain('Gus');
    expect(text.split('\n').at(-1)).toBe('  … and 2 more causes (2 objects): provsim logs --status Failure');
  });

  it('no failures, no text', () => {
    expect(renderFailureGroups([], plainStyle, { token: null })).toBe('');
  });

  it("the server's text is shortened to maxDetail characters", () => {
    const long = 'x'.repeat(500);
    const text = renderFailureGroups(
      groupFailures([aFailedEntry('Ann', { body: aScimError(400, null, long) })]),
      plainStyle,
      { token: null },
      { maxDetail: 50 },
    );
    expect(text).toContain(`"${'x'.repeat(49)}…"`);
    expect(text).not.toContain('x'.repeat(50));
  });

  it('a token the server echoes is redacted before the text is shortened, so no part of it is left', () => {
    const token = 'SECRET-TOKEN-8d1f37ac';
    const echoed = `${'y'.repeat(40)} token ${token} rejected`;
    for (const maxDetail of [48, 52, 56, 200]) {
      const text = renderFailureGroups(
        groupFailures([aFailedEntry('Ann', { status: 400, body: aScimError(400, null, echoed) })]),
        plainStyle,
        { token },
        { maxDetail },
      );
      expect(text).not.toContain('SECR');
      expect(text).not.toContain('8d1f37ac');
    }
    const full = renderFailureGroups(groupFailures([aFailedEntry('Ann', { body: aScimError(400, null, echoed) })]), plainStyle, { token });
    expect(full).toContain('token [REDACTED] rejected');
  });

  it('colours through the Style: the count and cause red, the hint label bold, the evidence dim', () => {
    const tag =
      (name: string) =>
      (text: string): string =>
        `<${name}>${text}</${name}>`;
    const style: Style = { add: tag('add'), change: tag('change'), remove: tag('remove'), dim: tag('dim'), bold: tag('bold') };
    const text = renderFailureGroups(groupFailures([capitalised('Ann'), capitalised('Bob')]), style, { token: null });
    expect(text).toContain('<remove>✗ 2 users</remove>: PATCH');
    expect(text).toContain('<bold>hint:</bold> your server rejects');
    expect(text).toContain('<dim>evidence: legacy-patch-ops');
    expect(text.startsWith('<bold>failures (2 objects, 1 cause;')).toBe(true);
  });
});
