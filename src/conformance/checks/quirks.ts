/**
 * The quirk matrix (part 2): each Entra quirk sent on its own, in each dialect's shape where the dialects
 * differ, to objects set up for the probe; a follow-up GET says what the target made of it:
 * accepted / rejected / accepted with the wrong result (types.ts, QuirkVerdict).
 *
 * The shapes come from the engine's own dialect functions (scim/dialect.ts), so the matrix probes exactly
 * what `provsim sync` sends. Trade-off: in the legacy column every op is lowercased except in the
 * capitalised-ops probe, so each row isolates ONE quirk (a target that rejects `Replace` would otherwise
 * fail every legacy row and hide whether it handles, say, string booleans). Entra's legacy dialect combines
 * them; the lifecycle part shows that combination.
 *
 * Each probe declares the request shape it sends (request-shapes.ts): a lifecycle step refused the same
 * way for the same shape is reported as a consequence of the probe (consequences.ts).
 */
import { attributeOperations, managerOperation, memberRemoveOperations, type AttributeChange } from '../../scim/dialect.js';
import { attributePathOrNull, type AttributePath } from '../../scim/attribute-path.js';
import type { DialectName, PatchOperation } from '../../scim/types.js';
import { ScimRequestError } from '../../shared/errors.js';
import type { QuirkDialect } from '../types.js';
import type { StandaloneCheck } from './definition.js';
import { createGroup, createUser, setupDependencies } from './fixtures.js';
import {
  CheckFailure,
  describeRequestError,
  element,
  ENTERPRISE,
  expect,
  managerOf,
  memberIdsOf,
  prop,
  read,
  sameSet,
  show,
  type CheckOutcome,
} from './kit.js';
import {
  BARE_MANAGER,
  CAPITALISED_OP,
  FILTERED_PATH,
  MEMBER_REMOVE_BY_FILTER,
  MEMBER_REMOVE_BY_VALUE,
  OBJECT_MANAGER,
  pathless,
  ROLES_JSON_STRING,
  STRING_BOOLEAN,
} from './request-shapes.js';

export interface QuirkDefinition {
  /** The matrix row. */
  quirk: string;
  title: string;
  probes: StandaloneCheck[];
}

const path = (raw: string): AttributePath => attributePathOrNull(raw)!;

/** Lowercase every op: the legacy column isolates one quirk per row (see the file comment). */
function lowercased(operations: PatchOperation[]): PatchOperation[] {
  return operations.map((o) => ({ ...o, op: o.op.toLowerCase() }));
}

interface ProbeStep {
  send(): Promise<unknown>;
  /** Returns what it verified; throws CheckFailure when the target holds something else. */
  verify(): Promise<string>;
}

/**
 * Setup → (send → verify)…: a failed setup is `inconclusive`, an error answer to a send `rejected`, a
 * follow-up GET showing something else `wrong-result`, and all steps verified `accepted`.
 */
async function probe<T>(setup: () => Promise<T>, steps: (fixture: T) => ProbeStep[]): Promise<CheckOutcome> {
  let fixture: T;
  try {
    fixture = await setup();
  } catch (error) {
    throw new CheckFailure(
      `inconclusive: setting the probe up failed, so the quirk could not be sent: ${describeRequestError(error)}`,
      'inconclusive',
      refusedBy(error),
    );
  }
  const verified: string[] = [];
  for (const step of steps(fixture)) {
    try {
      await step.send();
    } catch (error) {
      // A send may see the wrong result in the answer itself (a group listed with its members).
      if (error instanceof CheckFailure)
        throw new CheckFailure(`accepted, but with the wrong result: ${error.message}`, 'wrong-result', error.detail);
      if (error instanceof ScimRequestError && error.status !== null)
        throw new CheckFailure(`rejected: ${describeRequestError(error)}`, 'rejected', { refused: error });
      throw new CheckFailure(`inconclusive: the request got no answer: ${describeRequestError(error)}`, 'inconclusive');
    }
    try {
      verified.push(await step.verify());
    } catch (error) {
      if (error instanceof CheckFailure)
        throw new CheckFailure(`accepted, but with the wrong result: ${error.message}`, 'wrong-result', error.detail);
      throw new CheckFailure(`inconclusive: the follow-up GET failed: ${describeRequestError(error)}`, 'inconclusive');
    }
  }
  return { message: `accepted: ${verified.join('; ')}`, verdict: 'accepted' };
}

