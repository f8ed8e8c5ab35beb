/**
 * The answer engine. One question in, one answer out:
 *
 *  1. normalise (NFKC, simplified, lower case)        text/normalize.ts
 *  2. segment with jieba, numbers kept whole           text/segment.ts
 *  3. keywords: stop words out, synonyms canonical     text/segment.ts
 *  4. intent: greeting / help / thanks / schedule / fact (natural's Bayes classifier)
 *  5. follow-up: a short question borrows the previous question's words ("那5年期呢?")
 *  6. retrieve: BM25 over fact sentences, ranked by how much of the question a fact covers
 *  7. check entities: a district, bank, term or period the corpus never mentions is declined
 *  8. compose: the clause(s) that answer, with headline, paper and reporter
 *
 * The engine knows nothing of Telegram: the bot, the shell and the tests all call `ask`.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Article, Session } from './corpus/types.js';
import { tfIn, type Postings, type Scores } from './search/bm25.js';
import { declineReply, sessionReply, snippet, sourceLine } from './answer/compose.js';
import { findEntities, type Entity, type EntityKind } from './entities.js';
import { buildKnowledge, clausesOf, intentFeatures, type BuildOptions, type Clause, type Fact, type Knowledge } from './knowledge.js';
import { loadLexicon } from './text/lexicon.js';
import { normalize } from './text/normalize.js';
import { forEachTerm, keywordSpans, pairs, segment, terms, type KeySpan } from './text/segment.js';

export type Intent =
  | 'fact' | 'schedule' | 'greeting' | 'help' | 'thanks'
  | 'out_of_scope' | 'unknown_entity' | 'empty' | 'too_long';

export interface Source { article: string; title: string }

export interface Answer {
  answered: boolean;
  intent: Intent;
  /** confidence, 0 … 1 */
  score: number;
  reply: string;
  sources: Source[];
  /** questions the bot can answer, offered with declines and greetings */
  suggestions: string[];
  /** the 民生在线 session a schedule answer is about */
  session?: Session;
}

/** A keyword of a question, with what matching it needs. */
interface PreparedKey extends KeySpan {
  weight: number;
  /** the documents holding the word, and each of its character pairs (looked up once per question) */
  postings: Postings | undefined;
  pairs: string[];
  pairPostings: Array<Postings | undefined>;
  /** corpus words over its characters, when the corpus does not have the word itself */
  alternatives: Alternative[];
  singleChar: boolean;
}

/** A corpus word over some characters of a question word. */
interface Alternative extends KeySpan { postings: Postings }

/** A question as the index sees it. */
interface Query {
  keys: PreparedKey[];
  norm: string;
  /** what BM25 looks up: keywords, their character pairs, other readings (their postings) */
  lookups: Array<Postings | undefined>;
  wantsNumber: boolean;
  wantsTime: boolean;
  /** the keys' total weight */
  total: number;
}

interface Ranked { fact: Fact; coverage: number; rank: number }

/** What a conversation remembers between questions, for follow-ups. Keep one per chat. */
export interface Conversation {
  keys?: string[];
  entities?: Entity[];
  intent?: Intent;
  /** when it was last used, ms since the epoch */
  at?: number;
}

export interface EngineOptions extends BuildOptions {
  corpusDir: string;
  /** lexicon folder; default: `<corpus>/lexicon`, else the project's `corpus/lexicon` */
  lexiconDir?: string;
  /** the clock, injectable for tests */
  now?: () => Date;
}

