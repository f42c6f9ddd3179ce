/**
 * Request shapes: the one feature of a PATCH body that carries an Entra quirk (a capitalised op, a string
 * boolean, a bare manager id…). A quirk probe declares the shape it sends; consequences.ts uses the same
 * shape to tell whether another check's refused request carried it too. Pure.
 */
import { prop } from './kit.js';

export interface RequestShape {
  /** What the shape is, for messages: `a capitalised op`. */
  name: string;
  /** The first operation of `body` (a PatchOp) that carries the shape, quoted; null when none does. */
  find(body: unknown): string | null;
}

type Operation = Record<string, unknown>;

function operations(body: unknown): Operation[] {
  const list = prop(body, 'Operations');
  return Array.isArray(list) ? list.filter((o): o is Operation => o !== null && typeof o === 'object' && !Array.isArray(o)) : [];
}

const QUOTE_LIMIT = 160;

function quote(op: Operation): string {
  const text = JSON.stringify(op);
  return text.length > QUOTE_LIMIT ? `${text.slice(0, QUOTE_LIMIT)}…` : text;
}

function shape(name: string, test: (op: Operation) => boolean): RequestShape {
  return {
    name,
    find: (body) => {
      const op = operations(body).find(test);
      return op === undefined ? null : quote(op);
    },
  };
}

const opOf = (op: Operation): string => String(prop(op, 'op') ?? '');
const pathOf = (op: Operation): string => String(prop(op, 'path') ?? '');
const isManagerPath = (path: string): boolean => /(^|:)manager$/i.test(path);
const isStringBoolean = (value: unknown): boolean => typeof value === 'string' && /^(true|false)$/i.test(value);

export const CAPITALISED_OP = shape('a capitalised op', (op) => opOf(op) !== '' && opOf(op) !== opOf(op).toLowerCase());

/** `"value": "False"`, directly or as a key of a path-less op's value. */
export const STRING_BOOLEAN = shape('a boolean sent as the string "True"/"False"', (op) => {
  const value = prop(op, 'value');
  if (isStringBoolean(value)) return true;
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.values(value).some(isStringBoolean);
});

export const BARE_MANAGER = shape(
  'the manager as a bare id string',
  (op) => isManagerPath(pathOf(op)) && typeof prop(op, 'value') === 'string',
);

export const OBJECT_MANAGER = shape('the manager as {"value": id}', (op) => {
  const value = prop(op, 'value');
  return isManagerPath(pathOf(op)) && value !== null && typeof value === 'object' && !Array.isArray(value);
});

export const FILTERED_PATH = shape(
  'an add/replace on a value-filtered path',
  (op) => /^(add|replace)$/i.test(opOf(op)) && pathOf(op).includes('['),
);

export const MEMBER_REMOVE_BY_VALUE = shape(
  'a member removal with path "members" and a value array',
  (op) => /^remove$/i.test(opOf(op)) && /^members$/i.test(pathOf(op)) && Array.isArray(prop(op, 'value')),
);

export const MEMBER_REMOVE_BY_FILTER = shape(
  'a member removal with path members[value eq "…"]',
  (op) => /^remove$/i.test(opOf(op)) && /^members\[/i.test(pathOf(op)),
);

export function pathless(kind: 'add' | 'replace'): RequestShape {
  return shape(`a path-less ${kind}`, (op) => opOf(op).toLowerCase() === kind && prop(op, 'path') === undefined);
}

export const ROLES_JSON_STRING = shape('roles as JSON strings inside "value"', (op) => {
  const value = prop(op, 'value');
  return (
    /^roles$/i.test(pathOf(op)) &&
    Array.isArray(value) &&
    value.some((r) =>
      String(prop(r, 'value') ?? '')
        .trim()
        .startsWith('{'),
    )
  );
});

/** `active` set to `value`: `{"path":"active","value":false}` (or "False"), or a path-less op with that key. */
export function activeSetTo(value: boolean): RequestShape {
  const is = (v: unknown): boolean => v === value || (typeof v === 'string' && v.toLowerCase() === String(value));
  return shape(`active set to ${value}`, (op) => {
    if (/^active$/i.test(pathOf(op))) return is(prop(op, 'value'));
    const v = prop(op, 'value');
    return prop(op, 'path') === undefined && v !== null && typeof v === 'object' && is(prop(v, 'active'));
  });
}
