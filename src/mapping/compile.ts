/**
 * Compiles a Job: every expression parsed once, every target path parsed, reference attributes
 * (manager, members) recognised, matching attributes ordered by precedence. Pure.
 * Expression diagnostics are turned into file:line:col of the mapping file.
 */
import { createHash } from 'node:crypto';
import { parseExpression, referencedAttributes, type CompiledExpression, type ExprDiagnostic } from '../expression/index.js';
import type { AttributeMapping, Job, ObjectAction, ObjectMapping, ScopingGroup } from '../model/job.js';
import { error, type Diagnostic, type Position } from '../shared/diagnostics.js';
import type { ObjectType } from '../model/records.js';
import { scopingRegexError } from '../scoping/operators.js';
import { attributePathOrNull, type AttributePath } from '../scim/attribute-path.js';
import { ENTERPRISE_USER_SCHEMA } from '../scim/types.js';

const EXTENSION_REFERENCE = /^\[?extension_[0-9a-fA-F]{32}_\w+\]?$/;
const EXTENSION_IN_TEXT = /(?<=\[)extension_[0-9a-fA-F]{32}_\w+(?=\])/g;

export type ReferenceKind = 'manager' | 'members';

export interface CompiledAttribute {
  mapping: AttributeMapping;
  path: AttributePath;
  /** Reference attributes are not sent in POST; they flow in a later phase as target ids. */
  reference: ReferenceKind | null;
  /** Parsed expression for `expression` rows. */
  expression: CompiledExpression | null;
}

export interface CompiledObjectMapping {
  objectType: ObjectType;
  enabled: boolean;
  actions: ReadonlySet<ObjectAction>;
  scoping: ScopingGroup[];
  attributes: CompiledAttribute[];
  /** Matching attributes in precedence order (lowest `match` first). */
  matching: CompiledAttribute[];
  /**
   * The source attributes this mapping can see change (rows, expressions, scoping), sorted: an object's
   * watermark hash covers these, so an edit to an attribute nothing reads does not make it "changed".
   */
  watched: readonly string[];
}

export interface CompiledJob {
  job: Job;
  users: CompiledObjectMapping;
  groups: CompiledObjectMapping;
  /** Identifies the mapping's meaning (not its layout): a change starts a new initial cycle, as in Entra. */
  hash: string;
}

export function compileJob(
  job: Job,
  knownAttributes: { users: readonly string[]; groups: readonly string[] },
): { compiled: CompiledJob | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const users = compileObjectMapping('User', job.users, job.file, knownAttributes.users, diagnostics);
  const groups = compileObjectMapping('Group', job.groups, job.file, knownAttributes.groups, diagnostics);
  if (diagnostics.some((d) => d.severity === 'error')) return { compiled: null, diagnostics };
  return { compiled: { job, users, groups, hash: jobHash(job) }, diagnostics };
}

function compileObjectMapping(
  objectType: ObjectType,
  mapping: ObjectMapping,
  file: string,
  known: readonly string[],
  diagnostics: Diagnostic[],
): CompiledObjectMapping {
  const attributes: CompiledAttribute[] = [];
  for (const row of mapping.attributes) {
    const path = attributePathOrNull(row.target);
    if (!path) {
      diagnostics.push(
        error('MAPPING_BAD_TARGET_PATH', `target "${row.target}" is not a SCIM attribute path`, {
          file,
          position: row.position,
          hint: 'use a path like name.givenName, emails[type eq "work"].value or urn:…:User:department',
        }),
      );
      continue;
    }
    let expression: CompiledExpression | null = null;
    if (row.source.kind === 'expression') {
      // Directory extension attributes (extension_<appId>_<name>) are open-ended: the fixture decides them, so
      // the ones an expression names are known to it. (Reporting them as unknown and skipping the report would
      // leave the row without an expression: the parser gives none for a text with errors.)
      const extensions = row.source.text.match(EXTENSION_IN_TEXT) ?? [];
      const parsed = parseExpression(row.source.text, { knownAttributes: extensions.length === 0 ? known : [...known, ...extensions] });
      for (const d of parsed.diagnostics) {
        if (d.code === 'EXPR_UNKNOWN_ATTRIBUTE' && EXTENSION_REFERENCE.test(row.source.text.slice(d.offset, d.offset + d.length))) continue;
        diagnostics.push(toDiagnostic(d, row.source.text, row.source.position, file));
      }
      expression = parsed.expression;
    }
    attributes.push({ mapping: row, path, reference: referenceKind(objectType, row, path), expression });
  }
  for (const group of mapping.scoping) {
    for (const clause of group) {
      if ((clause.operator === 'REGEX MATCH' || clause.operator === 'NOT REGEX MATCH') && clause.value !== undefined) {
        const problem = scopingRegexError(clause.value);
        if (problem)
          diagnostics.push(
            error('MAPPING_BAD_SCOPING_REGEX', `the ${clause.operator} pattern ${JSON.stringify(clause.value)} cannot run: ${problem}`, {
              file,
              position: clause.position,
              hint: 'Entra uses .NET regular expressions; escape backslashes once inside YAML single quotes',
            }),
          );
      }
    }
  }
  const matching = attributes.filter((a) => a.mapping.match !== null).sort((a, b) => (a.mapping.match ?? 0) - (b.mapping.match ?? 0));
  const watched = new Set<string>();
  for (const a of attributes) {
    if (a.mapping.source.kind === 'direct') watched.add(a.mapping.source.attribute);
    if (a.expression) for (const name of referencedAttributes(a.expression)) watched.add(name);
  }
  for (const group of mapping.scoping) for (const clause of group) watched.add(clause.attribute);
  return {
    objectType,
    enabled: mapping.enabled,
    actions: new Set(mapping.actions),
    scoping: mapping.scoping,
    attributes,
    matching,
    watched: [...watched].sort(),
  };
}

function referenceKind(objectType: ObjectType, row: AttributeMapping, path: AttributePath): ReferenceKind | null {
  if (row.source.kind !== 'direct') return null;
  if (objectType === 'User' && row.source.attribute === 'manager' && path.schema === ENTERPRISE_USER_SCHEMA && path.attribute === 'manager')
    return 'manager';
  if (objectType === 'Group' && row.source.attribute === 'members' && path.attribute === 'members' && !path.schema) return 'members';
  return null;
}

/** A column inside the expression text → a position in the mapping file (expressions may span lines). */
export function positionInFile(text: string, offset: number, start: Position): Position {
  const before = text.slice(0, offset);
  const newline = before.lastIndexOf('\n');
  if (newline === -1) return { line: start.line, column: start.column + offset };
  const lines = before.split('\n').length - 1;
  return { line: start.line + lines, column: offset - newline };
}

function toDiagnostic(d: ExprDiagnostic, text: string, start: Position, file: string): Diagnostic {
  return error(d.code, d.message, { file, position: positionInFile(text, d.offset, start), ...(d.hint ? { hint: d.hint } : {}) });
}

/** Hash of the job's meaning: positions and the file name are left out, so reformatting changes nothing. */
export function jobHash(job: Job): string {
  // Positions, the file name and the app's attribute list change no request: editing them starts no initial cycle.
  const strip = (_key: string, value: unknown): unknown =>
    _key === 'position' || _key === 'file' || _key === 'appAttributes' ? undefined : value;
  return createHash('sha256').update(JSON.stringify(job, strip)).digest('hex').slice(0, 16);
}
