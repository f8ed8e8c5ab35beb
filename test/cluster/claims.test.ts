import { expect } from 'chai';
import { Claims, type ClaimSender, type Outcome, sendClaimed } from '../../src/cluster/claims.js';
import { silentLogger } from '../../src/logger.js';
import type { Pool } from '../../src/store/pg/pool.js';
import { openPostgresStore } from '../../src/store/pg/store.js';
import { freshDatabase, insertJob, Pools } from './db.js';

const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A sender for the claim loop whose messages arrive at once (or as `deliver` says). */
function sender(sent: number[], deliver?: (chatId: number) => Promise<Outcome>): ClaimSender & { stop(): void } {
  let stopped = false;
  return {
    batchSize: 30,
    logger: silentLogger,
    backoff: { firstMs: 50, maxMs: 200 },
    stopping: () => stopped,
    stop: () => {
      stopped = true;
    },
    deliver: async (chatId) => {
      const outcome = deliver ? await deliver(chatId) : 'delivered';
      if (outcome === 'delivered') sent.push(chatId);
      return outcome;
    },
    rest: (ms) => sleep(Math.min(ms, 200)),
    progress: async () => {},
    markBlocked: async () => {},
    expiry: (job) => (job.expiresAt ? Date.parse(job.expiresAt) : Date.parse(job.createdAt) + 86_400_000),
  };
}

