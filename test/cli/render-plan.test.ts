/**
 * The dry run's plan view (src/cli/render/plan.ts) over plans the real diff makes from builder scenarios:
 * creates with their POST body's attributes by SCIM path, updates old → new, members by name, skips grouped
 * by reason, failures, the closing line, colour, and under -v the requests as apply would send them.
 */
import { describe, expect, it } from 'vitest';
import {
  emptyTally,
  flattenResource,
  planSummary,
  renderPlan,
  renderPlanTotals,
  tallyPlan,
  type PlanWire,
} from '../../src/cli/render/plan.js';
import { colorStyle, plainStyle } from '../../src/cli/render/style.js';
import { diff } from '../../src/engine/diff.js';
import type { CreateChange, Plan } from '../../src/engine/plan.js';
import { defaultQuirks } from '../../src/scim/quirks.js';
import {
  aGroup,
  aGroupAnchor,
  aJob,
  aJobWithUserRows,
  anAnchor,
  aTenant,
  aUser,
  diffInputOf,
  duplicate,
  id,
  notFound,
  readBack,
  readFailed,
  type Scenario,
} from '../helpers/builders.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const BASE = 'http://127.0.0.1:9/scim/v2';
const ANSI = /\u001b\[[0-9;]*m/;

const planOf = (s: Scenario): Plan => diff(diffInputOf(s));
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The lines of the block whose header contains `header`, up to the next blank line. */
function block(text: string, header: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes(header));
  expect(start, `no block ${header} in\n${text}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

/** The requests printed under -v: `→ METHOD URL` and the JSON body on the next line. */
function printed(lines: readonly string[]): Array<{ method: string; url: string; body: unknown }> {
  const out: Array<{ method: string; url: string; body: unknown }> = [];
  lines.forEach((line, i) => {
    const m = /^ {6}→ (POST|PATCH|DELETE) (.+)$/.exec(line);
    if (!m) return;
    const next = lines[i + 1] ?? '';
    out.push({ method: m[1]!, url: m[2]!, body: /^ {8}\{/.test(next) ? (JSON.parse(next.trim()) as unknown) : undefined });
  });
  return out;
}

function wireFor(s: Scenario, over: Partial<PlanWire> = {}): PlanWire {
  const links = new Map((s.links ?? []).map((a) => [a.sourceId, a.targetId]));
  return {
    baseUrl: BASE,
    quirks: defaultQuirks(s.dialect ?? 'legacy'),
    membersPerPatch: 100,
    linkedTargetId: (sourceId) => links.get(sourceId) ?? null,
    ...over,
  };
}

describe('flattenResource', () => {
  it('gives SCIM paths: nested, typed multi-valued elements, extension URNs; leaves schemas and meta out', () => {
    const rows = flattenResource({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ann@contoso.com',
      active: true,
      name: { givenName: 'Ann', familyName: 'Lee' },
      emails: [{ type: 'work', value: 'ann@contoso.com', primary: true }],
      phoneNumbers: [
        { type: 'work', value: '1' },
        { type: 'mobile', value: '2' },
      ],
      roles: [],
      members: [{ value: 'x' }],
      [ENTERPRISE]: { department: 'Sales', manager: { value: 't-boss' } },
      meta: { resourceType: 'User' },
    });
    expect(rows).toEqual([
      ['userName', 'ann@contoso.com'],
      ['active', true],
      ['name.givenName', 'Ann'],
      ['name.familyName', 'Lee'],
      ['emails[type eq "work"].value', 'ann@contoso.com'],
      ['emails[type eq "work"].primary', true],
      ['phoneNumbers[type eq "work"].value', '1'],
      ['phoneNumbers[type eq "mobile"].value', '2'],
      ['roles', []],
      ['members', [{ value: 'x' }]],
      [`${ENTERPRISE}:department`, 'Sales'],
      [`${ENTERPRISE}:manager.value`, 't-boss'],
    ]);
  });
});

describe('renderPlan', () => {
  const wide = aJobWithUserRows([
    '{target: name.givenName, source: mailNickname}',
    '{target: \'emails[type eq "work"].value\', source: userPrincipalName}',
    `{target: '${ENTERPRISE}:department', source: department}`,
  ]);

  it('a create: its header, then every attribute of its POST body by SCIM path, as the wire carries it', () => {
    const scenario: Scenario = {
      tenant: aTenant([aUser('jose', { displayName: 'José Müller', department: 'Sales' })]),
      job: wide,
      observed: { jose: notFound('jose') },
    };
    const plan = planOf(scenario);
    const create = plan.objects[0] as CreateChange;
    expect(create.action).toBe('create');
    const text = renderPlan(plan);
    const lines = block(text, "+ User 'José Müller' (create)");
    expect(lines[0]).toBe("  + User 'José Müller' (create)");
    const attributes = flattenResource(create.body);
    // The paths the mapping names are there, nested and extension ones included.
    expect(attributes.map(([p]) => p)).toEqual(
      expect.arrayContaining(['userName', 'name.givenName', 'emails[type eq "work"].value', `${ENTERPRISE}:department`]),
    );
    expect(lines.slice(1)).toHaveLength(attributes.length);
    for (const [path, value] of attributes) {
      const shown = path.replace(`${ENTERPRISE.slice(0, ENTERPRISE.indexOf('enterprise'))}`, 'urn:…:');
      expect(lines.slice(1), `${path} in\n${lines.join('\n')}`).toContainEqual(
        expect.stringMatching(new RegExp(`^ {6}${escape(shown)}: +${escape(JSON.stringify(value))}$`)),
      );
    }
    expect(text).toMatch(/^ {6}urn:…:enterprise:2\.0:User:department: "Sales"$/m);
    expect(text).toMatch(/^ {6}name\.givenName: +"jose"$/m);
    expect(text).not.toContain('schemas');
  });

  it('keeps the summary line first, and closes with the terraform-style counts', () => {
    const plan = planOf({ tenant: aTenant([aUser('ann'), aUser('bob')]), observed: { ann: notFound('ann'), bob: notFound('bob') } });
    const lines = renderPlan(plan).split('\n');
    expect(lines[0]).toBe(planSummary(plan));
    expect(lines[0]).toMatch(/^plan \(incremental cycle, legacy dialect\): 2 to create, 0 to update, 0 to disable, 0 to delete, /);
    expect(lines.at(-1)).toBe('Plan: 2 to create, 0 to update, 0 to disable, 0 to delete.');
  });

  it('a batch of a dry run planned in batches: named in the summary; the totals add up every batch', () => {
    const created = planOf({ tenant: aTenant([aUser('ann'), aUser('bob')]), observed: { ann: notFound('ann'), bob: notFound('bob') } });
    const nothing = planOf({ tenant: aTenant([aUser('ann')]), links: [anAnchor('ann')], observed: { ann: readBack('ann') } });
    const lines = renderPlan(created, {}, { index: 2, count: 5 }).split('\n');
    expect(lines[0]).toBe(`batch 2/5: ${planSummary(created)}`);
    expect(lines.at(-1)).toBe('Plan: 2 to create, 0 to update, 0 to disable, 0 to delete.');
    const tally = tallyPlan(nothing, tallyPlan(created, tallyPlan(created)));
    expect(renderPlanTotals(tally, 3, 3)).toBe('Plan, all 3 batches: 4 to create, 0 to update, 0 to disable, 0 to delete.');
    expect(renderPlanTotals(tally, 3, 7)).toBe(
      'Plan so far, 3 of 7 batches (the dry run stopped): 4 to create, 0 to update, 0 to disable, 0 to delete.',
    );
    expect(renderPlanTotals(tallyPlan(nothing, emptyTally()), 2, 2)).toBe(
      'Plan, all 2 batches: no changes: the target already matches; a sync would send nothing but reads.',
    );
  });

  it('says so when nothing would be sent', () => {
    const plan = planOf({ tenant: aTenant([aUser('ann')]), links: [anAnchor('ann')], observed: { ann: readBack('ann') } });
    expect(plan.objects.map((c) => c.action)).toEqual(['skip']);
    expect(renderPlan(plan).split('\n').at(-1)).toMatch(/^No changes/);
  });

  it('an update: each attribute old → new, from the target as read', () => {
    const plan = planOf({
      tenant: aTenant([aUser('ann', { displayName: 'Annie' })]),
      links: [anAnchor('ann')],
      observed: { ann: readBack('ann') },
    });
    const lines = block(renderPlan(plan), "User 'Annie'");
    expect(lines[0]).toBe("  ~ User 'Annie' [target id t-ann] (update)");
    expect(lines.slice(1)).toEqual(['      displayName: "Ann" → "Annie"']);
    expect(renderPlan(plan).split('\n').at(-1)).toBe('Plan: 0 to create, 1 to update, 0 to disable, 0 to delete.');
  });

  it('a disable with its reason and old → new; a delete with its reason', () => {
    const plan = planOf({ tenant: aTenant([aUser('bob')], [], []), links: [anAnchor('ann'), anAnchor('bob')] });
    const text = renderPlan(plan);
    const disable = block(text, "User 'Bob'");
    expect(disable[0]).toMatch(/^ {2}~ User 'Bob' \[target id t-bob\] \(disable: .*not assigned.*\)$/);
    expect(disable[1]).toBe('      active: "True" → "False"');
    expect(text).toContain("  - User 'Ann' [target id t-ann] (delete: hard-deleted in Entra)");
    expect(text.split('\n').at(-1)).toBe('Plan: 0 to create, 0 to update, 1 to disable, 1 to delete.');
  });

  it('members added and removed by name, in one block per group', () => {
    const tenant = aTenant([aUser('ann'), aUser('bob'), aUser('cy')], [aGroup('Sales', ['ann', 'bob'])], ['ann', 'bob', 'cy', 'Sales']);
    const scenario: Scenario = {
      tenant,
      links: [anAnchor('ann'), anAnchor('bob'), anAnchor('cy'), aGroupAnchor('Sales')],
      memberships: { Sales: ['ann', 'cy'] },
      work: ['Sales'],
    };
    const plan = planOf(scenario);
    expect(plan.references.map((c) => c.action)).toEqual(['add-members', 'remove-members']);
    const lines = block(renderPlan(plan, { wire: wireFor(scenario) }), "Group 'Sales'");
    expect(lines).toEqual(["  ~ Group 'Sales' [target id t-Sales] (members)", "      + member 'Bob'", "      - member 'Cy'"]);
    // Without the state's links the group's id is not known, and no member is said to lack one.
    expect(block(renderPlan(plan), "Group 'Sales'")).toEqual([
      "  ~ Group 'Sales' (members)",
      "      + member 'Bob'",
      "      - member 'Cy'",
    ]);
  });

  it('the manager by display name, old → new', () => {
    const ann = anAnchor('ann', {
      exported: { userName: 'ann@contoso.com', displayName: 'Ann', active: 'True', [`${ENTERPRISE}:manager`]: 't-boss' },
    });
    const plan = planOf({
      tenant: aTenant([aUser('boss'), aUser('carl'), aUser('ann', { manager: 'carl' })]),
      links: [anAnchor('boss'), anAnchor('carl'), ann],
      observed: {
        boss: readBack('boss'),
        carl: readBack('carl'),
        ann: readBack('ann', { [ENTERPRISE]: { manager: { value: 't-boss' } } }),
      },
    });
    const lines = block(
      renderPlan(plan, { wire: wireFor({ tenant: aTenant([]), links: [anAnchor('ann')] }) }),
      "User 'Ann' [target id t-ann] (manager)",
    );
    expect(lines[1]).toBe(`      urn:…:enterprise:2.0:User:manager: 'Boss' → 'Carl'`);
  });

  it('skips: one line per reason with the count and three names; each one with its reason under -v', () => {
    const names = ['ann', 'bob', 'cy', 'dan', 'eve'];
    const plan = planOf({
      tenant: aTenant([...names.map((n) => aUser(n)), aUser('fay')], [], ['fay']),
      links: [anAnchor('fay')],
      observed: { fay: readBack('fay') },
    });
    const text = renderPlan(plan);
    expect(text).toContain('  = 5 skipped: NotEffectivelyEntitled (not assigned): Ann, Bob, Cy, …');
    expect(text).toContain('  = 1 skipped: RedundantExport (unchanged): Fay');
    expect(text).not.toContain("User 'Dan'");
    const verbose = renderPlan(plan, { verbose: true });
    expect(verbose).not.toContain('skipped:');
    for (const n of ['Ann', 'Bob', 'Cy', 'Dan', 'Eve'])
      expect(verbose).toMatch(new RegExp(`^ {2}= User '${n}' \\(skip: NotEffectivelyEntitled: .+\\)$`, 'm'));
    expect(verbose).toMatch(/^ {2}= User 'Fay' \[target id t-fay\] \(skip: RedundantExport: .+\)$/m);
  });

  it('failures with their code and message; under -v the failed read', () => {
    const plan = planOf({
      tenant: aTenant([aUser('eve'), aUser('gus')]),
      links: [anAnchor('gus')],
      observed: { eve: duplicate('eve'), gus: readFailed('InternalServerError') },
    });
    const text = renderPlan(plan, { verbose: true });
    expect(text).toMatch(/^ {2}✗ User 'Eve' \(fail: DuplicateTargetEntries: 2 target objects have userName eq "eve@contoso\.com".*\)$/m);
    const gus = block(text, "User 'Gus'");
    expect(gus[0]).toBe("  ✗ User 'Gus' [target id t-gus] (fail: InternalServerError: InternalServerError: the target answered 500)");
    expect(gus[1]).toBe('      GET http://127.0.0.1/scim/Users → 500');
    expect(text.split('\n').at(-1)).toBe('Plan: 0 to create, 0 to update, 0 to disable, 0 to delete, 2 failing.');
  });

  it('held-back deletions say what they hold and why', () => {
    const plan = planOf({
      tenant: aTenant([aUser('bob')], [], []),
      job: aJob({ settings: { accidentalDeletionThreshold: 2 } }),
      links: [anAnchor('ann'), anAnchor('bob')],
    });
    const text = renderPlan(plan);
    expect(text).toMatch(/^ {2}! User 'Ann' \[target id t-ann\] \(delete held back: 2 disables and deletes reach .*--allow-deletes.*\)$/m);
    expect(text).toMatch(/^ {2}! User 'Bob' \[target id t-bob\] \(disable held back: /m);
    expect(text.split('\n').at(-1)).toBe('Plan: 0 to create, 0 to update, 0 to disable, 0 to delete, 2 held back.');
  });

  it('a value of a Redact() row is shown as [Redact], in the attributes and in the request body', () => {
    const scenario: Scenario = {
      tenant: aTenant([aUser('ann')]),
      job: aJobWithUserRows(['{target: title, expression: \'Redact(Join("-", [mailNickname], "secret"))\'}']),
      observed: { ann: notFound('ann') },
    };
    const plan = planOf(scenario);
    expect((plan.objects[0] as CreateChange).body['title']).toBe('ann-secret');
    const text = renderPlan(plan, { verbose: true, wire: wireFor(scenario) });
    expect(text).not.toContain('ann-secret');
    expect(text).toMatch(/^ {6}title: +"\[Redact\]"$/m);
    expect(printed(block(text, "User 'Ann'"))[0]!.body).toMatchObject({ title: '[Redact]', userName: 'ann@contoso.com' });
  });

  it('colour: ANSI codes with colorStyle, none with plainStyle, and the same text without them', () => {
    const plan = planOf({
      tenant: aTenant([aUser('ann', { displayName: 'Annie' }), aUser('bob')], [], ['ann', 'bob']),
      links: [anAnchor('ann')],
      observed: { ann: readBack('ann'), bob: notFound('bob') },
    });
    const plain = renderPlan(plan, { style: plainStyle, verbose: true });
    const colored = renderPlan(plan, { style: colorStyle(), verbose: true });
    expect(plain).not.toMatch(ANSI);
    expect(colored).toMatch(ANSI);
    expect(colored).toContain(colorStyle().add('+'));
    expect(colored).toContain(colorStyle().change('~'));
    expect(colored.replace(new RegExp(ANSI.source, 'g'), '')).toBe(plain);
    expect(renderPlan(plan)).toBe(plain);
  });
});

describe('renderPlan -v: the requests as apply sends them', () => {
  it('a POST with the create body; a PATCH and a DELETE to the object URL', () => {
    const scenario: Scenario = {
      tenant: aTenant([aUser('ann', { displayName: 'Annie' }), aUser('bob')], [], ['ann', 'bob']),
      links: [anAnchor('ann'), anAnchor('old guy')],
      observed: { ann: readBack('ann'), bob: notFound('bob') },
    };
    const plan = planOf(scenario);
    const text = renderPlan(plan, { verbose: true, wire: wireFor(scenario) });
    const create = plan.objects.find((c) => c.action === 'create') as CreateChange;
    expect(printed(block(text, "User 'Bob'"))).toEqual([{ method: 'POST', url: `${BASE}/Users`, body: create.body }]);
    expect(printed(block(text, "User 'Annie'"))).toEqual([
      {
        method: 'PATCH',
        url: `${BASE}/Users/t-ann`,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'Replace', path: 'displayName', value: 'Annie' }],
        },
      },
    ]);
    expect(printed(block(text, "User 'Old guy'"))).toEqual([{ method: 'DELETE', url: `${BASE}/Users/t-old%20guy`, body: undefined }]);
    // Without -v, no requests.
    expect(renderPlan(plan, { wire: wireFor(scenario) })).not.toMatch(/→ (POST|PATCH|DELETE) /);
  });

  it('ids of objects created in the cycle are placeholders; members are chunked by membersPerPatch', () => {
    const tenant = aTenant(
      [aUser('boss'), aUser('ann', { manager: 'boss' }), aUser('bob'), aUser('cy')],
      [aGroup('Sales', ['ann', 'bob', 'cy'])],
      ['boss', 'ann', 'bob', 'cy', 'Sales'],
    );
    const scenario: Scenario = {
      tenant,
      links: [anAnchor('boss'), anAnchor('bob'), anAnchor('cy')],
      observed: {
        boss: readBack('boss'),
        ann: notFound('ann'),
        bob: readBack('bob'),
        cy: readBack('cy'),
        Sales: { kind: 'not-found', queried: [{ attribute: 'displayName', value: 'Sales' }] },
      },
    };
    const plan = planOf(scenario);
    const text = renderPlan(plan, { verbose: true, wire: wireFor(scenario, { membersPerPatch: 2 }) });
    const annId = "<id of User 'Ann' once created>";
    const salesId = "<id of Group 'Sales' once created>";
    expect(printed(block(text, "User 'Ann' [target id known after apply] (manager)"))).toEqual([
      {
        method: 'PATCH',
        url: `${BASE}/Users/${annId}`,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: 't-boss' }],
        },
      },
    ]);
    const members = plan.references.find((c) => c.action === 'add-members');
    expect(members && 'memberSourceIds' in members ? members.memberSourceIds : []).toEqual([id('ann'), id('bob'), id('cy')]);
    const targetIdOf = new Map([
      [id('ann'), annId],
      [id('bob'), 't-bob'],
      [id('cy'), 't-cy'],
    ]);
    const expected = [[id('ann'), id('bob')], [id('cy')]].map((chunk) => ({
      method: 'PATCH',
      url: `${BASE}/Groups/${salesId}`,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'Add', path: 'members', value: chunk.map((m) => ({ $ref: null, value: targetIdOf.get(m) })) }],
      },
    }));
    expect(printed(block(text, "Group 'Sales' [target id known after apply] (members)"))).toEqual(expected);
  });

  it('the flag dialect: lowercase ops, member removal one filtered op per member', () => {
    const tenant = aTenant([aUser('ann'), aUser('bob'), aUser('cy')], [aGroup('Sales', ['ann'])], ['ann', 'bob', 'cy', 'Sales']);
    const scenario: Scenario = {
      tenant,
      dialect: 'aadOptscim062020',
      links: [anAnchor('ann'), anAnchor('bob'), anAnchor('cy'), aGroupAnchor('Sales')],
      memberships: { Sales: ['ann', 'bob', 'cy'] },
      work: ['Sales'],
    };
    const plan = planOf(scenario);
    const text = renderPlan(plan, { verbose: true, wire: wireFor(scenario) });
    expect(printed(block(text, "Group 'Sales' [target id t-Sales] (members)"))).toEqual([
      {
        method: 'PATCH',
        url: `${BASE}/Groups/t-Sales`,
        body: {
          schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
          Operations: [
            { op: 'remove', path: 'members[value eq "t-bob"]' },
            { op: 'remove', path: 'members[value eq "t-cy"]' },
          ],
        },
      },
    ]);
  });
});
