/**
 * The command-line surface (commander). Each action calls a plain command function with an options object;
 * `main.ts` alone turns results and errors into exit codes.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS } from '../engine/defaults.js';
import { UsageError } from '../shared/errors.js';
import { applyConfig, CONFIG_KEYS, shownPath } from './apply-config.js';
import { CONFIG_FILE_NAME, findConfigFile, readConfigFile, type LoadedConfig } from './config-file.js';
import type { CliDeps, CommandResult } from './io.js';
import type { SessionOptions } from './session.js';
import { conformanceCommand } from './commands/conformance.js';
import { demoCommand } from './commands/demo.js';
import { fixturesExportScriptCommand } from './commands/fixtures-export-script.js';
import { fixturesGenerateCommand } from './commands/fixtures-generate.js';
import { fixturesImportGraphCommand } from './commands/fixtures-import-graph.js';
import { initCommand } from './commands/init.js';
import { logsCommand } from './commands/logs.js';
import { mappingsCheckCommand, mappingsImportCommand } from './commands/mappings.js';
import { provisionCommand } from './commands/provision.js';
import { quirksCommand } from './commands/quirks.js';
import { restartCommand } from './commands/restart.js';
import { serveCommand } from './commands/serve.js';
import { statusCommand } from './commands/status.js';
import { syncCommand } from './commands/sync.js';
import { testConnectionCommand } from './commands/test-connection.js';
import { watchCommand } from './commands/watch.js';

function integer(name: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

function positive(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!(n > 0)) throw new InvalidArgumentError(`${name} must be a number > 0, got "${value}"`);
    return n;
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The options every command that runs cycles takes (sync, watch, provision): inputs, target, token, state, shapes. */
function withSessionOptions(cmd: Command): Command {
  return cmd
    .option(
      '--fixtures <dir>',
      'the fixture tenant directory (users.yaml, groups.yaml, assignments.yaml; .json too; or users*.jsonl and groups*.jsonl for large tenants), or a Microsoft Graph export directory (users.json, servicePrincipal.json, …); required unless provsim.yaml sets it',
    )
    .option('--mapping <file>', 'the attribute mapping YAML (e.g. mappings/customappsso.yaml); required unless provsim.yaml sets it')
    .option(
      '--target <url>',
      "the SCIM base URL (Entra's Tenant URL; ?aadOptscim062020 selects that dialect); required unless provsim.yaml sets it",
    )
    .option('--token-file <file>', 'read the bearer token from this file (otherwise from PROVSIM_TOKEN)')
    .option('--state <file>', 'the state database', DEFAULTS.stateFile)
    .option(
      '--wait [duration]',
      'when another provsim run has the state file open, wait for it to finish (at most DURATION, e.g. 5m; no value: as long as it takes) instead of failing',
    )
    .addOption(
      new Option('--dialect <name>', 'PATCH dialect (default: from the target URL, else legacy)').choices(['legacy', 'aadOptscim062020']),
    )
    .option(
      '--quirk <name=on|off>',
      'switch one quirk, a request shape or sequence with thin evidence (repeatable; `provsim quirks` lists them with their evidence)',
      collect,
      [],
    )
    .option('--allow-http', 'allow plain http to a non-loopback target (Entra only talks HTTPS)')
    .option(
      '--max-retry-after <duration>',
      'the longest Retry-After waited for within a cycle (e.g. 60s, 5m); longer leaves the object to a later cycle',
      '60s',
    );
}

/**
 * A value every run needs, from the flag or provsim.yaml; missing from both is a usage error that says
 * where it can come from.
 */
function needed(o: Record<string, unknown>, key: 'fixtures' | 'mapping' | 'target', flag: string, example: string): string {
  const value = o[key];
  if (typeof value === 'string' && value !== '') return value;
  throw new UsageError(
    `missing ${flag}: give it (e.g. ${flag} ${example}) or set \`${key}: ${example}\` in ${CONFIG_FILE_NAME}; \`provsim init\` writes a starter ${CONFIG_FILE_NAME}`,
  );
}

