/**
 * Stores that grow: 200 subscription taps at once with 50,000 subscribers on record, and a
 * 5,000-chat broadcast at BROADCAST_RATE=200 with 20 finished 50,000-recipient jobs on record
 * (written as an older bot left them: every job with its recipient lists), over loopback.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Telegram } from 'telegraf';
import { Broadcaster } from '../src/delivery/broadcaster.js';
import { silentLogger } from '../src/logger.js';
import { openStore } from '../src/store/index.js';
import { TEST_TOKEN } from '../test/support/bot-process.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { arrivalRate, arrivals, rateRow, type Row } from './lib.js';

const since = '2026-01-01T00:00:00.000Z';

/** A data folder with `subscribers` subscribers and `jobs` finished jobs of `perJob` recipients each. */
function dataFolder(subscribers: number, jobs: number, perJob: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const subs: Record<string, unknown> = {};
  for (let i = 0; i < subscribers; i++) {
    const chatId = 1_000_000 + i;
    subs[chatId] = { chatId, chatType: 'private', topics: ['minsheng', 'articles'], status: 'active', since };
  }
  writeFileSync(join(dir, 'subscribers.json'), JSON.stringify({ schemaVersion: 1, subscribers: subs }, null, 2));
  const past = Array.from({ length: jobs }, (_, j) => {
    const recipients = Array.from({ length: perJob }, (_, i) => 1_000_000 + i);
    return {
      id: `admin:past-${j}`,
      kind: 'admin',
      html: '往期通知',
      createdAt: since,
      status: 'done',
      recipients,
      delivered: recipients.slice(0, perJob - 10),
      blocked: recipients.slice(perJob - 10, perJob - 5),
      failed: recipients.slice(perJob - 5),
      finishedAt: since,
    };
  });
  writeFileSync(join(dir, 'broadcasts.json'), JSON.stringify({ schemaVersion: 1, jobs: past }, null, 2));
  return dir;
}

async function taps(subscribers: number, count: number): Promise<number> {
  const dir = dataFolder(subscribers, 0, 0);
  const store = await openStore(dir, silentLogger);
  try {
    const started = performance.now();
    await Promise.all(Array.from({ length: count }, (_, i) => store.subscribers.subscribe(2_000_000 + i, 'private', 'minsheng')));
    return performance.now() - started;
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function broadcastRate(chats: number, jobs: number, perJob: number, limit: number): Promise<number> {
  const api = new FakeBotApi(TEST_TOKEN);
  const apiRoot = await api.start();
  const dir = dataFolder(0, jobs, perJob);
  const store = await openStore(dir, silentLogger);
  try {
    const telegram = new Telegram(TEST_TOKEN, { apiRoot });
    const broadcaster = new Broadcaster({
      broadcasts: store.broadcasts,
      subscribers: store.subscribers,
      logger: silentLogger,
      rate: limit,
      send: (chatId, html) => telegram.sendMessage(chatId, html, { parse_mode: 'HTML' }),
    });
    const recipients = Array.from({ length: chats }, (_, i) => 500_000 + i);
    await broadcaster.enqueue('bench-growth', 'admin', '明日停水通知', recipients);
    await broadcaster.idle();
    return arrivalRate(arrivals(api));
  } finally {
    await store.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const subscribers = quick ? 2000 : 50_000;
  const tapCount = quick ? 20 : 200;
  const chats = quick ? 200 : 5000;
  const jobs = quick ? 2 : 20;
  const perJob = quick ? 2000 : 50_000;
  const limit = 200;
  const tapMs = await taps(subscribers, tapCount);
  const rate = await broadcastRate(chats, jobs, perJob, limit);
  return [
    {
      figure: `${tapCount} subscription taps at once (${subscribers} subscribers)`,
      value: tapMs,
      unit: 'ms',
      target: '≤ 2000 ms, all confirmed',
      met: tapMs <= 2000,
    },
    rateRow(`broadcast rate (${chats} chats, ${jobs} finished jobs of ${perJob} on record)`, rate, limit),
  ];
}
