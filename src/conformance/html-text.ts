/**
 * A report text as inline HTML: the texts of checks, sources, gaps and quirks mark code with Markdown
 * backticks (`provsim quirks`) and cite the spec and RFCs (`spec §1.7`, `RFC 7644 §3.5.2.2`). Here a
 * backtick pair becomes <code>, and a citation a link to its public source (spec-links.ts) or plain text
 * when it has none. Everything is escaped first, so any text (the target's included) is safe to embed;
 * the only links produced are the ones spec-links.ts builds. An unpaired backtick is the text's own
 * character (a target's message, say) and is kept. Pure.
 */
import { citationPieces, type PublicSource } from './spec-links.js';

type Piece = { kind: 'text'; text: string } | { kind: 'code'; text: string } | { kind: 'link'; text: string; source: PublicSource };

const CODE_SPAN = /`([^`]+)`/g;

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The text as HTML, code spans as <code>, citations linked. */
export function inlineHtml(text: string): string {
  return render(pieces(text));
}

/**
 * The first `limit` characters of the text as inlineHtml renders it, then "…"; undefined when the text is
 * no longer than that. Cuts between or inside pieces, never inside markup.
 */
export function inlinePreviewHtml(text: string, limit: number): string | undefined {
  const all = pieces(text);
  if (all.reduce((n, p) => n + p.text.length, 0) <= limit) return undefined;
  const kept: Piece[] = [];
  let left = limit;
  for (const p of all) {
    if (left <= 0) break;
    // A citation is kept whole or not at all: a cut one would link a section number that is not the cited one.
    if (p.kind === 'link' && p.text.length > left) break;
    kept.push(p.text.length <= left ? p : { ...p, text: p.text.slice(0, left) });
    left -= p.text.length;
  }
  return `${render(kept)}…`;
}

function pieces(text: string): Piece[] {
  const out: Piece[] = [];
  const prose = (t: string): void => {
    for (const c of citationPieces(t))
      out.push(c.source ? { kind: 'link', text: c.text, source: c.source } : { kind: 'text', text: c.text });
  };
  let at = 0;
  for (const m of text.matchAll(CODE_SPAN)) {
    const start = m.index ?? 0;
    prose(text.slice(at, start));
    out.push({ kind: 'code', text: m[1]! });
    at = start + m[0].length;
  }
  prose(text.slice(at));
  return out.filter((p) => p.text !== '');
}

function render(list: readonly Piece[]): string {
  return list
    .map((p) =>
      p.kind === 'code'
        ? `<code>${escapeHtml(p.text)}</code>`
        : p.kind === 'link'
          ? `<a href="${escapeHtml(p.source.url)}" title="${escapeHtml(p.source.title)}">${escapeHtml(p.text)}</a>`
          : escapeHtml(p.text),
    )
    .join('');
}
