/**
 * Input files that are not files: a fixture that is `/dev/zero` (endless), a mapping that is a named pipe
 * (blocks forever), a directory. Each is refused with exit 2, the file named, and nothing sent; before, the
 * first read until memory ran out and the second never returned.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTOSO, DEFAULT_MAPPING, Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stop();
});

const sync = (h: Harness, fixtures: string, mapping: string) => ['sync', ...h.flags({ fixtures, mapping })];

describe('input files that are not regular files', () => {
  it.skipIf(!existsSync('/dev/zero'))('users.yaml that is /dev/zero: exit 2, "a device", nothing sent', async () => {
    h = await new Harness().start();
    const dir = join(h.dir, 'tenant');
    mkdirSync(dir);
    symlinkSync('/dev/zero', join(dir, 'users.yaml'));
    copyFileSync(join(CONTOSO, 'assignments.yaml'), join(dir, 'assignments.yaml'));
    expect(await h.cli(sync(h, dir, DEFAULT_MAPPING))).toBe(2);
    expect(h.out.stderr).toMatch(/users\.yaml: error FIXTURE_READ_FAILED: cannot read users\.yaml: it is not a regular file \(a device\)/);
    expect(h.target.requests()).toEqual([]);
  });

  it('a mapping that is a named pipe: exit 2, "a named pipe", without waiting for a writer', async () => {
    h = await new Harness().start();
    const fifo = join(h.dir, 'mapping.yaml');
    execFileSync('mkfifo', [fifo]);
    expect(await h.cli(sync(h, CONTOSO, fifo))).toBe(2);
    expect(h.out.stderr).toContain('cannot read the mapping file: it is not a regular file (a named pipe)');
    expect(h.target.requests()).toEqual([]);
  });

  it('a mapping that is a directory: exit 2', async () => {
    h = await new Harness().start();
    expect(await h.cli(sync(h, CONTOSO, h.dir))).toBe(2);
    expect(h.out.stderr).toContain('cannot read the mapping file: it is a directory');
  });
});

describe('a file that is not YAML at all', () => {
  it('prints the first 50 problems and counts the rest, exit 2', async () => {
    h = await new Harness().start();
    const dir = join(h.dir, 'tenant');
    mkdirSync(dir);
    // 400 entries, each with two unknown keys: 800 diagnostics.
    const users = Array.from({ length: 400 }, (_, i) => `- {bogus${i}: 1, other${i}: 2}`).join('\n');
    writeFileSync(join(dir, 'users.yaml'), users);
    copyFileSync(join(CONTOSO, 'assignments.yaml'), join(dir, 'assignments.yaml'));
    expect(await h.cli(sync(h, dir, DEFAULT_MAPPING))).toBe(2);
    const lines = h.out.stderr.split('\n').filter((l) => /users\.yaml:\d+:\d+: error/.test(l));
    expect(lines).toHaveLength(50);
    expect(h.out.stderr).toMatch(/… and \d+ more problems \(fix these first; many follow from the first\)/);
    expect(h.target.requests()).toEqual([]);
  });
});

describe('--record', () => {
  it('replaces an earlier transcript, but never a directory or a file that is not one (a fixture given by mistake): exit 2, nothing sent', async () => {
    h = await new Harness().start();
    const fixture = join(h.dir, 'users.yaml');
    copyFileSync(join(CONTOSO, 'users.yaml'), fixture);
    const before = readFileSync(fixture, 'utf8');
    expect(await h.cli([...sync(h, CONTOSO, DEFAULT_MAPPING), '--record', 'users.yaml'])).toBe(2);
    expect(h.out.stderr).toContain('--record users.yaml exists and is not a provsim transcript, so it is not overwritten');
    expect(readFileSync(fixture, 'utf8')).toBe(before);
    expect(await h.cli([...sync(h, CONTOSO, DEFAULT_MAPPING), '--record', '.'])).toBe(2);
    expect(h.out.stderr).toContain('--record . is a directory');
    expect(h.target.requests()).toEqual([]);
    // A transcript is replaced run after run.
    expect(await h.cli([...sync(h, CONTOSO, DEFAULT_MAPPING), '--record', 'run.jsonl'])).toBe(0);
    expect(await h.cli([...sync(h, CONTOSO, DEFAULT_MAPPING), '--record', 'run.jsonl'])).toBe(0);
    const lines = readFileSync(join(h.dir, 'run.jsonl'), 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => 'request' in (JSON.parse(l) as object))).toBe(true);
  });
});
