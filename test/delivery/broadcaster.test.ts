import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broadcaster, classify, type SendMessage } from '../../src/delivery/broadcaster.js';
import { silentLogger } from '../../src/logger.js';
import { Broadcasts } from '../../src/store/broadcasts.js';
import { Subscribers } from '../../src/store/subscribers.js';
import type { Clock } from '../../src/delivery/rate-limiter.js';
import { FakeClock } from './fake-clock.js';
import { VirtualClock } from './virtual-clock.js';

/** An error shaped like telegraf's TelegramError. */
const telegramError = (code: number, description: string, retryAfter?: number) =>
  Object.assign(new Error(`${code}: ${description}`), {
    code,
    description,
    ...(retryAfter ? { parameters: { retry_after: retryAfter } } : {}),
  });

describe('classify', () => {
  const cases = [
    { err: telegramError(429, 'Too Many Requests: retry after 7', 7), verdict: { retryAfterMs: 7000 } },
    { err: telegramError(403, 'Forbidden: bot was blocked by the user'), verdict: 'blocked' },
    { err: telegramError(400, 'Bad Request: chat not found'), verdict: 'blocked' },
    { err: telegramError(502, 'Bad Gateway'), verdict: 'transient' },
    { err: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), verdict: 'transient' },
    { err: telegramError(400, 'Bad Request: message is too long'), verdict: 'fatal' },
    { err: telegramError(504, 'Gateway Timeout'), verdict: 'transient' },
    { err: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8081'), { code: 'ECONNREFUSED' }), verdict: 'transient' },
  ];
  for (const { err, verdict } of cases) it(err.message, () => expect(classify(err)).to.deep.equal(verdict));
});

