/**
 * The knowledge base: everything the engine answers from, built in one pass over a corpus folder.
 *
 *  read pages → parse articles and previews → sentences and clauses → normalise → segment → terms
 *  → BM25 index over fact sentences, entity profiles per article, intent classifier.
 *
 * Building never throws for a bad page: it is skipped with a warning. It throws only when the
 * folder itself cannot be read.
 */
import { readPages, MAX_PAGE_BYTES } from './corpus/read-pages.js';
import { parsePage } from './corpus/parse-page.js';
import { splitClauses, splitSentences } from './corpus/sentences.js';
import type { Article, Page, Session } from './corpus/types.js';
import { EntityReader, type Entity, type EntityKind } from './entities.js';
import { IntentClassifier, type Example } from './intent.js';
import { Bm25Index } from './search/bm25.js';
import { TermNumbers } from './text/term-numbers.js';
import type { Lexicon } from './text/lexicon.js';
import { normalize } from './text/normalize.js';
import { cutMany, forEachTermSource, keywords, pairs, segment, segmentAll, teachLexicon, terms, walkWords, wordInfoOf, type Word, type WordInfo } from './text/segment.js';


/** A comma- or semicolon-separated part of a fact (see `clausesOf`). */
export interface Clause {
  text: string;
  keys: string[];
  hasNumber: boolean;
  hasTime: boolean;
}

export interface Fact {
  /** its document number in the index */
  doc: number;
  article: Article;
  /** a headline or kicker rather than a body sentence */
  isTitle: boolean;
  text: string;
  /** its keywords, clause after clause */
  keys: string[];
  /**
   * its clauses, four numbers each: where the clause's text starts and ends in `text`, where its
   * keywords end in `keys`, and 1 if it holds a number + 2 if a date or time. An index holds many
   * facts and a reply shows one: the clauses are made into objects only when asked for.
   */
  layout: number[];
  /** some clause holds a number / a date or time */
  hasNumber: boolean;
  hasTime: boolean;
}

const NUMBER = 1;
const TIME = 2;

/** A fact's clauses. */
export function clausesOf(fact: Fact): Clause[] {
  const out: Clause[] = [];
  const { layout } = fact;
  for (let i = 0, keyStart = 0; i < layout.length; i += 4) {
    const flags = layout[i + 3]!;
    out.push({
      text: fact.text.slice(layout[i]!, layout[i + 1]!), keys: fact.keys.slice(keyStart, layout[i + 2]!),
      hasNumber: (flags & NUMBER) !== 0, hasTime: (flags & TIME) !== 0,
    });
    keyStart = layout[i + 2]!;
  }
  return out;
}


export interface Knowledge {
  pages: Page[];
  articles: Article[];
  facts: Fact[];
  sessions: Session[];
  index: Bm25Index;
  classifier: IntentClassifier;
  lexicon: Lexicon;
  /** words of the 民生在线 previews (their units), which are not facts but are known names */
  previewTerms: Set<string>;
  /** the entities each article mentions, most frequent first, by article id */
  articleEntities: Map<string, Record<EntityKind, string[]>>;
  warnings: string[];
}

export interface BuildOptions {
  /** year for pages whose text names none */
  fallbackYear?: number;
  maxPageBytes?: number;
  /** how many fact sentences teach the classifier what a question about the news looks like */
  classifierFactSamples?: number;
}

const HAS_NUMBER = /\d|[一二三四五六七八九十百千万亿两]+(个|家|所|支|名|届|栋|户|处|场|门|人|元|倍)/;
const HAS_TIME = /\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}|\d{1,2}日|上午|下午|晚上|\d{4}年/;

/**
 * Classifier features: the content words (stop and question words out, synonyms canonical), so that
 * "多少" or "吗" do not pull a question of fact towards small talk; the bare words when a text has
 * no content word ("在吗").
 */
export function intentFeatures(words: Word[], lexicon: Lexicon, keys = keywords(words, lexicon)): string[] {
  if (keys.length) return keys;
  return words
    .map((w) => lexicon.synonyms.get(w.word.trim()) ?? w.word.trim())
    .filter((w) => w && !/^[\s\p{P}\p{S}]+$/u.test(w));
}

/**
 * Pages whose texts go to jieba one after another before their words are read: enough for jieba's
 * dictionary to stay warm, few enough that the words held meanwhile die young (more pages make the
 * garbage collector copy them).
 */
