/**
 * Segmentation and terms, the second stage of reading text (after normalize.ts):
 *
 *  segment(text)      jieba's words with their positions; numbers, decimals, percentages, dates,
 *                     times, codes and Latin words ("34万", "3.05%", "5+2", "2:30—4:00", "icbc") are
 *                     kept whole, because jieba cuts them into single characters.
 *  keywords(words)    the words that carry meaning: no stop words, question words or punctuation,
 *                     synonyms read as their canonical form; a run of single Chinese characters
 *                     (jieba's reading of a name it does not know, "刘/卓/毅") also joined as one.
 *  bigrams(text)      the character channel: pairs of adjacent Chinese characters, and numbers and
 *                     Latin words whole, so that "李沧" finds "李沧区" and a paraphrase still meets
 *                     the words it shares with the page.
 */
import { createRequire } from 'node:module';
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
 * Teaches jieba the lexicon's words (user dictionary, synonyms, question phrases), once each. A
 * word jieba already keeps whole is left alone: inserting it again would lower its frequency.
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
  for (const phrase of lexicon.questionWords) if (phrase.length > 1) add(phrase, 'r');
}

/** A word of a text and where it stands: `text.slice(start, end) === word`. */
export interface Word {
  word: string;
  /** the kind of protected span ('m' number, 'time', 'date', 'code', 'eng'), or '' for jieba's words */
  tag: string;
  start: number;
  end: number;
}

/** A bus route or metro line: "318路", "7号线" (not "3路口"). */
export const ROUTE = /\d+(?:路|号线)(?![口段])/;

/**
 * Spans jieba must not split: time ranges, times, dates, codes ("5+2"), bus routes and metro lines
 * ("318路", "3号线"), numbers (with %, 万, 年期), Latin words. One pattern, its alternatives tried
 * in this order at each position; the group that matched tells what kind of span it is.
 */
const PROTECTED = new RegExp(
  [
    /(\d{1,2}:\d{2}\s*[-—–~至到]+\s*\d{1,2}:\d{2})/,
    /(\d{1,2}:\d{2})/,
    /(\d{1,2}月\d{1,2}日)/,
    /([0-9a-z]+(?:\+[0-9a-z]+)+)/,
    new RegExp(`(${ROUTE.source})`),
    /(\d+(?:[.,]\d+)*(?:%|‰|万|亿)*(?:年期|季度)?)/,
    /([a-z]+\d*)/,
  ]
    .map((r) => r.source)
    .join('|'),
  'g',
);
const PROTECTED_TAGS = ['time', 'time', 'date', 'code', 'code', 'm', 'eng'];

/** The words of normalised text with their positions, protected spans whole. */
export function segment(text: string): Word[] {
  if (!text) return [];
  const words: Word[] = [];
  let at = 0;
  const cutUpTo = (end: number) => {
    if (end <= at) return;
    for (const token of loadJieba().cut(text.slice(at, end))) {
      words.push({ word: token, tag: '', start: at, end: at + token.length });
      at += token.length;
    }
  };
  PROTECTED.lastIndex = 0;
  for (let m = PROTECTED.exec(text); m; m = PROTECTED.exec(text)) {
    cutUpTo(m.index);
    let group = 1;
    while (m[group] === undefined) group++;
    words.push({ word: m[0], tag: PROTECTED_TAGS[group - 1]!, start: m.index, end: m.index + m[0].length });
    at = m.index + m[0].length;
  }
  cutUpTo(text.length);
  return words;
}

const MEANINGLESS = /^[\s\p{P}\p{S}]*$/u;
/** Question words with a measure word ("几届", "第几", "多少个", "哪家"): they ask, they do not match ("几何", "几乎" do). */
const QUESTION_WORD = /^(第?几(?![何乎])[\u4e00-\u9fff]?|多少[\u4e00-\u9fff]?|哪[一个些位天年里家所种条座]?)$/;
const isCjk = (code: number) => code >= 0x3400 && code <= 0x9fff;

/** The canonical form of one word under the lexicon's synonyms. */
export function canonical(word: string, lexicon: Lexicon): string {
  return lexicon.synonyms.get(word) ?? word;
}

/** Whether a word carries meaning for matching (not a stop word, question word, punctuation or a lone letter). */
export function meaningful(word: string, lexicon: Lexicon): boolean {
  return (
    word !== '' &&
    !MEANINGLESS.test(word) &&
    !lexicon.stopwords.has(word) &&
    !lexicon.questionWords.has(word) &&
    !QUESTION_WORD.test(word) &&
    !/^[a-z]$/.test(word)
  );
}

/** A keyword and where it stands in the text it was read from. */
export interface Keyword {
  key: string;
  start: number;
  end: number;
  /** a run of single characters joined: a name jieba did not know */
  run?: true;
}

/**
 * The keywords of segmented text, in order, as canonical forms (duplicates kept). A run of two or
 * more meaningful single Chinese characters is also given as one keyword, after its characters.
 */
export function keywords(words: Word[], lexicon: Lexicon): Keyword[] {
  const out: Keyword[] = [];
  // single characters in a row; a stop word among them ("李/沧/之/春") is part of the name, not its end
  let run: Word[] = [];
  let glue = 0;
  const endRun = () => {
    run = run.slice(0, run.length - glue);
    if (run.length >= 2) out.push({ key: run.map((w) => w.word).join(''), start: run[0]!.start, end: run[run.length - 1]!.end, run: true });
    run = [];
    glue = 0;
  };
  for (const w of words) {
    const word = w.word.trim();
    const keep = meaningful(word, lexicon);
    const single = word.length === 1 && isCjk(word.charCodeAt(0)) && w.tag === '';
    if (keep && single) {
      run.push(w);
      glue = 0;
    } else if (single && run.length > 0 && lexicon.stopwords.has(word) && glue === 0) {
      run.push(w);
      glue = 1;
    } else endRun();
    if (keep) out.push({ key: canonical(word, lexicon), start: w.start, end: w.end });
  }
  endRun();
  return out;
}

/**
 * The character channel of normalised text: each pair of adjacent Chinese characters, and each
 * number or Latin word whole. Duplicates kept, in order.
 */
export function bigrams(text: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isCjk(c)) {
      if (i + 1 < text.length && isCjk(text.charCodeAt(i + 1))) out.push(text.slice(i, i + 2));
      continue;
    }
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) {
      let j = i + 1;
      while (j < text.length && /[0-9a-z.%]/.test(text[j]!)) j++;
      out.push(text.slice(i, j).replace(/\.$/, ''));
      i = j - 1;
    }
  }
  return out;
}

/** The Chinese characters of normalised text, each once. */
export function characters(text: string): Set<string> {
  const out = new Set<string>();
  for (const ch of text) if (isCjk(ch.charCodeAt(0))) out.add(ch);
  return out;
}