/** A refused setup request, for FailureDetail (a setup failure refused like protocol.create-user's is its consequence). */
function refusedBy(error: unknown): { refused?: ScimRequestError } {
  return error instanceof ScimRequestError && error.status !== null ? { refused: error } : {};
}

function quirkProbe(
  quirk: string,
  dialect: QuirkDialect,
  fields: Omit<StandaloneCheck, 'id' | 'part' | 'quirk' | 'dialect'>,
): StandaloneCheck {
  return {
    id: dialect === 'both' ? `quirk.${quirk}` : `quirk.${quirk}.${dialect}`,
    part: 'quirks',
    quirk,
    dialect,
    dependsOn: setupDependencies,
    ...fields,
  };
}

// ── wrong results the lifecycle can see too ─────────────────────────────────────────────────────────────

/** Symptoms (FailureDetail.symptom) shared with the lifecycle's verifies, so its wrong results can be matched to these. */
export const MEMBERS_LOST = 'members-lost';
export const MEMBERS_KEPT = 'members-kept';
export const MANAGER_READ_BACK_BARE = 'manager-read-back-bare';

function expectWith(condition: boolean, symptom: string, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message, undefined, { symptom });
}

// ── string booleans ─────────────────────────────────────────────────────────────────────────────────────

function activeProbe(dialect: DialectName): StandaloneCheck['run'] {
  return (ctx) =>
    probe(
      () => createUser(ctx, `q-bool-${dialect}`),
      (user) =>
        (['False', 'True'] as const).map((value) => {
          const operations = lowercased(attributeOperations(dialect, [{ path: path('active'), op: 'replace', value }]));
          return {
            send: () => ctx.client.patch('Users', user.id, operations),
            verify: async () => {
              const active = prop(await read(ctx, 'Users', user.id, 'the probe user'), 'active');
              const wanted = value === 'True';
              expect(
                active === wanted,
                `after ${JSON.stringify(operations[0])} the user reads back with active ${show(active)}, expected the JSON boolean ${wanted}`,
              );
              return `${JSON.stringify(operations[0]?.value)} made active ${wanted}`;
            },
          };
        }),
    );
}

// ── capitalised ops ─────────────────────────────────────────────────────────────────────────────────────

function opsProbe(dialect: DialectName): StandaloneCheck['run'] {
  return (ctx) =>
    probe(
      () => createUser(ctx, `q-ops-${dialect}`),
      (user) => {
        const displayName = `provsim ops ${dialect} ${ctx.objects.runId} renamed`;
        const changes: AttributeChange[] = [
          { path: path('displayName'), op: 'replace', value: displayName },
          { path: path('title'), op: 'add', value: 'Probe Title' },
        ];
        // Not lowercased: the op names are this row's quirk.
        const operations = attributeOperations(dialect, changes, { pathlessAdd: false, rolesAsJsonString: false });
        return [
          {
            send: () => ctx.client.patch('Users', user.id, operations),
            verify: async () => {
              const got = await read(ctx, 'Users', user.id, 'the probe user');
              expect(
                prop(got, 'displayName') === displayName,
                `after ops ${operations.map((o) => `"${o.op}"`).join(', ')} displayName reads back as ${show(prop(got, 'displayName'))}, expected "${displayName}"`,
              );
              expect(
                prop(got, 'title') === 'Probe Title',
                `after ops ${operations.map((o) => `"${o.op}"`).join(', ')} title reads back as ${show(prop(got, 'title'))}, expected "Probe Title"`,
              );
              return `ops ${operations.map((o) => `"${o.op}"`).join(' and ')} changed displayName and title`;
            },
          },
        ];
      },
    );
}

