/**
 * `npm run train`: teaches the two answer models (see src/core/decide.ts) and saves them to
 * models/answer-model.json.
 *
 * The training sets are question sets written for training only (see train/README.md); no
 * evaluation set is read here. Each question is read by the engine's own stages (analyse, carry a
 * follow-up's topic, retrieve), and:
 *
 *  - each of its best candidates becomes an example for the ranker: the candidate's tokens,
 *    labelled yes when the fact holds the expected answer (a question that must be declined gives
 *    only noes);
 *  - the ranking a ranker makes of it, without having seen it (five folds by page or conversation),
 *    becomes an example for the decider: yes when the best candidate holds the answer.
 *
 * Before the final models are trained on everything, the same folds report what the two do
 * together on questions they never saw, at several thresholds: the figures the README quotes, and
 * what `answerThreshold` is set from.
 *
 *   npm run train                 train, report the held-out folds, save
 *   npm run train -- --out FILE   save elsewhere (to evaluate a model before it replaces the project's)
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { carry, expire, remember, type Conversation } from '../src/core/conversation.js';
import { candidateTokens, decisionTokens, oddsOfYes, probabilityOfYes, ranked } from '../src/core/decide.js';
import { lexiconDirFor } from '../src/core/engine.js';
import { buildKnowledge } from '../src/core/knowledge.js';
import { DEFAULT_ANSWER_MODEL } from '../src/core/paths.js';
import { NO, YES, type SavedModels } from '../src/core/models/protocol.js';
import { DEFAULT_OPTIONS } from '../src/core/options.js';
import { analyse } from '../src/core/question.js';
import { retrieve, type Candidate } from '../src/core/retrieve.js';
import { loadLexicon } from '../src/core/text/lexicon.js';
import { holds, mustDecline, readSet, type Item } from '../eval/sets.js';

process.env.DOTENV_CONFIG_QUIET ??= 'true';
const natural = (await import('natural')).default;

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The training sets: a corpus folder and the questions asked of it. */
const SETS = [
  { name: 'news pages', corpus: 'train/pages', questions: 'train/questions.jsonl' },
  { name: 'news pages 2', corpus: 'train/pages-2', questions: 'train/questions-2.jsonl' },
  { name: 'web pages', corpus: 'train/pages-3', questions: 'train/questions-3.jsonl' },
  { name: 'web pages 2', corpus: 'train/pages-4', questions: 'train/questions-4.jsonl' },
  { name: 'news pages 3', corpus: 'train/pages-5', questions: 'train/questions-5.jsonl' },
  { name: 'news pages 4', corpus: 'train/pages-6', questions: 'train/questions-6.jsonl' },
  { name: 'encyclopedia', corpus: 'train/encyclopedia/pages', questions: 'train/encyclopedia/questions.jsonl' },
  { name: 'encyclopedia 2', corpus: 'train/encyclopedia-2/pages', questions: 'train/encyclopedia-2/questions.jsonl' },
  { name: 'encyclopedia 3', corpus: 'train/encyclopedia-3/pages', questions: 'train/encyclopedia-3/questions.jsonl' },
];
/** Candidates per question that become ranker examples: the answer is nearly always among the first few. */
const EXAMPLES_PER_QUESTION = 8;
const FOLDS = 5;

interface Example {
  candidate: Candidate;
  tokens: string[];
  positive: boolean;
}
interface Asked {
  set: string;
  group: string;
  item: Item;
  examples: Example[];
}

function read(): Asked[] {
  const out: Asked[] = [];
  for (const set of SETS) {
    const corpus = join(ROOT, set.corpus);
    const knowledge = buildKnowledge(corpus, loadLexicon(lexiconDirFor(corpus)));
    const chats = new Map<string, Conversation>();
    for (const item of readSet(join(ROOT, set.questions))) {
      const conversation = item.chat ? (chats.get(item.chat) ?? {}) : {};
      if (item.chat) chats.set(item.chat, conversation);
      expire(conversation, 0, DEFAULT_OPTIONS.conversationTtlMs);
      const alone = analyse(item.q, knowledge, DEFAULT_OPTIONS);
      const carried = carry(conversation, alone, knowledge, DEFAULT_OPTIONS);
      // a follow-up is read with its topic, as the engine reads one it cannot answer alone
      const question = carried && (alone.marked || alone.refersBack) ? carried : alone;
      remember(conversation, question, 'fact');
      const candidates = retrieve(question, knowledge, DEFAULT_OPTIONS);
      const examples = candidates.map((c) => ({
        candidate: c,
        tokens: candidateTokens(c.features),
        positive: !mustDecline(item) && (item.expect ?? []).every((e) => holds(c.fact.text, e)),
      }));
      out.push({ set: set.name, group: `${set.name}/${item.chat ?? item.page ?? item.id}`, item, examples });
    }
  }
  return out;
}

