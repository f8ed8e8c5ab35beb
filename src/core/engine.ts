/**
 * The answer engine. One question in, one answer out, in named stages:
 *
 *  1. analyse    what is asked: words that only ask taken out, the kind of answer wanted,
 *                entities, homophones repaired                                  question.ts
 *  2. intent     greeting / help / thanks / schedule / small talk / a question of fact
 *                (natural's Bayes classifier)                                   models/
 *  3. retrieve   candidate facts from words, character pairs and whole articles,
 *                each with its features                                         retrieve.ts
 *  4. remember   a follow-up borrows the conversation's topic, a new entity
 *                replacing the old one                                          conversation.ts
 *  5. decide     two trained models (natural's Bayes classifier) say which
 *                candidate answers, and whether well enough                     decide.ts
 *  6. compose    the sentence or clauses that answer, the answering span, the
 *                source; or an honest partial answer, or a decline             compose.ts
 *
 * The engine knows nothing of Telegram: the bot, the shell and the tests all call `ask`.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { shanghaiParts } from './corpus/shanghai-time.js';
import { DEFAULT_CORPUS_DIR } from './paths.js';
import type { Session } from './corpus/types.js';
import {
  answerSpan,
  articleName,
  chineseDate,
  declineReply,
  newestFirst,
  sessionReply,
  snippet,
  SNIPPET_CHARS,
  sourceLine,
} from './compose.js';
import { carry, expire, remember, type Conversation } from './conversation.js';
import { candidateTokens, decide, decisionTokens, oddsOfYes, probabilityOfYes, ranked, type Decision, type Ranked } from './decide.js';
import { buildKnowledge, knows, type Fact, type Knowledge } from './knowledge.js';
import { Models, type Job } from './models/models.js';
import { DEFAULT_OPTIONS, type EngineOptions, type Tuning } from './options.js';
import type { Entity } from './entities.js';
import { analyse, type Question } from './question.js';
import { readRates, type Rate } from './products.js';
import { answerRates, rateTable, readRateQuestion, type RateAnswer } from './rates.js';
import { retrieve, type Candidate } from './retrieve.js';
import { best } from './search/bm25.js';
import { loadLexicon } from './text/lexicon.js';
import { bigrams, keywords, segment } from './text/segment.js';
import { normalize } from './text/normalize.js';
import { literal } from './text/pattern.js';

export type { Conversation } from './conversation.js';
export type { EngineOptions } from './options.js';

export type Intent =
  | 'fact'
  | 'schedule'
  | 'greeting'
  | 'help'
  | 'thanks'
  | 'out_of_scope'
  | 'unknown_entity'
  | 'partial'
  | 'rates'
  | 'empty'
  | 'too_long';

export interface Source {
  article: string;
  title: string;
}

export interface Answer {
  answered: boolean;
  intent: Intent;
  /** confidence, 0 … 1 */
  score: number;
  reply: string;
  /** the part of the reply that answers (a rate, a date, a count), to be shown in bold */
  highlight?: string;
  sources: Source[];
  /** questions the bot can answer, offered with declines and greetings */
  suggestions: string[];
  /** the 民生在线 session a schedule answer is about */
  session?: Session;
}

/** Questions longer than this are not read (a question is a sentence or two). */
export const MAX_QUESTION_CHARS = 500;

const MEANINGFUL = /[\p{L}\p{N}]/u;
/** A question the classifier reads as a schedule question is one unless a fact covers this much of it (and it does not ask when). */
const SCHEDULE_OVER_FACT = 0.9;
/** Schedule questions the preview block does not answer: it prints only a time and a unit. */
const SCHEDULE_DETAIL =
  /主题|话题|内容|聊什么|谈什么|讲什么|在哪(里|儿)?(看|收看|观看|参加)|怎么(看|参加|收看|观看)|哪个(平台|网站|频道)|链接|网址|直播间|嘉宾是谁|谁(来|参加)/;

