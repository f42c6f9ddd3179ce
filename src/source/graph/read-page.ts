/**
 * One saved Graph response → its items, each with where it is (`value[17]`, line and column). A page is
 * `{"@odata.context": …, "value": […], "@odata.nextLink"?: …}` as Graph returns it, or a plain JSON array (what
 * `Get-MgUser -All | ConvertTo-Json` writes). Pure.
 *
 * Positions come from one scan of the text that `JSON.parse` accepted (`scanJsonStructure`): objects in
 * document order are matched with the parsed objects in the same order. When the text repeats a key in an
 * object, or uses integer-like keys (which `JSON.parse` reorders), that match is not certain and items carry
 * their path only.
 */
import type { Position } from '../../shared/diagnostics.js';
import { LinePositions } from '../json/line-positions.js';
import { scanJsonStructure } from '../json/structure.js';
import { GRAPH_CODES as C } from './graph-codes.js';
import { GRAPH_REQUESTS } from './export-listing.js';
import type { GraphCollection } from './export-listing.js';
import type { GraphReport, ItemAt } from './graph-report.js';
import { isJsonObject } from './json-values.js';
import { describeJsonSyntaxError } from './json-syntax.js';
import type { JsonObject } from './json-values.js';

export interface PageItem {
  value: unknown;
  /** The item's index in its file. */
  index: number;
  at: ItemAt;
}

export interface GraphPage {
  file: string;
  items: PageItem[];
  /** Graph's `@odata.nextLink`: a later page exists. Null on the last page and in plain arrays. */
  nextLink: string | null;
  /** Whether the page is Graph's `{"value": […]}` (false: a plain array, which says nothing of further pages). */
  wrapped: boolean;
}

interface ParsedFile {
  root: unknown;
  positionOf: (obj: object) => Position | undefined;
}

const SAVE_HINT =
  'save the response body exactly as Graph returns it (Invoke-MgGraphRequest … -OutputFilePath FILE, or ConvertTo-Json -Depth 10 of what Invoke-MgGraphRequest returns)';

/** The page, or null when the file is not one (reported as an error: its items are missing from the export). */
export function readPage(file: string, text: string, collection: GraphCollection, report: GraphReport): GraphPage | null {
  const parsed = parseJsonFile(file, text, collection, report);
  if (parsed === null) return null;
  const { root } = parsed;
  let list: unknown[];
  let wrapped: boolean;
  let nextLink: string | null = null;
  if (Array.isArray(root)) {
    list = root;
    wrapped = false;
  } else if (isJsonObject(root) && Array.isArray(root['value'])) {
    list = root['value'];
    wrapped = true;
    const link = root['@odata.nextLink'];
    nextLink = typeof link === 'string' && link !== '' ? link : null;
  } else {
    notAPage(file, root, collection, report);
    return null;
  }
  const items = list.map((value, index) => {
    const position = typeof value === 'object' && value !== null ? parsed.positionOf(value) : undefined;
    const path = wrapped ? `value[${index}]` : `[${index}]`;
    return { value, index, at: { file, path, ...(position ? { position } : {}) } };
  });
  return { file, items, nextLink, wrapped };
}

/**
 * A file that holds one object (`servicePrincipal.json`: `GET /servicePrincipals/{id}`), or a page with exactly
 * one item (`GET /servicePrincipals?$filter=…`). Null when it is neither (reported as an error).
 */
export function readSingleObject(file: string, text: string, collection: GraphCollection, report: GraphReport): PageItem | null {
  const parsed = parseJsonFile(file, text, collection, report);
  if (parsed === null) return null;
  const { root } = parsed;
  if (isJsonObject(root) && !('value' in root) && !('error' in root)) {
    const position = parsed.positionOf(root);
    return { value: root, index: 0, at: { file, ...(position ? { position } : {}) } };
  }
  const items = isJsonObject(root) && Array.isArray(root['value']) ? root['value'] : Array.isArray(root) ? root : null;
  if (items !== null) {
    if (items.length === 1) {
      const item: unknown = items[0];
      const position = typeof item === 'object' && item !== null ? parsed.positionOf(item) : undefined;
      const path = Array.isArray(root) ? '[0]' : 'value[0]';
      return { value: item, index: 0, at: { file, path, ...(position ? { position } : {}) } };
    }
    report.error(
      C.GRAPH_NOT_A_PAGE,
      `the file must hold one service principal (${GRAPH_REQUESTS[collection]}), found a list of ${items.length}`,
      { file },
      'save the response of GET /v1.0/servicePrincipals/{id} for the one app whose provisioning you simulate',
    );
    return null;
  }
  notAPage(file, root, collection, report);
  return null;
}

