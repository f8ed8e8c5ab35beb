/** Updates a second through the bot over loopback (a local Bot API server), and reply latency. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeBotApi } from '../test/support/fake-bot-api.js';
import { startBot, TEST_TOKEN } from '../test/support/bot-process.js';
import { devQuestions, percentile, SEED_CORPUS, type Row } from './lib.js';

export async function run({ quick }: { quick: boolean }): Promise<Row[]> {
  const api = new FakeBotApi(TEST_TOKEN);
  const apiRoot = await api.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-bot-'));
  const bot = startBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir });
  try {
    await api.waitFor((c) => c.method === 'getUpdates', 30_000);
    const questions = devQuestions();
    const message = (chatId: number, i: number) => ({
      message: {
        message_id: i + 1,
        date: 0,
        chat: { id: chatId, type: 'private', first_name: 'u' },
        from: { id: chatId, is_bot: false, first_name: 'u' },
        text: questions[i % questions.length],
      },
    });

    // latency: one question at a time, as a resident sees it
    const latencies: number[] = [];
    for (let i = 0; i < (quick ? 5 : 200); i++) {
      const chatId = 5_000 + i;
      const from = api.calls.length;
      const t = Date.now();
      api.pushUpdate(message(chatId, i));
      const reply = await api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === chatId, 10_000, from);
      latencies.push(reply.at - t);
    }

    // throughput: a burst of questions from many chats at once
    const count = quick ? 20 : 1000;
    const sentAt = new Map<number, number>();
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const chatId = 10_000 + i;
      sentAt.set(chatId, performance.now());
      api.pushUpdate(message(chatId, i));
    }
    const replies = () => api.calls.filter((c) => c.method === 'sendMessage' && sentAt.has(c.payload.chat_id));
    const deadline = Date.now() + 120_000;
    while (new Set(replies().map((c) => c.payload.chat_id)).size < count && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    const firstReply = new Map<number, number>();
    for (const c of replies()) if (!firstReply.has(c.payload.chat_id)) firstReply.set(c.payload.chat_id, c.at);
    const burstLatencies = [...firstReply.entries()].map(([chat, at]) => at - (performance.timeOrigin + sentAt.get(chat)!));
    const seconds = (Math.max(...firstReply.values()) - (performance.timeOrigin + t0)) / 1000;
    return [
      {
        figure: `updates/s through the bot (burst of ${count})`,
        value: firstReply.size / seconds,
        unit: 'updates/s',
        target: 'measure and report',
        note: `${firstReply.size} of ${count} answered`,
      },
      { figure: 'reply latency p50 (one at a time)', value: percentile(latencies, 50), unit: 'ms', target: 'measure and report' },
      { figure: 'reply latency p99 (one at a time)', value: percentile(latencies, 99), unit: 'ms', target: 'measure and report' },
      { figure: `reply latency p99 (in the burst)`, value: percentile(burstLatencies, 99), unit: 'ms', note: 'queueing included' },
    ];
  } finally {
    await bot.stop('SIGKILL');
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
