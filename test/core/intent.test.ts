import { expect } from 'chai';
import { IntentClassifier, naturalBayes } from '../../src/core/intent.js';
import { TermNumbers } from '../../src/core/text/term-numbers.js';

describe('IntentClassifier', () => {
  const classifier = new IntentClassifier([
    { features: ['下期', '民生在线', '时候'], label: 'schedule' },
    { features: ['下期', '单位'], label: 'schedule' },
    { features: ['你好'], label: 'greeting' },
    { features: ['天气', '下雨'], label: 'out_of_scope' },
    { features: ['工商银行', '利率', '储蓄'], label: 'fact' },
    { features: ['家庭医生', '签约', '居民'], label: 'fact' },
  ]);

  const cases = [
    { features: ['下期', '民生在线'], label: 'schedule' },
    { features: ['你好'], label: 'greeting' },
    { features: ['天气'], label: 'out_of_scope' },
    { features: ['工商银行', '利率'], label: 'fact' },
  ];
  for (const { features, label } of cases) {
    it(`${features.join(' ')} → ${label}`, () => expect(classifier.classify(features)[0]!.label).to.equal(label));
  }

  it('gives the probabilities natural computes', () => {
    for (const features of [['下期', '利率'], ['你好', '天气', '不认识的词'], []]) {
      const ours = classifier.classify(features);
      const natural = classifier.classifyWithNatural(features);
      expect(ours.map((c) => c.label)).to.deep.equal(natural.map((c) => c.label));
      ours.forEach((c, i) => expect(c.value).to.be.closeTo(natural[i]!.value, 1e-12 + natural[i]!.value * 1e-9));
    }
  });

  it('learns the model natural learns from the same examples as 0/1 vectors', () => {
    const docs = [
      { features: ['下期', '民生在线', '下期'], label: 'schedule' },
      { features: ['你好'], label: 'greeting' },
      { features: ['工商银行', '利率'], label: 'fact' },
      { features: [], label: 'fact' },
      { features: ['利率', '储蓄', '下期'], label: 'fact' },
    ];
    const ours = (new IntentClassifier(docs) as unknown as { model: ReturnType<typeof naturalBayes> }).model.classifier;
    const vocabulary = [...new Set(docs.flatMap((d) => d.features))];
    const dense = naturalBayes(0.01);
    for (const d of docs.filter((x) => x.features.length)) {
      dense.classifier.addExample(vocabulary.map((w) => (d.features.includes(w) ? 1 : 0)), d.label);
    }
    expect(ours.classFeatures).to.deep.equal(dense.classifier.classFeatures);
    expect(ours.classTotals).to.deep.equal(dense.classifier.classTotals);
    expect(ours.totalExamples).to.equal(dense.classifier.totalExamples);
  });

  it('learns the model natural learns, to the last bit, when words recur in many examples', () => {
    // counts climb to a few hundred: 1.01 + 1 + 1 … must be summed as natural sums it
    const words = Array.from({ length: 8 }, (_, i) => `词${i}`);
    const labels = ['fact', 'schedule', 'greeting'];
    const docs = Array.from({ length: 600 }, (_, n) => ({
      features: [words[n % 8]!, words[(n * 3) % 7]!, words[(n * n) % 5]!, words[n % 8]!],
      label: labels[(n * 5) % 3]!,
    }));
    const ours = (new IntentClassifier(docs) as unknown as { model: ReturnType<typeof naturalBayes> }).model.classifier;
    const vocabulary = [...new Set(docs.flatMap((d) => d.features))]; // numbered as first met
    const natural = naturalBayes(0.01);
    for (const d of docs) natural.classifier.addExample(vocabulary.map((w) => (d.features.includes(w) ? 1 : 0)), d.label);
    expect(ours.classFeatures).to.deep.equal(natural.classifier.classFeatures);
    expect(ours.classTotals).to.deep.equal(natural.classifier.classTotals);
    expect(ours.totalExamples).to.equal(natural.classifier.totalExamples);
    expect(Object.values(ours.classFeatures['fact']!).some((count) => count > 100)).to.equal(true);
  });

  it('learns the same from words given as numbers as from words given as text', () => {
    const docs = [
      { features: ['工商银行', '利率', '储蓄', '利率'], label: 'fact' },
      { features: ['家庭医生', '签约'], label: 'fact' },
      { features: ['下期', '民生在线'], label: 'schedule' },
      { features: ['你好'], label: 'greeting' },
    ];
    const numbers = new TermNumbers();
    numbers.of('别的词'); // numbers need not start at 0
    const numbered = docs.map((d) => (d.label === 'fact' ? { numbered: d.features.map((f) => numbers.of(f)), label: d.label } : d));
    const fromText = new IntentClassifier(docs);
    const fromNumbers = new IntentClassifier(numbered, { numbers });
    const model = (c: IntentClassifier) => (c as unknown as { model: ReturnType<typeof naturalBayes> }).model.classifier;
    expect(model(fromNumbers).classFeatures).to.deep.equal(model(fromText).classFeatures);
    for (const q of [['利率', '下期'], ['你好', '没见过'], ['别的词'], []]) expect(fromNumbers.classify(q)).to.deep.equal(fromText.classify(q));
  });

  it('best() names the label classify() puts first', () => {
    for (const { features } of cases) expect(classifier.best(features)).to.equal(classifier.classify(features)[0]!.label);
    expect(classifier.best([])).to.equal(classifier.classify([])[0]!.label);
  });

  it('best() still tells labels apart when every probability rounds to zero', () => {
    const many = new IntentClassifier([
      ...Array.from({ length: 200 }, (_, i) => ({ features: [`词${i}`, '天气'], label: 'out_of_scope' })),
      ...Array.from({ length: 200 }, (_, i) => ({ features: [`词${i}`, '利率'], label: 'fact' })),
    ]);
    const features = ['天气', ...Array.from({ length: 200 }, (_, i) => `词${i}`)];
    expect(many.classify(features).every((c) => c.value === 0)).to.equal(true);
    expect(many.best(features)).to.equal('out_of_scope');
  });
});
