/**
 * Generated users and groups, one at a time: `generateUser(o, i)` depends only on the seed and `i` (and the
 * tenant size, for group members), never on other objects, so writers can stream and look objects up again.
 * Each object's draws come in a fixed order, identity and assignment first, so the cheap `*Head` functions
 * give what references need (ids, UPNs, display names, assignments) without drawing the rest.
 *
 * Proportions (per object, independent draws): 3 % guests, 2 % disabled, 1 % soft-deleted, 60 % of users
 * assigned directly (90 % role User, 5 % Admin, 5 % no role = Default Access), a third of groups assigned
 * (three quarters User, a quarter Admin). Managers form a forest: the first `TOP_USERS` users and all guests
 * have none; member `i` reports to user `⌊(i − TOP_USERS) / SPAN_OF_CONTROL⌋`, always a smaller index, so
 * there are no cycles. That user may be a guest, disabled or soft-deleted, as happens in real tenants.
 */
import type { Random } from '../../shared/random.js';
import { asciiFold } from './ascii-fold.js';
import {
  COMPANY_NAME,
  DEPARTMENTS,
  EXTENSION_APP_ID,
  FIRST_NAMES,
  GROUP_KINDS,
  GUEST_ORGANISATIONS,
  LAST_NAMES,
  OFFICES,
  TENANT_DOMAIN,
  TENANT_INITIAL_DOMAIN,
} from './data.js';
import { below, drawObjectId, objectStream, pick } from './streams.js';

export interface GenerateTenantOptions {
  users: number;
  groups: number;
  /** Direct user members per group, chosen deterministically; capped at `users`. */
  membersPerGroup: number;
  /** Taken as an unsigned 32-bit integer. */
  seed: number;
}

/** The app role of an assignment: a role value, or null for Entra's Default Access (no role named). */
export type AssignedRole = 'User' | 'Admin' | null;

export const TOP_USERS = 3;
export const SPAN_OF_CONTROL = 8;
const GUEST_SHARE = 0.03;
const DISABLED_SHARE = 0.02;
const SOFT_DELETED_SHARE = 0.01;
const DIRECTLY_ASSIGNED_SHARE = 0.6;
const ASSIGNED_GROUP_SHARE = 1 / 3;
export const COST_CENTER_ATTRIBUTE = `extension_${EXTENSION_APP_ID}_costCenter`;

export interface UserHead {
  index: number;
  id: string;
  userPrincipalName: string;
  guest: boolean;
  /** Null when the user is not assigned directly. */
  assignment: { role: AssignedRole } | null;
}

export interface UserRecord extends UserHead {
  accountEnabled: boolean;
  softDeleted: boolean;
  managerIndex: number | null;
  /** Fixture attributes other than id, userPrincipalName, manager and the flags, in file order. */
  attributes: Record<string, string | string[]>;
}

export interface GroupHead {
  index: number;
  id: string;
  displayName: string;
  assignment: { role: Exclude<AssignedRole, null> } | null;
}

export interface GroupRecord extends GroupHead {
  attributes: Record<string, string>;
  /** User indices, ascending, distinct. */
  memberIndices: number[];
}

/** Precomputed once: folding is the costliest part of a name. */
const FOLDED = new Map<string, string>([...FIRST_NAMES, ...LAST_NAMES].map((n) => [n, asciiFold(n)]));

interface UserDraw {
  head: UserHead;
  r: Random;
  first: string;
  last: string;
  alias: string;
  guestOrganisation: (typeof GUEST_ORGANISATIONS)[number] | null;
}

function drawUserHead(seed: number, index: number): UserDraw {
  const r = objectStream(seed, 'user', index);
  const id = drawObjectId(seed, 'user', index, r);
  const first = pick(r, FIRST_NAMES);
  const last = pick(r, LAST_NAMES);
  const alias = `${FOLDED.get(first)}.${FOLDED.get(last)}${index}`;
  const guestOrganisation = r.next() < GUEST_SHARE ? pick(r, GUEST_ORGANISATIONS) : null;
  const userPrincipalName = guestOrganisation
    ? `${alias}_${guestOrganisation.domain}#EXT#@${TENANT_INITIAL_DOMAIN}`
    : `${alias}@${TENANT_DOMAIN}`;
  const assigned = r.next() < DIRECTLY_ASSIGNED_SHARE;
  const roll = r.next();
  const assignment = assigned ? { role: roll < 0.05 ? ('Admin' as const) : roll < 0.1 ? null : ('User' as const) } : null;
  return {
    head: { index, id, userPrincipalName, guest: guestOrganisation !== null, assignment },
    r,
    first,
    last,
    alias,
    guestOrganisation,
  };
}

