import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalize } from '../../src/core/text/normalize.js';
import { keywords, segment } from '../../src/core/text/segment.js';
import { engineFor, SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';

describe('buildKnowledge', () => {
  const { knowledge } = engineFor(SEED_CORPUS);

  it("reads a fact's keywords as the sentence read alone gives them; a caption or byline also by the words that ask for one", () => {
    for (const fact of knowledge.facts) {
      const alone = keywords(segment(normalize(fact.text)), knowledge.lexicon).map((k) => k.key);
      if (fact.kind === 'caption') expect(fact.keys).to.deep.equal([...alone, '照片', '图片', '摄影', '拍', '拍摄', '配图']);
      else if (fact.kind === 'byline')
        expect(fact.keys).to.deep.equal([
          ...alone,
          '记者',
          '报道',
          '作者',
          '通讯员',
          '写',
          '撰写',
          '采写',
          '稿子',
          '文章',
          '消息',
          '新闻',
          '发布',
          '来源',
        ]);
      else expect(fact.keys).to.deep.equal(alone);
    }
  });

  it('makes facts of headlines, section headings, body sentences, photo captions and bylines', () => {
    const kinds = new Set(knowledge.facts.map((f) => f.kind));
    expect([...kinds].sort()).to.deep.equal(['body', 'byline', 'caption', 'heading', 'title']);
    const caption = knowledge.facts.find((f) => f.kind === 'caption')!;
    expect(caption.text).to.include('刘卓毅 摄');
    const byline = knowledge.facts.find((f) => f.kind === 'byline' && f.article.headline.includes('民生答卷'))!;
    expect(byline.text).to.include('刘卓毅').and.include('丁之').and.include('2023年3月29日');
  });

  it('gives every fact of an article its headline as context', () => {
    for (const entry of knowledge.entries) {
      const head = keywords(segment(normalize(entry.article.headline)), knowledge.lexicon).map((k) => k.key);
      for (const fact of entry.facts) for (const k of head) expect(fact.context.keys.has(k), `${k} in ${fact.text}`).to.equal(true);
    }
  });

  it("profiles each article's places and organisations, most mentioned first", () => {
    const licang = knowledge.entries.find((e) => e.article.headline.includes('民生答卷'))!;
    expect(licang.entities.place[0]).to.equal('李沧区');
    const icbc = knowledge.entries.find((e) => e.article.headline.includes('首贷'))!;
    expect(icbc.entities.org).to.include('工商银行');
  });

  it('knows a district by its short name', () => {
    expect(knowledge.entityNames.get('李沧')).to.deep.equal({ kind: 'place', text: '李沧区' });
  });

  it('hears a name typed with a character of the same sound', () => {
    expect(knowledge.homophones.like('刘桌毅')).to.deep.equal(['刘卓毅']);
    // a reporter's name of two characters too, though two-character words are not sounded
    expect(knowledge.homophones.like('丁芝')).to.deep.equal(['丁之']);
    expect(engineFor(SECOND_PAGE_CORPUS).knowledge.homophones.like('张海风')).to.deep.equal(['张海峰']);
  });

  it('gives a list whose teaser says only that it follows ("都在哪儿？快来看看吧~") the sentence before it that says what it lists', () => {
    const dir = mkdtempSync(join(tmpdir(), 'knowledge-teaser-'));
    const page = [
      '新学期新学校！',
      '',
      '今年秋季，市南区将有3所新建学校投入使用。都在哪儿？快来看看吧~',
      '',
      '东海路小学',
      '燕儿岛路小学',
      '福州路中学',
    ];
    writeFileSync(join(dir, '2024-06-30-shinan-release-schools.txt'), page.join('\n'));
    const list = engineFor(dir).knowledge.facts.find((f) => f.kind === 'list');
    expect(list?.text).to.equal('今年秋季，市南区将有3所新建学校投入使用。都在哪儿？快来看看吧~：东海路小学、燕儿岛路小学、福州路中学。');
  });
});
