/**
 * The layout's import rules, checked by `npm run lint` (dependency-cruiser). Every rule is an error.
 *
 * Paths are matched against module paths relative to the cruised base directory, so the same rules hold for
 * `src/` here and for the planted-violation tree in `test/fixtures/layout/` (test/layout/dependency-rules.test.ts).
 * Type-only imports count (`tsPreCompilationDeps`): a layer that needs another's types depends on it.
 *
 * Two rules are not import rules and live in test/layout/ instead: only `src/cli/main.ts` exits the process,
 * and only the clock and random seams read time or randomness.
 */

/**
 * Folders and files that compute and do no I/O: they take their inputs as values and return values.
 */
const PURE_FOLDERS = '^src/(expression|mapping|mapping-file|scoping|model)/';
const PURE_ENGINE_STEPS =
  '^src/engine/(diff|plan|plan-requests|plan-references|attribute-changes|accidental-deletions|select-work|desired|log-entries|settle|cycle-options|cycle-result|escrow-schedule|quarantine|retry|defaults|outcome|observation)\\.ts$';

/**
 * The loaders are pure parsers behind thin `load*` wrappers: the wrapper reads the files and hands their text to
 * the parser. The wrappers, and the barrels that re-export them, are the only loader modules that may read or
 * write files. A module that imports a barrel reaches the wrapper through it, so it is still caught.
 */
const LOADER_FOLDERS = '^src/(mapping-file|source|schema-import)/';
const LOAD_WRAPPERS = [
  '^src/mapping-file/(load-job|index)\\.ts$',
  '^src/source/(load-tenant|index)\\.ts$',
  // The Microsoft Graph export's reader (loadGraphExport): lists the directory and reads one page file at a time
  // for the pure GraphExportReader in source/graph/.
  '^src/source/load-graph-export\\.ts$',
  // JSON Lines tenants, streamed a chunk at a time (the parsing is json/json-lines.ts, pure).
  '^src/source/load-json-lines-tenant\\.ts$',
  // A large JSON Lines tenant's users read back from their files (LineFile, behind json/line-user.ts's LineReader).
  '^src/source/line-file\\.ts$',
  // The synthetic tenant's file writer (writeTenantFixtures); its records come from the pure generators beside it.
  '^src/source/generate/generate-tenant\\.ts$',
];

/** Node built-ins that touch the file system, the network or other processes (`node:crypto` and `node:path` do not). */
const IO_CORE_MODULES = '^(node:)?(fs|http|https|http2|net|tls|dgram|child_process|worker_threads)(/|$)';
/** npm packages that do HTTP, SQLite, queueing of real work, or serve HTTP. */
const IO_PACKAGES = '(^|/)node_modules/(axios|undici|better-sqlite3|p-queue|express|scimmy)/';
/** provsim modules that do I/O: the store, the HTTP client and its transports, and the command line. */
const IO_MODULES = '^src/(store/|scim/(client|http|undici-adapter)\\.ts$|cli/)';