const PAGES_PER_CUT = 4;

/** A sentence as read: its keywords and clauses as a fact keeps them, and what the lexicon makes of its keywords. */
interface Sentence { text: string; keys: string[]; layout: number[]; infos: WordInfo[] }

interface Analysed { sentences: Sentence[]; entities: Entity[] }

/** A paragraph split into sentences and clauses (with where each starts in its sentence), and its normalised text, clause by clause. */
interface Split { sentences: Array<{ text: string; parts: string[]; starts: number[] }>; norms: string[]; norm: string }

function split(paragraph: string): Split {
  const sentences = splitSentences(paragraph).map((text) => {
    const parts = splitClauses(text);
    const starts: number[] = [];
    // where each clause starts: only separators lie between two clauses, and a clause starts with
    // something else, so searching on from the end of the one before finds it where it was taken
    for (let i = 0, at = 0; i < parts.length; i++) { at = text.indexOf(parts[i]!, at); starts.push(at); at += parts[i]!.length; }
    return { text, parts, starts };
  });
  // normalised whole when that keeps every character in place (the usual case), else clause by clause
  const whole = normalize(paragraph);
  let total = 0;
  for (const s of sentences) for (const part of s.parts) total += part.length;
  const norms: string[] = [];
  if (whole.length === paragraph.length && total === paragraph.length) {
    let at = 0;
    for (const s of sentences) for (const part of s.parts) norms.push(whole.slice(at, (at += part.length)));
    return { sentences, norms, norm: whole };
  }
  for (const s of sentences) for (const part of s.parts) norms.push(normalize(part));
  return { sentences, norms, norm: norms.join('') };
}

/**
 * Paragraphs → their sentences, each as clauses with their keywords, and all their words, one
 * paragraph at each call of the function returned: normalised clause by clause (so clause
 * boundaries are known in the normalised text) and segmented together (see `cutMany`).
 */
function analyseAll(paragraphs: string[], lexicon: Lexicon): () => Analysed {
  const splits = paragraphs.map(split);
  const tokens = cutMany(splits.map((x) => x.norm));
  // each paragraph is read when asked for, so that what reading it leaves behind dies young
  let next = 0;
  return () => {
    const i = next++;
    return words(splits[i]!, tokens[i]!, lexicon);
  };
}

function words({ sentences, norms, norm: text }: Split, tokens: string[], lexicon: Lexicon): Analysed {
  // the clauses first, then each keyword goes to the clause it starts in
  const ends: number[] = [];
  const sentenceOf: Sentence[] = [];
  /** per clause, where its four numbers are in its sentence's layout */
  const slot: number[] = [];
  let end = 0;
  const out = sentences.map(({ text, parts, starts }) => {
    const sentence: Sentence = { text, keys: [], layout: [], infos: [] };
    for (let i = 0; i < parts.length; i++) {
      const norm = norms[ends.length]!;
      const flags = (HAS_NUMBER.test(norm) ? NUMBER : 0) | (HAS_TIME.test(norm) ? TIME : 0);
      slot.push(sentence.layout.length);
      sentence.layout.push(starts[i]!, starts[i]! + parts[i]!.length, 0, flags);
      sentenceOf.push(sentence);
      ends.push((end += norm.length));
    }
    return sentence;
  });
  const entities = new EntityReader(lexicon);
  const infoOf = wordInfoOf(lexicon);
  let ci = 0;
  walkWords(text, tokens, (word, start) => {
    const info = infoOf(word);
    entities.push(word, info);
    if (info.key === null) return;
    while (ci < ends.length && start >= ends[ci]!) ci++;
    if (ci < ends.length) {
      const sentence = sentenceOf[ci]!;
      sentence.keys.push(info.key);
      sentence.infos.push(info);
      sentence.layout[slot[ci]! + 2] = sentence.keys.length;
    }
  });
  // a clause without keywords ends where the one before it does
  for (const { layout } of out) for (let i = 6; i < layout.length; i += 4) layout[i] = Math.max(layout[i]!, layout[i - 4]!);
  return { sentences: out, entities: entities.found };
}

/** The lexicon's intent examples as the classifier learns them (read once per lexicon). */
const examples = new WeakMap<Lexicon, Array<{ features: string[]; label: string }>>();

