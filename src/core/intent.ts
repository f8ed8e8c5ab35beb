/**
 * Intent classification with natural's naive Bayes classifier: fact, schedule, greeting, help,
 * thanks, out_of_scope. Taught by the lexicon's examples and a bounded sample of the articles.
 * natural turns each question into a vector over the whole vocabulary; here the question's words are
 * looked up in that vocabulary once and handed to natural's Bayes model as a sparse observation,
 * which gives the same probabilities at a fraction of the cost.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface NaturalBayes {
  addDocument(tokens: string[], label: string): void;
  train(): void;
  features: Record<string, number>;
  classifier: { getClassifications(observation: Record<number, number>): Array<{ label: string; value: number }> };
}

export interface Classification { label: string; value: number }

export class IntentClassifier {
  private readonly model: NaturalBayes;
  private readonly featureIndex = new Map<string, number>();

  constructor(docs: Array<{ features: string[]; label: string }>, smoothing = 0.01) {
    const Bayes = require('natural/lib/natural/classifiers/bayes_classifier.js');
    // little smoothing: a class that never saw a word of the question is unlikely, however small it is
    this.model = new Bayes(undefined, smoothing) as NaturalBayes;
    for (const d of docs) if (d.features.length) this.model.addDocument(d.features, d.label);
    this.model.train();
    let i = 0;
    for (const feature in this.model.features) this.featureIndex.set(feature, i++); // natural's vector order
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
