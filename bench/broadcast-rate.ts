/** Broadcast rate to 2,000 chats with the limit set to 200 messages a second, over loopback. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Telegram } from 'telegraf';
import { Broadcaster } from '../src/delivery/broadcaster.js';
import { silentLogger } from '../src/logger.js';
import { openStore } from '../src/store/index.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { TEST_TOKEN } from '../test/support/bot-process.js';
import type { Row } from './lib.js';
import { mostInOneSecond } from '../test/support/busiest-second.js';

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const chats = quick ? 100 : 2000;
  const limit = 200;
  const api = new FakeBotApi(TEST_TOKEN);
  const apiRoot = await api.start();
  const dir = mkdtempSync(join(tmpdir(), 'bench-broadcast-'));
  const store = await openStore(dir, silentLogger);
  try {
    const telegram = new Telegram(TEST_TOKEN, { apiRoot });
    const dispatched: number[] = [];
    const broadcaster = new Broadcaster({
      broadcasts: store.broadcasts,
      subscribers: store.subscribers,
      logger: silentLogger,
      rate: limit,
      send: (chatId, html) => {
        dispatched.push(Date.now());
        return telegram.sendMessage(chatId, html, { parse_mode: 'HTML' });
      },
    });
    const recipients = Array.from({ length: chats }, (_, i) => 500_000 + i);
    await broadcaster.enqueue('bench', 'admin', '明日停水通知', recipients);
    await broadcaster.idle();
    const arrived = api.calls
      .filter((c) => c.method === 'sendMessage')
      .map((c) => c.at)
      .sort((a, b) => a - b);
    const seconds = (arrived[arrived.length - 1]! - arrived[0]!) / 1000;
    const rate = (arrived.length - 1) / seconds;
    const sent = mostInOneSecond(dispatched);
    return [
      {
        figure: `broadcast rate (${chats} chats)`,
        value: rate,
        unit: 'msg/s',
        baseline: limit,
        ratio: rate / limit,
        target: '≥ 0.95 × limit',
        met: rate >= 0.95 * limit,
      },
      {
        figure: 'broadcast: most sent in any 1 s',
        value: sent,
        unit: 'msg',
        baseline: limit,
        ratio: sent / limit,
        target: '≤ limit',
        met: sent <= limit,
      },
      {
        figure: 'broadcast: most arrived in any 1 s',
        value: mostInOneSecond(arrived),
        unit: 'msg',
        baseline: limit,
        note: 'as the server saw them, network jitter included',
      },
    ];
  } finally {
    await store.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
