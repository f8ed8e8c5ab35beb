/**
 * Segmentation and terms, the second and third stages of the pipeline.
 *
 *  segment(text)  jieba words with their positions; numbers, decimals, percentages, dates, times,
 *                 ranges, codes and Latin words ("34万", "3.05%", "5+2", "2:30—4:00", "icbc") are
 *                 kept whole, because jieba cuts them into single characters.
 *  terms(words)   the words that carry meaning: no stop words or punctuation, synonyms read as their
 *                 canonical form, and long Chinese words also as their character pairs, so that
 *                 "李沧" finds "李沧区" and "首贷" finds "首贷信用贷".
 *
 * Text is expected to be normalised already (see normalize.ts).
 */
import { createRequire } from 'node:module';
import type { EntityKind } from '../entities.js';
import type { Lexicon } from './lexicon.js';

const require = createRequire(import.meta.url);

interface Jieba {
  load(options?: Record<string, string>): void;
  cut(text: string, hmm?: boolean): string[];
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

/** A word of a text and where it stands: `text.slice(start, end) === word`. */
export interface Word {
  word: string;
  /** what kind of protected span it is ('m' number, 'time', 'date', 'code', 'eng'), or '' for jieba's words */
  tag: string;
  start: number;
  end: number;
}

/**
 * Spans jieba must not split: time ranges, times, dates, codes ("5+2"), numbers (with %, 万, 年期),
 * Latin words. One pattern, its alternatives tried in this order at each position; the group that
 * matched tells what kind of span it is.
 */
const PROTECTED = new RegExp([
  /(\d{1,2}:\d{2}\s*[-—–~至到]+\s*\d{1,2}:\d{2})/,
  /(\d{1,2}:\d{2})/,
  /(\d{1,2}月\d{1,2}日)/,
  /([0-9a-z]+(?:\+[0-9a-z]+)+)/,
  /(\d+(?:\.\d+)?(?:%|‰|万|亿)*(?:年期)?)/,
  /([a-z]+\d*)/,
].map((r) => r.source).join('|'), 'g');
const PROTECTED_TAGS = ['time', 'time', 'date', 'code', 'm', 'eng'];

interface Span { start: number; end: number; tag: string }

/** The protected spans of a text, in order, not overlapping. */
function protectedSpans(text: string): Span[] {
  const spans: Span[] = [];
  PROTECTED.lastIndex = 0;
  for (let m = PROTECTED.exec(text); m; m = PROTECTED.exec(text)) {
    let group = 1;
    while (m[group] === undefined) group++;
    spans.push({ start: m.index, end: m.index + m[0].length, tag: PROTECTED_TAGS[group - 1]! });
  }
  return spans;
}

export type WordVisitor = (word: string, start: number, end: number, tag: string) => void;

/**
 * Walks the words of normalised text in order, from jieba's tokens of it (one pass over the whole
 * text, see `cutMany`): every protected span (jieba cuts "34万" into 3/4/万) is put back together
 * as one word.
 */
export function walkWords(text: string, tokens: string[], visit: WordVisitor): void {
  const spans = protectedSpans(text);
  let at = 0;
  let si = 0;
  let lastSpan = -1;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    const end = at + token.length;
    if (si >= spans.length || spans[si]!.start >= end) {
      visit(token, at, end, ''); // the usual case: no protected span in this token
      at = end;
      continue;
    }
    // split the token at span boundaries: parts inside a span become the span's one word
    for (let a = at; a < end;) {
      while (si < spans.length && spans[si]!.end <= a) si++;
      const span = spans[si];
      if (span && span.start <= a) {
        if (lastSpan !== si) { visit(text.slice(span.start, span.end), span.start, span.end, span.tag); lastSpan = si; }
        a = Math.min(end, span.end);
      } else {
        const b = span ? Math.min(end, span.start) : end;
        visit(text.slice(a, b), a, b, '');
        a = b;
      }
    }
    at = end;
  }
}

/** Longest run of texts `cutMany` hands jieba at once, in characters. */
const CUT_BATCH_CHARS = 4096;

/**
 * jieba's tokens of many texts, cut a batch at a time: the texts joined by newlines, which jieba
 * treats as hard boundaries, so each text is cut exactly as on its own. Building an index this
 * way keeps jieba's dictionary warm in the processor's caches, rather than cutting one paragraph
 * between other work. Should a token ever straddle two texts, that batch is cut text by text.
 */
