/**
 * Every tuning value of the engine, with its default, in one place. Each is read by a test or by
 * the evaluation (`npm run eval`); a value nothing notices does not belong here.
 */
import type { RankOptions } from './decide.js';
import type { BuildOptions } from './knowledge.js';

export interface Tuning extends RankOptions {
  /**
   * The answer model's probability the best fact must reach to be answered; below it the engine
   * declines (or gives a partial answer). Raising it trades answers for fewer wrong ones; the
   * evaluation prints both. Set from the training run's held-out folds (see train/README.md).
   */
  answerThreshold: number;
  /** A partial answer ("the page does not say the number; it says …") needs this share of the question's words in the fact and its context. */
  partialCover: number;
  /** How much a word outside the clause that asks counts ("我家老人住在李沧,想问问……"). */
  backgroundWeight: number;
  /** Facts taken from each retrieval channel's best matches. */
  perChannel: number;
  /** Articles matching best as a whole, whose every fact is a candidate. */
  articles: number;
  /** Candidates whose features are worked out, best first by their search scores. */
  shortlist: number;
  /** Candidates the answer model reads, best first by a plain sum of their coverage. */
  candidates: number;
  /** Inline answers list, after the answer, the facts whose log odds are within this of the best's. */
  inlineSpread: number;
  /** A question of at most this many words is read with the conversation's topic too ("覆盖率多少"). */
  shortQuestionKeys: number;
  /** A short or marked follow-up keeps to the topic when that reading's confidence is at most this much below the question's own. */
  topicPreference: number;
  /** A conversation older than this starts afresh: no follow-ups to it. */
  conversationTtlMs: number;
}

export const DEFAULT_OPTIONS: Tuning = {
  answerThreshold: 0.4,
  partialCover: 0.8,
  missingPenalty: 4,
  listPreference: 4,
  unitPreference: 6,
  backgroundWeight: 0.5,
  perChannel: 20,
  articles: 3,
  shortlist: 30,
  candidates: 12,
  inlineSpread: 5,
  shortQuestionKeys: 2,
  topicPreference: 0.2,
  conversationTtlMs: 30 * 60_000,
};

export interface EngineOptions extends BuildOptions {
  corpusDir: string;
  /** lexicon folder; default: `<corpus>/lexicon`, else the project's `corpus/lexicon` */
  lexiconDir?: string;
  /** the clock, injectable for tests */
  now?: () => Date;
  /** the answer model file; default: the project's `models/answer-model.json` */
  answerModel?: string;
  tuning?: Partial<Tuning>;
}
