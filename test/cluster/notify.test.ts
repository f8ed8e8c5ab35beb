import { expect } from 'chai';
import { type ClusterNews, Notifier } from '../../src/cluster/notify.js';
import { silentLogger } from '../../src/logger.js';
import { freshDatabase, Pools } from './db.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('news between workers (LISTEN/NOTIFY)', function () {
  this.timeout(60_000);
  let url: string;
  const pools = new Pools();
  const notifiers: Notifier[] = [];

  beforeEach(async function () {
    url = await freshDatabase(this);
  });
  afterEach(async () => {
    await Promise.all(notifiers.splice(0).map((n) => n.stop()));
    await pools.closeAll();
  });

  async function worker(name: string, heard: string[], reconnects: string[] = []): Promise<Notifier> {
    const n = new Notifier({
      connectionString: url,
      logger: silentLogger,
      worker: name,
      retryMs: 100,
      onNews: (news: ClusterNews) => {
        heard.push(`${name}: ${news}`);
      },
      onReconnect: () => {
        reconnects.push(name);
      },
    });
    notifiers.push(n);
    await n.start();
    return n;
  }

  async function until(check: () => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
      await sleep(20);
    }
  }

  it('a reload or a broadcast in one worker reaches the others, not itself', async () => {
    const heard: string[] = [];
    const a = await worker('a', heard);
    await worker('b', heard);
    await worker('c', heard);
    const pool = pools.open(url, 1);
    await a.publish(pool, 'corpus');
    await until(() => heard.length >= 2);
    await a.publish(pool, 'broadcast');
    await until(() => heard.length >= 4);
    await sleep(200);
    expect(heard.sort()).to.deep.equal(['b: broadcast', 'b: corpus', 'c: broadcast', 'c: corpus']);
  });

  it('listens again after its connection is lost, and catches up', async () => {
    const heard: string[] = [];
    const reconnects: string[] = [];
    const a = await worker('a', heard);
    await worker('b', heard, reconnects);
    const pool = pools.open(url, 1);
    const { rowCount } = await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'qdnews-listen b'`,
    );
    expect(rowCount).to.equal(1);
    await until(() => reconnects.length === 1);
    await a.publish(pool, 'corpus');
    await until(() => heard.includes('b: corpus'));
  });
});