/** A question that asks for a preview ("建行那一期之后是哪个单位的预告") or names the sessions at all. */
const PREVIEW_ASKED = /下期|下一期|预告/;
/** A question which story a reporter wrote ("丁某写的是哪篇报道"): its headline answers, not its byline. */
const WHICH_STORY =
  /哪篇|哪一篇|哪条新闻|哪个报道|什么报道|啥报道|哪些报道|什么新闻|啥新闻|什么稿子|哪篇稿子|(?:报道|写)(?:的是|了)(?:什么|啥)/;
const SESSION_WORDS = /民生在线|网谈|访谈|做客|下期|下一期|预告|那期|这期/;

/** An entity as the resident typed it, where normalising kept the question's length ("二季度", not "2季度"). */
function typedAs(question: Question, e: Entity): string {
  return question.text.trim().length === question.norm.length ? question.text.trim().slice(e.start, e.end) : e.text;
}

/** A session's day as a question writes it: "3月30". */
function monthDay(session: Session): string {
  const p = shanghaiParts(new Date(session.start));
  return `${p.month}月${p.day}`;
}

/** Descriptions shaped like names: "区属医院", "三甲医院", "各银行". */
const GENERIC_NAME = /^(区属|市属|省属|三甲|二甲|各|全|本|该|这|那|大型|公立|民营|社区|定点|相关|有关|其他)/;

/**
 * Whether a page prints a name with a word of one or two characters inside it that the question
 * leaves out ("青岛分行" printed 青岛市分行, "海港医院" printed 海港人民医院): a fact holds its
 * characters in order, at most two apart. Only the facts holding the name's rarest character pair
 * are read, and only when that pair is rare.
 */
function printedApart(name: string, knowledge: Knowledge): boolean {
  if (name.length < 4) return false;
  const pairs = bigrams(name).filter((b) => knowledge.chars.df(b) > 0);
  if (pairs.length === 0) return false;
  const rarest = pairs.reduce((a, b) => (knowledge.chars.df(b) < knowledge.chars.df(a) ? b : a));
  if (knowledge.chars.df(rarest) > RARE_PAIR) return false;
  const pattern = new RegExp([...name].map(literal).join('[\\u4e00-\\u9fff]{0,2}'));
  for (const doc of knowledge.chars.search([rarest]).docs) if (pattern.test(knowledge.facts[doc]!.norm)) return true;
  return false;
}
/** A character pair in at most this many facts is rare enough to read them all. */
const RARE_PAIR = 200;

/** Whether two names share most of their characters ("工行青岛分行", "工行青岛市分行"). */
function similarNames(a: string, b: string): boolean {
  const as = new Set(a);
  let shared = 0;
  for (const ch of new Set(b)) if (as.has(ch)) shared++;
  return shared / Math.max(as.size, new Set(b).size) >= 0.75;
}

/** Facts, evenly spread over the corpus, that teach the intent classifier what a question of fact looks like. */
const INTENT_FACT_SAMPLES = 150;

/** The project's own corpus folder. */

export class Engine {
  private readonly now: () => Date;
  private readonly tuning: Tuning;
  private readonly models: Models;
  private readonly intentKey: string;
  /** the words of the lexicon's examples of greetings, thanks and asking for help */
  private readonly chatWords: Set<string>;
  /** every deposit rate the pages print (products.ts) */
  readonly rates: Rate[];

  /**
   * per session: its unit normalised and as keywords, its day as a question writes it, when it
   * ends, and the organisations of the page that previews it (the guests of the session before)
   */
  private readonly sessionInfo: Array<{
    session: Session;
    unit: string;
    unitKeys: string[];
    day: string;
    ends: number;
    guests: Set<string>;
  }>;

  constructor(
    readonly knowledge: Knowledge,
    options: Partial<EngineOptions> = {},
  ) {
    this.sessionInfo = knowledge.sessions.map((session) => {
      const unit = normalize(session.unit);
      const ends = new Date(session.end ?? session.start).getTime() + (session.end ? 0 : 2 * 3600_000);
      const page = session.page.replace(/:\d+$/, '');
      const guests = new Set(knowledge.entries.filter((e) => e.article.page === page).flatMap((e) => e.entities.org));
      return {
        session,
        unit,
        unitKeys: keywords(segment(unit), knowledge.lexicon).map((k) => k.key),
        day: monthDay(session),
        ends,
        guests,
      };
    });
    this.now = options.now ?? (() => new Date());
    this.tuning = { ...DEFAULT_OPTIONS, ...options.tuning };
    this.models = Models.for(options.answerModel);
    const examples = intentExamples(knowledge);
    this.intentKey = this.models.teachIntents(examples);
    this.chatWords = new Set(examples.filter(({ label }) => CHAT.has(label)).flatMap(({ tokens }) => tokens));
    this.rates = readRates(knowledge);
  }