// ── member removal ──────────────────────────────────────────────────────────────────────────────────────

function memberRemoveProbe(dialect: DialectName): StandaloneCheck['run'] {
  return (ctx) =>
    probe(
      async () => {
        const users = [];
        for (const n of [1, 2, 3]) users.push(await createUser(ctx, `q-member${n}-${dialect}`));
        const ids = users.map((u) => u.id);
        const group = await createGroup(ctx, `q-members ${dialect}`, ids);
        const before = await memberIdsOf(ctx, group.id);
        if (!sameSet(before, ids)) throw new Error(`the group was set up with 3 members but reads back with ${show(before)}`);
        return { group, ids };
      },
      ({ group, ids }) => {
        const [keep1, removed, keep2] = ids as [string, string, string];
        const operations = lowercased(memberRemoveOperations(dialect, [removed]));
        return [
          {
            send: () => ctx.client.patch('Groups', group.id, operations),
            verify: async () => {
              const after = await memberIdsOf(ctx, group.id);
              const survivors = [keep1, keep2].filter((id) => after.some((a) => a.toLowerCase() === id.toLowerCase()));
              expectWith(
                survivors.length === 2,
                MEMBERS_LOST,
                `the other members did not survive: after removing ${removed} the group has ${show(after)}, expected exactly [${keep1}, ${keep2}]${after.length === 0 ? ' (the whole member list was removed: RFC 7644 §3.5.2.2 read literally ignores the value array, the "Entra wiped my group" bug)' : ''}`,
              );
              expectWith(
                !after.some((a) => a.toLowerCase() === removed.toLowerCase()),
                MEMBERS_KEPT,
                `the member ${removed} is still in the group after the removal: ${show(after)}`,
              );
              expect(after.length === 2, `the group has ${show(after)} after the removal, expected exactly [${keep1}, ${keep2}]`);
              return 'exactly the named member was removed; the other two survived';
            },
          },
        ];
      },
    );
}

// ── Add on a filtered path with no element yet ──────────────────────────────────────────────────────────

const addMissingFilteredPath: StandaloneCheck['run'] = (ctx) =>
  probe(
    () => createUser(ctx, 'q-filtered', { emails: undefined }),
    (user) => {
      const mail = `provsim-${ctx.objects.runId}-work@example.com`;
      const operations = lowercased(
        attributeOperations('legacy', [{ path: path('emails[type eq "work"].value'), op: 'add', value: mail }]),
      );
      return [
        {
          send: () => ctx.client.patch('Users', user.id, operations),
          verify: async () => {
            const got = await read(ctx, 'Users', user.id, 'the probe user');
            const work = element(got, 'emails', 'type', 'work');
            expect(
              work !== undefined && prop(work, 'value') === mail,
              `after the add the user's emails are ${show(prop(got, 'emails'))}, expected an element {"type": "work", "value": "${mail}"}`,
            );
            return 'the add created the work email element';
          },
        },
      ];
    },
  );

// ── the manager: a bare id (both dialects' default), or {"value": id} (quirk managerBareId off) ──────────────

/**
 * Sets the manager and removes it again, in the shape `managerOperation` sends with quirk managerBareId
 * as given. Bare (the default of both dialects, SCIM-SDK #686 trace): `{"op":"add","path":"…:manager",
 * "value":"<id>"}`, removed with `""`; the object form `{"value": "<id>"}` is removed with `""` in legacy
 * and a `remove` op in the flag dialect.
 */
