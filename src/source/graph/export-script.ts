/**
 * The script that exports, from a real tenant, the Microsoft Graph v1.0 responses `provsim fixtures import-graph`
 * reads: `servicePrincipal.json`, `appRoleAssignedTo.json`, `users.json`, `groups.json` and `members-<groupId>.json`
 * (a collection's later pages as `users-2.json`, …), each page saved as Graph returned it. Two forms: bash with the Azure CLI
 * (`az rest`) and jq, and PowerShell with the Microsoft Graph PowerShell SDK (`Invoke-MgGraphRequest`).
 *
 * Pure: a compiled mapping and the options in, the script text out. The `$select` lists hold the Graph
 * properties the mapping reads (Direct rows, `[attribute]`s of expressions, scoping clauses; matching
 * attributes are rows), translated from Entra's source names back to Graph's, plus what the engine itself
 * needs (`ALWAYS_SELECTED`). Nothing the user typed reaches the script unquoted: the app name and the
 * output directory appear only as single-quoted shell literals (bash and PowerShell rules each), percent-encoded
 * inside URLs, and escaped to printable ASCII inside comments.
 */
import type { CompiledJob, CompiledObjectMapping } from '../../mapping/compile.js';
import { parseExpression, referencedAttributes, type CompiledExpression } from '../../expression/index.js';

export const EXPORT_SHELLS = ['bash', 'powershell', 'both'] as const;
export type ExportShell = (typeof EXPORT_SHELLS)[number];

/** The export directory the script writes into when none is given. */
export const DEFAULT_EXPORT_DIR = 'graph-export';

const GRAPH = 'https://graph.microsoft.com/v1.0';

/** The Microsoft Graph permissions the script's requests need (all read-only). */
export const EXPORT_PERMISSIONS = ['User.Read.All', 'Group.Read.All', 'Application.Read.All'] as const;

/**
 * Graph properties selected whatever the mapping reads: the object id and what the engine decides with —
 * users: `userPrincipalName` (identity, guests' `#EXT#`), `accountEnabled` (IsSoftDeleted), `displayName`
 * (plans, logs); groups: `displayName` (assignment by name, plans).
 */
export const ALWAYS_SELECTED = {
  users: ['id', 'userPrincipalName', 'accountEnabled', 'displayName'],
  groups: ['id', 'displayName'],
} as const;

/**
 * Entra source names whose Graph v1.0 property is named differently; `null`: not a `$select` property
 * (`manager` comes through `$expand=manager($select=id)`, `appRoleAssignments` from the service principal's
 * `appRoleAssignedTo`). Every other name (`givenName`, `department`, `extension_<appId>_<name>`…) is the same.
 */
const USER_GRAPH_NAMES: Readonly<Record<string, string | null>> = {
  objectId: 'id',
  telephoneNumber: 'businessPhones',
  mobile: 'mobilePhone',
  facsimileTelephoneNumber: 'faxNumber',
  physicalDeliveryOfficeName: 'officeLocation',
  originalUserPrincipalName: 'userPrincipalName',
  IsSoftDeleted: 'accountEnabled',
  manager: null,
  appRoleAssignments: null,
};

const GROUP_GRAPH_NAMES: Readonly<Record<string, string | null>> = {
  objectId: 'id',
  members: null,
  appRoleAssignments: null,
};

const ON_PREMISES_EXTENSION_ATTRIBUTE = /^extensionAttribute([1-9]|1[0-5])$/;

/** The Graph v1.0 user property an Entra source attribute comes from, or null when no `$select` carries it. */
export function graphUserProperty(sourceAttribute: string): string | null {
  if (Object.hasOwn(USER_GRAPH_NAMES, sourceAttribute)) return USER_GRAPH_NAMES[sourceAttribute] ?? null;
  if (ON_PREMISES_EXTENSION_ATTRIBUTE.test(sourceAttribute)) return 'onPremisesExtensionAttributes';
  if (sourceAttribute === 'employeeOrgData' || sourceAttribute.startsWith('employeeOrgData.')) return 'employeeOrgData';
  return sourceAttribute;
}

