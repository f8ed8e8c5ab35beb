/**
 * The store's contract: one table of cases, run against both back ends — the embedded store (lowdb
 * files in a temporary folder) and PostgreSQL (a fresh database of the test server per case).
 * A case gets an open store and `reopen()`, which closes it and opens the same data again.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { openFileStore, type Store } from '../../src/store/index.js';
import { PgConversations } from '../../src/store/pg/conversations.js';
import { createPool, type Pool } from '../../src/store/pg/pool.js';
import { openPostgresStore } from '../../src/store/pg/store.js';
import { PgUpdates } from '../../src/store/pg/updates.js';
import { postgresOrSkip, type TestPostgres } from '../support/postgres.js';

interface Handle {
  store: Store;
  /** closes the store and opens the same data again */
  reopen(): Promise<Store>;
}

type Case = (h: Handle) => Promise<void>;

const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

const job = (id: string, recipients: number[]) => ({ id, kind: 'admin' as const, html: `<b>${id}</b>`, recipients });

const CASES: Record<string, Case> = {
  'subscribes and unsubscribes, by topic and from all': async ({ store }) => {
    const s = store.subscribers;
    expect(await s.subscribe(1, 'private', 'minsheng')).to.deep.include({
      chatId: 1,
      chatType: 'private',
      topics: ['minsheng'],
      status: 'active',
    });
    await s.subscribe(1, 'private', 'articles');
    await s.subscribe(1, 'private', 'articles'); // twice: once
    await s.subscribe(-100, 'supergroup', 'articles');
    expect((await s.get(1))?.topics).to.deep.equal(['minsheng', 'articles']);
    expect(await s.recipients('minsheng')).to.deep.equal([1]);
    expect(sorted(await s.recipients('articles'))).to.deep.equal([-100, 1]);
    expect(sorted(await s.recipients())).to.deep.equal([-100, 1]);
    expect((await s.unsubscribe(1, 'minsheng'))?.topics).to.deep.equal(['articles']);
    expect(await s.recipients('minsheng')).to.deep.equal([]);
    expect(await s.unsubscribe(-100, 'all')).to.equal(undefined);
    expect(await s.get(-100)).to.equal(undefined);
    expect(await s.unsubscribe(1, 'articles')).to.equal(undefined); // the last topic: the chat is gone
    expect(await s.get(1)).to.equal(undefined);
    expect(await s.unsubscribe(7, 'all')).to.equal(undefined);
  },

  'pauses chats that blocked the bot and resumes them': async ({ store, reopen }) => {
    const s = store.subscribers;
    for (const id of [1, 2]) await s.subscribe(id, 'private', 'minsheng');
    await s.markBlocked([1, 99]); // 99 is nobody: ignored
    const blocked = await s.get(1);
    expect(blocked?.status).to.equal('blocked');
    expect(blocked?.blockedAt).to.be.a('string');
    expect(await s.recipients('minsheng')).to.deep.equal([2]);
    expect((await s.counts()).minsheng).to.deep.equal({ active: 1, blocked: 1 });
    const again = (await reopen()).subscribers;
    expect((await again.get(1))?.status).to.equal('blocked');
    expect(await again.resume(1)).to.equal(true);
    expect(await again.resume(1)).to.equal(false);
    expect(await again.resume(2)).to.equal(false); // never paused
    expect((await again.get(1))?.blockedAt).to.equal(undefined);
    expect(sorted(await again.recipients('minsheng'))).to.deep.equal([1, 2]);
    await again.markBlocked([2]);
    await again.subscribe(2, 'private', 'articles'); // subscribing resumes too
    expect((await again.get(2))?.status).to.equal('active');
  },

  'counts subscribers per topic, active and paused': async ({ store }) => {
    const s = store.subscribers;
    for (let id = 1; id <= 6; id++) await s.subscribe(id, 'private', id % 2 ? 'minsheng' : 'articles');
    await s.subscribe(1, 'private', 'articles');
    await s.markBlocked([1, 2]);
    expect(await s.counts()).to.deep.equal({ minsheng: { active: 2, blocked: 1 }, articles: { active: 2, blocked: 2 } });
  },

  'records each announcement once, and says whether anything was ever announced': async ({ store, reopen }) => {
    const e = store.events;
    expect(await e.isFresh()).to.equal(true);
    await e.record('reminders', ['s1@evening']);
    expect(await e.isFresh()).to.equal(true); // reminders alone: nothing announced yet
    await e.record('sessions', ['s1', 's1']);
    await e.record('sessions', ['s1', 's2']);
    await e.record('articles', []);
    expect(await e.hasSession('s1')).to.equal(true);
    expect(await e.hasSession('s2')).to.equal(true);
    expect(await e.hasArticle('s1')).to.equal(false);
    expect(await e.isFresh()).to.equal(false);
    const again = (await reopen()).events;
    expect([await again.hasSession('s1'), await again.hasReminder('s1@evening'), await again.hasReminder('s1@soon')]).to.deep.equal([
      true,
      true,
      false,
    ]);
    expect(await again.isFresh()).to.equal(false);
  },

  'counts questions and ranks the declined ones': async ({ store, reopen }) => {
    const st = store.stats;
    for (const q of ['利率', '天气', ' 天气 ', '比特币', '天气', '利率']) st.record(q, q === '利率');
    expect(await st.counts()).to.deep.equal({ answered: 2, declined: 4 });
    expect(await st.topUnanswered(1)).to.deep.equal([{ question: '天气', count: 3 }]);
    const again = (await reopen()).stats;
    expect(await again.counts()).to.deep.equal({ answered: 2, declined: 4 });
    expect(await again.topUnanswered(5)).to.deep.equal([
      { question: '天气', count: 3 },
      { question: '比特币', count: 1 },
    ]);
    again.record('比特币', false);
    await again.flush();
    expect((await again.topUnanswered(5))[1]).to.deep.equal({ question: '比特币', count: 2 });
  },

  'queues a broadcast once, even when asked twice at the same time': async ({ store, reopen }) => {
    const b = store.broadcasts;
    const [x, y] = await Promise.all([b.create(job('admin:1', [1, 2, 3])), b.create(job('admin:1', [9]))]);
    expect(x.id).to.equal('admin:1');
    expect(y.recipients).to.deep.equal([1, 2, 3]);
    expect(await b.create(job('admin:1', [4]))).to.deep.include({ id: 'admin:1', status: 'pending' });
    expect((await b.all()).map((j) => j.id)).to.deep.equal(['admin:1']);
    const [u] = await (await reopen()).broadcasts.unfinished();
    expect(u).to.deep.include({
      id: 'admin:1',
      kind: 'admin',
      html: '<b>admin:1</b>',
      status: 'pending',
      recipients: [1, 2, 3],
      delivered: [],
    });
  },

  'keeps a running broadcast’s progress at each checkpoint, and a finished one as a summary': async ({ store, reopen }) => {
    const expiresAt = '2030-01-01T00:00:00.000Z';
    await store.broadcasts.create({
      ...job('reminder:s1@soon', [1, 2, 3, 4, 5, 6]),
      kind: 'reminder',
      expiresAt,
      progress: { chatId: 42, messageId: 7 },
    });
    await store.broadcasts.create(job('admin:2', [1]));
    const [running] = await store.broadcasts.unfinished();
    running!.status = 'running';
    running!.delivered.push(2, 1);
    running!.blocked.push(3);
    await store.broadcasts.checkpoint();
    expect(await store.broadcasts.unfinished()).to.have.length(2);
    expect((await store.broadcasts.unfinished())[0]).to.equal(running); // the same object, changed in place

    const b = (await reopen()).broadcasts;
    const [resumed, second] = await b.unfinished();
    expect(resumed).to.deep.include({
      status: 'running',
      recipients: [1, 2, 3, 4, 5, 6],
      delivered: [2, 1],
      blocked: [3],
      failed: [],
      expiresAt,
    });
    expect(resumed!.progress).to.deep.equal({ chatId: 42, messageId: 7 });
    expect(second!.id).to.equal('admin:2');
    resumed!.delivered.push(4);
    await b.checkpoint();
    resumed!.failed.push(6, 5);
    resumed!.status = 'done';
    resumed!.finishedAt = '2029-12-31T23:00:00.000Z';
    await b.checkpoint();
    expect((await b.unfinished()).map((j) => j.id)).to.deep.equal(['admin:2']);

    const after = (await reopen()).broadcasts;
    const done = (await after.get('reminder:s1@soon'))!;
    expect(done).to.deep.include({ status: 'done', finishedAt: '2029-12-31T23:00:00.000Z', failed: [6, 5] });
    expect([done.recipients.length, done.delivered.length, done.blocked.length]).to.deep.equal([6, 3, 1]);
    const [summary, other] = await after.summaries();
    expect(summary).to.deep.include({ id: 'reminder:s1@soon', kind: 'reminder', status: 'done', failed: [6, 5] });
    expect(summary!.counts).to.deep.equal({ recipients: 6, delivered: 3, blocked: 1, failed: 2 });
    expect(other).to.deep.include({ id: 'admin:2', status: 'pending' });
    expect(other!.counts).to.deep.equal({ recipients: 1, delivered: 0, blocked: 0, failed: 0 });
    expect((await after.all()).map((j) => [j.id, j.status, j.failed])).to.deep.equal([
      ['reminder:s1@soon', 'done', [6, 5]],
      ['admin:2', 'pending', []],
    ]);
  },

  'tells an update seen before from a new one': async ({ store }) => {
    const u = store.updates;
    expect(await u.seen(1001)).to.equal(false);
    expect(await u.seen(1001)).to.equal(true);
    expect(await u.seen(1002)).to.equal(false);
    expect(await Promise.all([u.seen(1003), u.seen(1003)])).to.have.members([false, true]);
  },

  'keeps a conversation per chat': async ({ store }) => {
    const c = store.conversations;
    expect(await c.get(5)).to.deep.equal({});
    const conversation = await c.get(5);
    conversation.intent = 'fact';
    conversation.at = 1_700_000_000_000;
    conversation.topic = { keys: ['养老金', '利率'], entities: [], types: [], measure: undefined };
    await c.set(5, conversation);
    expect(await c.get(5)).to.deep.include({ intent: 'fact', at: 1_700_000_000_000 });
    expect((await c.get(5)).topic?.keys).to.deep.equal(['养老金', '利率']);
    expect(await c.get(6)).to.deep.equal({});
    await c.set('cli-chat', { intent: 'rates' });
    expect(await c.get('cli-chat')).to.deep.equal({ intent: 'rates' });
  },
};