function examplesOf(lexicon: Lexicon): Array<{ features: string[]; label: string }> {
  let out = examples.get(lexicon);
  if (!out) {
    const words = segmentAll(lexicon.intentExamples.map((e) => normalize(e.text)));
    out = lexicon.intentExamples.map(({ intent }, i) => ({ features: intentFeatures(words[i]!, lexicon), label: intent }));
    examples.set(lexicon, out);
  }
  return out;
}

/**
 * Index term numbers, shared by the indexes built under one lexicon (each build of a growing corpus
 * meets mostly the same words), with the numbers of the runs of single characters met so far; begun
 * again when they grow too many (a long-running bot whose pages keep changing).
 */
const termNumbers = new WeakMap<Lexicon, { numbers: TermNumbers; runTerms: Map<string, number[]> }>();
const MAX_SHARED_TERMS = 2_000_000;

function termsFor(lexicon: Lexicon): { numbers: TermNumbers; runTerms: Map<string, number[]> } {
  let shared = termNumbers.get(lexicon);
  if (!shared || shared.numbers.size > MAX_SHARED_TERMS) termNumbers.set(lexicon, (shared = { numbers: new TermNumbers(), runTerms: new Map() }));
  return shared;
}

function emptyProfile(): Record<EntityKind, string[]> {
  return { place: [], org: [], term: [], period: [] };
}