function managerProbe(dialect: DialectName, bareId: boolean): StandaloneCheck['run'] {
  const managerPath = path(`${ENTERPRISE}:manager`);
  const quirks = { managerBareId: bareId };
  // Both dialects send the bare form alike (one probe): its users need no dialect in their names.
  const label = bareId ? 'bare' : `object-${dialect}`;
  return (ctx) =>
    probe(
      async () => ({ user: await createUser(ctx, `q-report-${label}`), manager: await createUser(ctx, `q-manager-${label}`) }),
      ({ user, manager }) => {
        const set = lowercased([managerOperation(dialect, managerPath, 'add', manager.id, quirks)]);
        const clear = lowercased([managerOperation(dialect, managerPath, 'replace', '', quirks)]);
        return [
          {
            send: () => ctx.client.patch('Users', user.id, set),
            verify: async () => {
              const got = managerOf(await read(ctx, 'Users', user.id, 'the probe user'));
              expect(
                got.id === manager.id,
                `after ${JSON.stringify(set[0])} the manager reads back as ${show(got.id)}, expected ${manager.id}`,
              );
              expectWith(
                got.complex,
                MANAGER_READ_BACK_BARE,
                `the manager reads back as the bare string "${got.id}", not {"value": "${got.id}"}; Entra then sees no manager and re-sends the PATCH every cycle (spec §1.7)`,
              );
              return `${JSON.stringify(set[0]?.value)} set the manager`;
            },
          },
          {
            send: () => ctx.client.patch('Users', user.id, clear),
            verify: async () => {
              const got = managerOf(await read(ctx, 'Users', user.id, 'the probe user'));
              expect(
                got.id === null,
                `after ${JSON.stringify(clear[0])} the manager still reads back as ${show(got.id)}, expected no manager`,
              );
              return `${JSON.stringify(clear[0])} removed it`;
            },
          },
        ];
      },
    );
}

// ── path-less replace / add with dotted and URN keys (the flag dialect) ─────────────────────────────────

function pathlessProbe(op: 'replace' | 'add'): StandaloneCheck['run'] {
  return (ctx) =>
    probe(
      () =>
        op === 'replace'
          ? createUser(ctx, 'q-pathless-replace', { [ENTERPRISE]: { employeeNumber: 'E-1', department: 'Before' } })
          : createUser(ctx, 'q-pathless-add'),
      (user) => {
        const suffix = ctx.objects.runId;
        const wanted: Record<string, string> =
          op === 'replace'
            ? {
                displayName: `provsim pathless ${suffix} renamed`,
                'name.givenName': 'Replaced',
                [`${ENTERPRISE}:employeeNumber`]: 'E-2',
                [`${ENTERPRISE}:department`]: 'After',
              }
            : {
                title: 'Added Title',
                'name.middleName': 'Added',
                [`${ENTERPRISE}:employeeNumber`]: 'E-3',
                [`${ENTERPRISE}:costCenter`]: 'CC-9',
              };
        const changes: AttributeChange[] = Object.entries(wanted).map(([raw, value]) => ({ path: path(raw), op, value }));
        const operations = attributeOperations('aadOptscim062020', changes, { pathlessAdd: true, rolesAsJsonString: false });
        return [
          {
            send: () => ctx.client.patch('Users', user.id, operations),
            verify: async () => {
              const got = await read(ctx, 'Users', user.id, 'the probe user');
              for (const [key, value] of Object.entries(wanted)) {
                const actual = readFlat(got, key);
                expect(
                  actual === value,
                  `after the path-less ${op} ${JSON.stringify(operations[0])}, ${key} reads back as ${show(actual)}, expected "${value}"${prop(got, key) !== undefined ? ` (the target stored a literal attribute named "${key}" instead of following the path)` : ''}`,
                );
              }
              return `one path-less ${op} set ${Object.keys(wanted).join(', ')}`;
            },
          },
        ];
      },
    );
}

