/**
 * `anonymizeTenant`: a tenant with every personal value replaced by a pseudonym keyed by a seed, and everything
 * the provisioning engine decides with left as it was. Pure and deterministic: HMAC-SHA256 with the seed, no
 * randomness; the same seed and tenant give the same tenant (the same JSON, byte for byte), another seed
 * other pseudonyms.
 *
 * Replaced: object ids of users and groups (new GUIDs; managers, members and assignments rewritten with them),
 * names and display names, UPNs, mails, mail nicknames, other mails and proxy addresses (see `addresses.ts`:
 * guests stay `#EXT#` guests, a UPN and a mail that were equal stay equal), phone numbers, addresses, job data,
 * company, extension attributes and free text (see `value-pseudonyms.ts`), ISO dates (shifted, see `dates.ts`),
 * and the app's name.
 * Kept: the order and number of users, groups and assignments, the manager tree, group memberships (nested
 * groups too), assignments and their roles, the app roles (ids, values, names), `accountEnabled`, `softDeleted`,
 * `userType`, `preferredLanguage`, where each object was read from (`dir`, `location`), and the values of the
 * attributes named in `keep` (e.g. `department`, `country`, so scoping filters select the same objects).
 * Equal values of a kind stay equal and distinct ones distinct — UPNs, mails and ids compared ignoring case (as
 * Entra compares them), all other values exactly (`Sales` and `SALES` get two pseudonyms) — and no pseudonym
 * equals an original value of its kind. Dates are the exception: each day moves by its own keyed shift (never
 * zero), so two days may land on one, or on another original day.
 */
import type { AppRole, Assignment, SourceGroup, SourceUser, SourceValue, Tenant } from '../../model/directory.js';
import { GROUP_FIXTURE_KEYS, USER_FIXTURE_KEYS, isExtensionAttribute } from '../fixture-attributes.js';
import { AddressPseudonyms, addressParts } from './addresses.js';
import { KeyedHash } from './keyed-hash.js';
import { ValuePseudonyms } from './value-pseudonyms.js';

export interface AnonymizeOptions {
  /** The key of every pseudonym. Keep it secret: with it and a guess, a pseudonym can be checked. */
  seed: string;
  /** Attribute names whose values are kept verbatim, for users and groups (`department`, `country`, `displayName`…). */
  keep?: string[];
}

/** References: always rewritten, never kept. */
const NOT_KEEPABLE = new Set(['id', 'objectId', 'manager', 'members']);
/** Kept whatever `keep` says: what the engine decides with, or codes that say nothing about a person. */
const ALWAYS_KEPT = new Set(['userType', 'preferredLanguage']);
const PHONES = new Set(['telephoneNumber', 'mobile', 'facsimileTelephoneNumber']);
const WORD_ATTRIBUTES = new Set([
  'department',
  'jobTitle',
  'companyName',
  'city',
  'state',
  'country',
  'physicalDeliveryOfficeName',
  'employeeType',
]);
const PROXY_ADDRESS = /^([A-Za-z0-9]+):(.*)$/s;

/**
 * The tenant anonymized. Throws RangeError, naming the problem, when the seed is empty or `keep` names an id
 * or reference attribute, or an attribute no user or group has and the fixture format does not know.
 */
