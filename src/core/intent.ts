/**
 * Intent classification with natural's naive Bayes classifier: fact, schedule, greeting, help,
 * thanks, out_of_scope. Taught by the lexicon's examples and a bounded sample of the articles.
 * natural's own train() and classify() find each vocabulary word in each text by linear search;
 * here the vocabulary is indexed once, training examples go to natural's Bayes model as the same
 * 0/1 vectors, and questions as sparse observations: the same probabilities at a fraction of the cost.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface NaturalBayes {
  classifier: {
    addExample(observation: number[], label: string): void;
    getClassifications(observation: Record<number, number>): Array<{ label: string; value: number }>;
  };
}

export interface Classification { label: string; value: number }

export class IntentClassifier {
  private readonly model: NaturalBayes;
  private readonly featureIndex = new Map<string, number>();

  constructor(docs: Array<{ features: string[]; label: string }>, smoothing = 0.01) {
    const Bayes = require('natural/lib/natural/classifiers/bayes_classifier.js');
    // little smoothing: a class that never saw a word of the question is unlikely, however small it is
    this.model = new Bayes(undefined, smoothing) as NaturalBayes;
    const taught = docs.filter((d) => d.features.length);
    for (const d of taught) for (const f of d.features) if (!this.featureIndex.has(f)) this.featureIndex.set(f, this.featureIndex.size);
    const size = this.featureIndex.size;
    for (const d of taught) {
      const vector: number[] = new Array(size).fill(0);
      for (const f of d.features) vector[this.featureIndex.get(f)!] = 1;
      this.model.classifier.addExample(vector, d.label);
    }
  }

  /** Intents, most likely first. */
  classify(features: string[]): Classification[] {
    const observation: Record<number, number> = {};
    let n = 0;
    for (const f of new Set(features)) {
      const index = this.featureIndex.get(f);
      if (index !== undefined) observation[n++] = index;
    }
    return this.model.classifier.getClassifications(observation);
  }
}
