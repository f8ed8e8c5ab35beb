/**
 * A broadcast over real HTTP to the tests' Bot API on 127.0.0.1, through the client the application
 * uses (telegraf's Telegram with the Bot API time limits of src/bot-api.ts), while the API goes away
 * in the middle: refused connections, then 502s, dropped and stalled connections. Short backoff
 * settings keep the run within seconds.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Telegram } from 'telegraf';
import { ApiLink, withTimeouts } from '../../src/bot-api.js';
import { Broadcaster } from '../../src/delivery/broadcaster.js';
import { silentLogger } from '../../src/logger.js';
import { Broadcasts } from '../../src/store/broadcasts.js';
import { Subscribers } from '../../src/store/subscribers.js';
import { FakeBotApi } from '../support/fake-bot-api.js';

const TOKEN = '123456:OUTAGE';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('broadcast through an API outage, over HTTP', () => {
  let dir: string;
  let api: FakeBotApi;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bc-http-'));
    api = new FakeBotApi(TOKEN);
  });
  afterEach(async () => {
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reaches all 2,000 chats once, though the API is gone for 6 s in the middle', async function () {
    this.timeout(60_000);
    const N = 2000;
    const root = await api.start();
    const port = Number(new URL(root).port);
    const telegram = withTimeouts(new Telegram(TOKEN, { apiRoot: root, webhookReply: false }), {
      apiTimeoutMs: 1000,
      link: new ApiLink(silentLogger),
    });
    const broadcasts = await Broadcasts.open(join(dir, 'broadcasts.json'), silentLogger);
    const subscribers = await Subscribers.open(join(dir, 'subscribers.json'), silentLogger);
    const broadcaster = new Broadcaster({
      broadcasts,
      subscribers,
      logger: silentLogger,
      rate: 200,
      backoff: { firstMs: 100, maxMs: 1000 },
      send: (chatId, html) => telegram.sendMessage(chatId, html, { parse_mode: 'HTML' }),
    });
    const delivered = () => api.of('sendMessage').filter((c) => c.status === 200);

    await broadcaster.enqueue(
      'http',
      'admin',
      '<b>明日停水</b>通知',
      Array.from({ length: N }, (_, i) => 300_000 + i),
    );
    while (delivered().length < 600) await sleep(20);
    // 3 s with nothing listening, then 3 s of a gateway that fails in every way
    await api.stop();
    await sleep(3000);
    await api.start(port);
    let n = 0;
    const fault = () => {
      n++;
      if (n % 3 === 0) return 'drop' as const;
      if (n % 3 === 1) return 'stall' as const;
      return { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } };
    };
    api.faults.push(fault);
    await sleep(3000);
    api.faults.splice(api.faults.indexOf(fault), 1);
    await api.stop(); // ends the stalled requests too
    await api.start(port);
    await broadcaster.idle();

    const copies = new Map<number, number>();
    for (const c of delivered()) copies.set(Number(c.payload.chat_id), (copies.get(Number(c.payload.chat_id)) ?? 0) + 1);
    const job = (await broadcasts.get('http'))!;
    expect(n, 'calls that met the faults').to.be.above(10);
    expect(job.status).to.equal('done');
    expect(job.failed).to.deep.equal([]);
    expect(job.delivered).to.have.length(N);
    expect(copies.size, 'chats reached').to.equal(N);
    // a message the API took while its answer was lost (a dropped or stalled connection) can arrive twice
    expect([...copies.values()].filter((k) => k > 1).length).to.be.at.most(n);
  });
});
