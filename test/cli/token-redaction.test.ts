/**
 * The token's redaction in every form a server or an encoder turns it into (shared/redact-secret.ts, the
 * CLI's `redact`), and the token check: what is refused, and that nothing is altered silently.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkToken, redact, resolveToken } from '../../src/cli/token.js';
import { containsSecret, redactSecret, redactSecrets, redactSecretsDeep, SECRET_MASK } from '../../src/shared/redact-secret.js';
import { UsageError } from '../../src/shared/errors.js';

const TOKEN = 'tok"en\\with/slash+plus<&>\'-0123456789abcdef';
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
/** .NET System.Text.Json's default escaping: HTML-sensitive characters and `+` as \uXXXX, `"` and `\` too. */
const dotnetEscaped = (text: string): string =>
  [...text].map((c) => ('"\\+<>&\''.includes(c) ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}` : c)).join('');

describe('redactSecret: every form of the token', () => {
  const once = JSON.stringify(TOKEN).slice(1, -1);
  const forms: Array<[string, string]> = [
    ['as given', TOKEN],
    ['JSON-escaped', once],
    ['JSON-escaped twice', JSON.stringify(once).slice(1, -1)],
    ['JSON-escaped with \\/ (PHP)', once.replace(/\//g, '\\/')],
    ['\\u escapes (.NET System.Text.Json)', dotnetEscaped(TOKEN)],
    ['encodeURIComponent', encodeURIComponent(TOKEN)],
    ['encodeURIComponent, lower-case hex', encodeURIComponent(TOKEN).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['URLSearchParams', new URLSearchParams({ t: TOKEN }).toString().slice(2)],
    ['percent-encoded twice', encodeURIComponent(encodeURIComponent(TOKEN))],
    [
      'HTML entities',
      TOKEN.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;'),
    ],
    ['base64', b64(TOKEN)],
    ['base64url', Buffer.from(TOKEN, 'utf8').toString('base64url')],
  ];
  for (const [name, form] of forms) {
    it(`${name}: masked inside other text`, () => {
      // Each encoded form really differs from the token, so only its own pattern can catch it.
      if (name !== 'as given') expect(form.includes(TOKEN)).toBe(false);
      const out = redactSecret(`before ${form} after`, TOKEN);
      expect(out).toBe(`before ${SECRET_MASK} after`);
    });
  }

  it('base64 of any text holding the token (Bearer <token>, at offsets 0, 1, 2): the part that is the token alone is masked', () => {
    for (const prefix of ['', 'B', 'Be', 'Bearer ', 'Authorization: Bearer ']) {
      const encoded = b64(`${prefix}${TOKEN} and more`);
      const out = redactSecret(encoded, TOKEN);
      expect(out, prefix).toContain(SECRET_MASK);
      // What is left around the mask is at most the neighbours' characters and the 1–3 mixed ones at each end.
      const [left, right] = out.split(SECRET_MASK);
      expect(left!.length, prefix).toBeLessThanOrEqual(Math.ceil((prefix.length * 4) / 3) + 3);
      expect(right!.length, prefix).toBeLessThanOrEqual(Math.ceil((' and more'.length * 4) / 3) + 4);
    }
  });

  it('JSON text stays valid JSON, and parses to the masked values', () => {
    const text = JSON.stringify({ detail: `you sent Bearer ${TOKEN}`, backslashes: `x\\\\${TOKEN}`, [TOKEN]: [TOKEN] });
    const out = redactSecret(text, TOKEN);
    const parsed = JSON.parse(out) as Record<string, unknown>;
    expect(parsed['detail']).toBe(`you sent Bearer ${SECRET_MASK}`);
    expect(String(parsed['backslashes'])).toContain(SECRET_MASK);
    expect(parsed[SECRET_MASK]).toEqual([SECRET_MASK]);
    expect(out).not.toContain('tok');
  });

  it('leaves text without the token as it is, and ignores empty or absent secrets', () => {
    const text = 'Plain text: José, 100% "quoted" \\ / + &amp; %22 \\u0022 dG9r';
    expect(redactSecret(text, TOKEN)).toBe(text);
    expect(redactSecret(text, null)).toBe(text);
    expect(redactSecret(text, '')).toBe(text);
    expect(redactSecrets(text, ['', undefined, null])).toBe(text);
  });

  it('a short token is masked as given; its base64 is too short to mask without hitting unrelated text', () => {
    expect(redactSecret('abc abd', 'abc')).toBe(`${SECRET_MASK} abd`);
    expect(redactSecret(`x ${b64('abc')} y`, 'abc')).toBe(`x ${b64('abc')} y`);
  });

  it('several secrets at once; a letter-only token is matched only as itself (letters are never encoded)', () => {
    expect(redactSecrets('one two three', ['one', 'three'])).toBe(`${SECRET_MASK} two ${SECRET_MASK}`);
    expect(redactSecret('%61%62%63%64%65%66%67%68', 'abcdefgh')).toBe('%61%62%63%64%65%66%67%68');
  });

  it('containsSecret says whether any form is there', () => {
    expect(containsSecret(`x ${encodeURIComponent(TOKEN)} y`, [TOKEN])).toBe(true);
    expect(containsSecret('x y', [TOKEN])).toBe(false);
    expect(containsSecret(TOKEN, [])).toBe(false);
  });

  it("the CLI's redact masks the same forms", () => {
    expect(redact(`a ${JSON.stringify(TOKEN)} b ${encodeURIComponent(TOKEN)} c`, TOKEN)).toBe(`a "${SECRET_MASK}" b ${SECRET_MASK} c`);
    expect(redact(`a ${TOKEN}`, null)).toBe(`a ${TOKEN}`);
  });
});

describe('redactSecretsDeep', () => {
  it('masks every string inside, keys too; what holds no secret keeps its identity', () => {
    const untouched = { name: 'Laura', list: ['a', 'b'] };
    const value = { untouched, body: { detail: `Bearer ${TOKEN}`, [TOKEN]: 1, nested: [1, null, true, `x${TOKEN}`] } };
    const out = redactSecretsDeep(value, [TOKEN]);
    expect(out).toEqual({
      untouched,
      body: { detail: `Bearer ${SECRET_MASK}`, [SECRET_MASK]: 1, nested: [1, null, true, `x${SECRET_MASK}`] },
    });
    expect(out.untouched).toBe(untouched);
    expect(value.body.detail).toBe(`Bearer ${TOKEN}`);
    expect(redactSecretsDeep(value, [])).toBe(value);
  });
});

describe('checkToken and resolveToken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provsim-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const refusal = (fn: () => unknown): string => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return (error as Error).message;
    }
    throw new Error('expected a UsageError');
  };

  it('a token file: its final line break (LF or CRLF) is dropped, nothing else', () => {
    expect(resolveToken({}, file('lf', 'abc-123\n'))).toBe('abc-123');
    expect(resolveToken({}, file('crlf', 'abc-123\r\n'))).toBe('abc-123');
    expect(resolveToken({}, file('none', 'abc-123'))).toBe('abc-123');
  });

  it('a line break inside the token, or a CR left at its end, is refused with where it is', () => {
    const inside = file('two-lines', 'abc\ndef\n');
    expect(refusal(() => resolveToken({}, inside))).toBe(
      `--token-file ${inside} holds a line break at character 4 of 7; a bearer token is one line of visible ASCII: put the token alone on the first line of the file`,
    );
    const cr = file('cr', 'abc\r');
    expect(refusal(() => resolveToken({}, cr))).toContain(`--token-file ${cr} ends with a line break at character 4 of 4`);
    expect(refusal(() => resolveToken({ PROVSIM_TOKEN: 'abc\n' }, undefined))).toContain(
      'PROVSIM_TOKEN ends with a line break at character 4 of 4; a bearer token is one line of visible ASCII: set it without the line break',
    );
    expect(refusal(() => resolveToken({ PROVSIM_TOKEN: 'ab\r\ncd' }, undefined))).toContain(
      'PROVSIM_TOKEN holds a line break at character 3 of 6',
    );
  });

  it('spaces and tabs are refused, not trimmed; the message never quotes the token', () => {
    const message = refusal(() => resolveToken({ PROVSIM_TOKEN: ' secret-value' }, undefined));
    expect(message).toContain('PROVSIM_TOKEN holds a space at character 1 of 13');
    expect(message).not.toContain('secret-value');
    expect(refusal(() => checkToken('secret\tvalue', '--token'))).toContain('--token holds a tab at character 7 of 12');
  });

  it('empty: PROVSIM_TOKEN set to nothing means no token; an empty file or an empty --token is refused', () => {
    expect(resolveToken({ PROVSIM_TOKEN: '' }, undefined)).toBeNull();
    expect(resolveToken({}, undefined)).toBeNull();
    const empty = file('empty', '\n');
    expect(refusal(() => resolveToken({}, empty))).toBe(`--token-file ${empty} is empty; put the bearer token on its first line`);
    expect(refusal(() => checkToken('', '--token'))).toBe('--token is empty; give the bearer token, or leave it out for no token');
  });

  it('visible ASCII with quotes and backslashes is a valid token, kept exactly', () => {
    expect(checkToken(TOKEN, 'PROVSIM_TOKEN')).toBe(TOKEN);
    expect(resolveToken({ PROVSIM_TOKEN: TOKEN }, undefined)).toBe(TOKEN);
  });
});
