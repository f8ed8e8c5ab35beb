/**
 * A data folder that takes no writes (a full disk): nothing ends the process, each failure is
 * logged once, what a person asked to save is refused so that they can be told, the rest is kept
 * in memory and written once the disk takes writes again, and the bot goes on answering.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broadcaster } from '../../src/delivery/broadcaster.js';
import { createLogger } from '../../src/logger.js';
import { openStore, type Store } from '../../src/store/index.js';
import { Stats } from '../../src/store/stats.js';
import { recordApiCalls, testBot, texts } from '../bot/harness.js';
import { callbackUpdate, textUpdate, USER } from '../bot/updates.js';
import { FakeClock } from '../delivery/fake-clock.js';
import { fillDisk } from './full-disk.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('store: a data folder that takes no writes', function () {
  this.timeout(30_000);
  recordApiCalls();
  let dir: string;
  let lines: string[];
  let unhandled: unknown[];
  const onUnhandled = (reason: unknown) => {
    unhandled.push(reason);
  };
  const logger = () =>
    createLogger([], (l) => {
      lines.push(l);
    });
  const logged = (text: string) => lines.filter((l) => l.includes(text));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-full-'));
    lines = [];
    unhandled = [];
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens, refuses subscriptions, keeps the rest in memory, logs once, and writes it all once the disk is back', async () => {
    const free = fillDisk(dir, { progress: false });
    const store: Store = await openStore(dir, logger());
    expect(logged('subscribers.json: cannot write')).to.have.length(1);

    // what a person asked for is refused, each time, and logged once for the episode
    for (let i = 0; i < 3; i++) {
      let refused: NodeJS.ErrnoException | undefined;
      await store.subscribers.subscribe(USER.id + i, 'private', 'minsheng').catch((err) => {
        refused = err;
      });
      expect(refused?.code).to.equal('ENOSPC');
    }
    expect(logged('subscribers.json: cannot write')).to.have.length(1);

    // bookkeeping and queued broadcasts: a broadcast that cannot be saved is refused and not queued
    await store.subscribers.markBlocked([USER.id]);
    await store.events.record('articles', ['a1']);
    let notQueued: Error | undefined;
    await store.broadcasts.create({ id: 'admin:1', kind: 'admin', html: 'x', recipients: [1, 2] }).catch((err) => {
      notQueued = err;
    });
    expect(notQueued).to.be.instanceOf(Error);
    expect(await store.broadcasts.unfinished()).to.deep.equal([]);

    // the disk takes writes again: the file's own retry writes what was kept, and says so once
    free();
    for (let waited = 0; waited < 10_000 && !logged('subscribers.json: written again').length; waited += 100) await sleep(100);
    expect(logged('subscribers.json: written again')).to.have.length(1);
    const onDisk = JSON.parse(readFileSync(join(dir, 'subscribers.json'), 'utf8'));
    expect(Object.keys(onDisk.subscribers)).to.deep.equal(['42', '43', '44']);
    expect(onDisk.subscribers['42'].status).to.equal('blocked');
    await store.close();
    expect(JSON.parse(readFileSync(join(dir, 'events.json'), 'utf8')).articles).to.deep.equal(['a1']);
    expect(unhandled).to.deep.equal([]);
  });

  it('writes statistics on their timer without a rejection left unhandled, and later when it can', async () => {
    const path = join(dir, 'stats.json');
    const stats = await Stats.open(path, logger(), 50);
    const free = fillDisk(dir);
    stats.record('比特币', false);
    await sleep(300); // the timer's write has failed by now
    expect(logged('stats.json: cannot write')).to.have.length(1);
    stats.record('天气', false);
    await sleep(300);
    expect(logged('stats.json: cannot write')).to.have.length(1);
    free();
    await stats.close();
    expect(JSON.parse(readFileSync(path, 'utf8')).declined).to.equal(2);
    expect(unhandled).to.deep.equal([]);
  });

  it('keeps a broadcast going when its progress cannot be written, and writes it once it can', async () => {
    const store = await openStore(dir, logger());
    const sent: number[] = [];
    const broadcaster = new Broadcaster({
      broadcasts: store.broadcasts,
      subscribers: store.subscribers,
      logger: logger(),
      rate: 1000,
      batchSize: 2,
      clock: new FakeClock(),
      send: async (chatId) => {
        sent.push(chatId);
      },
    });
    const job = await store.broadcasts.create({ id: 'admin:2', kind: 'admin', html: 'x', recipients: [1, 2, 3, 4, 5] });
    const free = fillDisk(dir);
    broadcaster.start();
    await broadcaster.idle();
    expect(sent).to.deep.equal([1, 2, 3, 4, 5]);
    expect(job.delivered).to.deep.equal([1, 2, 3, 4, 5]);
    expect(logged('broadcasts.progress.jsonl: cannot write')).to.have.length(1);
    free();
    await store.close();
    const onDisk = JSON.parse(readFileSync(join(dir, 'broadcasts.json'), 'utf8'));
    expect(onDisk.jobs[0]).to.deep.include({
      id: 'admin:2',
      status: 'done',
      counts: { recipients: 5, delivered: 5, blocked: 0, failed: 0 },
    });
    expect(unhandled).to.deep.equal([]);
  });

  it('leaves the bot answering questions, and telling a person whose subscription was not saved', async () => {
    const free = fillDisk(dir, { progress: false });
    const store = await openStore(dir, logger());
    const { send } = testBot({ store });
    for (const question of ['李沧区工行的民警叫什么名字', '你好', '/start']) {
      expect(texts(await send(textUpdate(question)))).to.have.length.greaterThan(0);
    }
    await store.stats.flush().catch(() => undefined);
    const tap = await send(callbackUpdate('sub:on:minsheng'));
    expect(tap.find((c) => c.method === 'answerCallbackQuery')?.payload.text).to.include('没有保存成功');
    expect(texts(await send(textUpdate('李沧区工行的民警叫什么名字')))).to.have.length.greaterThan(0);
    await store.close();
    free();
    expect(unhandled).to.deep.equal([]);
  });
});
