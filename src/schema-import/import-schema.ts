/**
 * `provsim mappings import`, pure: a Graph synchronizationSchema (the JSON Entra's schema editor shows and
 * Graph's `…/synchronization/jobs/{jobId}/schema` returns) → mapping YAML, the Job it loads as, and notes.
 *
 *   source.type Attribute → `source:`     Constant → `constant:`     Function → `expression:` (its
 *   `expression` text, or rebuilt from `name` + `parameters`)
 *   matchingPriority > 0 → `match:`        flowType ObjectAddOnly → `apply: on-create`
 *   defaultValue → `default:`              target directory attribute caseExact → `caseExact: true`
 *   objectMapping.flowTypes → `actions:`   scope.groups → `scoping:`    a disabled Group mapping → `enabled: false`
 *
 * What cannot be carried over is a warning note, listed in the YAML's header too: other flow types
 * (MultiValueAddOnly, ValueAddOnly, AttributeAddOnly) and flowBehavior FlowAlways (imported as Always /
 * FlowWhenChanged), object mappings other than User and Group, rows and scoping groups provsim could not load
 * (left out, as comments). Job settings are not part of a schema: the YAML has provsim's defaults and says so.
 *
 * Contract: when `job` is not null, `yaml` loads with `parseJob` without errors into exactly that Job, and the
 * Job compiles (`compileJob` with provsim's source attributes) — the YAML is re-read here to make sure, rather
 * than trusting the renderer. When there are error notes (not a schema, no User mapping, a YAML that would not
 * load), `job` is null; `yaml` is still returned when one was produced, for inspection.
 */
import { compileJob } from '../mapping/compile.js';
import type { Diagnostic } from '../shared/diagnostics.js';
import { hasErrors } from '../shared/diagnostics.js';
import { readSchema } from './read-schema.js';
import { renderImportYaml } from './render-yaml.js';
import { parseJob } from '../mapping-file/parse-job.js';
import { GROUP_SOURCE_ATTRIBUTES, USER_SOURCE_ATTRIBUTES } from '../mapping-file/source-attributes.js';
import type { Job } from '../model/job.js';

export interface ImportOptions {
  /**
   * The name the YAML will have (`--output`), used for the Job's `file` and for positions in notes about the
   * YAML itself. @default the schema file's name with `.yaml` for `.json`
   */
  mappingFile?: string;
}

export interface ImportResult {
  /** The mapping YAML; empty when the input was not a schema. */
  yaml: string;
  /** The Job the YAML loads as; null when there are error notes. */
  job: Job | null;
  /** Errors and warnings, in order: the schema's first, then any from re-reading the YAML. */
  notes: Diagnostic[];
}

export function importSchema(json: unknown, file: string, options: ImportOptions = {}): ImportResult {
  const { plan, notes } = readSchema(json, file);
  if (plan === null || hasErrors(notes)) return { yaml: '', job: null, notes };
  const mappingFile = options.mappingFile ?? defaultMappingFile(file);

  // Re-read what was written. Loader warnings (e.g. scoping on userType) belong in the header like every
  // other note, and adding them to the header does not change them, so two passes settle it.
  const render = (extra: readonly Diagnostic[]): string => renderImportYaml(plan, { schemaFile: file, notes: [...notes, ...extra] });
  let yaml = render([]);
  let loaded = parseJob({ file: mappingFile, text: yaml });
  if (loaded.diagnostics.length > 0) {
    yaml = render(loaded.diagnostics);
    loaded = parseJob({ file: mappingFile, text: yaml });
  }
  const all = [...notes, ...loaded.diagnostics];
  if (loaded.job === null || hasErrors(all)) return { yaml, job: null, notes: all };

  const compiled = compileJob(loaded.job, { users: USER_SOURCE_ATTRIBUTES, groups: GROUP_SOURCE_ATTRIBUTES });
  all.push(...compiled.diagnostics);
  return { yaml, job: hasErrors(all) ? null : loaded.job, notes: all };
}

/** `schemas/app.json` → `schemas/app.yaml`; any other name gets `.yaml` appended. */
export function defaultMappingFile(schemaFile: string): string {
  return /\.json$/i.test(schemaFile) ? schemaFile.replace(/\.json$/i, '.yaml') : `${schemaFile}.yaml`;
}
