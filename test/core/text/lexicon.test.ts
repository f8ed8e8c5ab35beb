import { expect } from 'chai';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('gives the same lexicon back while its files say the same, and reads them again once they change', () => {
    const first = loadLexicon(dir);
    expect(loadLexicon(dir)).to.equal(first);
    appendFileSync(join(dir, 'synonyms.txt'), '\n城阳区 = 城阳\n');
    const second = loadLexicon(dir);
    expect(second).to.not.equal(first);
    expect(second.synonyms.get('城阳')).to.equal('城阳区');
    expect(first.synonyms.has('城阳')).to.equal(false);
  });

  it('notices an edit that keeps the size and sets the modification time back', () => {
    const file = join(dir, 'synonyms.txt');
    const past = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000); // a time utimes keeps exactly
    utimesSync(file, past, past);
    const first = loadLexicon(dir, { settleMs: -Infinity }); // file times trusted however recent the write
    expect(loadLexicon(dir, { settleMs: -Infinity })).to.equal(first);
    writeFileSync(file, readFileSync(file, 'utf8').replace('工行', '工银'));
    utimesSync(file, past, past);
    const second = loadLexicon(dir, { settleMs: -Infinity });
    expect(second).to.not.equal(first);
    expect(second.synonyms.get('工银')).to.equal('工商银行');
  });

  it('notices a lexicon file that appears', () => {
    rmSync(join(dir, 'stopwords.txt'));
    const without = loadLexicon(dir, { settleMs: -Infinity });
    expect(without.stopwords.size).to.equal(0);
    writeFileSync(join(dir, 'stopwords.txt'), '的\n');
    expect(loadLexicon(dir, { settleMs: -Infinity }).stopwords.has('的')).to.equal(true);
  });
});
