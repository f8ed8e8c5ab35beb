import { expect } from 'chai';
import { Bm25Index } from '../../../src/core/search/bm25.js';

/** search() as a map from document to score. */
const scored = (index: Bm25Index, query: string[], commonDf?: number) => {
  const { docs, values } = index.search(query, commonDf);
  return new Map(docs.map((d, i) => [d, values[i]!]));
};

describe('Bm25Index', () => {
  const index = new Bm25Index();
  index.add(['利率', '储蓄', '5年期']);
  index.add(['家庭医生', '签约', '居民']);
  index.add(['家庭医生', '团队'], ['利率']);

  it('ranks the document holding the rarer term first', () => {
    const scores = scored(index, ['家庭医生', '签约']);
    expect([...scores.entries()].sort((a, b) => b[1] - a[1])[0]![0]).to.equal(1);
  });

  it('scores only documents sharing a term', () => {
    expect([...scored(index, ['储蓄']).keys()]).to.deep.equal([0]);
    expect(scored(index, ['比特币']).size).to.equal(0);
  });

  it('counts context terms for less than body terms', () => {
    const scores = scored(index, ['利率']);
    expect(scores.get(0)).to.be.greaterThan(scores.get(2)!);
  });

  it('leaves out very common terms while the query has rarer ones', () => {
    expect([...scored(index, ['家庭医生', '储蓄'], 1).keys()]).to.deep.equal([0]);
    expect([...scored(index, ['家庭医生'], 1).keys()].sort()).to.deep.equal([1, 2]);
  });

  it('gives an unseen term the highest idf', () => {
    expect(index.idf('比特币')).to.be.greaterThan(index.idf('家庭医生'));
  });

  it('tells body terms from context terms', () => {
    expect(index.tf('团队', 2)).to.equal(1);
    expect(index.inBody('利率', 2)).to.equal(false);
    expect(index.has('利率', 2)).to.equal(true);
    expect(index.has('团队', 1)).to.equal(false);
    expect(index.df('家庭医生')).to.equal(2);
  });
});