/** Builds the knowledge base from a corpus folder and a lexicon. */
export function buildKnowledge(corpusDir: string, lexicon: Lexicon, options: BuildOptions = {}): Knowledge {
  teachLexicon(lexicon);
  const fallbackYear = options.fallbackYear ?? new Date().getFullYear();
  const { pages: raw, warnings } = readPages(corpusDir, options.maxPageBytes ?? MAX_PAGE_BYTES);

  const pages: Page[] = [];
  for (const r of raw) {
    try {
      const page = parsePage(r.name, r.text, fallbackYear);
      warnings.push(...page.warnings);
      if (page.articles.length === 0 && page.sessions.length === 0) {
        warnings.push(`corpus: ${r.path}: no articles found in the page, skipped`);
        continue;
      }
      pages.push(page);
    } catch (err) {
      warnings.push(`corpus: ${r.path}: could not be read as a page (${(err as Error).message}), skipped`);
    }
  }

  const { numbers, runTerms } = termsFor(lexicon);
  const index = new Bm25Index({ numbers });
  const facts: Fact[] = [];
  const articles = pages.flatMap((p) => p.articles);
  const articleEntities = new Map<string, Record<EntityKind, string[]>>();
  const classifierDocs: Example[] = [];
  // The classifier learns from a sample of the facts (below): the term numbers of the first facts'
  // keywords are kept for it (all the facts of a small corpus), so that it need not look them up.
  const sampleCap = options.classifierFactSamples ?? 150;
  const keyNumbers: Int32Array[] = [];

  // A keyword's index terms (itself and its character pairs), numbered once and kept on the
  // keyword's word record; a run of single characters joined, by its text.
  const termsOf = (word: string) => {
    const ids = [index.termId(word)];
    for (const pair of pairs(word)) ids.push(index.termId(pair));
    return ids;
  };
  // a fact's index terms, in an array used again for each fact (the index keeps none of it)
  const factTerms: number[] = [];
  const push = (ids: number[]) => { for (let i = 0; i < ids.length; i++) factTerms.push(ids[i]!); };
  const ofKey = (info: WordInfo) => {
    if (info.termsOf !== numbers) { info.terms = termsOf(info.key!); info.termsOf = numbers; }
    push(info.terms!);
  };
  const ofRun = (run: string) => {
    let ids = runTerms.get(run);
    if (!ids) runTerms.set(run, (ids = termsOf(run)));
    push(ids);
  };
  const keyText = (info: WordInfo) => info.key!;

  // The texts of a run of pages are segmented together (see cutMany), then read article by article.
  for (let from = 0; from < pages.length; from += PAGES_PER_CUT) {
    const run = pages.slice(from, from + PAGES_PER_CUT).flatMap((p) => p.articles);
    const nextText = analyseAll(run.flatMap((a) => [...a.kickers, a.headline, ...a.paragraphs.map((p) => p.text)]), lexicon);
    // section headings ("教育温暖人心") too, all of the run's at once
    const headings = [...new Set(run.flatMap((a) => a.paragraphs.flatMap((p) => (p.section ? [p.section] : []))))];
    const headingWords = segmentAll(headings.map(normalize));
    const headingKeys = new Map(headings.map((h, i) => [h, keywords(headingWords[i]!, lexicon)]));
    for (const article of run) addArticle(article, nextText, headingKeys);
  }

  function addArticle(article: Article, nextText: () => Analysed, headingKeys: Map<string, string[]>): void {
    const counts = new Map<string, { e: Entity; n: number }>();
    const count = (entities: Entity[]) => {
      for (const e of entities) {
        const k = e.kind + e.text;
        const c = counts.get(k);
        if (c) c.n++; else counts.set(k, { e, n: 1 });
      }
    };
    const addFact = ({ text, keys, layout, infos }: Sentence, context: number[], isTitle: boolean) => {
      factTerms.length = 0;
      forEachTermSource(infos, keyText, ofKey, ofRun);
      if (facts.length < sampleCap) {
        const numbers = new Int32Array(infos.length);
        for (let i = 0; i < infos.length; i++) numbers[i] = infos[i]!.terms![0]!; // a keyword's own term comes first
        keyNumbers.push(numbers);
      }
      const doc = index.addTerms(factTerms, context);
      let flags = 0;
      for (let i = 3; i < layout.length; i += 4) flags |= layout[i]!;
      facts.push({ doc, article, isTitle, text, keys, layout, hasNumber: (flags & NUMBER) !== 0, hasTime: (flags & TIME) !== 0 });
    };
    const entries = (ts: string[]) => ts.map((t) => index.termId(t));

    // Read the whole article first: its most frequent place and organisation ("李沧区",
    // "工商银行") join the headline and section heading as every sentence's context, so that a
    // question naming them finds this article's sentences, which often leave them unsaid ("我行…").
    const kickers = article.kickers.flatMap(() => nextText().sentences);
    const headline = nextText();
    count(headline.entities);
    const titles = [...kickers, ...headline.sentences];
    const body = article.paragraphs.map((p) => {
      const { sentences, entities } = nextText();
      count(entities);
      return { p, sentences };
    });
    const profile = emptyProfile();
    for (const { e } of [...counts.values()].sort((a, b) => b.n - a.n)) profile[e.kind].push(e.text);
    articleEntities.set(article.id, profile);

    const headlineKeys = headline.sentences.flatMap((t) => t.keys);
    const articleTerms = terms([...headlineKeys, ...profile.place.slice(0, 1), ...profile.org.slice(0, 1)]);
    const articleContext = entries(articleTerms);
    for (const sentence of titles) addFact(sentence, [], true);
    const sectionContext = new Map<string, number[]>();
    for (const { p, sentences } of body) {
      let context = articleContext;
      if (p.section) {
        if (!sectionContext.has(p.section)) sectionContext.set(p.section, entries([...articleTerms, ...terms(headingKeys.get(p.section)!)]));
        context = sectionContext.get(p.section)!;
      }
      for (const sentence of sentences) addFact(sentence, context, false);
    }
  }

  // The classifier learns what a question about the news looks like from a bounded, evenly spread
  // sample of facts, so that its vocabulary and training stay small at any corpus size. A fact's
  // keywords were read when it was indexed; one without any is read again word by word.
  const samples = Math.min(facts.length, sampleCap);
  for (let i = 0; i < samples; i++) {
    const at = Math.floor(i * facts.length / samples);
    const f = facts[at]!;
    if (f.keys.length === 0) classifierDocs.push({ features: intentFeatures(segment(normalize(f.text)), lexicon), label: 'fact' });
    else classifierDocs.push(at < keyNumbers.length ? { numbered: keyNumbers[at]!, label: 'fact' } : { features: f.keys, label: 'fact' });
  }
  for (const example of examplesOf(lexicon)) classifierDocs.push(example);
  const classifier = new IntentClassifier(classifierDocs, { numbers });

  const sessions = pages.flatMap((p) => p.sessions).sort((a, b) => a.start.localeCompare(b.start));
  const previewTerms = new Set(segmentAll(sessions.map((s) => normalize(s.unit))).flatMap((words) => terms(keywords(words, lexicon))));
  if (articles.length === 0) warnings.push(`corpus: ${corpusDir}: no articles to answer from`);
  return {
    pages, articles, facts, sessions, index, classifier, lexicon,
    previewTerms, articleEntities, warnings,
  };
}
