/**
 * The decision: which candidate answers, and whether it answers well enough to say so.
 *
 * Two models, both natural's naive Bayes classifier trained on labelled questions (`npm run train`):
 *
 *  - the ranker reads one candidate's features (retrieve.ts) and gives the probability that the
 *    fact holds the answer; the candidate it trusts most is the one to answer with;
 *  - the decider reads what the ranker made of the question as a whole (how sure it is of the
 *    best candidate, how far ahead of the next that one is, how much of the question the best
 *    covers) and gives the probability that the best candidate's answer is right. It is answered
 *    when that clears `answerThreshold`.
 *
 * Both read tokens: a feature that is yes or no gives "name+" or "name-"; a measure from 0 to 1 the
 * tenth it falls in ("charCover:7"), so that each feature's effect can be any curve, not a line.
 * A fact about another district or bank than the one asked about, one without the detail asked
 * for (a phone number, an address: lexicon details.txt), or one without the year, day or hour
 * asked, is never the answer. Below the threshold, a fact that says nearly everything asked but not
 * the number, date, name or detail asked for is shown as what the page does say (a partial answer);
 * anything else is declined.
 */
import type { Classification } from './models/protocol.js';
import { NO, YES } from './models/protocol.js';
import type { AnswerType, Question } from './question.js';
import type { Candidate, FeatureName } from './retrieve.js';

/** Features that are yes (1) or no (0); the others run from 0 to 1. */
const BINARY = new Set<FeatureName>([
  'topArticle',
  'typeFound',
  'typeMissing',
  'typeNew',
  'measureFound',
  'measureMissing',
  'around',
  'lead',
  'title',
  'heading',
  'list',
  'caption',
  'byline',
  'bestInArticle',
  'fewWords',
  'entityFound',
  'entityClash',
  'detailMissing',
  'listAsked',
  'roleAsked',
  'aboutAsked',
  'focusUnknown',
]);

/**
 * The features the ranker reads: a naive Bayes classifier counts each as separate evidence, so
 * measures that say nearly the same (the three kinds of coverage by character pair, say) are read
 * once; chosen by the held-out folds of `npm run train`.
 */
const RANKER_FEATURES: FeatureName[] = [
  'wordCoverContext',
  'charCoverNear',
  'charCoverLocal',
  'charSingles',
  'window',
  'articleMatch',
  'topArticle',
  'headlineAsked',
  'typeFound',
  'typeMissing',
  'typeNew',
  'measureFound',
  'measureMissing',
  'around',
  'focusFound',
  'novel',
  'lead',
  'title',
  'heading',
  'list',
  'caption',
  'byline',
  'length',
  'bestInArticle',
  'margin',
  'known',
  'missingShare',
  'entityFound',
  'entityClash',
  'detailMissing',
  'listAsked',
  'roleAsked',
];

const tenth = (name: string, value: number) => `${name}:${Math.max(0, Math.min(9, Math.floor(value * 10)))}`;

const fifth = (value: number) => Math.max(0, Math.min(4, Math.floor(value * 5)));

/**
 * Features the ranker reads together, as one token of their fifths ("local:43"): how much of the
 * question's rare pairs a fact holds and how densely. Read apart, a naive Bayes classifier would
 * count the same evidence twice; read together it learns what each pair of values says.
 */
const READ_TOGETHER: FeatureName[] = ['charCoverLocal', 'window'];

/** A candidate's features as the ranker reads them. */
export function candidateTokens(features: Record<FeatureName, number>): string[] {
  const tokens = RANKER_FEATURES.filter((name) => !READ_TOGETHER.includes(name)).map((name) =>
    BINARY.has(name) ? `${name}${features[name] > 0 ? '+' : '-'}` : tenth(name, features[name]),
  );
  tokens.push(`local:${READ_TOGETHER.map((name) => fifth(features[name])).join('')}`);
  return tokens;
}