/** Questions longer than this are not read (a question is a sentence or two). */
export const MAX_QUESTION_CHARS = 500;
/** Below this share of the question found in one fact, the engine declines. */
export const MIN_COVERAGE = 0.6;
/** A question the classifier reads as a schedule (or out-of-scope) question is one unless a fact covers this much of it. */
const SCHEDULE_OVER_FACT = 0.9;
/** How much a question word found only in a fact's headline or section heading counts. */
const CONTEXT_CREDIT = 0.6;
/** Credit for a one-character word found only inside a longer one ("开" in "召开"). */
const SINGLE_CHAR_CREDIT = 0.7;
/** Rank bonus for the newest pages: enough to settle a tie between two pages saying the same, no more. */
const RECENCY_BONUS = 0.05;
/** Rank bonus for a fact holding what the question asks for (a number, a time). */
const ANSWER_TYPE_BONUS = 0.3;
/** Facts whose articles are offered as suggestions with a decline. */
const SUGGESTION_FACTS = 30;
/** Candidates (by BM25) whose coverage is worked out; the rest cannot win. */
const CANDIDATES = 40;
/** Follow-ups older than this start a new conversation. */
export const CONVERSATION_TTL_MS = 30 * 60_000;

const WANTS_NUMBER = /多少|几|多大|多长|多高|多远|多久|多重|比例|百分之|规模|增幅/;
const WANTS_TIME = /什么时候|何时|哪天|几号|几点|时间|日期|哪一天/;
const FOLLOW_UP = /^(那|那么|还有|另外|那个|再问|然后)|呢[??!!。.\s]*$/;
const MEANINGFUL = /[\p{L}\p{N}]/u;

/** Whether a text has a letter or digit of any script (a Chinese character or ASCII one decides it at once). */
function meaningful(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) return true;
  }
  return MEANINGFUL.test(text);
}

/** The project's own corpus folder. */
export const DEFAULT_CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../corpus');

export class Engine {
  private readonly now: () => Date;
  /** the same clock in ms since the epoch (no Date made per question unless a clock is injected) */
  private readonly nowMs: () => number;
  private readonly maxIdf: number;

  constructor(readonly knowledge: Knowledge, now?: () => Date) {
    this.now = now ?? (() => new Date());
    this.nowMs = now ? () => now().getTime() : Date.now;
    this.maxIdf = knowledge.index.idf('\u0000');
  }

  get warnings(): string[] { return this.knowledge.warnings; }

  /** The session of the newest preview in the corpus. */
  nextSession(): Session | undefined {
    return this.knowledge.sessions[this.knowledge.sessions.length - 1];
  }

  /** The reply to a schedule question, or a plain statement that no preview has been printed. */
  scheduleAnswer(): Answer {
    const session = this.nextSession();
    if (!session) {
      return {
        answered: false, intent: 'schedule', score: 0, sources: [], suggestions: this.suggestions([]),
        reply: declineReply('已收录的版面里还没有“民生在线”的下期预告。', this.suggestions([])),
      };
    }
    const page = this.knowledge.pages.find((p) => p.name === session.page);
    return {
      answered: true, intent: 'schedule', score: 1, session,
      reply: sessionReply(session, this.now(), page?.date),
      sources: [{ article: `${session.page}#preview`, title: '“民生在线”下期预告' }],
      suggestions: [],
    };
  }

  /**
   * Questions the bot can answer: the schedule, then articles related to the given keywords
   * (or the newest ones), each as its headline.
   */
  suggestions(keys: string[], count = 3): string[] {
    const out: string[] = [];
    if (this.nextSession()) out.push('下期民生在线什么时候?');
    const { facts, index } = this.knowledge;
    // articles of the facts nearest the question, then the newest articles
    const scores = keys.length ? index.search(terms(keys)) : { docs: [], values: [] };
    const near = topDocs(scores, SUGGESTION_FACTS).map((i) => facts[scores.docs[i]!]!.article);
    const seen = new Set<string>();
    for (const a of [...near, ...this.newest()]) {
      if (out.length >= count) break;
      if (!a.headline || seen.has(a.id)) continue;
      seen.add(a.id);
      out.push(`${a.headline.replace(/\s+/g, ',')}是怎么回事?`);
    }
    return out;
  }

  private recencyByDate?: Map<string, number>;

