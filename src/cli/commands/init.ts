/**
 * `provsim init`: a starter `provsim.yaml` (target, token file, fixtures, mapping, dialect, state) and, beside
 * it, a small fixture tenant and Entra's default mapping to edit, so that every other command runs without
 * its long flags. Nothing is overwritten without `--force`; nothing is sent anywhere.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundled } from '../../shared/bundled.js';
import { UsageError } from '../../shared/errors.js';
import { parseTenantUrl } from '../../scim/tenant-url.js';
import { CONFIG_FILE_NAME } from '../config-file.js';
import { chooseDialect } from '../session.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';

export interface InitOptions {
  /** The folder to write into. @default the working directory */
  dir?: string;
  /** @default http://127.0.0.1:8080/scim/v2 (`provsim serve`) */
  target?: string;
  dialect?: string;
  force?: boolean;
  json?: boolean;
}

export const STARTER_TARGET = 'http://127.0.0.1:8080/scim/v2';
const FIXTURES_DIR = join('provsim', 'fixtures');
const MAPPING_FILE = join('provsim', 'mapping.yaml');

export async function initCommand(options: InitOptions, deps: CliDeps): Promise<CommandResult & { written: string[] }> {
  const dir = resolve(deps.cwd, options.dir ?? '.');
  const target = options.target ?? STARTER_TARGET;
  // Checked as sync would check it (plain http only to loopback without --allow-http in the file).
  parseTenantUrl(target, true, '--target');
  const host = new URL(target).hostname;
  if (options.dialect !== undefined) chooseDialect(options.dialect, target);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--dir ${options.dir} is a file; give a folder to write into`);

  const tenant = bundled.fixtures('starter');
  const files: Array<{ path: string; write: (to: string) => void }> = [
    { path: CONFIG_FILE_NAME, write: (to) => writeFileSync(to, configText(target, options.dialect, host)) },
    ...readdirSync(tenant)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => ({ path: join(FIXTURES_DIR, f), write: (to: string) => copyFileSync(join(tenant, f), to) })),
    { path: MAPPING_FILE, write: (to) => copyFileSync(bundled.mapping('customappsso'), to) },
  ];
  const existing = files.filter((f) => existsSync(join(dir, f.path))).map((f) => f.path);
  if (existing.length > 0 && !options.force)
    throw new UsageError(
      `provsim init would overwrite ${existing.join(', ')} in ${options.dir ?? 'this folder'}; nothing was written. Pass --force to overwrite them`,
    );
  for (const f of files) {
    const to = join(dir, f.path);
    mkdirSync(resolve(to, '..'), { recursive: true });
    f.write(to);
  }
  const written = files.map((f) => f.path);
  if (options.json) deps.stdout.write(JSON.stringify({ dir, written, target }, null, 2) + '\n');
  else deps.stdout.write(nextSteps(written, options.dir) + '\n');
  return { exitCode: EXIT_CODES.ok, written };
}

function configText(target: string, dialect: string | undefined, host: string): string {
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return `# provsim settings: every provsim command run in this folder (or below it) reads this file.
# A flag given on the command line wins over a value here. Paths are relative to this file.

# Your SCIM endpoint, as Entra's "Tenant URL". Add ?aadOptscim062020 to get that PATCH dialect.
target: ${target}
${loopback || target.startsWith('https:') ? '' : '# Entra only talks HTTPS; plain http to another host needs this:\nallowHttp: true\n'}
# The bearer token: a file that holds it (keep that file out of version control), or PROVSIM_TOKEN in the
# environment, which wins over this. Never the token itself.
# tokenFile: .provsim-token

# The Entra tenant on disk: users, groups and who is assigned to the app (Graph attribute names).
fixtures: ${FIXTURES_DIR.split('\\').join('/')}

# The app's attribute mappings, as the portal's "Attribute mappings" page (see: provsim mappings check).
mapping: ${MAPPING_FILE.split('\\').join('/')}

# PATCH dialect: legacy (what Entra sends by default) or aadOptscim062020; without it, from the target URL.
${dialect ? `dialect: ${dialect}` : '# dialect: legacy'}

# The job's state: links, escrows, quarantine and the provisioning log (keep it out of version control).
state: .provsim/state.db

# Quirks: Entra's request shapes with thin evidence, switched one by one (list: provsim quirks).
# quirks:
#   managerBareId: off
`;
}

function nextSteps(written: string[], dir: string | undefined): string {
  const cd = dir && dir !== '.' ? `  cd ${dir}\n` : '';
  return [
    `wrote ${written.join(', ')}`,
    '',
    'next:',
    `${cd}  provsim mappings check          # the mapping, as the portal shows it`,
    '  provsim test-connection         # Entra\'s "Test Connection" against the target',
    '  provsim sync --dry-run          # what Entra would send, and nothing sent',
    '  provsim sync                    # an initial cycle; run it again for an incremental one',
    '  provsim conformance --html conformance.html',
    '',
    `No server yet? \`provsim serve\` runs one on ${STARTER_TARGET.replace('/scim/v2', '')}.`,
    'Keep .provsim/ (the state) and any token file out of version control, e.g. in .gitignore.',
  ].join('\n');
}