describe('Broadcaster', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function setup(
    send: SendMessage,
    options: { batchSize?: number; rate?: number; clock?: Clock; backoff?: { firstMs: number; maxMs: number } } = {},
  ) {
    const broadcasts = await Broadcasts.open(join(dir, 'broadcasts.json'), silentLogger);
    const subscribers = await Subscribers.open(join(dir, 'subscribers.json'), silentLogger);
    for (let id = 1; id <= 50; id++) await subscribers.subscribe(id, 'private', 'minsheng');
    const clock = options.clock ?? new FakeClock();
    const checkpoints: number[] = [];
    const broadcaster = new Broadcaster({
      broadcasts,
      subscribers,
      send,
      logger: silentLogger,
      rate: options.rate ?? 25,
      batchSize: options.batchSize ?? 10,
      clock,
      backoff: options.backoff,
      onProgress: (job) => {
        checkpoints.push(job.delivered.length);
      },
    });
    return { broadcasts, subscribers, broadcaster, clock, checkpoints };
  }

  it('delivers to every recipient once, checkpointing per batch', async () => {
    const sent: number[] = [];
    const { broadcaster, subscribers, broadcasts, checkpoints } = await setup(async (chatId) => {
      sent.push(chatId);
    });
    await broadcaster.enqueue('job1', 'admin', 'hi', await subscribers.recipients('minsheng'));
    await broadcaster.idle();
    expect(sent.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(checkpoints).to.deep.equal([10, 20, 30, 40, 50, 50]); // five batches, then done
    expect(await broadcasts.get('job1')).to.include({ status: 'done' });
  });

  it('queues an announcement once per id', async () => {
    const sent: number[] = [];
    const { broadcaster } = await setup(async (chatId) => {
      sent.push(chatId);
    });
    await broadcaster.enqueue('same', 'preview', 'x', [1, 2]);
    await broadcaster.idle();
    await broadcaster.enqueue('same', 'preview', 'x', [1, 2]);
    await broadcaster.idle();
    expect(sent).to.have.length(2);
  });

  it('waits retry_after on 429 and sends the same message again', async () => {
    let refused = false;
    const sent: number[] = [];
    const { broadcaster, clock } = await setup(async (chatId) => {
      if (chatId === 5 && !refused) {
        refused = true;
        throw telegramError(429, 'Too Many Requests: retry after 30', 30);
      }
      sent.push(chatId);
    });
    const t0 = clock.now();
    await broadcaster.enqueue('j', 'admin', 'x', [4, 5, 6]);
    await broadcaster.idle();
    expect(sent.sort()).to.deep.equal([4, 5, 6]);
    expect(clock.now() - t0).to.be.at.least(30_000);
  });

  it('retries network errors and 5xx for as long as the message is worth sending, then counts the chat as failed', async () => {
    const attempts = new Map<number, number>();
    const { broadcaster, broadcasts, clock } = await setup(async (chatId) => {
      const n = (attempts.get(chatId) ?? 0) + 1;
      attempts.set(chatId, n);
      if (chatId === 1 && n < 3) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      if (chatId === 2) throw telegramError(502, 'Bad Gateway');
    });
    const t0 = clock.now();
    await broadcaster.enqueue('j', 'admin', 'x', [1, 2, 3], { expiresAt: new Date(t0 + 10 * 60_000) });
    await broadcaster.idle();
    const job = (await broadcasts.get('j'))!;
    expect(job.status).to.equal('done');
    expect(job.delivered).to.have.length(2); // a finished job keeps counts, and the chats that failed
    expect(job.failed).to.deep.equal([2]);
    expect(attempts.get(1)).to.equal(3);
    expect(attempts.get(2)).to.be.above(20);
    expect(clock.now() - t0).to.be.at.least(10 * 60_000);
  });

  it('loses nobody to a 60 s outage in the middle of a broadcast to 2,000 chats', async function () {
    this.timeout(60_000);
    const clock = new VirtualClock();
    const N = 2000;
    const copies = new Map<number, number>();
    let outageStart = Infinity;
    let outageEnd = Infinity;
    let failedCalls = 0;
    const { broadcaster, broadcasts } = await setup(
      async (chatId) => {
        const now = clock.now();
        if (copies.size === 500 && outageStart === Infinity) {
          outageStart = now;
          outageEnd = now + 60_000;
        }
        if (now >= outageStart && now < outageEnd) {
          failedCalls++;
          // the ways an outage shows: refused, reset, timed out after a while, a gateway's 5xx
          if (failedCalls % 4 === 0) throw telegramError(502, 'Bad Gateway');
          if (failedCalls % 4 === 1) throw telegramError(504, 'Gateway Timeout');
          if (failedCalls % 4 === 2) {
            await clock.sleep(5000);
            throw Object.assign(new Error('network timeout at: https://api.telegram.org/bot…/sendMessage'), { code: 'ETIMEDOUT' });
          }
          throw Object.assign(new Error('connect ECONNREFUSED 149.154.167.220:443'), { code: 'ECONNREFUSED' });
        }
        copies.set(chatId, (copies.get(chatId) ?? 0) + 1);
      },
      { clock, rate: 25, batchSize: 25 },
    );
    const t0 = clock.now();
    const started = Date.now();
    await broadcaster.enqueue(
      'big',
      'admin',
      '明日停水通知',
      Array.from({ length: N }, (_, i) => 100_000 + i),
    );
    await broadcaster.idle();
    const job = (await broadcasts.get('big'))!;
    expect(outageEnd - outageStart).to.equal(60_000);
    expect(failedCalls).to.be.above(100);
    expect(job.status).to.equal('done');
    expect(job.failed).to.deep.equal([]);
    expect(job.delivered).to.have.length(N);
    expect(copies.size).to.equal(N);
    expect([...copies.values()].every((n) => n === 1)).to.equal(true);
    // 80 s of sending at 25 a second, plus the outage and at most a capped backoff after it
    expect(clock.now() - t0).to.be.within(140_000, 155_000);
    expect(Date.now() - started).to.be.below(30_000);
  });

  it('sends a reminder until its session starts, not after', async () => {
    let calls = 0;
    const { broadcaster, broadcasts, clock } = await setup(async () => {
      calls++;
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    });
    const start = clock.now() + 2 * 60_000;
    await broadcaster.enqueue('reminder:x', 'reminder', 'x', [1, 2], { expiresAt: new Date(start) });
    await broadcaster.idle();
    const job = (await broadcasts.get('reminder:x'))!;
    expect(job.status).to.equal('done');
    expect(job.failed.sort()).to.deep.equal([1, 2]);
    expect(calls).to.be.above(12);
    expect(clock.now()).to.be.at.least(start);
  });

  it('sends a chat that keeps failing while others are reached in a later round, without holding up the rest', async () => {
    const clock = new VirtualClock();
    const t0 = clock.now();
    const deliveredAt = new Map<number, number>();
    const { broadcaster, broadcasts } = await setup(
      async (chatId) => {
        if (chatId === 7 && clock.now() < t0 + 5 * 60_000) throw telegramError(500, 'Internal Server Error');
        deliveredAt.set(chatId, clock.now() - t0);
      },
      { clock, rate: 25, batchSize: 10 },
    );
    await broadcaster.enqueue(
      'j',
      'admin',
      'x',
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
    await broadcaster.idle();
    expect(deliveredAt.get(100)).to.be.below(30_000);
    expect(deliveredAt.get(7)).to.be.at.least(5 * 60_000);
    const job = (await broadcasts.get('j'))!;
    expect(job.status).to.equal('done');
    expect(job.failed).to.deep.equal([]);
  });

  it('marks chats that refuse as blocked and pauses their subscription', async () => {
    const { broadcaster, broadcasts, subscribers } = await setup(async (chatId) => {
      if (chatId === 3) throw telegramError(403, 'Forbidden: bot was blocked by the user');
      if (chatId === 4) throw telegramError(400, 'Bad Request: chat not found');
    });
    await broadcaster.enqueue('j', 'admin', 'x', [3, 4, 5]);
    await broadcaster.idle();
    expect((await broadcasts.get('j'))!.blocked).to.have.length(2);
    expect((await subscribers.get(3))?.status).to.equal('blocked');
    expect(await subscribers.recipients('minsheng')).to.not.include.members([3, 4]);
  });

  it('resumes a job after a restart without sending to anyone twice', async () => {
    const first: number[] = [];
    let stop: () => Promise<void> = async () => {};
    const a = await setup(async (chatId) => {
      first.push(chatId);
      if (first.length === 25) void stop();
    });
    stop = () => a.broadcaster.stop();
    await a.broadcaster.enqueue('j', 'admin', 'x', await a.subscribers.recipients('minsheng'));
    await a.broadcaster.idle();
    expect((await a.broadcasts.get('j'))!.status).to.equal('running');

    // a new process: the store read back from disk
    const broadcasts = await Broadcasts.open(join(dir, 'broadcasts.json'), silentLogger);
    const subscribers = await Subscribers.open(join(dir, 'subscribers.json'), silentLogger);
    const second: number[] = [];
    const b = new Broadcaster({
      broadcasts,
      subscribers,
      send: async (id) => {
        second.push(id);
      },
      logger: silentLogger,
      rate: 25,
      batchSize: 10,
      clock: new FakeClock(),
    });
    b.start();
    await b.idle();
    expect(new Set([...first, ...second]).size).to.equal(50);
    expect(first.filter((id) => second.includes(id))).to.deep.equal([]);
  });

  it('stopped during an outage, leaves the job to be resumed: nobody counted as failed', async function () {
    this.timeout(30_000);
    const clock = new VirtualClock();
    const first: number[] = [];
    let down = false;
    let refused = 0;
    let stopping: Promise<void> | undefined;
    const a = await setup(
      async (chatId) => {
        if (first.length === 20) down = true;
        if (down) {
          if (++refused === 200) stopping = a.broadcaster.stop();
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        }
        first.push(chatId);
      },
      { clock },
    );
    await a.broadcaster.enqueue('j', 'admin', 'x', await a.subscribers.recipients('minsheng'));
    await a.broadcaster.idle();
    const stoppedAt = Date.now();
    await stopping;
    expect(Date.now() - stoppedAt).to.be.below(3000);
    const job = (await a.broadcasts.get('j'))!;
    expect(job.status).to.equal('running');
    expect(job.failed).to.deep.equal([]);
    expect(job.delivered).to.have.length(20);

    // the next process sends the rest
    const broadcasts = await Broadcasts.open(join(dir, 'broadcasts.json'), silentLogger);
    const subscribers = await Subscribers.open(join(dir, 'subscribers.json'), silentLogger);
    const second: number[] = [];
    const b = new Broadcaster({
      broadcasts,
      subscribers,
      send: async (id) => {
        second.push(id);
      },
      logger: silentLogger,
      rate: 25,
      batchSize: 10,
      clock: new FakeClock(),
    });
    b.start();
    await b.idle();
    expect(new Set([...first, ...second]).size).to.equal(50);
    expect(first.filter((id) => second.includes(id))).to.deep.equal([]);
    expect(await broadcasts.get('j')).to.include({ status: 'done' });
  });

  it('sends a finished broadcast again to the chats it failed to reach that are still subscribed', async () => {
    let down = true;
    const sent: number[] = [];
    const { broadcaster, broadcasts, subscribers, clock } = await setup(async (chatId) => {
      if (down && chatId % 2 === 0) throw telegramError(502, 'Bad Gateway');
      sent.push(chatId);
    });
    await broadcaster.enqueue('j', 'admin', 'x', [1, 2, 3, 4, 5, 6], { expiresAt: new Date(clock.now() + 60_000) });
    await broadcaster.idle();
    expect((await broadcasts.get('j'))!.failed.sort()).to.deep.equal([2, 4, 6]);
    expect((await broadcaster.failedJobs()).map((j) => j.id)).to.deep.equal(['j']);
    await subscribers.unsubscribe(6, 'all');

    down = false;
    sent.length = 0;
    const result = await broadcaster.resend('j');
    expect(result).to.have.property('job');
    await broadcaster.idle();
    expect(sent.sort()).to.deep.equal([2, 4]);
    const again = (await broadcasts.get('j/resend'))!;
    expect(again).to.include({ status: 'done', resendOf: 'j', html: 'x' });
    expect(again.delivered).to.have.length(2);
    expect(await broadcaster.failedJobs()).to.deep.equal([]);
    expect(await broadcaster.resend('j')).to.deep.equal({ refused: 'resent' });
    expect(await broadcaster.resend('nope')).to.deep.equal({ refused: 'unknown' });
  });
});
