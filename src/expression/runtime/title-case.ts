/**
 * PCase. Microsoft: "converts the first character of each word to upper case, and all other characters to
 * lower case" — so the input is lower-cased first (plain .NET ToTitleCase would leave all-caps words alone,
 * and the doc's "PABLO GONSALVES (SECOND)" → "Pablo Gonsalves (Second)" shows it does not).
 *
 * Without word separators, words are split as .NET's `TextInfo.ToTitleCase` splits them: by spaces, line
 * and paragraph separators, control and format characters, and connector, dash, open/close, quote and other
 * punctuation, math, currency, modifier and other symbols. Inside a word an apostrophe does not split
 * ("o'neil" → "O'neil"), and digits are part of the word, so the first *letter* is the one capitalised
 * ("3rd" → "3Rd"), both as in .NET.
 * With word separators, only those characters split words and the first character of each word is
 * upper-cased.
 */
import { toLowerInvariant, toUpperInvariant } from './invariant-case.js';

const SEPARATOR = /[\p{Zs}\p{Zl}\p{Zp}\p{Cc}\p{Cf}\p{Pc}\p{Pd}\p{Ps}\p{Pe}\p{Pi}\p{Pf}\p{Po}\p{Sm}\p{Sc}\p{Sk}\p{So}]/u;
const LETTER = /\p{L}/u;

export function properCase(source: string, wordSeparators: string | null): string {
  const lower = toLowerInvariant(source);
  return wordSeparators === null ? dotNetTitleCase(lower) : separatorTitleCase(lower, wordSeparators);
}

function dotNetTitleCase(s: string): string {
  let out = '';
  let inWord = false;
  for (const ch of s) {
    if (inWord) {
      if (ch === "'" || !SEPARATOR.test(ch)) {
        out += ch;
        continue;
      }
      inWord = false;
      out += ch;
    } else if (LETTER.test(ch)) {
      out += toUpperInvariant(ch);
      inWord = true;
    } else out += ch;
  }
  return out;
}

function separatorTitleCase(s: string, separators: string): string {
  const set = new Set(separators);
  let out = '';
  let atStart = true;
  for (const ch of s) {
    if (set.has(ch)) {
      out += ch;
      atStart = true;
    } else {
      out += atStart ? toUpperInvariant(ch) : ch;
      atStart = false;
    }
  }
  return out;
}