/** The Graph v1.0 group property an Entra source attribute comes from, or null when no `$select` carries it. */
export function graphGroupProperty(sourceAttribute: string): string | null {
  if (Object.hasOwn(GROUP_GRAPH_NAMES, sourceAttribute)) return GROUP_GRAPH_NAMES[sourceAttribute] ?? null;
  return sourceAttribute;
}

/**
 * The source attributes one object mapping reads, each once, in mapping order: Direct rows, the `[attribute]`s
 * of expression rows, then scoping clauses. A switched-off mapping reads nothing.
 */
export function sourceAttributesRead(mapping: CompiledObjectMapping): string[] {
  if (!mapping.enabled) return [];
  const read = new Set<string>();
  for (const a of mapping.attributes) {
    if (a.mapping.source.kind === 'direct') read.add(a.mapping.source.attribute);
    if (a.mapping.source.kind === 'expression') for (const name of expressionReads(a.expression, a.mapping.source.text)) read.add(name);
  }
  for (const group of mapping.scoping) for (const clause of group) read.add(clause.attribute);
  return [...read];
}

/**
 * The `[attribute]`s of an expression row. The compiler leaves an expression that reads a directory extension
 * uncompiled (`expression: null`: the extension is unknown to its attribute list, and the diagnostic is waived),
 * so such a row is parsed again here without an attribute list.
 */
function expressionReads(compiled: CompiledExpression | null, text: string): string[] {
  const expression = compiled ?? parseExpression(text).expression;
  return expression ? referencedAttributes(expression) : [];
}

/** What the script fetches. */
export interface GraphExportPlan {
  users: {
    /** `$select`: `ALWAYS_SELECTED.users`, then the mapping's properties in mapping order. */
    select: string[];
    /** `$expand=manager($select=id)`: only when the mapping reads `manager`. */
    expandManager: boolean;
  };
  groups: { select: string[] };
  /**
   * Whose direct members are fetched: `assigned`, the groups assigned to the app (their direct members are in
   * scope, as Entra provisions them); `all`, every group (the job syncs all users and groups).
   */
  membersOf: 'assigned' | 'all';
}

export function graphExportPlan(job: CompiledJob): GraphExportPlan {
  const userReads = sourceAttributesRead(job.users);
  const groupReads = sourceAttributesRead(job.groups);
  return {
    users: { select: selectList(ALWAYS_SELECTED.users, userReads.map(graphUserProperty)), expandManager: userReads.includes('manager') },
    groups: { select: selectList(ALWAYS_SELECTED.groups, groupReads.map(graphGroupProperty)) },
    membersOf: job.job.settings.scope === 'all' ? 'all' : 'assigned',
  };
}

function selectList(always: readonly string[], properties: readonly (string | null)[]): string[] {
  const out = [...always];
  for (const p of properties) if (p !== null && !out.includes(p)) out.push(p);
  return out;
}

export interface ExportScriptOptions {
  /** The enterprise app's display name: its service principal is looked up by it. */
  appName: string;
  /** @default 'both' */
  shell?: ExportShell;
  /** The directory the script writes the responses into. @default DEFAULT_EXPORT_DIR */
  outDir?: string;
  /** The mapping file, as the user named it, for the header. */
  mappingFile?: string;
}

/**
 * The export script. Throws RangeError, saying which option is wrong, when the app name or the directory is
 * empty or holds control characters (a line break would end a comment or a command), or the shell is unknown.
 */