  /** 0 for the oldest page date in the corpus … 1 for the newest: newer news wins a tie. */
  private recency(article: Article): number {
    if (!this.recencyByDate) {
      const dates = [...new Set(this.knowledge.articles.map((a) => a.date ?? ''))].sort();
      this.recencyByDate = new Map(dates.map((d, i) => [d, dates.length > 1 ? i / (dates.length - 1) : 0]));
    }
    return this.recencyByDate.get(article.date ?? '') ?? 0;
  }

  private readonly sources = new Map<Article, string>();

  /** The source line of a fact's article (made once per article). */
  private source(fact: Fact): string {
    let line = this.sources.get(fact.article);
    if (line === undefined) this.sources.set(fact.article, (line = sourceLine(fact.article)));
    return line;
  }

  private newestArticles?: Article[];

  /** Articles, newest first (worked out once). */
  private newest(): Article[] {
    this.newestArticles ??= [...this.knowledge.articles].sort((a, b) => (b.date ?? '').localeCompare(a.date ?? ''));
    return this.newestArticles;
  }

  /** Answers one question; `conversation` carries context between the questions of one chat. */
  ask(question: string, conversation: Conversation = {}): Answer {
    return this.respond(question, conversation, {});
  }

  /** `ask`, also handing back (in `seen`) the query a fact answer was ranked for. */
  private respond(question: string, conversation: Conversation, seen: { query?: Query }): Answer {
    const text = typeof question === 'string' ? question : '';
    if (text.length > MAX_QUESTION_CHARS) {
      return this.decline('too_long', `问题太长了(${text.length}字)。请用一两句话提问,${MAX_QUESTION_CHARS}字以内。`, []);
    }
    const norm = normalize(text).trim();
    if (!meaningful(norm)) {
      return this.decline('empty', '请用文字提问,比如下面这些问题。', []);
    }

    const now = this.nowMs();
    if (conversation.at !== undefined && now - conversation.at > CONVERSATION_TTL_MS) {
      delete conversation.keys; delete conversation.entities; delete conversation.intent;
    }
    conversation.at = now;

    const { lexicon, classifier } = this.knowledge;
    const words = segment(norm);
    const spans = keywordSpans(words, lexicon);
    let query = this.prepare(spans, norm);
    let entities = findEntities(words, lexicon);
    const top = classifier.best(intentFeatures(words, lexicon, spans.map((k) => k.key)));

    const chatty = top === 'greeting' || top === 'help' || top === 'thanks';
    if (chatty && (query.keys.length === 0 || norm.length <= 8)) return this.chat(top as Intent);

    const ownRanking = this.rank(query);
    const own = ownRanking[0]?.coverage ?? 0;
    const followUp = conversation.keys !== undefined &&
      (FOLLOW_UP.test(norm) || (query.keys.length <= 1 && own < MIN_COVERAGE));
    // a question the articles answer word for word is about them, unless it asks for a time
    const aboutSchedule = top === 'schedule' && (own < SCHEDULE_OVER_FACT || WANTS_TIME.test(norm));
    if (aboutSchedule || (followUp && conversation.intent === 'schedule' && own < MIN_COVERAGE)) {
      conversation.intent = 'schedule';
      conversation.keys = query.keys.map((k) => k.key);
      conversation.entities = entities;
      return this.scheduleAnswer();
    }

    if (followUp && conversation.keys) {
      // the new question's entities replace the old ones of the same kind ("3年期" → "5年期")
      const replaced = new Set<EntityKind>(entities.map((e) => e.kind));
      const dropped = new Set((conversation.entities ?? []).filter((e) => replaced.has(e.kind)).flatMap((e) => [e.text, ...e.words]));
      const carried = conversation.keys.filter((k) => !dropped.has(k)).map((key) => ({ key, start: -1, end: -1 }));
      query = this.prepare([...carried, ...query.keys], norm);
      entities = [...(conversation.entities ?? []).filter((e) => !replaced.has(e.kind)), ...entities];
    }
    if (query.keys.length === 0) return this.decline('out_of_scope', '抱歉,我没看懂这个问题。', []);
    // the classifier knows small talk the articles do not cover; only a near-literal match overrules it
    if (top === 'out_of_scope' && !followUp && own < SCHEDULE_OVER_FACT) {
      return this.decline('out_of_scope', '抱歉,这个问题不在已收录的新闻报道范围内。', query.keys.map((k) => k.key), own);
    }

    seen.query = query;
    const answer = this.answerFact(query, entities, followUp ? undefined : ownRanking);
    if (answer.intent === 'fact' || answer.intent === 'unknown_entity') {
      conversation.keys = query.keys.map((k) => k.key);
      conversation.entities = entities;
      conversation.intent = 'fact';
    }
    return answer;
  }