export function anonymizeTenant(tenant: Tenant, options: AnonymizeOptions): Tenant {
  if (options.seed === '') throw new RangeError('the anonymization seed is empty; give a secret seed such as a random passphrase');
  const keep = checkKeep(tenant, options.keep ?? []);
  const hash = new KeyedHash(options.seed);

  const originals = collectOriginals(tenant);
  const addresses = new AddressPseudonyms(hash, originals.locals, originals.labels);
  const values = new ValuePseudonyms(hash, (kind) => originals.byKind.get(kind) ?? []);
  const ids = new IdPseudonyms(hash, originals.ids);

  // Pseudonyms are handed out in a fixed order (ids, then UPNs, then the other values in input order and
  // sorted attribute order), so collisions resolve the same way every time.
  for (const u of tenant.users) ids.of(u.id);
  for (const g of tenant.groups) ids.of(g.id);
  const upns = tenant.users.map((u) =>
    keep.has('userPrincipalName') ? u.userPrincipalName : anonymizedAddress(addresses, values, u.userPrincipalName),
  );

  const users = tenant.users.map((u, i): SourceUser => {
    const persona = addresses.persona(upnAlias(u.userPrincipalName));
    const attribute = (name: string, value: SourceValue): SourceValue => {
      if (value === null || keep.has(name) || ALWAYS_KEPT.has(name)) return value;
      switch (name) {
        case 'displayName':
          return `${persona.givenName} ${persona.surname}`;
        case 'givenName':
          return persona.givenName;
        case 'surname':
          return persona.surname;
        case 'mailNickname':
          return each(value, (v) => addresses.localPart(v));
        case 'mail':
        case 'otherMails':
          return each(value, (v) => anonymizedAddress(addresses, values, v));
        case 'proxyAddresses':
          return each(value, (v) => proxyAddress(addresses, values, v));
        case 'streetAddress':
          return each(value, (v) => values.street(v));
        default:
          if (PHONES.has(name)) return each(value, (v) => values.phone(v));
          if (WORD_ATTRIBUTES.has(name)) return each(value, (v) => values.words(name, name, v));
          return each(value, (v) => values.shaped(name, v));
      }
    };
    // Field by field: a user read back from its file (json/line-user.ts) has accessors a spread would not copy.
    return {
      id: ids.of(u.id),
      userPrincipalName: upns[i]!,
      accountEnabled: u.accountEnabled,
      softDeleted: u.softDeleted,
      managerId: u.managerId === null ? null : ids.of(u.managerId),
      location: u.location,
      attributes: mapAttributes(u.attributes, attribute),
    };
  });

  const groups = tenant.groups.map((g): SourceGroup => {
    const displayName = keep.has('displayName') ? g.displayName : values.words('groupDisplayName', 'groupDisplayName', g.displayName);
    const nickname =
      displayName
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'group';
    const attribute = (name: string, value: SourceValue): SourceValue => {
      if (value === null || keep.has(name)) return value;
      switch (name) {
        case 'mailNickname':
          return each(value, () => nickname);
        case 'mail':
          return each(value, (v) => {
            const at = v.lastIndexOf('@');
            return at > 0 ? `${nickname}@${addresses.domain(v.slice(at + 1))}` : values.shaped('groupMail', v);
          });
        case 'description':
          return each(value, (v) => values.text('groupDescription', v));
        default:
          return each(value, (v) => values.shaped(`group:${name}`, v));
      }
    };
    return {
      ...g,
      id: ids.of(g.id),
      displayName,
      memberIds: g.memberIds.map((m) => ids.of(m)),
      attributes: mapAttributes(g.attributes, attribute),
    };
  });

  // Field by field: a large tenant's assignments keep their location in an accessor, which a spread skips.
  const assignments = tenant.assignments.map((a): Assignment => ({
    principalKind: a.principalKind,
    principalId: ids.of(a.principalId),
    roleId: a.roleId,
    location: a.location,
  }));
  const appRoles = tenant.app.appRoles.map((r): AppRole => ({ ...r }));
  return {
    dir: tenant.dir,
    users,
    groups,
    app: { name: values.words('appName', 'appName', tenant.app.name), appRoles },
    assignments,
  };
}

function checkKeep(tenant: Tenant, keep: readonly string[]): Set<string> {
  const present = new Set<string>();
  for (const u of tenant.users) for (const k of Object.keys(u.attributes)) present.add(k);
  for (const g of tenant.groups) for (const k of Object.keys(g.attributes)) present.add(k);
  for (const name of keep) {
    if (NOT_KEEPABLE.has(name))
      throw new RangeError(
        `keep: ${name} cannot be kept: object ids and the references to them (manager, members) are always replaced; leave it out of keep`,
      );
    if (!USER_FIXTURE_KEYS.includes(name) && !GROUP_FIXTURE_KEYS.includes(name) && !isExtensionAttribute(name) && !present.has(name))
      throw new RangeError(
        `keep: ${JSON.stringify(name)} is not an attribute of this tenant's users or groups; give attribute names as the fixtures spell them, e.g. department, country`,
      );
  }
  return new Set(keep);
}

