/**
 * Positioned access to a YAML or JSON file: parse once, then read nodes through a `YamlReader` that reports
 * wrong types and unknown keys as diagnostics pointing at the offending node (1-based line and column).
 *
 * JSON is parsed by the same YAML parser (JSON is YAML 1.2) with the `json` schema, so `.json` files get the
 * same positions and the same error style; unquoted strings are rejected there as they would be by JSON.parse.
 * Leniency that remains: comments and trailing commas are accepted in `.json` files.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, ParsedNode, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { didYouMean, error, warning } from './diagnostics.js';
import type { Diagnostic, Position } from './diagnostics.js';

/** A file's name (as the user named it) and its text. */
export interface TextFile {
  file: string;
  text: string;
}

export interface YamlFile {
  readonly file: string;
  /** The text as parsed (a leading byte-order mark removed, so columns match what editors show). */
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/**
 * Parses `input` as JSON when its name ends in `.json`, as YAML otherwise. Parser errors become `syntaxCode`
 * errors at the parser's own position, parser warnings become `syntaxCode` warnings. `ok` is false when the
 * document has errors: its tree may then be partial and should not be validated further.
 */
export function parseYamlFile(input: TextFile, syntaxCode: string): { yaml: YamlFile; ok: boolean; diagnostics: Diagnostic[] } {
  const text = input.text.startsWith('\uFEFF') ? input.text.slice(1) : input.text;
  const lineCounter = new LineCounter();
  const json = input.file.toLowerCase().endsWith('.json');
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, schema: json ? 'json' : 'core' });
  const yaml: YamlFile = { file: input.file, text, doc, lineCounter };
  const kind = json ? 'JSON' : 'YAML';
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    diagnostics.push(
      error(syntaxCode, `invalid ${kind}: ${firstLine(e.message)}`, {
        file: input.file,
        position: positionAt(yaml, e.pos[0]),
        hint: json ? 'check quotes, commas and brackets here' : 'check indentation, quoting and brackets here',
      }),
    );
  }
  for (const w of doc.warnings) {
    diagnostics.push(
      warning(syntaxCode, `${kind} warning: ${firstLine(w.message)}`, { file: input.file, position: positionAt(yaml, w.pos[0]) }),
    );
  }
  return { yaml, ok: doc.errors.length === 0, diagnostics };
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? message;
}

/** The 1-based position of a character offset (columns in UTF-16 code units). */
export function positionAt(yaml: YamlFile, offset: number): Position {
  const { line, col } = yaml.lineCounter.linePos(Math.max(0, Math.min(offset, yaml.text.length)));
  return { line, column: col };
}

/** Where a node starts: a key's first character, a quoted scalar's opening quote, a collection's first item or bracket. */
export function nodePosition(yaml: YamlFile, node: Node): Position {
  return positionAt(yaml, node.range?.[0] ?? 0);
}

/**
 * The offset of a scalar's first content character: after the opening quote of a quoted scalar; the first
 * non-blank character after the header line (`|`, `>-`…) of a block scalar; the scalar itself when plain.
 */
export function contentOffset(yaml: YamlFile, scalar: Scalar): number {
  const start = scalar.range?.[0] ?? 0;
  switch (scalar.type) {
    case 'QUOTE_DOUBLE':
    case 'QUOTE_SINGLE':
      return start + 1;
    case 'BLOCK_LITERAL':
    case 'BLOCK_FOLDED': {
      const headerEnd = yaml.text.indexOf('\n', start);
      if (headerEnd === -1) return start;
      let i = headerEnd + 1;
      while (i < yaml.text.length && /\s/.test(yaml.text[i]!)) i++;
      return i;
    }
    default:
      return start;
  }
}

/** The position of a scalar's first content character (see `contentOffset`). */
export function contentPosition(yaml: YamlFile, scalar: Scalar): Position {
  return positionAt(yaml, contentOffset(yaml, scalar));
}

/**
 * The position of character `index` of a string scalar's value. Exact when the value appears verbatim on one
 * line of the file (plain scalars, quoted scalars without escapes); otherwise the scalar's content start,
 * because escapes and line folding break the value-to-source correspondence.
 */