  private chat(intent: Intent): Answer {
    const suggestions = this.suggestions([]);
    const n = this.knowledge.articles.length;
    const text = intent === 'thanks'
      ? '不客气!还有问题随时问我。'
      : intent === 'greeting'
        ? `你好!我是青岛新闻问答机器人,能根据已收录的${n}篇报道回答你的问题。`
        : `我根据报纸已刊登的${n}篇报道回答关于青岛民生新闻的问题,会告诉你答案出自哪篇报道;也能告诉你下期“民生在线”的时间和单位。`;
    return {
      answered: true, intent, score: 1, sources: [], suggestions,
      reply: intent === 'thanks' ? text : declineReply(text, suggestions),
    };
  }

  private decline(intent: Intent, reason: string, keys: string[], score = 0): Answer {
    const suggestions = this.suggestions(keys);
    return { answered: false, intent, score, reply: declineReply(reason, suggestions), sources: [], suggestions };
  }

  /** Weights and other readings of a question's keywords, worked out once per question. */
  private prepare(keySpans: KeySpan[], norm: string): Query {
    const { index } = this.knowledge;
    const keys: PreparedKey[] = [];
    for (const { key, start, end } of keySpans) {
      if (keys.some((k) => k.key === key)) continue;
      const ps = pairs(key);
      const postings = index.postingsOf(key);
      const known = postings !== undefined;
      const weight = !known && ps.length === 0 ? this.maxIdf : index.idfOf(postings);
      const code = key.charCodeAt(0);
      keys.push({
        key, start, end, weight, postings, pairs: ps, pairPostings: ps.length ? ps.map((p) => index.postingsOf(p)) : [],
        // a word the corpus does not have may be jieba's misreading: find corpus words over its characters
        alternatives: !known && start >= 0 ? this.alternativesAt(norm, start, end) : [],
        singleChar: key.length === 1 && code >= 0x3400 && code <= 0x9fff,
      });
    }
    const keyTexts: string[] = [];
    let total = 0;
    for (const k of keys) { keyTexts.push(k.key); total += k.weight; }
    const lookups: Array<Postings | undefined> = [];
    forEachTerm(keyTexts, (term, key, pair) => {
      lookups.push(key < 0 ? index.postingsOf(term) : pair < 0 ? keys[key]!.postings : keys[key]!.pairPostings[pair]);
    });
    for (const k of keys) for (const a of k.alternatives) lookups.push(a.postings);
    return { keys, norm, lookups, wantsNumber: WANTS_NUMBER.test(norm), wantsTime: WANTS_TIME.test(norm), total };
  }

