/**
 * Evaluates an object mapping for one source object (spec §2.1): Direct, Constant and Expression rows.
 * Pure but for the injected clock and random source (Now(), Guid()). Never throws on data: a failing
 * expression becomes a per-attribute failure that the engine logs as an object failure.
 */
import { evaluate, type RoleList } from '../expression/index.js';
import type { Clock } from '../shared/clock.js';
import type { Random } from '../shared/random.js';
import type { CompiledAttribute, CompiledObjectMapping } from './compile.js';
import type { SourceView } from '../source/view.js';

/** A mapped scalar (strings; Entra's booleans are "True"/"False") or a role list. */
export type MappedValue = string | RoleList;

export interface MappedAttribute {
  attribute: CompiledAttribute;
  /** null: the attribute does not flow (Entra never provisions nulls, except via `default` on create). */
  value: MappedValue | null;
  /** Redact() was used: the value flows, logs show "[Redact]". */
  redacted: boolean;
}

export interface MappingFailure {
  target: string;
  code: string;
  message: string;
}

export interface MappedObject {
  /** Non-reference attributes, in mapping order. */
  values: MappedAttribute[];
  failures: MappingFailure[];
  /** The manager's source id; undefined when manager is not mapped. */
  managerSourceId: string | null | undefined;
  /** Member source ids; undefined when members are not mapped. */
  memberSourceIds: string[] | undefined;
}

export function mapObject(mapping: CompiledObjectMapping, view: SourceView, deps: { clock: Clock; random: Random }): MappedObject {
  const out: MappedObject = { values: [], failures: [], managerSourceId: undefined, memberSourceIds: undefined };
  const context = { attributes: view.attributes, appRoleAssignments: view.appRoleAssignments, clock: deps.clock, random: deps.random };
  for (const attribute of mapping.attributes) {
    const row = attribute.mapping;
    if (attribute.reference === 'manager') {
      const v = row.source.kind === 'direct' ? view.attributes[row.source.attribute] : null;
      out.managerSourceId = typeof v === 'string' && v !== '' ? v : null;
      continue;
    }
    if (attribute.reference === 'members') {
      const v = row.source.kind === 'direct' ? view.attributes[row.source.attribute] : null;
      out.memberSourceIds = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
      continue;
    }
    switch (row.source.kind) {
      case 'direct': {
        out.values.push({ attribute, value: scalar(view.attributes[row.source.attribute] ?? null), redacted: false });
        break;
      }
      case 'constant':
        out.values.push({ attribute, value: row.source.value, redacted: false });
        break;
      case 'expression': {
        if (!attribute.expression) break;
        const result = evaluate(attribute.expression, context);
        if (!result.ok) {
          out.failures.push({
            target: row.target,
            code: result.error.code,
            message: `${result.error.message} (in ${JSON.stringify(row.source.text)} at column ${result.error.offset + 1})`,
          });
        } else if (!result.ignoreFlow) {
          const v = result.value;
          out.values.push({
            attribute,
            value: v === null ? null : typeof v === 'object' && !Array.isArray(v) ? v : scalar(v),
            redacted: result.redacted,
          });
        }
        break;
      }
    }
  }
  return out;
}

/** Multi-valued sources feeding a single-valued target flow their first value. Empty strings do not flow. */
function scalar(v: string | string[] | null): string | null {
  const s = Array.isArray(v) ? (v[0] ?? null) : v;
  return s === '' ? null : s;
}
