/**
 * Citations in the conformance texts link to their public sources: every spec section cited anywhere
 * under src/conformance is in the table of spec-links.ts with a Microsoft Learn URL (a new citation
 * without one fails here), RFC citations link to the RFC section, and every § there is part of a
 * citation the report can read. Then the inline rendering: backticks become <code>, never shown.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { inlineHtml, inlinePreviewHtml } from '../../src/conformance/html-text.js';
import { citationPieces, SPEC_SECTION_SOURCES, specSectionSource } from '../../src/conformance/spec-links.js';

const ROOT = fileURLToPath(new URL('../../src/conformance/', import.meta.url));

/**
 * Spec sections that are cited but have no public page on a host the report may link to: §6.2 (Microsoft's
 * gallery validation Logic App) is documented only in AzureAD/SCIMReferenceCode on GitHub. Adding to this
 * list is a decision, not a default.
 */
const NO_PUBLIC_SOURCE = ['6.2'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = sources(ROOT).map((path) => ({ name: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

describe('citations under src/conformance', () => {
  const cited = files.flatMap(({ name, text }) =>
    citationPieces(text).flatMap((p) => (p.cited ? [{ file: name, ...p.cited, text: p.text, source: p.source }] : [])),
  );
  const spec = cited.filter((c) => c.document === 'spec');

  it('the scan finds the spec and RFC citations, lists included (`spec §1.8, §1.14`, `RFC 7644 §3.5.2 and §3.12`)', () => {
    const specSections = new Set(spec.map((c) => c.section));
    for (const s of ['1.2', '1.7', '1.8', '1.14', '5.5', '6.2']) expect(specSections, s).toContain(s);
    const rfc = new Set(cited.filter((c) => c.document === 'RFC 7644').map((c) => c.section));
    expect(rfc).toContain('3.5.2');
    expect(rfc).toContain('3.12');
  });

  it('every spec section cited maps to a Microsoft Learn URL', () => {
    for (const c of spec) {
      expect(Object.keys(SPEC_SECTION_SOURCES), `${c.file}: spec §${c.section} is not in spec-links.ts`).toContain(c.section);
      if (NO_PUBLIC_SOURCE.includes(c.section)) continue;
      expect(c.source?.url, `${c.file}: spec §${c.section}`).toMatch(
        /^https:\/\/learn\.microsoft\.com\/entra\/identity\/app-provisioning\/[a-z-]+(#[a-z0-9-]+)?$/,
      );
    }
    // The sections without a link are exactly the ones named above.
    expect(
      Object.entries(SPEC_SECTION_SOURCES)
        .filter(([, source]) => source === null)
        .map(([section]) => section),
    ).toEqual(NO_PUBLIC_SOURCE);
  });

  it('every RFC citation links to its section on rfc-editor.org', () => {
    const rfc = cited.filter((c) => c.document !== 'spec');
    expect(rfc.length).toBeGreaterThan(5);
    for (const c of rfc)
      expect(c.source?.url, `${c.file}: ${c.text}`).toBe(`https://www.rfc-editor.org/rfc/rfc${c.document.slice(4)}#section-${c.section}`);
  });

  it('every § under src/conformance is part of a citation (`spec §N` or `RFC NNNN §N`), so none escapes this check', () => {
    // spec-links.ts defines the citation syntax (its patterns and table comments hold bare §s).
    for (const { name, text } of files.filter((f) => f.name !== 'spec-links.ts')) {
      const marks = text.split('§').length - 1;
      const inCitations = citationPieces(text).filter((p) => p.cited).length;
      expect(inCitations, `${name}: a § without "spec" or "RFC NNNN" before it (or a list of them)`).toBe(marks);
    }
  });
});

describe('citations in a text', () => {
  it('a list after "spec" or "RFC NNNN" links each section to its own document; the text is kept as is', () => {
    const text = 'spec §1.8, §1.14; RFC 7644 §3.5.2 and §3.12, RFC 7643 §4.1.1; spec §1.5, §6.2 Create_User (§1.7 alone is no citation).';
    const pieces = citationPieces(text);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.filter((p) => p.cited).map((p) => [p.text, p.source?.url ?? null])).toEqual([
      ['spec §1.8', specSectionSource('1.8')!.url],
      ['§1.14', specSectionSource('1.14')!.url],
      ['RFC 7644 §3.5.2', 'https://www.rfc-editor.org/rfc/rfc7644#section-3.5.2'],
      ['§3.12', 'https://www.rfc-editor.org/rfc/rfc7644#section-3.12'],
      ['RFC 7643 §4.1.1', 'https://www.rfc-editor.org/rfc/rfc7643#section-4.1.1'],
      ['spec §1.5', specSectionSource('1.5')!.url],
      ['§6.2', null],
    ]);
  });

  it('the spec sections that share a Learn page still point at their own headings where the page has one', () => {
    expect(specSectionSource('1.5')!.url).toMatch(/use-scim-to-provision-users-and-groups#create-user$/);
    expect(specSectionSource('1.10')!.url).toMatch(/use-scim-to-provision-users-and-groups#group-operations$/);
    expect(specSectionSource('9.9')).toBeUndefined();
  });
});

describe('inline HTML', () => {
  it('backtick pairs become <code>, escaped, and no backtick is left', () => {
    const html = inlineHtml('covered by `provsim provision`, see `<b>` & `provsim quirks`');
    expect(html).toBe('covered by <code>provsim provision</code>, see <code>&lt;b&gt;</code> &amp; <code>provsim quirks</code>');
    expect(html).not.toContain('`');
  });

  it('a citation becomes a link to its source; one without a source, or inside code, stays text', () => {
    expect(inlineHtml('spec §1.8, §6.2 Disable_User')).toBe(
      `<a href="${specSectionSource('1.8')!.url}" title="${specSectionSource('1.8')!.title}">spec §1.8</a>, §6.2 Disable_User`,
    );
    expect(inlineHtml('`spec §1.8`')).toBe('<code>spec §1.8</code>');
  });

  it('the target text is escaped, quotes included, and an unpaired backtick is its own character', () => {
    expect(inlineHtml(`"x" <script>'y'</script> a\`b`)).toBe('&quot;x&quot; &lt;script&gt;&#39;y&#39;&lt;/script&gt; a`b');
  });

  it("a preview cuts the text, never a code span's markup nor a citation", () => {
    expect(inlinePreviewHtml('short', 10)).toBeUndefined();
    expect(inlinePreviewHtml('abc `defghij` klm', 6)).toBe('abc <code>de</code>…');
    expect(inlinePreviewHtml('see RFC 7644 §3.5.2.2 for it', 10)).toBe('see …');
  });
});
