/**
 * Named quirks: request shapes where Microsoft's documentation is silent or contradicts itself (the spec
 * marks them UNCONFIRMED). Each has a default per dialect — the likeliest behaviour — and can be switched
 * on its own with `--quirk name=on|off`. The README lists them; tests pin both settings.
 */
import { UsageError } from '../shared/errors.js';
import type { DialectName } from './dialect.js';

export interface QuirkDefinition {
  name: QuirkName;
  /** What "on" does, in one line. */
  description: string;
  /** Where the evidence is (spec section) and why the default was chosen. */
  evidence: string;
  defaults: Record<DialectName, boolean>;
}

export const QUIRK_NAMES = ['emptyRolesOnCreate', 'adscimGroupSchema', 'primaryOnWorkElements', 'managerBareId', 'pathlessAdd', 'rolesAsJsonString'] as const;
export type QuirkName = (typeof QUIRK_NAMES)[number];
export type Quirks = Readonly<Record<QuirkName, boolean>>;

export const QUIRKS: readonly QuirkDefinition[] = [
  {
    name: 'emptyRolesOnCreate',
    description: 'user POSTs carry `"roles": []` when no role is mapped',
    evidence: 'spec §1.5: in the documented POST example; whether the engine always sends it is unconfirmed',
    defaults: { legacy: true, aadOptscim062020: true },
  },
  {
    name: 'adscimGroupSchema',
    description: 'group POSTs list `http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group` in `schemas`',
    evidence: 'spec §1.10: in the current documented example, although listed as fixed for scim jobs in 2018',
    defaults: { legacy: true, aadOptscim062020: true },
  },
  {
    name: 'primaryOnWorkElements',
    description: '`primary: true` on the `type eq "work"` element of phoneNumbers and addresses too (always on emails)',
    evidence: 'spec §1.5: documented for the work email only; the SCIM Validator sends it on all three',
    defaults: { legacy: true, aadOptscim062020: true },
  },
  {
    name: 'managerBareId',
    description: 'the manager PATCH value is the bare target id (`"value": "<id>"`); off sends `{"value": "<id>"}`',
    evidence: 'spec §1.7: observed bare in current traffic; the flag dialect is the RFC-compliance switch, so it sends the complex form',
    defaults: { legacy: true, aadOptscim062020: false },
  },
  {
    name: 'pathlessAdd',
    description: 'in the flag dialect, newly set simple attributes are merged into one path-less `add` (like `replace`)',
    evidence: 'spec §1.14: third-party traces, unconfirmed as a rule',
    defaults: { legacy: false, aadOptscim062020: true },
  },
  {
    name: 'rolesAsJsonString',
    description: 'a role PATCH sends each role as a JSON string inside `value` (`[{"value": "{\\"id\\":…}"}]`)',
    evidence: 'spec §1.7: documented for the default dialect; the flag makes POST and PATCH consistent',
    defaults: { legacy: true, aadOptscim062020: false },
  },
];

export function defaultQuirks(dialect: DialectName): Quirks {
  return Object.fromEntries(QUIRKS.map((q) => [q.name, q.defaults[dialect]])) as Record<QuirkName, boolean>;
}

/** Parses `name=on|off` settings (from repeated `--quirk`) on top of the dialect's defaults. */
export function resolveQuirks(dialect: DialectName, settings: readonly string[] = []): Quirks {
  const quirks: Record<QuirkName, boolean> = { ...defaultQuirks(dialect) };
  for (const setting of settings) {
    const m = /^([A-Za-z]+)=(on|off|true|false)$/.exec(setting.trim());
    if (!m) throw new UsageError(`--quirk ${JSON.stringify(setting)} must be name=on or name=off, e.g. --quirk managerBareId=off`);
    const name = m[1] as QuirkName;
    if (!(QUIRK_NAMES as readonly string[]).includes(name)) {
      throw new UsageError(`--quirk ${name} is not a quirk; known: ${QUIRK_NAMES.join(', ')}`);
    }
    quirks[name] = m[2] === 'on' || m[2] === 'true';
  }
  return quirks;
}