/** Log odds from about −10 (surely not) to 20 (surely) as 0 … 1; a lead of 15 or more as 1. */
const oddsScale = (odds: number) => (odds + 10) / 30;
const leadScale = (lead: number) => lead / 15;

/**
 * A question's ranking as the decider reads it: how sure the ranker is of the best candidate, how
 * far ahead it is of the next, and of the best from another article (two sentences of one article
 * often say the same thing; two articles that both seem to answer are a real doubt), and the best
 * candidate's coverage of the question.
 */
export function decisionTokens(list: Ranked[]): string[] {
  const best = list[0]!;
  const f = best.candidate.features;
  // the next candidate, a headline repeating the best sentence of its own article aside (and, when
  // the best is the byline or caption asked for, the rest of its article, which it answers for)
  const role = best.candidate.features.roleAsked > 0 && (best.candidate.fact.kind === 'byline' || best.candidate.fact.kind === 'caption');
  // (and the same sentence printed twice, as a list's item and in the text: no rival to itself)
  const next =
    list.find(
      (r) =>
        r !== best &&
        !((role || r.candidate.fact.kind === 'title') && r.candidate.fact.article === best.candidate.fact.article) &&
        !sameSaying(r.candidate, best.candidate),
    )?.odds ?? -20;
  // another article that seems to answer, other than a copy of the same sentence on another page
  // (a fact about another district or bank than the one asked is no rival: it is never the answer)
  const elsewhere =
    list.find(
      (r) =>
        r.candidate.fact.article !== best.candidate.fact.article &&
        shapeOf(r.candidate) !== shapeOf(best.candidate) &&
        !r.candidate.features.entityClash,
    )?.odds ?? -20;
  // a byline or caption answers for its article: how well the question is covered is read from
  // itself or the article's best fact after it, whichever covers more of it
  const other = role
    ? list.find((r) => r !== best && r.candidate.fact.article === best.candidate.fact.article)?.candidate.features
    : undefined;
  const cover = other && other.charCoverNear > f.charCoverNear ? other : f;
  return [
    tenth('best', oddsScale(best.odds)),
    tenth('lead', leadScale(best.odds - next)),
    tenth('leadElsewhere', leadScale(best.odds - elsewhere)),
    tenth('wordCoverContext', cover.wordCoverContext),
    tenth('charCoverNear', cover.charCoverNear),
    tenth('charCover', cover.charCover),
    tenth('known', cover.known),
    tenth('unknownWords', cover.unknownWords),
    tenth('missingShare', cover.missingShare),
    tenth('focusFound', cover.focusFound),
    ...(
      [
        'typeMissing',
        'measureMissing',
        'typeNew',
        'entityClash',
        'entityFound',
        'fewWords',
        'topArticle',
        'roleAsked',
        'focusUnknown',
      ] as const
    ).map((name) => `${name}${f[name] ? '+' : '-'}`),
  ];
}

/** A model's probability for its "yes" label: its share of what the classifier gives each label. */
export function probabilityOfYes(classifications: Classification[]): number {
  let total = 0;
  for (const c of classifications) total += c.value;
  return total > 0 ? (classifications.find((c) => c.label === YES)?.value ?? 0) / total : 0;
}

/**
 * How much more a model believes "yes" than "no", as a log ratio. A naive Bayes classifier is sure
 * of itself (probabilities of 0.9999 and 0.99999 are both "1"), so candidates are compared by this.
 */
export function oddsOfYes(classifications: Classification[]): number {
  const value = (label: string) => Math.max(classifications.find((c) => c.label === label)?.value ?? 0, Number.MIN_VALUE);
  return Math.log(value(YES)) - Math.log(value(NO));
}

export interface DecideOptions {
  /** the decider's probability the best candidate must reach to be answered */
  answerThreshold: number;
  /** a partial answer needs at least this much of the question's words in the fact and its context */
  partialCover: number;
}

