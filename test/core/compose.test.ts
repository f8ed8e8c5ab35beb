import { expect } from 'chai';
import { chineseDate, sessionReply, sessionStatus, sessionWhen, snippet, SNIPPET_CHARS } from '../../../src/core/answer/compose.js';
import type { Session } from '../../../src/core/corpus/types.js';

const clause = (text: string) => ({ text, keys: [text], hasNumber: /\d/.test(text), hasTime: false });

describe('snippet', () => {
  it('keeps a short sentence whole', () => {
    expect(snippet([clause('推进11个片区老旧小区改造,'), clause('涉及居民楼71栋。')], () => 0)).to.equal('推进11个片区老旧小区改造,涉及居民楼71栋。');
  });

  it('cuts a long sentence to the clauses that answer, with ellipses', () => {
    const filler = '持续打好打赢城市更新建设攻坚战的各项具体任务,';
    const parts = [filler, filler, '累计完成征迁11.54万平方米,', filler, filler, filler, '。'].map(clause);
    const out = snippet(parts, (c) => (c.text.includes('征迁') ? 5 : 0));
    expect(out).to.include('累计完成征迁11.54万平方米');
    expect(out.length).to.be.at.most(SNIPPET_CHARS + 4);
    expect(out.startsWith('……')).to.equal(true);
    expect(out.endsWith('……')).to.equal(true);
  });
});

describe('sessions', () => {
  const session: Session = {
    page: 'p', start: '2023-03-30T14:30:00+08:00', end: '2023-03-30T16:00:00+08:00', weekday: 4, unit: '市生态环境局', raw: '',
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
