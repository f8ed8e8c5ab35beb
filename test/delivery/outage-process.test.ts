/**
 * The bot process, as `npm start` runs it, stopped with SIGTERM while the Bot API is out of reach in
 * the middle of a broadcast: it exits promptly, the broadcast stays to be resumed (nobody counted as
 * failed), and the next start reaches everyone. Meanwhile a person's question is answered ahead of
 * the broadcast.
 */
import { expect } from 'chai';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/logger.js';
import { Broadcasts } from '../../src/store/broadcasts.js';
import { SEED_CORPUS } from '../helpers.js';
import { startBot, TEST_TOKEN, type BotProcess } from '../support/bot-process.js';
import { FakeBotApi } from '../support/fake-bot-api.js';
import { privateMessage } from '../support/private-message.js';

const ADMIN = 9001;
const FIRST = 400_000;
const N = 300;

describe('a SIGTERM during an API outage in the middle of a broadcast (bot process)', function () {
  this.timeout(120_000);
  let api: FakeBotApi;
  let dir: string;
  const bots: BotProcess[] = [];

  beforeEach(async () => {
    api = new FakeBotApi(TEST_TOKEN);
    dir = mkdtempSync(join(tmpdir(), 'bc-sigterm-'));
  });
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.stop('SIGKILL');
    await api.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits promptly, leaves the broadcast to the next start, and the next start reaches everyone', async () => {
    const apiRoot = await api.start();
    const corpus = join(dir, 'corpus');
    const dataDir = join(dir, 'data');
    mkdirSync(corpus);
    mkdirSync(dataDir);
    for (const f of readdirSync(SEED_CORPUS).filter((n) => n.endsWith('.txt'))) copyFileSync(join(SEED_CORPUS, f), join(corpus, f));
    const subscribers = Object.fromEntries(
      Array.from({ length: N }, (_, i) => [
        String(FIRST + i),
        { chatId: FIRST + i, chatType: 'private', topics: ['articles'], status: 'active', since: '2026-01-01T00:00:00.000Z' },
      ]),
    );
    writeFileSync(join(dataDir, 'subscribers.json'), JSON.stringify({ schemaVersion: 1, subscribers }));
    const launch = () => {
      const bot = startBot({
        BOT_TOKEN: TEST_TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        CORPUS_DIR: corpus,
        DATA_DIR: dataDir,
        ADMIN_IDS: String(ADMIN),
        BROADCAST_RATE: '20',
      });
      bots.push(bot);
      return bot;
    };
    const broadcastCopies = () => api.calls.filter((c) => c.method === 'sendMessage' && c.status === 200 && c.payload.chat_id >= FIRST);

    let bot = launch();
    await api.waitFor((c) => c.method === 'getUpdates', 30_000);
    api.pushUpdate({ message: privateMessage(ADMIN, '/broadcast 明日停水通知', 1) });
    const draft = await api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === ADMIN, 20_000);
    const go = draft.payload.reply_markup.inline_keyboard.flat().find((b: { text: string }) => b.text.startsWith('确认发送'));
    api.pushUpdate({
      callback_query: {
        id: 'go',
        from: { id: ADMIN, is_bot: false, first_name: 'a' },
        chat_instance: '1',
        data: go.callback_data,
        message: { ...privateMessage(ADMIN, 'x', 1), from: api.botUser },
      },
    });
    while (broadcastCopies().length < 40) await new Promise((r) => setTimeout(r, 50));

    // a person asks while 260 broadcast messages wait: the answer comes next, not after them (13 s at 20 a second)
    const asked = Date.now();
    api.pushUpdate({ message: privateMessage(5, '工行个人养老金储蓄5年期的利率是多少', 2) });
    const answer = await api.waitFor((c) => c.method === 'sendMessage' && c.payload.chat_id === 5, 20_000);
    expect(answer.payload.text).to.include('工商银行');
    expect(answer.at - asked).to.be.below(8000);
    expect(broadcastCopies().filter((c) => c.at <= answer.at).length, 'broadcast messages before the answer').to.be.below(N - 100);

    // the API goes out of reach for broadcast messages; the process is stopped during the outage
    api.faults.push(({ method, payload }) =>
      method === 'sendMessage' && payload.chat_id >= FIRST
        ? { status: 502, body: { ok: false, error_code: 502, description: 'Bad Gateway' } }
        : undefined,
    );
    await new Promise((r) => setTimeout(r, 3000));
    const stoppedAt = Date.now();
    expect(await bot.stop('SIGTERM')).to.equal(0);
    expect(Date.now() - stoppedAt, 'time to exit').to.be.below(5000);

    const broadcasts = await Broadcasts.open(join(dataDir, 'broadcasts.json'), silentLogger);
    const [job] = await broadcasts.all();
    expect(job!.status).to.equal('running');
    expect(job!.failed).to.deep.equal([]);
    const before = job!.delivered.length;
    expect(before).to.be.within(40, N - 1);
    await broadcasts.close();

    // the API is back; the next start sends the rest
    api.faults.length = 0;
    bot = launch();
    const deadline = Date.now() + 60_000;
    while (new Set(broadcastCopies().map((c) => c.payload.chat_id)).size < N && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const reached = new Set(broadcastCopies().map((c) => c.payload.chat_id));
    expect(reached.size).to.equal(N);
    expect(broadcastCopies().length - N, 'copies sent twice').to.be.at.most(30);
  });
});
