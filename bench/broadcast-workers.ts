/**
 * Broadcast rate with two workers on one PostgreSQL database, against the limit they share: one job
 * to 2,000 chats at 200 messages a second in all, each worker with its own connection pool, claims
 * and rate limiter (as two processes would have), over loopback to the tests' Bot API. Needs the
 * PostgreSQL server binaries (see test/support/postgres.ts); without them the figure is left out.
 */
import { Telegram } from 'telegraf';
import { Claims } from '../src/cluster/claims.js';
import { SharedRate } from '../src/cluster/shared-rate.js';
import { Broadcaster } from '../src/delivery/broadcaster.js';
import { RateLimiter, realClock } from '../src/delivery/rate-limiter.js';
import { silentLogger } from '../src/logger.js';
import { createPool } from '../src/store/pg/pool.js';
import { openPostgresStore } from '../src/store/pg/store.js';
import { TEST_TOKEN } from '../test/support/bot-process.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { postgresBinDir, testPostgres } from '../test/support/postgres.js';
import { arrivalRate, arrivals, busiestSecondRows, rateRow, type Row } from './lib.js';
import { mostInOneSecond } from '../test/support/busiest-second.js';

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const { reason } = postgresBinDir();
  if (reason) {
    process.stderr.write(`bench: broadcast-workers left out: ${reason}\n`);
    return [];
  }
  const chats = quick ? 200 : 2000;
  const limit = 200;
  const server = await testPostgres();
  const url = await server.createDatabase();
  const api = new FakeBotApi(TEST_TOKEN);
  const apiRoot = await api.start();
  const store = await openPostgresStore(url, silentLogger);
  const pools = [createPool(url), createPool(url)];
  try {
    const telegram = new Telegram(TEST_TOKEN, { apiRoot });
    const dispatched: number[][] = [[], []];
    const workers = pools.map(
      (pool, w) =>
        new Broadcaster({
          broadcasts: store.broadcasts,
          subscribers: store.subscribers,
          logger: silentLogger,
          limiter: new RateLimiter(limit, realClock, new SharedRate({ pool, rate: limit, logger: silentLogger })),
          claims: new Claims({ pool, worker: `bench-${w}`, logger: silentLogger }),
          send: (chatId, html) => {
            dispatched[w]!.push(Date.now());
            return telegram.sendMessage(chatId, html, { parse_mode: 'HTML' });
          },
        }),
    );
    const recipients = Array.from({ length: chats }, (_, i) => 500_000 + i);
    await store.broadcasts.create({ id: 'bench', kind: 'admin', html: '明日停水通知', recipients });
    for (const w of workers) w.start();
    await Promise.all(workers.map((w) => w.idle()));
    const arrived = arrivals(api);
    return [
      rateRow(
        `broadcast rate, two workers sharing the limit (${chats} chats)`,
        arrivalRate(arrived),
        limit,
        `split ${dispatched[0]!.length} / ${dispatched[1]!.length}`,
      ),
      ...busiestSecondRows('two workers', mostInOneSecond(dispatched.flat()), mostInOneSecond(arrived), limit),
    ];
  } finally {
    await store.close();
    await Promise.all(pools.map((p) => p.end()));
    await api.stop();
    // the server is the run's (test/support/postgres.ts): it stops when the process exits
  }
}
