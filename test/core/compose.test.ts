import { expect } from 'chai';
import {
  answerSpan,
  chineseDate,
  sessionReply,
  sessionStatus,
  sessionWhen,
  snippet,
  SNIPPET_CHARS,
  sourceLine,
} from '../../src/core/compose.js';
import type { Session } from '../../src/core/corpus/types.js';
import type { Fact } from '../../src/core/knowledge.js';
import { DEFAULT_OPTIONS } from '../../src/core/options.js';
import { analyse } from '../../src/core/question.js';
import { engineFor, SEED_CORPUS } from '../helpers.js';

const knowledge = engineFor(SEED_CORPUS).knowledge;
const ask = (q: string) => analyse(q, knowledge, DEFAULT_OPTIONS);
const factWith = (text: string) => ({ ...knowledge.facts[0]!, text }) as Fact;

describe('snippet', () => {
  it('keeps a short sentence whole', () => {
    const text = '推进11个片区老旧小区改造,涉及居民楼71栋。';
    expect(snippet(factWith(text), ask('改造涉及的居民楼有多少栋'))).to.equal(text);
  });

  it('cuts a long sentence to the clauses that answer, with ellipses', () => {
    const filler = '持续打好打赢城市更新建设攻坚战的各项具体任务和工作,';
    const text = `${[filler, filler, filler, '累计完成征迁11.54万平方米,', ...Array(8).fill(filler)].join('')}。`;
    const out = snippet(factWith(text), ask('累计完成征迁多少平方米'));
    expect(out).to.include('累计完成征迁11.54万平方米');
    expect(out.length).to.be.at.most(SNIPPET_CHARS + 4);
    expect(out.startsWith('……')).to.equal(true);
    expect(out.endsWith('……')).to.equal(true);
  });

  it('shows the clauses after those that match, where what answers usually stands', () => {
    const filler = '持续打好打赢城市更新建设攻坚战的各项具体任务和工作,';
    const text = `${[filler, filler, filler, '老旧小区改造的主要内容,', '包括更换供水管网和加装电梯,', filler, filler, filler].join('')}。`;
    const out = snippet(factWith(text), ask('老旧小区改造有什么内容'));
    expect(out).to.include('老旧小区改造的主要内容,包括更换供水管网和加装电梯');
    expect(out.length).to.be.at.most(SNIPPET_CHARS + 4);
  });
});

describe('snippet of a sentence that names several editions', () => {
  const text = '城阳区举办第十二届海鲜节及第五届樱桃节等活动30余场。';
  const cases = [
    { q: '海鲜节是第几届', shows: '城阳区举办第十二届海鲜节……', hides: '第五届' },
    { q: '城阳樱桃节办到第几届了', shows: '城阳区举办……第五届樱桃节等活动30余场。', hides: '第十二届' },
  ];
  for (const { q, shows, hides } of cases) {
    it(`${q}: the edition asked about, not the other`, () => {
      const out = snippet(factWith(text), ask(q));
      expect(out).to.equal(shows);
      expect(out).to.not.include(hides);
    });
  }
  it('is shown whole when no edition is asked, or the question names none of them', () => {
    expect(snippet(factWith(text), ask('城阳办了多少场活动'))).to.equal(text);
    expect(snippet(factWith(text), ask('城阳的节是第几届'))).to.equal(text);
  });
});

describe('answerSpan', () => {
  const cases = [
    { q: '家庭医生签约了多少居民', text: '2023年家庭医生签约居民已达34万人。', span: '34万人' },
    { q: '5年期利率多少', text: '我行的个人养老金储蓄3年期利率3.0%,5年期3.05%,1万元起存。', span: '3.05%' },
    { q: '会议什么时候召开', text: '3月28日上午,全市公安局长会议召开。', span: '3月28日上午' },
    { q: '李沧有什么活动', text: '李沧区成功举办第二十九届“李沧之春”文化系列活动。', span: undefined },
  ];
  for (const { q, text, span } of cases) it(`${q} → ${span}`, () => expect(answerSpan(text, ask(q))).to.equal(span));
});

describe('sourceLine', () => {
  it('names an article without a headline by its first words, never as 《》', () => {
    const article = { ...knowledge.articles[0]!, headline: '', byline: undefined };
    const line = sourceLine(article);
    expect(line).not.to.include('《》');
    expect(line).to.include(`《${article.paragraphs[0]!.text.slice(0, 10)}`);
  });
});

describe('sessions', () => {
  const session: Session = {
    page: 'p',
    start: '2023-03-30T14:30:00+08:00',
    end: '2023-03-30T16:00:00+08:00',
    weekday: 4,
    unit: '市生态环境局',
    raw: '',
  };
  it('says when, with weekday and time range', () => expect(sessionWhen(session)).to.equal('2023年3月30日(周四)14:30—16:00'));

  const statuses = [
    { now: '2023-03-29T20:00:00+08:00', says: '还没开始,约19小时后开始' },
    { now: '2023-03-30T14:00:00+08:00', says: '约30分钟后开始' },
    { now: '2023-03-25T10:00:00+08:00', says: '还有5天' },
    { now: '2023-03-30T15:00:00+08:00', says: '正在进行中' },
    { now: '2023-03-30T16:00:00+08:00', says: '已经举行过了' },
  ];
  for (const { now, says } of statuses) {
    it(`at ${now}: ${says}`, () => expect(sessionStatus(session, new Date(now))).to.include(says));
  }

  it('replies with time, unit, status and source', () => {
    const reply = sessionReply(session, new Date('2023-03-29T20:00:00+08:00'), '2023-03-29');
    expect(reply).to.include('网谈时间:2023年3月30日(周四)14:30—16:00');
    expect(reply).to.include('网谈单位:市生态环境局');
    expect(reply).to.include('2023年3月29日');
  });

  it('writes dates the Chinese way', () => expect(chineseDate('2023-03-09')).to.equal('2023年3月9日'));
});
