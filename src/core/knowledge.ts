/**
 * The knowledge base: everything the engine answers from, built in one pass over a corpus folder.
 *
 *  read pages → parse articles and previews → facts (body sentences, headlines, photo captions,
 *  bylines) → normalise → segment → two channels per fact (keywords, character pairs), and the same
 *  two per article → BM25 indexes, entity profiles per article, homophones of the corpus words.
 *
 * Building never throws for a bad page: it is skipped with a warning. It throws only when the
 * folder itself cannot be read.
 */
import { readPages, MAX_PAGE_BYTES, type RawPage } from './corpus/read-pages.js';
import { parsePage } from './corpus/parse-page.js';
import { splitSentences } from './corpus/sentences.js';
import type { Article, Page, Paragraph, Session } from './corpus/types.js';
import { findEntities, shortPlaceName, type EntityKind } from './entities.js';
import { Bm25Index } from './search/bm25.js';
import { Homophones } from './text/homophones.js';
import type { Lexicon } from './text/lexicon.js';
import { normalize } from './text/normalize.js';
import { bigrams, keywords, segment, teachLexicon } from './text/segment.js';

export type FactKind = 'title' | 'heading' | 'body' | 'list' | 'caption' | 'byline';

/** The words an article's facts share as context: its headline, section heading, main place and organisation. */
export interface Context {
  keys: Set<string>;
  bigrams: Set<string>;
}

export interface Fact {
  /** its document number in the fact indexes */
  doc: number;
  kind: FactKind;
  article: Article;
  /** the article's entry in `Knowledge.entries` */
  entry: ArticleEntry;
  /** where it stands among its article's facts */
  position: number;
  /** as printed */
  text: string;
  /** normalised */
  norm: string;
  /** its keywords, in order (canonical forms) */
  keys: string[];
  context: Context;
}

export interface ArticleEntry {
  /** its document number in the article indexes */
  doc: number;
  article: Article;
  /** titles first, then the body in order (each section's heading before it), then captions and byline */
  facts: Fact[];
  /** the entities it mentions, most often first */
  entities: Record<EntityKind, string[]>;
}

export interface Knowledge {
  pages: Page[];
  articles: Article[];
  entries: ArticleEntry[];
  facts: Fact[];
  sessions: Session[];
  lexicon: Lexicon;
  /** keywords of each fact */
  words: Bm25Index;
  /** character pairs (and numbers) of each fact */
  chars: Bm25Index;
  /** keywords and character pairs of each article as a whole */
  articleWords: Bm25Index;
  articleChars: Bm25Index;
  /** in how many facts each Chinese character occurs */
  charCounts: Map<string, number>;
  homophones: Homophones;
  /** the places and organisations the articles name, by their full and short names ("李沧区", "李沧") */
  entityNames: Map<string, { kind: EntityKind; text: string }>;
  /** words of the 民生在线 previews (their units), which are not facts but are known names */
  previewTerms: Set<string>;
  /** the reporters and correspondents the bylines name */
  people: Set<string>;
  warnings: string[];
}

export interface BuildOptions {
  /** year for pages whose text and file name name none */
  fallbackYear?: number;
  maxPageBytes?: number;
}

/** A sentence before a list that only says one follows: a question, "快来看看吧~", "戳这里↓". */
const TEASER = /[?？]\s*$|看看|瞧瞧|一起来|戳|↓|👇/u;

/**
 * A paragraph's sentences as facts. A paragraph that introduces a list gives one fact of the
 * sentence that introduces it and all its items ("首批示范点名单如下:城阳社区、双埠社区……。"), so
 * that "有哪些" is answered by the whole list; an item long enough to be a sentence of its own
 * ("基础类:改造供水、排水……") is a fact of its own too.
 */
function sentencesOf(p: Paragraph): Array<{ text: string; kind: FactKind }> {
  const sentences = splitSentences(p.text).map((text) => ({ text, kind: 'body' as FactKind }));
  if (!p.list) return sentences;
  // a teaser that says nothing itself ("快来看看吧~", "都在哪儿?") takes the sentences before it, up
  // to one that says what the list is of
  let first = sentences.pop()?.text ?? '';
  let intro = first;
  while (sentences.length && TEASER.test(first.normalize('NFKC'))) {
    first = sentences.pop()!.text;
    intro = first + intro;
  }
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: arrows and their variation selector, removed one by one
  const lead = intro.replace(/[\s↓↑👇⬇\u{FE0F}]+$/u, '').replace(/[:：]$/, '');
  const short = p.list.items.every((item) => item.length <= 20);
  const list = `${lead}：${p.list.items.join(short ? '、' : '；')}。`;
  return [
    ...sentences,
    { text: list, kind: 'list' },
    ...p.list.items.filter((item) => item.length > 15).map((item) => ({ text: item, kind: 'body' as FactKind })),
  ];
}

