/**
 * Protocol checks (part 3), after Microsoft's SCIM Validator and the gallery Logic App (spec §6): direct
 * SCIM requests, each verified by the answer and, where the answer could lie, by a follow-up GET.
 * Severities follow the suites: what they mark preview/optional (or what the spec marks unconfirmed) is
 * optional here. Checks that no Microsoft suite makes, and that come from a real server's bug with what
 * provsim sends, are mandatory only when the wrong answer corrupts the target's data (each says why).
 */
import { memberAddOperation } from '../../scim/dialect.js';
import { eqFilter, formEncode } from '../../scim/filter.js';
import { ScimRequestError } from '../../shared/errors.js';
import type { StandaloneCheck } from './definition.js';
import { postTo, sameRefusal } from './dependencies.js';
import { createGroup, createUser, setupDependencies } from './fixtures.js';
import {
  answerOf,
  CheckFailure,
  describeRequestError,
  element,
  expect,
  findOne,
  LIST_RESPONSE,
  memberIdsOf,
  prop,
  read,
  sameSet,
  show,
  type CheckContext,
} from './kit.js';

function protocolCheck(fields: Omit<StandaloneCheck, 'part'>): StandaloneCheck {
  return { part: 'protocol', dependsOn: setupDependencies, ...fields };
}

/** What a DELETE answered, for messages. */
function answered(response: { status: number | null; error?: string; json: unknown; text: string }): string {
  if (response.status === null) return `no response (${response.error ?? 'no answer'})`;
  const detail = prop(response.json, 'detail');
  return `${response.status}${typeof detail === 'string' && detail !== '' ? ` ("${detail}")` : ''}`;
}

/** Runs `create` expecting a 409; anything else fails the check. */
async function expectConflict(what: string, create: () => Promise<unknown>): Promise<string> {
  try {
    await create();
  } catch (error) {
    if (error instanceof ScimRequestError && error.status === 409) return `a second POST of the same ${what} answered 409 Conflict`;
    throw new CheckFailure(
      `a second POST of the same ${what} answered ${describeRequestError(error)}, expected 409 Conflict (Entra logs a 409 as EntryConflict and retries later; anything else hides the duplicate)`,
    );
  }
  throw new CheckFailure(
    `a second POST of the same ${what} was accepted (2xx): the target now holds a duplicate, and Entra's matching will fail with DuplicateTargetEntries`,
  );
}

function listOf(json: unknown, where: string): { total: number; resources: unknown[]; startIndex: unknown; itemsPerPage: unknown } {
  const schemas = prop(json, 'schemas');
  expect(
    Array.isArray(schemas) && schemas.includes(LIST_RESPONSE),
    `${where} is not a ListResponse (schemas ${show(schemas)}, expected ["${LIST_RESPONSE}"])`,
  );
  const total = prop(json, 'totalResults');
  expect(typeof total === 'number', `${where} has totalResults ${show(total)}, expected a number`);
  const resources = prop(json, 'Resources') ?? [];
  expect(Array.isArray(resources), `${where} has Resources ${show(resources)}, expected an array`);
  return { total, resources, startIndex: prop(json, 'startIndex'), itemsPerPage: prop(json, 'itemsPerPage') };
}

const idOf = (r: unknown): string => String(prop(r, 'id') ?? '');

