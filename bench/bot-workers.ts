/**
 * Updates a second through one and through two webhook workers on one PostgreSQL database, as a
 * load balancer would hand them out (in turn), over loopback to the tests' Bot API. Replies are
 * paced by `BROADCAST_RATE`, shared by the workers: it is set high here so that what is measured is
 * what the workers can answer, not the pace Telegram allows. Needs the PostgreSQL server binaries
 * (see test/support/postgres.ts); without them the figures are left out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BotProcess, startBot, TEST_TOKEN } from '../test/support/bot-process.js';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { postgresBinDir, testPostgres } from '../test/support/postgres.js';
import { devQuestions, SEED_CORPUS, type Row } from './lib.js';

const SECRET = 'bench-secret';
/** High enough that the shared send rate does not limit the figure. */
const RATE = 1000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const { reason } = postgresBinDir();
  if (reason) {
    process.stderr.write(`bench: bot-workers left out: ${reason}\n`);
    return [];
  }
  const count = quick ? 40 : 1000;
  const server = await testPostgres();
  const rows: Row[] = [];
  for (const workers of [1, 2]) {
    const url = await server.createDatabase();
    const api = new FakeBotApi(TEST_TOKEN);
    const apiRoot = await api.start();
    const dir = mkdtempSync(join(tmpdir(), 'bench-workers-'));
    const bots: Array<{ bot: BotProcess; port: number }> = [];
    try {
      for (let i = 0; i < workers; i++) {
        const port = await freePort();
        const env = {
          BOT_TOKEN: TEST_TOKEN,
          TELEGRAM_API_ROOT: apiRoot,
          CORPUS_DIR: SEED_CORPUS,
          DATA_DIR: join(dir, `data-${i}`),
          DATABASE_URL: url,
          BROADCAST_RATE: String(RATE),
          WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
          WEBHOOK_SECRET: SECRET,
          PORT: String(port),
          HOST: '127.0.0.1',
        };
        bots.push({ bot: startBot(env, ['--webhook']), port });
      }
      await api
        .waitFor(() => api.of('setWebhook').filter((c) => c.status === 200).length === workers, 60_000)
        .catch((err: Error) => {
          throw new Error(`${err.message}\n${bots.map((b) => b.bot.output()).join('\n')}`);
        });
      const questions = devQuestions();
      const post = (port: number, i: number) =>
        fetch(`http://127.0.0.1:${port}/telegram/hook`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
          body: JSON.stringify({
            update_id: 1_000_000 + i,
            message: {
              message_id: i + 1,
              date: Math.floor(Date.now() / 1000),
              chat: { id: 20_000 + i, type: 'private', first_name: 'u' },
              from: { id: 20_000 + i, is_bot: false, first_name: 'u' },
              text: questions[i % questions.length],
            },
          }),
        });
      // warm up: each worker answers once before the clock starts
      for (const [w, b] of bots.entries()) await post(b.port, count + w);
      await api.waitFor(() => api.of('sendMessage').length >= workers, 30_000);
      const from = api.calls.length;
      const t0 = Date.now();
      // a burst, handed to the workers in turn, at most 50 requests in flight
      let next = 0;
      const sender = async () => {
        while (next < count) {
          const i = next++;
          await post(bots[i % workers]!.port, i);
        }
      };
      await Promise.all(Array.from({ length: 50 }, sender));
      const answered = () => new Set(api.calls.slice(from).flatMap((c) => (c.method === 'sendMessage' ? [c.payload.chat_id] : []))).size;
      const deadline = Date.now() + 180_000;
      while (answered() < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const last = Math.max(
        ...api.calls
          .slice(from)
          .filter((c) => c.method === 'sendMessage')
          .map((c) => c.at),
      );
      rows.push({
        figure: `updates/s, ${workers === 1 ? 'one webhook worker' : 'two webhook workers'} on PostgreSQL (burst of ${count})`,
        value: answered() / ((last - t0) / 1000),
        unit: 'updates/s',
        target: 'measure and report',
        note: `${answered()} of ${count} answered`,
      });
    } finally {
      for (const b of bots) await b.bot.stop('SIGKILL');
      await api.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