export type Decision =
  | { kind: 'answer'; best: Candidate; confidence: number }
  | { kind: 'partial'; best: Candidate; confidence: number }
  | { kind: 'decline'; best?: Candidate; confidence: number };

/** Whether two facts say the same, one holding the other's words ("◆ 便民服务：……" and "……"). */
const sameSaying = (a: Candidate, b: Candidate) => {
  const x = a.fact.norm.replace(/[^\p{L}\p{N}]/gu, '');
  const y = b.fact.norm.replace(/[^\p{L}\p{N}]/gu, '');
  return x.length > 0 && y.length > 0 && (x.includes(y) || y.includes(x));
};

/** A sentence with its figures left out: two pages that print it with other figures print the same sentence. */
const shapeOf = (c: Candidate) => c.fact.norm.replace(/[\d.]+/g, '#');

/** A candidate and the ranker's log odds that it answers. */
export interface Ranked {
  candidate: Candidate;
  odds: number;
}

/**
 * The candidates best first by the ranker's log odds (same order as `candidates`), less a penalty
 * for each of the kind of answer, the unit and the detail asked for that a fact lacks, plus a bonus
 * for a list asked for (the naive Bayes ranker hears coverage from several features and these from
 * one each, and a list's items seldom repeat the question's words); a fact about
 * another district, bank, term or period than the one asked about comes after every other; asked
 * who reported or photographed, the byline or caption of the article that matches best comes
 * first, and asked what an article is about ("……是怎么回事?"), its headline; of two the ranker
 * rates the same, the one from the newer page comes first.
 */
export interface RankOptions {
  /** log odds taken from a fact for each of the kind, the unit and the detail asked for that it lacks */
  missingPenalty: number;
  /** log odds given to a list (one line an item on the page) when what is on a list is asked ("有哪些小区") */
  listPreference: number;
  /** log odds taken, besides, from a fact without the unit asked ("多大" → 平方米) when a fact of its article has it */
  unitPreference: number;
}

/** How many of the kind of answer, the unit and the detail asked for a fact lacks. */
const lacks = (c: Candidate) => c.features.typeMissing + c.features.measureMissing + c.features.detailMissing;

export function ranked(candidates: Candidate[], odds: number[], options: RankOptions): Ranked[] {
  // articles with a fact in the unit asked: their facts without it are the less likely answer
  const withUnit = new Set(candidates.filter((c) => c.features.measureFound).map((c) => c.fact.article));
  const penalty = (c: Candidate) =>
    options.missingPenalty * lacks(c) -
    options.listPreference * c.features.listAsked +
    (c.features.measureMissing && withUnit.has(c.fact.article) ? options.unitPreference : 0);
  const date = (c: Candidate) => c.fact.article.date ?? '';
  // asked who wrote a story or took its photo: the byline or caption of the article asked about
  // comes first ("12路那篇是谁写的")
  const role = candidates
    .filter((c) => (c.features.roleAsked || c.features.aboutAsked) && !c.features.entityClash)
    .sort((a, b) => b.features.aboutAsked - a.features.aboutAsked || b.features.articleMatch - a.features.articleMatch)[0];
  // a sentence printed again on a newer page, its figures updated, ranks as the best of its copies
  const shape = shapeOf;
  const bestOfShape = new Map<string, number>();
  candidates.forEach((c, i) => {
    bestOfShape.set(shape(c), Math.max(bestOfShape.get(shape(c)) ?? -Infinity, odds[i]!));
  });
  // the byline or caption answers as surely as its article is the one asked about: it takes the
  // odds of the article's best fact
  const articleOdds = (c: Candidate) =>
    Math.max(...candidates.filter((o) => o.fact.article === c.fact.article).map((o) => odds[candidates.indexOf(o)]!));
  return candidates
    .map((candidate, i) => ({
      candidate,
      odds: candidate === role ? articleOdds(candidate) : odds[i]! - penalty(candidate),
      rank: bestOfShape.get(shape(candidate))! - penalty(candidate),
    }))
    .sort(
      (a, b) =>
        a.candidate.features.entityClash - b.candidate.features.entityClash ||
        Number(b.candidate === role) - Number(a.candidate === role) ||
        b.rank - a.rank ||
        date(b.candidate).localeCompare(date(a.candidate)) ||
        b.odds - a.odds ||
        a.candidate.fact.doc - b.candidate.fact.doc,
    )
    .map(({ candidate, odds: o }) => ({ candidate, odds: o }));
}