export function userHead(seed: number, index: number): UserHead {
  return drawUserHead(seed, index).head;
}

const digits = (r: Random, n: number): string => String(below(r, 10 ** n)).padStart(n, '0');

export function generateUser(seed: number, index: number): UserRecord {
  const { head, r, first, last, alias, guestOrganisation } = drawUserHead(seed, index);
  const accountEnabled = !(r.next() < DISABLED_SHARE);
  const softDeleted = r.next() < SOFT_DELETED_SHARE;
  const department = pick(r, DEPARTMENTS);
  const jobTitle = pick(r, department.titles);
  const office = pick(r, OFFICES);
  const telephoneNumber = `${office.phonePrefix} ${digits(r, 3)} ${digits(r, 4)}`;
  const mobile = r.next() < 0.5 ? `${office.phonePrefix.split(' ')[0]} ${digits(r, 3)} ${digits(r, 3)} ${digits(r, 4)}` : null;
  const contractor = r.next() < 0.1;

  // One object literal per kind of user, optional keys added last: a stable shape keeps this fast at 10^6 users.
  let attributes: Record<string, string | string[]>;
  if (guestOrganisation) {
    const mail = `${alias}@${guestOrganisation.domain}`;
    attributes = {
      displayName: `${first} ${last}`,
      givenName: first,
      surname: last,
      mail,
      mailNickname: `${alias}_${guestOrganisation.domain}#EXT#`,
      userType: 'Guest',
      jobTitle,
      companyName: guestOrganisation.companyName,
      otherMails: [mail],
    };
  } else {
    const mail = head.userPrincipalName;
    attributes = {
      displayName: `${first} ${last}`,
      givenName: first,
      surname: last,
      mail,
      mailNickname: alias,
      userType: 'Member',
      jobTitle,
      department: department.name,
      companyName: COMPANY_NAME,
      employeeId: `E${String(index + 1).padStart(7, '0')}`,
      employeeType: contractor ? 'Contractor' : 'Employee',
      telephoneNumber,
      streetAddress: office.streetAddress,
      city: office.city,
      postalCode: office.postalCode,
      country: office.country,
      physicalDeliveryOfficeName: office.name,
      preferredLanguage: office.preferredLanguage,
      proxyAddresses: [`SMTP:${mail}`, `smtp:${alias}@${TENANT_INITIAL_DOMAIN}`],
      [COST_CENTER_ATTRIBUTE]: department.costCenter,
    };
    if (mobile !== null) attributes['mobile'] = mobile;
    if (office.state !== null) attributes['state'] = office.state;
  }
  const managerIndex = head.guest || index < TOP_USERS ? null : Math.floor((index - TOP_USERS) / SPAN_OF_CONTROL);
  return { ...head, accountEnabled, softDeleted, managerIndex, attributes };
}

interface GroupDraw {
  head: GroupHead;
  r: Random;
  department: (typeof DEPARTMENTS)[number];
  kind: string;
}

function drawGroupHead(seed: number, index: number): GroupDraw {
  const r = objectStream(seed, 'group', index);
  const id = drawObjectId(seed, 'group', index, r);
  const department = pick(r, DEPARTMENTS);
  const kind = pick(r, GROUP_KINDS);
  const assigned = r.next() < ASSIGNED_GROUP_SHARE;
  const role = r.next() < 0.25 ? ('Admin' as const) : ('User' as const);
  return {
    head: { index, id, displayName: `${department.name} ${kind} ${index}`, assignment: assigned ? { role } : null },
    r,
    department,
    kind,
  };
}

export function groupHead(seed: number, index: number): GroupHead {
  return drawGroupHead(seed, index).head;
}

export function generateGroup(options: GenerateTenantOptions, index: number): GroupRecord {
  const { head, r, department, kind } = drawGroupHead(options.seed, index);
  return {
    ...head,
    attributes: {
      mailNickname: asciiFold(head.displayName.replace(/ /g, '-')),
      description: `${kind} of the ${department.name} department.`,
    },
    memberIndices: sampleIndices(r, options.users, Math.min(options.membersPerGroup, options.users)),
  };
}

/** `k` distinct integers of [0, n), ascending (Floyd's algorithm: exactly k draws, whatever k/n). */
function sampleIndices(r: Random, n: number, k: number): number[] {
  const chosen = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = below(r, j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