/**
 * What every command that sends requests takes, meaning the same everywhere: `--json` prints JSON to stdout
 * (file outputs have their own flags), `--record FILE` the exchanges as JSON lines, `--timeout` bounds each
 * request, `-v` adds detail, `-q` prints only failures.
 */
function withRequestOutput(cmd: Command, help: { json: string; verbose: string }): Command {
  return cmd
    .option('--json', help.json)
    .option('--record <file>', 'write every request and response to FILE as JSON lines (token redacted)')
    .option('--timeout <ms>', 'per-request timeout in ms', integer('--timeout', 1), DEFAULTS.timeoutMs)
    .option('-v, --verbose', help.verbose)
    .option('-q, --quiet', 'print nothing unless something fails (for scripts: the exit code says how it went)');
}

/** The portal's "Notification Email": when a cycle puts the job in quarantine (or its reason changes). */
function withNotifyOptions(cmd: Command): Command {
  return cmd
    .option('--notify-dir <dir>', "write Entra's failure notification e-mail into DIR as an .eml file")
    .option('--notify-email <address>', 'the address the notification goes to (with --smtp, or in the .eml)')
    .option('--smtp <url>', 'send the notification through this SMTP server (smtp://host:port; a password only in PROVSIM_SMTP_URL)');
}

function notifyFrom(o: Record<string, unknown>): { notify: { notifyDir?: string; notifyEmail?: string; smtp?: string } } {
  return {
    notify: {
      ...(o['notifyDir'] ? { notifyDir: o['notifyDir'] as string } : {}),
      ...(o['notifyEmail'] ? { notifyEmail: o['notifyEmail'] as string } : {}),
      ...(o['smtp'] ? { smtp: o['smtp'] as string } : {}),
    },
  };
}

/** The request-output flags, checked: `--quiet` with `--verbose` or `--json` asks for two things at once. */
function requestOutputFrom(o: Record<string, unknown>): {
  json: boolean;
  record?: string;
  timeoutMs: number;
  verbose: boolean;
  quiet: boolean;
} {
  const quiet = Boolean(o['quiet']);
  if (quiet && o['verbose']) throw new UsageError('--quiet and --verbose contradict each other; give one');
  if (quiet && o['json']) throw new UsageError('--quiet and --json contradict each other: --json already prints only JSON to stdout');
  return {
    json: Boolean(o['json']),
    ...(o['record'] ? { record: o['record'] as string } : {}),
    timeoutMs: o['timeout'] as number,
    verbose: Boolean(o['verbose']),
    quiet,
  };
}

function sessionOptionsFrom(o: Record<string, unknown>): SessionOptions {
  return {
    fixtures: needed(o, 'fixtures', '--fixtures', 'fixtures/contoso'),
    mapping: needed(o, 'mapping', '--mapping', 'mappings/customappsso.yaml'),
    target: needed(o, 'target', '--target', 'http://127.0.0.1:8080/scim/v2'),
    ...(o['tokenFile'] ? { tokenFile: o['tokenFile'] as string } : {}),
    state: o['state'] as string,
    ...(o['wait'] !== undefined ? { wait: o['wait'] as string | true } : {}),
    ...(o['dialect'] ? { dialect: o['dialect'] as string } : {}),
    quirk: o['quirk'] as string[],
    allowHttp: Boolean(o['allowHttp']),
    ...(o['maxRetryAfter'] ? { maxRetryAfter: o['maxRetryAfter'] as string } : {}),
    ...(o['concurrency'] ? { concurrency: o['concurrency'] as number } : {}),
    ...(o['rps'] ? { rps: o['rps'] as number } : {}),
  };
}

