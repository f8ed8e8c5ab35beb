/**
 * Intent classification with natural's naive Bayes classifier: fact, schedule, greeting, help,
 * thanks, out_of_scope. Taught by the lexicon's examples and a bounded sample of the articles.
 * natural's own train() and classify() find each vocabulary word in each text by linear search,
 * and its addExample() goes through an object per example; here the vocabulary is indexed once,
 * the examples are counted as natural counts them, and natural gets the model it would have
 * learnt, as it restores a saved one (tested equal to natural's own training). The model is read
 * back in log space: the same probabilities at a fraction of the cost.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** What natural's naive Bayes model holds, as natural saves it. */
interface BayesState {
  /** per label, per feature number: how many of the label's examples have it, plus the smoothing */
  classFeatures: Record<string, Record<number, number>>;
  /** per label: its examples, plus one */
  classTotals: Record<string, number>;
  /** all examples, plus one */
  totalExamples: number;
  smoothing: number;
}

interface NaturalBayes {
  classifier: BayesState & {
    addExample(observation: number[] | Record<number, number>, label: string): void;
    getClassifications(observation: Record<number, number>): Array<{ label: string; value: number }>;
  };
}

export interface Classification { label: string; value: number }

const Bayes = require('natural/lib/natural/classifiers/bayes_classifier.js') as {
  new (stemmer: undefined, smoothing: number): NaturalBayes;
  restore(saved: { classifier: BayesState }): NaturalBayes;
};

/** natural's naive Bayes model, empty. */
export function naturalBayes(smoothing: number): NaturalBayes {
  return new Bayes(undefined, smoothing);
}

export class IntentClassifier {
  private readonly model: NaturalBayes;
  private readonly featureIndex = new Map<string, number>();
  private readonly labels: string[];
  /** natural's model in log space: per label, log P(label) and log P(word | label) for each word */
  private readonly logPrior: number[];
  private readonly logLikelihood: Float64Array[];

  constructor(docs: Array<{ features: string[]; label: string }>, smoothing = 0.01) {
    // little smoothing: a class that never saw a word of the question is unlikely, however small it is
    // Per label (in the order first met): natural's count of each feature, worked out as natural's
    // addExample() does it (1 + smoothing the first time, then one more each time, so that the
    // sums come out the same to the last bit), the features in the order first met, and the total.
    const labels: string[] = [];
    const labelNumbers = new Map<string, number>();
    const counts: Float64Array[] = [];
    const seen: number[][] = [];
    const totals: number[] = [];
    // per feature, the last example it was counted in: a word counts once per example, as in a 0/1 vector
    let lastExample = new Int32Array(256);
    let example = 0;
    for (const d of docs) {
      if (!d.features.length) continue;
      example++;
      let c = labelNumbers.get(d.label);
      if (c === undefined) {
        labelNumbers.set(d.label, (c = labels.length));
        labels.push(d.label);
        counts.push(new Float64Array(256));
        seen.push([]);
        totals.push(1); // natural's extra one for smoothing
      }
      totals[c]!++;
      let own = counts[c]!;
      const ownSeen = seen[c]!;
      for (const f of d.features) {
        let index = this.featureIndex.get(f);
        if (index === undefined) {
          this.featureIndex.set(f, (index = this.featureIndex.size));
          if (index === lastExample.length) lastExample = grown(lastExample, new Int32Array(index * 2));
        }
        if (lastExample[index] === example) continue;
        lastExample[index] = example;
        if (index >= own.length) own = counts[c] = grown(own, new Float64Array(Math.max(index + 1, own.length * 2)));
        if (own[index]) own[index]!++;
        else { own[index] = 1 + smoothing; ownSeen.push(index); }
      }
    }
    const state: BayesState = { classFeatures: {}, classTotals: {}, totalExamples: 1 + example, smoothing };
    labels.forEach((label, c) => {
      const features: Record<number, number> = {};
      for (const i of seen[c]!) features[i] = counts[c]![i]!;
      state.classFeatures[label] = features;
      state.classTotals[label] = totals[c]!;
    });
    this.model = Bayes.restore({ classifier: state });
    // natural's probabilityOfClass(), precomputed: a question then costs one addition a word and label
    const size = this.featureIndex.size;
    this.labels = Object.keys(state.classFeatures);
    this.logPrior = this.labels.map((l) => Math.log(state.classTotals[l]! / state.totalExamples));
    this.logLikelihood = this.labels.map((l) => {
      const c = labelNumbers.get(l)!;
      const total = totals[c]!;
      const table = new Float64Array(size).fill(Math.log(smoothing / total));
      const own = counts[c]!;
      for (const i of seen[c]!) table[i] = Math.log(own[i]! / total);
      return table;
    });
  }

  /** The vocabulary words of a text, each once, as feature numbers. */
  private observed(features: string[]): number[] {
    const seen: number[] = [];
    for (const f of features) {
      const index = this.featureIndex.get(f);
      if (index !== undefined && !seen.includes(index)) seen.push(index);
    }
    return seen;
  }

  /** log P(label) + Σ log P(word | label) for one label. */
  private logScore(c: number, seen: number[]): number {
    let log = 0;
    const table = this.logLikelihood[c]!;
    for (const i of seen) log += table[i]!;
    return this.logPrior[c]! + log;
  }

  /** Intents, most likely first, with natural's probabilities. */
  classify(features: string[]): Classification[] {
    const seen = this.observed(features);
    const out = this.labels.map((label, c) => ({ label, value: Math.exp(this.logScore(c, seen)) }));
    return out.sort((a, b) => b.value - a.value);
  }

  /**
   * The most likely intent. Compared in log space, so that a long text whose probabilities all
   * round to zero still gets the label that is likeliest, not merely the first one.
   */
  best(features: string[]): string {
    const seen = this.observed(features);
    let best = 0;
    let bestLog = -Infinity;
    for (let c = 0; c < this.labels.length; c++) {
      const log = this.logScore(c, seen);
      if (log > bestLog) { best = c; bestLog = log; }
    }
    return this.labels[best] ?? 'fact';
  }

  /** The same, computed by natural itself (for tests: both must agree). */
  classifyWithNatural(features: string[]): Classification[] {
    const observation: Record<number, number> = {};
    let n = 0;
    for (const f of new Set(features)) {
      const index = this.featureIndex.get(f);
      if (index !== undefined) observation[n++] = index;
    }
    return this.model.classifier.getClassifications(observation);
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
