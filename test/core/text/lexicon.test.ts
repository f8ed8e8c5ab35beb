import { expect } from 'chai';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLexicon } from '../../../src/core/text/lexicon.js';
import { SEED_CORPUS } from '../../helpers.js';

describe('loadLexicon', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lexicon-'));
    cpSync(join(SEED_CORPUS, 'lexicon'), dir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the files: user words, synonyms, stop words, intent examples', () => {
    const lexicon = loadLexicon(dir);
    expect(lexicon.userWords.map((w) => w.word)).to.include('民生在线');
    expect(lexicon.synonyms.get('工行')).to.equal('工商银行');
    expect(lexicon.stopwords.has('的')).to.equal(true);
    expect(lexicon.intentExamples.length).to.be.greaterThan(10);
  });

  it('reads the question words the newsroom lists', () => {
    expect(loadLexicon(dir).questionWords.has('帮我查一下')).to.equal(true);
  });

  it('reads a file again at the next load, and takes a missing one as empty', () => {
    appendFileSync(join(dir, 'synonyms.txt'), '\n城阳区 = 城阳\n');
    expect(loadLexicon(dir).synonyms.get('城阳')).to.equal('城阳区');
    rmSync(join(dir, 'stopwords.txt'));
    expect(loadLexicon(dir).stopwords.size).to.equal(0);
    writeFileSync(join(dir, 'stopwords.txt'), '的\n');
    expect(loadLexicon(dir).stopwords.has('的')).to.equal(true);
  });
});