describe('broadcast claims (PostgreSQL)', function () {
  this.timeout(60_000);
  let url: string;
  const pools = new Pools();
  let a: Pool;
  let b: Pool;

  beforeEach(async function () {
    url = await freshDatabase(this);
    a = pools.open(url);
    b = pools.open(url);
  });
  afterEach(() => pools.closeAll());

  it('never gives two workers the same recipient, claiming at the same time', async () => {
    await insertJob(a, 'job', range(2000));
    const got: Record<'a' | 'b', number[]> = { a: [], b: [] };
    const claimer = async (name: 'a' | 'b', pool: Pool) => {
      const claims = new Claims({ pool, worker: name, logger: silentLogger });
      for (;;) {
        const batch = await claims.claim('job', 30);
        if (!batch.length) return;
        got[name].push(...batch);
        await claims.settle(
          'job',
          batch.map((chatId) => ({ chatId, outcome: 'delivered' as const })),
        );
      }
    };
    await Promise.all([claimer('a', a), claimer('b', b), claimer('a', a), claimer('b', b)]);
    const all = [...got.a, ...got.b];
    expect(all.length).to.equal(2000);
    expect(new Set(all).size).to.equal(2000);
    expect(got.a.length).to.be.above(0);
    expect(got.b.length).to.be.above(0);
    const { rows } = await a.query(`SELECT count(*)::int AS n FROM broadcast_recipients WHERE status = 'delivered'`);
    expect(rows[0].n).to.equal(2000);
  });

  it('claims in sending order, and gives a batch whose lease passed to another worker', async () => {
    await insertJob(a, 'job', range(50));
    const first = new Claims({ pool: a, worker: 'first', logger: silentLogger, leaseMs: 400 });
    const second = new Claims({ pool: b, worker: 'second', logger: silentLogger, leaseMs: 400 });
    expect(await first.claim('job', 10)).to.deep.equal(range(10));
    // held: the other worker gets the next ones
    expect(await second.claim('job', 10)).to.deep.equal(range(10, 11));
    await second.settle(
      'job',
      range(10, 11).map((chatId) => ({ chatId, outcome: 'delivered' as const })),
    );
    // a renewed lease keeps holding
    await sleep(250);
    await first.renew('job', range(10));
    await sleep(250);
    expect(await second.claim('job', 5)).to.deep.equal(range(5, 21));
    // the first worker dies: its batch is claimed again once the lease has passed
    await sleep(450);
    const again = await second.claim('job', 40);
    expect(again.slice(0, 10)).to.deep.equal(range(10));
    const { rows } = await a.query(`SELECT DISTINCT claimed_by FROM broadcast_recipients WHERE chat_id <= 10`);
    expect(rows.map((r) => r.claimed_by)).to.deep.equal(['second']);
  });

  it('a recipient released for later is not claimed before its time; an outcome is recorded once', async () => {
    await insertJob(a, 'job', range(3));
    const claims = new Claims({ pool: a, worker: 'w', logger: silentLogger });
    expect(await claims.claim('job', 3)).to.deep.equal([1, 2, 3]);
    await claims.release('job', [1], 300);
    await claims.release('job', [2]);
    expect(await claims.claim('job', 3)).to.deep.equal([2]);
    await sleep(350);
    expect(await claims.claim('job', 3)).to.deep.equal([1]);
    await claims.settle('job', [{ chatId: 1, outcome: 'blocked' }]);
    await claims.settle('job', [{ chatId: 1, outcome: 'delivered' }]); // already settled: stays blocked
    const counts = await claims.counts('job');
    expect(counts).to.deep.include({ recipients: 3, delivered: 0, blocked: 1, failed: 0, pending: 2 });
  });

  it('finishes a job once, when nothing is pending', async () => {
    await insertJob(a, 'job', [1, 2]);
    const one = new Claims({ pool: a, worker: 'one', logger: silentLogger });
    const two = new Claims({ pool: b, worker: 'two', logger: silentLogger });
    await one.claim('job', 2);
    expect(await one.finish('job')).to.equal(undefined);
    await one.settle('job', [
      { chatId: 1, outcome: 'delivered' },
      { chatId: 2, outcome: 'failed' },
    ]);
    const [x, y] = await Promise.all([one.finish('job'), two.finish('job')]);
    expect([x, y].filter(Boolean)).to.have.length(1);
    expect((await one.unfinished()).map((j) => j.id)).to.deep.equal([]);
  });

  it('the store reads a job sent by claims as the database has it: progress, then finished with the chats it failed', async () => {
    const store = await openPostgresStore(url, silentLogger);
    try {
      await store.broadcasts.create({ id: 'job', kind: 'admin', html: '通知', recipients: [1, 2, 3] });
      expect((await store.broadcasts.all()).map((j) => j.status)).to.deep.equal(['pending']); // handed out, then sent elsewhere
      const claims = new Claims({ pool: a, worker: 'w', logger: silentLogger });
      await claims.begin('job');
      expect(await claims.claim('job', 3)).to.deep.equal([1, 2, 3]);
      await claims.settle('job', [{ chatId: 1, outcome: 'delivered' }]);
      const running = (await store.broadcasts.all())[0]!;
      expect([running.status, running.delivered]).to.deep.equal(['running', [1]]);
      await claims.settle('job', [
        { chatId: 2, outcome: 'failed' },
        { chatId: 3, outcome: 'blocked' },
      ]);
      expect(await claims.finish('job')).to.not.equal(undefined);
      const done = (await store.broadcasts.get('job'))!;
      expect([done.status, done.failed]).to.deep.equal(['done', [2]]);
      expect((await store.broadcasts.all())[0]!.failed).to.deep.equal([2]);
      expect((await store.broadcasts.summaries())[0]!.counts).to.deep.equal({ recipients: 3, delivered: 1, blocked: 1, failed: 1 });
    } finally {
      await store.close();
    }
  });

  it('two claim loops split a job; a worker that hangs mid-batch leaves it to the other after the lease', async () => {
    await insertJob(a, 'job', range(600));
    const sentA: number[] = [];
    const sentB: number[] = [];
    let hung = 0;
    // worker A freezes mid-batch after 60 messages, and its connections go (a process killed)
    let callsA = 0;
    let release!: (o: Outcome) => void;
    const hang = new Promise<Outcome>((resolve) => {
      release = resolve;
    });
    const senderA = sender(sentA, async () => {
      if (++callsA > 60) {
        if (hung++ === 0) void a.end();
        return hang;
      }
      await sleep(1);
      return 'delivered';
    });
    const senderB = sender(sentB, async () => {
      await sleep(1);
      return 'delivered';
    });
    const claimsA = new Claims({ pool: a, worker: 'A', logger: silentLogger, leaseMs: 600 });
    const claimsB = new Claims({ pool: b, worker: 'B', logger: silentLogger, leaseMs: 600 });
    void sendClaimed(claimsA, senderA);
    const started = Date.now();
    await sendClaimed(claimsB, senderB);
    senderA.stop();
    release('stopped'); // the frozen worker's process ends
    const all = [...sentA, ...sentB];
    expect(new Set(all).size, 'every recipient').to.equal(600);
    expect(all.length, 'no copy twice').to.equal(600);
    expect(hung).to.be.above(0);
    expect(sentA.length).to.be.above(0);
    expect(Date.now() - started).to.be.below(20_000);
    const { rows } = await b.query(`SELECT status FROM broadcasts WHERE id = 'job'`);
    expect(rows[0].status).to.equal('done');
  });
});
