import { expect } from 'chai';
import { join } from 'node:path';
import { loadLexicon } from '../../../src/core/text/lexicon.js';
import { normalize } from '../../../src/core/text/normalize.js';
import { cutMany, forEachTermSource, keywords, loadJieba, pairs, segment, segmentAll, teachLexicon, terms } from '../../../src/core/text/segment.js';
import { SEED_CORPUS } from '../../helpers.js';

const lexicon = loadLexicon(join(SEED_CORPUS, 'lexicon'));
teachLexicon(lexicon);
const words = (text: string) => segment(normalize(text)).map((w) => w.word);

describe('segment', () => {
  const kept = [
    { text: '超34万名居民', span: '34万' },
    { text: '5年期3.05%', span: '3.05%' },
    { text: '推行课后服务“5+2”模式', span: '5+2' },
    { text: '推行家庭医生签约“3+X+1”服务模式', span: '3+x+1' },
    { text: '下午2:30—4:00', span: '2:30—4:00' },
    { text: '网谈时间:3月30日', span: '3月30日' },
    { text: '累计完成征迁11.54万平方米', span: '11.54万' },
    { text: '个人养老金储蓄10年期利率', span: '10年期' },
  ];
  for (const { text, span } of kept) {
    it(`keeps "${span}" whole in "${text}"`, () => expect(words(text)).to.include(span));
  }

  it('keeps the user dictionary words whole', () => {
    expect(words('下期民生在线什么时候')).to.include('民生在线');
  });

  it('says what kind of span a protected word is, and where it stands', () => {
    const text = normalize('网谈时间:3月30日下午2:30—4:00,利率3.05%,ICBC');
    const kinds = segment(text).filter((w) => w.tag).map((w) => [w.word, w.tag]);
    expect(kinds).to.deep.equal([['3月30日', 'date'], ['2:30—4:00', 'time'], ['3.05%', 'm'], ['icbc', 'eng']]);
    for (const w of segment(text)) expect(text.slice(w.start, w.end)).to.equal(w.word);
  });

  it('keeps every character of the text, emoji included', () => {
    const text = '😀 超34万名居民 hi';
    expect(segment(text).map((w) => w.word).join('')).to.equal(text);
  });

  it('returns nothing for empty text', () => expect(segment('')).to.deep.equal([]));
});

describe('keywords', () => {
  const cases = [
    { text: '工行个人养老金储蓄5年期利率是多少?', expected: ['工商银行', '个人养老金', '储蓄', '5年期', '利率'] },
    { text: '老破小改造', expected: ['老旧小区', '改造'] },
    { text: 'ICBC的利息', expected: ['工商银行', '利率'] },
    { text: '李沧之春是第几届', expected: ['李', '沧', '之', '春'] }, // single characters: terms() joins them
  ];
  for (const { text, expected } of cases) {
    it(`${text} → ${expected.join(' ')}`, () => {
      expect(keywords(segment(normalize(text)), lexicon)).to.deep.equal(expected);
    });
  }
});

describe('terms', () => {
  it('adds the character pairs of long Chinese words', () => {
    expect(pairs('李沧区')).to.deep.equal(['李沧', '沧区']);
    expect(terms(['李沧区'])).to.deep.equal(['李沧区', '李沧', '沧区']);
  });
  it('joins runs of single characters', () => {
    expect(terms(['李', '沧', '之', '春'])).to.include.members(['李沧之春', '李沧', '之春']);
  });
  it('leaves numbers and Latin words alone', () => {
    expect(terms(['3.05%', 'icbc'])).to.deep.equal(['3.05%', 'icbc']);
  });
});

describe('cutMany', () => {
  const texts = [
    '李沧区累计完成征迁11.54万平方米,', '', '个人养老金储蓄5年期利率3.05%。', 'ICBC 工行\n青岛市分行', '\n', ' 下午2:30—4:00 ',
    '😀', '李沧之春文化系列活动', 'a'.repeat(5000), '民生在线',
  ];

  it('cuts each text as jieba cuts it on its own', () => {
    const jieba = loadJieba();
    expect(cutMany(texts)).to.deep.equal(texts.map((t) => (t ? jieba.cut(t) : [])));
  });

  it('gives segmentAll the words segment gives', () => {
    const normalised = texts.map(normalize);
    expect(segmentAll(normalised)).to.deep.equal(normalised.map(segment));
  });
});

describe('forEachTermSource', () => {
  it('gives the terms of `terms`, grouped by keyword and run', () => {
    for (const keys of [['个人养老金', '储蓄', '5年期'], ['李', '沧', '之', '春', '文化'], ['河', '上游', '绿', '道', '建'], ['工商银行'], []]) {
      const grouped: string[] = [];
      forEachTermSource(keys, (k) => k, (k) => grouped.push(k, ...pairs(k)), (run) => grouped.push(run, ...pairs(run)));
      expect(grouped.sort()).to.deep.equal(terms(keys).sort());
    }
  });
});
