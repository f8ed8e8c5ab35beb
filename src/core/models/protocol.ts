/** Messages between the engine and the models thread (see worker.ts). */

/** The labels the answer models say yes with: the ranker of a fact that answers, the decider of an answer to give. */
export const YES = 'yes';
export const NO = 'no';

export interface Classification {
  label: string;
  value: number;
}

/** Observations for one model: each a list of tokens. */
export interface Job {
  model: string;
  observations: string[][];
}

export type WorkerRequest =
  | { type: 'teach-intents'; key: string; examples: Array<{ tokens: string[]; label: string }> }
  | { type: 'forget-intents'; key: string }
  | { type: 'classify'; id: number; jobs: Job[] };

export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  /** per job, per observation, the model's classifications */
  | { type: 'classified'; id: number; results: Classification[][][] }
  | { type: 'error'; id: number; message: string };

/** What `npm run train` saves: two natural naive Bayes classifiers, as natural saves them. */
export interface SavedModels {
  ranker: Record<string, unknown>;
  decider: Record<string, unknown>;
}
