/**
 * The lifecycle's built-in scenario tenant: one subject user, two managers, one more group member and one
 * group, all named with the run id. Each lifecycle step changes a small ScenarioState; `tenant(state)`
 * turns it into the Entra tenant snapshot the engine syncs next, through the same parser as fixture files
 * (parseTenant), so the engine sees exactly what it would see from disk.
 */
import { parseTenant } from '../source/index.js';
import type { Tenant } from '../model/directory.js';
import { InternalError } from '../shared/errors.js';
import type { Random } from '../shared/random.js';
import type { RunObjects } from './run-objects.js';

export type ScenarioUser = 'user' | 'manager1' | 'manager2' | 'member';

export interface ScenarioState {
  /** false: hard-deleted in Entra (gone from the tenant). */
  userPresent: boolean;
  userAssigned: boolean;
  /** The subject user's attributes: the initial set or the updated one. */
  userUpdated: boolean;
  accountEnabled: boolean;
  softDeleted: boolean;
  manager: 'manager1' | 'manager2' | null;
  /** null: no group (not yet created, or hard-deleted). */
  group: { renamed: boolean; members: ScenarioUser[] } | null;
}

export const INITIAL_STATE: ScenarioState = {
  userPresent: true,
  userAssigned: true,
  userUpdated: false,
  accountEnabled: true,
  softDeleted: false,
  manager: null,
  group: null,
};

/** The subject user's Entra attributes, and what the default mapping makes of them in the target. */
export interface SubjectAttributes {
  displayName: string;
  givenName: string;
  surname: string;
  mail: string;
  jobTitle: string;
  department: string;
}

export interface Scenario {
  /** Entra object ids (GUIDs). */
  ids: Record<ScenarioUser | 'group', string>;
  /** userPrincipalName (= the target userName under the default mapping) of each user. */
  userNames: Record<ScenarioUser, string>;
  groupName: string;
  groupRenamed: string;
  subject: { initial: SubjectAttributes; updated: SubjectAttributes };
  tenant(state: ScenarioState): Tenant;
}

export function createScenario(objects: RunObjects, random: Random): Scenario {
  const run = objects.runId;
  const ids = { user: random.uuid(), manager1: random.uuid(), manager2: random.uuid(), member: random.uuid(), group: random.uuid() };
  const userNames = {
    user: objects.userName('lifecycle'),
    manager1: objects.userName('manager1'),
    manager2: objects.userName('manager2'),
    member: objects.userName('member'),
  };
  const groupName = objects.groupName('lifecycle');
  const groupRenamed = objects.groupName('lifecycle renamed');
  const subject = {
    initial: {
      displayName: `provsim lifecycle ${run}`,
      givenName: 'Ada',
      surname: 'Lovelace',
      mail: userNames.user,
      jobTitle: 'Engineer',
      department: 'Research',
    },
    updated: {
      displayName: `provsim lifecycle ${run} updated`,
      givenName: 'Augusta',
      surname: 'Lovelace',
      mail: `provsim-${run}-lifecycle.updated@example.com`,
      jobTitle: 'Principal Engineer',
      department: 'Analytics',
    },
  };

  const person = (key: ScenarioUser, first: string, last: string): Record<string, unknown> => ({
    id: ids[key],
    userPrincipalName: userNames[key],
    displayName: `provsim ${key} ${run}`,
    givenName: first,
    surname: last,
    mail: userNames[key],
    mailNickname: `provsim-${run}-${key}`,
  });

  const tenant = (state: ScenarioState): Tenant => {
    const users: Array<Record<string, unknown>> = [
      person('manager1', 'Grace', 'Hopper'),
      person('manager2', 'Margaret', 'Hamilton'),
      person('member', 'Alan', 'Turing'),
    ];
    const assignments: Array<Record<string, unknown>> = [
      { principal: ids.manager1 },
      { principal: ids.manager2 },
      { principal: ids.member },
    ];
    if (state.userPresent) {
      const a = state.userUpdated ? subject.updated : subject.initial;
      users.unshift({
        id: ids.user,
        userPrincipalName: userNames.user,
        displayName: a.displayName,
        givenName: a.givenName,
        surname: a.surname,
        mail: a.mail,
        mailNickname: `provsim-${run}-lifecycle`,
        jobTitle: a.jobTitle,
        department: a.department,
        accountEnabled: state.accountEnabled,
        softDeleted: state.softDeleted,
        ...(state.manager ? { manager: ids[state.manager] } : {}),
      });
      if (state.userAssigned) assignments.unshift({ principal: ids.user });
    }
    const groups: Array<Record<string, unknown>> = [];
    if (state.group) {
      groups.push({
        id: ids.group,
        displayName: state.group.renamed ? groupRenamed : groupName,
        mailNickname: `provsim-${run}-group`,
        members: state.group.members.map((m) => ids[m]),
      });
      assignments.push({ principal: ids.group });
    }
    // JSON is YAML: the texts go through the fixture parser unchanged.
    const { tenant: parsed, diagnostics } = parseTenant({
      dir: 'conformance-scenario',
      users: { file: 'users.yaml', text: JSON.stringify(users, null, 1) },
      groups: { file: 'groups.yaml', text: JSON.stringify(groups, null, 1) },
      assignments: {
        file: 'assignments.yaml',
        text: JSON.stringify({ app: { name: 'provsim conformance', appRoles: [] }, assignments }, null, 1),
      },
    });
    if (!parsed)
      throw new InternalError(
        `the built-in conformance scenario does not parse (a provsim bug): ${diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`,
      );
    return parsed;
  };

  return { ids, userNames, groupName, groupRenamed, subject, tenant };
}
