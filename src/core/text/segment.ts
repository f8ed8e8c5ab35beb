/**
 * Segmentation and terms, the second and third stages of the pipeline.
 *
 *  segment(text)  jieba words with part-of-speech tags; numbers, decimals, percentages, dates,
 *                 times, ranges and codes ("34万", "3.05%", "5+2", "2:30—4:00") are cut out first
 *                 and kept whole, because jieba splits them into single digits.
 *  terms(words)   the words that carry meaning: no stop words or punctuation, synonyms read as their
 *                 canonical form, and long Chinese words also as their character pairs, so that
 *                 "李沧" finds "李沧区" and "首贷" finds "首贷信用贷".
 *
 * Text is expected to be normalised already (see normalize.ts).
 */
import { createRequire } from 'node:module';
import type { Lexicon } from './lexicon.js';

const require = createRequire(import.meta.url);

interface Jieba {
  load(options?: Record<string, string>): void;
  tag(text: string): Array<{ word: string; tag: string }>;
  cut(text: string, hmm?: boolean): string[];
  cutAll(text: string): string[];
  insertWord(word: string, tag?: string): boolean;
}

let jieba: Jieba | undefined;
const inserted = new Set<string>();

/** jieba, with its dictionaries loaded once per process (loading takes about a second). */
export function loadJieba(): Jieba {
  if (!jieba) {
    jieba = require('nodejieba') as Jieba;
    jieba.load();
  }
  return jieba;
}

/**
 * Teaches jieba the lexicon's words (user dictionary and every synonym), once each. A word jieba
 * already keeps whole is left alone: inserting it again would replace its frequency with a lower one.
 */
export function teachLexicon(lexicon: Lexicon): void {
  const j = loadJieba();
  const add = (word: string, tag?: string) => {
    if (!word || inserted.has(word)) return;
    inserted.add(word);
    if (j.cut(word).length > 1) j.insertWord(word, tag ?? 'n');
  };
  for (const { word, tag } of lexicon.userWords) add(word, tag);
  for (const [variant, canonical] of lexicon.synonyms) {
    add(variant);
    add(canonical);
  }
}

export interface Word { word: string; tag: string }

/** Spans jieba must not split; the tag tells what kind of span it is. */
const PROTECTED: Array<[RegExp, string]> = [
  [/\d{1,2}:\d{2}\s*[-—–~至到]+\s*\d{1,2}:\d{2}/y, 'time'],
  [/\d{1,2}:\d{2}/y, 'time'],
  [/\d{1,2}月\d{1,2}日/y, 'date'],
  [/[0-9a-z]+(?:\+[0-9a-z]+)+/y, 'code'],
  [/\d+(?:\.\d+)?(?:%|‰|万|亿)*(?:年期)?/y, 'm'],
];

const PROTECTED_START = /\d|[a-z]\+/g;

function protectedSpanAt(text: string, at: number): { text: string; tag: string } | undefined {
  for (const [pattern, tag] of PROTECTED) {
    pattern.lastIndex = at;
    const m = pattern.exec(text);
    if (m) return { text: m[0], tag };
  }
  return undefined;
}

/** Segments normalised text into tagged words, keeping protected spans whole. */
export function segment(text: string): Word[] {
  const j = loadJieba();
  const words: Word[] = [];
  let from = 0;
  const flush = (to: number) => {
    if (to > from) {
      for (const w of j.tag(text.slice(from, to))) words.push(w);
    }
  };
  PROTECTED_START.lastIndex = 0;
  for (let m = PROTECTED_START.exec(text); m; m = PROTECTED_START.exec(text)) {
    // a code like "3+x+1" may start with a letter or digit just before the match
    let start = m.index;
    while (start > from && /[0-9a-z]/.test(text[start - 1]!)) start--;
    const span = protectedSpanAt(text, start);
    if (!span) continue;
    flush(start);
    words.push({ word: span.text, tag: span.tag });
    from = start + span.text.length;
    PROTECTED_START.lastIndex = from;
  }
  flush(text.length);
  return words;
}

const CJK = /^[\u3400-\u9fff]+$/;
const MEANINGLESS = /^[\s\p{P}\p{S}]*$/u;
/** Question words with a measure word ("几届", "第几", "多少个"): they ask, they do not match. */
const QUESTION_WORD = /^(第?几[\u4e00-\u9fff]?|多少[\u4e00-\u9fff]?|哪[一个些位天年里家所]?|谁)$/;

/** The canonical form of one word under the lexicon's synonyms. */
export function canonical(word: string, lexicon: Lexicon): string {
  return lexicon.synonyms.get(word) ?? word;
}

/** A keyword and where it stands in the text it was read from (start -1: carried over from before). */
export interface KeySpan { key: string; start: number; end: number }

function meaningful(w: string, lexicon: Lexicon): boolean {
  return w !== '' && !MEANINGLESS.test(w) && !lexicon.stopwords.has(w) && !QUESTION_WORD.test(w) && !/^[a-z]$/.test(w);
}

/** Meaningful words of a segmented text with their positions, as canonical forms. */
export function keywordSpans(words: Word[], lexicon: Lexicon): KeySpan[] {
  const out: KeySpan[] = [];
  let at = 0;
  for (const { word } of words) {
    const start = at;
    at += word.length;
    const w = word.trim();
    if (meaningful(w, lexicon)) out.push({ key: canonical(w, lexicon), start, end: at });
  }
  return out;
}

/** Meaningful words of a segmented text, in order, as canonical forms (duplicates kept). */
export function keywords(words: Word[], lexicon: Lexicon): string[] {
  return keywordSpans(words, lexicon).map((k) => k.key);
}

/**
 * Every dictionary word of two or more characters in a short text, overlapping ones included
 * ("城阳新建" → 城阳, 阳新, 新建), with positions: other readings of a question than jieba's best one.
 */
export function alternativeWords(text: string, lexicon: Lexicon): KeySpan[] {
  const out: KeySpan[] = [];
  const seen = new Set<string>();
  for (const word of loadJieba().cutAll(text)) {
    if (word.length < 2 || seen.has(word) || !CJK.test(word) || !meaningful(word, lexicon)) continue;
    seen.add(word);
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      out.push({ key: canonical(word, lexicon), start: at, end: at + word.length });
    }
  }
  return out;
}

/** Character pairs of a long Chinese word, used as extra index terms. */
export function pairs(word: string): string[] {
  if (word.length < 3 || !CJK.test(word)) return [];
  const out: string[] = [];
  for (let i = 0; i + 2 <= word.length; i++) out.push(word.slice(i, i + 2));
  return out;
}

/**
 * Index terms for keywords: each keyword and, for long Chinese ones, its character pairs. A run of
 * single Chinese characters (jieba's reading of a name it does not know, "李/沧/之/春") is also
 * joined and paired, so it meets the same name segmented whole elsewhere.
 */
export function terms(keys: string[]): string[] {
  const out: string[] = [];
  let run = '';
  const endRun = () => {
    if (run.length >= 2) {
      out.push(run);
      out.push(...pairs(run));
    }
    run = '';
  };
  for (const k of keys) {
    out.push(k);
    if (k.length === 1 && CJK.test(k)) { run += k; continue; }
    endRun();
    out.push(...pairs(k));
  }
  endRun();
  return out;
}
