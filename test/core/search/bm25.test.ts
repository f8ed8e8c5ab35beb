import { expect } from 'chai';
import { Bm25Index } from '../../../src/core/search/bm25.js';

describe('Bm25Index', () => {
  const index = new Bm25Index();
  index.add(['利率', '储蓄', '5年期']);
  index.add(['家庭医生', '签约', '居民']);
  index.add(['家庭医生', '团队'], ['利率']);

  it('ranks the document holding the rarer term first', () => {
    const scores = index.search(['家庭医生', '签约']);
    expect([...scores.entries()].sort((a, b) => b[1] - a[1])[0]![0]).to.equal(1);
  });

  it('scores only documents sharing a term', () => {
    expect([...index.search(['储蓄']).keys()]).to.deep.equal([0]);
    expect(index.search(['比特币']).size).to.equal(0);
  });

  it('counts context terms for less than body terms', () => {
    const scores = index.search(['利率']);
    expect(scores.get(0)).to.be.greaterThan(scores.get(2)!);
  });

  it('gives an unseen term the highest idf', () => {
    expect(index.idf('比特币')).to.be.greaterThan(index.idf('家庭医生'));
  });

  it('knows which document holds a term', () => {
    expect(index.has('团队', 2)).to.equal(true);
    expect(index.has('团队', 1)).to.equal(false);
    expect(index.df('家庭医生')).to.equal(2);
  });
});