interface Backend {
  name: string;
  before?: (ctx: Mocha.Context) => Promise<void>;
  /** a store over fresh, empty data, and how to open that data again */
  fresh(): Promise<{ open(): Promise<Store>; cleanup(): Promise<void> }>;
}

let server: TestPostgres;

const BACKENDS: Backend[] = [
  {
    name: 'embedded (lowdb files)',
    async fresh() {
      const dir = mkdtempSync(join(tmpdir(), 'contract-'));
      return { open: () => openFileStore(dir, silentLogger), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    async before(ctx) {
      server = await postgresOrSkip(ctx);
    },
    async fresh() {
      const url = await server.createDatabase();
      return { open: () => openPostgresStore(url, silentLogger), cleanup: async () => {} };
    },
  },
];

describe('store contract', () => {
  for (const backend of BACKENDS) {
    describe(backend.name, () => {
      before(async function () {
        this.timeout(60_000);
        await backend.before?.(this);
      });
      for (const [title, run] of Object.entries(CASES)) {
        it(title, async () => {
          const data = await backend.fresh();
          let store = await data.open();
          try {
            await run({
              store,
              async reopen() {
                await store.close();
                store = await data.open();
                return store;
              },
            });
          } finally {
            await store.close();
            await data.cleanup();
          }
        });
      }
    });
  }
});

describe('PostgreSQL store, across processes', () => {
  let url: string;
  const pools: Pool[] = [];
  const stores: Store[] = [];

  before(async function () {
    this.timeout(60_000);
    server = await postgresOrSkip(this);
  });
  beforeEach(async () => {
    url = await server.createDatabase();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });

  /** a store with a pool of its own: another worker, as far as the database can tell */
  async function worker(): Promise<Store> {
    const store = await openPostgresStore(url, silentLogger);
    stores.push(store);
    return store;
  }

  it('queues a broadcast once when two workers ask at the same time', async () => {
    const [a, b] = await Promise.all([worker(), worker()]);
    const jobs = await Promise.all([a.broadcasts.create(job('preview:s1', [1, 2])), b.broadcasts.create(job('preview:s1', [1, 2]))]);
    expect(jobs.map((j) => j.recipients)).to.deep.equal([
      [1, 2],
      [1, 2],
    ]);
    expect((await a.broadcasts.all()).map((j) => j.id)).to.deep.equal(['preview:s1']);
    const pool = createPool(url);
    pools.push(pool);
    expect((await pool.query('SELECT count(*) AS n FROM broadcast_recipients')).rows[0].n).to.equal(2);
  });

  it('handles an update once whichever worker it lands on', async () => {
    const [a, b] = await Promise.all([worker(), worker()]);
    const verdicts = await Promise.all([a.updates.seen(7), b.updates.seen(7), a.updates.seen(7)]);
    expect(verdicts.filter((v) => !v)).to.have.length(1);
  });

  it('hands a conversation to another worker, and forgets it after the TTL', async () => {
    const [a, b] = await Promise.all([worker(), worker()]);
    await a.conversations.set(1, { intent: 'schedule', at: 1 });
    expect(await b.conversations.get(1)).to.deep.equal({ intent: 'schedule', at: 1 });
    const pool = createPool(url);
    pools.push(pool);
    const short = new PgConversations(pool, 50);
    await new Promise((r) => setTimeout(r, 120));
    expect(await short.get(1)).to.deep.equal({});
    await short.prune();
    expect((await pool.query('SELECT count(*) AS n FROM conversations')).rows[0].n).to.equal(0);
  });

  it('drops update ids older than the retention', async () => {
    const a = await worker();
    await a.updates.seen(1);
    const pool = createPool(url);
    pools.push(pool);
    await new Promise((r) => setTimeout(r, 20));
    await new PgUpdates(pool, 10).prune();
    expect(await a.updates.seen(1)).to.equal(false); // forgotten
  });

  it('adds up the question counts of several workers', async () => {
    const [a, b] = await Promise.all([worker(), worker()]);
    a.stats.record('天气', false);
    b.stats.record('天气', false);
    b.stats.record('利率', true);
    await Promise.all([a.stats.flush(), b.stats.flush()]);
    expect(await a.stats.counts()).to.deep.equal({ answered: 1, declined: 2 });
    expect(await b.stats.topUnanswered(3)).to.deep.equal([{ question: '天气', count: 2 }]);
  });
});