  get warnings(): string[] {
    return this.knowledge.warnings;
  }

  /** Waits until the models are ready; rejects with the reason when they cannot be loaded. */
  ready(): Promise<void> {
    return this.models.whenReady();
  }

  /** Frees what this engine taught the models thread (after a newer engine replaced it). */
  close(): void {
    this.models.forgetIntents(this.intentKey);
  }

  /** The next 民生在线 session from now (one under way counts), else the last one announced. */
  nextSession(): Session | undefined {
    const now = this.now().getTime();
    return (this.sessionInfo.find((s) => s.ends >= now) ?? this.sessionInfo[this.sessionInfo.length - 1])?.session;
  }

  /**
   * The session a question is about: the one whose unit or date it names, else the one the
   * conversation was last about ("那期几点" after a question on one preview), else the next one.
   */
  private sessionFor(question: Question, conversation: Conversation): Session | undefined {
    const previewed = this.previewAfter(question);
    if (previewed) return previewed;
    const keys = new Set(question.keys.map((k) => k.key));
    const named = this.sessionInfo.filter(
      (s) => s.unitKeys.some((u) => keys.has(u) && u.length > 1 && !/^(市|区|局)$/.test(u)) || question.norm.includes(s.day),
    );
    if (named.length === 1) return named[0]!.session;
    const before = named.length === 0 ? this.sessionInfo.find((s) => s.session.start === conversation.session) : undefined;
    return before?.session ?? this.nextSession();
  }

  /** The reply to a schedule question, or a plain statement that no preview has been printed. */
  scheduleAnswer(session = this.nextSession()): Answer {
    if (!session) {
      const suggestions = this.suggestions([]);
      return {
        answered: false,
        intent: 'schedule',
        score: 0,
        sources: [],
        suggestions,
        reply: declineReply('已收录的版面里还没有“民生在线”的下期预告。', suggestions),
      };
    }
    const page = this.knowledge.pages.find((p) => p.name === session.page);
    return {
      answered: true,
      intent: 'schedule',
      score: 1,
      session,
      reply: sessionReply(session, this.now(), page?.date),
      sources: [{ article: `${session.page}#preview`, title: '“民生在线”下期预告' }],
      suggestions: [],
    };
  }

  /**
   * Asked for the preview after a session named by its guest ("建行那一期之后是哪个单位的预告"): the session
   * previewed on the one page that names that organisation.
   */
  private previewAfter(question: Question): Session | undefined {
    if (!PREVIEW_ASKED.test(question.norm)) return undefined;
    const orgs = question.entities.filter((e) => e.kind === 'org').map((e) => e.text);
    const pages = this.sessionInfo.filter((s) => orgs.some((o) => s.guests.has(o)));
    return pages.length === 1 ? pages[0]!.session : undefined;
  }

  /** Questions the bot can answer: the schedule, then the articles nearest the given words, or the newest. */
  suggestions(keys: string[], count = 3): string[] {
    const out: string[] = [];
    if (this.nextSession()) out.push('下期民生在线什么时候?');
    const { entries, articleWords } = this.knowledge;
    const near = keys.length ? best(articleWords.search(keys), count + 2).map((x) => entries[x.doc]!.article) : [];
    const seen = new Set<string>();
    for (const a of [...near, ...this.newest()]) {
      if (out.length >= count) break;
      if (!a.headline || seen.has(a.id)) continue;
      seen.add(a.id);
      out.push(`${a.headline.replace(/\s+/g, ',')}是怎么回事?`);
    }
    return out;
  }

  /** Every question `suggestions` can offer, so that a button can name one by a short id. */
  suggestionCatalog(): string[] {
    return this.suggestions([], this.knowledge.articles.length + 1);
  }