  /** Corpus words of two to four Chinese characters that overlap [start, end) of the question. */
  private alternativesAt(norm: string, start: number, end: number): Alternative[] {
    const { index } = this.knowledge;
    const out: Alternative[] = [];
    for (let i = Math.max(0, start - 3); i < end; i++) {
      const first = norm.charCodeAt(i);
      if (first < 0x3400 || first > 0x9fff) continue;
      for (let len = 2; len <= 4 && i + len <= norm.length; len++) {
        if (i + len <= start) continue;
        const code = norm.charCodeAt(i + len - 1);
        if (code < 0x3400 || code > 0x9fff) break; // Chinese characters only
        if (i === start && len === end - start) continue;
        const word = norm.slice(i, i + len);
        const postings = index.postingsOf(word);
        if (postings) out.push({ key: word, start: i, end: i + len, postings });
      }
    }
    return out;
  }

  /**
   * How much of the question one fact covers, weighted by inverse document frequency; 0 … 1.
   * A keyword counts in full when the sentence has it, in part when the sentence has its character
   * pairs, or other readings of the same characters ("城/阳新/建" read as "城阳", "新建"), or (for a
   * one-character word) a word holding it; less when only the headline or section heading has it.
   */
  private coverage(query: Query, doc: number): number {
    let found = 0;
    for (const k of query.keys) {
      const tf = tfIn(k.postings, doc);
      if (tf >= 1) { found += k.weight; continue; }
      let credit = tf > 0 ? CONTEXT_CREDIT : 0; // only in the headline or section heading
      if (k.pairs.length && credit < 1) {
        let n = 0;
        for (const p of k.pairPostings) if (tfIn(p, doc) >= 1) n++;
        credit = Math.max(credit, n / k.pairs.length);
      }
      if (k.alternatives.length && credit < 1) {
        const covered = new Set<number>();
        for (const alt of k.alternatives) {
          if (tfIn(alt.postings, doc) < 1) continue;
          for (let i = Math.max(k.start, alt.start); i < Math.min(k.end, alt.end); i++) covered.add(i);
        }
        credit = Math.max(credit, covered.size / (k.end - k.start));
      }
      if (credit === 0 && k.singleChar && this.knowledge.facts[doc]!.text.includes(k.key)) credit = SINGLE_CHAR_CREDIT;
      found += k.weight * credit;
    }
    return query.total === 0 ? 0 : found / query.total;
  }

  /**
   * The facts best answering a question: BM25 picks the candidates, coverage orders them.
   * Ranks candidates, best first. Unless `all` is asked for, a candidate whose BM25 score leaves it
   * no chance against the best so far (coverage counts at most 2) is not worked out.
   */
  private rank(query: Query, all = false): Ranked[] {
    const { index, facts } = this.knowledge;
    if (query.keys.length === 0) return [];
    const scores = index.searchPostings(query.lookups);
    if (scores.docs.length === 0) return [];
    const candidates = new BestFirst(scores.values);
    let i = candidates.next();
    const top = scores.values[i]!;
    const bonus = (query.wantsNumber ? ANSWER_TYPE_BONUS : 0) + (query.wantsTime ? ANSWER_TYPE_BONUS : 0) + RECENCY_BONUS;
    const out: Ranked[] = [];
    let best = -Infinity;
    for (let n = 0; n < CANDIDATES && i >= 0; n++, i = candidates.next()) {
      const doc = scores.docs[i]!;
      const relevance = scores.values[i]! / top;
      if (!all && 2 + relevance + bonus <= best) break;
      const fact = facts[doc]!;
      const coverage = this.coverage(query, doc);
      let rank = 2 * coverage + relevance;
      if (query.wantsNumber && fact.hasNumber) rank += ANSWER_TYPE_BONUS;
      if (query.wantsTime && fact.hasTime) rank += ANSWER_TYPE_BONUS;
      if (fact.isTitle) rank -= 0.15;
      rank += RECENCY_BONUS * this.recency(fact.article);
      if (rank > best) best = rank;
      // kept in order, best first (equal ranks in BM25 order): a few dozen at most
      let at = out.length;
      while (at > 0 && out[at - 1]!.rank < rank) at--;
      out.splice(at, 0, { fact, coverage, rank });
    }
    return out;
  }