/** Kinds of answer a news page prints in a shape of their own: figures, places, organisations. */
const SHAPED: AnswerType[] = ['number', 'place', 'org'];
/** The measure a question asks a number of people in ("多少人", "几名"). */
const PEOPLE_COUNTED = /^人(?:\||$)/;

/**
 * Decides on the best candidate, given the decider's probability that answering with it is right
 * and what the question asks for (the kinds of answer; the year, day or hour).
 */
export function decide(
  best: Candidate | undefined,
  confidence: number,
  options: DecideOptions,
  asked?: Pick<Question, 'types' | 'time' | 'measure'>,
): Decision {
  if (!best) return { kind: 'decline', confidence: 0 };
  const f = best.features;
  // asked what an article is about in the words of its headline ("……是怎么回事?"), the headline is the answer
  if (f.aboutAsked) return { kind: 'answer', best, confidence: Math.max(confidence, options.answerThreshold) };
  // asked who wrote, published or photographed the article that matches best, its byline or
  // caption is the answer when it gives what is asked
  if (f.roleAsked && f.topArticle && !f.detailMissing && !f.entityClash && (best.fact.kind === 'byline' || best.fact.kind === 'caption'))
    return { kind: 'answer', best, confidence: Math.max(confidence, options.answerThreshold) };
  // a fact about another district or bank, one that does not give the detail asked for, or one
  // without a number at all when a number in some unit is asked ("多少人") is no answer; nor, on a
  // dated (news) page, one without a number, a place or an organisation when one is asked ("多少",
  // "在哪", "哪家"; a person's name has no shape to tell it by)
  const dated = !!best.fact.article.date;
  // (asked how much of something no page names ("余额是多少"), a figure of a fact that does not
  // name it either is of something else; but the word before 多少 may only ask the unit: "比例", "最低")
  const countsUnknown = f.focusUnknown > 0 && f.focusFound === 0 && !asked?.measure && !!asked?.types.includes('number');
  // (asked how many people, a figure of households or buildings is none: a count of things is often
  // given with another measure word, "几条路" with "3处", but people are counted as people)
  const noFigure =
    (f.typeMissing > 0 && (f.measureMissing > 0 || (dated && !!asked?.types.some((t) => SHAPED.includes(t))))) ||
    (f.measureMissing > 0 && PEOPLE_COUNTED.test(asked?.measure ?? '')) ||
    countsUnknown;
  // nor is one without the year, day or hour asked ("哪一年"), but for the year of a dated page; nor,
  // asked just when, one of a dated page that gives no time (a page of history may answer with an
  // era the model weighs)
  const time = asked?.time ?? (asked?.types.includes('time') ? 'when' : undefined);
  const noTime = f.typeMissing > 0 && time !== undefined && (time === 'when' ? dated : !(time === 'year' && dated));
  if (confidence >= options.answerThreshold && !f.entityClash && !f.detailMissing && !noFigure && !noTime)
    return { kind: 'answer', best, confidence };
  if (
    (f.typeMissing || f.detailMissing || noFigure) &&
    !f.entityClash &&
    f.wordCoverContext >= options.partialCover &&
    f.charCoverContext >= options.partialCover
  ) {
    return { kind: 'partial', best, confidence };
  }
  return { kind: 'decline', best, confidence };
}
