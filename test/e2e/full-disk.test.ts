/**
 * The bot process with a data folder whose every store write fails with ENOSPC (a full disk: see
 * test/store/full-disk.ts), against the fake Bot API: it keeps answering, tells a person that a
 * subscription was not saved, logs the failure once a file, and exits only on SIGTERM.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEED_CORPUS } from '../helpers.js';
import { fillDisk } from '../store/full-disk.js';
import { startBot, TEST_TOKEN, type BotProcess } from '../support/bot-process.js';
import { FakeBotApi, type ApiCall } from '../support/fake-bot-api.js';

const USER = { id: 5151, is_bot: false, first_name: '小李' };
const CHAT = { id: 5151, type: 'private', first_name: '小李' };
let messageId = 1;
const message = (text: string) => ({ message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: CHAT, from: USER, text });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the bot with a data folder that takes no writes (end to end)', function () {
  this.timeout(90_000);
  const api = new FakeBotApi(TEST_TOKEN);
  let bot: BotProcess;
  let dataDir: string;

  async function ask(update: object, method = 'sendMessage'): Promise<ApiCall> {
    const from = api.calls.length;
    api.pushUpdate(update);
    return api.waitFor((c) => c.method === method && (method !== 'sendMessage' || c.payload.chat_id === CHAT.id), 15_000, from);
  }

  before(async () => {
    const apiRoot = await api.start();
    dataDir = mkdtempSync(join(tmpdir(), 'bot-full-'));
    fillDisk(dataDir, { progress: false }); // no broadcast runs here: nobody can subscribe
    bot = startBot({ BOT_TOKEN: TEST_TOKEN, TELEGRAM_API_ROOT: apiRoot, CORPUS_DIR: SEED_CORPUS, DATA_DIR: dataDir });
    await api.waitFor((c) => c.method === 'getUpdates', 30_000);
  });

  after(async () => {
    await bot?.stop('SIGKILL');
    await api.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers questions for 15 s while every write fails, and exits on SIGTERM only', async () => {
    const started = Date.now();
    let answered = 0;
    while (Date.now() - started < 15_000) {
      const reply = await ask({ message: message('工行个人养老金储蓄3年期的利率是多少') });
      expect(reply.payload.text).to.include('3.0%');
      answered++;
      expect(bot.child.exitCode, bot.output()).to.equal(null);
      await sleep(1500); // statistics are written every 5 s: several failed writes fall in this time
    }
    expect(answered).to.be.at.least(5);

    const tap = await ask(
      {
        callback_query: {
          id: 'cb-sub',
          from: USER,
          chat_instance: '1',
          data: 'sub:on:minsheng',
          message: { ...message('选择要订阅的内容:'), from: { id: 1, is_bot: true, first_name: 'bot' } },
        },
      },
      'answerCallbackQuery',
    );
    expect(tap.payload.text).to.include('没有保存成功');
    expect(bot.child.exitCode, bot.output()).to.equal(null);

    const output = bot.output();
    expect(output.split('stats.json: cannot write').length - 1, output).to.equal(1); // once for the episode
    expect(output).to.not.match(/unhandled|UnhandledPromiseRejection/i);

    const code = await bot.stop('SIGTERM', 10_000);
    expect(code, bot.output()).to.equal(0);
  });
});
