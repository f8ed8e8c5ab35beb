import { expect } from 'chai';
import { Bm25Index } from '../../../src/core/search/bm25.js';
import { TermNumbers } from '../../../src/core/text/term-numbers.js';

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

  it('scores the same after documents are added as an index built at once', () => {
    const grown = new Bm25Index();
    grown.add(['利率', '储蓄']);
    grown.search(['利率']); // weights worked out for one document…
    grown.add(['利率', '家庭医生'], ['储蓄']); // …and again for two
    const fresh = new Bm25Index();
    fresh.add(['利率', '储蓄']);
    fresh.add(['利率', '家庭医生'], ['储蓄']);
    expect(scored(grown, ['利率', '储蓄'])).to.deep.equal(scored(fresh, ['利率', '储蓄']));
    expect(grown.idf('利率')).to.equal(fresh.idf('利率'));
  });

  it('searches looked-up postings as it searches terms', () => {
    const query = ['家庭医生', '利率', '比特币', '利率'];
    const looked = index.searchPostings(query.map((t) => index.postingsOf(t)));
    expect(looked).to.deep.equal(index.search(query));
  });

  it('adds looked-up postings as it adds terms', () => {
    const a = new Bm25Index();
    const b = new Bm25Index();
    a.add(['利率', '利率', '储蓄'], ['储蓄', '团队', '团队']);
    b.addTerms(['利率', '利率', '储蓄'].map((t) => b.termId(t)), ['储蓄', '团队', '团队'].map((t) => b.termId(t)));
    for (const t of ['利率', '储蓄', '团队']) expect(b.tf(t, 0)).to.equal(a.tf(t, 0));
    expect(scored(b, ['利率', '团队'])).to.deep.equal(scored(a, ['利率', '团队']));
  });

  it('scores the same with term numbers shared with an index built before', () => {
    const numbers = new TermNumbers();
    const before = new Bm25Index({ numbers });
    for (let i = 0; i < 300; i++) before.add([`词${i}`, '利率']); // numbers beyond the next index's first room
    const shared = new Bm25Index({ numbers });
    const own = new Bm25Index();
    const ids = ['词299', '家庭医生', '利率'].map((t) => numbers.of(t)); // numbered before, not through `shared`
    shared.addTerms(ids, [numbers.of('储蓄')]);
    own.add(['词299', '家庭医生', '利率'], ['储蓄']);
    shared.add(['利率', '团队']);
    own.add(['利率', '团队']);
    for (const q of [['利率'], ['家庭医生', '储蓄'], ['词299', '团队'], ['词5']]) expect(scored(shared, q)).to.deep.equal(scored(own, q));
    expect(shared.df('词5')).to.equal(0); // numbered for the other index only
    expect(shared.idf('词5')).to.equal(own.idf('词5'));
    expect(before.df('利率')).to.equal(300); // the earlier index is left as it was
  });
});