export function cutMany(texts: string[]): string[][] {
  const jieba = loadJieba();
  const out: string[][] = [];
  for (let from = 0; from < texts.length;) {
    let to = from + 1;
    let chars = texts[from]!.length;
    while (to < texts.length && chars + texts[to]!.length < CUT_BATCH_CHARS) chars += texts[to++]!.length + 1;
    const batch = texts.slice(from, to);
    const cut = splitTokens(batch, jieba.cut(batch.join('\n'))) ?? batch.map((t) => (t ? jieba.cut(t) : []));
    for (const tokens of cut) out.push(tokens);
    from = to;
  }
  return out;
}

/** Tokens of texts joined by newlines, handed back per text; undefined if one straddles two texts. */
function splitTokens(texts: string[], tokens: string[]): string[][] | undefined {
  const out: string[][] = [[]];
  let t = 0;
  let at = 0;
  for (const token of tokens) {
    if (at === texts[t]!.length && token === '\n' && t + 1 < texts.length) { // the newline between two texts
      out.push([]);
      t++;
      at = 0;
      continue;
    }
    at += token.length;
    if (at > texts[t]!.length) return undefined;
    out[t]!.push(token);
  }
  return out.length === texts.length && at === texts[t]!.length ? out : undefined;
}

/** The words of normalised text with their positions (see walkWords). */
export function segment(text: string): Word[] {
  return text ? wordsOf(text, loadJieba().cut(text)) : [];
}

/** `segment` of many texts, cut together (see `cutMany`). */
export function segmentAll(texts: string[]): Word[][] {
  const tokens = cutMany(texts);
  return texts.map((text, i) => wordsOf(text, tokens[i]!));
}

function wordsOf(text: string, tokens: string[]): Word[] {
  const words: Word[] = [];
  walkWords(text, tokens, (word, start, end, tag) => { words.push({ word, tag, start, end }); });
  return words;
}

const CJK = /^[\u3400-\u9fff]+$/;
const isCjkChar = (code: number) => code >= 0x3400 && code <= 0x9fff;
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

/** What the lexicon makes of one word; worked out once per word and lexicon (words repeat). */
export interface WordInfo {
  /** its keyword (canonical form), or null for stop words, question words and punctuation */
  key: string | null;
  /** the word under the lexicon's synonyms */
  canonical: string;
  /** the kind of entity its shape says it is, once entities.ts has read it */
  kind?: EntityKind | null;
  /** the numbers of its index terms under the term numbers `termsOf`, once knowledge.ts has read them */
  terms?: number[];
  termsOf?: object;
}

/**
 * Per lexicon: one-character words by character code (half of all words), two Chinese characters
 * by a number made of both codes (most of the rest; a number is cheaper to look up than a text),
 * longer words by text.
 */
interface WordCache { chars: Array<WordInfo | undefined>; pairs: Map<number, WordInfo>; words: Map<string, WordInfo> }

const CJK_FROM = 0x3400;
const CJK_SPAN = 0xa000 - CJK_FROM;

/** Two Chinese characters as one number (below 2³⁰, a small integer to V8), or -1 for other text. */
function pairCode(word: string): number {
  const a = word.charCodeAt(0) - CJK_FROM;
  const b = word.charCodeAt(1) - CJK_FROM;
  return a >= 0 && a < CJK_SPAN && b >= 0 && b < CJK_SPAN ? a * CJK_SPAN + b : -1;
}

const wordCache = new WeakMap<Lexicon, WordCache>();

function wordCacheOf(lexicon: Lexicon): WordCache {
  let cache = wordCache.get(lexicon);
  if (!cache) wordCache.set(lexicon, (cache = { chars: new Array<WordInfo | undefined>(0x10000).fill(undefined), pairs: new Map(), words: new Map() }));
  return cache;
}

function cachedInfo(word: string, lexicon: Lexicon, cache: WordCache): WordInfo {
  const single = word.length === 1;
  const pair = word.length === 2 ? pairCode(word) : -1;
  let info = single ? cache.chars[word.charCodeAt(0)] : pair >= 0 ? cache.pairs.get(pair) : cache.words.get(word);
  if (info === undefined) {
    const w = word.trim();
    info = { key: meaningful(w, lexicon) ? canonical(w, lexicon) : null, canonical: canonical(word, lexicon), kind: undefined, terms: undefined, termsOf: undefined };
    if (single) cache.chars[word.charCodeAt(0)] = info;
    else if (pair >= 0) { if (cache.pairs.size < 500_000) cache.pairs.set(pair, info); }
    else if (cache.words.size < 500_000) cache.words.set(word, info);
  }
  return info;
}