export function renderExportScript(job: CompiledJob, options: ExportScriptOptions): string {
  const shell = options.shell ?? 'both';
  if (!(EXPORT_SHELLS as readonly string[]).includes(shell))
    throw new RangeError(`--shell ${shell} is not one of ${EXPORT_SHELLS.join(', ')}`);
  checkText('--app', options.appName, 'the display name of the enterprise app, e.g. --app "Contoso SCIM App"');
  const outDir = options.outDir ?? DEFAULT_EXPORT_DIR;
  checkText('--out-dir', outDir, 'a directory name such as graph-export');
  const input: ScriptInput = {
    plan: graphExportPlan(job),
    appName: options.appName,
    outDir: safeDir(outDir),
    mappingFile: options.mappingFile ?? job.job.file,
  };
  if (shell === 'bash') return bashScript(input);
  if (shell === 'powershell') return powershellScript(input);
  return [
    '# ===== bash, with the Azure CLI: save this part as export-graph.sh and run `bash export-graph.sh` =====',
    bashScript(input),
    '# ===== PowerShell, with the Microsoft Graph PowerShell SDK: save this part as Export-Graph.ps1 and run it =====',
    powershellScript(input),
  ].join('\n');
}

function checkText(flag: string, value: string, example: string): void {
  if (value.trim() === '') throw new RangeError(`${flag} is empty; give ${example}`);
  if (/[\x00-\x1f\x7f-\x9f\u2028\u2029]/.test(value))
    throw new RangeError(`${flag} ${commentText(value)} holds a control character or line break; give ${example}`);
}

/** A directory that starts with `-` would read as an option to the commands it is passed to. */
function safeDir(dir: string): string {
  return dir.startsWith('-') ? `./${dir}` : dir;
}

interface ScriptInput {
  plan: GraphExportPlan;
  appName: string;
  outDir: string;
  mappingFile: string;
}

/** bash: a single-quoted word; nothing inside single quotes is special but the quote itself. */
export function bashQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * PowerShell: a single-quoted (verbatim) string. PowerShell takes the typographic single quotes
 * (U+2018–U+201B) as quotes too, so each of them is doubled as well as `'`; `$` and backticks are literal there.
 */
export function powershellQuote(text: string): string {
  return `'${text.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/** Text for a comment: a JSON string with everything outside printable ASCII escaped. */
function commentText(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * An OData string literal (quotes doubled), percent-encoded for a URL: the result holds only
 * `A-Z a-z 0-9 - _ . ~ %`, so it is inert in either shell's quotes.
 */
export function odataStringInUrl(text: string): string {
  const literal = `'${text.replace(/'/g, "''")}'`;
  return encodeURIComponent(literal).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function urls(input: ScriptInput): {
  findServicePrincipal: string;
  servicePrincipalQuery: string;
  appRoleAssignedToQuery: string;
  users: string;
  groups: string;
  membersQuery: string;
} {
  const { plan } = input;
  const expand = plan.users.expandManager ? '&$expand=manager($select=id)' : '';
  return {
    findServicePrincipal: `${GRAPH}/servicePrincipals?$filter=displayName%20eq%20${odataStringInUrl(input.appName)}&$select=id`,
    servicePrincipalQuery: '?$select=id,appId,displayName,appRoles',
    appRoleAssignedToQuery: '/appRoleAssignedTo?$top=999',
    users: `${GRAPH}/users?$select=${plan.users.select.join(',')}${expand}&$top=999`,
    groups: `${GRAPH}/groups?$select=${plan.groups.select.join(',')}&$top=999`,
    membersQuery: '/members?$select=id,displayName&$top=999',
  };
}

