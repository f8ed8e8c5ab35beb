/**
 * The newsroom with several workers: its once-only jobs wait for the lead, a reload is told to the
 * other workers, and a worker told of one reloads only when its folder changed.
 */
import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/core/engine.js';
import type { Broadcaster } from '../../src/delivery/broadcaster.js';
import { silentLogger } from '../../src/logger.js';
import { EngineHolder } from '../../src/newsroom/engine-holder.js';
import { Newsroom } from '../../src/newsroom/newsroom.js';
import { openStore, type Store } from '../../src/store/index.js';
import { testBroadcaster } from '../delivery/fake-clock.js';
import { SECOND_PAGE_CORPUS, SEED_CORPUS } from '../helpers.js';

describe('the newsroom with several workers', function () {
  this.timeout(60_000);
  let dir: string;
  let corpus: string;
  let store: Store;
  let broadcaster: Broadcaster;
  let sent: Array<{ chatId: number; html: string }>;
  let published: number;
  let engines: EngineHolder;
  let newsroom: Newsroom;
  const addSecondPage = () => copyFileSync(join(SECOND_PAGE_CORPUS, readdirSync(SECOND_PAGE_CORPUS)[0]!), join(corpus, 'second.txt'));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'newsroom-cluster-'));
    corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    for (const f of readdirSync(SEED_CORPUS).filter((n) => n.endsWith('.txt'))) copyFileSync(join(SEED_CORPUS, f), join(corpus, f));
    store = await openStore(join(dir, 'data'), silentLogger);
    await store.subscribers.subscribe(2, 'private', 'articles');
    sent = [];
    published = 0;
    broadcaster = testBroadcaster(store, async (chatId, html) => {
      sent.push({ chatId, html });
    });
    engines = new EngineHolder(createEngine({ corpusDir: corpus }), corpus);
    newsroom = new Newsroom({
      engines,
      store,
      broadcaster,
      logger: silentLogger,
      notifyAdmins: async () => {},
      cluster: {
        publishReload: async () => {
          published++;
        },
      },
    });
  });
  afterEach(async () => {
    await newsroom.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a follower announces nothing and tells the others of its reload; the worker that leads announces', async () => {
    await newsroom.start();
    expect(await store.events.isFresh()).to.equal(true); // nothing announced, nothing recorded
    await newsroom.lead(); // the first run: the articles there count as known
    expect(await store.events.isFresh()).to.equal(false);
    newsroom.unlead();

    addSecondPage();
    const result = await newsroom.reload('admin');
    expect(result.ok, result.message).to.equal(true);
    expect(published).to.equal(1);
    await broadcaster.idle();
    expect(sent).to.deep.equal([]);

    await newsroom.lead(); // the new leader announces what nobody was told
    await broadcaster.idle();
    expect(sent.map((s) => s.chatId)).to.deep.equal([2]);
    expect(sent[0]!.html).to.include('城阳交出全年“民生账单”');
    await newsroom.lead(); // already leading: nothing again
    await broadcaster.idle();
    expect(sent).to.have.length(1);
  });

  it('told of a reload, a worker rebuilds only when its folder changed, and tells nobody', async () => {
    await newsroom.start();
    const before = engines.current;
    expect((await newsroom.reload('notify')).message).to.equal('版面没有变化');
    expect(engines.current).to.equal(before);
    addSecondPage();
    const result = await newsroom.reload('notify');
    expect(result.ok, result.message).to.equal(true);
    expect(engines.current).to.not.equal(before);
    expect(engines.current.knowledge.articles).to.have.length(5);
    expect(published).to.equal(0);
  });

  it('a leader that finds the folder changed when it takes over reloads, then announces', async () => {
    await newsroom.start();
    await newsroom.lead();
    newsroom.unlead();
    addSecondPage(); // while no worker leads
    await newsroom.lead();
    expect(engines.current.knowledge.articles).to.have.length(5);
    expect(published).to.equal(1);
    await broadcaster.idle();
    expect(sent.map((s) => s.chatId)).to.deep.equal([2]);
  });
});