export const PROTOCOL_CHECKS: readonly StandaloneCheck[] = [
  protocolCheck({
    id: 'protocol.create-user',
    title: 'POST /Users answers 201 with the created user and its id',
    severity: 'mandatory',
    source: 'spec §1.5; Logic App SCIM_User_Create',
    // The engine's create of the lifecycle user is the same POST; refused alike, it is one failure.
    dependsOn: () => [sameRefusal('lifecycle.user.create', postTo('Users'))],
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-create');
      const got = await read(ctx, 'Users', user.id, 'the user just created');
      expect(
        prop(got, 'userName') === user.userName,
        `GET /Users/${user.id} has userName ${show(prop(got, 'userName'))}, expected "${user.userName}"`,
      );
      return { message: `201 with id ${user.id}; GET by that id returns the user` };
    },
  }),
  protocolCheck({
    id: 'protocol.filter-existing-user',
    title: 'filter for an existing user: exactly that user',
    severity: 'mandatory',
    source: 'spec §1.3; Validator "Filter for an existing user"',
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-filter');
      const found = await findOne(ctx, 'Users', 'userName', user.userName);
      expect(found.id === user.id, `the filter found ${found.id}, expected ${user.id}`);
      return { message: `userName eq "${user.userName}" found exactly the user` };
    },
  }),
  protocolCheck({
    id: 'protocol.filter-different-case',
    title: 'filter for an existing user with a different case',
    severity: 'mandatory',
    source: 'spec §1.3; Validator "Filter for an existing user with a different case"',
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-case');
      const upper = user.userName.toUpperCase();
      const found = await ctx.client.filter('Users', 'userName', upper);
      expect(
        found.length === 1 && found[0]?.id === user.id,
        `userName eq "${upper}" found ${show(found.map(idOf))}, expected [${user.id}]: userName filters must be case-insensitive (RFC 7643 caseExact false), or Entra creates a duplicate when the case differs`,
      );
      return { message: `userName eq "${upper}" found the user created as "${user.userName}"` };
    },
  }),
  protocolCheck({
    id: 'protocol.filter-non-existing',
    title: 'filter for a user that does not exist: 200 and an empty list',
    severity: 'mandatory',
    source: 'spec §1.2, §1.3; gallery checklist',
    run: async (ctx) => {
      const name = ctx.objects.userName('p-nobody');
      const response = await ctx.raw.get(`/Users?filter=${formEncode(eqFilter('userName', name))}`);
      expect(
        response.status === 200,
        `GET /Users?filter=userName eq "${name}" answered ${response.status ?? response.error}, expected 200 with an empty ListResponse (a 404 here quarantines the Entra job)`,
      );
      const list = listOf(response.json, 'the answer');
      expect(
        list.total === 0 && list.resources.length === 0,
        `the answer has totalResults ${list.total} and ${list.resources.length} resource(s), expected 0`,
      );
      return { message: '200 with totalResults 0 and no Resources' };
    },
  }),
  protocolCheck({
    id: 'protocol.filter-group',
    title: 'filter for an existing group (exact and different case)',
    severity: 'mandatory',
    source: 'spec §1.10; Validator group filters',
    dependsOn: () => [sameRefusal('lifecycle.group.create', postTo('Groups'))],
    run: async (ctx) => {
      const group = await createGroup(ctx, 'p-group');
      const exact = await findOne(ctx, 'Groups', 'displayName', group.displayName);
      expect(exact.id === group.id, `the filter found ${exact.id}, expected ${group.id}`);
      const upper = group.displayName.toUpperCase();
      const found = await ctx.client.filter('Groups', 'displayName', upper);
      expect(
        found.length === 1 && found[0]?.id === group.id,
        `displayName eq "${upper}" found ${show(found.map(idOf))}, expected [${group.id}]: displayName filters must be case-insensitive`,
      );
      return { message: 'displayName eq found the group, in its own case and upper case' };
    },
  }),
  protocolCheck({
    id: 'protocol.create-duplicate-user',
    title: 'POST of an existing userName: 409',
    severity: 'optional',
    source: "spec §1.5, §6.1 (the Validator's second create; unconfirmed)",
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-dup');
      const message = await expectConflict('user', () =>
        ctx.client.create('Users', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
          userName: user.userName,
          active: true,
          meta: { resourceType: 'User' },
        }),
      );
      return { message };
    },
  }),
  protocolCheck({
    id: 'protocol.create-duplicate-group',
    title: 'POST of an existing group displayName: 409',
    severity: 'mandatory',
    source: 'spec §6.1 (Validator "Create duplicate Group")',
    run: async (ctx) => {
      const group = await createGroup(ctx, 'p-dup');
      const message = await expectConflict('group', () =>
        ctx.client.create('Groups', {
          schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
          displayName: group.displayName,
          meta: { resourceType: 'Group' },
        }),
      );
      return { message };
    },
  }),
  protocolCheck({
    id: 'protocol.get-by-id',
    title: 'GET /Users/{id} returns the user',
    severity: 'mandatory',
    source: 'spec §1.4; Validator "GET /Users/Id"',
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-get', { displayName: `provsim get ${ctx.objects.runId}` });
      const got = await read(ctx, 'Users', user.id, 'the user just created');
      expect(prop(got, 'id') === user.id, `GET /Users/${user.id} returned id ${show(prop(got, 'id'))}`);
      expect(
        prop(got, 'displayName') === `provsim get ${ctx.objects.runId}`,
        `GET /Users/${user.id} has displayName ${show(prop(got, 'displayName'))}, expected what was posted`,
      );
      const work = element(got, 'emails', 'type', 'work');
      expect(
        work !== undefined && prop(work, 'value') === user.userName,
        `GET /Users/${user.id} has emails ${show(prop(got, 'emails'))}, expected the posted work email`,
      );
      return { message: 'the user comes back with its id and the posted attributes' };
    },
  }),
  protocolCheck({
    id: 'protocol.get-unknown-id',
    title: 'GET of an unknown id: 404 with a SCIM error',
    severity: 'mandatory',
    source: 'spec §1.4',
    run: async (ctx) => {
      const id = ctx.random.uuid();
      const response = await ctx.raw.get(`/Users/${id}`);
      expect(
        response.status === 404,
        `GET /Users/${id} (an id nobody created) answered ${response.status ?? response.error}, expected 404 (Entra reads a 404 on a linked object as InvalidAnchor)`,
      );
      const status = prop(response.json, 'status');
      expect(
        String(status) === '404',
        `the 404 body is ${show(response.json ?? response.text)}, expected a SCIM error with "status": "404"`,
      );
      return { message: '404 with a SCIM error body' };
    },
  }),
  protocolCheck({
    id: 'protocol.paging',
    title: 'paging with startIndex and count',
    severity: 'mandatory',
    source: 'spec §1.12; Logic App SCIM_User_Pagination',
    run: async (ctx) => {
      for (const n of [1, 2, 3]) await createUser(ctx, `p-page${n}`);
      const page = async (startIndex: number) => {
        const response = await ctx.raw.get(`/Users?startIndex=${startIndex}&count=2`);
        expect(
          response.status === 200,
          `GET /Users?startIndex=${startIndex}&count=2 answered ${response.status ?? response.error}, expected 200`,
        );
        const list = listOf(response.json, `GET /Users?startIndex=${startIndex}&count=2`);
        expect(list.total >= 3, `totalResults is ${list.total}, but this check alone created 3 users`);
        expect(
          list.resources.length >= 1 && list.resources.length <= 2,
          `GET /Users?startIndex=${startIndex}&count=2 returned ${list.resources.length} resources, expected 1 or 2`,
        );
        expect(
          list.startIndex === startIndex,
          `GET /Users?startIndex=${startIndex}&count=2 answered startIndex ${show(list.startIndex)}, expected ${startIndex}`,
        );
        expect(
          list.itemsPerPage === undefined || list.itemsPerPage === list.resources.length,
          `itemsPerPage is ${show(list.itemsPerPage)} but the page has ${list.resources.length} resources`,
        );
        return list.resources.map(idOf);
      };
      const first = await page(1);
      const second = await page(3);
      const overlap = first.filter((id) => second.includes(id));
      expect(overlap.length === 0, `pages 1–2 and 3–4 share ${show(overlap)}: startIndex is ignored`);
      return { message: `startIndex=1&count=2 and startIndex=3&count=2 returned disjoint pages of ${first.length} and ${second.length}` };
    },
  }),
  protocolCheck({
    id: 'protocol.delete-twice',
    title: 'DELETE a user twice: success, then 404',
    severity: 'optional',
    source:
      'RFC 7644 §3.6 (a deleted resource answers 404 to every later request); spec §1.9, §6.1 (Validator preview "Delete the same User twice"). Optional, as there: provsim counts a 404 on DELETE as "already gone" (a reasoned choice: Entra\'s reaction is not published; see `provsim quirks`, delete-404-success)',
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-delete');
      const first = await ctx.client.delete('Users', user.id);
      expect(first === 'deleted', `the first DELETE /Users/${user.id} answered 404 for a user that exists`);
      expect((await ctx.client.get('Users', user.id)) === null, `GET /Users/${user.id} still finds the user after DELETE`);
      const second = await ctx.raw.delete(`/Users/${encodeURIComponent(user.id)}`);
      expect(
        second.status === 404,
        `the second DELETE /Users/${user.id} answered ${answered(second)}, expected 404: the user is gone, and RFC 7644 §3.6 answers 404 for a deleted resource${second.status !== null && second.status >= 500 ? ' (Entra retries a DELETE that fails, every cycle)' : ''}`,
      );
      return { message: 'the first DELETE succeeded, the user is gone, the second DELETE answered 404' };
    },
  }),
  protocolCheck({
    id: 'protocol.delete-unknown-id',
    title: 'DELETE of an id that never existed: 404',
    severity: 'optional',
    source:
      'RFC 7644 §3.12 (404: the resource does not exist); Validator preview "Delete a non-existent User". Optional, as there: provsim counts a 404 on DELETE as "already gone" (a reasoned choice: Entra\'s reaction is not published; see `provsim quirks`, delete-404-success), and an error answer (400, 5xx) fails the object, which is retried',
    run: async (ctx) => {
      const id = ctx.random.uuid();
      const response = await ctx.raw.delete(`/Users/${id}`);
      expect(
        response.status === 404,
        `DELETE /Users/${id} (an id nobody created) answered ${answered(response)}, expected 404${response.status !== null && response.status >= 400 && response.status !== 404 ? ': Entra treats an error here as a failed delete and retries it every cycle' : ': a DELETE of nothing must not report success'}`,
      );
      return { message: 'DELETE of a random id answered 404' };
    },
  }),
  protocolCheck({
    id: 'protocol.add-existing-member',
    title: 'add members that are already in the group: each member reads back once',
    severity: 'mandatory',
    source:
      'RFC 7644 §3.5.2.1 (an add of a value that is already there changes nothing and succeeds); observed: SCIMMY stored a member again on every add (7 entries for 4 members). Entra re-sends adds (a retry after a timeout, a restarted job); mandatory because duplicates corrupt the group: its member count is wrong and a later removal may take out only one entry',
    run: async (ctx) => {
      const users = [];
      for (const n of [1, 2, 3]) users.push(await createUser(ctx, `p-readd${n}`));
      const [a, b, c] = users.map((u) => u.id) as [string, string, string];
      const group = await createGroup(ctx, 'p-readd', [a, b]);
      const before = await memberIdsOf(ctx, group.id);
      expect(
        before.length === 2 && sameSet(before, [a, b]),
        `the group was set up with members [${a}, ${b}] but reads back with ${show(before)}; the check cannot start from a known member list`,
      );
      // The member add both dialects send (lowercase, so the check does not depend on capitalised ops).
      const add = memberAddOperation('aadOptscim062020', [a, b, c]);
      try {
        await ctx.client.patch('Groups', group.id, [add]);
      } catch (error) {
        if (!(error instanceof ScimRequestError) || error.status === null) throw error;
        throw new CheckFailure(
          `PATCH /Groups/${group.id} adding ${a} and ${b} (already members) and ${c} answered ${answerOf(error)}; an add of members that are already there must succeed and change nothing (RFC 7644 §3.5.2.1): Entra re-sends member adds (after a timeout, in a restarted job), and an error fails the group every cycle`,
        );
      }
      const after = await memberIdsOf(ctx, group.id);
      const counts = new Map<string, number>();
      for (const id of after) counts.set(id.toLowerCase(), (counts.get(id.toLowerCase()) ?? 0) + 1);
      const repeated = [...counts].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
      expect(
        repeated.length === 0,
        `after one PATCH adding ${a} and ${b} (already members) and ${c}, the group reads back with ${after.length} entries for 3 members: ${repeated.join(', ')}. An add of a member that is already there must change nothing (RFC 7644 §3.5.2.1); store each member once`,
      );
      expect(
        after.length === 3 && sameSet(after, [a, b, c]),
        `after one PATCH adding ${a}, ${b} (already members) and ${c}, the group reads back with ${show(after)}, expected exactly [${a}, ${b}, ${c}]`,
      );
      return { message: 're-adding two members with a new one left each of the three members in the group once' };
    },
  }),
  protocolCheck({
    id: 'protocol.rename-to-taken-username',
    title: 'rename a userName to one already taken: 409 uniqueness, nothing written',
    severity: 'mandatory',
    source:
      'RFC 7644 §3.5.2 and §3.12 (a PATCH that would duplicate a unique value: 409, scimType "uniqueness"), RFC 7643 §4.1.1 (userName is unique); observed: scimgateway answered 500 and stored the rename, leaving two users with one userName. Mandatory because the alternative corrupts the target: two accounts share a login, and Entra\'s next match by userName finds both (DuplicateTargetEntries)',
    run: async (ctx) => {
      const taken = await createUser(ctx, 'p-taken');
      const other = await createUser(ctx, 'p-rename');
      // Both dialects send a single userName change as one op with its path (legacy's "Replace" lowercased).
      const operations = [{ op: 'replace', path: 'userName', value: taken.userName }];
      let answer: string | null = null;
      try {
        await ctx.client.patch('Users', other.id, operations);
        answer = '2xx (accepted)';
      } catch (error) {
        if (!(error instanceof ScimRequestError) || error.status === null) throw error;
        const scimType = error.scimError?.scimType ?? null;
        if (error.status !== 409) answer = answerOf(error);
        else if (scimType !== 'uniqueness')
          answer = `409 ${scimType === null ? 'without a scimType' : `with scimType "${scimType}"`} (${answerOf(error)})`;
      }
      // Whatever it answered: nothing may have been written.
      const holders = await ctx.client.filter('Users', 'userName', taken.userName);
      const renamed = prop(await read(ctx, 'Users', other.id, 'the user whose rename was refused'), 'userName');
      const written = holders.length > 1 || String(renamed).toLowerCase() === taken.userName.toLowerCase();
      const state = written
        ? ` and wrote the rename anyway: userName "${taken.userName}" is now held by ${show(holders.map((h) => h.id))} (two users, one login)`
        : '';
      expect(
        answer === null,
        `PATCH /Users/${other.id} ${JSON.stringify(operations[0])} (a userName user ${taken.id} already has) answered ${answer}, expected 409 with "scimType": "uniqueness"${state}`,
      );
      expect(
        !written,
        `PATCH /Users/${other.id} answered 409 uniqueness, but wrote the rename anyway: userName "${taken.userName}" is now held by ${show(holders.map((h) => h.id))}`,
      );
      expect(
        holders.length === 1 && holders[0]?.id === taken.id,
        `after the refused rename a filter for userName "${taken.userName}" finds ${show(holders.map((h) => h.id))}, expected only ${taken.id}`,
      );
      return { message: `409 uniqueness; "${taken.userName}" still belongs to one user and the other kept its userName` };
    },
  }),
  protocolCheck({
    id: 'protocol.content-type',
    title: 'responses are application/scim+json',
    severity: 'mandatory',
    source: 'spec §1.1; the Validator checks it',
    run: async (ctx: CheckContext) => {
      const user = await createUser(ctx, 'p-content-type');
      const probes = [
        `/Users/${user.id}`,
        `/Users?filter=${formEncode(eqFilter('userName', user.userName))}`,
        `/Users/${ctx.random.uuid()}`,
      ];
      const wrong: string[] = [];
      for (const p of probes) {
        const response = await ctx.raw.get(p);
        const type = response.headers['content-type'] ?? '';
        if (!type.toLowerCase().startsWith('application/scim+json'))
          wrong.push(`GET ${p} → ${response.status ?? 'no response'} with Content-Type ${type === '' ? 'missing' : `"${type}"`}`);
      }
      expect(wrong.length === 0, `expected Content-Type: application/scim+json on every response: ${wrong.join('; ')}`);
      return { message: 'GET by id, a filter GET and a 404 all answered application/scim+json' };
    },
  }),
];