/** The header both forms share, each line without its comment marker. */
function headerLines(input: ScriptInput, runner: string): string[] {
  const { plan } = input;
  const membersOf =
    plan.membersOf === 'assigned'
      ? 'direct members of each group assigned to the app'
      : 'direct members of every group (the mapping syncs all users and groups)';
  return [
    'The Microsoft Graph v1.0 responses `provsim fixtures import-graph` reads, for one enterprise app and one',
    `mapping. Written by \`provsim fixtures export-script\`; ${runner}.`,
    `  app:     ${commentText(input.appName)}`,
    `  mapping: ${commentText(input.mappingFile)}`,
    '',
    `Writes into ${commentText(input.outDir)} (it must be empty or absent), one file per page, as Graph returns it:`,
    '  servicePrincipal.json               GET /servicePrincipals/{id}: the app and its appRoles',
    '  appRoleAssignedTo.json, -2, ...     GET /servicePrincipals/{id}/appRoleAssignedTo: the users and groups assigned',
    `  users.json, users-2.json, ...       GET /users?$select=...${plan.users.expandManager ? '&$expand=manager($select=id)' : ''}`,
    '  groups.json, groups-2.json, ...     GET /groups?$select=...',
    `  members-<group id>.json, -2, ...    GET /groups/{id}/members: ${membersOf}`,
    '                                      (Entra provisions direct members only: not transitiveMembers)',
    `Then: provsim fixtures import-graph ${commentText(input.outDir)} --out <fixtures directory>`,
    '',
    `Permissions (Microsoft Graph, read only): ${EXPORT_PERMISSIONS.join(', ')}.`,
    '',
    `$select for users:  ${plan.users.select.join(',')}`,
    `$select for groups: ${plan.groups.select.join(',')}`,
    `  ${ALWAYS_SELECTED.users.join(', ')} (users) and ${ALWAYS_SELECTED.groups.join(', ')} (groups) are what provsim itself needs; the`,
    "  rest is what the mapping reads, under Graph's names (telephoneNumber: businessPhones, mobile: mobilePhone,",
    '  facsimileTelephoneNumber: faxNumber, physicalDeliveryOfficeName: officeLocation, extensionAttributeN:',
    '  onPremisesExtensionAttributes, objectId: id). Directory extensions (extension_<appId>_<name>) and',
    '  onPremisesExtensionAttributes are returned only when selected; the manager only through $expand.',
    '$top=999 is the largest page these lists serve (with $expand, Graph returns at most 100 users a page);',
    'every page is followed through @odata.nextLink. No ConsistencyLevel header: no request uses $count,',
    '$search or an advanced $filter.',
  ];
}

function comment(lines: readonly string[]): string[] {
  return lines.map((l) => (l === '' ? '#' : `# ${l}`));
}