/** The alias a user's persona is drawn from: the UPN's local part, or a guest's alias at home (`alice` of `alice_fabrikam.com#EXT#@…`). */
function upnAlias(upn: string): string {
  const at = upn.lastIndexOf('@');
  const local = at === -1 ? upn : upn.slice(0, at);
  const ext = /^(.*)_[^_]+#EXT#$/i.exec(local);
  return ext ? ext[1]! : local;
}

function anonymizedAddress(addresses: AddressPseudonyms, values: ValuePseudonyms, value: string): string {
  return addresses.address(value) ?? values.shaped('address', value);
}

/** `SMTP:alice@contoso.com` keeps its prefix (and its case: SMTP marks the primary address). */
function proxyAddress(addresses: AddressPseudonyms, values: ValuePseudonyms, value: string): string {
  const m = PROXY_ADDRESS.exec(value);
  if (!m) return anonymizedAddress(addresses, values, value);
  return `${m[1]!}:${addresses.address(m[2]!) ?? values.shaped(`proxy:${m[1]!.toLowerCase()}`, m[2]!)}`;
}

function each(value: string | string[], f: (v: string) => string): string | string[] {
  return typeof value === 'string' ? f(value) : value.map(f);
}

/** New values computed in sorted name order (a fixed pseudonym order), returned in the original key order. */
function mapAttributes(
  attributes: Record<string, SourceValue>,
  f: (name: string, value: SourceValue) => SourceValue,
): Record<string, SourceValue> {
  const computed = new Map<string, SourceValue>();
  for (const name of Object.keys(attributes).sort()) computed.set(name, f(name, attributes[name] ?? null));
  const out: Record<string, SourceValue> = {};
  for (const name of Object.keys(attributes)) out[name] = computed.get(name) ?? null;
  return out;
}

class IdPseudonyms {
  private readonly given = new Map<string, string>();
  private readonly taken: Set<string>;

  constructor(
    private readonly hash: KeyedHash,
    originals: Iterable<string>,
  ) {
    this.taken = new Set([...originals].map((id) => id.toLowerCase()));
  }

  /** The new id of an object id; the same id (in any case) always gets the same new id. */
  of(id: string): string {
    const key = id.toLowerCase();
    const known = this.given.get(key);
    if (known !== undefined) return known;
    for (let attempt = 0; ; attempt++) {
      const guid = this.hash.guid('id', key, attempt);
      if (this.taken.has(guid)) continue;
      this.taken.add(guid);
      this.given.set(key, guid);
      return guid;
    }
  }
}

/** Every original value a pseudonym must not equal, by kind. */
function collectOriginals(tenant: Tenant): {
  ids: string[];
  locals: string[];
  labels: string[];
  byKind: Map<string, string[]>;
} {
  const ids: string[] = [];
  const locals: string[] = [];
  const labels: string[] = [];
  const byKind = new Map<string, string[]>();
  const add = (kind: string, value: SourceValue): void => {
    if (value === null) return;
    const list = byKind.get(kind) ?? [];
    if (typeof value === 'string') list.push(value);
    else list.push(...value);
    byKind.set(kind, list);
  };
  const addAddress = (value: string): void => {
    const parts = addressParts(value.replace(PROXY_ADDRESS, '$2'));
    locals.push(...parts.locals);
    labels.push(...parts.labels);
  };
  for (const u of tenant.users) {
    ids.push(u.id);
    addAddress(u.userPrincipalName);
    for (const [name, value] of Object.entries(u.attributes)) {
      if (value === null) continue;
      if (name === 'mail' || name === 'otherMails' || name === 'proxyAddresses' || name === 'mailNickname')
        for (const v of typeof value === 'string' ? [value] : value) addAddress(v);
      if (PHONES.has(name)) add('phone', value);
      else if (name === 'streetAddress') add('streetAddress', value);
      else add(name, value);
    }
  }
  for (const g of tenant.groups) {
    ids.push(g.id);
    add('groupDisplayName', g.displayName);
    for (const [name, value] of Object.entries(g.attributes)) {
      if (name === 'mail' && typeof value === 'string') addAddress(value);
      add(name === 'description' ? 'groupDescription' : name === 'mail' ? 'groupMail' : `group:${name}`, value);
    }
  }
  for (const a of tenant.assignments) ids.push(a.principalId);
  add('appName', tenant.app.name);
  add(
    'address',
    tenant.users.map((u) => u.userPrincipalName),
  );
  return { ids, locals, labels, byKind };
}