  /** Entities of the question the corpus never mentions. */
  private unknownEntities(entities: Entity[]): Entity[] {
    const { index, previewTerms } = this.knowledge;
    const mentioned = (w: string) => index.df(w) > 0 || previewTerms.has(w);
    return entities.filter((e) => !mentioned(e.text) && !e.words.every(mentioned));
  }

  /** Answers from the facts; `ranked` is the question's own ranking when nothing was left out of it. */
  private answerFact(query: Query, entities: Entity[], ranked?: Ranked[]): Answer {
    const unknown = entities.length ? this.unknownEntities(entities) : entities;
    let known = query;
    if (unknown.length) {
      // rank without the unknown entities, so that "崂山区 家庭医生" still finds what is said of 家庭医生
      const unknownTexts = new Set(unknown.flatMap((e) => [e.text, ...e.words]));
      known = this.prepare(query.keys.filter((k) => !unknownTexts.has(k.key)), query.norm);
    }
    const best = (unknown.length || !ranked ? this.rank(known) : ranked)[0];
    const knownKeys = known.keys.map((k) => k.key);
    const score = best ? best.coverage : 0;

    if (!best || score < MIN_COVERAGE) {
      const reason = unknown.length
        ? `抱歉,已收录的报道里没有关于“${unknown.map((e) => e.text).join('、')}”的内容。`
        : '抱歉,已收录的报道里找不到这个问题的答案。';
      return this.decline(unknown.length ? 'unknown_entity' : 'out_of_scope', reason, knownKeys, score);
    }

    const fact = best.fact;
    if (unknown.length) {
      const body = this.factText(fact, known);
      const source = { article: fact.article.id, title: fact.article.headline };
      const profile = this.knowledge.articleEntities.get(fact.article.id);
      const notes = unknown.map((e) => {
        const theirs = e.kind === 'term'
          ? [...new Set(fact.text.normalize('NFKC').match(/\d+年期/g) ?? profile?.term ?? [])]
          : (profile?.[e.kind] ?? []).slice(0, 1);
        return theirs.length
          ? `报道里没有“${e.text}”的信息,下面说的是${theirs.join('、')}的情况,供参考:`
          : `报道里没有“${e.text}”的信息,下面是最接近的内容,供参考:`;
      });
      return {
        answered: false, intent: 'unknown_entity', score, sources: [source], suggestions: this.suggestions(knownKeys),
        reply: [...new Set(notes), body, this.source(fact)].join('\n'),
      };
    }
    return this.factAnswer(fact, score, known);
  }

  private factAnswer(fact: Fact, score: number, query: Query): Answer {
    return {
      answered: true, intent: 'fact', score, suggestions: [],
      sources: [{ article: fact.article.id, title: fact.article.headline }],
      reply: `${this.factText(fact, query)}\n${this.source(fact)}`,
    };
  }

  /**
   * Several answers to one question, best first, for lists such as inline results: the facts that
   * answer it well enough, or the one answer `ask` gives when it is not a question of fact.
   */
  answers(question: string, limit = 5): Answer[] {
    const seen: { query?: Query } = {};
    const first = this.respond(question, {}, seen);
    if (first.intent !== 'fact' || !seen.query) return [first];
    const query = seen.query;
    return this.rank(query, true)
      .filter((r) => r.coverage >= MIN_COVERAGE)
      .slice(0, limit)
      .map((r) => this.factAnswer(r.fact, r.coverage, query));
  }

  /** Every question `suggestions` can offer, so that a button can name one by a short id. */
  suggestionCatalog(): string[] {
    return this.suggestions([], this.knowledge.articles.length + 1);
  }