function bashScript(input: ScriptInput): string {
  const u = urls(input);
  const q = bashQuote;
  const groupIds =
    input.plan.membersOf === 'assigned'
      ? `jq -r '.value[] | select(.principalType == "Group") | .principalId' "$out"/appRoleAssignedTo*.json | sort -u`
      : `jq -r '.value[].id' "$out"/groups*.json | sort -u`;
  const lines = [
    '#!/usr/bin/env bash',
    ...comment([
      ...headerLines(input, 'run it with bash (needs the Azure CLI, signed in with `az login`, and jq)'),
      '',
      'az rest calls Graph as the account `az login` signed in: a user who may read users, groups and enterprise',
      'apps (e.g. the Directory Readers role), or a service principal granted the application permissions above.',
    ]),
    'set -euo pipefail',
    '',
    `out=${q(input.outDir)}`,
    `app_name=${q(input.appName)}`,
    "# The app's service principal (object id); left empty, it is looked up by app_name.",
    "sp_id=''",
    '',
    'if [ -e "$out" ] && [ -n "$(ls -A -- "$out")" ]; then',
    `  printf 'export: %s is not empty; choose an empty directory (stale pages would be imported too)\\n' "$out" >&2`,
    '  exit 1',
    'fi',
    'mkdir -p -- "$out"',
    '',
    '# save_pages NAME URL: GETs URL, then each @odata.nextLink; page 1 goes to $out/NAME.json, page N to $out/NAME-N.json.',
    'save_pages() {',
    '  local name=$1 url=$2 page=1 file',
    '  while [ -n "$url" ]; do',
    '    if [ "$page" -eq 1 ]; then file="$out/$name.json"; else file="$out/$name-$page.json"; fi',
    '    az rest --method get --url "$url" --output-file "$file"',
    `    url=$(jq -r '."@odata.nextLink" // empty' "$file")`,
    '    page=$((page + 1))',
    '  done',
    '}',
    '',
    "# 1. The app's service principal, found by display name, and its app roles.",
    'if [ -z "$sp_id" ]; then',
    `  sp_id=$(az rest --method get --url ${q(u.findServicePrincipal)} --query 'value[].id' --output tsv)`,
    `  count=$(printf '%s\\n' "$sp_id" | grep -c . || true)`,
    '  if [ "$count" -ne 1 ]; then',
    `    printf 'export: %s service principals are named "%s"; set sp_id at the top of this script to the object id of the enterprise app\\n' "$count" "$app_name" >&2`,
    '    exit 1',
    '  fi',
    'fi',
    `[[ $sp_id =~ ^[0-9a-fA-F-]{36}$ ]] || { printf 'export: sp_id %s is not an object id (a GUID)\\n' "$sp_id" >&2; exit 1; }`,
    `az rest --method get --url '${GRAPH}/servicePrincipals/'"$sp_id"${q(u.servicePrincipalQuery)} --output-file "$out/servicePrincipal.json"`,
    '',
    '# 2. Who is assigned to the app, with which role.',
    `save_pages appRoleAssignedTo '${GRAPH}/servicePrincipals/'"$sp_id"${q(u.appRoleAssignedToQuery)}`,
    '',
    `# 3. Users: what provsim and the mapping read${input.plan.users.expandManager ? ", and each one's manager" : ''}.`,
    `save_pages users ${q(u.users)}`,
    '',
    '# 4. Groups.',
    `save_pages groups ${q(u.groups)}`,
    '',
    `# 5. The ${input.plan.membersOf === 'assigned' ? 'direct members of each group assigned to the app' : 'direct members of every group'}.`,
    `group_ids=$(${groupIds})`,
    'for group_id in $group_ids; do',
    `  [[ $group_id =~ ^[0-9a-fA-F-]{36}$ ]] || { printf 'export: %s is not a group object id\\n' "$group_id" >&2; exit 1; }`,
    `  save_pages "members-$group_id" '${GRAPH}/groups/'"$group_id"${q(u.membersQuery)}`,
    'done',
    '',
    `printf 'export: done; next: provsim fixtures import-graph %s --out <fixtures directory>\\n' "$out" >&2`,
    '',
  ];
  return lines.join('\n');
}