  private newestArticles?: Knowledge['articles'];

  private newest(): Knowledge['articles'] {
    return (this.newestArticles ??= newestFirst(this.knowledge.articles));
  }

  /** Answers one question; `conversation` carries context between the questions of one chat. */
  async ask(question: string, conversation: Conversation = {}): Promise<Answer> {
    return (await this.respond(question, conversation)).answer;
  }

  /** Several answers to one question, best first, for lists such as inline results. */
  async answers(question: string, limit = 5): Promise<Answer[]> {
    const { answer, reading } = await this.respond(question, {});
    if (answer.intent !== 'fact' || !reading) return [answer];
    // the answer, then the other facts the ranker rates nearly as well
    const best = reading.list[0]!.odds;
    return reading.list
      .filter((r, i) => i === 0 || (!r.candidate.features.entityClash && r.odds >= best - this.tuning.inlineSpread))
      .slice(0, limit)
      .map((r, i) => this.factAnswer(r.candidate, i === 0 ? answer.score : 0, reading.question));
  }

  private async respond(text: string, conversation: Conversation): Promise<{ answer: Answer; reading?: Reading }> {
    // 0. what cannot be a question
    const raw = typeof text === 'string' ? text : '';
    if (raw.length > MAX_QUESTION_CHARS) {
      return { answer: this.decline('too_long', `问题太长了(${raw.length}字)。请用一两句话提问,${MAX_QUESTION_CHARS}字以内。`, []) };
    }
    if (!MEANINGFUL.test(normalize(raw))) return { answer: this.decline('empty', '请用文字提问,比如下面这些问题。', []) };
    expire(conversation, this.now().getTime(), this.tuning.conversationTtlMs);

    // 1–3. analyse, intent, retrieve and rank
    const question = analyse(raw, this.knowledge, this.tuning);
    const ranking = await this.rank(question, true);
    const intent = ranking.intent;

    // (a short question with a word of the pages besides those is about the pages: "安全阀的功能是?")
    if (
      CHAT.has(intent) &&
      (question.keys.length === 0 || question.norm.length <= 8) &&
      !question.keys.some((k) => !this.chatWords.has(k.key) && knows(this.knowledge, k.key))
    ) {
      return { answer: this.chat(intent) };
    }
    // a question about deposit rates is answered from the table of rates the pages print
    const rateQuery = readRateQuestion(question, this.rates, conversation.rates);
    if (rateQuery) {
      const a = answerRates(rateQuery, this.rates, this.now());
      conversation.intent = 'rates';
      conversation.topic = {
        keys: question.keys.map((k) => k.key),
        entities: question.entities,
        types: question.types,
        measure: question.measure,
      };
      conversation.rates = {
        banks: rateQuery.banks,
        product: rateQuery.product,
        years: rateQuery.years,
        kind: rateQuery.kind,
        amount: rateQuery.amount,
      };
      return { answer: this.rateAnswer(a, question) };
    }

    const alone = await this.decideOn(ranking);
    const answersAlone = alone.decision.kind === 'answer';
    const named = question.entities.filter((e) => e.kind === 'org' || e.kind === 'place');
    const aUnit = (e: Entity) => this.sessionInfo.some((s) => s.unit.includes(e.text));
    const sessionDay = this.sessionInfo.some((s) => question.norm.includes(s.day));
    const previewed = this.previewAfter(question) !== undefined;
    const aboutSession = previewed || (named.length > 0 && named.every(aUnit)) || (sessionDay && SESSION_WORDS.test(question.norm));
    const aboutOthers = !previewed && named.some((e) => !aUnit(e));
    // a schedule question is one unless it names someone no session is with, or a fact answers it
    // word for word without its asking when
    const literal =
      answersAlone && alone.decision.best!.features.wordCoverContext >= SCHEDULE_OVER_FACT && !question.types.includes('time');
    const asksSchedule =
      (intent === 'schedule' && !aboutOthers && !literal) || (aboutSession && (question.types.includes('time') || previewed));
    // a question that does not name the sessions and that the topic before answers ("有几支队参加"
    // after a question on a football match) follows that topic, whatever the classifier reads in it
    const followsFact =
      asksSchedule && !previewed && conversation.intent === 'fact' && !SESSION_WORDS.test(question.norm)
        ? await this.answeredWithTopic(question, conversation)
        : undefined;
    if (
      (asksSchedule && !followsFact) ||
      (conversation.intent === 'schedule' && !answersAlone && (question.marked || question.keys.length <= 1))
    ) {
      const session = this.sessionFor(question, conversation);
      remember(conversation, question, 'schedule');
      conversation.session = session?.start;
      return { answer: SCHEDULE_DETAIL.test(question.norm) ? this.scheduleDetail(session) : this.scheduleAnswer(session) };
    }

    // 4. remember: a question weak alone may be a follow-up of the one before
    let reading = followsFact ?? alone;
    const carried = followsFact ? undefined : carry(conversation, question, this.knowledge, this.tuning);
    // a question with words the pages never use starts a topic of its own ("比特币多少钱"), unless it
    // says it follows on; one whose words they know (a verb of one character aside: "改了几个") is
    // read with the topic when it is short or weak
    const known = question.keys.every((k) => k.key.length < 2 || knows(this.knowledge, k.key));
    const short = question.keys.length <= this.tuning.shortQuestionKeys;
    if (carried && (question.marked || question.refersBack || (known && (short || !answersAlone)))) {
      const withTopic = await this.read(carried, false);
      // a short or marked question stays with the topic when that reading answers nearly as surely
      const margin = question.marked || question.refersBack || short ? this.tuning.topicPreference : 0;
      // one that says nothing but a name in place of the topic's ("城阳呢") asks the topic's question
      // of it, whatever a fact that merely names it scores alone
      const onlyNames =
        question.marked &&
        question.entities.length > 0 &&
        question.keys.every((k) => question.entities.some((e) => e.start <= k.start && k.end <= e.end));
      const better =
        onlyNames ||
        (withTopic.decision.kind === 'answer'
          ? !answersAlone || withTopic.decision.confidence + margin >= alone.decision.confidence
          : !answersAlone && withTopic.decision.confidence > alone.decision.confidence);
      if (better) reading = withTopic;
    }
    if (intent === 'out_of_scope' && reading.decision.kind !== 'answer') {
      return {
        answer: this.decline(
          'out_of_scope',
          '抱歉,这个问题不在已收录的新闻报道范围内。',
          question.keys.map((k) => k.key),
          reading.decision.confidence,
        ),
      };
    }

    // 5–6. decide and compose
    const answer = this.compose(reading.question, reading.decision, reading.nearest);
    if (answer.intent === 'fact' || answer.intent === 'partial' || answer.intent === 'unknown_entity')
      remember(conversation, reading.question, 'fact');
    return { answer, reading };
  }

