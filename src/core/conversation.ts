/**
 * Conversations: what one chat remembers between questions, so that a follow-up ("那5年期呢?",
 * "城阳呢", "他负责什么?") is read with the topic of the question before it.
 *
 * The engine asks a question alone first; when it is marked as a follow-up, refers back with a
 * pronoun, or is weak alone, it is asked again with the topic carried over (the earlier question's
 * words, an entity of the same kind in the new question replacing the old one), and the reading
 * the answer model trusts more wins.
 */
import type { Entity } from './entities.js';
import type { RateContext } from './rates.js';
import type { Knowledge } from './knowledge.js';
import { analyse, type AnalyseOptions, type AnswerType, type Question } from './question.js';

export interface Conversation {
  /** the last question of fact, as it was answered */
  topic?: {
    keys: string[];
    /** those of its keys the last question said itself, not carried from the topic before it */
    said?: string[];
    entities: Entity[];
    types: AnswerType[];
    measure?: string;
  };
  /** what the last question was about */
  intent?: 'fact' | 'schedule' | 'rates';
  /** the bank, product and term of the last question about deposit rates */
  rates?: RateContext;
  /** the start of the 民生在线 session the last schedule answer was about */
  session?: string;
  /** when it was last used, ms since the epoch */
  at?: number;
}

/** A question read with a topic, and where its own text begins (after the topic's words). */
const CARRIED = new WeakMap<Question, number>();

/** Forgets a conversation left alone for longer than `ttlMs`, and marks it used now. */
export function expire(conversation: Conversation, now: number, ttlMs: number): void {
  if (conversation.at !== undefined && now - conversation.at > ttlMs) {
    delete conversation.topic;
    delete conversation.intent;
    delete conversation.rates;
    delete conversation.session;
  }
  conversation.at = now;
}

/** Remembers a question as the conversation's topic. */
export function remember(conversation: Conversation, question: Question, intent: 'fact' | 'schedule'): void {
  conversation.intent = intent;
  delete conversation.rates;
  if (intent === 'fact') {
    // its words that weigh in full (not "领导" of "哪位领导", nor a background clause's)
    // (a name jieba cut into characters once, as the name: "唐岛湾", not "唐 岛 湾 唐岛湾")
    const keys = question.keys.filter(
      (k, i) => question.weights[i] === 1 && !question.keys.some((r) => r.run && r !== k && r.start <= k.start && k.end <= r.end),
    );
    const topicEnd = CARRIED.get(question) ?? 0;
    conversation.topic = {
      keys: keys.map((k) => k.key),
      said: keys.filter((k) => k.start >= topicEnd).map((k) => k.key),
      entities: question.entities,
      types: question.types,
      measure: question.measure,
    };
  }
}

/**
 * The question read with the conversation's topic: the topic's words before it, less those of an
 * entity (or reporter) the question replaces with one of the same kind; the topic's kind of answer
 * when the question names none. Undefined when there is no topic.
 */
export function carry(conversation: Conversation, question: Question, knowledge: Knowledge, options: AnalyseOptions): Question | undefined {
  const topic = conversation.topic;
  if (!topic || conversation.intent !== 'fact') return undefined;
  const replaced = new Set(question.entities.map((e) => e.kind));
  const dropped = new Set(topic.entities.filter((e) => replaced.has(e.kind)).map((e) => e.text));
  // a reporter named ("乙呢" after "记者甲写的是哪篇") takes the place of the one before
  const people = [...knowledge.people];
  const namesPerson = people.some((p) => question.norm.includes(p));
  const replacing = dropped.size > 0 || namesPerson;
  const kept = topic.keys.filter(
    (k) =>
      !dropped.has(k) &&
      ![...dropped].some((d) => d.includes(k)) &&
      !(namesPerson && people.some((p) => p.includes(k) && !question.norm.includes(k))),
  );
  if (kept.length === 0) return undefined;
  const prefix = `${kept.join(' ')},`;
  const carried = analyse(`${prefix}${question.text}`, knowledge, options);
  CARRIED.set(carried, prefix.length);
  // the topic's words are what the question is about, not its background; but when the question
  // puts another entity in place of the topic's ("城阳呢" after two questions on a 李沧 car park),
  // the words older than the last question may be the old entity's own ("桥下空间") and weigh less
  const older = replacing ? new Set(topic.keys.filter((k) => topic.said && !topic.said.includes(k))) : new Set<string>();
  carried.weights = carried.keys.map((k) => (k.start < prefix.length && older.has(k.key) ? options.backgroundWeight : 1));
  if (carried.types.length === 0) {
    carried.types = topic.types;
    carried.measure ??= topic.measure;
  }
  return carried;
}
