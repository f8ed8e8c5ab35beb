import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broadcaster, classify, type SendMessage } from '../../src/delivery/broadcaster.js';
import { silentLogger } from '../../src/logger.js';
import { Broadcasts } from '../../src/store/broadcasts.js';
import { Subscribers } from '../../src/store/subscribers.js';
import { FakeClock } from './fake-clock.js';

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
  ];
  for (const { err, verdict } of cases) it(err.message, () => expect(classify(err)).to.deep.equal(verdict));
});

describe('Broadcaster', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bc-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function setup(send: SendMessage, options: { batchSize?: number; rate?: number } = {}) {
    const broadcasts = await Broadcasts.open(join(dir, 'broadcasts.json'), silentLogger);
    const subscribers = await Subscribers.open(join(dir, 'subscribers.json'), silentLogger);
    for (let id = 1; id <= 50; id++) await subscribers.subscribe(id, 'private', 'minsheng');
    const clock = new FakeClock();
    const checkpoints: number[] = [];
    const broadcaster = new Broadcaster({
      broadcasts,
      subscribers,
      send,
      logger: silentLogger,
      rate: options.rate ?? 25,
      batchSize: options.batchSize ?? 10,
      clock,
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
    await broadcaster.enqueue('job1', 'admin', 'hi', subscribers.recipients('minsheng'));
    await broadcaster.idle();
    expect(sent.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(checkpoints).to.deep.equal([10, 20, 30, 40, 50, 50]); // five batches, then done
    expect(broadcasts.get('job1')).to.include({ status: 'done' });
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

  it('retries network errors and 5xx with backoff, and gives up in the end', async () => {
    const attempts = new Map<number, number>();
    const { broadcaster, broadcasts } = await setup(async (chatId) => {
      const n = (attempts.get(chatId) ?? 0) + 1;
      attempts.set(chatId, n);
      if (chatId === 1 && n < 3) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      if (chatId === 2) throw telegramError(502, 'Bad Gateway');
    });
    await broadcaster.enqueue('j', 'admin', 'x', [1, 2, 3]);
    await broadcaster.idle();
    const job = broadcasts.get('j')!;
    expect(job.delivered.sort()).to.deep.equal([1, 3]);
    expect(job.failed).to.deep.equal([2]);
    expect(attempts.get(1)).to.equal(3);
    expect(attempts.get(2)).to.equal(6);
  });

  it('marks chats that refuse as blocked and pauses their subscription', async () => {
    const { broadcaster, broadcasts, subscribers } = await setup(async (chatId) => {
      if (chatId === 3) throw telegramError(403, 'Forbidden: bot was blocked by the user');
      if (chatId === 4) throw telegramError(400, 'Bad Request: chat not found');
    });
    await broadcaster.enqueue('j', 'admin', 'x', [3, 4, 5]);
    await broadcaster.idle();
    expect(broadcasts.get('j')!.blocked.sort()).to.deep.equal([3, 4]);
    expect(subscribers.get(3)?.status).to.equal('blocked');
    expect(subscribers.recipients('minsheng')).to.not.include.members([3, 4]);
  });

  it('resumes a job after a restart without sending to anyone twice', async () => {
    const first: number[] = [];
    let stop: () => Promise<void> = async () => {};
    const a = await setup(async (chatId) => {
      first.push(chatId);
      if (first.length === 25) void stop();
    });
    stop = () => a.broadcaster.stop();
    await a.broadcaster.enqueue('j', 'admin', 'x', a.subscribers.recipients('minsheng'));
    await a.broadcaster.idle();
    expect(a.broadcasts.get('j')!.status).to.equal('running');

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
});