  /** The question read with the conversation's topic, when that reading answers it. */
  private async answeredWithTopic(question: Question, conversation: Conversation): Promise<Reading | undefined> {
    const carried = carry(conversation, question, this.knowledge, this.tuning);
    const reading = carried && (await this.read(carried, false));
    return reading && reading.decision.kind === 'answer' ? reading : undefined;
  }

  /** A question's candidates ranked, the decision on the best, and (when asked for) its intent. */
  private async read(question: Question, withIntent: boolean): Promise<Reading> {
    return this.decideOn(await this.rank(question, withIntent));
  }

  /** A question's candidates ranked by the ranker and (when asked for) its intent: one trip to the models. */
  private async rank(question: Question, withIntent: boolean): Promise<Ranking> {
    const candidates = retrieve(question, this.knowledge, this.tuning);
    const jobs: Job[] = [{ model: 'ranker', observations: candidates.map((c) => candidateTokens(c.features)) }];
    if (withIntent) jobs.push({ model: Models.intents(this.intentKey), observations: [intentTokens(question)] });
    const [ranks, intents] = await this.models.classify(jobs);
    const list = ranked(candidates, ranks!.map(oddsOfYes), this.tuning);
    const intent = (intents?.[0]?.[0]?.label ?? 'fact') as Intent;
    return { question, list, intent };
  }

