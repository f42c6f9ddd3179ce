/**
 * Protocol checks (part 3), after Microsoft's SCIM Validator and the gallery Logic App (spec §6): direct
 * SCIM requests, each verified by the answer and, where the answer could lie, by a follow-up GET.
 * Severities follow the suites: what they mark preview/optional (or what the spec marks unconfirmed) is
 * optional here.
 */
import { eqFilter, formEncode } from '../../scim/filter.js';
import { ScimRequestError } from '../../shared/errors.js';
import type { StandaloneCheck } from './definition.js';
import { createGroup, createUser } from './fixtures.js';
import { CheckFailure, describeRequestError, element, expect, findOne, LIST_RESPONSE, prop, read, show, type CheckContext } from './kit.js';

function protocolCheck(fields: Omit<StandaloneCheck, 'part'>): StandaloneCheck {
  return { part: 'protocol', ...fields };
}

/** Runs `create` expecting a 409; anything else fails the check. */
async function expectConflict(what: string, create: () => Promise<unknown>): Promise<string> {
  try {
    await create();
  } catch (error) {
    if (error instanceof ScimRequestError && error.status === 409) return `a second POST of the same ${what} answered 409 Conflict`;
    throw new CheckFailure(`a second POST of the same ${what} answered ${describeRequestError(error)}, expected 409 Conflict (Entra logs a 409 as EntryConflict and retries later; anything else hides the duplicate)`);
  }
  throw new CheckFailure(`a second POST of the same ${what} was accepted (2xx): the target now holds a duplicate, and Entra's matching will fail with DuplicateTargetEntries`);
}

