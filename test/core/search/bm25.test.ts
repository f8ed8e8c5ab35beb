import { expect } from 'chai';
import { best, Bm25Index } from '../../../src/core/search/bm25.js';

/** search() as a map from document to score. */
const scored = (index: Bm25Index, query: string[]) => {
  const { docs, values } = index.search(query);
  return new Map([...docs].map((d, i) => [d, values[i]!]));
};

describe('Bm25Index', () => {
  const index = new Bm25Index();
  index.add(['利率', '储蓄', '5年期']);
  index.add(['家庭医生', '签约', '居民']);
  index.add(['家庭医生', '团队', '家庭医生']);

  it('ranks the document holding the rarer term first', () => {
    const scores = scored(index, ['家庭医生', '签约']);
    expect([...scores.entries()].sort((a, b) => b[1] - a[1])[0]![0]).to.equal(1);
  });

  it('scores only documents sharing a term', () => {
    expect([...scored(index, ['储蓄']).keys()]).to.deep.equal([0]);
    expect(scored(index, ['比特币']).size).to.equal(0);
  });

  it('counts a term repeated in the query once', () => {
    expect(scored(index, ['储蓄', '储蓄'])).to.deep.equal(scored(index, ['储蓄']));
  });

  it('gives an unseen term the highest idf', () => {
    expect(index.idf('比特币')).to.be.greaterThan(index.idf('家庭医生'));
  });

  it('knows document frequencies', () => {
    expect(index.df('家庭医生')).to.equal(2);
    expect(index.df('储蓄')).to.equal(1);
    expect(index.df('比特币')).to.equal(0);
    expect(index.size).to.equal(3);
  });

  it('weighs a term by how often a document holds it, saturating as BM25 does', () => {
    // documents 1 and 2 are as long as the average (3 terms): the weight of a term held tf times is
    // idf · tf · (k1 + 1) / (tf + k1), with k1 = 1.2
    const scores = scored(index, ['家庭医生']);
    expect([...scores.keys()].sort()).to.deep.equal([1, 2]);
    const idf = index.idf('家庭医生');
    expect(scores.get(1)).to.be.closeTo(idf, 1e-12);
    expect(scores.get(2)).to.be.closeTo((idf * 2 * 2.2) / 3.2, 1e-12);
  });

  it('scores the same after documents are added as an index built at once', () => {
    const grown = new Bm25Index();
    grown.add(['利率', '储蓄']);
    grown.search(['利率']);
    grown.add(['利率', '家庭医生']);
    const fresh = new Bm25Index();
    fresh.add(['利率', '储蓄']);
    fresh.add(['利率', '家庭医生']);
    expect(scored(grown, ['利率', '储蓄'])).to.deep.equal(scored(fresh, ['利率', '储蓄']));
  });
});

describe('best', () => {
  it('hands out the best scores first, equal ones in document order, as a full sort would', () => {
    let seed = 11;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (const n of [0, 1, 3, 9, 40, 200]) {
      for (const k of [1, 4, 30]) {
        const values = Array.from({ length: n }, () => Math.floor(rnd() * 8) / 2); // many ties
        const docs = values.map((_, i) => (i * 7919) % 1000); // not in order
        const sorted = docs.map((doc, i) => ({ doc, score: values[i]! })).sort((a, b) => b.score - a.score || a.doc - b.doc);
        expect(
          best({ docs: Int32Array.from(docs), values: Float64Array.from(values), max: Math.max(1e-9, ...values) }, k),
          `n=${n} k=${k}`,
        ).to.deep.equal(sorted.slice(0, k));
      }
    }
  });
});
