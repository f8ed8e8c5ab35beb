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
import { TermNumbers } from './text/term-numbers.js';

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

/** A training example: its words as text, or as the numbers the classifier's `numbers` give them. */
export type Example = { features: string[]; label: string } | { numbered: ArrayLike<number>; label: string };

export interface ClassifierOptions {
  /** little smoothing: a class that never saw a word of the question is unlikely, however small it is */
  smoothing?: number;
  /** how words are numbered: shared with a builder that has numbered them already, or the classifier's own */
  numbers?: TermNumbers;
}

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
  private readonly numbers: TermNumbers;
  /** per word number: its feature number, or -1 for a word no example had */
  private readonly featureOf: Int32Array;
  private readonly labels: string[];
  /** natural's model in log space: per label, log P(label) and log P(word | label) for each word */
  private readonly logPrior: number[];
  private readonly logLikelihood: Float64Array[];

  constructor(docs: Example[], { smoothing = 0.01, numbers = new TermNumbers() }: ClassifierOptions = {}) {
    this.numbers = numbers;
    let featureOf = new Int32Array(Math.max(256, numbers.size)).fill(-1);
    let size = 0;
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
      const numbered = 'numbered' in d ? d.numbered : undefined;
      const text = 'features' in d ? d.features : undefined;
      const words = numbered ? numbered.length : text!.length;
      if (!words) continue;
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
      for (let k = 0; k < words; k++) {
        const word = numbered ? numbered[k]! : numbers.of(text![k]!);
        if (word >= featureOf.length) featureOf = grown(featureOf, new Int32Array(Math.max(word + 1, featureOf.length * 2)).fill(-1));
        let index = featureOf[word]!;
        if (index < 0) {
          featureOf[word] = index = size++;
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
    this.featureOf = featureOf;
    // natural's probabilityOfClass(), precomputed: a question then costs one addition a word and label
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
  private observed(features: Iterable<string>): number[] {
    const seen: number[] = [];
    for (const f of features) {
      const index = this.featureNumber(f);
      if (index >= 0 && !seen.includes(index)) seen.push(index);
    }
    return seen;
  }

  /** A word's feature number, or -1 when no example had it. */
  private featureNumber(word: string): number {
    const number = this.numbers.find(word);
    return number === undefined || number >= this.featureOf.length ? -1 : this.featureOf[number]!;
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
    for (const index of this.observed(features)) observation[n++] = index;
    return this.model.classifier.getClassifications(observation);
  }
}

function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