type Model = InstanceType<typeof natural.BayesClassifier>;

function trainModel(examples: Array<{ tokens: string[]; positive: boolean }>): Model {
  const model = new natural.BayesClassifier();
  for (const e of examples) model.addDocument(e.tokens, e.positive ? YES : NO);
  model.train();
  return model;
}

const yes = (model: Model, tokens: string[]) => probabilityOfYes(model.getClassifications(tokens));

const rankerExamples = (asked: Asked[]) => asked.flatMap((a) => a.examples.slice(0, EXAMPLES_PER_QUESTION));

/** What the decider learns from a ranker's reading of a question: its tokens, and whether the best candidate answers. */
interface Verdict {
  a: Asked;
  tokens: string[];
  positive: boolean;
}

function verdict(a: Asked, ranker: Model): Verdict | undefined {
  const list = ranked(
    a.examples.map((e) => e.candidate),
    a.examples.map((e) => oddsOfYes(ranker.getClassifications(e.tokens))),
    DEFAULT_OPTIONS,
  );
  if (!list[0]) return undefined;
  const best = a.examples.find((e) => e.candidate === list[0]!.candidate)!;
  return { a, tokens: decisionTokens(list), positive: best.positive };
}

/** A stable fold for a group, so that a run is repeatable. */
function foldOf(group: string): number {
  let h = 0;
  for (const ch of group) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % FOLDS;
}

/** Per question, the verdict of a ranker that never saw its fold. */
function heldOutVerdicts(asked: Asked[]): Verdict[] {
  const out: Verdict[] = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const ranker = trainModel(rankerExamples(asked.filter((a) => foldOf(a.group) !== fold)));
    for (const a of asked.filter((x) => foldOf(x.group) === fold)) {
      const v = verdict(a, ranker);
      if (v) out.push(v);
    }
    process.stderr.write(`ranker fold ${fold + 1}/${FOLDS} done\n`);
  }
  return out;
}

/** The two models together on each fold, the decider too trained without it: per question, its probability and whether it was right. */
function report(verdicts: Verdict[], asked: Asked[]): void {
  const held: Array<{ a: Asked; p: number; positive: boolean }> = [];
  for (let fold = 0; fold < FOLDS; fold++) {
    const decider = trainModel(verdicts.filter((v) => foldOf(v.a.group) !== fold));
    for (const v of verdicts.filter((x) => foldOf(x.a.group) === fold))
      held.push({ a: v.a, p: yes(decider, v.tokens), positive: v.positive });
  }
  const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`.padStart(6);
  // the ranker alone: how often the fact it ranks first holds the answer
  const answerable = verdicts.filter((v) => !mustDecline(v.a.item));
  console.log(
    `\nRanker, held out: the first fact holds the answer for ${pct(answerable.filter((v) => v.positive).length, answerable.length)} of answerable questions`,
  );
  console.log('\nHeld-out folds (questions neither model saw), by threshold:');
  console.log('set            threshold | answerable: right  wrong declined | must decline: declined');
  for (const set of SETS.map((s) => s.name)) {
    const questions = asked.filter((a) => a.set === set);
    const answerable = questions.filter((a) => !mustDecline(a.item));
    const refuse = questions.filter((a) => mustDecline(a.item));
    const of = (a: Asked) => held.find((h) => h.a === a);
    for (const t of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]) {
      const right = answerable.filter((a) => (of(a)?.p ?? 0) >= t && of(a)!.positive).length;
      const wrong = answerable.filter((a) => (of(a)?.p ?? 0) >= t && !of(a)!.positive).length;
      const declined = refuse.filter((a) => (of(a)?.p ?? 0) < t).length;
      console.log(
        `${set.padEnd(14)} ${t.toFixed(2).padStart(9)} | ${pct(right, answerable.length)} ${pct(wrong, answerable.length)} ${pct(answerable.length - right - wrong, answerable.length)} | ${pct(declined, refuse.length)}`,
      );
    }
  }
}

/** A model as natural saves it, less the training documents it keeps for retraining (the bot never retrains). */
function saved(model: Model): Record<string, unknown> {
  const data = JSON.parse(JSON.stringify(model)) as { docs?: unknown };
  delete data.docs;
  return data;
}

const asked = read();
const examples = rankerExamples(asked);
console.log(`${asked.length} questions, ${examples.length} ranker examples (${examples.filter((e) => e.positive).length} answering)`);
const verdicts = heldOutVerdicts(asked);
report(verdicts, asked);
const models: SavedModels = { ranker: saved(trainModel(examples)), decider: saved(trainModel(verdicts)) };
const out = process.argv.includes('--out') ? resolve(process.argv[process.argv.indexOf('--out') + 1]!) : DEFAULT_ANSWER_MODEL;
writeFileSync(out, `${JSON.stringify(models)}\n`);
console.log(`\nsaved ${out}`);
