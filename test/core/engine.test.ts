import { expect } from 'chai';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SNIPPET_CHARS } from '../../src/core/compose.js';
import { createEngine, type Conversation } from '../../src/core/engine.js';
import { corpusOf, engineFor, plain, SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';

describe('Engine.ask', () => {
  const seed = engineFor(SEED_CORPUS);

  describe('facts from the seed page', () => {
    const cases = [
      { q: '李沧区有多少居民签约家庭医生?', has: ['34万'], source: '李沧公布一季度“民生答卷”' },
      { q: '课后服务推行什么模式', has: ['5+2'], source: '李沧公布一季度“民生答卷”' },
      { q: '李沧发了多少救助金', has: ['602万元'], source: '李沧公布一季度“民生答卷”' },
      { q: '老破小改造涉及多少户居民', has: ['4300户'], source: '李沧公布一季度“民生答卷”' },
      { q: 'ICBC的个人养老金5年期利率', has: ['3.05%'], source: '全市11家“首贷信用贷服务分中心”为用户提供专项服务', intent: 'rates' },
      { q: '工商银行青岛市分行贷款规模', has: ['3000亿'], source: '全市11家“首贷信用贷服务分中心”为用户提供专项服务' },
      { q: '全市公安局长会议什么时候开的', has: ['3月28日'], source: '全市公安局长会议召开 聚焦平安青岛、法治青岛建设' },
      { q: '個人養老金儲蓄三年期利率', has: ['3.0%'], source: '全市11家“首贷信用贷服务分中心”为用户提供专项服务', intent: 'rates' },
      { q: '李村河上游绿道有多长', has: ['1.5公里'], source: '李沧公布一季度“民生答卷”' },
      // who wrote a story, who took its photo: its byline or caption, found by the story's words
      { q: '李沧民生答卷那篇报道的记者是谁', has: ['刘卓毅'], source: '李沧公布一季度“民生答卷”' },
      { q: '养老金储蓄那篇稿子是谁写的', has: ['丁倩倩'], source: '全市11家“首贷信用贷服务分中心”为用户提供专项服务' },
      {
        q: '全市公安局长会议那篇报道是什么时候的',
        has: ['2023年3月29日', '刘卓毅'],
        source: '全市公安局长会议召开 聚焦平安青岛、法治青岛建设',
      },
      { q: '李村夜市那张照片谁拍摄的', has: ['图片说明', '刘卓毅'], source: '李沧公布一季度“民生答卷”' },
    ];
    for (const { q, has, source, intent = 'fact' } of cases) {
      it(q, async () => {
        const a = await seed.ask(q);
        expect(a.answered, a.reply).to.equal(true);
        expect(a.intent).to.equal(intent);
        for (const h of has) expect(plain(a.reply)).to.include(h);
        expect(a.sources[0]!.title).to.equal(source);
        expect(a.reply).to.include(`《${source}》`);
      });
    }

    it('names paper and reporter', async () => {
      const a = await seed.ask('个人养老金储蓄起存金额');
      expect(a.reply).to.include('观海新闻/青报全媒体').and.include('记者 丁倩倩');
    });

    it('replies with the sentence, not the whole article', async () => {
      const a = await seed.ask('李沧区累计征迁完成了多少平方米');
      expect(a.reply).to.include('11.54万平方米');
      expect(a.reply.split('\n')[0]!.length).to.be.at.most(SNIPPET_CHARS + 4);
    });

    it('asked which story a reporter wrote, answers with its headline, not the byline', async () => {
      for (const q of ['记者丁倩倩那天报道的是哪条新闻', '丁倩倩记者写了什么']) {
        const a = await seed.ask(q);
        expect(a.answered, q).to.equal(true);
        expect(a.reply.split('——摘自')[0], q).to.include('首贷信用贷服务分中心');
      }
    });

    it('answers a headline question with the article lead', async () => {
      const a = await seed.ask('李沧公布一季度“民生答卷”是怎么回事?');
      expect(a.answered).to.equal(true);
      expect(a.reply).to.include('李沧公布一季度“民生答卷”').and.include('超34万名居民签约家庭医生');
    });
    it("asked what a section says in its heading's words, answers with the heading and the section's first sentences", async () => {
      for (const q of ['医疗稳步发展这一节讲了什么', '答卷中医疗稳步发展主要说的是啥']) {
        const a = await seed.ask(q);
        expect(a.answered, q).to.equal(true);
        expect(a.reply.startsWith('医疗稳步发展:'), q).to.equal(true);
      }
    });
  });

  describe('follow-ups in one conversation', () => {
    it('carries the product and bank to the next question', async () => {
      const chat: Conversation = {};
      expect(plain((await seed.ask('工行个人养老金储蓄3年期的利率是多少', chat)).reply)).to.include('3.0%');
      const second = await seed.ask('那5年期的呢?', chat);
      expect(second.answered).to.equal(true);
      expect(plain(second.reply)).to.include('3.05%');
      expect(plain((await seed.ask('起存金额呢?', chat)).reply)).to.include('1万元起存');
    });

    it('reads a short follow-up with a verb of one character the pages never use with the topic', async () => {
      const chat: Conversation = {};
      await seed.ask('李沧老旧小区改造涉及多少户居民', chat);
      const second = await seed.ask('楼改了几栋', chat);
      expect(second.answered).to.equal(true);
      expect(plain(second.reply)).to.include('71栋');
    });

    it('keeps a schedule conversation on the schedule', async () => {
      const chat: Conversation = {};
      expect((await seed.ask('下期民生在线什么时候?', chat)).intent).to.equal('schedule');
      const unit = await seed.ask('哪个单位?', chat);
      expect(unit.intent).to.equal('schedule');
      expect(unit.reply).to.include('市生态环境局');
    });

    it('asks the topic\'s question of a district named alone in place of the topic\'s ("城阳呢")', async () => {
      const engine = engineFor(corpusOf(SEED_CORPUS, SECOND_PAGE_CORPUS), '2025-01-02T10:00:00+08:00');
      const chat: Conversation = {};
      expect((await engine.ask('李沧推进了几个片区的老旧小区改造', chat)).reply).to.include('11个片区');
      expect((await engine.ask('涉及多少栋居民楼', chat)).reply).to.include('71栋');
      // the words of the first question ("推进", "片区") are 李沧's and weigh less; a fact merely naming 城阳 is no answer
      const other = await engine.ask('城阳呢', chat);
      expect(other.answered).to.equal(true);
      expect(plain(other.reply)).to.include('156栋');
      // asked of 城阳 what only 李沧's page gives, it is declined, not answered with a sentence that names 城阳
      const relief: Conversation = {};
      await engine.ask('李沧发了多少救助金', relief);
      expect((await engine.ask('城阳呢', relief)).answered).to.equal(false);
    });

    it('does not leak context between conversations', async () => {
      await seed.ask('工行个人养老金储蓄3年期的利率是多少', {});
      const fresh = await seed.ask('那2年期呢?', {});
      expect(fresh.answered).to.equal(false);
      expect(fresh.reply).not.to.include('个人养老金');
    });
  });

  describe('declines', () => {
    const outOfScope = ['北京明天天气如何', '一个比特币现在值多少钱', '怎么办理招商银行的信用卡', '给我讲个笑话', 'asdfgh'];
    for (const q of outOfScope) {
      it(`declines "${q}" politely with two or three suggestions`, async () => {
        const a = await seed.ask(q);
        expect(a.answered).to.equal(false);
        expect(a.reply).to.match(/^(抱歉|报道里没有)/);
        expect(a.suggestions.length).to.be.within(2, 3);
      });
    }

    it('offers suggestions it can answer', async () => {
      for (const s of (await seed.ask('比特币')).suggestions) expect((await seed.ask(s)).answered, s).to.equal(true);
    });

    const otherEntities = [
      { q: '崂山区有多少人签约了家庭医生', names: '崂山区', theirs: '李沧区' },
      { q: '二季度李沧区发放了多少救助金', names: '二季度', theirs: '一季度' },
    ];
    for (const { q, names, theirs } of otherEntities) {
      it(`does not pass ${theirs}'s facts off as ${names}'s`, async () => {
        const a = await seed.ask(q);
        expect(a.answered).to.equal(false);
        expect(a.intent).to.equal('unknown_entity');
        expect(a.reply).to.include(`没有“${names}”`).and.include(theirs);
      });
    }

    it('knows a name the pages print with a word inside it ("海港医院" for 海港人民医院)', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'engine-name-'));
      writeFileSync(
        join(dir, '2024-10-22-qingdao-news-web-night-clinic.txt'),
        '便民门诊开诊\n\n青岛市海港人民医院便民门诊于10月28日开诊，时间为17:30至21:00。\n',
      );
      const a = await engineFor(dir).ask('海港医院便民门诊几点开诊');
      expect(a.intent).to.not.equal('unknown_entity');
      expect(a.reply).to.include('17:30');
      expect((await engineFor(dir).ask('海军医院便民门诊几点开诊')).intent).to.equal('unknown_entity');
    });

    it('knows a name the pages print with the 市 of its city inside ("工行青岛分行" for 工行青岛市分行)', async () => {
      const a = await seed.ask('工行青岛分行贷款规模跨越了多少亿元');
      expect(a.intent).to.equal('fact');
      expect(a.reply).to.include('3000亿元');
    });

    it('declines asked whether there is something the pages never mention, and answers of what they do', async () => {
      const unknown = await seed.ask('工行有没有外汇兑换业务');
      expect(unknown.answered).to.equal(false);
      const known = await seed.ask('李沧有没有家庭医生');
      expect(known.answered).to.equal(true);
      expect(known.reply).to.include('家庭医生');
    });

    it('answers asked whether a place opens in a word the pages never print ("开不开门"): a word that asks for a detail is no unknown thing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'engine-detail-'));
      writeFileSync(
        join(dir, '2024-05-06-qingdao-news-web-library.txt'),
        '台东图书馆调整开放时间\n\n台东图书馆开放时间为每天9:00至17:00，每周一闭馆。馆内设少儿阅览室，藏书5万册。\n',
      );
      const engine = engineFor(dir);
      const opens = await engine.ask('台东图书馆周一开不开门');
      expect(opens.answered).to.equal(true);
      expect(opens.reply).to.include('每周一闭馆');
      expect((await engine.ask('台东图书馆有没有自习室')).answered).to.equal(false);
    });

    // rates come from the table of rates (test/core/rates.test.ts): a bank or term it lacks is declined the same way
    const otherRates = [
      { q: '建设银行个人养老金储蓄利率', names: '建设银行', theirs: '工商银行' },
      { q: '个人养老金储蓄10年期的利率是多少', names: '10年期', theirs: '3年期、5年期' },
    ];
    for (const { q, names, theirs } of otherRates) {
      it(`does not pass ${theirs}'s rates off as ${names}'s`, async () => {
        const a = await seed.ask(q);
        expect(a.answered).to.equal(false);
        expect(a.intent).to.equal('rates');
        expect(a.reply)
          .to.include(names)
          .and.include(theirs)
          .and.match(/^报道里没有/);
      });
    }
  });

  describe('chat and bad input', () => {
    const cases = [
      { q: '你好', intent: 'greeting', answered: true },
      { q: '你能做什么', intent: 'help', answered: true },
      { q: '谢谢', intent: 'thanks', answered: true },
      { q: '', intent: 'empty', answered: false },
      { q: '   ', intent: 'empty', answered: false },
      { q: '😀😀😀', intent: 'empty', answered: false },
      { q: '?!。', intent: 'empty', answered: false },
      { q: '利率'.repeat(5000), intent: 'too_long', answered: false },
      { q: '<b>利率</b> & *ICBC*', intent: 'rates', answered: true },
    ];
    for (const { q, intent, answered } of cases) {
      it(`${JSON.stringify(q.slice(0, 20))} → ${intent}`, async () => {
        const a = await seed.ask(q);
        expect(a.intent).to.equal(intent);
        expect(a.answered).to.equal(answered);
        expect(a.reply.length).to.be.within(1, 4096);
      });
    }
    it('reads a short question with a word of the pages as a question, though it sounds like asking for help', async () => {
      expect((await seed.ask('你有什么功能')).intent).to.equal('help');
      expect((await seed.ask('家庭医生的功能是')).intent).to.not.equal('help');
      expect((await seed.ask('利率怎么用')).intent).to.not.equal('help');
    });
    it('survives a non-string question', async () => {
      expect((await seed.ask(undefined as unknown as string)).intent).to.equal('empty');
    });
  });

  describe('the 民生在线 schedule', () => {
    const cases = [
      { now: '2023-03-29T20:00:00+08:00', says: '还没开始' },
      { now: '2023-03-30T15:00:00+08:00', says: '正在进行中' },
      { now: '2023-04-02T10:00:00+08:00', says: '已经举行过了' },
    ];
    for (const { now, says } of cases) {
      it(`at ${now} says "${says}"`, async () => {
        const a = await engineFor(SEED_CORPUS, now).ask('下期民生在线什么时候?');
        expect(a.intent).to.equal('schedule');
        expect(a.reply).to.include('2023年3月30日(周四)14:30—16:00').and.include('市生态环境局').and.include(says);
        expect(a.session?.unit).to.equal('市生态环境局');
      });
    }

    it('keeps to the session a conversation is about', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sessions-'));
      try {
        for (const from of [SEED_CORPUS, SECOND_PAGE_CORPUS])
          for (const f of readdirSync(from).filter((n) => n.endsWith('.txt'))) writeFileSync(join(dir, f), readFileSync(join(from, f)));
        const engine = createEngine({ corpusDir: dir, now: () => new Date('2023-03-29T20:00:00+08:00') });
        const chat: Conversation = {};
        expect((await engine.ask('医疗保障局那期民生在线是哪天', chat)).reply).to.include('2025年1月2日');
        // asked on, it is that session's time, not the next session's
        expect((await engine.ask('几点开始', chat)).reply)
          .to.include('9:30')
          .and.not.include('14:30');
        expect((await engine.ask('生态环境局那期呢', chat)).reply).to.include('14:30');
        // a new conversation asks about the next session
        expect((await engine.ask('几点开始', {})).reply).to.include('14:30');
        engine.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('answers from the newest preview when there are several', async () => {
      const both = engineFor(SECOND_PAGE_CORPUS);
      expect(both.nextSession()?.unit).to.equal('市医疗保障局');
    });
  });

  describe('a second page, with no code change', () => {
    const second = engineFor(SECOND_PAGE_CORPUS, '2024-12-31T09:00:00+08:00');
    const cases = [
      { q: '城阳区新增了多少个公共停车泊位', has: '860个' },
      { q: '城阳新建改建了几所幼儿园', has: '12所' },
      { q: '城阳家庭医生签约了多少居民', has: '41.6万人' },
      { q: '城阳社区卫生服务站点有多少处', has: '86处' },
      { q: '农商银行大额存单3年期利率是多少', has: '2.6%' },
      { q: '乡村振兴金融服务站有几家', has: '26家' },
      { q: '谁代表青岛农商银行做客民生在线', has: '张海峰' },
    ];
    for (const { q, has } of cases) {
      it(q, async () => {
        const a = await second.ask(q);
        expect(a.answered, a.reply).to.equal(true);
        expect(plain(a.reply)).to.include(has);
      });
    }

    it('follows up on its own terms', async () => {
      const chat: Conversation = {};
      await second.ask('农商银行大额存单3年期利率是多少', chat);
      expect(plain((await second.ask('那2年期呢?', chat)).reply)).to.include('2.15%');
    });

    it('announces its own next session, ahead of the clock', async () => {
      const a = await second.ask('下期民生在线什么时候?');
      expect(a.reply).to.include('2025年1月2日(周四)9:30—11:00').and.include('市医疗保障局').and.include('还没开始');
    });

    it('declines what only the seed page knows', async () => {
      expect((await second.ask('李沧区家庭医生已签约多少居民')).answered).to.equal(false);
      expect((await second.ask('大额存单5年期利率是多少')).reply).to.include('2年期、3年期');
    });
  });

  describe('pages that say the same thing a year apart', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'two-years-'));
      const seed = readFileSync(join(SEED_CORPUS, readdirSync(SEED_CORPUS).find((n) => n.endsWith('.txt'))!), 'utf8');
      writeFileSync(join(dir, 'a-2023.txt'), seed);
      writeFileSync(join(dir, 'b-2024.txt'), seed.replace(/2023年/g, '2024年').replace('签约居民已达34万人', '签约居民已达40万人'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('answers from the newest page', async () => {
      const a = await createEngine({ corpusDir: dir }).ask('李沧区家庭医生已签约多少居民');
      expect(plain(a.reply)).to.include('40万人').and.include('2024年3月29日');
    });
  });
});
