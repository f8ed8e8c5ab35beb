/**
 * The lexicon: plain data files the newsroom edits, kept beside the pages in `corpus/lexicon/`.
 *
 *  user-dict.txt  words jieba keeps whole: `word [frequency] [tag]`
 *  synonyms.txt   `canonical = variant = variant`: variants are read as the canonical word
 *  stopwords.txt  one word a line, ignored when matching
 *  intents.txt    `intent<TAB>example`: examples for the intent classifier
 */
import { readFileSync, statSync } from 'node:fs';
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

const FILES = ['user-dict.txt', 'synonyms.txt', 'stopwords.txt', 'intents.txt'] as const;
type Files = Record<(typeof FILES)[number], string>;

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

/** The last lexicon read from each folder, with the text of its files and what their metadata said then. */
const loaded = new Map<string, { files: Files; stamps: string[]; settled: boolean; lexicon: Lexicon }>();

/**
 * A file's identity, size and modification and change times ('' when there is no such file). A
 * write changes its change time, which no tool can set back.
 */
function stampOf(file: string): string {
  const st = statSync(file, { throwIfNoEntry: false });
  return st ? `${st.ino}/${st.size}/${st.mtimeMs}/${st.ctimeMs}` : '';
}

/**
 * How long after a file was written its times are trusted to tell a later write: a write within
 * the file system's time resolution of the one before may leave the times as they were, so a file
 * written this recently is compared by its text.
 */
const SETTLE_MS = 3000;

/**
 * Reads the lexicon files of a folder; a missing file is an empty list. While the files say the
 * same, the same lexicon comes back, and with it what the engine learned of each word under it
 * (see `wordInfo`): a rebuild of the index after a new page need not learn them again. Files whose
 * metadata has not changed since they were read (and were written long enough before) are not
 * read again.
 */
export function loadLexicon(dir: string, { settleMs = SETTLE_MS }: { settleMs?: number } = {}): Lexicon {
  const paths = FILES.map((name) => join(dir, name));
  // metadata first: a write between it and the reading below shows as changed metadata next time
  const stamps = paths.map(stampOf);
  const last = loaded.get(dir);
  if (last?.settled && stamps.every((stamp, i) => stamp === last.stamps[i])) return last.lexicon;
  const readAt = Date.now();
  const files = Object.fromEntries(FILES.map((name, i) => [name, readIfThere(paths[i]!)])) as Files;
  const settled = paths.every((path) => {
    const st = statSync(path, { throwIfNoEntry: false });
    return !st || (readAt - st.mtimeMs > settleMs && readAt - st.ctimeMs > settleMs);
  });
  const lexicon = last && FILES.every((name) => last.files[name] === files[name]) ? last.lexicon : parseLexicon(files, dir);
  loaded.set(dir, { files, stamps, settled, lexicon });
  return lexicon;
}

function parseLexicon(files: Files, dir: string): Lexicon {
  const userWords = dataLines(files['user-dict.txt']).map((line) => {
    const [word, freq, tag] = line.split(/\s+/);
    return { word: normalize(word!), freq: freq ? Number(freq) : undefined, tag };
  });

  const synonyms = new Map<string, string>();
  for (const line of dataLines(files['synonyms.txt'])) {
    const words = line.split('=').map((w) => normalize(w.trim())).filter(Boolean);
    const canonical = words[0];
    if (!canonical) continue;
    for (const variant of words.slice(1)) synonyms.set(variant, canonical);
  }

  const stopwords = new Set(dataLines(files['stopwords.txt']).map(normalize));

  const intentExamples = dataLines(files['intents.txt']).flatMap((line) => {
    const tab = line.indexOf('\t');
    if (tab < 0) return [];
    return [{ intent: line.slice(0, tab).trim(), text: line.slice(tab + 1).trim() }];
  });

  return { userWords, synonyms, stopwords, intentExamples, dir };
}