  /** The decider's verdict on a ranking (a second trip to the models, when there is a candidate). */
  private async decideOn({ question, list, intent }: Ranking): Promise<Reading> {
    let confidence = 0;
    if (list[0]) {
      const [verdicts] = await this.models.classify([{ model: 'decider', observations: [decisionTokens(list)] }]);
      confidence = probabilityOfYes(verdicts![0]!);
    }
    // the fact the ranker rates best, whatever it is about: what a decline can offer as the nearest
    const nearest = list.reduce<Ranked | undefined>((a, b) => (!a || b.odds > a.odds ? b : a), undefined);
    // asked whether there is something the pages never mention ("有没有直达机场的班车"), they can say
    // neither yes nor no: no fact on the topic answers it
    if (question.types.includes('yesno') && this.asksOfUnknown(question))
      return { question, list, decision: { kind: 'decline', best: list[0]?.candidate, confidence }, intent, nearest };
    return {
      question,
      list,
      decision: decide(list[0]?.candidate, confidence, this.tuning, question),
      intent,
      nearest,
    };
  }

  /**
   * Whether a word of the clause that asks is one the pages never use (nor a preview's unit, nor a
   * word that asks for a detail, "开门" of "开不开门": whether a fact gives it is checked apart).
   */
  private asksOfUnknown(question: Question): boolean {
    const { details } = this.knowledge.lexicon;
    return question.keys.some(
      (k, i) =>
        question.weights[i] === 1 &&
        k.key.length > 1 &&
        !k.run &&
        !knows(this.knowledge, k.key) &&
        !this.knowledge.previewTerms.has(k.key) &&
        !details.some((d) => d.asked.includes(k.key)),
    );
  }

  private compose(question: Question, decision: Decision, nearest: Ranked | undefined): Answer {
    const keys = question.keys.map((k) => k.key);
    const unknown = this.unknownEntities(question);
    if (unknown.length) return this.unknownEntity(question, unknown, nearest);
    if (decision.kind === 'answer') return this.factAnswer(decision.best, decision.confidence, question);
    if (decision.kind === 'partial') {
      const fact = decision.best.fact;
      const missing = decision.best.features.detailMissing
        ? '这一点'
        : question.types.includes('time')
          ? '具体时间'
          : question.types.includes('number')
            ? '具体数字'
            : question.types.includes('person')
              ? '具体是谁'
              : '这一点';
      return {
        answered: false,
        intent: 'partial',
        score: decision.confidence,
        suggestions: [],
        sources: [{ article: fact.article.id, title: articleName(fact.article) }],
        reply: `报道里没有写明${missing}。相关的内容是:\n${snippet(fact, question)}\n${sourceLine(fact.article)}`,
      };
    }
    return this.decline('out_of_scope', '抱歉,已收录的报道里找不到这个问题的答案。', keys, decision.confidence);
  }

  /**
   * Entities of the question that no page mentions: a district, bank, term or period. A name the
   * pages print a little differently ("工行青岛分行" for 工行青岛市分行) is not unknown, nor is a
   * description ("区属医院").
   */
  private unknownEntities(question: Question): Array<{ text: string; typed: string; kind: Entity['kind'] }> {
    const { words, previewTerms, entries, entityNames } = this.knowledge;
    return question.entities
      .filter((e) => words.df(e.text) === 0 && !previewTerms.has(e.text) && !entries.some((x) => x.entities[e.kind].includes(e.text)))
      .filter(
        (e) =>
          e.kind === 'term' ||
          e.kind === 'period' ||
          (!GENERIC_NAME.test(e.text) &&
            ![...entityNames.keys()].some((k) => similarNames(k, e.text)) &&
            !printedApart(e.text, this.knowledge)),
      )
      .map((e) => ({ text: e.text, kind: e.kind, typed: typedAs(question, e) }));
  }

