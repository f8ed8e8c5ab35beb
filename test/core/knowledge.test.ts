import { expect } from 'chai';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { splitClauses } from '../../src/core/corpus/sentences.js';
import { createEngine } from '../../src/core/engine.js';
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

  it('answers after rebuilds under one lexicon (term numbers shared) as a build of its own does', () => {
    const now = () => new Date('2023-03-29T20:00:00+08:00');
    const lexiconDir = join(SEED_CORPUS, 'lexicon');
    const first = createEngine({ corpusDir: SEED_CORPUS, lexiconDir, now });
    createEngine({ corpusDir: SECOND_PAGE_CORPUS, lexiconDir, now }); // numbers words the seed never has
    const again = createEngine({ corpusDir: SEED_CORPUS, lexiconDir, now });
    const own = mkdtempSync(join(tmpdir(), 'lexicon-'));
    try {
      cpSync(lexiconDir, own, { recursive: true }); // another folder: a lexicon, and term numbers, of its own
      const alone = createEngine({ corpusDir: SEED_CORPUS, lexiconDir: own, now });
      const questions = [
        ...alone.knowledge.facts.flatMap((f) => [f.text.slice(0, 12), `${f.text.slice(4, 14)}吗`]),
        '城阳农商银行', '你好', '下期民生在线什么时候', '北京的房价',
      ];
      for (const q of questions) {
        const want = alone.ask(q);
        expect(first.ask(q), q).to.deep.equal(want);
        expect(again.ask(q), q).to.deep.equal(want);
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });
});
