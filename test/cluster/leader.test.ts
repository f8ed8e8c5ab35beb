import { expect } from 'chai';
import { Leadership } from '../../src/cluster/leader.js';
import { silentLogger } from '../../src/logger.js';
import { freshDatabase, Pools } from './db.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean, ms: number): Promise<number> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
  return Date.now() - started;
}

describe('leadership (PostgreSQL advisory lock)', function () {
  this.timeout(60_000);
  let url: string;
  const pools = new Pools();
  const running: Leadership[] = [];

  beforeEach(async function () {
    url = await freshDatabase(this);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((l) => l.stop()));
    await pools.closeAll();
  });

  function worker(name: string, log: string[]): Leadership {
    const l = new Leadership({
      connectionString: url,
      logger: silentLogger,
      retryMs: 200,
      worker: name,
      onElected: () => {
        log.push(`${name} leads`);
      },
      onDeposed: () => {
        log.push(`${name} steps down`);
      },
    });
    running.push(l);
    l.start();
    return l;
  }

  it('one worker leads; when it stops, another takes over', async () => {
    const log: string[] = [];
    const first = worker('first', log);
    await until(() => first.isLeader, 5000);
    const second = worker('second', log);
    await sleep(800);
    expect(second.isLeader).to.equal(false);
    await first.stop();
    const took = await until(() => second.isLeader, 5000);
    expect(took).to.be.below(1500);
    expect(log).to.deep.equal(['first leads', 'first steps down', 'second leads']);
  });

  it("the leader's connection ends (the process killed): it steps down, and the other leads within seconds", async () => {
    const log: string[] = [];
    const first = worker('first', log);
    await until(() => first.isLeader, 5000);
    const second = worker('second', log);
    await sleep(500);
    // what the server does when a leader's process dies: the session ends, and its lock with it
    const admin = pools.open(url, 1);
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'qdnews-leader first'`,
    );
    expect(rowCount).to.equal(1);
    const took = await until(() => second.isLeader, 5000);
    expect(took).to.be.below(3000);
    await until(() => !first.isLeader, 2000);
    expect(log.slice(0, 3).sort()).to.deep.equal(['first leads', 'first steps down', 'second leads']);
    // never two at once: the first does not lead again while the second does
    await sleep(800);
    expect([first.isLeader, second.isLeader]).to.deep.equal([false, true]);
  });
});