/**
 * Words a photo caption and a byline are found by, besides their own: they are indexed with it, so
 * that "谁拍的" and "哪个记者写的" find the caption or byline of the article asked about.
 */
const CAPTION_CONTEXT = ['照片', '图片', '摄影', '拍', '拍摄', '配图'];
const BYLINE_CONTEXT = ['记者', '报道', '作者', '通讯员', '写', '撰写', '采写', '稿子', '文章', '消息', '新闻', '发布', '来源'];

/**
 * Whether the pages use a word: as a keyword, or (a part of a longer word, "养老金" in "个人养老金")
 * by every one of its character pairs.
 */
export function knows(knowledge: Knowledge, word: string): boolean {
  if (knowledge.words.df(word) > 0) return true;
  const pairs = bigrams(word);
  return pairs.length > 0 && pairs.every((p) => knowledge.chars.df(p) > 0);
}

/** Builds the knowledge base from a corpus folder and a lexicon. */
export function buildKnowledge(corpusDir: string, lexicon: Lexicon, options: BuildOptions = {}): Knowledge {
  teachLexicon(lexicon);
  const { pages: raw, warnings } = readPages(corpusDir, options.maxPageBytes ?? MAX_PAGE_BYTES);
  const empty: Knowledge = {
    pages: [],
    articles: [],
    entries: [],
    facts: [],
    sessions: [],
    lexicon,
    words: new Bm25Index(),
    chars: new Bm25Index(),
    articleWords: new Bm25Index(),
    articleChars: new Bm25Index(),
    charCounts: new Map(),
    homophones: new Homophones(),
    entityNames: new Map(),
    previewTerms: new Set(),
    people: new Set(),
    warnings,
  };
  const knowledge = grow(empty, parsePages(raw, options, warnings));
  if (knowledge.articles.length === 0) warnings.push(`corpus: ${corpusDir}: no articles to answer from`);
  return knowledge;
}

/**
 * The knowledge base with more pages: those of `raw` (new files of the corpus folder) are added to
 * its indexes, which grow in place, so that a new page costs the time of that page, not of the
 * whole corpus. `knowledge` must not be asked anything after this; the result replaces it. When a
 * page cannot be read as a page, nothing is added and the result is undefined: a whole build says why.
 */
export function extendKnowledge(knowledge: Knowledge, raw: RawPage[], options: BuildOptions = {}): Knowledge | undefined {
  const warnings = [...knowledge.warnings];
  const pages = parsePages(raw, options, warnings);
  if (pages.length < raw.length) return undefined;
  return grow({ ...knowledge, warnings }, pages);
}

function parsePages(raw: RawPage[], options: BuildOptions, warnings: string[]): Page[] {
  const fallbackYear = options.fallbackYear ?? new Date().getFullYear();
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
  return pages;
}

