/**
 * `provsim quirks`: every quirk (switchable with `--quirk NAME=on|off`) and every fixed wire choice, each
 * with its evidence — kind, source, date, confidence — so a user can judge what to trust. One line each;
 * `--json` prints the data; `--markdown` prints the README's Fidelity tables (a test keeps them equal).
 */
import type { Evidence } from '../../scim/evidence.js';
import { QUIRKS, type QuirkDefinition } from '../../scim/quirks.js';
import { WIRE_CHOICES, type WireChoice } from '../../scim/wire-choices.js';
import { EXIT_CODES } from '../exit-codes.js';
import type { CliDeps, CommandResult } from '../io.js';

export interface QuirksOptions {
  json?: boolean;
  markdown?: boolean;
}

export interface FidelityData {
  quirks: readonly QuirkDefinition[];
  choices: readonly WireChoice[];
}

export function quirksCommand(options: QuirksOptions, deps: CliDeps): CommandResult & FidelityData {
  const data: FidelityData = { quirks: QUIRKS, choices: WIRE_CHOICES };
  if (options.json) deps.stdout.write(JSON.stringify(data, null, 2) + '\n');
  else if (options.markdown) deps.stdout.write(fidelityMarkdown(data));
  else deps.stdout.write(fidelityText(data));
  return { exitCode: EXIT_CODES.ok, ...data };
}

const onOff = (v: boolean): string => (v ? 'on ' : 'off');
const evidenceLine = (e: Evidence): string => `[${e.kind}, ${e.date}, ${e.confidence}]`;

function fidelityText(data: FidelityData): string {
  const width = Math.max(...data.quirks.map((q) => q.name.length));
  const lines = ['Quirks (switch one with --quirk NAME=on|off; defaults per dialect: legacy / aadOptscim062020):'];
  for (const q of data.quirks)
    lines.push(
      `  ${q.name.padEnd(width)}  ${onOff(q.defaults.legacy)} / ${onOff(q.defaults.aadOptscim062020)}  ${evidenceLine(q.evidence)}  ${plain(q.description)} — ${plain(q.evidence.source)}`,
    );
  const idWidth = Math.max(...data.choices.map((c) => c.id.length));
  lines.push('', 'Fixed wire choices:');
  for (const c of data.choices)
    lines.push(`  ${c.id.padEnd(idWidth)}  ${evidenceLine(c.evidence)}  ${plain(c.choice)} — ${plain(c.evidence.source)}`);
  lines.push(
    '',
    'Evidence kinds, by weight: capture (a request from a real server log), microsoft-staff, microsoft-doc, third-party, reasoning. `provsim quirks --json` has each note.',
  );
  return lines.join('\n') + '\n';
}

/** Markdown backticks read as noise on a terminal. */
function plain(text: string): string {
  return text.replace(/`/g, '');
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function fidelityMarkdown(data: FidelityData): string {
  const out: string[] = [];
  out.push('| quirk | on means | off means | legacy | aadOptscim062020 | evidence | date | confidence |');
  out.push('|---|---|---|---|---|---|---|---|');
  for (const q of data.quirks) {
    out.push(
      `| \`${q.name}\` | ${cell(q.description)} | ${cell(q.off)} | ${q.defaults.legacy ? 'on' : 'off'} | ${q.defaults.aadOptscim062020 ? 'on' : 'off'} | ${cell(`${q.evidence.kind}: ${q.evidence.source}. ${q.evidence.note}`)} | ${q.evidence.date} | ${q.evidence.confidence} |`,
    );
  }
  out.push('');
  out.push('| choice | what provsim does | evidence | date | confidence |');
  out.push('|---|---|---|---|---|');
  for (const c of data.choices) {
    out.push(
      `| \`${c.id}\` | ${cell(c.choice)} | ${cell(`${c.evidence.kind}: ${c.evidence.source}. ${c.evidence.note}`)} | ${c.evidence.date} | ${c.evidence.confidence} |`,
    );
  }
  return out.join('\n') + '\n';
}