  /** A decline naming what the pages do not cover, with the nearest fact about something else, as such. */
  private unknownEntity(
    question: Question,
    unknown: Array<{ text: string; typed: string; kind: Entity['kind'] }>,
    nearest: Ranked | undefined,
  ): Answer {
    const suggestions = this.suggestions(question.keys.map((k) => k.key));
    const best = nearest?.candidate;
    // the nearest fact is worth showing when it holds the rest of the question
    const rest = question.keys.filter((k) => !unknown.some((e) => e.text.includes(k.key) || k.key.includes(e.text)));
    const holds = (k: { key: string }) =>
      best!.fact.keys.includes(k.key) || best!.fact.context.keys.has(k.key) || best!.fact.norm.includes(k.key);
    if (!best || rest.length === 0 || rest.filter(holds).length / rest.length < this.tuning.partialCover) {
      return this.decline(
        'unknown_entity',
        `抱歉,已收录的报道里没有关于“${unknown.map((e) => e.typed).join('、')}”的内容。`,
        question.keys.map((k) => k.key),
      );
    }
    const fact = best.fact;
    const theirs = unknown.map((e) => {
      const own =
        e.kind === 'term'
          ? [...new Set(fact.text.normalize('NFKC').match(/\d+年期/g) ?? [])]
          : e.kind === 'period'
            ? [...new Set(fact.text.match(/[一二三四1-4]季度|(?:19|20)\d{2}年/g) ?? [])]
            : fact.entry.entities[e.kind].slice(0, 1);
      return own.length
        ? `报道里没有“${e.typed}”的信息,下面说的是${own.join('、')}的情况,供参考:`
        : `报道里没有“${e.typed}”的信息,下面是最接近的内容,供参考:`;
    });
    return {
      answered: false,
      intent: 'unknown_entity',
      score: 0,
      suggestions,
      sources: [{ article: fact.article.id, title: articleName(fact.article) }],
      reply: [...new Set(theirs), snippet(fact, question), sourceLine(fact.article)].join('\n'),
    };
  }

  /** The reply with a candidate fact: what of it answers (with the sentence before, when it refers back to it), and its source. */
  private factAnswer({ fact, antecedent }: Candidate, score: number, question: Question): Answer {
    let body = antecedent
      ? `${snippet(antecedent, question)}${snippet(fact, question)}`
      : fact.kind === 'title'
        ? this.titleText(fact)
        : fact.kind === 'byline' && WHICH_STORY.test(question.norm)
          ? this.titleText(fact.entry.facts.find((f) => f.kind === 'title') ?? fact)
          : fact.kind === 'heading'
            ? this.headingText(fact)
            : fact.kind === 'caption'
              ? `图片说明:${fact.text}`
              : snippet(fact, question);
    // asked when (not at what hour), of a sentence that names no year: the day the page reported it
    // is part of the answer
    const date = fact.article.date;
    if (question.types.includes('time') && question.time !== 'clock' && date && !/(?:19|20)\d{2}年/.test(body.normalize('NFKC')))
      body += `\n(${chineseDate(date)}的报道)`;
    return {
      answered: true,
      intent: 'fact',
      score,
      suggestions: [],
      highlight: answerSpan(body, question),
      sources: [{ article: fact.article.id, title: articleName(fact.article) }],
      reply: `${body}\n${sourceLine(fact.article)}`,
    };
  }

  /** An answer from the table of rates, as an answer of the engine. */
  private rateAnswer(a: RateAnswer, question: Question): Answer {
    const sources = [
      ...new Map(a.rows.map((r) => [r.fact.article.id, { article: r.fact.article.id, title: articleName(r.fact.article) }])).values(),
    ];
    if (a.answered) return { answered: true, intent: 'rates', score: 1, reply: a.reply, highlight: a.highlight, sources, suggestions: [] };
    const suggestions = this.suggestions(question.keys.map((k) => k.key));
    return { answered: false, intent: 'rates', score: 0, reply: declineReply(a.reply, suggestions), sources: [], suggestions };
  }

  /** The known deposit rates as a table (the bot's /rates). */
  ratesTable(): string {
    return rateTable(this.rates, this.now());
  }

  /** A headline's answer: the headline, then the article's first sentence. */
  private titleText(fact: Fact): string {
    const lead = fact.entry.facts.find((f) => f.kind === 'body');
    const title = [...fact.article.kickers, fact.article.headline].filter(Boolean).join('——');
    return lead ? `${title}\n${lead.text}` : title;
  }

