/**
 * The thread where natural's classifiers live. Loading natural takes about as long as loading
 * jieba's dictionaries; here it loads beside them instead of after them, and the engine asks over
 * messages (see models.ts).
 *
 *  - ranker, decider: natural's BayesClassifier, trained by `npm run train` and restored from
 *    the file it saved (see decide.ts for what they read);
 *  - intent classifiers: natural's BayesClassifier, taught a lexicon's intent examples and a
 *    sample of the articles when an engine is built.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { Classification, SavedModels, WorkerReply, WorkerRequest } from './protocol.js';

process.env.DOTENV_CONFIG_QUIET ??= 'true'; // natural loads dotenv, which would print a banner
const natural = (await import('natural')).default;

interface Classifier {
  getClassifications(observation: string[]): Classification[];
}

const port = parentPort!;
const { modelPath } = workerData as { modelPath: string };
const models = new Map<string, Classifier>();
const INTENT_SMOOTHING = 0.01;

try {
  const saved = JSON.parse(readFileSync(modelPath, 'utf8')) as SavedModels;
  models.set('ranker', natural.BayesClassifier.restore(saved.ranker));
  models.set('decider', natural.BayesClassifier.restore(saved.decider));
  port.postMessage({ type: 'ready' } satisfies WorkerReply);
} catch (err) {
  port.postMessage({
    type: 'failed',
    message: `models: ${modelPath}: cannot restore the answer models (${(err as Error).message}); run npm run train`,
  } satisfies WorkerReply);
}

port.on('message', (request: WorkerRequest) => {
  switch (request.type) {
    case 'teach-intents': {
      // little smoothing: with natural's default of 1, a word no example of a small class had
      // counts for that class more than for a large one ("起存" would read as thanks)
      const bayes = new natural.BayesClassifier(undefined, INTENT_SMOOTHING);
      for (const { tokens, label } of request.examples) if (tokens.length) bayes.addDocument(tokens, label);
      bayes.train();
      models.set(`intents:${request.key}`, bayes);
      break;
    }
    case 'forget-intents':
      models.delete(`intents:${request.key}`);
      break;
    case 'classify':
      try {
        const results = request.jobs.map(({ model, observations }) => {
          const classifier = models.get(model);
          if (!classifier) throw new Error(`no model "${model}"`);
          return observations.map((tokens) => classifier.getClassifications(tokens));
        });
        port.postMessage({ type: 'classified', id: request.id, results } satisfies WorkerReply);
      } catch (err) {
        port.postMessage({ type: 'error', id: request.id, message: (err as Error).message } satisfies WorkerReply);
      }
      break;
  }
});
