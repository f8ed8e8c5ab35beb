/**
 * The lexicon: plain data files the newsroom edits, kept beside the pages in `corpus/lexicon/`.
 *
 *  user-dict.txt  words jieba keeps whole: `word [frequency] [tag]`
 *  synonyms.txt   `canonical = variant = variant`: variants are read as the canonical word
 *  stopwords.txt  one word a line, ignored when matching
 *  intents.txt    `intent<TAB>example`: examples for the intent classifier
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalize } from './normalize.js';

export interface UserWord { word: string; freq?: number; tag?: string }

export interface Lexicon {
  userWords: UserWord[];
  /** variant → canonical form, keys and values normalised */
  synonyms: Map<string, string>;
  stopwords: Set<string>;
  intentExamples: Array<{ intent: string; text: string }>;
  /** where it was read from, for messages */
  dir: string;
}

function dataLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Reads the lexicon files of a folder; a missing file is an empty list. */
export function loadLexicon(dir: string): Lexicon {
  const userWords = dataLines(join(dir, 'user-dict.txt')).map((line) => {
    const [word, freq, tag] = line.split(/\s+/);
    return { word: normalize(word!), freq: freq ? Number(freq) : undefined, tag };
  });

  const synonyms = new Map<string, string>();
  for (const line of dataLines(join(dir, 'synonyms.txt'))) {
    const words = line.split('=').map((w) => normalize(w.trim())).filter(Boolean);
    const canonical = words[0];
    if (!canonical) continue;
    for (const variant of words.slice(1)) synonyms.set(variant, canonical);
  }

  const stopwords = new Set(dataLines(join(dir, 'stopwords.txt')).map(normalize));

  const intentExamples = dataLines(join(dir, 'intents.txt')).flatMap((line) => {
    const tab = line.indexOf('\t');
    if (tab < 0) return [];
    return [{ intent: line.slice(0, tab).trim(), text: line.slice(tab + 1).trim() }];
  });

  return { userWords, synonyms, stopwords, intentExamples, dir };
}