  /** A section heading's answer: the heading, then the section's first sentences (as much as a snippet holds). */
  private headingText(fact: Fact): string {
    const lines: string[] = [];
    let length = 0;
    for (const f of fact.entry.facts.slice(fact.position + 1)) {
      if (f.kind !== 'body' || (lines.length && length + f.text.length > SNIPPET_CHARS)) break;
      lines.push(f.text);
      length += f.text.length;
    }
    return `${fact.text}:${lines.join('') || ''}`;
  }

  /** A schedule question the preview does not answer: what it does say. */
  private scheduleDetail(session: Session | undefined): Answer {
    const schedule = this.scheduleAnswer(session);
    if (!schedule.answered) return schedule;
    return { ...schedule, answered: false, intent: 'partial', reply: `预告里只写了时间和单位,没有写这一点。\n${schedule.reply}` };
  }

  private chat(intent: Intent): Answer {
    const suggestions = this.suggestions([]);
    const n = this.knowledge.articles.length;
    const text =
      intent === 'thanks'
        ? '不客气!还有问题随时问我。'
        : intent === 'greeting'
          ? `你好!我是青岛新闻问答机器人,能根据已收录的${n}篇报道回答你的问题。`
          : `我根据报纸已刊登的${n}篇报道回答关于青岛民生新闻的问题,会告诉你答案出自哪篇报道;也能告诉你下期“民生在线”的时间和单位。`;
    return {
      answered: true,
      intent,
      score: 1,
      sources: [],
      suggestions,
      reply: intent === 'thanks' ? text : declineReply(text, suggestions),
    };
  }

  private decline(intent: Intent, reason: string, keys: string[], score = 0): Answer {
    const suggestions = this.suggestions(keys);
    return { answered: false, intent, score, reply: declineReply(reason, suggestions), sources: [], suggestions };
  }
}

/** A reading of a question: its candidates best first by the ranker, the decision, the intent. */
interface Ranking {
  question: Question;
  list: Ranked[];
  intent: Intent;
}

interface Reading extends Ranking {
  decision: Decision;
  /** the candidate the ranker rates best, about the entity asked for or not */
  nearest?: Ranked;
}

/** The intents the bot answers with a word of its own, not from the pages. */
const CHAT = new Set<string>(['greeting', 'help', 'thanks']);

/** What the intent classifier reads of a question: its meaningful words, or all its words when it has none ("在吗"). */
function intentTokens(question: Pick<Question, 'keys' | 'words'>): string[] {
  const keys = question.keys.map((k) => k.key);
  return keys.length ? keys : question.words.map((w) => w.word.trim()).filter((w) => MEANINGFUL.test(w));
}

/** The intent classifier's lessons: the lexicon's examples, and a sample of the facts as questions of fact. */
function intentExamples(knowledge: Knowledge): Array<{ tokens: string[]; label: string }> {
  const { lexicon, facts } = knowledge;
  const examples = lexicon.intentExamples.map(({ intent, text }) => {
    const words = segment(normalize(text));
    return { tokens: intentTokens({ words, keys: keywords(words, lexicon) }), label: intent };
  });
  const samples = Math.min(facts.length, INTENT_FACT_SAMPLES);
  for (let i = 0; i < samples; i++) {
    const fact = facts[Math.floor((i * facts.length) / samples)]!;
    if (fact.keys.length) examples.push({ tokens: fact.keys, label: 'fact' });
  }
  return examples;
}

/** The lexicon folder for a corpus: its own `lexicon/`, else the project's. */
export function lexiconDirFor(corpusDir: string): string {
  const own = join(corpusDir, 'lexicon');
  return existsSync(own) ? own : join(DEFAULT_CORPUS_DIR, 'lexicon');
}

/** Builds an engine from a corpus folder. Throws only when the folder cannot be read. */
export function createEngine(options: Partial<EngineOptions> & { corpusDir: string }): Engine {
  Models.for(options.answerModel); // the models thread starts now, to load natural while jieba loads here
  const lexicon = loadLexicon(options.lexiconDir ?? lexiconDirFor(options.corpusDir));
  const year = (options.now?.() ?? new Date()).getFullYear();
  const knowledge = buildKnowledge(options.corpusDir, lexicon, { fallbackYear: year, ...options });
  return new Engine(knowledge, options);
}