/** `name.givenName` → resource.name.givenName; `urn:…:User:department` → resource["urn:…:User"].department. */
function readFlat(resource: unknown, key: string): unknown {
  if (key.startsWith('urn:')) {
    const colon = key.lastIndexOf(':');
    return prop(prop(resource, key.slice(0, colon)), key.slice(colon + 1));
  }
  const [top, sub] = key.split('.') as [string, string | undefined];
  return sub === undefined ? prop(resource, top) : prop(prop(resource, top), sub);
}

// ── roles as JSON strings ───────────────────────────────────────────────────────────────────────────────

function rolesProbe(dialect: DialectName): StandaloneCheck['run'] {
  return (ctx) =>
    probe(
      () => createUser(ctx, `q-roles-${dialect}`),
      (user) => {
        const role = { id: ctx.random.uuid(), value: 'Admin', displayName: 'Admin' };
        const change: AttributeChange = {
          path: path('roles'),
          op: 'add',
          value: [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: role.displayName, value: role.value }],
          roles: [role],
        };
        const operations = lowercased(
          attributeOperations(dialect, [change], { pathlessAdd: false, rolesAsJsonString: dialect === 'legacy' }),
        );
        return [
          {
            send: () => ctx.client.patch('Users', user.id, operations),
            verify: async () => {
              const roles = prop(await read(ctx, 'Users', user.id, 'the probe user'), 'roles');
              const values = Array.isArray(roles) ? roles.map((r) => prop(r, 'value')) : [];
              if (values.includes('Admin')) return 'the user has the role "Admin"';
              const verbatim = values.find((v) => typeof v === 'string' && v.trim().startsWith('{'));
              expect(
                false,
                verbatim !== undefined
                  ? `the role was stored as the JSON text ${show(verbatim)}; the legacy dialect sends each role as a JSON string in "value" (spec §1.7): parse it to get the role "Admin"`
                  : `the user's roles read back as ${show(roles)}, expected a role with value "Admin"`,
              );
              return '';
            },
          },
        ];
      },
    );
}

// ── excludedAttributes=members ──────────────────────────────────────────────────────────────────────────

const excludedMembers: StandaloneCheck['run'] = (ctx) =>
  probe(
    async () => {
      const a = await createUser(ctx, 'q-excluded1');
      const b = await createUser(ctx, 'q-excluded2');
      return createGroup(ctx, 'q-excluded', [a.id, b.id]);
    },
    (group) => {
      const wrong = (error: unknown): never => {
        if (error instanceof ScimRequestError && error.entraCode === 'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse') {
          throw new CheckFailure(
            `${error.method} ${error.url} returned the group's members although it asked excludedAttributes=members (Entra logs SystemForCrossDomainIdentityManagementMultipleEntriesInResponse)`,
          );
        }
        throw error;
      };
      let found: Array<{ id?: string }> = [];
      return [
        {
          send: async () => {
            found = await ctx.client.filter('Groups', 'displayName', group.displayName).catch(wrong);
          },
          verify: async () => {
            expect(
              found.length === 1 && found[0]?.id === group.id,
              `GET /Groups?excludedAttributes=members&filter=displayName eq "${group.displayName}" found ${show(found.map((f) => f.id))}, expected [${group.id}]`,
            );
            return 'the filter GET left the members out';
          },
        },
        {
          send: async () => {
            await ctx.client.get('Groups', group.id).catch(wrong);
          },
          verify: async () => 'GET /Groups/{id}?excludedAttributes=members left them out',
        },
      ];
    },
  );

// ── the random-GUID probe ───────────────────────────────────────────────────────────────────────────────

