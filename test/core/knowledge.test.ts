import { expect } from 'chai';
import { splitClauses } from '../../src/core/corpus/sentences.js';
import { clausesOf } from '../../src/core/knowledge.js';
import { normalize } from '../../src/core/text/normalize.js';
import { keywords, segment } from '../../src/core/text/segment.js';
import { engineFor, SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';

describe('knowledge', () => {
  for (const corpus of [SEED_CORPUS, SECOND_PAGE_CORPUS]) {
    const { facts, lexicon } = engineFor(corpus).knowledge;

    it(`gives each fact back its clauses as the sentence splits (${corpus.split('/').pop()})`, () => {
      expect(facts.length).to.be.greaterThan(10);
      for (const fact of facts) {
        const clauses = clausesOf(fact);
        expect(clauses.map((c) => c.text)).to.deep.equal(splitClauses(fact.text));
        expect(clauses.flatMap((c) => c.keys)).to.deep.equal(fact.keys);
        expect(clauses.some((c) => c.hasNumber)).to.equal(fact.hasNumber);
        expect(clauses.some((c) => c.hasTime)).to.equal(fact.hasTime);
      }
    });

    it(`reads a fact's keywords as the sentence read alone gives them (${corpus.split('/').pop()})`, () => {
      for (const fact of facts) expect(fact.keys).to.deep.equal(keywords(segment(normalize(fact.text)), lexicon));
    });
  }
});