function listOf(json: unknown, where: string): { total: number; resources: unknown[]; startIndex: unknown; itemsPerPage: unknown } {
  const schemas = prop(json, 'schemas');
  expect(Array.isArray(schemas) && schemas.includes(LIST_RESPONSE), `${where} is not a ListResponse (schemas ${show(schemas)}, expected ["${LIST_RESPONSE}"])`);
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
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-create');
      const got = await read(ctx, 'Users', user.id, 'the user just created');
      expect(prop(got, 'userName') === user.userName, `GET /Users/${user.id} has userName ${show(prop(got, 'userName'))}, expected "${user.userName}"`);
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
      expect(found.length === 1 && found[0]?.id === user.id, `userName eq "${upper}" found ${show(found.map(idOf))}, expected [${user.id}]: userName filters must be case-insensitive (RFC 7643 caseExact false), or Entra creates a duplicate when the case differs`);
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
      expect(response.status === 200, `GET /Users?filter=userName eq "${name}" answered ${response.status ?? response.error}, expected 200 with an empty ListResponse (a 404 here quarantines the Entra job)`);
      const list = listOf(response.json, 'the answer');
      expect(list.total === 0 && list.resources.length === 0, `the answer has totalResults ${list.total} and ${list.resources.length} resource(s), expected 0`);
      return { message: '200 with totalResults 0 and no Resources' };
    },
  }),
  protocolCheck({
    id: 'protocol.filter-group',
    title: 'filter for an existing group (exact and different case)',
    severity: 'mandatory',
    source: 'spec §1.10; Validator group filters',
    run: async (ctx) => {
      const group = await createGroup(ctx, 'p-group');
      const exact = await findOne(ctx, 'Groups', 'displayName', group.displayName);
      expect(exact.id === group.id, `the filter found ${exact.id}, expected ${group.id}`);
      const upper = group.displayName.toUpperCase();
      const found = await ctx.client.filter('Groups', 'displayName', upper);
      expect(found.length === 1 && found[0]?.id === group.id, `displayName eq "${upper}" found ${show(found.map(idOf))}, expected [${group.id}]: displayName filters must be case-insensitive`);
      return { message: 'displayName eq found the group, in its own case and upper case' };
    },
  }),
  protocolCheck({
    id: 'protocol.create-duplicate-user',
    title: 'POST of an existing userName: 409',
    severity: 'optional',
    source: 'spec §1.5, §6.1 (the Validator\'s second create; unconfirmed)',
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-dup');
      const message = await expectConflict('user', () =>
        ctx.client.create('Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: user.userName, active: true, meta: { resourceType: 'User' } }),
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
      const message = await expectConflict('group', () => ctx.client.create('Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: group.displayName, meta: { resourceType: 'Group' } }));
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
      expect(prop(got, 'displayName') === `provsim get ${ctx.objects.runId}`, `GET /Users/${user.id} has displayName ${show(prop(got, 'displayName'))}, expected what was posted`);
      const work = element(got, 'emails', 'type', 'work');
      expect(work !== undefined && prop(work, 'value') === user.userName, `GET /Users/${user.id} has emails ${show(prop(got, 'emails'))}, expected the posted work email`);
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
      expect(response.status === 404, `GET /Users/${id} (an id nobody created) answered ${response.status ?? response.error}, expected 404 (Entra reads a 404 on a linked object as InvalidAnchor)`);
      const status = prop(response.json, 'status');
      expect(String(status) === '404', `the 404 body is ${show(response.json ?? response.text)}, expected a SCIM error with "status": "404"`);
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
        expect(response.status === 200, `GET /Users?startIndex=${startIndex}&count=2 answered ${response.status ?? response.error}, expected 200`);
        const list = listOf(response.json, `GET /Users?startIndex=${startIndex}&count=2`);
        expect(list.total >= 3, `totalResults is ${list.total}, but this check alone created 3 users`);
        expect(list.resources.length >= 1 && list.resources.length <= 2, `GET /Users?startIndex=${startIndex}&count=2 returned ${list.resources.length} resources, expected 1 or 2`);
        expect(list.startIndex === startIndex, `GET /Users?startIndex=${startIndex}&count=2 answered startIndex ${show(list.startIndex)}, expected ${startIndex}`);
        expect(list.itemsPerPage === undefined || list.itemsPerPage === list.resources.length, `itemsPerPage is ${show(list.itemsPerPage)} but the page has ${list.resources.length} resources`);
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
    title: 'DELETE a user twice: 204, then 404',
    severity: 'optional',
    source: 'spec §1.9, §6.1 (Validator preview "Delete the same User twice")',
    run: async (ctx) => {
      const user = await createUser(ctx, 'p-delete');
      const first = await ctx.client.delete('Users', user.id);
      expect(first === 'deleted', `the first DELETE /Users/${user.id} answered 404 for a user that exists`);
      expect((await ctx.client.get('Users', user.id)) === null, `GET /Users/${user.id} still finds the user after DELETE`);
      const second = await ctx.client.delete('Users', user.id);
      expect(second === 'not-found', `the second DELETE /Users/${user.id} answered 2xx, expected 404 (the user is gone)`);
      return { message: 'the first DELETE succeeded, the user is gone, the second DELETE answered 404' };
    },
  }),
  protocolCheck({
    id: 'protocol.content-type',
    title: 'responses are application/scim+json',
    severity: 'mandatory',
    source: 'spec §1.1; the Validator checks it',
    run: async (ctx: CheckContext) => {
      const user = await createUser(ctx, 'p-content-type');
      const probes = [`/Users/${user.id}`, `/Users?filter=${formEncode(eqFilter('userName', user.userName))}`, `/Users/${ctx.random.uuid()}`];
      const wrong: string[] = [];
      for (const p of probes) {
        const response = await ctx.raw.get(p);
        const type = response.headers['content-type'] ?? '';
        if (!type.toLowerCase().startsWith('application/scim+json')) wrong.push(`GET ${p} → ${response.status ?? 'no response'} with Content-Type ${type === '' ? 'missing' : `"${type}"`}`);
      }
      expect(wrong.length === 0, `expected Content-Type: application/scim+json on every response: ${wrong.join('; ')}`);
      return { message: 'GET by id, a filter GET and a 404 all answered application/scim+json' };
    },
  }),
];