function powershellScript(input: ScriptInput): string {
  const u = urls(input);
  const q = powershellQuote;
  const groupIds =
    input.plan.membersOf === 'assigned'
      ? [
          "$groupIds = Get-ChildItem -LiteralPath $outPath -Filter 'appRoleAssignedTo*.json' |",
          '  ForEach-Object { (Get-Content -LiteralPath $_.FullName -Raw | ConvertFrom-Json).value } |',
          "  Where-Object { $_.principalType -eq 'Group' } | ForEach-Object { $_.principalId } | Sort-Object -Unique",
        ]
      : [
          "$groupIds = Get-ChildItem -LiteralPath $outPath -Filter 'groups*.json' |",
          '  ForEach-Object { (Get-Content -LiteralPath $_.FullName -Raw | ConvertFrom-Json).value } |',
          '  ForEach-Object { $_.id } | Sort-Object -Unique',
        ];
  const lines = [
    ...comment([
      ...headerLines(input, 'run it in PowerShell 7 or Windows PowerShell 5.1 with the Microsoft.Graph.Authentication module'),
      '',
      'Connect-MgGraph asks for the permissions above as delegated scopes (consent once); for app-only access,',
      'connect with a certificate or client secret of an app granted them as application permissions instead.',
      'Pages are written with ConvertTo-Json: the JSON Graph returned, serialized again (same names and values).',
      ...(/[^\x00-\x7f]/.test(input.appName + input.outDir)
        ? ['This script holds non-ASCII text: Windows PowerShell 5.1 reads it right only when saved as UTF-8 with a BOM.']
        : []),
    ]),
    '#Requires -Modules Microsoft.Graph.Authentication',
    "$ErrorActionPreference = 'Stop'",
    '',
    `$out = ${q(input.outDir)}`,
    `$appName = ${q(input.appName)}`,
    "# The app's service principal (object id); left empty, it is looked up by $appName.",
    "$spId = ''",
    '',
    'if ((Test-Path -LiteralPath $out) -and (Get-ChildItem -LiteralPath $out -Force | Select-Object -First 1)) {',
    "  throw ('export: {0} is not empty; choose an empty directory (stale pages would be imported too)' -f $out)",
    '}',
    'New-Item -ItemType Directory -Force -Path $out | Out-Null',
    '$outPath = (Resolve-Path -LiteralPath $out).ProviderPath',
    `Connect-MgGraph -Scopes ${EXPORT_PERMISSIONS.map((p) => q(p)).join(', ')}`,
    '',
    '# Save-Json FILE OBJECT: the object as JSON (UTF-8 without a byte order mark, in either PowerShell).',
    'function Save-Json([string] $File, $Object) {',
    '  [System.IO.File]::WriteAllText((Join-Path $outPath $File), ($Object | ConvertTo-Json -Depth 20))',
    '}',
    '',
    '# Save-GraphPages NAME URI: GETs URI, then each @odata.nextLink; page 1 goes to NAME.json, page N to NAME-N.json.',
    'function Save-GraphPages([string] $Name, [string] $Uri) {',
    '  $page = 1',
    '  while ($Uri) {',
    '    $response = Invoke-MgGraphRequest -Method GET -Uri $Uri -OutputType PSObject',
    "    $file = if ($page -eq 1) { $Name + '.json' } else { '{0}-{1}.json' -f $Name, $page }",
    '    Save-Json $file $response',
    "    $Uri = $response.'@odata.nextLink'",
    '    $page++',
    '  }',
    '}',
    '',
    "# 1. The app's service principal, found by display name, and its app roles.",
    'if (-not $spId) {',
    `  $found = @((Invoke-MgGraphRequest -Method GET -Uri ${q(u.findServicePrincipal)} -OutputType PSObject).value)`,
    '  if ($found.Count -ne 1) {',
    `    throw ('export: {0} service principals are named "{1}"; set $spId at the top of this script to the object id of the enterprise app' -f $found.Count, $appName)`,
    '  }',
    '  $spId = $found[0].id',
    '}',
    "if ($spId -notmatch '^[0-9a-fA-F-]{36}$') { throw ('export: $spId {0} is not an object id (a GUID)' -f $spId) }",
    `Save-Json 'servicePrincipal.json' (Invoke-MgGraphRequest -Method GET -Uri ('${GRAPH}/servicePrincipals/' + $spId + ${q(u.servicePrincipalQuery)}) -OutputType PSObject)`,
    '',
    '# 2. Who is assigned to the app, with which role.',
    `Save-GraphPages 'appRoleAssignedTo' ('${GRAPH}/servicePrincipals/' + $spId + ${q(u.appRoleAssignedToQuery)})`,
    '',
    `# 3. Users: what provsim and the mapping read${input.plan.users.expandManager ? ", and each one's manager" : ''}.`,
    `Save-GraphPages 'users' ${q(u.users)}`,
    '',
    '# 4. Groups.',
    `Save-GraphPages 'groups' ${q(u.groups)}`,
    '',
    `# 5. The ${input.plan.membersOf === 'assigned' ? 'direct members of each group assigned to the app' : 'direct members of every group'}.`,
    ...groupIds,
    'foreach ($groupId in $groupIds) {',
    "  if ($groupId -notmatch '^[0-9a-fA-F-]{36}$') { throw ('export: {0} is not a group object id' -f $groupId) }",
    `  Save-GraphPages ('members-' + $groupId) ('${GRAPH}/groups/' + $groupId + ${q(u.membersQuery)})`,
    '}',
    '',
    "Write-Host ('export: done; next: provsim fixtures import-graph {0} --out <fixtures directory>' -f $out)",
    '',
  ];
  return lines.join('\n');
}