function parseJsonFile(file: string, text: string, collection: GraphCollection, report: GraphReport): ParsedFile | null {
  if (/^\s*$/.test(text)) {
    report.error(
      C.GRAPH_NOT_A_PAGE,
      `the file is empty; it should hold the response of ${GRAPH_REQUESTS[collection]}`,
      { file },
      SAVE_HINT,
    );
    return null;
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    // V8's message quotes the input around the error: only its description is kept (json-syntax.ts).
    const { reason, offset } = describeJsonSyntaxError(e instanceof Error ? e.message : String(e), text);
    const position = offset === undefined ? undefined : new LinePositions(text).position(offset);
    report.error(
      C.GRAPH_SYNTAX,
      `the file is not JSON (${reason}); it should hold the response of ${GRAPH_REQUESTS[collection]}`,
      { file, ...(position ? { position } : {}) },
      SAVE_HINT,
    );
    return null;
  }
  const { objectStarts, pairs } = scanJsonStructure(text);
  const order = new Map<object, number>();
  let keys = 0;
  let certain = true;
  const walk = (v: object): void => {
    if (Array.isArray(v)) {
      for (const item of v) if (typeof item === 'object' && item !== null) walk(item);
      return;
    }
    order.set(v, order.size);
    for (const k in v) {
      keys++;
      if (/^(0|[1-9]\d*)$/.test(k)) certain = false;
      const value = (v as JsonObject)[k];
      if (typeof value === 'object' && value !== null) walk(value);
    }
  };
  if (typeof root === 'object' && root !== null) walk(root);
  if (keys !== pairs) {
    certain = false;
    report.warn(
      C.GRAPH_DUPLICATE_KEY,
      'an object in this file repeats a key; JSON keeps the last value of each, so the earlier ones were not read',
      { file },
      'Graph never repeats a key: check how the file was written or edited',
    );
  }
  if (order.size !== objectStarts.length) certain = false;
  let lines: LinePositions | null = null;
  return {
    root,
    positionOf: (obj) => {
      if (!certain) return undefined;
      const n = order.get(obj);
      const offset = n === undefined ? undefined : objectStarts[n];
      if (offset === undefined) return undefined;
      lines ??= new LinePositions(text);
      return lines.position(offset);
    },
  };
}

function notAPage(file: string, root: unknown, collection: GraphCollection, report: GraphReport): void {
  const graphError = isJsonObject(root) && isJsonObject(root['error']) ? root['error'] : null;
  if (graphError !== null) {
    const code = typeof graphError['code'] === 'string' ? graphError['code'] : 'no code';
    const message = typeof graphError['message'] === 'string' ? `: ${graphError['message']}` : '';
    report.error(
      C.GRAPH_NOT_A_PAGE,
      `the file holds a Graph error (${code}${message}) instead of the response of ${GRAPH_REQUESTS[collection]}; the items of this page are missing`,
      { file },
      'run the request again (check the permissions it needs) and save the successful response',
    );
    return;
  }
  const found = Array.isArray(root)
    ? 'a list'
    : isJsonObject(root)
      ? `an object with ${Object.keys(root).length === 0 ? 'no keys' : `the keys ${Object.keys(root).slice(0, 5).join(', ')}`}`
      : `${root === null ? 'null' : typeof root}`;
  report.error(
    C.GRAPH_NOT_A_PAGE,
    `the file is not a page of ${GRAPH_REQUESTS[collection]}: a page is {"value": […]} or a JSON list, found ${found}; the items of this page are missing`,
    { file },
    SAVE_HINT,
  );
}
