/**
 * Read before write, end to end against the embedded target over HTTP: each linked object an incremental
 * cycle writes is first read by id and its PATCH computed against what the target returned, so a value
 * removed from the target out of band comes back (with Add) when the user next changes in Entra; and a
 * title-only change sends exactly one PATCH with one op, cycle after cycle (the manager is not re-sent).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTOSO, Harness } from '../helpers/harness.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
let h: Harness;
afterEach(async () => h?.stop());

/** A copy of the contoso tenant with José Müller's users.yaml lines replaced. */
function contosoWith(dir: string, name: string, edits: Array<[string, string]>): string {
  const out = join(dir, name);
  cpSync(CONTOSO, out, { recursive: true });
  let users = readFileSync(join(out, 'users.yaml'), 'utf8');
  for (const [from, to] of edits) {
    if (!users.includes(from)) throw new Error(`the contoso fixture has no line ${JSON.stringify(from)}`);
    users = users.replace(from, to);
  }
  writeFileSync(join(out, 'users.yaml'), users);
  return out;
}

async function patchOutOfBand(url: string, body: unknown): Promise<void> {
  const res = await fetch(url, { method: 'PATCH', headers: { 'content-type': 'application/scim+json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`out-of-band PATCH ${url} → ${res.status} ${await res.text()}`);
}

describe('read before write (embedded target)', () => {
  it('a value removed from the target out of band comes back with Add when the user next changes in Entra', async () => {
    h = await new Harness().start('tolerant');
    expect((await h.sync(CONTOSO)).exitCode).toBe(0);
    const jose = h.userByName('jose.muller@contoso.com')!;
    const id = jose['id'] as string;
    expect(jose['title']).toBe('Chief Financial Officer');

    // Someone clears the title in the app; Entra does not notice while José does not change.
    await patchOutOfBand(`${h.target.url}/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: 'title' }] });
    expect(h.userByName('jose.muller@contoso.com')!['title']).toBeUndefined();
    const idle = h.target.requests().length;
    await h.sync(CONTOSO);
    expect(
      h.target
        .requests()
        .slice(idle)
        .map((r) => r.method),
    ).toEqual(['GET']); // the probe only
    expect(h.userByName('jose.muller@contoso.com')!['title']).toBeUndefined();

    // José moves department: the cycle reads him, sees the title missing and sends it back with Add.
    const moved = contosoWith(h.dir, 'moved', [['  department: Finance\n', '  department: Treasury\n']]);
    const before = h.target.requests().length;
    const result = await h.sync(moved);
    expect(result.exitCode).toBe(0);
    const sent = h.target
      .requests()
      .slice(before)
      .filter((r) => r.url.includes(`/Users/${id}`));
    expect(sent.map((r) => r.method)).toEqual(['GET', 'PATCH']);
    expect(sent[1]!.body).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        { op: 'Add', path: 'title', value: 'Chief Financial Officer' },
        { op: 'Replace', path: `${ENTERPRISE}:department`, value: 'Treasury' },
      ],
    });
    expect(h.userByName('jose.muller@contoso.com')).toMatchObject({
      title: 'Chief Financial Officer',
      [ENTERPRISE]: expect.objectContaining({ department: 'Treasury' }),
    });
  });

  it('a title-only change sends exactly one PATCH with one op, and the next one too (the manager is not sent again)', async () => {
    h = await new Harness().start('tolerant');
    await h.sync(CONTOSO);
    const id = h.userByName('jose.muller@contoso.com')!['id'] as string;
    const managerBefore = (h.userByName('jose.muller@contoso.com')![ENTERPRISE] as { manager: { value: string } }).manager.value;
    for (const [step, title] of ['Group CFO', 'Chief Financial Officer and COO'].entries()) {
      const tenant = contosoWith(h.dir, `title-${step}`, [['  jobTitle: Chief Financial Officer\n', `  jobTitle: ${title}\n`]]);
      const before = h.target.requests().length;
      const result = await h.sync(tenant);
      expect(result.exitCode).toBe(0);
      const writes = h.writes(before);
      expect(writes.map((r) => `${r.method} ${r.url.replace(/^.*\/Users\//, '/Users/')}`)).toEqual([`PATCH /Users/${id}`]);
      expect(writes[0]!.body).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'title', value: title }] });
      const entry = result.cycle!.log.find((e) => e.targetIdentity?.id === id)!;
      expect(entry.modifiedProperties).toEqual([
        { displayName: 'title', oldValue: step === 0 ? 'Chief Financial Officer' : 'Group CFO', newValue: title },
      ]);
    }
    expect((h.userByName('jose.muller@contoso.com')![ENTERPRISE] as { manager: { value: string } }).manager.value).toBe(managerBefore);
  });
});