  /** The text that answers: the snippet of a sentence, or for a headline the article's lead. */
  private factText(fact: Fact, query: Query): string {
    if (fact.isTitle) {
      const lead = this.knowledge.facts.find((f) => f.article === fact.article && !f.isTitle);
      const title = [...fact.article.kickers, fact.article.headline].join('——');
      return lead ? `${title}\n${snippet(clausesOf(lead), () => 1)}` : title;
    }
    const score = (c: Clause) => {
      let s = 0;
      for (const k of query.keys) if (c.keys.includes(k.key)) s += k.weight;
      if (query.wantsNumber && c.hasNumber) s += 1;
      if (query.wantsTime && c.hasTime) s += 1;
      return s;
    };
    return snippet(clausesOf(fact), score, fact.text);
  }
}

/**
 * Scored documents handed out best first (equal scores in the order the search found them), without
 * sorting them all: one scan finds the best few (a question usually needs one or two); should more be
 * asked for, the rest go into a binary heap, built in linear time.
 */
class BestFirst {
  /** the best FIRST_PICKS positions, best first */
  private readonly first: number[] = [];
  private taken = 0;
  private heap?: number[];
  private size = 0;

  constructor(private readonly values: number[]) {
    const first = this.first;
    for (let i = 0; i < values.length; i++) {
      const full = first.length === FIRST_PICKS;
      if (full && !this.before(i, first[FIRST_PICKS - 1]!)) continue;
      let at = full ? FIRST_PICKS - 1 : first.length;
      while (at > 0 && this.before(i, first[at - 1]!)) { first[at] = first[at - 1]!; at--; }
      first[at] = i;
    }
  }

  /** The position of the best document not yet handed out, or -1 when none is left. */
  next(): number {
    if (this.taken < this.first.length) return this.first[this.taken++]!;
    if (this.first.length < FIRST_PICKS) return -1; // the scan found them all
    if (!this.heap) {
      const last = this.first[FIRST_PICKS - 1]!;
      this.heap = [];
      for (let i = 0; i < this.values.length; i++) if (this.before(last, i)) this.heap.push(i);
      this.size = this.heap.length;
      for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
    }
    if (this.size === 0) return -1;
    const best = this.heap[0]!;
    this.heap[0] = this.heap[--this.size]!;
    this.down(0);
    return best;
  }

  /** Whether position a comes before position b: a higher score, or the same found earlier. */
  private before(a: number, b: number): boolean {
    const va = this.values[a]!;
    const vb = this.values[b]!;
    return va > vb || (va === vb && a < b);
  }

  private down(from: number): void {
    const heap = this.heap!;
    const size = this.size;
    let i = from;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) return;
      const right = left + 1;
      const child = right < size && this.before(heap[right]!, heap[left]!) ? right : left;
      if (!this.before(heap[child]!, heap[i]!)) return;
      const t = heap[i]!; heap[i] = heap[child]!; heap[child] = t;
      i = child;
    }
  }
}

/** How many of the best documents `BestFirst` finds in its first scan. */
const FIRST_PICKS = 4;

/** The positions in `scores` of the `k` best documents, best first. */
export function topDocs(scores: Scores, k: number): number[] {
  const best = new BestFirst(scores.values);
  const out: number[] = [];
  for (let i = best.next(); i >= 0 && out.length < k; i = best.next()) out.push(i);
  return out;
}

/** The lexicon folder for a corpus: its own `lexicon/`, else the project's. */
export function lexiconDirFor(corpusDir: string): string {
  const own = join(corpusDir, 'lexicon');
  return existsSync(own) ? own : join(DEFAULT_CORPUS_DIR, 'lexicon');
}

/** Builds an engine from a corpus folder. Throws only when the folder cannot be read. */
export function createEngine(options: EngineOptions): Engine {
  const lexicon = loadLexicon(options.lexiconDir ?? lexiconDirFor(options.corpusDir));
  const year = (options.now?.() ?? new Date()).getFullYear();
  const knowledge = buildKnowledge(options.corpusDir, lexicon, { fallbackYear: year, ...options });
  return new Engine(knowledge, options.now);
}