const guidProbe: StandaloneCheck['run'] = (ctx) =>
  probe(
    async () => undefined,
    () =>
      (['Users', 'Groups'] as const).map((resource) => {
        const attribute = resource === 'Users' ? 'userName' : 'displayName';
        const guid = ctx.random.uuid();
        let found: unknown[] = [];
        return {
          // A 404 throws (ScimClient reads it as the compliance failure it is): `rejected` in the matrix.
          send: async () => {
            found = await ctx.client.filter(resource, attribute, guid);
          },
          verify: async () => {
            expect(
              found.length === 0,
              `GET /${resource}?filter=${attribute} eq "${guid}" returned ${found.length} resource(s) for a random GUID: the filter is ignored, so Entra would match the wrong object`,
            );
            return `GET /${resource}?filter=${attribute} eq "<random GUID>" → 200, empty list`;
          },
        };
      }),
  );

// ── the list ────────────────────────────────────────────────────────────────────────────────────────────

export const QUIRKS: readonly QuirkDefinition[] = [
  {
    quirk: 'string-booleans',
    title: 'booleans as the strings "True"/"False"',
    probes: [
      quirkProbe('string-booleans', 'legacy', {
        title: 'active "False"/"True" as strings (legacy disable/enable)',
        severity: 'when-sent',
        source: 'spec §1.8, §1.14',
        shape: STRING_BOOLEAN,
        run: activeProbe('legacy'),
      }),
      quirkProbe('string-booleans', 'aadOptscim062020', {
        title: 'active false/true as JSON booleans (flag dialect)',
        severity: 'when-sent',
        source: 'spec §1.8, §1.14',
        run: activeProbe('aadOptscim062020'),
      }),
    ],
  },
  {
    quirk: 'capitalised-ops',
    title: 'capitalised op names ("Replace", "Add")',
    probes: [
      quirkProbe('capitalised-ops', 'legacy', {
        title: '"Replace" and "Add" (legacy)',
        severity: 'when-sent',
        source: 'spec §1.6',
        shape: CAPITALISED_OP,
        run: opsProbe('legacy'),
      }),
      quirkProbe('capitalised-ops', 'aadOptscim062020', {
        title: '"replace" and "add" (flag dialect)',
        severity: 'when-sent',
        source: 'spec §1.14',
        run: opsProbe('aadOptscim062020'),
      }),
    ],
  },
  {
    quirk: 'member-remove',
    title: 'member removal: do the other members survive?',
    probes: [
      quirkProbe('member-remove', 'legacy', {
        title: 'remove with path "members" and a value array (legacy)',
        severity: 'when-sent',
        source: 'spec §1.10, §1.14; azure-docs #30826',
        shape: MEMBER_REMOVE_BY_VALUE,
        run: memberRemoveProbe('legacy'),
      }),
      quirkProbe('member-remove', 'aadOptscim062020', {
        title: 'remove with path members[value eq "…"] (flag dialect)',
        severity: 'when-sent',
        source: 'spec §1.14',
        shape: MEMBER_REMOVE_BY_FILTER,
        run: memberRemoveProbe('aadOptscim062020'),
      }),
    ],
  },
  {
    quirk: 'add-missing-filtered-path',
    title: 'add on a filtered path with no element yet',
    probes: [
      quirkProbe('add-missing-filtered-path', 'both', {
        title: 'add emails[type eq "work"].value to a user without emails',
        severity: 'when-sent',
        source: 'spec §1.6 (sourcegraph #49200; the Validator\'s "Add Attributes")',
        shape: FILTERED_PATH,
        run: addMissingFilteredPath,
      }),
    ],
  },
  {
    quirk: 'manager-bare-id',
    title: 'manager as a bare id, removed with "" (both dialects)',
    probes: [
      // Both dialects send {"op":"add"|"Add","path":"…:manager","value":"<id>"}; with legacy's ops lowercased (file comment) the two shapes are one.
      quirkProbe('manager-bare-id', 'both', {
        title: 'manager set as a bare id, removed with ""',
        severity: 'when-sent',
        source:
          'spec §1.7 (Logic App SCIM_Update_Manager); the flag dialect too: a trace from Microsoft Entra with "op":"add" and a bare id (Captain-P-Goldfish/SCIM-SDK #686, 2024-07-09)',
        shape: BARE_MANAGER,
        run: managerProbe('legacy', true),
      }),
    ],
  },
  {
    quirk: 'manager-object-form',
    title: 'manager as {"value": id} (quirk managerBareId off)',
    probes: [
      quirkProbe('manager-object-form', 'legacy', {
        title: 'manager set as {"value": id}, removed with "" (legacy, managerBareId off)',
        severity: 'optional',
        source: 'RFC 7643 §4.3 (manager is complex); provsim --quirk managerBareId=off, not what Entra sends by default',
        shape: OBJECT_MANAGER,
        run: managerProbe('legacy', false),
      }),
      quirkProbe('manager-object-form', 'aadOptscim062020', {
        title: 'manager set as {"value": id}, removed with remove (flag dialect, managerBareId off)',
        severity: 'optional',
        source: 'RFC 7643 §4.3 (manager is complex); provsim --quirk managerBareId=off, not what Entra sends by default',
        shape: OBJECT_MANAGER,
        run: managerProbe('aadOptscim062020', false),
      }),
    ],
  },
  {
    quirk: 'pathless-replace',
    title: 'path-less replace with dotted and URN keys',
    probes: [
      quirkProbe('pathless-replace', 'aadOptscim062020', {
        title: 'one path-less replace of displayName, name.givenName and enterprise URN keys',
        severity: 'when-sent',
        source: 'spec §1.14 (documented table)',
        shape: pathless('replace'),
        run: pathlessProbe('replace'),
      }),
    ],
  },
  {
    quirk: 'pathless-add',
    title: 'path-less add with dotted and URN keys',
    probes: [
      quirkProbe('pathless-add', 'aadOptscim062020', {
        title: 'one path-less add of title, name.middleName and enterprise URN keys',
        severity: 'optional',
        source: 'spec §1.14 (third-party traces, unconfirmed)',
        shape: pathless('add'),
        run: pathlessProbe('add'),
      }),
    ],
  },
  {
    quirk: 'roles-json-string',
    title: 'roles as JSON strings inside "value"',
    probes: [
      quirkProbe('roles-json-string', 'legacy', {
        title: 'add roles [{"value": "{\\"id\\":…,\\"value\\":\\"Admin\\"…}"}] (legacy)',
        severity: 'optional',
        source: 'spec §1.7 (only with a role mapping)',
        shape: ROLES_JSON_STRING,
        run: rolesProbe('legacy'),
      }),
      quirkProbe('roles-json-string', 'aadOptscim062020', {
        title: 'add roles as objects (flag dialect)',
        severity: 'optional',
        source: 'spec §1.7 (only with a role mapping)',
        run: rolesProbe('aadOptscim062020'),
      }),
    ],
  },
  {
    quirk: 'excluded-attributes-members',
    title: 'excludedAttributes=members on group reads',
    probes: [
      quirkProbe('excluded-attributes-members', 'both', {
        title: 'group filter and GET by id with excludedAttributes=members',
        severity: 'when-sent',
        source: 'spec §1.10',
        run: excludedMembers,
      }),
    ],
  },
  {
    quirk: 'random-guid-probe',
    title: 'the random-GUID probe (Test Connection, every cycle)',
    probes: [
      quirkProbe('random-guid-probe', 'both', {
        title: 'filter for a random GUID: 200 and an empty list',
        severity: 'when-sent',
        source: 'spec §1.2',
        run: guidProbe,
      }),
    ],
  },
];

export const QUIRK_CHECKS: readonly StandaloneCheck[] = QUIRKS.flatMap((q) => q.probes);

/** The probe of `quirk` that a run of `dialect` sends (its own column, or the shared one). */
export function probeOf(quirk: string, dialect: DialectName): StandaloneCheck | undefined {
  return QUIRKS.find((q) => q.quirk === quirk)?.probes.find((p) => p.dialect === dialect || p.dialect === 'both');
}
