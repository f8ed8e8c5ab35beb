import { expect } from 'chai';
import { join } from 'node:path';
import { loadLexicon } from '../../../src/core/text/lexicon.js';
import { normalize } from '../../../src/core/text/normalize.js';
import { bigrams, keywords, segment, teachLexicon } from '../../../src/core/text/segment.js';
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
    { text: '公交318路延伸至青岛北站', span: '318路' },
    { text: '地铁3号线北段', span: '3号线' },
  ];
  for (const { text, span } of kept) {
    it(`keeps "${span}" whole in "${text}"`, () => expect(words(text)).to.include(span));
  }

  it('keeps the user dictionary words whole', () => {
    expect(words('下期民生在线什么时候')).to.include('民生在线');
  });

  it('says what kind of span a protected word is, and where it stands', () => {
    const text = normalize('网谈时间:3月30日下午2:30—4:00,利率3.05%,ICBC');
    const kinds = segment(text)
      .filter((w) => w.tag)
      .map((w) => [w.word, w.tag]);
    expect(kinds).to.deep.equal([
      ['3月30日', 'date'],
      ['2:30—4:00', 'time'],
      ['3.05%', 'm'],
      ['icbc', 'eng'],
    ]);
    for (const w of segment(text)) expect(text.slice(w.start, w.end)).to.equal(w.word);
  });

  it('keeps every character of the text, emoji included', () => {
    const text = '😀 超34万名居民 hi';
    expect(
      segment(text)
        .map((w) => w.word)
        .join(''),
    ).to.equal(text);
  });

  it('returns nothing for empty text', () => expect(segment('')).to.deep.equal([]));
});

describe('keywords', () => {
  const cases = [
    { text: '工行个人养老金储蓄5年期利率是多少?', expected: ['工商银行', '个人养老金', '储蓄', '5年期', '利率'] },
    { text: '老破小改造', expected: ['老旧小区', '改造'] },
    { text: 'ICBC的利息', expected: ['工商银行', '利率'] },
    { text: '李沧之春是第几届', expected: ['李', '沧', '春', '李沧之春'] },
    { text: '帮我查一下下期民生在线啥时候呀', expected: ['下期', '民生在线'] },
  ];
  for (const { text, expected } of cases) {
    it(`${text} → ${expected.join(' ')}`, () => {
      expect(keywords(segment(normalize(text)), lexicon).map((k) => k.key)).to.deep.equal(expected);
    });
  }

  it('says where each keyword stands', () => {
    const text = normalize('李沧之春是第几届');
    for (const k of keywords(segment(text), lexicon))
      expect(lexicon.synonyms.get(text.slice(k.start, k.end)) ?? text.slice(k.start, k.end)).to.equal(k.key);
  });
});

describe('bigrams', () => {
  it('pairs adjacent Chinese characters and keeps numbers and Latin words whole', () => {
    expect(bigrams(normalize('李沧区3.05%的icbc利率'))).to.deep.equal(['李沧', '沧区', '3.05%', 'icbc', '利率']);
  });
  it('does not pair across punctuation', () => {
    expect(bigrams('李,沧')).to.deep.equal([]);
  });
});