/** The engine steps that run a cycle against the store; they and cli are the store's only clients. */
const STORE_CLIENTS =
  '^src/(store/|cli/|index\\.ts$|engine/(apply|reconcile|context|open|commit-cycle|read-records|plan-and-apply|observe|probe)\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'pure-core-no-io',
      comment:
        'expression, mapping, mapping-file, scoping, model and the pure engine steps do no I/O and import nothing that ' +
        'does, directly or through other modules: they stay testable as plain functions and deterministic. Reading ' +
        'files belongs in a load* wrapper (mapping-file/load-job.ts); HTTP, SQLite and the queue belong in the ' +
        "engine's I/O steps, scim's client and cli. node:crypto (hashing) and node:path are allowed.",
      severity: 'error',
      from: { path: [PURE_FOLDERS, PURE_ENGINE_STEPS], pathNot: LOAD_WRAPPERS },
      to: { path: [IO_CORE_MODULES, IO_PACKAGES, IO_MODULES], reachable: true },
    },
    {
      name: 'loaders-do-io-only-in-load-wrappers',
      comment:
        'The mapping-file, fixture-tenant and schema loaders are pure parsers (text in, values and diagnostics ' +
        'out) behind thin load* wrappers that read the files: mapping-file/load-job.ts, source/load-tenant.ts, ' +
        'source/load-graph-export.ts (Microsoft Graph exports), and ' +
        "the synthetic tenant's writer source/generate/generate-tenant.ts. No other loader module reaches I/O.",
      severity: 'error',
      from: { path: LOADER_FOLDERS, pathNot: LOAD_WRAPPERS },
      to: { path: [IO_CORE_MODULES, IO_PACKAGES, IO_MODULES], reachable: true },
    },
    {
      name: 'notify-decides-purely',
      comment:
        'src/notify decides and words the failure notification as pure functions of a cycle result; only render-eml ' +
        '(nodemailer), write-eml (files), send-smtp (SMTP) and the barrel reach I/O.',
      severity: 'error',
      from: { path: '^src/notify/', pathNot: '^src/notify/(index|render-eml|write-eml|send-smtp)\\.ts$' },
      to: { path: [IO_CORE_MODULES, IO_PACKAGES, IO_MODULES, '(^|/)node_modules/nodemailer/'], reachable: true },
    },
    {
      name: 'notify-reads-results-not-layers',
      comment:
        "src/notify works on a finished cycle's result: it names engine and model types (type-only) and uses shared/; " +
        'it never runs the engine, the store, the SCIM client or the CLI.',
      severity: 'error',
      from: { path: '^src/notify/' },
      to: {
        path: '^src/(engine|store|scim|scim-server|cli|conformance|mapping|mapping-file|source|scoping|expression|schema-import)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'model-is-a-leaf',
      comment:
        'src/model/ holds the domain types every layer shares (records, directory, job). It imports nothing but ' +
        'itself and the diagnostics types, so that importing the model never pulls a layer in.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { pathNot: '^src/(model/|shared/diagnostics\\.ts$)' },
    },
    {
      name: 'model-imports-diagnostics-types-only',
      comment: 'src/model/ may name the diagnostics types (Position and the like) but runs none of their code.',
      severity: 'error',
      from: { path: '^src/model/' },
      to: { path: '^src/shared/diagnostics\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'scim-below-engine-and-mapping',
      comment:
        'src/scim/ is the wire layer: resources, dialects, the HTTP client. It sits below the engine and the ' +
        'mapping, so it never imports engine, mapping, mapping-file, cli, store or conformance; what it needs from ' +
        'them (attribute paths, schema URNs) lives in scim/ itself or in model/.',
      severity: 'error',
      from: { path: '^src/scim/' },
      to: { path: '^src/(engine|mapping|mapping-file|cli|store|conformance)/' },
    },
    {
      name: 'nothing-imports-cli',
      comment:
        'src/cli/ is the outermost layer (argument parsing, terminal output, exit codes). Nothing outside it ' +
        'imports it; what a command and the library share belongs in the library.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'commands-do-not-import-commands',
      comment:
        'Each file in src/cli/commands/ is one command. Helpers two commands share go in a small file under ' +
        'src/cli/ (exit-codes.ts, request-counts.ts, ...), so a command can change without breaking another.',
      severity: 'error',
      from: { path: '^src/cli/commands/' },
      to: { path: '^src/cli/commands/' },
    },
    {
      name: 'scim-server-self-contained',
      comment:
        'src/scim-server/ is the embedded SCIM target, an independent server the simulator talks to over HTTP. It ' +
        'imports only itself, src/shared/, Node built-ins and npm packages, so it never shares code paths with the ' +
        'client it is meant to check.',
      severity: 'error',
      from: { path: '^src/scim-server/' },
      to: { pathNot: ['^src/(scim-server|shared)/', '(^|/)node_modules/'], dependencyTypesNot: ['core'] },
    },
    {
      name: 'store-only-from-io-steps-and-cli',
      comment:
        "The SQLite store is reached from the engine's I/O steps (apply, reconcile, context, open, commit-cycle, " +
        'read-records, plan-and-apply, observe, probe), from cli and from the public index only. The pure steps get their ' +
        'records as plain values, and the record types live in src/model/. (conformance has its own rule.)',
      severity: 'error',
      from: { path: '^src/', pathNot: [STORE_CLIENTS, '^src/conformance/'] },
      to: { path: '^src/store/' },
    },
    {
      name: 'conformance-never-imports-store',
      comment:
        'The conformance runner drives the engine through its public entry (engine/open.ts) and never opens or ' +
        'reads the store itself.',
      severity: 'error',
      from: { path: '^src/conformance/' },
      to: { path: '^src/store/' },
    },
    {
      name: 'expression-through-its-index',
      comment:
        'src/expression/ is reached through its contract, expression/index.ts: the parser, evaluator and .NET ' +
        'runtime behind it can be reorganised without touching mapping, scoping or the schema importer.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/expression/', '^src/index\\.ts$'] },
      to: { path: '^src/expression/', pathNot: '^src/expression/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment:
        'No module reaches itself through its imports (type-only imports included): a cycle means two modules ' +
        'are one concept split in two, or a type sits in the wrong module.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-dev-dependencies-in-src',
      comment:
        'src/ is what ships: it may not import a devDependency, which is not installed for users. Type-only ' +
        'imports from @types packages are fine; they vanish at compile time.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'], pathNot: '(^|/)node_modules/@types/' },
    },
    {
      name: 'no-undeclared-packages',
      comment: 'src/ imports only packages package.json declares, so what runs is what the lock file pins.',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-unresolvable-imports',
      comment: 'Every import resolves to a file or a package; an unresolved one would also hide its edges from these rules.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      comment:
        'Every module in src/ is imported by another, except the entry points (src/index.ts, the library; ' +
        'src/cli/main.ts, the provsim binary). An orphan is dead code, or an entry point to list here.',
      severity: 'error',
      from: { orphan: true, path: '^src/', pathNot: '^src/(index|cli/main)\\.ts$' },
      to: {},
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Resolve node_modules through links as they are named, so package paths read `node_modules/<name>/...`
    // wherever node_modules lives.
    preserveSymlinks: true,
    doNotFollow: { path: '(^|/)node_modules/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: { text: { highlightFocused: true } },
  },
};
