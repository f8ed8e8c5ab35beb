import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Session } from '../../src/core/corpus/types.js';
import { createEngine } from '../../src/core/engine.js';
import type { Broadcaster } from '../../src/delivery/broadcaster.js';
import { silentLogger } from '../../src/logger.js';
import { Announcer } from '../../src/newsroom/announcer.js';
import { EngineHolder } from '../../src/newsroom/engine-holder.js';
import { sessionKey } from '../../src/newsroom/messages.js';
import { reminderTimes, ReminderScheduler } from '../../src/newsroom/reminders.js';
import { openStore, type Store } from '../../src/store/index.js';
import { testBroadcaster } from '../delivery/fake-clock.js';
import { SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';

const SESSION: Session = {
  page: 'p',
  start: '2023-03-30T14:30:00+08:00',
  end: '2023-03-30T16:00:00+08:00',
  weekday: 4,
  unit: '市生态环境局',
  raw: '',
};

describe('newsroom', () => {
  let dir: string;
  let store: Store;
  let sent: Array<{ chatId: number; html: string }>;
  let broadcaster: Broadcaster;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-'));
    store = await openStore(join(dir, 'data'), silentLogger);
    sent = [];
    broadcaster = testBroadcaster(store, async (chatId, html) => {
      sent.push({ chatId, html });
    });
    await store.subscribers.subscribe(1, 'private', 'minsheng');
    await store.subscribers.subscribe(2, 'private', 'articles');
  });
  afterEach(async () => {
    await broadcaster.idle();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('reminderTimes', () => {
    it('is 20:00 Shanghai the evening before, and 30 minutes before the start', () => {
      expect(reminderTimes(SESSION).map((r) => [r.kind, r.at.toISOString()])).to.deep.equal([
        ['evening', '2023-03-29T12:00:00.000Z'],
        ['soon', '2023-03-30T06:00:00.000Z'],
      ]);
    });
  });

  describe('ReminderScheduler', () => {
    const at = (iso: string) => () => new Date(iso);
    const scheduler = (now: () => Date) =>
      new ReminderScheduler({
        sessions: () => [SESSION],
        events: store.events,
        subscribers: store.subscribers,
        broadcaster,
        logger: silentLogger,
        now,
      });

    const timeline = [
      { now: '2023-03-29T19:59:00+08:00', sends: [] },
      { now: '2023-03-29T20:00:00+08:00', sends: ['evening'] },
      { now: '2023-03-29T23:00:00+08:00', sends: [] },
      { now: '2023-03-30T14:00:00+08:00', sends: ['soon'] },
      { now: '2023-03-30T14:10:00+08:00', sends: [] },
    ];
    it('sends each reminder once at its time, also across restarts', async () => {
      for (const { now, sends } of timeline) {
        const sentNow = await scheduler(at(now)).tick(); // a new scheduler each time: as after a restart
        expect(
          sentNow.map((k) => k.split('@')[1]),
          now,
        ).to.deep.equal(sends);
      }
      await broadcaster.idle();
      expect(sent.map((s) => s.chatId)).to.deep.equal([1, 1]);
      expect(sent[0]!.html).to.include('明天开始');
      expect(sent[1]!.html).to.include('30分钟后开始');
    });

    it('plans the next reminder', async () => {
      expect((await scheduler(at('2023-03-29T10:00:00+08:00')).next())?.toISOString()).to.equal('2023-03-29T12:00:00.000Z');
      expect(await scheduler(at('2023-03-30T15:00:00+08:00')).next()).to.equal(undefined);
    });

    it('never reminds of a session already started', async () => {
      expect(await scheduler(at('2023-03-30T14:45:00+08:00')).tick()).to.deep.equal([]);
      await broadcaster.idle();
      expect(sent).to.deep.equal([]);
    });

    it('after a long downtime sends only the latest reminder still in time', async () => {
      expect(await scheduler(at('2023-03-30T14:05:00+08:00')).tick()).to.deep.equal([`${sessionKey(SESSION)}@soon`]);
      expect(await scheduler(at('2023-03-30T14:06:00+08:00')).tick()).to.deep.equal([]);
    });

    it('drops a reminder more than two hours late', async () => {
      expect(await scheduler(at('2023-03-29T23:30:00+08:00')).tick()).to.deep.equal([]);
    });
  });

  describe('Announcer', () => {
    it('posts a new preview once, to its subscribers only, and no old articles on the first run', async () => {
      const engine = createEngine({ corpusDir: SEED_CORPUS });
      const announcer = new Announcer(store.events, store.subscribers, broadcaster, () => new Date('2023-03-29T18:00:00+08:00'));
      expect(await announcer.announce(engine)).to.deep.equal({ previews: 1, articles: 0 });
      expect(await announcer.announce(engine)).to.deep.equal({ previews: 0, articles: 0 });
      await broadcaster.idle();
      expect(sent.map((s) => s.chatId)).to.deep.equal([1]);
      expect(sent[0]!.html).to.include('市生态环境局').and.include('2023年3月30日(周四)14:30—16:00');
    });

    it('does not post the preview of a session already past', async () => {
      const announcer = new Announcer(store.events, store.subscribers, broadcaster, () => new Date('2023-04-01T00:00:00+08:00'));
      expect((await announcer.announce(createEngine({ corpusDir: SEED_CORPUS }))).previews).to.equal(0);
    });

    it('announces the headlines of articles added later', async () => {
      const now = () => new Date('2024-12-30T12:00:00+08:00');
      const announcer = new Announcer(store.events, store.subscribers, broadcaster, now);
      await announcer.announce(createEngine({ corpusDir: SEED_CORPUS }));
      const result = await announcer.announce(createEngine({ corpusDir: SECOND_PAGE_CORPUS }));
      expect(result).to.deep.equal({ previews: 1, articles: 2 });
      await broadcaster.idle();
      const toArticles = sent.filter((s) => s.chatId === 2);
      expect(toArticles).to.have.length(1);
      expect(toArticles[0]!.html).to.include('城阳交出全年“民生账单”');
    });
  });

  describe('EngineHolder.reload', () => {
    let corpus: string;
    beforeEach(() => {
      corpus = join(dir, 'corpus');
      mkdirSync(corpus);
      for (const f of readdirSync(SEED_CORPUS).filter((n) => n.endsWith('.txt'))) copyFileSync(join(SEED_CORPUS, f), join(corpus, f));
    });

    it('swaps in a rebuilt index with the new page', async () => {
      const holder = new EngineHolder(createEngine({ corpusDir: corpus }), corpus);
      copyFileSync(join(SECOND_PAGE_CORPUS, readdirSync(SECOND_PAGE_CORPUS)[0]!), join(corpus, 'second.txt'));
      const result = holder.reload();
      expect(result.ok, result.message).to.equal(true);
      expect(holder.current.knowledge.articles).to.have.length(5);
      expect((await holder.current.ask('城阳新建改建了几所幼儿园')).reply).to.include('12所');
    });

    it('tells what the reader noticed in a new page, naming its file and line', () => {
      const holder = new EngineHolder(createEngine({ corpusDir: corpus }), corpus);
      writeFileSync(
        join(corpus, '2024-01-02-odd.txt'),
        '一篇报道的标题\n\n正文第一句。正文第二句。\n\n“民生在线”下期预告\n网谈时间:待定\n网谈单位:市教育局\n',
      );
      const result = holder.reload();
      expect(result.ok, result.message).to.equal(true);
      expect(result.message).to.include('读版提示 1 条').and.include('2024-01-02-odd.txt:5').and.include('no session announced');
    });

    it('adds a new page to the index in service, answering as a whole rebuild does', async () => {
      const holder = new EngineHolder(createEngine({ corpusDir: corpus }), corpus);
      const seedFacts = holder.current.knowledge.facts.length;
      copyFileSync(join(SECOND_PAGE_CORPUS, readdirSync(SECOND_PAGE_CORPUS)[0]!), join(corpus, 'second.txt'));
      expect(holder.reload().ok).to.equal(true);
      const added = holder.current;
      const whole = createEngine({ corpusDir: corpus });
      try {
        // the same index as a whole build: its facts, and its words' document frequencies
        expect(added.knowledge.facts.length).to.equal(whole.knowledge.facts.length).and.be.above(seedFacts);
        expect(added.knowledge.words.size).to.equal(whole.knowledge.words.size);
        expect(added.knowledge.articles.map((a) => a.id).sort()).to.deep.equal(whole.knowledge.articles.map((a) => a.id).sort());
        expect(added.knowledge.sessions).to.deep.equal(whole.knowledge.sessions);
        for (const w of ['城阳', '幼儿园', '养老金', '利率']) expect(added.knowledge.words.df(w), w).to.equal(whole.knowledge.words.df(w));
        expect([...added.knowledge.entityNames.keys()].sort()).to.deep.equal([...whole.knowledge.entityNames.keys()].sort());
        for (const q of [
          '城阳新建改建了几所幼儿园',
          '工行个人养老金储蓄5年期利率是多少',
          '下期民生在线什么时候',
          '李沧签约家庭医生的居民有多少',
        ]) {
          expect((await added.ask(q)).reply, q).to.equal((await whole.ask(q)).reply);
        }
      } finally {
        whole.close();
      }
    });

    it('rebuilds the whole index when a page it holds changes or goes', async () => {
      const holder = new EngineHolder(createEngine({ corpusDir: corpus }), corpus);
      copyFileSync(join(SECOND_PAGE_CORPUS, readdirSync(SECOND_PAGE_CORPUS)[0]!), join(corpus, 'second.txt'));
      expect(holder.reload().ok).to.equal(true);
      const withSecond = holder.current.knowledge.facts.length;
      rmSync(join(corpus, 'second.txt'));
      const result = holder.reload();
      expect(result.ok, result.message).to.equal(true);
      expect(result.message).to.include('移除 1 个版面');
      expect(holder.current.knowledge.facts.length).to.be.below(withSecond);
      expect((await holder.current.ask('城阳新建改建了几所幼儿园')).answered).to.equal(false);
    });

    it('keeps the old index serving when a new page is broken, and says why', () => {
      const old = createEngine({ corpusDir: corpus });
      const holder = new EngineHolder(old, corpus);
      writeFileSync(join(corpus, 'broken.txt'), Buffer.from([0, 1, 2, 3, 0xff, 0xfe]));
      const result = holder.reload();
      expect(result.ok).to.equal(false);
      expect(result.message).to.include('broken.txt').and.include('binary');
      expect(holder.current).to.equal(old);
    });
  });
});