export function buildProgram(deps: CliDeps, done: (result: CommandResult) => void): Command {
  const program = new Command('provsim')
    .description(
      'Simulates the Microsoft Entra ID provisioning engine: Entra-shaped SCIM traffic from a fixture tenant, locally and deterministically.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => void deps.stdout.write(s), writeErr: (s) => void deps.stderr.write(s) })
    .option('--config <file>', `read settings from this file instead of the nearest ${CONFIG_FILE_NAME} (flags win over it)`);

  // provsim.yaml fills in the flags the command line left out, for the command about to run; a command
  // that takes none of its settings does not read it (a broken file must not stop `provsim demo`).
  let config: LoadedConfig | null = null;
  program.hook('preAction', (root, action) => {
    if (action.name() === 'init') return; // it writes the file, and must work beside a broken one
    const accepted = new Set(action.options.map((opt) => opt.attributeName()));
    if (![...CONFIG_KEYS].some((k) => accepted.has(k)) && action.name() !== 'check') return;
    const file = findConfigFile(deps.cwd, root.opts()['config'] as string | undefined);
    if (file === null) return;
    config = readConfigFile(file, shownPath(deps.cwd, file));
    applyConfig(action, config.values, deps.env);
  });

  withNotifyOptions(
    withRequestOutput(withSessionOptions(program.command('sync')), {
      json: 'print the cycle (plan, requests, log) as JSON',
      verbose: 'print one line per object that changed; with --dry-run, each request as it would be sent',
    }),
  )
    .description('Run one provisioning cycle (initial, or incremental after the first) of a fixture tenant into a SCIM target.')
    .option('--dry-run', 'plan only: read the target, print the plan, write nothing')
    .option('--concurrency <n>', 'requests in flight at once', integer('--concurrency', 1), DEFAULTS.concurrency)
    .option('--rps <n>', 'requests started per second (default: unlimited)', positive('--rps'))
    .option('--at <time>', 'stand the cycle at this simulated time (ISO-8601), e.g. to see escrow retries come due')
    .addOption(new Option('--escrow-schedule <name>', 'when failed objects are retried').choices(['current', '2022']).default('current'))
    .option('--members-per-patch <n>', 'group members per membership PATCH', integer('--members-per-patch', 1), DEFAULTS.membersPerPatch)
    .option(
      '--batch-size <n>',
      `objects per batch when a cycle has more work than that (bounds memory on large tenants); with --dry-run, plan in these batches as the sync would send them (without it, a dry run is one plan up to ${DEFAULTS.wholePlanLimit.toLocaleString('en-US')} objects)`,
      integer('--batch-size', 1),
      DEFAULTS.batchSize,
    )
    .option('--full', 'start a new initial cycle (links are kept, everything is re-evaluated)')
    .option('--allow-deletes', 'let disables and deletes through the accidental-deletion threshold (Entra: ForceDeletes)')
    .addHelpText(
      'after',
      '\nExample:\n  PROVSIM_TOKEN=secret provsim sync --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target http://127.0.0.1:8080/scim/v2 --dry-run',
    )
    .action(async (o: Record<string, unknown>, command: Command) => {
      done(
        await syncCommand(
          {
            ...sessionOptionsFrom(o),
            ...requestOutputFrom(o),
            ...notifyFrom(o),
            dryRun: Boolean(o['dryRun']),
            // `--dry-run --batch-size N`: the plan in the batches `sync --batch-size N` sends.
            ...(command.getOptionValueSource('batchSize') === 'cli' ? { wholePlanLimit: 0 } : {}),
            ...(o['at'] ? { at: o['at'] as string } : {}),
            escrowSchedule: o['escrowSchedule'] as string,
            membersPerPatch: o['membersPerPatch'] as number,
            batchSize: o['batchSize'] as number,
            full: Boolean(o['full']),
            allowDeletes: Boolean(o['allowDeletes']),
          },
          deps,
        ),
      );
    });

  withNotifyOptions(
    withRequestOutput(withSessionOptions(program.command('watch')), {
      json: 'print each cycle as one line of JSON (JSON Lines)',
      verbose: 'also print each request (method, URL, status, time)',
    }),
  )
    .description(
      "Entra's schedule on a loop: an initial cycle, then incremental cycles every interval (and on file changes with --on-change).",
    )
    .option('--interval <duration>', "time between cycles: 40m, 30s, PT40M (Entra's is 40 minutes)", DEFAULTS.interval)
    .option('--on-change', 'also start a cycle about a second after a fixture or mapping edit')
    .option('--max-cycles <n>', 'stop after this many cycles', integer('--max-cycles', 1))
    .option('--concurrency <n>', 'requests in flight at once', integer('--concurrency', 1), DEFAULTS.concurrency)
    .option('--rps <n>', 'requests started per second (default: unlimited)', positive('--rps'))
    .addOption(new Option('--escrow-schedule <name>', 'when failed objects are retried').choices(['current', '2022']).default('current'))
    .addHelpText(
      'after',
      '\nExample:\n  provsim watch --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target http://127.0.0.1:8080/scim/v2 --interval 30s --on-change',
    )
    .action(async (o: Record<string, unknown>) => {
      done(
        await watchCommand(
          {
            ...sessionOptionsFrom(o),
            ...requestOutputFrom(o),
            ...notifyFrom(o),
            interval: o['interval'] as string,
            onChange: Boolean(o['onChange']),
            ...(o['maxCycles'] ? { maxCycles: o['maxCycles'] as number } : {}),
            escrowSchedule: o['escrowSchedule'] as string,
          },
          deps,
        ),
      );
    });

  withRequestOutput(withSessionOptions(program.command('provision')), {
    json: 'print the steps as JSON',
    verbose: 'also print each request (method, URL, status, time)',
  })
    .description('Provision on demand: one user, or one group with at most 5 members, through the real engine, showing each step.')
    .option('--user <upn-or-id>', 'the user to provision')
    .option('--group <name-or-id>', 'the group to provision (with up to 5 of its members)')
    .addHelpText(
      'after',
      '\nExample:\n  provsim provision --fixtures fixtures/contoso --mapping mappings/customappsso.yaml --target http://127.0.0.1:8080/scim/v2 --user jose.muller@contoso.com',
    )
    .action(async (o: Record<string, unknown>) => {
      done(
        await provisionCommand(
          {
            ...sessionOptionsFrom(o),
            ...(o['user'] ? { user: o['user'] as string } : {}),
            ...(o['group'] ? { group: o['group'] as string } : {}),
            ...requestOutputFrom(o),
          },
          deps,
        ),
      );
    });

  withRequestOutput(program.command('test-connection'), {
    json: 'print the results as JSON',
    verbose: 'also print each request (method, URL, status, time)',
  })
    .description("Entra's Test Connection: filter GETs for a random GUID, expecting 200 and an empty list.")
    .option('--target <url>', 'the SCIM base URL; required unless provsim.yaml sets it')
    .option('--token-file <file>', 'read the bearer token from this file (otherwise from PROVSIM_TOKEN)')
    .option('--attribute <name>', 'the user matching attribute to filter on', 'userName')
    .option('--allow-http', 'allow plain http to a non-loopback target')
    .addHelpText('after', '\nExample:\n  PROVSIM_TOKEN=secret provsim test-connection --target https://scim.example.com/scim/v2')
    .action(async (o: Record<string, unknown>) => {
      done(
        await testConnectionCommand(
          {
            target: needed(o, 'target', '--target', 'http://127.0.0.1:8080/scim/v2'),
            ...(o['tokenFile'] ? { tokenFile: o['tokenFile'] as string } : {}),
            attribute: o['attribute'] as string,
            allowHttp: Boolean(o['allowHttp']),
            ...requestOutputFrom(o),
          },
          deps,
        ),
      );
    });

  withRequestOutput(program.command('conformance'), {
    json: 'print the report as JSON to stdout (with every request and response) instead of the check lines',
    verbose: 'also print each request (method, URL, status, time)',
  })
    .description(
      'Check a SCIM endpoint against what Entra sends: the lifecycle through the real engine, the quirk matrix and protocol checks. Exit 0 when every mandatory check passes.',
    )
    .allowExcessArguments()
    .option('--target <url>', 'the SCIM base URL (?aadOptscim062020 selects that dialect); required unless provsim.yaml sets it')
    .option('--token-file <file>', 'read the bearer token from this file (otherwise from PROVSIM_TOKEN)')
    .addOption(
      new Option(
        '--dialect <name>',
        "the lifecycle's dialect; its quirk probes are the mandatory ones (default: from the target URL, else legacy)",
      ).choices(['legacy', 'aadOptscim062020']),
    )
    .option('--junit <file>', 'write the report as JUnit XML')
    .option('--json-file <file>', 'write the report as JSON, with every request and response')
    .option('--html <file>', 'write the report as one self-contained HTML page')
    .option(
      '--only <id...>',
      'run only these checks: ids or prefixes (lifecycle, quirk.member-remove, protocol.paging); the rest are reported as skipped',
    )
    .option('--allow-http', 'allow plain http to a non-loopback target (Entra only talks HTTPS)')
    .addHelpText(
      'after',
      '\nExamples:\n  PROVSIM_TOKEN=secret provsim conformance --target https://scim.example.com/scim/v2 --junit conformance.xml --html conformance.html\n  provsim conformance --target http://127.0.0.1:8080/scim/v2 --only quirk protocol.paging',
    )
    .action(async (o: Record<string, unknown>, cmd: Command) => {
      // `--json FILE` was the JSON report's flag; it is a switch now, and the file has --json-file.
      if (cmd.args.length > 0)
        throw new UsageError(
          `conformance takes no arguments, got ${cmd.args.map((a) => JSON.stringify(a)).join(' ')}${o['json'] ? `; --json is a switch (JSON to stdout): to write the report to a file, use --json-file ${cmd.args[0]}` : ''}`,
        );
      done(
        await conformanceCommand(
          {
            target: needed(o, 'target', '--target', 'http://127.0.0.1:8080/scim/v2'),
            ...(o['tokenFile'] ? { tokenFile: o['tokenFile'] as string } : {}),
            ...(o['dialect'] ? { dialect: o['dialect'] as string } : {}),
            ...(o['junit'] ? { junit: o['junit'] as string } : {}),
            ...(o['jsonFile'] ? { jsonFile: o['jsonFile'] as string } : {}),
            ...(o['html'] ? { html: o['html'] as string } : {}),
            ...(o['only'] ? { only: o['only'] as string[] } : {}),
            allowHttp: Boolean(o['allowHttp']),
            ...requestOutputFrom(o),
          },
          deps,
        ),
      );
    });

  program
    .command('logs')
    .description('Print the stored provisioning log: one entry per object per cycle.')
    .option('--state <file>', 'the state database', DEFAULTS.stateFile)
    .option('--cycle <id>', 'only this cycle (an id prefix, or "last")')
    .option('--status <status>', 'Success | Failure | Skipped | Warning')
    .option('--action <action>', 'Create | Update | Disable | Delete | StagedDelete | Other')
    .option(
      '--user <text>',
      'a part of the display name, UPN (or the part before its @), mail nickname, source id or target id; case and accents are ignored',
    )
    .option('--json', 'print the entries as JSON (Graph provisioningObjectSummary-like)')
    .option('--since <time>', 'only entries at or after this ISO-8601 time')
    .option('--csv', 'print CSV (one row per entry)')
    .option('--jsonpath <path>', 'print what this JSONPath selects from the entries (JSON)')
    .addHelpText(
      'after',
      '\nExamples:\n  provsim logs --cycle last --status Failure\n  provsim logs --jsonpath \'$[?(@.status=="Failure")].errorDetails\'',
    )
    .action(async (o: Record<string, unknown>) => {
      done(
        await logsCommand(
          {
            state: o['state'] as string,
            ...(o['cycle'] ? { cycle: o['cycle'] as string } : {}),
            ...(o['status'] ? { status: o['status'] as string } : {}),
            ...(o['action'] ? { action: o['action'] as string } : {}),
            ...(o['user'] ? { user: o['user'] as string } : {}),
            ...(o['jsonpath'] ? { jsonpath: o['jsonpath'] as string } : {}),
            ...(o['since'] ? { since: o['since'] as string } : {}),
            csv: Boolean(o['csv']),
            json: Boolean(o['json']),
          },
          deps,
        ),
      );
    });

  program
    .command('status')
    .description('The job as the portal shows it: state, quarantine, escrows waiting for a retry, links, the last cycles.')
    .option('--state <file>', 'the state database', DEFAULTS.stateFile)
    .option('--json', 'print the status as JSON')
    .addHelpText('after', '\nExample:\n  provsim status')
    .action(async (o: Record<string, unknown>) => {
      done(await statusCommand({ state: o['state'] as string, json: Boolean(o['json']) }, deps));
    });

  program
    .command('quirks')
    .description(
      'Every quirk (switchable with --quirk NAME=on|off) and every fixed wire choice, with its evidence: source, date, confidence.',
    )
    .option('--json', "print them as JSON, with each piece of evidence's note")
    .option('--markdown', "print the README's Fidelity tables")
    .addHelpText('after', '\nExamples:\n  provsim quirks\n  provsim quirks --json')
    .action((o: Record<string, unknown>) => {
      done(quirksCommand({ json: Boolean(o['json']), markdown: Boolean(o['markdown']) }, deps));
    });

  program
    .command('restart')
    .description("Restart the job (Graph's restart): clear escrows, watermark, quarantine; allow deletes once; or forget links (full).")
    .option('--state <file>', 'the state database', DEFAULTS.stateFile)
    .option(
      '--scope <scopes>',
      'comma-separated: escrows, watermark, quarantine, force-deletes, full (default: quarantine,watermark,escrows)',
    )
    .option('--json', 'print what was cleared as JSON')
    .addHelpText('after', '\nExamples:\n  provsim restart\n  provsim restart --scope force-deletes')
    .action(async (o: Record<string, unknown>) => {
      done(
        await restartCommand(
          { state: o['state'] as string, ...(o['scope'] ? { scope: o['scope'] as string } : {}), json: Boolean(o['json']) },
          deps,
        ),
      );
    });

  program
    .command('serve')
    .description('Run the embedded SCIM 2.0 target (SCIMMY, in memory) on 127.0.0.1 until Ctrl-C.')
    .option('--port <n>', 'port (0 = any free port)', integer('--port', 0), 8080)
    .option('--token-file <file>', 'require the bearer token this file holds (default: PROVSIM_TOKEN, else none)')
    .option('--token <token>', 'require this bearer token (visible in process listings: prefer --token-file or PROVSIM_TOKEN)')
    .addOption(
      new Option('--profile <profile>', "tolerant accepts Entra's legacy shapes; strict rejects what RFC 7643/7644 reject")
        .choices(['tolerant', 'strict'])
        .default('tolerant'),
    )
    .option('--json', 'print {"url": …} as one JSON line on stdout once listening (for scripts using --port 0)')
    .addHelpText('after', '\nExample:\n  provsim serve --port 8080 --profile strict')
    .action(async (o: Record<string, unknown>) => {
      done(
        await serveCommand(
          {
            port: o['port'] as number,
            profile: o['profile'] as string,
            ...(o['token'] !== undefined ? { token: o['token'] as string } : {}),
            ...(o['tokenFile'] ? { tokenFile: o['tokenFile'] as string } : {}),
            json: Boolean(o['json']),
          },
          deps,
        ),
      );
    });

  program
    .command('demo')
    .description('Start the embedded target and run the Contoso demo: an initial cycle, an incremental one, and one with nothing changed.')
    .addOption(new Option('--profile <profile>', "the embedded target's profile").choices(['tolerant', 'strict']).default('tolerant'))
    .action(async (o: Record<string, unknown>) => {
      done(await demoCommand({ profile: o['profile'] as 'tolerant' | 'strict' }, deps, syncCommand));
    });

  program
    .command('init')
    .description(
      `Write a starter ${CONFIG_FILE_NAME} (target, token file, fixtures, mapping, dialect, state) with a small fixture tenant and Entra's default mapping, so the other commands need no long flags.`,
    )
    .option('--dir <dir>', 'the folder to write into (default: this one)')
    .option('--target <url>', "your SCIM base URL (Entra's Tenant URL)", 'http://127.0.0.1:8080/scim/v2')
    .addOption(
      new Option('--dialect <name>', 'PATCH dialect to pin (default: from the target URL)').choices(['legacy', 'aadOptscim062020']),
    )
    .option('--force', 'overwrite files that are already there')
    .option('--json', 'print what was written as JSON')
    .addHelpText('after', '\nExample:\n  provsim init --target http://127.0.0.1:3000/scim/v2 && provsim sync --dry-run')
    .action(async (o: Record<string, unknown>) => {
      done(
        await initCommand(
          {
            ...(o['dir'] ? { dir: o['dir'] as string } : {}),
            target: o['target'] as string,
            ...(o['dialect'] ? { dialect: o['dialect'] as string } : {}),
            force: Boolean(o['force']),
            json: Boolean(o['json']),
          },
          deps,
        ),
      );
    });

  const fixtures = program.command('fixtures').description('Make fixture tenants.');
  fixtures
    .command('generate')
    .description(
      'Write a realistic, deterministic tenant (diacritics, departments, a manager tree, guests, disabled and soft-deleted accounts, assignments by user and group), streamed so a million users fit in memory.',
    )
    .requiredOption('--users <n>', 'how many users', integer('--users', 0))
    .requiredOption('--groups <n>', 'how many groups', integer('--groups', 0))
    .option('--members-per-group <n>', 'members per group', integer('--members-per-group', 0), 10)
    .option('--seed <n>', 'the seed (same seed, same tenant, byte for byte)', integer('--seed', 0), 1)
    .requiredOption('--out <dir>', 'the directory to write the users, groups and assignments files into')
    .option('--force', 'write into a non-empty directory')
    .option('--json', 'print what was written as JSON')
    .addOption(
      new Option(
        '--format <format>',
        'yaml; json (loads about 20× faster for large tenants); or jsonl (JSON Lines, streamed: a million users and more, in files of 250,000)',
      )
        .choices(['yaml', 'json', 'jsonl'])
        .default('yaml'),
    )
    .addHelpText(
      'after',
      '\nExample:\n  provsim fixtures generate --users 10000 --groups 500 --members-per-group 50 --seed 7 --out /tmp/tenant-10k',
    )
    .action(async (o: Record<string, unknown>) => {
      done(
        await fixturesGenerateCommand(
          {
            users: o['users'] as number,
            groups: o['groups'] as number,
            membersPerGroup: o['membersPerGroup'] as number,
            seed: o['seed'] as number,
            out: o['out'] as string,
            force: Boolean(o['force']),
            format: o['format'] as string,
            json: Boolean(o['json']),
          },
          deps,
        ),
      );
    });
  fixtures
    .command('import-graph')
    .description(
      'Turn a Microsoft Graph export (users, groups, members, servicePrincipal and appRoleAssignedTo pages, saved as Graph returned them) into a fixture tenant; prints, with its file and index, every item that was left out.',
    )
    .argument(
      '<export-dir>',
      'the directory of saved Graph responses (users.json, users-2.json, …, servicePrincipal.json, appRoleAssignedTo.json)',
    )
    .requiredOption('--out <dir>', 'the directory to write the users, groups and assignments files into')
    .option('--force', 'write into a non-empty directory (replacing its fixture files)')
    .option('--json', 'print the result (counts, files, every diagnostic) as JSON')
    .addOption(new Option('--format <format>', 'the fixture files to write').choices(['yaml', 'json']).default('yaml'))
    .option(
      '--anonymize <seed>',
      'replace names, mails, ids, phones and addresses by pseudonyms keyed by this secret seed (same seed, same tenant), keeping structure, references and roles, so the tenant can go into a bug report',
    )
    .option(
      '--keep <attribute>',
      'with --anonymize: keep this attribute verbatim (repeat it: --keep department --keep country), e.g. what scoping reads',
      collect,
      [],
    )
    .addHelpText(
      'after',
      '\nExamples:\n  provsim fixtures import-graph graph-export --out tenant-from-graph && provsim sync --fixtures tenant-from-graph --dry-run\n  provsim fixtures import-graph graph-export --out tenant-for-bug-report --anonymize "a secret phrase" --keep department',
    )
    .action(async (exportDir: string, o: Record<string, unknown>) => {
      done(
        await fixturesImportGraphCommand(
          {
            exportDir,
            out: o['out'] as string,
            force: Boolean(o['force']),
            format: o['format'] as string,
            json: Boolean(o['json']),
            anonymize: o['anonymize'] as string | undefined,
            keep: o['keep'] as string[],
          },
          deps,
        ),
      );
    });
  fixtures
    .command('export-script')
    .description(
      'Print the script (bash with the Azure CLI, PowerShell with the Microsoft Graph SDK) that saves from a real tenant the Graph responses `fixtures import-graph` reads, selecting only what the mapping reads.',
    )
    .option('--mapping <file>', 'the attribute mapping YAML whose reads decide the $select lists; required unless provsim.yaml sets it')
    .requiredOption('--app <name>', "the enterprise app's display name (its service principal is looked up by it)")
    .addOption(new Option('--shell <shell>', 'which script to print').choices(['bash', 'powershell', 'both']).default('both'))
    .option('--out-dir <dir>', 'the directory the printed script writes the responses into', 'graph-export')
    .addHelpText(
      'after',
      '\nExample:\n  provsim fixtures export-script --mapping mappings/customappsso.yaml --app "Contoso SCIM App" --shell bash > export-graph.sh',
    )
    .action(async (o: Record<string, unknown>) => {
      done(
        await fixturesExportScriptCommand(
          {
            mapping: needed(o, 'mapping', '--mapping', 'mappings/customappsso.yaml'),
            app: o['app'] as string,
            shell: o['shell'] as string,
            outDir: o['outDir'] as string,
          },
          deps,
        ),
      );
    });

  const mappings = program.command('mappings').description('Convert and check attribute-mapping files.');
  mappings
    .command('import')
    .description(
      "Convert the synchronizationSchema JSON of Entra's schema editor (or Graph …/synchronization/jobs/{jobId}/schema) into a mapping YAML; notes on stderr.",
    )
    .argument('<schema>', 'the synchronizationSchema JSON file')
    .option('-o, --output <file>', 'write the YAML to this file instead of stdout')
    .addHelpText('after', '\nExample:\n  provsim mappings import schema.json > mapping.yaml')
    .action(async (schema: string, o: Record<string, unknown>) => {
      done(await mappingsImportCommand({ schema, ...(o['output'] ? { output: o['output'] as string } : {}) }, deps));
    });
  mappings
    .command('check')
    .description('Load and compile a mapping file as sync does, and print its mappings the way the portal shows them.')
    .argument('[mapping]', `the mapping YAML file (default: \`mapping\` in ${CONFIG_FILE_NAME})`)
    .option('--json', 'print the loaded mapping as JSON instead of the table')
    .addHelpText('after', '\nExample:\n  provsim mappings check mappings/customappsso.yaml')
    .action(async (given: string | undefined, o: Record<string, unknown>) => {
      const mapping = given ?? (config as LoadedConfig | null)?.values.mapping;
      if (mapping === undefined)
        throw new UsageError(
          `mappings check needs a mapping file: provsim mappings check mappings/customappsso.yaml (or \`mapping:\` in ${CONFIG_FILE_NAME})`,
        );
      done(await mappingsCheckCommand({ mapping, json: Boolean(o['json']) }, deps));
    });

  return program;
}