export function positionInScalar(yaml: YamlFile, scalar: Scalar, index: number): Position {
  const start = contentOffset(yaml, scalar);
  const value = typeof scalar.value === 'string' ? scalar.value : '';
  const verbatim = !value.includes('\n') && yaml.text.slice(start, start + value.length) === value;
  return positionAt(yaml, verbatim ? start + Math.max(0, Math.min(index, value.length)) : start);
}

/**
 * Diagnostics in reading order: by file (in `fileOrder`, unknown files last), then line and column; a
 * diagnostic without a position comes first in its file. Stable, so equal positions keep their order.
 */
export function sortByPosition(diagnostics: readonly Diagnostic[], fileOrder: readonly string[] = []): Diagnostic[] {
  const rank = (d: Diagnostic): number => {
    const i = d.file === undefined ? -1 : fileOrder.indexOf(d.file);
    return i === -1 ? fileOrder.length : i;
  };
  return [...diagnostics].sort(
    (a, b) =>
      rank(a) - rank(b) || (a.position?.line ?? 0) - (b.position?.line ?? 0) || (a.position?.column ?? 0) - (b.position?.column ?? 0),
  );
}

/** The document's root node, aliases resolved; null for an empty document. */
export function rootNode(yaml: YamlFile): ParsedNode | null {
  return deref(yaml, yaml.doc.contents);
}

/** Follows an alias (`*name`) to its anchored node; other nodes are returned as they are. */
export function deref(yaml: YamlFile, node: unknown): ParsedNode | null {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return (node.resolve(yaml.doc) as ParsedNode | undefined) ?? null;
  return node as ParsedNode;
}

/** True for a missing value and for YAML null (`~`, `null`, an empty value): the formats treat both as absent. */
export function isNullNode(node: Node | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** "a list", "a map", "a string"… for "must be X, found Y" messages. */
export function describeNode(node: Node | null | undefined): string {
  if (isNullNode(node)) return 'nothing (null)';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
    if (typeof v === 'number' || typeof v === 'bigint') return `the number ${String(v)}`;
    if (typeof v === 'boolean') return `the boolean ${String(v)}`;
    return 'a scalar of an unsupported type';
  }
  return 'an unsupported node';
}

/**
 * A scalar's value as Entra's attribute language sees it: strings as they are; booleans as "True"/"False";
 * numbers as their decimal text, keeping the source digits when they are a plain decimal literal (so
 * `postalCode: 02134` stays "02134" and `1.50` stays "1.50"; `0x1F` becomes "31"). Null for YAML null.
 * Undefined when the node is not a scalar.
 */
export function scalarText(node: Node): string | null | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' || typeof v === 'bigint') {
    const source = (node as Scalar & { source?: string }).source;
    if (node.type === 'PLAIN' && source !== undefined && /^-?\d+(\.\d+)?$/.test(source)) return source;
    return String(v);
  }
  return undefined;
}

/** Diagnostic codes the reader emits for shape problems; each loader supplies its own prefixed codes. */
export interface ShapeCodes {
  wrongType: string;
  unknownKey: string;
  missingKey: string;
}

export interface MapEntry {
  key: string;
  keyNode: ParsedNode;
  /** The value with aliases resolved; null when absent or YAML null. */
  value: ParsedNode | null;
}

/**
 * Reads nodes of one file and collects diagnostics. `what` arguments name the thing being read the way the
 * user would find it (`users[3].manager`), and appear in messages.
 */
export class YamlReader {
  constructor(
    readonly yaml: YamlFile,
    readonly codes: ShapeCodes,
    readonly diagnostics: Diagnostic[] = [],
  ) {}

  get file(): string {
    return this.yaml.file;
  }

  position(at: Node | Position): Position {
    return 'line' in at ? at : nodePosition(this.yaml, at);
  }

  /** `file:line:col` of a node, for hints that point at a first occurrence. */
  locate(at: Node | Position): string {
    const p = this.position(at);
    return `${this.file}:${p.line}:${p.column}`;
  }

  /** Records an error at a node (its start) or at an explicit position. */
  error(code: string, message: string, at: Node | Position, hint?: string): void {
    this.diagnostics.push(error(code, message, { file: this.file, position: this.position(at), hint }));
  }

  warn(code: string, message: string, at: Node | Position, hint?: string): void {
    this.diagnostics.push(warning(code, message, { file: this.file, position: this.position(at), hint }));
  }

