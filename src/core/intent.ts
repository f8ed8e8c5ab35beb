/**
 * Intent classification with natural's naive Bayes classifier: fact, schedule, greeting, help,
 * thanks, out_of_scope. Taught by the lexicon's examples and a bounded sample of the articles.
 * natural's own train() and classify() find each vocabulary word in each text by linear search;
 * here the vocabulary is indexed once, training examples go to natural's Bayes model as sparse
 * observations (the feature numbers a text has), and the model is read back in log space: the
 * same probabilities at a fraction of the cost.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface NaturalBayes {
  classifier: {
    addExample(observation: number[] | Record<number, number>, label: string): void;
    getClassifications(observation: Record<number, number>): Array<{ label: string; value: number }>;
    classFeatures: Record<string, Record<number, number>>;
    classTotals: Record<string, number>;
    totalExamples: number;
    smoothing: number;
  };
}

export interface Classification { label: string; value: number }

/** natural's naive Bayes model, empty. */
export function naturalBayes(smoothing: number): NaturalBayes {
  const Bayes = require('natural/lib/natural/classifiers/bayes_classifier.js');
  return new Bayes(undefined, smoothing) as NaturalBayes;
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
    this.model = naturalBayes(smoothing);
    const bayes = this.model.classifier;
    // per label, the features its examples had: natural's counts of them become log likelihoods below
    const seenBy = new Map<string, number[]>();
    // per feature, the last example it was counted in: a word counts once per example, as in a 0/1 vector
    let lastExample = new Int32Array(256);
    let example = 0;
    for (const d of docs) {
      if (!d.features.length) continue;
      example++;
      let seen = seenBy.get(d.label);
      if (!seen) seenBy.set(d.label, (seen = []));
      const counts = bayes.classFeatures[d.label];
      const observation: Record<number, number> = {};
      let n = 0;
      for (const f of d.features) {
        let index = this.featureIndex.get(f);
        if (index === undefined) {
          this.featureIndex.set(f, (index = this.featureIndex.size));
          if (index === lastExample.length) {
            const grown = new Int32Array(index * 2);
            grown.set(lastExample);
            lastExample = grown;
          }
        }
        if (lastExample[index] === example) continue;
        lastExample[index] = example;
        if (!counts?.[index]) seen.push(index);
        observation[n++] = index;
      }
      bayes.addExample(observation, d.label);
      // natural counts an example (and its label) only when it comes as a vector: count it here
      bayes.totalExamples++;
      bayes.classTotals[d.label]!++;
    }
    // natural's probabilityOfClass(), precomputed: a question then costs one addition a word and label
    const size = this.featureIndex.size;
    const { classFeatures, classTotals, totalExamples, smoothing: floor } = bayes;
    this.labels = Object.keys(classFeatures);
    this.logPrior = this.labels.map((l) => Math.log(classTotals[l]! / totalExamples));
    this.logLikelihood = this.labels.map((l) => {
      const total = classTotals[l]!;
      const table = new Float64Array(size).fill(Math.log(floor / total));
      const counts = classFeatures[l]!;
      for (const i of seenBy.get(l)!) table[i] = Math.log((counts[i] || floor) / total);
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