/** Adds the pages' articles to the indexes of `base` (in place), and returns the knowledge base that holds them. */
function grow(base: Knowledge, added: Page[]): Knowledge {
  const { lexicon, words, chars, articleWords, articleChars, charCounts, homophones } = base;
  const facts = base.facts;
  const entries = base.entries;
  const pages = [...base.pages, ...added];
  const articles = pages.flatMap((p) => p.articles);

  const read = (text: string) => {
    const norm = normalize(text);
    const segmented = segment(norm);
    const found = keywords(segmented, lexicon);
    // names jieba did not know, and long words, are what a typo of the same sound may stand for
    for (const k of found) if (k.run || k.key.length >= 3) homophones.add(k.key);
    return { norm, segmented, keys: found.map((k) => k.key) };
  };

  for (const article of added.flatMap((p) => p.articles)) {
    const entry: ArticleEntry = { doc: entries.length, article, facts: [], entities: { place: [], org: [], term: [], period: [] } };
    entries.push(entry);
    const counts = new Map<string, { kind: EntityKind; text: string; n: number }>();
    const allKeys: string[] = [];
    const allChars: string[] = [];

    const titles = [...article.kickers, article.headline, article.subtitle ?? ''].filter(Boolean).map((t) => ({ text: t, ...read(t) }));
    const body = article.paragraphs.flatMap((p) =>
      sentencesOf(p).map(({ text, kind }) => ({ text, kind, section: p.section, ...read(text) })),
    );
    for (const r of [...titles, ...body]) {
      for (const e of findEntities(r.segmented, lexicon)) {
        const c = counts.get(e.kind + e.text);
        if (c) c.n++;
        else counts.set(e.kind + e.text, { kind: e.kind, text: e.text, n: 1 });
      }
    }
    for (const c of [...counts.values()].sort((a, b) => b.n - a.n)) entry.entities[c.kind].push(c.text);

    // the context every fact of the article shares: headline, main place and organisation
    const headKeys = titles.flatMap((t) => t.keys);
    const shared = [...headKeys, ...entry.entities.place.slice(0, 1), ...entry.entities.org.slice(0, 1)];
    const headNorm = titles.map((t) => t.norm).join(' ');
    const articleContext: Context = { keys: new Set(shared), bigrams: new Set(bigrams(`${headNorm} ${shared.join(' ')}`)) };
    const sectionContexts = new Map<string, Context>();
    const contextOf = (section: string | undefined): Context => {
      if (!section) return articleContext;
      let c = sectionContexts.get(section);
      if (!c) {
        const s = read(section);
        c = { keys: new Set([...shared, ...s.keys]), bigrams: new Set([...articleContext.bigrams, ...bigrams(s.norm)]) };
        sectionContexts.set(section, c);
      }
      return c;
    };
    const extraContext = (base: Context, extra: string[]): Context => ({
      keys: new Set([...base.keys, ...extra]),
      bigrams: new Set([...base.bigrams, ...extra.flatMap((w) => bigrams(w))]),
    });

    const addFact = (kind: FactKind, text: string, r: { norm: string; keys: string[] }, context: Context) => {
      const charTerms = bigrams(r.norm);
      const fact: Fact = {
        doc: facts.length,
        kind,
        article,
        entry,
        position: entry.facts.length,
        text,
        norm: r.norm,
        keys: r.keys,
        context,
      };
      words.add(r.keys);
      chars.add(charTerms);
      for (const ch of new Set(r.norm)) if (ch >= '\u3400' && ch <= '\u9fff') charCounts.set(ch, (charCounts.get(ch) ?? 0) + 1);
      allKeys.push(...r.keys);
      allChars.push(...charTerms);
      facts.push(fact);
      entry.facts.push(fact);
    };

    for (const t of titles) addFact('title', t.text, t, articleContext);
    let section: string | undefined;
    for (const b of body) {
      // a section heading is a fact of its own, before the section's sentences: "那部分说了啥"
      if (b.section && b.section !== section) addFact('heading', b.section, read(b.section), contextOf(b.section));
      section = b.section;
      addFact(b.kind, b.text, b, contextOf(b.section));
    }
    const captionContext = extraContext(articleContext, CAPTION_CONTEXT);
    const withWords = (r: { norm: string; keys: string[] }, extra: string[]) => ({ ...r, keys: [...r.keys, ...extra] });
    for (const caption of article.captions) addFact('caption', caption, withWords(read(caption), CAPTION_CONTEXT), captionContext);
    // who reported it, for whom and when: "记者 王一鸣(青岛晚报),2016年9月22日"
    const by = article.byline;
    const people = by
      ? [
          by.reporters.length ? `记者 ${by.reporters.join('、')}` : '',
          by.correspondents.length ? `通讯员 ${by.correspondents.join('、')}` : '',
          by.editors?.length ? `编辑 ${by.editors.join('、')}` : '',
        ]
          .filter(Boolean)
          .join(',')
      : '';
    const outlets = by?.outlets.length ? `(${by.outlets.join('/')})` : '';
    const day = article.date ? /^(\d{4})-(\d{2})-(\d{2})/.exec(article.date) : null;
    const when = day ? `${day[1]}年${Number(day[2])}月${Number(day[3])}日` : '';
    const credit = [people + outlets, when].filter(Boolean).join(',');
    if (people || outlets) addFact('byline', credit, withWords(read(credit), BYLINE_CONTEXT), extraContext(articleContext, BYLINE_CONTEXT));
    articleWords.add(allKeys);
    articleChars.add(allChars);
  }

  const entityNames = new Map<string, { kind: EntityKind; text: string }>();
  for (const entry of entries) {
    for (const kind of ['place', 'org'] as const) {
      for (const text of entry.entities[kind]) {
        entityNames.set(text, { kind, text });
        // "李沧" for 李沧区, but not "保护" for 保护区: the short name must not be a word the pages use more
        const short = shortPlaceName(text);
        if (kind === 'place' && short.length >= 2 && short !== text && !entityNames.has(short) && words.df(short) <= words.df(text)) {
          entityNames.set(short, { kind, text });
        }
      }
    }
  }

  const sessions = pages.flatMap((p) => p.sessions).sort((a, b) => a.start.localeCompare(b.start));
  const previewTerms = new Set(sessions.flatMap((s) => read(s.unit).keys));
  const people = new Set(articles.flatMap((a) => [...(a.byline?.reporters ?? []), ...(a.byline?.correspondents ?? [])]));
  // a reporter's name is typed by its sound as often as any name ("孙月" for 孙悦)
  for (const name of people) homophones.add(name);
  return {
    pages,
    articles,
    entries,
    facts,
    sessions,
    lexicon,
    words,
    chars,
    articleWords,
    articleChars,
    charCounts,
    homophones,
    entityNames,
    previewTerms,
    people,
    warnings: base.warnings,
  };
}
