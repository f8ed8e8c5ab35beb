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
import { arrivalRate, arrivals, busiestSecondRows, rateRow, type Row } from './lib.js';
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
    const arrived = arrivals(api);
    return [
      rateRow(`broadcast rate (${chats} chats)`, arrivalRate(arrived), limit),
      ...busiestSecondRows('broadcast', mostInOneSecond(dispatched), mostInOneSecond(arrived), limit),
    ];
  } finally {
    await store.close();
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