/** What the lexicon makes of a word (see WordInfo). */
export function wordInfo(word: string, lexicon: Lexicon): WordInfo {
  return cachedInfo(word, lexicon, wordCacheOf(lexicon));
}

/** `wordInfo` for many words of one lexicon. */
export function wordInfoOf(lexicon: Lexicon): (word: string) => WordInfo {
  const cache = wordCacheOf(lexicon);
  return (word) => cachedInfo(word, lexicon, cache);
}

/** Meaningful words of a segmented text with their positions, as canonical forms. */
export function keywordSpans(words: Word[], lexicon: Lexicon): KeySpan[] {
  const cache = wordCacheOf(lexicon);
  const out: KeySpan[] = [];
  for (const { word, start, end } of words) {
    const key = cachedInfo(word, lexicon, cache).key;
    if (key !== null) out.push({ key, start, end });
  }
  return out;
}

/** Meaningful words of a segmented text, in order, as canonical forms (duplicates kept). */
export function keywords(words: Word[], lexicon: Lexicon): string[] {
  const cache = wordCacheOf(lexicon);
  const out: string[] = [];
  for (const { word } of words) {
    const key = cachedInfo(word, lexicon, cache).key;
    if (key !== null) out.push(key);
  }
  return out;
}

/** Character pairs of a long Chinese word, used as extra index terms. */
export function pairs(word: string): string[] {
  if (word.length < 3) return NONE;
  let out = pairCache.get(word);
  if (!out) {
    out = NONE;
    if (CJK.test(word)) {
      out = [];
      for (let i = 0; i + 2 <= word.length; i++) out.push(word.slice(i, i + 2));
    }
    if (pairCache.size < 500_000) pairCache.set(word, out);
  }
  return out;
}

const NONE: string[] = [];
const pairCache = new Map<string, string[]>();

/**
 * Index terms for keywords: each keyword and, for long Chinese ones, its character pairs. A run of
 * single Chinese characters (jieba's reading of a name it does not know, "李/沧/之/春") is also
 * joined and paired, so it meets the same name segmented whole elsewhere.
 */
export function terms(keys: string[]): string[] {
  const out: string[] = [];
  forEachTerm(keys, (term) => { out.push(term); });
  return out;
}

/**
 * The index terms of `terms` by where they come from, not in its order (for a builder that only
 * counts them): `ofKey` for each keyword (its terms are itself and its character pairs), `ofRun`
 * for each run of single characters joined (the run and its pairs). `keyText` reads an item's keyword.
 */
export function forEachTermSource<T>(items: T[], keyText: (item: T) => string, ofKey: (item: T) => void, ofRun: (run: string) => void): void {
  let run = '';
  for (let i = 0; i <= items.length; i++) {
    if (i < items.length) {
      const item = items[i]!;
      const k = keyText(item);
      ofKey(item);
      if (k.length === 1 && isCjkChar(k.charCodeAt(0))) { run += k; continue; }
    }
    if (run.length >= 2) ofRun(run);
    run = '';
  }
}

/**
 * The index terms of `terms`, in the same order, each with where it comes from: keyword `key` itself
 * (`pair` −1), its `pair`-th character pair, or (`key` −1) a run of single characters.
 */
export function forEachTerm(keys: string[], visit: (term: string, key: number, pair: number) => void): void {
  let run = '';
  for (let i = 0; i <= keys.length; i++) {
    const k = i < keys.length ? keys[i]! : undefined;
    if (k !== undefined) visit(k, i, -1);
    if (k !== undefined && k.length === 1 && isCjkChar(k.charCodeAt(0))) { run += k; continue; }
    if (run.length >= 2) {
      visit(run, -1, -1);
      for (const p of pairs(run)) visit(p, -1, -1);
    }
    run = '';
    if (k !== undefined) {
      const ps = pairs(k);
      for (let j = 0; j < ps.length; j++) visit(ps[j]!, i, j);
    }
  }
}
