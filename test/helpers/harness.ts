/**
 * End-to-end harness: the real CLI command functions against the real embedded target over HTTP on
 * 127.0.0.1, with a fresh state file per test. Output is captured so tests can assert on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { CliDeps } from '../../src/cli/io.js';
import { syncCommand, type SyncOptions, type SyncResult } from '../../src/cli/commands/sync.js';
import { systemClock, type Clock } from '../../src/shared/clock.js';
import { seededRandom } from '../../src/shared/random.js';
import { InputError, UsageError } from '../../src/shared/errors.js';
import { startTarget, type RunningTarget, type TargetProfile } from '../../src/scim-server/index.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CONTOSO = join(ROOT, 'fixtures', 'contoso');
export const CONTOSO_DAY2 = join(ROOT, 'fixtures', 'contoso-day2');
export const DEFAULT_MAPPING = join(ROOT, 'mappings', 'customappsso.yaml');
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export interface Captured {
  stdout: string;
  stderr: string;
}

/** The flags of a command that runs cycles (sync, watch, provision): contoso and Entra's default mapping unless given. */
export function sessionFlags(o: { target: string; state: string; fixtures?: string; mapping?: string }): string[] {
  return ['--fixtures', o.fixtures ?? CONTOSO, '--mapping', o.mapping ?? DEFAULT_MAPPING, '--target', o.target, '--state', o.state];
}

export class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), 'provsim-e2e-'));
  readonly state = join(this.dir, 'state.db');
  readonly out: Captured = { stdout: '', stderr: '' };
  /** One deterministic random source for the harness's life (cycle ids must differ between runs). */
  readonly random = seededRandom(42);
  target!: RunningTarget;

  constructor(
    readonly env: Record<string, string | undefined> = {},
    readonly clock: Clock = systemClock,
  ) {}

  async start(profile: TargetProfile = 'tolerant', token: string | null = null): Promise<this> {
    this.target = await startTarget({ port: 0, profile, token });
    return this;
  }

  deps(extra: Partial<CliDeps> = {}): CliDeps {
    return {
      stdout: { write: (s: string) => (this.out.stdout += s) },
      stderr: { write: (s: string) => (this.out.stderr += s) },
      env: this.env,
      clock: this.clock,
      random: this.random,
      isTTY: false,
      cwd: this.dir,
      ...extra,
    };
  }

  sync(fixtures: string, options: Partial<SyncOptions> = {}): Promise<SyncResult> {
    return syncCommand({ fixtures, mapping: DEFAULT_MAPPING, target: this.target.url, state: this.state, ...options }, this.deps());
  }

  /** `sessionFlags` against this harness's target and state. */
  flags(o: { target?: string; fixtures?: string; mapping?: string } = {}): string[] {
    return sessionFlags({ target: o.target ?? this.target.url, state: this.state, ...o });
  }

  /** Runs the CLI's main() as the shell would, returning the exit code. */
  cli(args: string[], extra: Partial<CliDeps> = {}): Promise<number> {
    return main(args, this.deps(extra));
  }

  /** Requests the target received that change something. */
  /** The target's writes (every request but GETs), from its request number `since` on (0: all of them). */
  writes(since = 0): Array<{ method: string; url: string; status: number; body: unknown }> {
    return this.target
      .requests()
      .slice(since)
      .filter((r) => r.method !== 'GET');
  }

  /**
   * Writes that broke read-before-write ("GET calls will always precede other actions"): a PATCH or DELETE
   * of `/Users/{id}` or `/Groups/{id}` not preceded, in the same cycle, by a GET of that id — unless the id
   * first appears in this cycle (the object was created or matched by filter in it, after the filter GET).
   * Cycles are told apart by their connection probe (a filter on a random GUID). Each entry: "METHOD path".
   */
  writesWithoutRead(): string[] {
    const probe = /\/Users\?filter=userName\+eq\+%22[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}%22$/;
    const byId = /\/(Users|Groups)\/([^/?]+)/;
    const seenBefore = new Set<string>();
    let seenNow = new Set<string>();
    let read = new Set<string>();
    const out: string[] = [];
    for (const r of this.target.requests()) {
      if (r.method === 'GET' && probe.test(r.url)) {
        for (const id of seenNow) seenBefore.add(id);
        seenNow = new Set();
        read = new Set();
        continue;
      }
      const m = byId.exec(r.url);
      if (!m) continue;
      const key = `${m[1]}/${m[2]}`;
      if (r.method === 'GET') read.add(key);
      else if ((r.method === 'PATCH' || r.method === 'DELETE') && seenBefore.has(key) && !read.has(key)) out.push(`${r.method} ${r.url}`);
      seenNow.add(key);
    }
    return out;
  }

  userByName(userName: string): Record<string, unknown> | undefined {
    return this.target.snapshot().users.find((u) => String(u['userName']).toLowerCase() === userName.toLowerCase()) as
      Record<string, unknown> | undefined;
  }

  groupByName(displayName: string): Record<string, unknown> | undefined {
    return this.target.snapshot().groups.find((g) => g['displayName'] === displayName) as Record<string, unknown> | undefined;
  }

  /**
   * The target's state without server-assigned ids or meta, for comparing two runs: users sorted by
   * userName, references (manager, members) by userName.
   */
  shape(): unknown {
    const snap = this.target.snapshot();
    const nameOf = new Map(snap.users.map((u) => [u['id'], u['userName']]));
    return {
      users: snap.users
        .map((u): Record<string, unknown> => {
          const ext = u[ENTERPRISE] as { manager?: { value: string } } | undefined;
          return {
            ...u,
            id: undefined,
            meta: undefined,
            ...(ext ? { [ENTERPRISE]: { ...ext, manager: ext.manager ? nameOf.get(ext.manager.value) : undefined } } : {}),
          };
        })
        .sort((a, b) => String(a['userName']).localeCompare(String(b['userName']))),
      groups: snap.groups
        .map((g): Record<string, unknown> => ({
          ...g,
          id: undefined,
          meta: undefined,
          members: ((g['members'] as Array<{ value: string }> | undefined) ?? []).map((m) => nameOf.get(m.value)).sort(),
        }))
        .sort((a, b) => String(a['displayName']).localeCompare(String(b['displayName']))),
    };
  }

  async stop(): Promise<void> {
    await this.target?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export { InputError, UsageError };