  wrongType(node: Node, what: string, expected: string, hint?: string): void {
    this.error(this.codes.wrongType, `${what} must be ${expected}, found ${describeNode(node)}`, node, hint);
  }

  map(node: ParsedNode, what: string, hint?: string): YAMLMap.Parsed | null {
    if (isMap(node)) return node as YAMLMap.Parsed;
    this.wrongType(node, what, 'a map', hint);
    return null;
  }

  /** The items of a list, aliases resolved (null items stay null). */
  list(node: ParsedNode, what: string, hint?: string): (ParsedNode | null)[] | null {
    if (!isSeq(node)) {
      this.wrongType(node, what, 'a list', hint);
      return null;
    }
    return (node as YAMLSeq.Parsed).items.map((item) => deref(this.yaml, item));
  }

  /**
   * The entries of a map, reporting keys that are neither in `known` nor accepted by `acceptKey` (which may
   * report its own, more specific problem and return true to suppress the generic one). Duplicate keys are
   * already parse errors. Complex (non-scalar) keys are reported and skipped.
   */
  entries(
    map: YAMLMap.Parsed,
    what: string,
    known: readonly string[],
    acceptKey?: (key: string, keyNode: ParsedNode) => boolean,
  ): Map<string, MapEntry> {
    const out = new Map<string, MapEntry>();
    for (const pair of map.items) {
      const keyNode = deref(this.yaml, pair.key);
      if (keyNode === null || !isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        this.error(
          this.codes.wrongType,
          `${what} has a key that is not a name`,
          keyNode ?? map,
          'keys are plain names such as `displayName`',
        );
        continue;
      }
      const key = String(keyNode.value);
      if (!known.includes(key) && !(acceptKey?.(key, keyNode) ?? false)) {
        const suggestion = didYouMean(key, known);
        this.error(
          this.codes.unknownKey,
          `unknown key \`${key}\` in ${what}`,
          keyNode,
          suggestion ? `did you mean \`${suggestion}\`?` : `known keys: ${known.join(', ')}`,
        );
        continue;
      }
      const raw = deref(this.yaml, pair.value);
      out.set(key, { key, keyNode, value: isNullNode(raw) ? null : raw });
    }
    return out;
  }

  /** The value of a required key; reports it missing (at the map) when absent or null. */
  required(entries: Map<string, MapEntry>, key: string, map: Node, what: string, hint?: string): ParsedNode | null {
    const value = entries.get(key)?.value ?? null;
    if (value === null) this.error(this.codes.missingKey, `${what} has no \`${key}\``, map, hint);
    return value;
  }

  /** A string scalar (numbers and booleans are rejected: use `text` to accept them). */
  string(node: ParsedNode, what: string, hint?: string): string | null {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.wrongType(node, what, 'a string', hint);
    return null;
  }

  /** Any scalar, in Entra's string form (see `scalarText`). */
  text(node: ParsedNode, what: string, hint?: string): string | null {
    const t = scalarText(node);
    if (typeof t === 'string') return t;
    this.wrongType(node, what, 'a single value (a string, number or boolean)', hint);
    return null;
  }

  boolean(node: ParsedNode, what: string): boolean | null {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.wrongType(node, what, 'true or false');
    return null;
  }

  /** An integer of at least `min`. */
  integer(node: ParsedNode, what: string, min: number, code: string): number | null {
    if (!isScalar(node) || typeof node.value !== 'number') {
      this.wrongType(node, what, `a whole number (${min} or more)`);
      return null;
    }
    if (!Number.isInteger(node.value) || node.value < min) {
      this.error(code, `${what} must be a whole number of ${min} or more, found ${String(node.value)}`, node);
      return null;
    }
    return node.value;
  }

  /** One of `accepted` (exact spelling), with a did-you-mean otherwise. */
  oneOf<T extends string>(node: ParsedNode, what: string, accepted: readonly T[], code: string): T | null {
    const s = this.text(node, what);
    if (s === null) return null;
    if ((accepted as readonly string[]).includes(s)) return s as T;
    const suggestion = didYouMean(s, accepted);
    this.error(
      code,
      `${what} must be one of ${accepted.map((a) => `\`${a}\``).join(', ')}, found ${JSON.stringify(s)}`,
      node,
      suggestion ? `did you mean \`${suggestion}\`?` : `accepted values: ${accepted.join(', ')}`,
    );
    return null;
  }
}
