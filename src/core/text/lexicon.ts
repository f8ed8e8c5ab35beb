/**
 * The lexicon: plain data files the newsroom edits, kept beside the pages in `corpus/lexicon/`.
 *
 *  user-dict.txt       words jieba keeps whole: `word [frequency] [tag]`
 *  synonyms.txt        `canonical = variant = variant`: variants are read as the canonical word
 *  stopwords.txt       one word a line, ignored when matching
 *  question-words.txt  one word or phrase a line that only asks ("啥时候", "帮我查一下"): taken out
 *                      of questions before matching
 *  details.txt         `detail = word … : word …`: details a question can ask for (a phone
 *                      number, an address, a fee) and the words a sentence gives them with
 *  intents.txt         `intent<TAB>example`: examples for the intent classifier
 *
 * Every file is optional; lines starting with # are comments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalize } from './normalize.js';

export interface UserWord {
  word: string;
  freq?: number;
  tag?: string;
}

export interface Lexicon {
  userWords: UserWord[];
  /** variant → canonical form, keys and values normalised */
  synonyms: Map<string, string>;
  stopwords: Set<string>;
  /** words and phrases that only ask, normalised */
  questionWords: Set<string>;
  /** details a question can ask for: the words that ask for each, and the words a sentence gives it with */
  details: Array<{ asked: string[]; given: string[] }>;
  intentExamples: Array<{ intent: string; text: string }>;
  /** where it was read from, for messages */
  dir: string;
}

export const LEXICON_FILES = [
  'user-dict.txt',
  'synonyms.txt',
  'stopwords.txt',
  'question-words.txt',
  'details.txt',
  'intents.txt',
] as const;

function dataLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** A file's text, or '' when there is no such file. */
function readIfThere(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Reads the lexicon files of a folder; a missing file is an empty list. */
export function loadLexicon(dir: string): Lexicon {
  const [userDict = '', synonymLines = '', stopLines = '', questionLines = '', detailLines = '', intentLines = ''] = LEXICON_FILES.map(
    (name) => readIfThere(join(dir, name)),
  );

  const userWords = dataLines(userDict).map((line) => {
    const [word, freq, tag] = line.split(/\s+/);
    return { word: normalize(word!), freq: freq ? Number(freq) : undefined, tag };
  });

  const synonyms = new Map<string, string>();
  for (const line of dataLines(synonymLines)) {
    const words = line
      .split('=')
      .map((w) => normalize(w.trim()))
      .filter(Boolean);
    const canonical = words[0];
    if (!canonical) continue;
    for (const variant of words.slice(1)) synonyms.set(variant, canonical);
  }

  const intentExamples = dataLines(intentLines).flatMap((line) => {
    const tab = line.indexOf('\t');
    if (tab < 0) return [];
    return [{ intent: line.slice(0, tab).trim(), text: line.slice(tab + 1).trim() }];
  });

  const details = dataLines(detailLines).flatMap((line) => {
    const colon = line.lastIndexOf(' : ');
    if (colon < 0) return [];
    const asked = line
      .slice(0, colon)
      .split('=')
      .map((w) => normalize(w.trim()))
      .filter(Boolean);
    const given = line
      .slice(colon + 3)
      .split(/\s+/)
      .map((w) => normalize(w))
      .filter(Boolean);
    return asked.length && given.length ? [{ asked, given }] : [];
  });

  return {
    userWords,
    details,
    synonyms,
    stopwords: new Set(dataLines(stopLines).map(normalize)),
    questionWords: new Set(dataLines(questionLines).map(normalize)),
    intentExamples,
    dir,
  };
}
